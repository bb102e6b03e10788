"""Text is stored clean: dtc.text.clean_text character by character, and every form of
the service passing its text answers through it."""

import unicodedata

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse

from dtc.forms import GovukFormMixin
from dtc.text import SURROGATE_MESSAGE, clean_text
from referrals.forms import ReferralFilterForm
from tests.factories import UserFactory
from tests.referrals.factories import ReferralFactory

# Characters that are taken out wherever they are, by name.
INVISIBLE = {
    "\u00ad": "soft hyphen",
    "\u034f": "combining grapheme joiner",
    "\u061c": "Arabic letter mark",
    "\u180e": "Mongolian vowel separator",
    "\u200b": "zero width space",
    "\u200c": "zero width non-joiner",
    "\u200d": "zero width joiner",
    "\u200e": "left-to-right mark",
    "\u200f": "right-to-left mark",
    "\u202a": "left-to-right embedding",
    "\u202b": "right-to-left embedding",
    "\u202c": "pop directional formatting",
    "\u202d": "left-to-right override",
    "\u202e": "right-to-left override",
    "\u2060": "word joiner",
    "\u2061": "function application",
    "\u2062": "invisible times",
    "\u2063": "invisible separator",
    "\u2064": "invisible plus",
    "\u2066": "left-to-right isolate",
    "\u2067": "right-to-left isolate",
    "\u2068": "first strong isolate",
    "\u2069": "pop directional isolate",
    "\ufeff": "byte order mark",
}
CONTROLS = [chr(c) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]]
CONTROLS.remove("\r")  # a line break, tested on its own


@pytest.mark.parametrize("char", CONTROLS, ids=lambda c: f"U+{ord(c):04X}")
def test_a_control_character_is_taken_out(char):
    assert clean_text(f"Jo{char}nes") == "Jones"


@pytest.mark.parametrize("char", INVISIBLE, ids=INVISIBLE.get)
def test_an_invisible_format_character_is_taken_out(char):
    assert clean_text(f"Jo{char}nes") == "Jones"


@pytest.mark.parametrize("char", ["\n", "\t"], ids=["newline", "tab"])
def test_newline_and_tab_are_kept(char):
    assert clean_text(f"one{char}two") == f"one{char}two"


def test_crlf_and_a_lone_cr_become_newlines():
    assert clean_text("one\r\ntwo\rthree\n\nfour") == "one\ntwo\nthree\n\nfour"


def test_text_is_stored_composed():
    decomposed = "Zoe\u0308 Rene\u0301e"  # e + combining diaeresis, e + combining acute
    assert clean_text(decomposed) == "Zoë Renée"
    assert unicodedata.is_normalized("NFC", clean_text(decomposed))


def test_an_accent_is_composed_across_a_removed_character():
    assert clean_text("Rene\u200b\u0301e") == "Renée"


@pytest.mark.parametrize("char", ["\ud800", "\udbff", "\udc00", "\udfff"], ids=ascii)
def test_a_lone_surrogate_is_refused(char):
    with pytest.raises(ValidationError) as raised:
        clean_text(f"Jones{char}")
    assert raised.value.messages == [SURROGATE_MESSAGE]


@pytest.mark.parametrize(
    "kept",
    [
        "O'Brien and Smith-Jones",
        "Zoë, Łukasz, Ægir, Søren",
        "Names in Arabic محمد and Chinese 王",
        "A thumbs up 👍 and a family 👨‍👩‍👧",  # the zero-width joiner goes, the faces stay
        "non\u00a0breaking",
        "The end.\n",
    ],
)
def test_ordinary_text_keeps_every_visible_character(kept):
    cleaned = clean_text(kept)
    assert cleaned.replace("\u200d", "") == cleaned
    assert [c for c in kept if c != "\u200d"] == list(cleaned)


