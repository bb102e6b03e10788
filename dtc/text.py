"""The one rule for text typed into the service: stored clean, so that what is read back,
searched and redacted is what it looks like.

Control characters (other than newline and tab) and invisible format characters are
taken out: a soft hyphen or a zero-width space inside a name would hide it from search
and from redaction while it reads the same on screen. Text is stored in one Unicode form
(NFC), so "é" typed as one character or as "e" and an accent is the same text. A lone
surrogate is not a character at all and cannot be stored or encoded: it is refused."""

import re
import unicodedata

from django.core.exceptions import ValidationError

SURROGATE_MESSAGE = "Remove the character that cannot be read from this answer"

SURROGATE = re.compile("[\ud800-\udfff]")
# Windows and browsers send line breaks as CRLF; an old Mac as a lone CR.
LINE_BREAK = re.compile("\r\n?")
# C0 controls but tab and newline, DEL, C1 controls; the soft hyphen; the combining
# grapheme joiner; the Arabic letter mark; the Mongolian vowel separator; zero-width
# space, non-joiner and joiner; the left-to-right and right-to-left marks, embeddings,
# overrides and isolates; the word joiner and the invisible operators after it; the
# byte order mark (zero-width no-break space).
INVISIBLE_CHARS = (
    r"\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u034f\u061c\u180e\u200b-\u200f"
    r"\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
)
INVISIBLE = re.compile(f"[{INVISIBLE_CHARS}]")


def clean_text(value: str) -> str:
    """`value` in NFC, without control or invisible format characters; CRLF and CR become
    newlines. Raises ValidationError on a lone surrogate."""
    refuse_surrogates(value)
    return unicodedata.normalize("NFC", without_invisible(value))


def without_invisible(value: str) -> str:
    """`value` with CRLF and CR as newlines, and no control or invisible format character."""
    return INVISIBLE.sub("", LINE_BREAK.sub("\n", value))


def refuse_surrogates(value: str) -> None:
    if SURROGATE.search(value):
        raise ValidationError(SURROGATE_MESSAGE, code="surrogate")
