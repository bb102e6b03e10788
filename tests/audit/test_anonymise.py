"""Pseudonyms, age bands and redaction: pure functions, no database."""

from datetime import date

import pytest

from audit import anonymise
from audit.anonymise import DATE, IDENTIFIER, NAME, Known, known_from, name_words, redact

KNOWN = known_from(
    people=[
        ("Carl", "Ashby"),
        ("Hannah", "Quill"),
        ("Mary Ann", "Smith-Jones"),
        ("Sean", "O'Brien"),
    ],
    identifiers=["A1234BC", "654321"],
    dates=[date(1985, 6, 1)],
    usernames=["tm.avon", "clinician_a"],
)
OWN = frozenset(name_words("Carl", "Ashby"))


def clean(text: str) -> str:
    return redact(text, known=KNOWN, own_names=OWN, pseudonym="Resident X")


def test_the_pseudonym_is_stable_and_not_made_from_the_name():
    assert anonymise.pseudonym(7) == anonymise.pseudonym(7)
    assert anonymise.pseudonym(7) != anonymise.pseudonym(8)
    code = anonymise.pseudonym(7).removeprefix("Resident ")
    assert len(code) == 6 and set(code) <= set(anonymise.CODE_ALPHABET)


def test_the_pseudonym_depends_on_the_secret_key(settings):
    before = anonymise.pseudonym(7)
    settings.SECRET_KEY = "another-key"
    assert anonymise.pseudonym(7) != before


@pytest.mark.parametrize(
    ("born", "admitted", "band"),
    [
        (date(2000, 6, 2), date(2018, 6, 2), "18–24"),
        (date(2000, 6, 2), date(2025, 6, 1), "18–24"),
        (date(2000, 6, 2), date(2025, 6, 2), "25–34"),
        (date(1980, 1, 1), date(2020, 1, 1), "35–44"),
        (date(1970, 1, 1), date(2020, 1, 1), "45–54"),
        (date(1960, 1, 1), date(2020, 1, 1), "55 and over"),
    ],
)
def test_age_band_at_admission(born, admitted, band):
    assert anonymise.age_band(born, admitted) == band


def test_the_residents_own_name_becomes_the_pseudonym():
    assert clean("Carl Ashby spoke first; later carl was quiet.") == (
        "Resident X spoke first; later Resident X was quiet."
    )


def test_other_residents_and_staff_become_name():
    assert clean("Hannah's group with Quill, Smith, Jones and Mary-Ann") == (
        f"{NAME} group with {NAME}, {NAME}, {NAME} and {NAME}"
    )
    assert clean("Spoke to O'Brien and O’Brien") == f"Spoke to {NAME} and {NAME}"


def test_usernames_are_redacted_whole():
    assert clean("Logged by tm.avon and clinician_a; the avon team") == (
        f"Logged by {NAME} and {NAME}; the avon team"
    )


def test_prison_and_registration_numbers_become_identifier():
    assert clean("A1234BC, a1234bc's cell, reg 654321") == (
        f"{IDENTIFIER}, {IDENTIFIER} cell, reg {IDENTIFIER}"
    )


def test_any_nomis_shaped_number_is_redacted_even_when_unknown():
    assert clean("Shared a cell with Z9876YX.") == f"Shared a cell with {IDENTIFIER}."


@pytest.mark.parametrize(
    "written",
    [
        "01/06/1985",
        "1/6/85",
        "1985-06-01",
        "01.06.1985",
        "01-06-1985",
        "1 June 1985",
        "1st June 1985",
        "1st of June, 1985",
        "June 1, 1985",
        "Jun 1st 1985",
        "1 Jun",
        "01061985",
        "19850601",
    ],
)
def test_written_dates_are_redacted(written):
    assert "1985" not in clean(f"Born {written}.")
    assert "June 1" not in clean(f"Born {written}.")
    assert clean(f"Born {written}.") in {"Born [date].", f"Born {IDENTIFIER}."}


def test_a_month_and_year_alone_is_kept():
    assert clean("In March 2025 he joined the group.") == "In March 2025 he joined the group."


def test_ordinary_text_is_left_alone():
    text = "Engaging; starting to bring conflict to group (3 sessions, 90 minutes)."
    assert clean(text) == text


def test_redaction_checks_words_against_sets_not_one_pattern_of_names():
    # 25,000 residents: a set lookup per word, however many names are known.
    people = [(f"First{n}", f"Last{n}") for n in range(25_000)]
    known = known_from(people=people, identifiers=[], dates=[])
    assert isinstance(known, Known) and "last24999" in known.names
    assert redact("First17 met Last24999.", known=known) == f"{NAME} met {NAME}."


@pytest.mark.parametrize(
    "hidden",
    ["\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u202e", "\u2066", "\x07"],
    ids=ascii,
)
def test_an_invisible_character_does_not_hide_a_name(hidden):
    assert clean(f"Spoke to Qu{hidden}ill and Ha{hidden}nnah") == f"Spoke to {NAME} and {NAME}"
    assert clean(f"Jo{hidden}nes") == NAME
    assert clean(f"{hidden}Smith{hidden}") == NAME


def test_an_invisible_character_does_not_join_two_names_into_an_unknown_word():
    assert clean("Hannah\u200bQuill was late") == f"{NAME} was late"
    assert clean("Carl\u2060Ashby spoke") == "Resident X spoke"


def test_an_invisible_character_does_not_hide_an_identifier_or_a_date():
    assert clean("A12\u00ad34BC and 6543\u200b21") == f"{IDENTIFIER} and {IDENTIFIER}"
    assert clean("Z98\u200b76YX") == IDENTIFIER
    assert clean("Born 01/\u200b06/1985 or 1 Ju\u00adne 1985 or 0106\u20601985") == (
        f"Born {DATE} or {DATE} or {IDENTIFIER}"
    )


@pytest.mark.parametrize(
    "written",
    [
        "ＱＵＩＬＬ",  # full-width letters
        "Ⓠⓤⓘⓛⓛ",  # circled letters
        "QUILL",
        "qUiLl",
        "𝐐𝐮𝐢𝐥𝐥",  # mathematical bold
    ],
)
def test_a_name_in_another_form_of_the_same_letters_is_redacted(written):
    assert clean(f"Spoke to {written} today") == f"Spoke to {NAME} today"


def test_a_name_composed_or_decomposed_is_the_same_name():
    known = known_from(people=[("Zoë", "Renée")], identifiers=[], dates=[])
    assert redact("Zoe\u0308 and Rene\u0301e", known=known) == f"{NAME} and {NAME}"
    decomposed = known_from(people=[("Zoe\u0308", "Rene\u0301e")], identifiers=[], dates=[])
    assert redact("Zoë and RENÉE", known=decomposed) == f"{NAME} and {NAME}"


def test_a_known_name_stored_with_an_invisible_character_is_known_without_it():
    known = known_from(people=[("Jo\u00adhn", "Pri\u200bce")], identifiers=[], dates=[])
    assert redact("John Price", known=known) == f"{NAME} {NAME}"
    assert "jo" not in known.names  # not the pieces the soft hyphen made


def test_a_full_width_prison_number_and_date_are_redacted():
    assert clean("Ａ１２３４ＢＣ born ０１/０６/１９８５") == f"{IDENTIFIER} born {DATE}"


def test_redacted_text_keeps_its_lines_and_loses_its_invisible_characters():
    assert clean("Good week.\r\nSpoke up\u200b in group.") == "Good week.\nSpoke up in group."
