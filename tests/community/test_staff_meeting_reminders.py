"""Reminders of overdue staff meeting actions: each open action past its due date is
reminded to its owner once, however often the daily task runs."""

from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone

from community import services
from community.tasks import remind_overdue_staff_meeting_actions
from dtc import corrections
from dtc import services as dtc_services
from dtc.models import Notification, RoleAssignment
from tests.community.factories import StaffMeetingActionFactory, StaffMeetingFactory

TODAY = date.today()
KEY = "staff-meeting-action-overdue"


def reminded(user) -> int:
    return Notification.objects.filter(recipient=user, key__startswith=KEY).count()


def test_an_overdue_action_is_reminded_to_its_owner_once(cast):
    meeting = StaffMeetingFactory(community=cast.a, recorded_by=cast.tm_a)
    action = StaffMeetingActionFactory(
        meeting=meeting, owner=cast.officer_a, due_on=TODAY - timedelta(days=1)
    )
    StaffMeetingActionFactory(
        meeting=meeting, owner=cast.clinician_a, due_on=TODAY
    )  # due today: not yet overdue

    assert services.staff_meeting_action_reminders(today=TODAY) == 1
    assert services.staff_meeting_action_reminders(today=TODAY) == 0
    assert (
        services.staff_meeting_action_reminders(today=TODAY + timedelta(days=1)) == 1
    )  # the other, now overdue

    assert reminded(cast.officer_a) == 1 and reminded(cast.clinician_a) == 1
    notification = Notification.objects.get(recipient=cast.officer_a, key__startswith=KEY)
    assert action.description in notification.message
    assert notification.about == ""  # about the team's work, not a resident


def test_no_reminder_for_an_action_done_or_from_a_meeting_entered_in_error(cast):
    done = StaffMeetingFactory(community=cast.a, recorded_by=cast.tm_a)
    StaffMeetingActionFactory(
        meeting=done,
        owner=cast.tm_a,
        due_on=TODAY - timedelta(days=2),
        completed_at=timezone.now(),
        completed_by=cast.tm_a,
    )
    wrong = StaffMeetingFactory(community=cast.a, recorded_by=cast.tm_a)
    StaffMeetingActionFactory(meeting=wrong, owner=cast.tm_a, due_on=TODAY - timedelta(days=2))
    corrections.record_mark_entered_in_error(record=wrong, reason="Wrong wing.", by=cast.tm_a)

    assert services.staff_meeting_action_reminders(today=TODAY) == 0


def test_no_reminder_for_an_owner_who_has_left_the_community(cast):
    meeting = StaffMeetingFactory(community=cast.a, recorded_by=cast.tm_a)
    StaffMeetingActionFactory(
        meeting=meeting, owner=cast.trainee_a, due_on=TODAY - timedelta(days=2)
    )
    dtc_services.role_end(assignment=RoleAssignment.objects.get(user=cast.trainee_a), by=cast.hop)

    assert services.staff_meeting_action_reminders(today=TODAY) == 0


def test_the_daily_task_sends_the_reminders(cast):
    StaffMeetingActionFactory(
        meeting=StaffMeetingFactory(community=cast.a, recorded_by=cast.tm_a),
        owner=cast.tm_a,
        due_on=TODAY - timedelta(days=1),
    )
    assert remind_overdue_staff_meeting_actions() == 1
    assert remind_overdue_staff_meeting_actions() == 0


def test_the_task_is_on_the_beat_schedule():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "community.tasks.remind_overdue_staff_meeting_actions" in tasks
