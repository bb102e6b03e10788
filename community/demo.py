"""The demo communities' life: the timetable the residents' demo holds its groups by
(residents.demo.TIMETABLE), running for the past year, with every planned session
accounted for (held, as the group session recorded that day, or cancelled with a cause
where none was held); a constitution adopted a year ago and amended since; the
community jobs, held by residents in turn; the minutes of the last 13 weeks'
community meetings, with their agendas and motions (commitment votes, a vote-out the
Therapy Manager set aside and one ratified, whose leaving is recorded); and the staff
team's weekly meetings. Skipped for a community that already has a timetable."""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from dtc.models import Community, Role, RoleAssignment, User
from residents import services as resident_services
from residents.demo import TIMETABLE
from residents.models import (
    ClinicalDocument,
    DocumentStatus,
    GroupSession,
    Incident,
    IncidentKind,
    LeavingType,
    Resident,
    SmallGroup,
)

from . import selectors, services
from .models import (
    AgendaKind,
    CancellationCause,
    FilledBy,
    Majority,
    MeetingKind,
    Motion,
    MotionKind,
    PlannedSession,
    StaffVote,
    TimetableSlot,
)

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
        officer = User.objects.filter(username=f"officer.{community.name.lower()}").first() or tm
        _meetings(community, tm, officer, rng, today)
        _staff_meetings(community, tm, officer, today)
        stdout.write(
            f"Community: a year of timetable, constitution, jobs, community and staff "
            f"meetings for {community.name}.\n"
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


MEETING_WEEKS = 13
REQUESTS = [
    ("More time in the gym", "Taken to the wing forum by the wing representative."),
    ("A second kettle on the landing", "Agreed: the community buys one from its fund."),
    ("Films on Friday evenings", "Agreed for a month, then reviewed."),
    ("Quieter landing after lock-up", "Everyone agreed to keep music down after 8 pm."),
]
FEEDBACK = [
    "Raised that the washing-up rota is not kept; the community agreed to remind each other.",
    "Thanked the community for the support after a hard week.",
    "Said the small groups started late twice this week; staff will keep to the timetable.",
    "Asked residents to bring disagreements to the group rather than the landing.",
]


def _tally(rng, present: int) -> dict:
    """Votes of most of those present, nearly all for."""
    voting = max(1, round(present * rng.uniform(0.75, 0.9)))
    against = rng.randint(0, max(1, voting // 8))
    abstain = rng.randint(0, 2) if voting - against > 2 else 0
    return {
        "residents_for": voting - against - abstain,
        "residents_against": against,
        "residents_abstain": abstain,
    }


def _meetings(community, tm, officer, rng, today):
    """The minutes of the community meetings held in the last MEETING_WEEKS weeks."""
    sessions = list(
        GroupSession.objects.filter(
            community=community,
            group_type="community_meeting",
            held_on__gt=today - timedelta(weeks=MEETING_WEEKS),
        ).order_by("held_on", "pk")
    )
    if not sessions:
        return
    # The two vote-outs: one the Therapy Manager set aside five weeks ago, one ratified at
    # the last meeting. Residents long on the community, holding no job, not restricted,
    # with no report in hand (the one who leaves leaves his record complete).
    candidates = list(
        Resident.objects.current()
        .filter(community=community, is_restricted=False, job_holdings__isnull=True)
        .exclude(documents__in=ClinicalDocument.objects.exclude(status=DocumentStatus.SIGNED_OFF))
        .filter(admitted_on__lte=today - timedelta(weeks=20))
        .order_by("admitted_on", "pk")
    )
    if len(candidates) < 2:
        return
    set_aside_at = min(
        range(len(sessions)), key=lambda n: abs((today - sessions[n].held_on).days - 35)
    )
    voted_out = {set_aside_at: candidates[0], len(sessions) - 1: candidates[1]}
    for n, session in enumerate(sessions):
        day = session.held_on
        chairs = list(selectors.holders_on(community.pk, "Chair", day)[:1])
        vices = list(selectors.holders_on(community.pk, "Vice-chair", day)[:1])
        meeting = services.community_meeting_start(
            session=session,
            minute_taker=officer,
            chair=chairs[0] if chairs else None,
            chair_staff=None if chairs else tm,
            vice_chair=vices[0] if vices else None,
            by=officer,
        )
        # Read once for the day: how many could vote, and who may be named in the minutes
        # (a restricted resident is left out of them here).
        on_community = list(Resident.objects.filter(community=community).on_community_on(day))
        on_day = len(on_community)
        present = [r for r in on_community if not r.is_restricted]
        for newcomer in (r for r in present if r.admitted_on > day - timedelta(days=7)):
            services.agenda_item_add(
                meeting=meeting,
                kind=AgendaKind.WELCOME,
                title=f"Welcome to {newcomer.first_name}",
                minutes=f"{newcomer.first_name} introduced himself; his induction buddy "
                "will show him round the community this week.",
                raised_by_staff=officer,
                about=newcomer,
                by=officer,
            )
        raiser, feedback = rng.choice(present), rng.choice(FEEDBACK)
        services.agenda_item_add(
            meeting=meeting,
            kind=AgendaKind.FEEDBACK,
            title="Feedback",
            minutes=f"{raiser.first_name} {feedback[0].lower()}{feedback[1:]}",
            raised_by_resident=raiser,
            by=officer,
        )
        # The week's rule breaks are brought to the community, and its response minuted.
        for incident in Incident.objects.in_effect().filter(
            resident__in=present,
            kind=IncidentKind.RULE_BREAK,
            occurred_on__gt=day - timedelta(days=7),
            occurred_on__lte=day,
        ):
            name = incident.resident.first_name
            services.agenda_item_add(
                meeting=meeting,
                kind=AgendaKind.RULE_BREAK,
                title=f"{name}: a rule break on {incident.occurred_on:%-d %B}",
                minutes=f"Staff brought the rule break to the community. {name} explained "
                "what happened and residents gave him their feedback.",
                decision=f"{name} agreed to bring it to his small group this week.",
                raised_by_staff=officer,
                about=incident.resident,
                by=officer,
            )
        if n % 2 == 0:
            title, decision = REQUESTS[(n // 2) % len(REQUESTS)]
            services.agenda_item_add(
                meeting=meeting,
                kind=AgendaKind.REQUEST,
                title=title,
                minutes="The community discussed the request.",
                decision=decision,
                raised_by_resident=rng.choice(present),
                by=officer,
            )
        # Commitment votes for the residents six weeks in, after their induction (of
        # those still here: a left resident's record is closed to new entries).
        due = [
            r
            for r in present
            if r.left_on is None
            and day - timedelta(weeks=7) < r.admitted_on <= day - timedelta(weeks=6)
        ]
        for resident in due:
            services.agenda_item_add(
                meeting=meeting,
                kind=AgendaKind.VOTE,
                title=f"{resident.first_name}'s commitment vote",
                minutes=f"{resident.first_name} told the community what he wants from therapy; "
                "residents gave him feedback on his first weeks.",
                raised_by_staff=officer,
                about=resident,
                by=officer,
            )
            services.motion_record(
                community=community,
                kind=MotionKind.COMMITMENT_VOTE,
                held_on=day,
                resident=resident,
                meeting=meeting,
                **_tally(rng, on_day),
                **_staff_tally(community, day),
                by=officer,
            )
        if n in voted_out:
            _vote_out(community, meeting, voted_out[n], on_day, tm, officer, today)


def _staff_tally(community, day) -> dict:
    """Staff vote where the constitution in force says they do."""
    constitution = selectors.constitution_in_force(community, day)
    if constitution is None or constitution.staff_vote == StaffVote.NONE:
        return {}
    return {"staff_for": 3, "staff_against": 0, "staff_abstain": 1}


def _vote_out(community, meeting, resident, present, tm, officer, today):
    day = meeting.held_on
    services.agenda_item_add(
        meeting=meeting,
        kind=AgendaKind.RULE_BREAK,
        title=f"{resident.first_name}: threats on the landing",
        minutes=f"Residents said {resident.first_name} threatened another resident on the "
        "landing on Tuesday, breaking clause 1. He said he had been provoked.",
        decision="The community voted on whether he should leave.",
        raised_by_staff=officer,
        about=resident,
        by=officer,
    )
    against = max(1, present // 6)
    motion = services.motion_record(
        community=community,
        kind=MotionKind.VOTE_OUT,
        held_on=day,
        resident=resident,
        meeting=meeting,
        residents_for=present - against - 2,
        residents_against=against,
        residents_abstain=2,
        **_staff_tally(community, day),
        notes="A vote on a breach of a core rule (clause 1).",
        by=officer,
    )
    decided_at = timezone.make_aware(datetime.combine(day + timedelta(days=1), time(11)))
    if day < today - timedelta(days=7):
        motion = services.motion_set_aside(
            motion=motion,
            reason="The threat was verbal and he has owned it; the team holds him to a "
            "behaviour agreement for four weeks, reviewed at the clinical meeting.",
            by=tm,
        )
    else:
        motion = services.motion_ratify(motion=motion, by=tm)
        decided_at = timezone.now()
        resident_services.resident_leave(
            resident=resident,
            leaving_type=LeavingType.VOTED_OUT,
            left_on=today,
            reason="Voted out by the community meeting for threats on the landing (clause 1); "
            "the vote was ratified by the Therapy Manager.",
            by=tm,
        )
    # The decision's day, as it was taken (the service stamps the time of writing).
    Motion.objects.filter(pk=motion.pk).update(ratified_at=decided_at)


def _staff_meetings(community, tm, officer, today):
    """The staff team's weekly meeting over the last 12 weeks (one missed, in a week of
    staff shortage), minuted, with the residents discussed and an action each."""
    team = list(
        User.objects.filter(
            pk__in=RoleAssignment.objects.active()
            .filter(community=community)
            .exclude(role=Role.AUDITOR)
            .values("user")
        )
    )
    rng = random.Random(community.pk)  # noqa: S311 - repeatable demo data, not security
    monday = selectors.week_of(today)
    for weeks_ago in range(12, 0, -1):
        if weeks_ago == 7:
            continue
        day = monday - timedelta(weeks=weeks_ago) + timedelta(days=2)  # Wednesdays
        meeting = services.staff_meeting_record(
            community=community,
            kind=MeetingKind.STAFF_TEAM,
            held_on=day,
            start_time=time(13),
            duration_minutes=60,
            staff_present=team,
            minutes="The week on the community: the groups, the landing, the referrals "
            "coming up and the residents the team is concerned about.",
            by=tm,
        )
        residents = list(
            Resident.objects.filter(community=community, is_restricted=False).on_community_on(day)
        )
        if residents:
            discussed = rng.choice(residents)
            services.staff_meeting_resident_discussed(
                meeting=meeting,
                resident=discussed,
                notes="Settling in on the landing; the team keeps an eye on his sleep.",
                by=tm,
            )
        action = services.staff_meeting_action_add(
            meeting=meeting,
            description="Update the wing staff on the residents discussed",
            owner=officer,
            due_on=day + timedelta(days=7),
            by=tm,
        )
        if weeks_ago > 1:
            services.staff_meeting_action_complete(action=action, by=officer)