class NoteForm(GovukFormMixin, forms.Form):
    title = forms.CharField(max_length=10)
    note = forms.CharField(widget=forms.Textarea, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Added after the mixin's __init__, as the forms built from data do.
        self.fields["later"] = forms.CharField(required=False)


def test_a_form_stores_its_text_answers_clean():
    form = NoteForm({"title": "Jo\u00adnes", "note": "line\r\nnext\x07", "later": "J\u200bones"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"title": "Jones", "note": "line\nnext", "later": "Jones"}


def test_a_form_refuses_a_lone_surrogate_next_to_the_field():
    form = NoteForm({"title": "Jones", "note": "about \ud83d"})
    assert not form.is_valid()
    assert form.errors == {"note": [SURROGATE_MESSAGE]}
    assert form.error_summary() == [("id_note", SURROGATE_MESSAGE)]


def test_an_answer_of_invisible_characters_only_is_empty():
    form = NoteForm({"title": "\u200b\u00ad\ufeff"})
    assert form.errors == {"title": ["Enter the title"]}


def test_the_length_is_checked_on_the_cleaned_answer():
    form = NoteForm({"title": "Jo\u00ad\u00ad\u00ad\u00ad\u00ad\u00ad\u00ad\u00adnes"})
    assert form.is_valid(), form.errors


def test_a_password_is_kept_as_typed(client, db):
    """A password must match what was set, invisible characters and all."""
    UserFactory(username="alice", password="pass\u200bword\tend")
    response = client.post(
        reverse("login"), {"username": "alice", "password": "pass\u200bword\tend"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_a_password_with_a_lone_surrogate_is_refused_not_hashed():
    class PasswordForm(GovukFormMixin, forms.Form):
        password = forms.CharField(widget=forms.PasswordInput)

    form = PasswordForm({"password": "pass\udc00word"})
    assert form.errors == {"password": [SURROGATE_MESSAGE]}
    assert PasswordForm({"password": "pass\u200bword"}).is_valid()


def test_the_referral_search_is_cleaned():
    form = ReferralFilterForm({"q": "Jo\u00adnes\x00"}, communities=[], statuses=[])
    assert form.is_valid(), form.errors
    assert form.cleaned_data["q"] == "Jones"


def test_every_form_of_the_service_cleans_its_text():
    """Every form class in the apps is a CleanTextMixin form, or has no text field."""
    import audit.forms
    import dtc.forms
    import referrals.forms
    import residents.forms
    import supervision.forms
    from dtc.forms import CleanTextMixin

    unclean = []
    for module in (audit.forms, dtc.forms, referrals.forms, residents.forms, supervision.forms):
        for name, value in vars(module).items():
            if (
                isinstance(value, type)
                and issubclass(value, forms.BaseForm)
                and value.__module__ == module.__name__
                and not issubclass(value, CleanTextMixin)
                and any(isinstance(f, forms.CharField) for f in value.base_fields.values())
            ):
                unclean.append(name)
    assert unclean == []


def test_a_reason_typed_into_a_page_is_saved_clean(client, cast):
    """End to end: a hold's reason, posted with a CRLF, a soft hyphen and a NUL."""
    referral = ReferralFactory(community=cast.a)
    client.force_login(cast.tm_a)
    response = client.post(
        reverse("referrals:step", args=[referral.pk, "hold"]),
        {"note": "Spoke to Jo\u00adnes\r\nabout the\x00 rules"},
    )
    assert response.status_code == 302
    assert referral.transitions.get().note == "Spoke to Jones\nabout the rules"


def test_bytes_that_are_not_utf8_reach_a_form_as_the_replacement_character(client, cast):
    """A browser cannot send a lone surrogate: Django decodes what is not UTF-8 (here the
    surrogate U+D800 as bytes) as U+FFFD, which is stored. The refusal guards forms fed
    from anywhere else."""
    referral = ReferralFactory(community=cast.a)
    client.force_login(cast.tm_a)
    response = client.post(
        reverse("referrals:step", args=[referral.pk, "hold"]),
        "note=On+an+ACCT+%ED%A0%80",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 302
    assert "\ud800" not in referral.transitions.get().note
    assert referral.transitions.get().note.startswith("On an ACCT \ufffd")
