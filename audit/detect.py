"""Identifiers the service does not hold, found in free text by their form and context:
names of people and places, addresses, postcodes, phone numbers, email addresses, NHS,
police (PNC, CRO), national insurance and prison numbers, and exact ages.

Deterministic, and built on one lexicon shipped inside a package: wordfreq's word lists.
Frequency alone does not tell a name from a word ("sandra" is as common as "visits"), but
a name is written the same in every language and a word is not: "janet" is about as
frequent in French, German or Polish text as in English, "attendance" is not. So an
English word is ordinary when it is common in English and much rarer in each of the
other languages; names, places and brands are not. A word with a capital where a capital
tells nothing (at the start of a sentence, in capitals) is a name unless it is ordinary;
mid-sentence, a capital makes a name unless the word is the service's own (Therapy
Manager, ACCT, Christmas). Titles, kinship words and quotes make a name of the next words
whatever they are, and the words around a name tell a person from a place. Over-redaction
is accepted; a leak is not.

The words it knows are in audit.lexicon."""

import re

from .lexicon import (
    ABBREVIATIONS,
    BUILDINGS,
    CALENDAR,
    FROM_SOMEONE,
    KINSHIP,
    LOWER_TITLES,
    MOVING,
    NUMBER_WORDS,
    ORDINAL_WORDS,
    PLACE_AFTER,
    PLACE_BEFORE,
    PLACE_BETWEEN,
    PRONOUN_I,
    PUB_ENDS,
    STARTERS,
    STREETS,
    TITLES,
    ordinary,
    plain,
    service_word,
)

# The kinds found here; audit.anonymise.Kind names each.
NAME = "name"
PLACE = "place"
ADDRESS = "address"
POSTCODE = "postcode"
PHONE = "phone"
EMAIL = "email"
NHS_NUMBER = "nhs_number"
PNC_NUMBER = "pnc_number"
CRO_NUMBER = "cro_number"
NI_NUMBER = "ni_number"
PRISON_NUMBER = "prison_number"
AGE = "age"

# An age is a number, in figures or words, with words around it that make it one.
FIGURES = re.compile(r"\b\d{1,3}(?:st|nd|rd|th)?\b")
AGED = re.compile(r"\b(?:aged?|age:|age\s+of|turned|turns|turning|reached)\s*$", re.IGNORECASE)
OLD = re.compile(r"(?:[\s-]*(?:years?|yrs?)[\s-]*old|[\s-]*y/?o)\b", re.IGNORECASE)
BIRTHDAY = re.compile(r"\s+birthday", re.IGNORECASE)
# "was 19", "at 15", "a daughter of five": an age unless a count, a time or a score
# follows (NOT_AN_AGE).
WAS = re.compile(
    r"""\b(?:is|was|now|be|being|were|at|(?:son|daughter|boy|girl|child|man|woman|lad|kid)s?
    \s+of)\s+(?:(?:now|only|just|nearly|almost)\s+)?$""",
    re.IGNORECASE | re.VERBOSE,
)
NOT_AN_AGE = re.compile(
    r"""\s*(?:%|per\b|percent|hours?|hrs?|minutes?|mins?|weeks?|days?|months?
    |years?\b(?!\s+old)|sessions?|times?|groups?|residents?|men\b|people|members?|for\b
    |against|out\b|of\b|or\b|to\b|[-–]\s*\d|[.:,]\d|am\b|pm\b|o'?clock|points?|votes?
    |pounds?|miles?|kg|stone|lbs?|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)""",
    re.IGNORECASE | re.VERBOSE,
)


