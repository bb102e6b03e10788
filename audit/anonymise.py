"""Anonymising a case study: a pseudonym, an age band, and the redaction from free text
of every name and identifier the system knows, and of those it does not know but finds by
their form and context (audit.detect: family, victims, nicknames, officers, places,
addresses, phone numbers, NHS, PNC, CRO, national insurance and prison numbers, ages).

Redaction reads the known names and identifiers once per render (one query per table)
into sets, then checks each word of the text against them: a set lookup per word stays
fast with tens of thousands of residents, where one regular expression of every name
would not. Over-redaction is accepted; a leak is not.

A name must not slip through in another spelling of the same characters: words are
compared in their compatibility form, case-folded (NFKC: full-width, circled or
ligatured letters are the letters), and invisible characters (a soft hyphen, a
zero-width space) neither hide a word nor join two: "Jo\u00adnes" is Jones, and
"Carl\u200bAshby" is Carl and Ashby. What is returned is in that form, without them."""

import hashlib
import hmac
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from django.conf import settings
from django.db import models

from dtc import text as dtc_text

from . import detect

# No vowels, and no 0/1/O/I, so a code never spells a word or a name.
CODE_ALPHABET = "23456789BCDFGHJKLMNPQRSTVWXZ"
CODE_LENGTH = 6

NAME = "[name]"
IDENTIFIER = "[identifier]"
DATE = "[date]"

HIDDEN = f"[{dtc_text.INVISIBLE_CHARS}]"
# A word: letters and digits, joined by apostrophes, hyphens or dots (O'Brien,
# Smith-Jones, tm.avon) or by invisible characters, so a compound is judged whole
# (without the invisible ones) and by its parts.
WORD = re.compile(rf"\w+(?:(?:{HIDDEN}*['’.\-]{HIDDEN}*|{HIDDEN}+)\w+)*")
JOINERS = re.compile(r"['’.\-]")
PARTS = re.compile(rf"['’.\-]|{HIDDEN}+")

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
# Any written day of a month, with or without a year: 01/06/1985, 1985-06-01, 1.6.85,
# 1st of June 1985, June 1, 1985, 1 Jun, Boxing Day 2023. A month and year alone ("June
# 1985") is kept, and so is a feast without its year ("Christmas Day").
_DATE = rf"""\b\d{{1,4}}[/.\-]\d{{1,2}}[/.\-]\d{{1,4}}\b
    | \b{_DAY}(?:\s+of)?\s+{_MONTH}(?:,?\s+\d{{2,4}})?\b
    | \b{_MONTH}\s+{_DAY}(?:,?\s+\d{{2,4}})?\b
    | \b(?:christmas|boxing|new\s+year['’]?s|valentine['’]?s|easter|st\.?\s+\w+['’]?s)
        \s+(?:day|eve|sunday|monday)(?:,?\s+\d{{4}})\b"""
# One pass over the text: a date where one is written, otherwise the next word.
DATE_OR_WORD = re.compile(
    rf"(?P<date>{_DATE})|(?P<word>{WORD.pattern})", re.IGNORECASE | re.VERBOSE
)
DATES = re.compile(_DATE, re.IGNORECASE | re.VERBOSE)


def pseudonym(resident_pk: int) -> str:
    """A stable name for a resident that says nothing about them: a keyed hash of the
    record's id, so it cannot be worked back without the service's secret key."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"case-study:{resident_pk}".encode(), hashlib.sha256
    ).digest()
    number = int.from_bytes(digest[:8], "big")
    code = ""
    for _ in range(CODE_LENGTH):
        number, index = divmod(number, len(CODE_ALPHABET))
        code += CODE_ALPHABET[index]
    return f"Resident {code}"


AGE_BANDS = [(55, "55 and over"), (45, "45–54"), (35, "35–44"), (25, "25–34"), (18, "18–24")]


def age_on(date_of_birth: date, day: date) -> int:
    return (
        day.year
        - date_of_birth.year
        - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))
    )


def age_band(date_of_birth: date, on: date) -> str:
    """The resident's age band on a day (admission), never the age itself."""
    age = age_on(date_of_birth, on)
    for lowest, label in AGE_BANDS:
        if age >= lowest:
            return label
    return "Under 18"


