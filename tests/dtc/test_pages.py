"""dtc.pages.submit with a small form and a service of its own: what the service refuses
shows on the form, beside the field it names or in the error summary."""

from datetime import date

import pytest
from django import forms
from django.core.exceptions import ValidationError

from dtc import pages
from dtc.forms import GovukDateField, GovukFormMixin

LEAVING_TYPES = [("completed", "Completed (planned)"), ("released", "Released")]


class BedForm(GovukFormMixin, forms.Form):
    name = forms.CharField(label="Name")
    beds = forms.IntegerField(label="Beds")


booked = []


def bed_book(*, name: str, beds: int) -> dict:
    """A service that books beds, refusing as the project's services do."""
    if beds > 2:
        raise ValidationError({"beds": "Book at most 2 beds"})
    if name == "Full":
        raise ValidationError("The community is full")
    if name == "Elsewhere":
        raise ValidationError({"community": "Choose a community you work in"})
    booking = {"name": name, "beds": beds}
    booked.append(booking)
    return booking


@pytest.fixture(autouse=True)
def no_bookings():
    booked.clear()


def submitted(data):
    form = BedForm(data)
    return form, pages.submit(form, lambda cleaned: bed_book(**cleaned))


def test_a_valid_form_returns_what_the_service_wrote():
    form, booking = submitted({"name": "Aaron", "beds": "1"})
    assert booking == {"name": "Aaron", "beds": 1}
    assert booked == [booking]
    assert not form.errors


def test_a_refusal_about_a_field_shows_beside_that_field():
    form, booking = submitted({"name": "Aaron", "beds": "3"})
    assert booking is None
    assert form.errors == {"beds": ["Book at most 2 beds"]}
    assert form.error_summary() == [("id_beds", "Book at most 2 beds")]
    field = str(form["beds"].as_field_group())
    assert "govuk-form-group--error" in field and "govuk-input--error" in field
    assert 'aria-describedby="id_beds-error"' in field


def test_a_refusal_about_no_field_shows_in_the_error_summary():
    form, booking = submitted({"name": "Full", "beds": "1"})
    assert booking is None
    assert form.non_field_errors() == ["The community is full"]
    assert form.error_summary() == [("", "The community is full")]


def test_a_refusal_about_a_field_the_form_lacks_shows_in_the_error_summary():
    form, booking = submitted({"name": "Elsewhere", "beds": "1"})
    assert booking is None
    assert form.error_summary() == [("", "Choose a community you work in")]


def test_the_service_is_not_called_when_the_form_is_invalid():
    form, booking = submitted({"name": "", "beds": "two"})
    assert booking is None
    assert booked == []
    assert set(form.errors) == {"name", "beds"}


@pytest.mark.parametrize(
    "data",
    [None, {"name": "Aaron", "beds": "1", "change": "1"}],
    ids=["not posted", "sent back to change"],
)
def test_the_service_is_not_called_without_answers_to_save(data):
    _, booking = submitted(data)
    assert booking is None
    assert booked == []


@pytest.mark.parametrize(
    ("data", "to_check"),
    [
        ({"name": "Aaron", "beds": "1", "csrfmiddlewaretoken": "token"}, True),
        ({"name": "Aaron", "beds": "1", "confirm": "1"}, False),
        ({"name": "Aaron", "beds": "1", "change": "1"}, False),
        ({"name": "", "beds": "1"}, False),
        (None, False),
    ],
    ids=["answered", "confirmed", "sent back to change", "invalid", "not posted"],
)
def test_answers_are_checked_once_valid_and_before_they_are_confirmed(data, to_check):
    assert pages.unconfirmed(BedForm(data)) is to_check


class LeavingForm(GovukFormMixin, forms.Form):
    leaving_type = forms.ChoiceField(
        label="How the resident left", choices=LEAVING_TYPES, widget=forms.RadioSelect
    )
    left_on = GovukDateField(label="Date of leaving")
    reason = forms.CharField(label="Notes", required=False)


def test_answers_are_shown_as_the_user_chose_them_with_a_link_to_each_question():
    form = LeavingForm(
        {
            "leaving_type": "released",
            "left_on_day": "3",
            "left_on_month": "7",
            "left_on_year": "2026",
        }
    )
    assert form.is_valid()
    assert form.cleaned_data["left_on"] == date(2026, 7, 3)
    assert pages.answers(form) == [
        ("How the resident left", "Released", "id_leaving_type_0"),
        ("Date of leaving", "3 July 2026", "id_left_on_0"),
        ("Notes", "None", "id_reason"),
    ]


class SlotTimeForm(GovukFormMixin, forms.Form):
    starts_at = forms.TimeField(label="Start time")


def test_a_time_is_shown_in_hours_and_minutes():
    form = SlotTimeForm({"starts_at": "14:30"})
    assert form.is_valid()
    assert pages.answers(form) == [("Start time", "14:30", "id_starts_at")]
