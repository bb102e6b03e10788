"""Validation messages name their field and say what to do, whatever the form (set
centrally by dtc.forms.GovukFormMixin): a date that is not real or not complete, Django's
own messages, "---------" choices; one message a field, and the error summary in the
order of the page."""

from django import forms
from django.core.exceptions import ValidationError

from dtc import pages
from dtc.forms import GovukDateField, GovukFormMixin
from residents.forms import IncidentForm, ReviewForm


class SessionForm(GovukFormMixin, forms.Form):
    held_on = GovukDateField(label="Date of the session")
    beds = forms.IntegerField(label="Beds", min_value=0, max_value=40)
    hours = forms.DecimalField(label="Hours", max_digits=4, decimal_places=1, required=False)
    room = forms.CharField(label="Room")
    kind = forms.ChoiceField(label="Kind of session", choices=[("a", "A"), ("b", "B")])
    leader = forms.ChoiceField(
        label="Leader", choices=[("", "---------"), ("x", "X")], widget=forms.RadioSelect
    )
    acct = forms.CharField(label="ACCT reference")
    what = forms.CharField(label="What happened")

    def clean(self):
        # A check of the form's own on a date that is already refused.
        if self.data.get("held_on_year") == "1900":
            self.add_error("held_on", "The session must be after the community opened")


ANSWERS = {
    "held_on_day": "3",
    "held_on_month": "11",
    "held_on_year": "2026",
    "beds": "4",
    "room": "Wing office",
    "kind": "a",
    "leader": "x",
    "acct": "A-1",
    "what": "A group",
}


def errors(**changes):
    form = SessionForm({**ANSWERS, **changes})
    form.is_valid()
    return form.errors


def test_a_date_that_is_not_real_names_its_field():
    assert errors(held_on_day="31", held_on_month="2")["held_on"] == [
        "Date of the session must be a real date, for example 27 3 2007"
    ]


def test_a_date_missing_a_part_says_which():
    assert errors(held_on_month="")["held_on"] == ["Date of the session must include a month"]
    assert errors(held_on_day="", held_on_year="")["held_on"] == [
        "Date of the session must include a day and a year"
    ]


def test_a_missing_date_names_its_field():
    assert errors(held_on_day="", held_on_month="", held_on_year="")["held_on"] == [
        "Enter the date of the session"
    ]


def test_a_date_shows_one_message_at_once():
    assert errors(held_on_day="31", held_on_month="2", held_on_year="1900")["held_on"] == [
        "Date of the session must be a real date, for example 27 3 2007"
    ]


def test_djangos_defaults_are_replaced_by_messages_that_name_the_field():
    assert errors(beds="-1")["beds"] == ["Beds must be 0 or more"]
    assert errors(beds="41")["beds"] == ["Beds must be 40 or less"]
    assert errors(beds="two")["beds"] == ["Beds must be a whole number"]
    assert errors(hours="lots")["hours"] == ["Hours must be a number"]
    assert errors(hours="1.25")["hours"] == ["Hours must have 1 decimal place or fewer"]
    assert errors(room="")["room"] == ["Enter the room"]
    assert errors(what="")["what"] == ["Enter what happened"]
    assert errors(acct="")["acct"] == ["Enter the ACCT reference"]
    assert errors(kind="")["kind"] == ["Select the kind of session"]
    assert errors(kind="z")["kind"] == ["Select the kind of session"]


def test_a_forms_own_messages_are_kept():
    form = IncidentForm({})
    form.is_valid()
    assert form.errors["kind"] == ["Choose whether this was an incident or a rule break"]
    assert form.errors["occurred_on"] == ["Enter the date of the incident"]


def test_no_dashes_among_the_choices():
    form = SessionForm()
    assert [value for value, _ in form.fields["leader"].choices] == ["x"]

    class DropDownForm(GovukFormMixin, forms.Form):
        leader = forms.ChoiceField(label="Leader", choices=[("", "---------"), ("x", "X")])

    assert list(DropDownForm().fields["leader"].choices)[0] == ("", "Choose the leader")
    assert "---------" not in str(DropDownForm()["leader"])


def test_a_model_choice_in_a_drop_down_asks_to_choose():
    from dtc.models import Community

    class CommunityForm(GovukFormMixin, forms.Form):
        community = forms.ModelChoiceField(Community.objects.none(), label="Community")

    assert CommunityForm().fields["community"].empty_label == "Choose the community"


def test_the_error_summary_follows_the_page_with_the_forms_own_errors_first():
    form = SessionForm({**ANSWERS, "beds": "", "what": ""})
    pages.show_refusal(
        form,
        ValidationError({"held_on": "The community was closed that day", None: "Try again"}),
    )
    assert [message for _, message in form.error_summary()] == [
        "Try again",
        "The community was closed that day",
        "Enter the beds",
        "Enter what happened",
    ]


def test_a_real_forms_date_names_its_field():
    form = ReviewForm({"held_on_day": "40", "held_on_month": "1", "held_on_year": "2026"})
    form.is_valid()
    assert form.errors["held_on"] == [
        "Date of the review must be a real date, for example 27 3 2007"
    ]
