"""Free text has a longest length (dtc.limits), set centrally by dtc.forms: a text box
takes a note's 2,000 characters unless its form gives it more (a risk narrative, a
document's body), says so with the GOV.UK character count, and refuses more with a
message that names the field. Long unbroken words wrap wherever text is shown."""

from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.urls import reverse

from dtc import limits
from dtc.forms import GovukFormMixin
from residents.forms import DocumentForm, RiskForm
from residents.models import Incident
from tests.factories import ResidentFactory

INCIDENT = {
    "occurred_on_day": "3",
    "occurred_on_month": "11",
    "occurred_on_year": "2026",
    "kind": "incident",
    "seriousness": "low",
}


@pytest.fixture
def resident(cast):
    return ResidentFactory(community=cast.a, prison_number="A1111AA")


def test_a_ten_thousand_character_incident_is_refused(client, cast, resident):
    client.force_login(cast.officer_a)
    url = reverse("residents:incident_record", args=[resident.pk])

    page = client.post(url, {**INCIDENT, "description": "x" * 10_000})

    assert page.status_code == 200
    assert "What happened must be 2,000 characters or fewer" in page.content.decode()
    assert not Incident.objects.exists()


def test_an_incident_of_two_thousand_characters_is_saved(client, cast, resident):
    client.force_login(cast.officer_a)
    url = reverse("residents:incident_record", args=[resident.pk])
    client.post(url, {**INCIDENT, "description": "x" * 2_000})
    assert Incident.objects.get().description == "x" * 2_000


class ReasonForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(label="Reason", widget=forms.Textarea)
    title = forms.CharField(label="Title")


def test_every_text_box_takes_a_note_and_every_one_line_answer_a_title():
    form = ReasonForm({"reason": "x" * (limits.NOTE + 1), "title": "x" * (limits.TITLE + 1)})
    assert form.errors == {
        "reason": ["Reason must be 2,000 characters or fewer"],
        "title": ["Title must be 200 characters or fewer"],
    }
    assert ReasonForm({"reason": "x" * limits.NOTE, "title": "x" * limits.TITLE}).is_valid()


def test_a_risk_narrative_and_a_document_take_more():
    assert RiskForm().fields["narrative"].max_length == limits.NARRATIVE
    assert DocumentForm().fields["body"].max_length == limits.DOCUMENT
    form = RiskForm({"narrative": "x" * (limits.NARRATIVE + 1)})
    assert form.errors["narrative"] == ["Narrative must be 10,000 characters or fewer"]


def test_a_text_box_shows_the_character_count():
    field = str(ReasonForm()["reason"].as_field_group())
    assert 'data-module="govuk-character-count"' in field
    assert 'data-maxlength="2000"' in field
    assert 'id="id_reason-info"' in field and 'aria-describedby="id_reason-info"' in field
    assert "govuk-js-character-count" in field
    # The browser's maxlength would cut a pasted answer off without a word.
    assert "maxlength=" not in field.replace("data-maxlength", "")


def test_long_words_wrap_where_text_is_shown():
    css = (Path(settings.BASE_DIR) / "dtc/static/dtc/dtc.css").read_text()
    assert "overflow-wrap: anywhere" in css
