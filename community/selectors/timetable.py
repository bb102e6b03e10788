"""Reads of the timetable: the planned sessions of a span of days with what became of
each, and the therapeutic hours lost to cancellations by cause."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from dtc import permissions

from ..models import STAFF_KINDS, PlannedSession, SlotKind, StaffMeeting, TimetableSlot

__all__ = [
    "Planned",
    "hours_lost",
    "hours_planned",
    "meetings_held",
    "programme_slots",
    "planned_sessions",
    "sessions_to_record",
    "slots_visible_to",
    "week_of",
]


@dataclass
class Planned:
    """A session of the timetable on a day, and what became of it."""

    slot: TimetableSlot
    on: date
    record: PlannedSession | None = None  # held (with its session) or cancelled
    staff_meeting: StaffMeeting | None = None  # a staff meeting held as planned

    @property
    def status(self) -> str:
        """held, cancelled, to_record (its day has come and nothing is recorded) or planned."""
        if self.record is not None:
            return "cancelled" if self.record.is_cancelled else "held"
        if self.staff_meeting is not None:
            return "held"
        return "to_record" if self.on <= timezone.localdate() else "planned"

    @property
    def session(self):
        return self.record.session if self.record and not self.record.is_cancelled else None


def slots_visible_to(user, *, community_id=None, facilitators=True):
    slots = permissions.visible(user, TimetableSlot).select_related("community", "small_group")
    if facilitators:
        slots = slots.prefetch_related("facilitators")
    if community_id:
        slots = slots.filter(community_id=community_id)
    return slots


def planned_sessions(
    user, *, start: date, end: date, community_id=None, staff_meetings=True, facilitators=True
) -> list[Planned]:
    """The planned sessions from `start` to `end` (inclusive) in the user's communities,
    by day and time, each with its record: at most four queries (the slots, their
    facilitators, the records, the staff meetings), whatever the span's history."""
    # Only the slots on the span's weekdays: a day reads a seventh of the timetable.
    weekdays = {
        (start + timedelta(days=n)).weekday() for n in range(min(7, (end - start).days + 1))
    }
    slots = _running(
        slots_visible_to(user, community_id=community_id, facilitators=facilitators), start, end
    ).filter(weekday__in=sorted(weekdays))
    if not staff_meetings:
        slots = slots.exclude(kind__in=STAFF_KINDS)
    slots = list(slots)
    if not slots:
        return []
    records = {
        (r.slot_id, r.on): r
        for r in PlannedSession.objects.in_effect()
        .filter(slot__in=[s.pk for s in slots], on__range=(start, end))
        # A held community meeting's row links to its minutes, started or not.
        .select_related("session__community_meeting")
    }
    meetings = {}
    if any(slot.kind in STAFF_KINDS for slot in slots):
        meetings = {
            (m.community_id, m.kind, m.held_on): m
            for m in StaffMeeting.objects.in_effect().filter(
                community_id__in={s.community_id for s in slots}, held_on__range=(start, end)
            )
        }
    planned = [
        Planned(
            slot=slot,
            on=day,
            record=records.get((slot.pk, day)),
            staff_meeting=meetings.get((slot.community_id, slot.kind, day)),
        )
        for slot in slots
        for day in slot.days_in(start, end)
    ]
    return sorted(planned, key=_by_day_and_time)


def _running(slots, start: date, end: date):
    """The slots valid on some day from `start` to `end`."""
    return slots.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start), valid_from__lte=end)


def _by_day_and_time(planned: Planned):
    return (planned.on, planned.slot.starts_at, planned.slot.community.name, planned.slot.pk)


def sessions_to_record(user, *, start: date, end: date, community_ids) -> list[Planned]:
    """The residents' planned sessions from `start` to `end` in these of the user's
    communities that nobody has recorded as held or cancelled, by day and time: two
    queries (the slots, and which of their days have a record), for the work queue."""
    slots = list(
        _running(slots_visible_to(user, facilitators=False), start, end)
        .filter(community_id__one_of=community_ids)
        .exclude(kind__in=STAFF_KINDS)
    )
    if not slots:
        return []
    recorded = set(
        PlannedSession.objects.in_effect()
        .filter(slot_id__one_of=[slot.pk for slot in slots], on__range=(start, end))
        .values_list("slot_id", "on")
    )
    planned = [
        Planned(slot=slot, on=day)
        for slot in slots
        for day in slot.days_in(start, end)
        if (slot.pk, day) not in recorded
    ]
    return sorted(planned, key=_by_day_and_time)


def week_of(day: date) -> date:
    """The Monday of the week of `day`."""
    return day - timedelta(days=day.weekday())


def hours_lost(community_ids, *, start: date, end: date) -> dict[int, dict[str, Decimal]]:
    """Therapeutic hours lost to cancellations from `start` to `end`, per community and
    cause: the hours of the residents' sessions cancelled (staff meetings are not
    therapy). One query."""
    rows = (
        PlannedSession.objects.in_effect()
        .filter(community_id__in=community_ids, on__range=(start, end))
        .exclude(cancelled_cause="")
        .exclude(slot__kind__in=STAFF_KINDS)
        .values("community_id", "cancelled_cause")
        .annotate(minutes=Sum("slot__duration_minutes"))
        .order_by()
    )
    lost: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for row in rows:
        lost[row["community_id"]][row["cancelled_cause"]] = Decimal(row["minutes"]) / 60
    return lost


def programme_slots(community_ids, *, start: date, end: date) -> list[TimetableSlot]:
    """The slots of residents' sessions valid at some time from `start` to `end` (staff
    meetings are not therapy): what hours_planned and meetings_held count, read once."""
    return list(
        TimetableSlot.objects.filter(community_id__in=community_ids, valid_from__lte=end)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
        .exclude(kind__in=STAFF_KINDS)
        .only("community_id", "kind", "weekday", "duration_minutes", "valid_from", "valid_to")
    )


def hours_planned(community_ids, *, start: date, end: date, slots=None) -> dict[int, Decimal]:
    """The hours of residents' sessions the timetable planned from `start` to `end`, per
    community (cancelled ones included). One query, or none given the `slots` of
    programme_slots: the slots, counted by their days."""
    minutes: dict[int, int] = defaultdict(int)
    if slots is None:
        slots = programme_slots(community_ids, start=start, end=end)
    for slot in slots:
        minutes[slot.community_id] += slot.duration_minutes * len(slot.days_in(start, end))
    return {pk: Decimal(total) / 60 for pk, total in minutes.items()}


def meetings_held(
    community_ids, *, start: date, end: date, slots=None
) -> dict[int, tuple[int, int]]:
    """Community meetings held of those the timetable planned from `start` to `end`, per
    community: (held, planned). A planned meeting not recorded as held (cancelled, or
    nothing recorded) is not held. Two queries, or one given the `slots` of
    programme_slots: the slots, and the meetings held."""
    if slots is None:
        slots = programme_slots(community_ids, start=start, end=end)
    planned: dict[int, int] = defaultdict(int)
    for slot in slots:
        if slot.kind == SlotKind.COMMUNITY_MEETING:
            planned[slot.community_id] += len(slot.days_in(start, end))
    held = dict(
        PlannedSession.objects.in_effect()
        .filter(
            community_id__in=community_ids,
            on__range=(start, end),
            slot__kind=SlotKind.COMMUNITY_MEETING,
            session__isnull=False,
        )
        .values_list("community_id")
        .annotate(n=Count("pk"))
        .values_list("community_id", "n")
        .order_by()
    )
    return {pk: (held.get(pk, 0), planned[pk]) for pk in planned}
