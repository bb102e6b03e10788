"""A year of synthetic supervision for the demo staff, with realistic gaps:
sessions missed for leave and sickness, people absent from group, actions left
overdue. Deterministic, and skipped for a community that already has sessions."""

import random
from datetime import timedelta

from django.utils import timezone

from dtc.models import Community, User

from . import services
from .models import ObservationRating, SessionType, SupervisionSession, SupervisionTheme

# The share of sessions lost (and of group sessions each person misses) per community.
MISSED = {"Avon": 0.05, "Brook": 0.07, "Cedar": 0.08, "Dove": 0.16}
NOTES = [
    "Explored the pull to rescue a resident who is struggling in small group.",
    "Reflected on a tense community meeting and how the team held the boundary.",
    "Discussed a resident's commitment vote and the staff team's split views.",
    "Thought about the impact of a recent incident on the officer group.",
    "Worked on the formulation for a resident approaching the leaving phase.",
    "Talked through workload and the balance between groups and report writing.",
]
ACTIONS = [
    "Bring the case formulation to the next session",
    "Read the chapter on projective identification",
    "Arrange a three-way meeting with the key worker",
    "Book the reflective practice training",
    "Write up the process notes for the small group",
]


def seed(stdout) -> list[tuple[str, str]]:
    today = timezone.localdate()
    hop = User.objects.get(username="hop")
    themes = list(SupervisionTheme.objects.filter(is_active=True))
    for index, community in enumerate(Community.objects.order_by("pk")):
        if SupervisionSession.objects.filter(community=community).exists():
            continue
        name = community.name.lower()
        people = {
            suffix: User.objects.filter(username=f"{suffix}.{name}").first()
            for suffix in ("tm", "clinician", "clinician2", "officer", "officer2", "trainee")
        }
        if not all(people.values()):
            continue
        rng = random.Random(1000 + index)  # noqa: S311 - repeatable demo data, not security
        _seed_community(community, people, hop, themes, rng, today)
        stdout.write(f"Supervision: a year of sessions for {community.name}.\n")
    return []


def _seed_community(community, people, hop, themes, rng, today):
    tm = people["tm"]

    def record(session_type, supervisor, supervisees, days_ago, by):
        return services.session_record(
            community=community,
            session_type=session_type,
            supervisor=supervisor,
            supervisees=supervisees,
            held_on=today - timedelta(days=days_ago),
            duration_minutes=rng.choice([60, 60, 75, 90]),
            themes=rng.sample(themes, k=min(2, len(themes))),
            notes=rng.choice(NOTES),
            by=by,
        )

    # A year of supervision on a steady rhythm (never more than a period between two
    # sessions), so compliance sits near its 90% target; sessions lost now and then to
    # leave, sickness and regime lock-downs, more of them in some communities.
    miss = MISSED.get(community.name, 0.08)
    # Monthly individual supervision: the TM by the Head of Psychotherapy, clinicians by the TM.
    for person, supervisor, by in [
        (tm, hop, hop),
        (people["clinician"], tm, tm),
        (people["clinician2"], tm, tm),
    ]:
        for month in range(14):
            if rng.random() >= miss:
                record(
                    SessionType.INDIVIDUAL,
                    supervisor,
                    [person],
                    1 + 26 * month + rng.randint(0, 2),
                    by,
                )

    # The trainee: fortnightly with their designated supervisor, the clinician.
    trainee, designated = people["trainee"], people["clinician"]
    for fortnight in range(28):
        if rng.random() >= miss:
            record(
                SessionType.TRAINEE,
                designated,
                [trainee],
                1 + 13 * fortnight + rng.randint(0, 1),
                tm,
            )
    services.trainee_target_set(
        trainee=trainee, target_hours=150, designated_supervisor=designated, by=tm
    )

    # Fortnightly group supervision led by the TM; now and then one is lost, or someone is away.
    team = [people[s] for s in ("clinician", "clinician2", "officer", "officer2", "trainee")]
    last_group = None
    for fortnight in range(28):
        if rng.random() < miss / 2:
            continue
        present = [p for p in team if rng.random() >= miss]
        if len(present) >= 2:
            session = record(SessionType.GROUP, tm, present, 13 * fortnight + rng.randint(0, 1), tm)
            last_group = last_group or session

    # An observation of the trainee's practice, two months ago.
    services.observation_record(
        community=community,
        supervisor=tm,
        supervisee=trainee,
        held_on=today - timedelta(days=60),
        duration_minutes=90,
        activity_observed="Small group therapy",
        strengths="Held the silence well and kept the group to its task.",
        areas_to_develop="Name the group process sooner when residents collude.",
        rating=rng.choice([ObservationRating.GOOD, ObservationRating.REQUIRES_IMPROVEMENT]),
        by=tm,
    )

    # Actions from the latest sessions: one overdue, one done, one still open.
    if last_group is not None:
        owner = last_group.supervisees.first()
        services.action_add(
            session=last_group,
            description=rng.choice(ACTIONS),
            owner=owner,
            due_on=today - timedelta(days=3),
            by=tm,
        )
        done = services.action_add(
            session=last_group,
            description=rng.choice(ACTIONS),
            owner=tm,
            due_on=today + timedelta(days=10),
            by=tm,
        )
        services.action_complete(action=done, by=tm)
        services.action_add(
            session=last_group,
            description=rng.choice(ACTIONS),
            owner=owner,
            due_on=today + timedelta(days=14),
            by=tm,
        )
