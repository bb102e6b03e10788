import time
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.urls import reverse

from dtc import services, tasks
from dtc.models import Notification
from tests.factories import StaffProfileFactory

TODAY = date(2026, 11, 23)


@pytest.fixture
def profiles(db):
    return {
        "lapsed": StaffProfileFactory(registration_renewal_date=TODAY - timedelta(days=3)),
        "due_today": StaffProfileFactory(registration_renewal_date=TODAY),
        "on_the_boundary": StaffProfileFactory(
            registration_renewal_date=TODAY + timedelta(days=60)
        ),
        "outside": StaffProfileFactory(registration_renewal_date=TODAY + timedelta(days=61)),
        "none": StaffProfileFactory(
            professional_body="", registration_number="", registration_renewal_date=None
        ),
    }


def test_staff_whose_registration_lapses_within_sixty_days_are_notified(profiles):

    assert services.registration_renewal_reminders(today=TODAY) == 3
    notified = set(Notification.objects.values_list("recipient__profile__pk", flat=True))
    assert notified == {profiles[k].pk for k in ("lapsed", "due_today", "on_the_boundary")}


def test_the_reminder_says_when_the_registration_lapsed(profiles):

    services.registration_renewal_reminders(today=TODAY)
    message = Notification.objects.get(recipient=profiles["lapsed"].user).message
    assert message == "Your UKCP registration lapsed on 20 November 2026. Renew it now."


def test_running_the_task_twice_sends_nothing_twice(profiles, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: TODAY)
    assert tasks.remind_registration_renewals.apply().get() == 3
    assert tasks.remind_registration_renewals.apply().get() == 0
    assert Notification.objects.count() == 3


@pytest.mark.skipif(not settings.REDIS_URL, reason="runs through Redis only when REDIS_URL is set")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_task_goes_through_redis_to_a_worker(profiles, monkeypatch):
    from celery.contrib.testing.worker import start_worker

    from dtc.celery import app

    monkeypatch.setattr("django.utils.timezone.localdate", lambda: TODAY)
    with start_worker(app, perform_ping_check=False, shutdown_timeout=10):
        tasks.remind_registration_renewals.delay()
        deadline = time.monotonic() + 20
        while Notification.objects.count() < 3 and time.monotonic() < deadline:
            time.sleep(0.2)
    assert Notification.objects.count() == 3


def test_a_renewed_registration_is_notified_again_when_it_next_falls_due(profiles):

    services.registration_renewal_reminders(today=TODAY)
    profile = profiles["lapsed"]
    profile.registration_renewal_date = TODAY + timedelta(days=365)
    profile.save()
    assert services.registration_renewal_reminders(today=TODAY + timedelta(days=310)) >= 1
    assert Notification.objects.filter(recipient=profile.user).count() == 2


def test_the_header_badge_counts_unread_notifications(client, profiles):

    services.registration_renewal_reminders(today=TODAY)
    user = profiles["lapsed"].user
    client.force_login(user)
    page = client.get(reverse("home")).content.decode()
    assert '<span class="govuk-visually-hidden">(1 unread)</span>' in page


def test_marking_notifications_read_clears_the_badge(client, profiles):

    services.registration_renewal_reminders(today=TODAY)
    user = profiles["lapsed"].user
    client.force_login(user)
    response = client.post(reverse("notifications_read"), follow=True)
    assert "1 notification marked as read." in response.content.decode()
    assert "unread)" not in response.content.decode()
    assert Notification.objects.get(recipient=user).read_at is not None


def test_the_notification_list_shows_only_the_users_own(client, profiles):

    services.registration_renewal_reminders(today=TODAY)
    client.force_login(profiles["outside"].user)
    assert "You have no notifications." in client.get(reverse("notifications")).content.decode()


def test_a_notification_is_sent_once_however_often_it_is_asked_for(profiles):
    user = profiles["outside"].user
    ask = [
        Notification(recipient=user, key="k", message="Once"),
        Notification(recipient=user, key="k", message="Twice"),
    ]
    assert services.notify_all(ask) == 1
    assert services.notify_all(ask) == 0
    assert Notification.objects.get(recipient=user).message == "Once"
    assert Notification.history.filter(recipient=user, history_type="+").count() == 1


def test_notifications_a_run_alongside_sent_first_are_not_sent_again(profiles, monkeypatch):
    user = profiles["outside"].user
    Notification.objects.create(recipient=user, key="first", message="Sent alongside")
    reads = []
    real = services._already_sent

    def not_yet_committed(pairs):  # the other run's row is not visible at the first read
        reads.append(pairs)
        return set() if len(reads) == 1 else real(pairs)

    monkeypatch.setattr(services, "_already_sent", not_yet_committed)
    sent = services.notify_all(
        [
            Notification(recipient=user, key="first", message="Again"),
            Notification(recipient=user, key="second", message="New"),
        ]
    )
    assert sent == 1 and len(reads) == 2
    assert sorted(
        Notification.objects.filter(recipient=user).values_list("message", flat=True)
    ) == [
        "New",
        "Sent alongside",
    ]


def statements_to_notify(user, count) -> tuple[int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ask = [Notification(recipient=user, key=f"{count}:{n}", message="Due") for n in range(count)]
    with CaptureQueriesContext(connection) as statements:
        sent = services.notify_all(ask)
    return sent, len(statements)


def test_a_thousand_reminders_are_sent_in_as_many_statements_as_ten(profiles):
    from django.db import connection

    user = profiles["outside"].user
    few_sent, few = statements_to_notify(user, 10)
    many_sent, many = statements_to_notify(user, 3000)
    assert (few_sent, many_sent) == (10, 3000)
    assert Notification.objects.filter(recipient=user).count() == 3010
    assert Notification.history.filter(recipient=user, history_type="+").count() == 3010
    if connection.vendor == "postgresql":  # SQLite limits parameters: it reads in chunks
        assert many == few
    # Asked again, nothing is sent and nothing written.
    assert statements_to_notify(user, 3000)[0] == 0
