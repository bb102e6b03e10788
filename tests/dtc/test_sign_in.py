from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD, UserFactory


@pytest.fixture
def alice(db):
    return UserFactory(username="alice")


def sign_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_sign_in_with_the_right_password_goes_home(client, alice):
    response = sign_in(client, "alice", PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_a_wrong_password_is_refused_with_a_clear_message(client, alice):
    response = sign_in(client, "alice", "not-the-password")
    assert response.status_code == 200
    assert "Enter a correct username and password" in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_five_failed_attempts_lock_the_account(client, alice):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "alice", "not-the-password")
    response = sign_in(client, "alice", PASSWORD)
    assert response.status_code == 429
    assert "Your account is locked" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_four_failed_attempts_do_not_lock_the_account(client, alice):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "alice", "not-the-password")
    assert sign_in(client, "alice", PASSWORD).status_code == 302


def test_lockout_is_per_account_not_per_network(client, alice):
    UserFactory(username="bob")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "alice", "not-the-password")
    assert sign_in(client, "bob", PASSWORD).status_code == 302


def test_sign_out_ends_the_session(client, alice):
    client.force_login(alice)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_the_session_ends_after_thirty_minutes_idle(client, alice):
    client.force_login(alice)
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    session = client.session
    # Move the session's expiry into the past, as 30 idle minutes would.
    session.set_expiry(timezone.now() - timedelta(seconds=1))
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_request_extends_the_session_once_a_minute(client, alice):
    def expires():  # as stored: the session row's expiry
        return Session.objects.get(session_key=client.session.session_key).expire_date

    client.force_login(alice)
    client.get(reverse("home"))
    extended = expires()
    assert extended > timezone.now() + timedelta(minutes=29)

    # Within the minute the session is not written again...
    client.get(reverse("home"))
    assert expires() == extended

    # ...and a minute later it is: its expiry moves on.
    session = client.session
    session["dtc_extended_at"] -= settings.SESSION_REFRESH_SECONDS
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() + timedelta(minutes=5)  # as 25 idle minutes would
    )
    assert client.get(reverse("home")).status_code == 200
    assert expires() > timezone.now() + timedelta(minutes=29)


def test_password_change_applies_the_password_validators(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"},
    )
    assert response.status_code == 200
    assert "This password is too short" in response.content.decode()


def test_password_change_with_a_strong_password(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "amber-lantern-quietly-91",
            "new_password2": "amber-lantern-quietly-91",
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("amber-lantern-quietly-91")


def test_healthz_needs_no_sign_in_and_reports_the_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_healthz_reports_redis_when_it_is_configured(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["redis"].startswith("error")


def test_every_page_sets_a_content_security_policy(client, alice):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "frame-ancestors 'none'" in policy