# Numbers and codes by their form. A run of ten digits is an NHS number when its check
# digit holds, and otherwise taken for a phone number; so is any longer run.
NUMBERS = re.compile(
    r"""(?P<email>(?<![\w.+'’-])[\w.+'’-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8})
    | (?P<pnc>\b(?:\d{4}|\d{2})/\d{3,7}[A-Za-z]\b)
    | (?P<cro>\b(?:SF|sf)\s?\d{2}/\d{1,6}[A-Za-z]\b|\b\d{1,6}/\d{2}[A-Za-z]\b)
    | (?P<prison>\b[A-Za-z]\d{4}[A-Za-z]{2}\b|\b[A-Z]\s\d{4}\s?[A-Z]{2}\b)
    | (?P<ni>\b[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}(?:\s?[A-D])?\b
        | \b[a-z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[a-d]\b)
    | (?P<phone>(?<![\w+])(?:(?:\+|00)\s?44\s?(?:\(0\)\s?)?|\(?0)
        \d(?:[\s\-.()]{0,2}\d){8,9}(?![\w/])
        | (?<![\w+])(?:\+|00)[1-9]\d{0,2}(?:[\s\-.()]{0,2}\d){6,13}(?![\w/]))
    | (?P<digits>(?<![\w/.])\d(?:[\s-]?\d){9,12}(?![\w/]))
    | (?P<postcode>\b(?:[A-Za-z]{1,2}\d[A-Za-z\d]?|GIR)\s?\d[A-Za-z]{2}\b)""",
    re.VERBOSE,
)
FORMS = {
    "email": EMAIL,
    "pnc": PNC_NUMBER,
    "cro": CRO_NUMBER,
    "prison": PRISON_NUMBER,
    "ni": NI_NUMBER,
    "postcode": POSTCODE,
}
# Bounded, as every repeat here is, so that no text makes a pattern slow.
_CAPITALISED = r"[A-Z][\w'’-]{0,40}"
ADDRESSES = re.compile(
    rf"""(?:\b(?:Flat|Apartment|Apt|Unit|Room)\s+\d+[A-Za-z]?,?\s+
          (?:(?:{_CAPITALISED}\s+){{1,3}}(?:{BUILDINGS}),?\s+)?)?
        \b\d{{1,4}}[A-Za-z]?,?\s+(?:The\s+)?(?:{_CAPITALISED}\s+){{0,3}}(?:{STREETS})\b
    | \b(?:Flat|Apartment|Apt|Unit|Room)\s+\d+[A-Za-z]?,?\s+(?:{_CAPITALISED}\s+){{1,3}}
        (?:{BUILDINGS})\b(?:,?\s+(?:{_CAPITALISED}\s+){{1,3}}(?:{STREETS})\b)?
    | \b\d{{1,4}}[A-Za-z]?\s+[A-Z][a-z'’-]+(?=,\s+[A-Z])""",
    re.VERBOSE,
)
STREET_NAMES = re.compile(
    rf"\b(?:{_CAPITALISED}\s+){{1,3}}(?:{STREETS})\b(?:(?<=St|Rd)\.|(?<=Ave)\.)?"
)
# A nickname: one to three words in quotes, each with a capital ("Tiny", ‘Big Steve’).
NICKNAMES = re.compile(
    rf"""(?:"|“|‘|(?<!\w)')(?P<name>{_CAPITALISED}(?:\s+{_CAPITALISED}){{0,2}})(?:"|”|’|')(?!\w)"""
)
# After "known as", "called" and the like, words in quotes are a name in any case.
QUOTED_NAMES = re.compile(
    r"""\b(?:known\s+as|called|nicknamed|aka|a\.k\.a\.?|alias|goes\s+by)\s+
    (?:"|“|‘|')(?P<name>[^"“”‘’']{1,30})(?:"|”|’|')""",
    re.IGNORECASE | re.VERBOSE,
)
# A word of letters, joined by apostrophes or hyphens; letters in a code ("SN2") are not one.
WORD = re.compile(r"(?<!\w)[^\W\d_]+(?:['’\-][^\W\d_]+)*(?!\w)")
# What between two words ends a sentence, so that the next word's capital tells nothing.
SENTENCE_BREAK = re.compile(r"[.!?;:•\n\"“‘]")
# A town after its street ("Mill Road, Barnsley") or before its postcode.
AFTER_STREET = re.compile(rf"(?:\b(?:{STREETS})|\d+[A-Za-z]?\s+[A-Z][a-z'’-]+),\s*$")
BEFORE_POSTCODE = re.compile(r",?\s*(?:[A-Za-z]{1,2}\d[A-Za-z\d]?|GIR)\s?\d[A-Za-z]{2}\b")
STREET_WORDS = frozenset(word.casefold() for word in STREETS.split("|"))
DIGIT_OR_AT = re.compile(r"[\d@]")
# Where a nickname may be quoted; a straight apostrophe opens a quote only after a space.
QUOTES = ('"', "“", "‘", " '", "('")


