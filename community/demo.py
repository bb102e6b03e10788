"""The demo communities' timetable: the week the residents' demo holds its groups by
(residents.demo.TIMETABLE), running for the past year, and every planned session
accounted for: held, as the group session recorded that day, or cancelled with a cause
where no session was held. Skipped for a community that already has a timetable."""

import random
from datetime import time, timedelta

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from dtc.models import Community, User
from residents.demo import TIMETABLE
from residents.models import GroupSession, SmallGroup

from . import services
from .models import CancellationCause, PlannedSession, TimetableSlot

STARTS = {
    "community_meeting": time(9, 15),
    "psychodrama": time(14),
    "small_group": time(10, 30),
}
# Why the demo's sessions did not happen, most often the regime.
CAUSES = [
    (CancellationCause.REGIME, 45),
    (CancellationCause.STAFF_SHORTAGE, 30),
    (CancellationCause.INCIDENT, 15),
    (CancellationCause.OTHER, 10),
]
NOTES = {
    CancellationCause.REGIME: "",
    CancellationCause.STAFF_SHORTAGE: "",
    CancellationCause.INCIDENT: "",
    CancellationCause.OTHER: "Wing search by the security department.",
}


def seed(stdout) -> list[tuple[str, str]]:
    today = timezone.localdate()
    for index, community in enumerate(Community.objects.order_by("pk")):
        if TimetableSlot.objects.filter(community=community).exists():
            continue
        tm = User.objects.filter(username=f"tm.{community.name.lower()}").first()
        if tm is None or not GroupSession.objects.filter(community=community).exists():
            continue
        rng = random.Random(3000 + index)  # noqa: S311 - repeatable demo data, not security
        _seed_community(community, tm, rng, today)
        stdout.write(f"Community: a year of the timetable for {community.name}.\n")
    return []


def _seed_community(community, tm, rng, today):
    first = today - timedelta(days=364)
    groups = list(SmallGroup.objects.filter(community=community).order_by("name"))
    slots = []
    for weekday, kind, per_group, minutes in TIMETABLE:
        for n, group in enumerate(groups if per_group else [None]):
            starts = STARTS[kind]
            slots.append(
                services.timetable_slot_add(
                    community=community,
                    kind=kind,
                    small_group=group,
                    weekday=weekday,
                    # Small groups meet side by side in their own rooms, or one after another.
                    starts_at=time(starts.hour + (n // 2) * 2, starts.minute),
                    duration_minutes=minutes,
                    valid_from=first,
                    facilitators=list(group.facilitators.all()) if group else [tm],
                    by=tm,
                )
            )
    held = {
        (s.group_type, s.small_group_id, s.held_on): s
        for s in GroupSession.objects.filter(community=community, held_on__gte=first)
    }
    causes, weights = zip(*CAUSES, strict=True)
    accounted = []
    for slot in slots:
        for day in slot.days_in(first, today):
            session = held.get((slot.kind, slot.small_group_id, day))
            if session is None and day == today:
                continue  # today's sessions are still to be held
            cause = "" if session else rng.choices(causes, weights)[0]
            accounted.append(
                PlannedSession(
                    community=community,
                    slot=slot,
                    on=day,
                    session=session,
                    cancelled_cause=cause,
                    cancelled_note=NOTES.get(cause, ""),
                    recorded_by=tm,
                )
            )
    for row in accounted:
        row._history_user = tm
    bulk_create_with_history(accounted, PlannedSession, default_user=tm)
