"""Keeping the timetable (keep_timetable: Therapy Manager, HoP) and accounting for each
planned session (record_attendance: the wing's staff): held, with its register, or
cancelled with a cause."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dtc import permissions
from dtc.history import save_with_history
from residents import selectors as resident_selectors
from residents import services as resident_services
from residents.models import GroupSession, Intervention

from ..models import CancellationCause, PlannedSession, TimetableSlot

__all__ = [
    "planned_session_cancel",
    "planned_session_hold",
    "timetable_slot_add",
    "timetable_slot_change",
    "timetable_slot_end",
]

# How far ahead a session may be cancelled (a bank holiday, a planned regime change).
CANCEL_AHEAD_DAYS = 92


def _checked_slot(slot: TimetableSlot, facilitators) -> list:
    community = slot.community
    if slot.kind == Intervention.SMALL_GROUP:
        if slot.small_group is None:
            raise ValidationError({"small_group": "Choose which small group meets"})
        if slot.small_group.community_id != community.pk:
            raise ValidationError({"small_group": "Choose one of this community's small groups"})
        if not slot.small_group.is_open:
            raise ValidationError({"small_group": f"{slot.small_group} is closed"})
    else:
        slot.small_group = None
    facilitators = list(facilitators)
    if not {p.pk for p in facilitators} <= set(
        resident_selectors.community_staff(community).values_list("pk", flat=True)
    ):
        raise ValidationError({"facilitators": "Choose facilitators from this community's staff"})
    if slot.valid_to is not None and slot.valid_to < slot.valid_from:
        raise ValidationError({"valid_to": "The last day must be on or after the first day"})
    return facilitators


def _saved(slot: TimetableSlot, facilitators, by) -> TimetableSlot:
    save_with_history(slot, by)
    slot.facilitators.set(facilitators)
    return slot


@transaction.atomic
def timetable_slot_add(
    *,
    community,
    kind: str,
    weekday: int,
    starts_at,
    duration_minutes: int,
    valid_from: date,
    small_group=None,
    facilitators=(),
    valid_to: date | None = None,
    by,
) -> TimetableSlot:
    """Add a session to the community's weekly timetable, from `valid_from`."""
    permissions.require(by, "keep_timetable", community)
    slot = TimetableSlot(
        community=community,
        kind=kind,
        small_group=small_group,
        weekday=weekday,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        valid_from=valid_from,
        valid_to=valid_to,
        created_by=by,
    )
    return _saved(slot, _checked_slot(slot, facilitators), by)


def _accounted_from(slot: TimetableSlot, day: date):
    return PlannedSession.objects.in_effect().filter(slot=slot, on__gte=day).order_by("on")


@transaction.atomic
def timetable_slot_change(
    *,
    slot: TimetableSlot,
    from_on: date,
    weekday: int,
    starts_at,
    duration_minutes: int,
    small_group=None,
    facilitators=(),
    by,
) -> TimetableSlot:
    """Change a session of the timetable from `from_on`: the slot ends the day before
    and a new one, replacing it, runs from that day (the weeks before keep the timetable
    they had). A change from the slot's own first day is made to the slot itself."""
    permissions.require(by, "keep_timetable", slot)
    slot = TimetableSlot.objects.select_for_update().select_related("community").get(pk=slot.pk)
    if slot.valid_to is not None and from_on > slot.valid_to:
        raise ValidationError(
            {"from_on": f"This session ended on {slot.valid_to:%-d %B %Y}: change it before then"}
        )
    if from_on < slot.valid_from:
        raise ValidationError(
            {"from_on": f"The session starts on {slot.valid_from:%-d %B %Y}: change it from then"}
        )
    held = _accounted_from(slot, from_on).first()
    if held is not None:
        raise ValidationError(
            {
                "from_on": f"The session of {held.on:%-d %B %Y} is already "
                f"{'cancelled' if held.is_cancelled else 'held'}: change the timetable "
                "from the day after it"
            }
        )
    changed = TimetableSlot(
        community=slot.community,
        kind=slot.kind,
        small_group=small_group,
        weekday=weekday,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        valid_from=from_on,
        valid_to=slot.valid_to,
        created_by=by,
    )
    facilitators = _checked_slot(changed, facilitators)
    if from_on == slot.valid_from:
        for field in ("small_group", "weekday", "starts_at", "duration_minutes"):
            setattr(slot, field, getattr(changed, field))
        return _saved(slot, facilitators, by)
    slot.valid_to = from_on - timedelta(days=1)
    save_with_history(slot, by)
    changed.replaces = slot
    return _saved(changed, facilitators, by)


