"""A form that saves a record saves it once (dtc.form_tokens): a second submission of the
same rendered form creates nothing and is sent to what the first one saved, a refused save
leaves the token for the corrected answers, two submissions at once save once, and a
submission without a token (the API, a test posting directly) saves as before."""

import re
import threading
from datetime import timedelta

import pytest
from django import forms
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from dtc import form_tokens, pages
from dtc.forms import GovukFormMixin
from dtc.models import FormToken
from dtc.tasks import purge_form_tokens
from residents.models import Incident
from tests.factories import ResidentFactory

ANSWERS = {
    "occurred_on_day": "3",
    "occurred_on_month": "11",
    "occurred_on_year": "2026",
    "kind": "incident",
    "seriousness": "low",
    "description": "Shouted at an officer on the landing.",
}

# The shape of a token the service makes (form_tokens.SHAPE): a posted value of any
# other shape is no token.
TOKEN = "t" * 43


@pytest.fixture
def resident(cast):
    return ResidentFactory(community=cast.a, prison_number="A1111AA")


def token_on(response) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', response.content.decode()).group(1)


def incident_page(client, cast, resident):
    client.force_login(cast.officer_a)
    url = reverse("residents:incident_record", args=[resident.pk])
    return url, token_on(client.get(url))


def test_a_second_submission_of_the_same_form_creates_nothing(client, cast, resident):
    url, token = incident_page(client, cast, resident)
    first = client.post(url, {**ANSWERS, "form_token": token})
    detail = reverse("residents:detail", args=[resident.pk])
    assert first.status_code == 302 and first["Location"] == detail

    again = client.post(url, {**ANSWERS, "form_token": token}, follow=True)

    assert Incident.objects.filter(resident=resident).count() == 1
    assert again.redirect_chain == [(detail, 302)]
    assert "This was already saved. Nothing new was recorded." in again.content.decode()


def test_a_refused_save_keeps_the_token_for_the_corrected_answers(client, cast, resident):
    url, token = incident_page(client, cast, resident)
    refused = client.post(url, {**ANSWERS, "description": "", "form_token": token})
    assert refused.status_code == 200
    assert token_on(refused) == token

    saved = client.post(url, {**ANSWERS, "form_token": token})

    assert saved.status_code == 302
    assert Incident.objects.filter(resident=resident).count() == 1


def test_a_form_shown_again_after_it_saved_gets_a_new_token(rf, cast):
    request = rf.post("/", {"form_token": TOKEN})
    request.user = cast.officer_a
    FormToken.objects.create(token=TOKEN, user=cast.officer_a)
    request.form_token_claimed = TOKEN
    assert form_tokens.issue(request) not in ("", TOKEN)


def test_without_a_token_each_submission_saves(client, cast, resident):
    client.force_login(cast.officer_a)
    url = reverse("residents:incident_record", args=[resident.pk])
    client.post(url, ANSWERS)
    client.post(url, ANSWERS)
    assert Incident.objects.filter(resident=resident).count() == 2


def test_another_users_token_claims_nothing(client, cast, resident):
    url, token = incident_page(client, cast, resident)
    client.force_login(cast.clinician_a)
    client.post(url, {**ANSWERS, "form_token": token})
    assert FormToken.objects.get(token=token).used_at is None


class NoteForm(GovukFormMixin, forms.Form):
    note = forms.CharField(label="Note")


def test_change_from_check_your_answers_does_not_claim_the_token(cast):
    FormToken.objects.create(token=TOKEN, user=cast.officer_a)
    form = NoteForm({"note": "Seen", "change": "1", "form_token": TOKEN})
    assert pages.submit(form, lambda data: data) is None
    assert FormToken.objects.get(token=TOKEN).used_at is None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_submissions_at_once_save_once(cast):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's shared in-memory test database refuses concurrent writers")
    FormToken.objects.create(token=TOKEN, user=cast.officer_a)
    saved, already = [], []
    first_saving = threading.Event()

    def save(data):
        saved.append(data["note"])
        first_saving.set()
        # The second submission arrives while the first is still saving.
        threading.Event().wait(0.5)
        return data

    def post():
        try:
            pages.submit(NoteForm({"note": "Seen", "form_token": TOKEN}), save)
        except form_tokens.AlreadySaved:
            already.append(True)
        finally:
            connection.close()

    first = threading.Thread(target=post)
    first.start()
    first_saving.wait(5)
    second = threading.Thread(target=post)
    second.start()
    first.join()
    second.join()

    assert saved == ["Seen"]
    assert already == [True]


def test_a_value_not_shaped_as_a_token_claims_nothing(cast):
    FormToken.objects.create(token="t1", user=cast.officer_a)
    assert form_tokens.posted_token({"form_token": "t1"}) == ""
    assert form_tokens.posted_token({"form_token": "a\x00b"}) == ""
    assert form_tokens.posted_token({"form_token": TOKEN}) == TOKEN


def test_old_tokens_are_purged_daily(cast):
    old = FormToken.objects.create(token="old", user=cast.officer_a)
    FormToken.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=4))
    FormToken.objects.create(token="new", user=cast.officer_a)

    assert purge_form_tokens() == 1
    assert list(FormToken.objects.values_list("token", flat=True)) == ["new"]


def test_every_form_page_renders_a_token(client, cast, resident):
    client.force_login(cast.officer_a)
    page = client.get(reverse("residents:incident_record", args=[resident.pk]))
    assert FormToken.objects.get(token=token_on(page)).user == cast.officer_a
    assert FormToken.objects.filter(used_at__isnull=False).count() == 0
