"""Group sessions and their registers."""

from datetime import date
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dtc import permissions
from dtc.history import save_with_history

from .. import selectors
from ..models import (
    Attendance,
    GroupSession,
    Intervention,
)
from ._rules import not_in_future

__all__ = [
    "Mark",
    "attendance_correct",
    "attendance_record",
    "register_close",
    "session_record",
]


class Mark(NamedTuple):
    """A resident's mark on a register: late and left early say the minutes missed, an
    excused absence its reason."""

    status: str
    minutes_missed: int | None = None
    reason: str = ""


@transaction.atomic
def session_record(
    *,
    community,
    group_type: str,
    small_group=None,
    held_on: date,
    duration_minutes: int,
    facilitators,
    confirm_same_day: bool = False,
    by,
) -> GroupSession:
    """Record a group session held on the community, ready for its register. A second
    session of the same group on the same day is most often the first one recorded
    twice: it is saved only once the user confirms it is another."""
    permissions.require(by, "record_attendance", community)
    facilitators = list(facilitators)
    if not facilitators:
        raise ValidationError({"facilitators": "Choose who facilitated the group"})
    if not {p.pk for p in facilitators} <= set(
        selectors.community_staff(community).values_list("pk", flat=True)
    ):
        raise ValidationError({"facilitators": "Choose people from this community's staff"})
    not_in_future(held_on, "held_on", "of the group")
    if group_type == Intervention.SMALL_GROUP and small_group is None:
        raise ValidationError({"small_group": "Choose which small group met"})
    if group_type != Intervention.SMALL_GROUP:
        small_group = None  # every other kind of group is for the whole community
    elif small_group.community_id != community.pk:
        raise ValidationError({"small_group": "Choose one of this community's small groups"})
    session = GroupSession(
        community=community,
        group_type=group_type,
        small_group=small_group,
        held_on=held_on,
        duration_minutes=duration_minutes,
        recorded_by=by,
    )
    if not confirm_same_day and selectors.same_group_on_the_day(session).exists():
        raise ValidationError(
            {
                "confirm_same_day": f"A {session} is already recorded. Check this is "
                "another session, not the same one again, and confirm."
            }
        )
    save_with_history(session, by)
    session.facilitators.set(facilitators)
    return session


def _marked(session: GroupSession, resident, mark: Mark, attendance, by) -> Attendance:
    if attendance is None:
        attendance = Attendance(session=session, resident=resident)
    attendance.status = mark.status
    attendance.minutes_missed = mark.minutes_missed
    attendance.reason = mark.reason.strip()
    attendance.recorded_by = by
    return attendance


def _unchanged(attendance, mark: Mark) -> bool:
    return attendance is not None and (
        attendance.status,
        attendance.minutes_missed,
        attendance.reason,
    ) == (mark.status, mark.minutes_missed, mark.reason.strip())


# Where a mark's message shows on the register: beside the resident's minutes or reason.
REGISTER_FIELDS = {"minutes_missed": "-minutes", "reason": "-reason"}


@transaction.atomic
def attendance_record(*, session: GroupSession, marks: dict[int, Mark | str], by) -> int:
    """Mark the register while it is open: `marks` maps resident ids to their Mark (or a
    status alone). Residents not on the session's register are refused, and a closed
    register is changed by a correction only. Returns how many marks changed."""
    permissions.require(by, "record_attendance", session)
    session = GroupSession.objects.select_for_update().get(pk=session.pk)
    if session.register_taken:
        raise ValidationError(
            "This register is closed. Correct a resident's mark, giving the reason."
        )
    on_register = {r.pk: r for r in selectors.register_residents(by, session)}
    unknown = set(marks) - set(on_register)
    if unknown:
        raise ValidationError("Only residents on this group's register can be marked.")
    existing = {a.resident_id: a for a in session.register.select_for_update()}
    changed = 0
    errors = {}
    for resident_id, mark in marks.items():
        mark = Mark(mark) if isinstance(mark, str) else mark
        attendance = existing.get(resident_id)
        if _unchanged(attendance, mark):
            continue
        attendance = _marked(session, on_register[resident_id], mark, attendance, by)
        try:
            save_with_history(attendance, by)
        except ValidationError as error:
            # Each message names its resident: gathered, they show together.
            for field, messages in error.message_dict.items():
                name = f"resident-{resident_id}{REGISTER_FIELDS.get(field, '')}"
                errors.setdefault(name, []).extend(messages)
        changed += 1
    if errors:
        raise ValidationError(errors)
    return changed


@transaction.atomic
def register_close(*, session: GroupSession, by) -> GroupSession:
    """Close the register: refused while anyone on it is unmarked (a resident whose
    attendance is unknown is marked "not recorded", saying so)."""
    permissions.require(by, "record_attendance", session)
    session = GroupSession.objects.select_for_update().get(pk=session.pk)
    if session.register_taken:
        raise ValidationError("This register is already closed.")
    unmarked = len(selectors.unmarked(by, session))
    if unmarked:
        people = "resident is" if unmarked == 1 else "residents are"
        raise ValidationError(
            f"The register cannot be closed: {unmarked} {people} not yet marked. "
            "Mark them, or choose “Not recorded” where their attendance is not known."
        )
    session.register_taken_at = timezone.now()
    session.register_taken_by = by
    return save_with_history(session, by, update_fields=["register_taken_at", "register_taken_by"])


@transaction.atomic
def attendance_correct(*, attendance: Attendance, mark: Mark, reason: str, by) -> Attendance:
    """Correct a mark on a closed register. The original stays in the history, and the
    reason is recorded on the change."""
    permissions.require(by, "record_attendance", attendance.session)
    permissions.require(by, "record_attendance", attendance.resident)
    attendance = (
        Attendance.objects.select_for_update()
        .select_related("session", "resident")
        .get(pk=attendance.pk)
    )
    if not attendance.session.register_taken:
        raise ValidationError("This register is still open: change the mark on the register.")
    if not reason.strip():
        raise ValidationError({"correction_reason": "Enter why the mark is being corrected"})
    if _unchanged(attendance, mark):
        raise ValidationError("The corrected mark is the same as the one recorded.")
    attendance = _marked(attendance.session, attendance.resident, mark, attendance, by)
    attendance._change_reason = reason.strip()
    return save_with_history(attendance, by)