def nhs_number_valid(digits: str) -> bool:
    """The NHS number's modulus 11 check: the first nine digits weighted 10 down to 2; 11
    less the sum's remainder is the tenth digit (11 is 0; 10 is never issued)."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    check = 11 - sum(int(digit) * (10 - i) for i, digit in enumerate(digits[:9])) % 11
    return check != 10 and check % 11 == int(digits[9])


def find(text: str) -> list[tuple[int, int, str]]:
    """Every identifier in `text` found by its form or context, as (start, end, kind)."""
    words = list(WORD.finditer(text))
    plains = [plain(match.group()) for match in words]
    present = frozenset(plains)
    spans = []
    # Each pattern runs only on a text that has what it needs: most have no digit.
    digits = DIGIT_OR_AT.search(text)
    if digits:
        for match in NUMBERS.finditer(text):
            kind = FORMS.get(match.lastgroup)
            if kind is None:  # a phone number or a run of digits
                number = re.sub(r"\D", "", match.group())
                kind = NHS_NUMBER if nhs_number_valid(number) else PHONE
            spans.append((match.start(), match.end(), kind))
        spans += [(match.start(), match.end(), ADDRESS) for match in ADDRESSES.finditer(text)]
    spans += _ages(text, words, plains, figures=bool(digits))
    if present & STREET_WORDS:
        for match in STREET_NAMES.finditer(text):
            # "Leicester Crown Court" is Leicester and a court, found as a name.
            street = WORD.findall(match.group())[:-1]
            if not any(service_word(plain(word)) for word in street):
                spans.append((match.start(), match.end(), PLACE))
    if text.startswith("'") or any(quote in text for quote in QUOTES):
        for pattern in (NICKNAMES, QUOTED_NAMES):
            spans += [(m.start("name"), m.end("name"), NAME) for m in pattern.finditer(text)]
    return spans + _names(text, words, plains)


def _ages(text: str, words: list[re.Match], plains: list[str], figures: bool) -> list:
    """Exact ages: "aged 34", "34-year-old", "a 17 year old", "turned forty", "his 10th
    birthday", "was 19 at the time", "Tyler (7)", "Maisie, 3,"."""
    numbers = [(m.start(), m.end()) for m in FIGURES.finditer(text)] if figures else []
    for i, word in enumerate(plains):
        if word.split("-")[0] in NUMBER_WORDS or word in ORDINAL_WORDS:
            end = words[i].end()
            if (
                i + 1 < len(words)
                and plains[i + 1] in NUMBER_WORDS
                and words[i + 1].start() == end + 1
            ):
                end = words[i + 1].end()  # "twenty eight"
            numbers.append((words[i].start(), end))
    spans = []
    for start, end in numbers:
        number = text[start:end].casefold()
        ordinal = number in ORDINAL_WORDS or number[-2:] in {"st", "nd", "rd", "th"}
        before, after = text[max(0, start - 30) : start], text[end : end + 30]
        if ordinal:
            age = bool(BIRTHDAY.match(after))
        elif before.endswith("(") and after.startswith(")"):
            age = len(number) <= 2 and before[-3:-2].isalpha() and before[-2] == " "
        elif before.endswith(", ") and after.startswith(","):
            age = len(number) <= 2 and before[-3:-2].isalpha()  # "Maisie, 3, lives with"
        else:
            age = bool(AGED.search(before) or OLD.match(after)) or bool(
                WAS.search(before) and not NOT_AN_AGE.match(after)
            )
        if age:
            spans.append((start, end, AGE))
    return spans


