"""The demo communities' life: the timetable the residents' demo holds its groups by
(residents.demo.TIMETABLE), running for the past year, with every planned session
accounted for (held, as the group session recorded that day, or cancelled with a cause
where none was held); a constitution adopted a year ago and amended since; and the
community jobs, held by residents in turn. Skipped for a community that already has
a timetable."""

import random
from datetime import time, timedelta

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from dtc.models import Community, User
from residents.demo import TIMETABLE
from residents.models import GroupSession, Resident, SmallGroup

from . import services
from .models import CancellationCause, FilledBy, Majority, PlannedSession, StaffVote, TimetableSlot

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
        _constitution(community, tm, today)
        _jobs(community, tm, rng, today)
        stdout.write(
            f"Community: a year of timetable, constitution and jobs for {community.name}.\n"
        )
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


CLAUSES = [
    ("1", "No violence", "No violence or threats of violence, to anyone.", True),
    ("2", "No drugs", "No drugs or alcohol, and no medication not prescribed to you.", True),
    ("3", "No sex", "No sexual relationships on the community.", True),
    ("4", "Community meetings", "Every resident attends the community meetings.", False),
    (
        "5",
        "Feedback",
        "Residents bring concerns about each other to the group, not the landing.",
        False,
    ),
    ("6", "Commitment votes", "A resident's commitment is voted on after induction.", False),
]


def _constitution(community, tm, today):
    """Version 1 a year ago; version 2 three months ago, adding a clause on visits and
    counting staff votes separately."""
    first = [
        {"number": n, "title": t, "text": text, "is_core_rule": core}
        for n, t, text, core in CLAUSES
    ]
    rules = {
        "quorum_percent": 50,
        "majority": Majority.SIMPLE,
        "ratification_required_for": ["vote_out", "return_to_community"],
    }
    services.constitution_amend(
        community=community,
        clauses=first,
        staff_vote=StaffVote.NONE,
        in_force_from=today - timedelta(days=364),
        note="Adopted by the community.",
        by=tm,
        **rules,
    )
    services.constitution_amend(
        community=community,
        clauses=[
            *first,
            {
                "number": "7",
                "title": "Visits",
                "text": "Residents prepare for visits with their small group.",
                "is_core_rule": False,
            },
        ],
        staff_vote=StaffVote.SEPARATELY,
        in_force_from=today - timedelta(days=90),
        note="Clause 7 added and staff votes counted apart, carried by the community meeting.",
        by=tm,
        **rules,
    )


JOBS = [
    ("Chair", "Chairs the community meeting.", 6),
    ("Vice-chair", "Chairs the community meeting when the chair cannot.", 6),
    ("Secretary", "Takes the minutes of the community meeting.", 6),
    ("Induction buddy", "Welcomes new residents through their first weeks.", 3),
    ("Wing representative", "Speaks for the community to the prison's wing forum.", 6),
]


def _jobs(community, tm, rng, today):
    """Each job held in turn by current residents: a first holder who stood down three
    months ago, and the holder since (an induction buddy appointed by staff)."""
    residents = list(
        Resident.objects.current()
        .filter(
            community=community, is_restricted=False, admitted_on__lte=today - timedelta(days=280)
        )
        .order_by("admitted_on", "pk")
    )
    rng.shuffle(residents)
    changed = today - timedelta(days=91)
    # Two residents in turn for each job, as many jobs as there are residents long enough there.
    for n, (name, description, term) in enumerate(JOBS[: len(residents) // 2]):
        job = services.job_create(
            community=community, name=name, description=description, term_months=term, by=tm
        )
        filled_by = FilledBy.APPOINTED if name == "Induction buddy" else FilledBy.ELECTION
        earlier = services.job_holding_start(
            job=job,
            resident=residents[2 * n],
            from_on=changed - timedelta(days=180),
            filled_by=filled_by,
            by=tm,
        )
        services.job_holding_end(holding=earlier, to_on=changed - timedelta(days=1), by=tm)
        services.job_holding_start(
            job=job, resident=residents[2 * n + 1], from_on=changed, filled_by=filled_by, by=tm
        )
