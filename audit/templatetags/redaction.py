"""{{ rating.evidence|redacted:redaction }}: text staff wrote, as the view's redaction
(audit.selectors.redaction_for) says the user may read it. Every free text the audit
module shows goes through it, so an auditor reads it redacted as a case study is."""

from django import template

from audit.anonymise import Redaction

register = template.Library()


@register.filter
def redacted(text, redaction):
    # A page that forgets to pass its redaction fails loudly rather than showing the
    # text as written.
    if not isinstance(redaction, Redaction):
        raise TypeError(f"redacted needs the view's redaction, not {redaction!r}")
    return redaction(str(text) if text is not None else "")