def _names(text: str, words: list[re.Match], plains: list[str]) -> list[tuple[int, int, str]]:
    """Names of people and places, judged word by word on each word's capital, where it
    stands and the words before it; a place's words as one span."""
    texts = [match.group() for match in words]
    capital = [word[0].isupper() for word in texts]
    gaps = [text[: words[0].start()] if words else ""] + [
        text[a.end() : b.start()] for a, b in zip(words, words[1:], strict=False)
    ]
    named = [False] * len(words)
    forced = [False] * len(words)  # a person's name whatever the words around it say

    for i, word in enumerate(texts):
        if not capital[i] or len(word) == 1 or word in PRONOUN_I or word in TITLES:
            continue
        if service_word(plains[i]) or plains[i] in KINSHIP:
            continue
        starts_sentence = i == 0 or (
            SENTENCE_BREAK.search(gaps[i])
            and not (gaps[i].strip() == "." and plains[i - 1] in ABBREVIATIONS)
        )
        if (starts_sentence or word.isupper()) and ordinary(plains[i]):
            continue
        named[i] = True

    # After a title, a kinship or naming word, the next words are a name.
    for i, word in enumerate(texts[:-1]):
        title = word in TITLES or word in LOWER_TITLES
        if not title and plains[i] not in KINSHIP or plains[i] != word.casefold():
            continue  # not one, or a possessive ("his mother's address")
        gap, following, after = gaps[i + 1], texts[i + 1], plains[i + 1]
        if len(gap) > 3 or "\n" in gap or (not title and any(c in gap for c in ".;:!?")):
            continue
        if after in CALENDAR or following in PRONOUN_I or following in TITLES or forced[i + 1]:
            continue
        if title:
            if not (capital[i + 1] or word in LOWER_TITLES):
                continue
        elif capital[i + 1]:
            if after in KINSHIP or service_word(after) or following in TITLES:
                continue
        elif ordinary(after) or after in KINSHIP:
            continue
        j = i + 1
        named[j] = forced[j] = True
        # The rest of the name: the capitalised words after it ("Mr Daniel Okoro").
        while j + 1 < len(words) and gaps[j + 1] == " " and capital[j + 1]:
            if plains[j + 1] in KINSHIP or plains[j + 1] in CALENDAR or texts[j + 1] in TITLES:
                break
            j += 1
            named[j] = forced[j] = True

    # An initial or a capitalised word just before a name is part of it ("J. Smith",
    # "Will Jones"), and so is the service's word in a pub's name ("outside the Red Lion").
    for i in range(len(words) - 2, -1, -1):
        word = texts[i]
        if named[i] or not named[i + 1] or not capital[i] or gaps[i + 1] not in {" ", ". "}:
            continue
        if gaps[i + 1] == ". " and len(word) > 1:
            continue
        pub = i > 1 and plains[i - 1] == "the" and plains[i - 2] in PLACE_BEFORE
        if service_word(plains[i]) and not pub or word in TITLES or word in PRONOUN_I:
            continue
        if plains[i] in KINSHIP or plains[i] in STARTERS or plains[i] in CALENDAR:
            continue
        named[i], forced[i] = True, forced[i + 1]

    # Runs of named words, each a person's name or a place.
    spans = []
    i = place_before = 0
    while i < len(words):
        if not named[i]:
            i += 1
            continue
        j, pub = i, False
        while j + 1 < len(words):
            if named[j + 1] and gaps[j + 1] in {" ", ". "}:
                j += 1
            elif _pub(plains, capital, i, j + 1):  # "the Dog and Duck"
                j, pub = j + 2, True
            else:
                break
        if j + 1 < len(words) and gaps[j + 1] == " " and capital[j + 1]:
            if plains[j + 1] in PUB_ENDS and i > 0 and plains[i - 1] == "the":
                j, pub = j + 1, True  # "the Bull's Head"
        if pub:
            kind = PLACE
        elif any(forced[i : j + 1]) or texts[j].endswith(("'s", "’s")):
            kind = NAME  # "at Janet's"
        elif _kind(plains, i, j, place_before) == PLACE or _in_address(
            text, words[i].start(), words[j].end()
        ):
            kind = PLACE
        else:
            kind = NAME
        if kind == PLACE:
            spans.append((words[i].start(), words[j].end(), PLACE))
            place_before = j + 1
        else:  # word by word, as the names the service holds are
            spans += [(words[k].start(), words[k].end(), NAME) for k in range(i, j + 1)]
        i = j + 1
    # "the Crown and Anchor": a pub whose first word is the service's.
    for i in range(1, len(words) - 2):
        if not named[i] and capital[i] and _pub(plains, capital, i, i + 1):
            spans.append((words[i].start(), words[i + 2].end(), PLACE))
    return spans


def _pub(plains: list[str], capital: list[bool], i: int, at: int) -> bool:
    """Whether "and" at `at` joins the run from word i into a pub's or a place's name:
    "the Dog and Duck", not "the Care and Separation Unit"."""
    return (
        at + 1 < len(plains)
        and plains[at] == "and"
        and capital[at + 1]
        and i > 0
        and plains[i - 1] == "the"
        and not (service_word(plains[at - 1]) and service_word(plains[at + 1]))
    )


def _in_address(text: str, start: int, end: int) -> bool:
    """Whether a name is the town of an address: after its street, or before a postcode."""
    return bool(
        AFTER_STREET.search(text[max(0, start - 40) : start]) or BEFORE_POSTCODE.match(text, end)
    )


def _kind(plains: list[str], i: int, j: int, place_before: int) -> str:
    """A run of words i to j is a place when the words around it say so, else a person.
    `place_before` is where the last place found ended ("from Piccadilly to Ancoats")."""
    after = plains[j : j + 3]
    if after[0] in PLACE_AFTER or len(after) > 1 and after[1] in PLACE_AFTER:
        return PLACE
    if len(after) == 3 and after[1] in PLACE_BETWEEN and after[2] in PLACE_AFTER:
        return PLACE
    before = plains[max(0, i - 3) : i]
    if before and before[-1] == "the":
        before = before[:-1]
    if not before:
        return NAME
    if before[-1] in PLACE_BEFORE:
        if before[-1] == "from" and len(before) > 1 and before[-2] in FROM_SOMEONE:
            return NAME
        return PLACE
    if before[-1] == "to" and len(before) > 1 and before[-2] in MOVING:
        return PLACE
    if before[-1] in {"to", "and", "or"} and place_before == i - 1:
        return PLACE
    return NAME
