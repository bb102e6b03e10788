"""State changes of staff meetings. Each checks the policy (whoever minutes the
community's meetings), validates, and saves with its history in one transaction."""

from datetime import date, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from dtc import permissions
from dtc.history import save_with_history
from dtc.models import Community, Notification, RoleAssignment
from dtc.services import notify_all
from residents.selectors import community_staff

from ..models import ResidentDiscussed, StaffMeeting, StaffMeetingAction

__all__ = [
    "staff_meeting_action_add",
    "staff_meeting_action_complete",
    "staff_meeting_action_reminders",
    "staff_meeting_corrected",
    "staff_meeting_correction_prepare",
    "staff_meeting_record",
    "staff_meeting_resident_discussed",
]

MINUTE = "minute_meeting"


def _is_staff(community: Community, people) -> bool:
    ids = {person.pk for person in people}
    return ids <= set(community_staff(community).filter(pk__in=ids).values_list("pk", flat=True))


def _check_meeting(community: Community, staff_present, held_on: date) -> None:
    """Who may be at a meeting, and when: for a meeting recorded or corrected."""
    errors = {}
    if not staff_present:
        errors["staff_present"] = "Choose who was at the meeting"
    elif not _is_staff(community, staff_present):
        errors["staff_present"] = "Choose people from this community's staff"
    if held_on > timezone.localdate():
        errors["held_on"] = "The date of the meeting must be today or in the past"
    if errors:
        raise ValidationError(errors)


def _require_in_effect(meeting: StaffMeeting) -> None:
    if meeting.entered_in_error:
        raise ValidationError("This meeting was marked as entered in error: nothing can be added.")
    if meeting.superseded:
        raise ValidationError("This meeting has been corrected: add to the corrected meeting.")


@transaction.atomic
def staff_meeting_record(
    *,
    community: Community,
    kind: str,
    held_on: date,
    duration_minutes: int,
    staff_present,
    minutes: str,
    start_time: time | None = None,
    by,
) -> StaffMeeting:
    """Record a staff meeting held on `community`, with who was there and its minutes."""
    permissions.require(by, MINUTE, community)
    staff_present = list(staff_present)
    _check_meeting(community, staff_present, held_on)
    meeting = StaffMeeting(
        community=community,
        kind=kind,
        held_on=held_on,
        start_time=start_time,
        duration_minutes=duration_minutes,
        minutes=minutes,
        recorded_by=by,
    )
    save_with_history(meeting, by)
    meeting.staff_present.set(staff_present)
    return meeting


def staff_meeting_correction_prepare(meeting: StaffMeeting, related) -> None:
    """An amended meeting is held to the rules of a recorded one (dtc.corrections)."""
    _check_meeting(meeting.community, related["staff_present"], meeting.held_on)


def staff_meeting_corrected(original: StaffMeeting, amendment, by) -> None:
    """The actions and residents discussed follow a meeting to its correction."""
    if amendment is None:
        return
    for action in original.actions.select_for_update():
        action.meeting = amendment
        save_with_history(action, by)
    for discussion in original.residents_discussed.select_for_update():
        discussion.meeting = amendment
        save_with_history(discussion, by)


@transaction.atomic
def staff_meeting_resident_discussed(
    *, meeting: StaffMeeting, resident, notes: str, by
) -> ResidentDiscussed:
    """Record what the meeting said about one resident of its community; it is read only
    by those who may see the resident."""
    permissions.require(by, MINUTE, meeting)
    _require_in_effect(meeting)
    if resident.community_id != meeting.community_id:
        raise ValidationError({"resident": "Choose a resident of this community"})
    # A resident restricted from the recorder is not theirs to write about: 404, as for them.
    permissions.require(by, MINUTE, resident)
    if meeting.residents_discussed.filter(resident=resident).exists():
        raise ValidationError(
            {"resident": f"{resident.name} is already recorded as discussed at this meeting"}
        )
    discussion = ResidentDiscussed(meeting=meeting, resident=resident, notes=notes, recorded_by=by)
    return save_with_history(discussion, by)


@transaction.atomic
def staff_meeting_action_add(
    *, meeting: StaffMeeting, description: str, owner, due_on: date, by
) -> StaffMeetingAction:
    """Add an action agreed at a meeting, owned by someone on the community's staff."""
    permissions.require(by, MINUTE, meeting)
    _require_in_effect(meeting)
    errors = {}
    if not _is_staff(meeting.community, [owner]):
        errors["owner"] = "Choose someone from this community's staff"
    if due_on < meeting.held_on:
        errors["due_on"] = "The due date must be on or after the day of the meeting"
    if errors:
        raise ValidationError(errors)
    action = StaffMeetingAction(
        meeting=meeting, description=description, owner=owner, due_on=due_on
    )
    return save_with_history(action, by)


@transaction.atomic
def staff_meeting_action_complete(*, action: StaffMeetingAction, by) -> StaffMeetingAction:
    """Mark an action agreed at a meeting as done."""
    action = (
        StaffMeetingAction.objects.select_for_update()
        .select_related("meeting__community")
        .get(pk=action.pk)
    )
    permissions.require(by, MINUTE, action.meeting)
    if action.meeting.entered_in_error:
        raise ValidationError("This meeting was marked as entered in error.")
    if action.is_done:
        raise ValidationError("This action is already marked as done.")
    action.completed_at = timezone.now()
    action.completed_by = by
    return save_with_history(action, by)


def staff_meeting_action_reminders(*, today: date) -> int:
    """Notify the owners of open actions past their due date, while they are still on the
    meeting's community. Keyed by the action and its due date: each is reminded once."""
    still_on_the_staff = RoleAssignment.objects.active().filter(
        user_id=OuterRef("owner_id"), community_id=OuterRef("meeting__community_id")
    )
    overdue = (
        StaffMeetingAction.objects.filter(
            completed_at__isnull=True,
            due_on__lt=today,
            owner__is_active=True,
            meeting__entered_in_error_at__isnull=True,
            meeting__superseded=False,
        )
        .filter(Exists(still_on_the_staff))
        .select_related("owner")
    )
    return notify_all(
        Notification(
            recipient=action.owner,
            key=f"staff-meeting-action-overdue:{action.pk}:{action.due_on.isoformat()}",
            message=f"A staff meeting action was due by {action.due_on:%-d %B %Y}: {action.description}"[
                :300
            ],
            url=reverse("community:staff_meeting_action_complete", args=[action.pk]),
        )
        for action in overdue
    )
