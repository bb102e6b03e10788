from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from dtc.models import Notification
from residents import services
from residents.models import ResidentAccess
from residents.tasks import remind_due_reviews_and_documents
from tests.factories import ResidentFactory
from tests.residents.factories import ClinicalDocumentFactory

TODAY = date.today()


def test_reviews_and_documents_due_within_a_week_or_overdue_are_notified_once(cast):
    overdue = ResidentFactory(
        community=cast.a, key_worker=cast.officer_a, next_review_on=TODAY - timedelta(days=1)
    )
    ResidentFactory(community=cast.a, next_review_on=TODAY + timedelta(days=6))  # no key worker
    ResidentFactory(community=cast.a, next_review_on=TODAY + timedelta(days=8))  # not yet
    ClinicalDocumentFactory(
        resident=overdue, author=cast.clinician_a, due_on=TODAY + timedelta(days=7)
    )
    ClinicalDocumentFactory(
        resident=overdue, author=cast.trainee_a, due_on=TODAY + timedelta(days=30)
    )
    assert services.due_reminders(today=TODAY) == 3
    assert Notification.objects.get(recipient=cast.officer_a).message.endswith("is overdue.")
    assert Notification.objects.filter(recipient=cast.tm_a).count() == 1
    assert Notification.objects.filter(recipient=cast.clinician_a).count() == 1
    assert not Notification.objects.filter(recipient=cast.trainee_a).exists()
    assert services.due_reminders(today=TODAY) == 0


def test_a_restricted_resident_is_not_revealed_by_a_reminder(cast):
    ResidentFactory(
        community=cast.a,
        key_worker=cast.officer_a,
        is_restricted=True,
        next_review_on=TODAY - timedelta(days=1),
    )
    assert services.due_reminders(today=TODAY) == 0


def test_the_daily_task_sends_nothing_twice(cast):
    ResidentFactory(community=cast.a, next_review_on=TODAY)
    assert remind_due_reviews_and_documents() == 1
    assert remind_due_reviews_and_documents() == 0


def test_a_restricted_resident_is_reminded_to_those_on_its_access_list_only(cast):
    resident = ResidentFactory(
        community=cast.a,
        key_worker=cast.officer_a,
        is_restricted=True,
        next_review_on=TODAY - timedelta(days=1),
    )
    ResidentAccess.objects.create(resident=resident, user=cast.officer_a, granted_by=cast.tm_a)
    named = ClinicalDocumentFactory(resident=resident, author=cast.officer_a, due_on=TODAY)
    ClinicalDocumentFactory(resident=resident, author=cast.clinician_a, due_on=TODAY)
    assert services.due_reminders(today=TODAY) == 2
    assert set(Notification.objects.values_list("recipient", flat=True)) == {cast.officer_a.pk}
    assert Notification.objects.filter(key__contains=f"document:{named.pk}:").exists()


def test_reminders_take_the_same_statements_for_one_item_or_many(
    cast, django_assert_max_num_queries
):
    def due_items(count):
        for _ in range(count):
            resident = ResidentFactory(community=cast.b, next_review_on=TODAY)  # to tm_b
            ClinicalDocumentFactory(resident=resident, author=cast.clinician_b, due_on=TODAY)

    due_items(1)
    with CaptureQueriesContext(connection) as one:
        assert services.due_reminders(today=TODAY) == 2
    due_items(30)
    with django_assert_max_num_queries(len(one)):
        assert services.due_reminders(today=TODAY) == 60
    assert Notification.history.filter(history_type="+").count() == 62
