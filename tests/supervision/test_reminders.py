from datetime import date, timedelta

from dtc.models import Notification
from supervision import services
from supervision.tasks import remind_overdue_supervision
from tests.supervision.factories import AgreedActionFactory, SupervisionSessionFactory


def test_overdue_supervision_and_actions_are_notified_once(cast):
    today = date.today()
    # tm_a was supervised a week ago: not overdue. Everyone else on a team is.
    session = SupervisionSessionFactory(
        community=cast.a,
        supervisor=cast.hop,
        held_on=today - timedelta(days=7),
        supervisees=[cast.tm_a],
    )
    AgreedActionFactory(session=session, owner=cast.tm_a, due_on=today - timedelta(days=1))
    sent = services.overdue_reminders(today=today)
    assert not Notification.objects.filter(
        recipient=cast.tm_a, key__startswith="supervision-overdue"
    ).exists()
    assert (
        Notification.objects.filter(
            recipient=cast.tm_a, key__startswith="supervision-action-overdue"
        ).count()
        == 1
    )
    assert (
        Notification.objects.filter(
            recipient=cast.clinician_a, key__startswith="supervision-overdue"
        ).count()
        == 2
    )  # individual and group
    assert not Notification.objects.filter(recipient__in=[cast.hop, cast.auditor_a]).exists()
    assert sent == Notification.objects.count()
    assert services.overdue_reminders(today=today) == 0


def test_weekly_task_sends_reminders(cast):
    assert remind_overdue_supervision() > 0
    assert remind_overdue_supervision() == 0


def test_an_action_long_overdue_is_left_to_the_record_not_reminded_every_run(cast):
    today = date.today()
    session = SupervisionSessionFactory(
        community=cast.a, supervisor=cast.hop, held_on=today - timedelta(days=400), supervisees=[]
    )
    recent = AgreedActionFactory(
        session=session, owner=cast.tm_a, due_on=today - timedelta(days=90)
    )
    AgreedActionFactory(session=session, owner=cast.tm_a, due_on=today - timedelta(days=91))
    services.overdue_reminders(today=today)
    keys = list(
        Notification.objects.filter(
            recipient=cast.tm_a, key__startswith="supervision-action-overdue"
        ).values_list("key", flat=True)
    )
    assert keys == [f"supervision-action-overdue:{recent.pk}:{recent.due_on.isoformat()}"]