@dataclass(frozen=True)
class Known:
    """Every name and identifier to take out of free text, case-folded."""

    names: frozenset[str]
    identifiers: frozenset[str]


def _fold(word: str) -> str:
    word = unicodedata.normalize("NFKC", dtc_text.without_invisible(word))
    return unicodedata.normalize("NFKC", word.replace("’", "'").casefold())


def _pieces(word: str) -> list[str]:
    """A word as it is judged: whole without invisible characters, and its parts."""
    whole = dtc_text.without_invisible(word)
    return [whole, *JOINERS.split(whole), *PARTS.split(word)]


@lru_cache(maxsize=1 << 16)
def _parts(word: str) -> frozenset[str]:
    """A word's pieces, folded: cached, since the words of clinical text repeat."""
    return frozenset(_fold(piece) for piece in _pieces(word))


def name_words(*names: str) -> set[str]:
    """A name as the words it can appear as: whole, and each part of two letters or more
    (Smith-Jones also as Smith and Jones; Mary Ann also as Mary and Ann)."""
    words = set()
    for name in names:
        name = unicodedata.normalize("NFKC", dtc_text.without_invisible(name or ""))
        for word in WORD.findall(name):
            words.add(_fold(word))
            words.update(_fold(part) for part in JOINERS.split(word) if len(part) >= 2)
    return {word for word in words if len(word) >= 2}


# A date written without separators, whoever's it is: six or eight figures that read as a
# day in one of the orders people write them (01061985, 19850601, 010685, 06011985).
DIGIT_DATE_FORMATS = ("%d%m%Y", "%Y%m%d", "%m%d%Y", "%d%m%y", "%y%m%d")
DIGIT_RUN = re.compile(r"(?<![\d/])\d{6}(?:\d{2})?(?![\d/])")


def is_digit_date(digits: str) -> bool:
    for form in DIGIT_DATE_FORMATS:
        if len(digits) != (8 if "%Y" in form else 6):
            continue
        try:
            datetime.strptime(digits, form)
        except ValueError:
            continue
        return True
    return False


def date_words(day: date) -> set[str]:
    """A date written without separators (01061985, 19850601): one word, so the date
    patterns miss it."""
    return {day.strftime(f) for f in ("%d%m%Y", "%Y%m%d", "%d%m%y", "%m%d%Y")}


def known_from(*, people, identifiers, dates, usernames=()) -> Known:
    """People as (first name, last name) pairs; identifiers (prison and registration
    numbers) as strings; dates of birth; usernames, each only as the whole word."""
    names: set[str] = set()
    for first, last in people:
        names |= name_words(first, last)
    names |= {_fold(username) for username in usernames if username}
    idents = {_fold(value) for value in identifiers if value}
    for day in dates:
        idents |= date_words(day)
    return Known(frozenset(names), frozenset(idents))


class Kind(models.TextChoices):
    """What a redacted span was found to be: named beside it on the release review, and
    what it becomes in the text (its token)."""

    RESIDENT = "resident", "The resident's own name"
    NAME = detect.NAME, "A person's name"
    IDENTIFIER = "identifier", "An identifier"
    PRISON_NUMBER = detect.PRISON_NUMBER, "A prison number"
    NHS_NUMBER = detect.NHS_NUMBER, "An NHS number"
    PNC_NUMBER = detect.PNC_NUMBER, "A PNC number"
    CRO_NUMBER = detect.CRO_NUMBER, "A CRO number"
    NI_NUMBER = detect.NI_NUMBER, "A national insurance number"
    EMAIL = detect.EMAIL, "An email address"
    PHONE = detect.PHONE, "A phone number"
    POSTCODE = detect.POSTCODE, "A postcode"
    ADDRESS = detect.ADDRESS, "A postal address"
    PLACE = detect.PLACE, "A place"
    AGE = detect.AGE, "An age"
    DATE = "date", "A date"
    MANUAL = "manual", "Redacted by hand"


