from django import template
from django.utils.html import format_html

from .. import form_tokens

register = template.Library()


@register.simple_tag(takes_context=True)
def form_token(context):
    """The form's one-time token (dtc.form_tokens), as a hidden input (dtc/init.js puts
    it back when the page is reached again by Back)."""
    request = context.get("request")
    token = form_tokens.issue(request) if request is not None else ""
    if not token:
        return ""
    return format_html('<input type="hidden" name="{}" value="{}">', form_tokens.FIELD, token)