@transaction.atomic
def timetable_slot_end(*, slot: TimetableSlot, last_on: date, by) -> TimetableSlot:
    """Take a session off the timetable after `last_on`, its last day."""
    permissions.require(by, "keep_timetable", slot)
    slot = TimetableSlot.objects.select_for_update().get(pk=slot.pk)
    if last_on < slot.valid_from:
        raise ValidationError(
            {
                "last_on": f"The session starts on {slot.valid_from:%-d %B %Y}: its last day cannot be before"
            }
        )
    if slot.valid_to is not None and last_on >= slot.valid_to:
        raise ValidationError({"last_on": f"The session already ends on {slot.valid_to:%-d %B %Y}"})
    held = _accounted_from(slot, last_on + timedelta(days=1)).first()
    if held is not None:
        raise ValidationError(
            {
                "last_on": f"The session of {held.on:%-d %B %Y} is already recorded: end it after that day"
            }
        )
    slot.valid_to = last_on
    return save_with_history(slot, by)


def _planned(slot: TimetableSlot, on: date) -> None:
    if not slot.runs_on(on):
        raise ValidationError(f"{slot} is not on the timetable on {on:%-d %B %Y}.")


@transaction.atomic
def planned_session_hold(*, slot: TimetableSlot, on: date, by) -> GroupSession:
    """The planned session was held: its group session, ready for the register (one
    already recorded for the same group that day is taken as this one). Holding it again
    returns the same session."""
    permissions.require(by, "record_attendance", slot)
    slot = TimetableSlot.objects.select_related("community", "small_group").get(pk=slot.pk)
    _planned(slot, on)
    if slot.is_staff_meeting:
        raise ValidationError("A staff meeting is held by recording its minutes.")
    if on > timezone.localdate():
        raise ValidationError("A session is held on its day, not before.")
    existing = (
        PlannedSession.objects.in_effect().select_for_update().filter(slot=slot, on=on).first()
    )
    if existing is not None:
        if existing.is_cancelled:
            raise ValidationError(
                f"This session was cancelled ({existing.get_cancelled_cause_display().lower()})."
            )
        return existing.session
    recorded = GroupSession.objects.filter(
        community=slot.community,
        group_type=slot.kind,
        small_group=slot.small_group,
        held_on=on,
        planned__isnull=True,
    ).first()
    session = recorded or resident_services.session_record(
        community=slot.community,
        group_type=slot.kind,
        small_group=slot.small_group,
        held_on=on,
        duration_minutes=slot.duration_minutes,
        facilitators=list(slot.facilitators.all()) or [by],
        confirm_same_day=True,
        by=by,
    )
    save_with_history(
        PlannedSession(community=slot.community, slot=slot, on=on, session=session, recorded_by=by),
        by,
    )
    return session


@transaction.atomic
def planned_session_cancel(
    *, slot: TimetableSlot, on: date, cause: str, note: str = "", by
) -> PlannedSession:
    """The planned session did not happen (or will not): cancelled with its cause."""
    permissions.require(by, "record_attendance", slot)
    slot = TimetableSlot.objects.select_related("community").get(pk=slot.pk)
    _planned(slot, on)
    if on > timezone.localdate() + timedelta(days=CANCEL_AHEAD_DAYS):
        raise ValidationError(
            {"on": f"A session can be cancelled up to {CANCEL_AHEAD_DAYS} days ahead"}
        )
    if cause not in CancellationCause.values:
        raise ValidationError({"cause": "Choose why the session did not happen"})
    note = note.strip()
    if cause == CancellationCause.OTHER and not note:
        raise ValidationError({"note": "Say why the session did not happen"})
    existing = PlannedSession.objects.in_effect().filter(slot=slot, on=on).first()
    if existing is not None:
        raise ValidationError(
            "This session is already "
            + ("cancelled." if existing.is_cancelled else "held: its register is recorded.")
        )
    return save_with_history(
        PlannedSession(
            community=slot.community,
            slot=slot,
            on=on,
            cancelled_cause=cause,
            cancelled_note=note,
            recorded_by=by,
        ),
        by,
    )
