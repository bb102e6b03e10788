"""The community's timetable at full scale (seed_scale): each community's week of
sessions, running since the start of the records, and the sessions cancelled over those
years with their causes, so that the timetable's pages and figures are measured with
every year of history behind them; and the minutes of every community meeting held
(residents.scale's weekly sessions), with agenda items and the motions voted on."""

from datetime import time, timedelta

from dtc.models import Role
from dtc.scale import Estate
from residents.models import GroupSession, Intervention

from .models import (
    AgendaItem,
    AgendaKind,
    CancellationCause,
    CommunityMeeting,
    MeetingKind,
    Motion,
    MotionKind,
    Outcome,
    PlannedSession,
    Ratification,
    TimetableSlot,
)

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
    _timetable(estate)
    _meetings(estate)


def _timetable(estate: Estate) -> None:
    rng, load, today = estate.rng, estate.load, estate.today
    first = estate.days_ago(365 * estate.years)
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


MOTION_EVERY = 3  # a motion at one community meeting in three
MOTION_KINDS = [
    (MotionKind.COMMITMENT_VOTE, 60),
    (MotionKind.RULE_BREAK, 25),
    (MotionKind.VOTE_OUT, 5),
    (MotionKind.RETURN_TO_COMMUNITY, 5),
    (MotionKind.OTHER, 5),
]


def _meeting_sessions(estate: Estate, team) -> list[tuple[int, object]]:
    """(id, day) of the team's community meetings that residents.scale loaded: those
    still buffered and those already written."""
    buffered = [
        (row["id"], row["held_on"])
        for row in estate.load.buffers.get(GroupSession, [])
        if row["community_id"] == team.pk and row["group_type"] == Intervention.COMMUNITY_MEETING
    ]
    written = GroupSession.objects.filter(
        community_id=team.pk, group_type=Intervention.COMMUNITY_MEETING
    ).values_list("id", "held_on")
    return sorted({*buffered, *written}, key=lambda session: session[1])


def _meetings(estate: Estate) -> None:
    rng, load = estate.rng, estate.load
    kinds, weights = zip(*MOTION_KINDS, strict=True)
    agenda = list(AgendaKind.values)
    for team in estate.teams:
        officers = team.staff[Role.OFFICER] or [team.tm]
        for n, (session, day) in enumerate(_meeting_sessions(estate, team)):
            there = [r for r in team.residents if r.present_on(day)]
            minute_taker = rng.choice(officers)
            meeting = load.id(CommunityMeeting)
            load.add(
                CommunityMeeting,
                id=meeting,
                community_id=team.pk,
                session_id=session,
                held_on=day,
                chair_staff_id=team.tm,
                minute_taker_id=minute_taker,
                recorded_by_id=minute_taker,
            )
            for item in range(2):
                raiser = rng.choice(there) if there and item else None
                load.add(
                    AgendaItem,
                    id=load.id(AgendaItem),
                    meeting_id=meeting,
                    kind=rng.choice(agenda),
                    title="Synthetic agenda item",
                    raised_by_resident_id=raiser.pk if raiser else None,
                    raised_by_staff_id=None if raiser else minute_taker,
                    minutes="Synthetic minutes of the item.",
                    recorded_by_id=minute_taker,
                )
            if n % MOTION_EVERY or not there:
                continue
            kind = rng.choices(kinds, weights)[0]
            votes_for = rng.randint(0, len(there))
            carried = 2 * votes_for > len(there)
            load.add(
                Motion,
                id=load.id(Motion),
                community_id=team.pk,
                meeting_id=meeting,
                held_on=day,
                kind=kind,
                resident_id=None if kind == MotionKind.OTHER else rng.choice(there).pk,
                wording="Synthetic motion." if kind == MotionKind.OTHER else "",
                residents_for=votes_for,
                residents_against=len(there) - votes_for,
                residents_on_day=len(there),
                outcome=Outcome.CARRIED if carried else Outcome.NOT_CARRIED,
                # A vote-out carried waits for the TM's ratification (seed_scale's TMs
                # have that work on their queue, as a wing's would).
                ratification=Ratification.AWAITING
                if carried and kind == MotionKind.VOTE_OUT
                else Ratification.NOT_NEEDED,
                recorded_by_id=minute_taker,
            )
