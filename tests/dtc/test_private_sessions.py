"""Private pages are never cached, a session has an absolute lifetime, and a person
can end every session of theirs at once."""

from datetime import timedelta

from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dtc.middleware import SIGNED_IN_AT


def test_a_signed_in_page_is_never_cached(client, cast):
    client.force_login(cast.tm_a)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_a_csv_download_is_never_cached(client, cast):
    client.force_login(cast.tm_a)
    response = client.get(reverse("audit:kpis", args=[cast.a.pk]) + "?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "no-store" in response["Cache-Control"]


def test_a_refusal_to_a_signed_in_user_is_never_cached(client, cast):
    client.force_login(cast.clinician_a)
    response = client.get(reverse("audit:kpis", args=[cast.b.pk]))
    assert response.status_code == 404
    assert "no-store" in response["Cache-Control"]


def test_the_session_ends_twelve_hours_after_sign_in_however_active(client, cast):
    client.force_login(cast.tm_a)
    assert settings.SESSION_ABSOLUTE_AGE == 12 * 60 * 60
    session = client.session
    session[SIGNED_IN_AT] = (timezone.now() - timedelta(hours=12, minutes=1)).timestamp()
    session.save()
    response = client.get(reverse("residents:resident_list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("home")).status_code == 302


def test_a_session_younger_than_twelve_hours_goes_on(client, cast):
    client.force_login(cast.tm_a)
    session = client.session
    session[SIGNED_IN_AT] = (timezone.now() - timedelta(hours=11, minutes=59)).timestamp()
    session.save()
    assert client.get(reverse("home")).status_code == 200


def test_sign_out_everywhere_ends_every_session_of_the_user(client, cast):
    elsewhere = Client()
    elsewhere.force_login(cast.tm_a)
    other_person = Client()
    other_person.force_login(cast.clinician_a)
    client.force_login(cast.tm_a)
    assert elsewhere.get(reverse("home")).status_code == 200

    response = client.post(reverse("sign_out_everywhere"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("login")
    assert "You have been signed out on every device." in response.content.decode()
    assert client.get(reverse("home")).status_code == 302
    assert elsewhere.get(reverse("home")).status_code == 302
    assert other_person.get(reverse("home")).status_code == 200
    cast.tm_a.refresh_from_db()
    assert cast.tm_a.history.first().session_generation == 1


def test_sign_out_everywhere_needs_a_post(client, cast):
    client.force_login(cast.tm_a)
    assert client.get(reverse("sign_out_everywhere")).status_code == 405
    assert client.get(reverse("home")).status_code == 200


def test_the_account_page_offers_sign_out_everywhere(client, cast):
    client.force_login(cast.tm_a)
    response = client.get(reverse("profile"))
    assert reverse("sign_out_everywhere") in response.content.decode()
