"""The community's timetable at full scale (seed_scale): each community's week of
sessions, running since the start of the records, and the sessions cancelled over those
years with their causes, so that the timetable's pages and figures are measured with
every year of history behind them."""

from datetime import time, timedelta

from dtc.models import Role
from dtc.scale import YEARS, Estate
from residents.models import Intervention

from .models import CancellationCause, MeetingKind, PlannedSession, TimetableSlot

# (weekday, kind, start, minutes): the week of every community, besides two small-group
# sessions a week for each of its small groups.
WEEK = [
    (0, Intervention.COMMUNITY_MEETING, time(9, 30), 60),
    (2, Intervention.COMMUNITY_MEETING, time(9, 30), 60),
    (4, Intervention.COMMUNITY_MEETING, time(9, 30), 60),
    (1, Intervention.CREATIVE_THERAPY, time(14), 90),
    (3, Intervention.EDUCATION, time(14), 120),
    (3, MeetingKind.CLINICAL, time(16), 60),
]
CANCELLED = 0.07  # the share of planned sessions that did not happen
CAUSES = [
    (CancellationCause.REGIME, 45),
    (CancellationCause.STAFF_SHORTAGE, 30),
    (CancellationCause.INCIDENT, 15),
    (CancellationCause.BANK_HOLIDAY, 8),
    (CancellationCause.OTHER, 2),
]


def seed(estate: Estate) -> None:
    rng, load, today = estate.rng, estate.load, estate.today
    first = estate.days_ago(365 * YEARS)
    causes, weights = zip(*CAUSES, strict=True)
    for team in estate.teams:
        week = list(WEEK)
        for n, group in enumerate(team.small_groups.values()):
            week += [(n % 5, Intervention.SMALL_GROUP, time(11), 90, group)]
            week += [((n + 2) % 5, Intervention.SMALL_GROUP, time(11), 90, group)]
        for weekday, kind, starts_at, minutes, *group in week:
            slot = load.id(TimetableSlot)
            load.add(
                TimetableSlot,
                id=slot,
                community_id=team.pk,
                kind=kind,
                small_group_id=group[0] if group else None,
                weekday=weekday,
                starts_at=starts_at,
                duration_minutes=minutes,
                valid_from=first,
                created_by_id=team.tm,
            )
            load.add(
                TimetableSlot.facilitators.through,
                timetableslot_id=slot,
                user_id=rng.choice(team.staff[Role.CLINICIAN]),
            )
            day = first + timedelta(days=(weekday - first.weekday()) % 7)
            while day < today:
                if rng.random() < CANCELLED:
                    cause = rng.choices(causes, weights)[0]
                    load.add(
                        PlannedSession,
                        id=load.id(PlannedSession),
                        community_id=team.pk,
                        slot_id=slot,
                        on=day,
                        cancelled_cause=cause,
                        cancelled_note="Synthetic." if cause == CancellationCause.OTHER else "",
                        recorded_by_id=team.tm,
                    )
                day += timedelta(days=7)