TOKENS = {
    Kind.NAME: NAME,
    Kind.IDENTIFIER: IDENTIFIER,
    Kind.PRISON_NUMBER: "[prison number]",
    Kind.NHS_NUMBER: "[NHS number]",
    Kind.PNC_NUMBER: "[PNC number]",
    Kind.CRO_NUMBER: "[CRO number]",
    Kind.NI_NUMBER: "[NI number]",
    Kind.EMAIL: "[email]",
    Kind.PHONE: "[phone]",
    Kind.POSTCODE: "[postcode]",
    Kind.ADDRESS: "[address]",
    Kind.PLACE: "[place]",
    Kind.AGE: "[age]",
    Kind.DATE: DATE,
    Kind.MANUAL: "[redacted]",
}
# Where two spans overlap they become one, of the kind earliest here: what the service
# holds, then the numbers and addresses whose form is certain, then places (a street or
# a pub is found whole, around words that read as names), then names.
PRECEDENCE = [
    Kind.RESIDENT,
    Kind.IDENTIFIER,
    Kind.PRISON_NUMBER,
    Kind.NHS_NUMBER,
    Kind.PNC_NUMBER,
    Kind.CRO_NUMBER,
    Kind.NI_NUMBER,
    Kind.EMAIL,
    Kind.PHONE,
    Kind.POSTCODE,
    Kind.ADDRESS,
    Kind.PLACE,
    Kind.NAME,
    Kind.DATE,
    Kind.AGE,
    Kind.MANUAL,
]


@dataclass(frozen=True)
class Span:
    """Characters [start, end) of a normalised text that are redacted, and why."""

    start: int
    end: int
    kind: str

    @property
    def label(self) -> str:
        return Kind(self.kind).label


def normalise(text: str) -> str:
    """A text in the form its spans are found in: compatibility form (NFKC), newlines for
    CRLF and CR. Invisible characters are kept until the text is redacted."""
    return unicodedata.normalize("NFKC", dtc_text.LINE_BREAK.sub("\n", text or ""))


def _merged(spans: list[Span]) -> list[Span]:
    """Spans in order, overlapping ones joined into one of the more telling kind."""
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            kind = min(last.kind, span.kind, key=PRECEDENCE.index)
            merged[-1] = Span(last.start, max(last.end, span.end), kind)
        else:
            merged.append(span)
    return merged


def find(
    text: str,
    *,
    known: Known,
    own_names: frozenset[str] = frozenset(),
    phrases: tuple[str, ...] = (),
) -> list[Span]:
    """Every span of `text` (normalised) to redact: known names and identifiers, the
    resident's own name (when `own_names` is given), written dates, what audit.detect finds
    by form and context (names and places the service does not hold, addresses, phone
    numbers, NHS, PNC, CRO, national insurance and prison numbers, ages), and each of the
    `phrases` a reviewer redacted by hand, wherever it appears."""
    spans = []
    for match in DATE_OR_WORD.finditer(text):
        if match.group("date"):
            spans.append(Span(match.start(), match.end(), Kind.DATE))
            continue
        parts = _parts(match.group("word"))
        if own_names and parts & own_names:
            kind = Kind.RESIDENT
        elif parts & known.identifiers:
            kind = Kind.IDENTIFIER
        elif parts & known.names:
            kind = Kind.NAME
        else:
            continue
        spans.append(Span(match.start(), match.end(), kind))
    # What is found by its form is found in the text as it reads, without invisible
    # characters ("1\u200b/1/1990" is a date, "Qu\u200bill" a name), and mapped back.
    visible, at = text, None
    if dtc_text.INVISIBLE.search(text):
        at = [i for i, char in enumerate(text) if not dtc_text.INVISIBLE.match(char)]
        visible = "".join(text[i] for i in at)
        spans += [Span(*_back(at, m.start(), m.end()), Kind.DATE) for m in DATES.finditer(visible)]
    spans += [Span(*_back(at, start, end), kind) for start, end, kind in detect.find(visible)]
    spans += [
        Span(*_back(at, m.start(), m.end()), Kind.DATE)
        for m in DIGIT_RUN.finditer(visible)
        if is_digit_date(m.group())
    ]
    for phrase in phrases:
        phrase = normalise(phrase).strip()
        if phrase:
            pattern = re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)", re.IGNORECASE)
            spans += [Span(m.start(), m.end(), Kind.MANUAL) for m in pattern.finditer(text)]
    return _merged(spans)


