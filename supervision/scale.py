"""The supervision of a large synthetic estate (`manage.py seed_scale`): each member
of a community team supervised at their role's rhythm — the Therapy Manager by the
Head of Psychotherapy, clinicians by the Therapy Manager, trainees by a designated
clinician with observations of practice, officers in groups — newest first until the
community's share of sessions is made. Most people are up to date; about a quarter
are overdue. Some sessions agreed actions, a few of them left overdue."""

import heapq
from dataclasses import dataclass
from datetime import date, timedelta

from dtc.models import Role
from dtc.scale import Estate, Team

from .models import (
    AgreedAction,
    Observation,
    ObservationRating,
    SessionType,
    SupervisionSession,
    SupervisionTheme,
    TraineeTarget,
)

GROUP_SIZE = 6
NOTES = "Explored the pull to rescue a resident who is struggling in small group."


@dataclass
class Stream:
    """Sessions of one kind between the same people, every `weeks` weeks."""

    session_type: str
    supervisor: int
    supervisees: list[int]
    weeks: int


def seed(estate: Estate) -> None:
    themes = list(SupervisionTheme.objects.filter(is_active=True).values_list("pk", flat=True))
    for team, count in zip(estate.teams, estate.per_team("supervision_sessions"), strict=True):
        _sessions(estate, team, _streams(estate, team), count, themes)


def _streams(estate: Estate, team: Team) -> list[Stream]:
    rng, load = estate.rng, estate.load
    clinicians, officers = team.staff[Role.CLINICIAN], team.staff[Role.OFFICER]
    streams = [Stream(SessionType.INDIVIDUAL, estate.heads[team.cluster_id], [team.tm], 4)]
    streams += [Stream(SessionType.INDIVIDUAL, team.tm, [c], 4) for c in clinicians]
    for trainee in team.staff[Role.TRAINEE]:
        supervisor = rng.choice(clinicians)
        streams.append(Stream(SessionType.TRAINEE, supervisor, [trainee], 2))
        streams.append(Stream(SessionType.OBSERVATION, team.tm, [trainee], 12))
        load.add(
            TraineeTarget,
            id=load.id(TraineeTarget),
            trainee_id=trainee,
            target_hours=450,
            designated_supervisor_id=supervisor,
            set_by_id=team.tm,
        )
    team_group = clinicians + team.staff[Role.TRAINEE]
    for start in range(0, len(team_group), GROUP_SIZE + 2):
        streams.append(
            Stream(SessionType.GROUP, team.tm, team_group[start : start + GROUP_SIZE + 2], 2)
        )
    for start in range(0, len(officers), GROUP_SIZE):
        streams.append(
            Stream(
                SessionType.GROUP, rng.choice(clinicians), officers[start : start + GROUP_SIZE], 4
            )
        )
    return streams


def _sessions(
    estate: Estate, team: Team, streams: list[Stream], count: int, themes: list[int]
) -> None:
    rng, load, today = estate.rng, estate.load, estate.today
    # Sessions come at each stream's rhythm, squeezed or stretched so that the years
    # of history hold the community's share; the newest is within the rhythm for most
    # people and overdue for about a quarter.
    natural = sum(52 * estate.years / stream.weeks for stream in streams)
    stretch = natural / count if count else 1
    queue = []
    for index, stream in enumerate(streams):
        latest = estate.days_ago(rng.randint(0, int(stream.weeks * 7 * 1.3)))
        step = max(1.0, stream.weeks * 7 * stretch)
        queue.append((-latest.toordinal(), index, latest.toordinal(), step, 0))
    heapq.heapify(queue)
    while count > 0 and queue:
        _, index, latest, step, k = heapq.heappop(queue)
        held_on = date.fromordinal(int(latest - k * step))
        heapq.heappush(queue, (-int(latest - (k + 1) * step), index, latest, step, k + 1))
        stream = streams[index]
        session = load.id(SupervisionSession)
        load.add(
            SupervisionSession,
            id=session,
            community_id=team.pk,
            session_type=stream.session_type,
            supervisor_id=stream.supervisor,
            held_on=held_on,
            duration_minutes=rng.choice([60, 60, 90]),
            notes=NOTES,
            recorded_by_id=stream.supervisor,
            recorded_at=estate.at(held_on, hour=17),
        )
        for supervisee in stream.supervisees:
            load.add(
                SupervisionSession.supervisees.through,
                supervisionsession_id=session,
                user_id=supervisee,
            )
        for theme in rng.sample(themes, k=min(len(themes), rng.randint(1, 2))):
            load.add(
                SupervisionSession.themes.through,
                supervisionsession_id=session,
                supervisiontheme_id=theme,
            )
        if stream.session_type == SessionType.OBSERVATION:
            load.add(
                Observation,
                id=load.id(Observation),
                session_id=session,
                activity_observed="Small group",
                strengths="Held the silence; invited quieter members in.",
                areas_to_develop="Name the group process sooner.",
                rating=rng.choice(list(ObservationRating)),
            )
        if rng.random() < 0.1:
            due_on = held_on + timedelta(days=28)
            done = due_on < today and rng.random() < 0.9
            owner = stream.supervisees[0]
            load.add(
                AgreedAction,
                id=load.id(AgreedAction),
                session_id=session,
                description="Bring the case formulation to the next session",
                owner_id=owner,
                due_on=due_on,
                is_done=done,
                done_at=estate.at(due_on) if done else None,
                done_by_id=owner if done else None,
            )
        count -= 1
