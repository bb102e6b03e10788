"""Group sessions and their registers."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from dtc import permissions
from dtc.history import save_with_history

from .. import selectors
from ..models import (
    Attendance,
    GroupSession,
)
from ._rules import not_in_future

__all__ = ["attendance_record", "session_record"]


@transaction.atomic
def session_record(
    *,
    community,
    group_type: str,
    small_group: str,
    held_on: date,
    duration_minutes: int,
    facilitators,
    by,
) -> GroupSession:
    """Record a group session held on the community, ready for its register."""
    permissions.require(by, "record_attendance", community)
    facilitators = list(facilitators)
    if not facilitators:
        raise ValidationError({"facilitators": "Choose who facilitated the group"})
    if not {p.pk for p in facilitators} <= set(
        selectors.community_staff(community).values_list("pk", flat=True)
    ):
        raise ValidationError({"facilitators": "Choose people from this community's staff"})
    not_in_future(held_on, "held_on", "of the group")
    session = save_with_history(
        GroupSession(
            community=community,
            group_type=group_type,
            small_group=small_group.strip(),
            held_on=held_on,
            duration_minutes=duration_minutes,
            recorded_by=by,
        ),
        by,
    )
    session.facilitators.set(facilitators)
    return session


@transaction.atomic
def attendance_record(*, session: GroupSession, marks: dict[int, str], by) -> int:
    """Take the register: `marks` maps resident ids to present, absent or excused.
    Residents not on the session's register are refused. Returns how many changed."""
    permissions.require(by, "record_attendance", session)
    on_register = {r.pk: r for r in selectors.register_residents(by, session)}
    unknown = set(marks) - set(on_register)
    if unknown:
        raise ValidationError("Only residents on this group's register can be marked.")
    existing = {a.resident_id: a for a in session.register.select_for_update()}
    changed = 0
    for resident_id, status in marks.items():
        attendance = existing.get(resident_id)
        if attendance is None:
            attendance = Attendance(session=session, resident_id=resident_id)
        elif attendance.status == status:
            continue
        attendance.status = status
        attendance.recorded_by = by
        save_with_history(attendance, by)
        changed += 1
    return changed