def _back(at: list[int] | None, start: int, end: int) -> tuple[int, int]:
    """Characters [start, end) of the text without its invisible characters, in the text."""
    return (start, end) if at is None else (at[start], at[end - 1] + 1)


def apply(text: str, spans: list[Span], *, pseudonym: str = "") -> str:
    """`text` (normalised) with each span replaced by its token (the resident's own name by
    the pseudonym), and without invisible characters."""
    out, at = [], 0
    for span in spans:
        out.append(text[at : span.start])
        if span.kind == Kind.RESIDENT:
            out.append(pseudonym or NAME)
        else:
            out.append(TOKENS[span.kind])
        at = span.end
    out.append(text[at:])
    text = dtc_text.without_invisible("".join(out))
    if pseudonym:
        # "Carl Ashby" becomes one pseudonym, not two.
        text = re.sub(rf"{re.escape(pseudonym)}(?:\s+{re.escape(pseudonym)})+", pseudonym, text)
    return text


def segments(text: str, spans: list[Span]) -> list[tuple[str, Span | None]]:
    """`text` (normalised) cut at its spans, for a page that shows each redaction in place:
    (characters, the span they are, or None where they are kept)."""
    out, at = [], 0
    for span in spans:
        if span.start > at:
            out.append((text[at : span.start], None))
        out.append((text[span.start : span.end], span))
        at = span.end
    if at < len(text):
        out.append((text[at:], None))
    return out


def redact(
    text: str,
    *,
    known: Known,
    own_names: frozenset[str] = frozenset(),
    pseudonym: str = "",
    phrases: tuple[str, ...] = (),
) -> str:
    """Take every known name, identifier and written date out of `text`. The resident's
    own name (`own_names`, from name_words) becomes the pseudonym. The text comes back in
    its compatibility form (NFKC), without invisible characters."""
    text = normalise(text)
    spans = find(
        text, known=known, own_names=own_names if pseudonym else frozenset(), phrases=phrases
    )
    return apply(text, spans, pseudonym=pseudonym)


@dataclass(frozen=True)
class Redacted:
    """One free text as a case study shows it: as written (normalised), the spans taken
    out of it, and what is left. It reads as the redacted text."""

    original: str
    spans: tuple[Span, ...]
    text: str

    def __str__(self) -> str:
        return self.text

    def segments(self) -> list[tuple[str, Span | None]]:
        return segments(self.original, list(self.spans))


class Redactor:
    """The redaction of one case study: its resident's pseudonym and own names, every
    known name and identifier, and the phrases its reviewers redacted by hand."""

    def __init__(
        self,
        known: Known,
        *,
        own_names: frozenset[str] = frozenset(),
        pseudonym: str = "",
        phrases: tuple[str, ...] = (),
    ):
        self.known, self.own_names, self.pseudonym = known, own_names, pseudonym
        self.phrases = tuple(phrases)

    def __call__(self, text: str) -> Redacted:
        original = normalise(text)
        spans = find(
            original,
            known=self.known,
            own_names=self.own_names if self.pseudonym else frozenset(),
            phrases=self.phrases,
        )
        return Redacted(original, tuple(spans), apply(original, spans, pseudonym=self.pseudonym))


class Redaction:
    """How a page shows the text staff wrote: as written (AS_WRITTEN), or redacted as a
    case study is, of what detection finds and of the names and identifiers `load_known`
    returns, read once, when a text first needs them."""

    do_not_call_in_templates = True  # templates pass it to the redacted filter

    def __init__(self, load_known: Callable[[], Known] | None = None):
        self._load_known = load_known
        self._known: Known | None = None

    @property
    def redacts(self) -> bool:
        return self._load_known is not None

    def __call__(self, text: str) -> str:
        if self._load_known is None or not text:
            return text
        if self._known is None:
            self._known = self._load_known()
        return redact(text, known=self._known)


AS_WRITTEN = Redaction()
