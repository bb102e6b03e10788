"""Synthetic resident records: each community about nine beds in ten full (counting
anyone admitted from a referral), with the residents who held those beds over the
past nineteen months and left; a year of the weekly timetable with registers (today's
left to take); plans, reviews held when due, documents and incidents. Deterministic,
and skipped for a community that already has group sessions. Names are made up;
prison numbers are in NOMIS format."""

import random
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from dtc.models import Community, User

from . import services
from .models import (
    Attendance,
    AttendanceStatus,
    ClinicalDocument,
    GroupSession,
    IncidentKind,
    LeavingType,
    Phase,
    Resident,
    ReviewOutcome,
    TreatmentPlan,
    add_months,
)

# The share of each community's beds in use, so occupancy sits near its 90% target
# (Dove a little under), and the share of groups a resident attends, so dosage sits
# near six hours a week (Dove's a little under).
OCCUPIED = {"Avon": 0.93, "Brook": 0.94, "Cedar": 0.92, "Dove": 0.87}
# 7.5 timetabled hours, less the sessions not held (NOT_HELD), times the share attended.
PRESENT = {"Avon": 0.89, "Brook": 0.9, "Cedar": 0.88, "Dove": 0.76}
# The weekly timetable, 7.5 hours for every resident: (weekday, group type, one per
# small group?, minutes).
TIMETABLE = [
    (0, "community_meeting", False, 60),
    (0, "psychodrama", False, 90),
    (1, "small_group", True, 90),
    (2, "community_meeting", False, 60),
    (3, "small_group", True, 90),
    (4, "community_meeting", False, 60),
]
# How long a bed stands empty between one resident and the next, in days: short enough
# that occupancy over a past month stays near the share of beds in use today.
EMPTY_DAYS = (2, 10)
# The share of timetabled sessions that do not happen (lockdowns, staff shortages, …).
NOT_HELD = 0.06
# How stays end: (weight, shortest and longest stay in days, ways of leaving). The
# weights put retention at 3, 6, 12 and 18 months near their targets (85, 75, 60, 50%);
# the last row completes after the minimum stay.
STAYS = [
    (13, 10, 85, [LeavingType.SELF_DESELECTED, LeavingType.RULE_BREACH, LeavingType.VOTED_OUT]),
    (
        10,
        95,
        180,
        [LeavingType.SELF_DESELECTED, LeavingType.VOTED_OUT, LeavingType.TRANSFERRED_SECURITY],
    ),
    (14, 185, 360, [LeavingType.RULE_BREACH, LeavingType.TRANSFERRED_OTHER, LeavingType.RELEASED]),
    (10, 370, 540, [LeavingType.RELEASED, LeavingType.TRANSFERRED_OTHER]),
    (53, 555, 680, [LeavingType.COMPLETED]),
]
ASSESSMENT_DAYS = 84  # about twelve weeks of assessment and induction
LEAVING_DAYS = 456  # leaving preparation from about fifteen months
FIRST = [
    "Aaron",
    "Ben",
    "Carl",
    "Dean",
    "Eli",
    "Finn",
    "Gary",
    "Hugo",
    "Ian",
    "Jack",
    "Kyle",
    "Liam",
    "Mark",
]
LAST = [
    "Ashby",
    "Brennan",
    "Colley",
    "Dorsey",
    "Eade",
    "Farrow",
    "Gault",
    "Hebden",
    "Ingle",
    "Jessop",
]
GROUPS = ["Group 1", "Group 2", "Group 3"]
# What staff write about a resident's life outside, in his plan's goals and his reviews:
# family first names, nicknames, officers by surname, home towns, phone numbers,
# postcodes. None of them is a name the service holds, so only the case-study redaction's
# detection can take them out; the leak test (tests/audit/test_case_study_leaks.py)
# reads PLANTED and checks that none comes through. All made up (the phone numbers are
# in the ranges kept for drama).
FAMILY = [
    ("mother", "Janet"),
    ("partner", "Stacey"),
    ("brother", "Reece"),
    ("nan", "Eileen"),
    ("daughter", "Lily-Mae"),
    ("sister", "Shannon"),
    ("uncle", "Clive"),
]
NICKNAMES = ["Tiny", "Smiler", "Scouse", "Bones", "Chalky"]
OFFICERS = ["Pike", "Barker", "Whitlock", "Greenhalgh"]
HOME_TOWNS = ["Swindon", "Barnsley", "Rochdale", "Kettering", "Nuneaton", "Grimsby"]
PHONES = ["07700 900123", "01632 960441", "0113 496 0582", "+44 7700 900562"]
POSTCODES = ["SN2 7QL", "S70 2HX", "OL8 4BU", "NN16 8AB", "DN31 1HU"]
PLANTED = (
    *(name for _, name in FAMILY),
    *NICKNAMES,
    *OFFICERS,
    *HOME_TOWNS,
    *PHONES,
    *POSTCODES,
)


def _pick(values, n):
    return values[n % len(values)]


def life_outside(n: int) -> dict[str, str]:
    """The people and places of the nth resident's life outside, from the lists above."""
    relation, name = _pick(FAMILY, n)
    return {
        "relation": relation,
        "name": name,
        "nickname": _pick(NICKNAMES, n),
        "officer": _pick(OFFICERS, n),
        "town": _pick(HOME_TOWNS, n),
        "phone": _pick(PHONES, n),
        "postcode": _pick(POSTCODES, n),
    }


# A review summary for each review in turn, in the words staff use.
REVIEW_SUMMARIES = [
    "Engaging; starting to bring conflict to group. His {relation} {name} rang the wing on "
    "{phone} and he spoke about the call in small group.",
    'Engaging; the residents call him "{nickname}" and he asked the community to use his '
    "name. Officer {officer} noted he was calmer on the landing.",
    "Engaging; starting to bring conflict to group. He plans to return to {town} on "
    "release, to his {relation}'s address ({postcode}).",
]
# Why an absence was excused, as the register records it.
EXCUSES = ["Legal visit", "Healthcare appointment", "Education exam", "Family visit"]


def at_ten(day):
    """Ten in the morning of `day`, in the service's time zone."""
    return timezone.make_aware(datetime.combine(day, time(10)))


def seed(stdout) -> list[tuple[str, str]]:
    today = timezone.localdate()
    for index, community in enumerate(Community.objects.order_by("pk")):
        if GroupSession.objects.filter(community=community).exists():
            continue
        name = community.name.lower()
        people = {
            s: User.objects.filter(username=f"{s}.{name}").first()
            for s in ("tm", "clinician", "officer", "trainee")
        }
        if not all(people.values()):
            continue
        rng = random.Random(2000 + index)  # noqa: S311 - repeatable demo data, not security
        _seed_community(community, people, rng, today, index)
        stdout.write(f"Residents: a year of records for {community.name}.\n")
    return []


def _stays(rng, today, slots, current):
    """(admitted_on, left_on, leaving type) of everyone who held one of the `slots`
    beds over the past nineteen months: each bed's current resident (those already
    admitted from referrals first), and before them the residents who left it, a
    few days apart (EMPTY_DAYS). The stays follow STAYS, so retention and leaving add up."""
    cutoff = today - timedelta(days=580)
    stays = []
    for slot in range(slots):
        if slot < len(current):
            admitted_on = current[slot]
        else:
            # How long the bed's resident has been there: a stay drawn as long stays are
            # met on a visit (in proportion to their length), and a day within it.
            _weight, shortest, longest, _types = rng.choices(
                STAYS, [row[0] * (row[1] + row[2]) for row in STAYS]
            )[0]
            admitted_on = today - timedelta(days=rng.randint(3, rng.randint(shortest, longest)))
            stays.append((admitted_on, None, ""))
        end = admitted_on - timedelta(days=rng.randint(*EMPTY_DAYS))
        while end > cutoff:
            _weight, shortest, longest, types = rng.choices(STAYS, [row[0] for row in STAYS])[0]
            start = end - timedelta(days=rng.randint(shortest, longest))
            stays.append((start, end, rng.choice(types)))
            end = start - timedelta(days=rng.randint(*EMPTY_DAYS))
    return stays


def _phase(admitted_on, today):
    days = (today - admitted_on).days
    if days < ASSESSMENT_DAYS:
        return Phase.ASSESSMENT
    return Phase.LEAVING if days >= LEAVING_DAYS else Phase.TREATMENT


def _seed_community(community, people, rng, today, index):
    tm, clinician = people["tm"], people["clinician"]
    interval = community.review_interval_months
    admitted = list(Resident.objects.filter(community=community).current().order_by("pk"))
    for resident in admitted:
        if _phase(resident.admitted_on, today) != Phase.ASSESSMENT:
            services.resident_phase_change(resident=resident, phase=Phase.TREATMENT, by=tm)
    slots = round(community.capacity * OCCUPIED.get(community.name, 0.9))
    leaving = {}
    for n, (admitted_on, left_on, leaving_type) in enumerate(
        sorted(
            _stays(rng, today, slots, [r.admitted_on for r in admitted]),
            key=lambda stay: stay[0],
        )
    ):
        resident = Resident.objects.create(
            community=community,
            prison_number=f"{'ABCD'[index % 4]}{1000 + index * 1000 + n:04d}{rng.choice('EFGHJK')}{rng.choice('LMNPRS')}",
            first_name=rng.choice(FIRST),
            last_name=rng.choice(LAST),
            date_of_birth=today - timedelta(days=rng.randint(22 * 365, 55 * 365)),
            admitted_on=admitted_on,
            next_review_on=add_months(admitted_on, interval),
            phase=_phase(admitted_on, left_on or today),
        )
        if left_on:
            leaving[resident.pk] = (left_on, leaving_type)
    residents = list(Resident.objects.filter(community=community).current().order_by("pk"))
    groups = {
        name: services.small_group_create(
            community=community,
            name=name,
            facilitators=[clinician, people["trainee"] if n % 2 else tm],
            by=tm,
        )
        for n, name in enumerate(GROUPS)
    }
    in_group = {}
    for resident in residents:
        services.resident_allocate(
            resident=resident,
            key_worker=rng.choice([clinician, people["officer"], tm]),
            small_group=None,
            by=tm,
        )
        # In their small group from admission, so past registers read it as it was.
        in_group[resident.pk] = groups[GROUPS[resident.pk % len(GROUPS)]]
        services.small_group_join(
            resident=resident, group=in_group[resident.pk], joined_on=resident.admitted_on, by=tm
        )
    _groups(community, people, residents, leaving, rng, today, groups, in_group)
    # Two or three current residents have a document a few days overdue.
    current = [r for r in residents if r.pk not in leaving]
    late = {current[n].pk for n in (3, 10, 17)[: 2 + index % 2] if n < len(current)}
    for number, resident in enumerate(residents):
        last_day = leaving[resident.pk][0] if resident.pk in leaving else today
        plan = services.plan_start(
            resident=resident,
            expected_weekly_hours=Decimal(rng.choice(["6.0", "6.0", "7.5"])),
            review_on=resident.next_review_on,
            formulation="Violence in the context of perceived disrespect; mistrust of authority.",
            by=clinician,
        )
        services.goal_add(
            plan=plan,
            need_area="violence",
            description="Notice and name anger before acting on it",
            interventions=["small_group", "psychodrama"],
            by=clinician,
        )
        outside = life_outside(number)
        services.goal_add(
            plan=plan,
            need_area="relationships",
            description=(
                "Ask for help from peers and staff; rebuild contact with his "
                f"{outside['relation']} {outside['name']}, who lives in {outside['town']}"
            ),
            interventions=["community_meeting"],
            by=clinician,
        )
        services.plan_sign_off(plan=plan, by=tm)
        # Dated as if written in the first weeks of the stay, not on the seeding day, so a
        # leaver's journey does not show a plan signed off after leaving.
        drafted_on = min(resident.admitted_on + timedelta(days=14), last_day)
        signed_on = min(resident.admitted_on + timedelta(days=21), last_day)
        TreatmentPlan.objects.filter(pk=plan.pk).update(
            created_at=at_ten(drafted_on), signed_off_at=at_ten(signed_on)
        )
        _reviews(resident, last_day, today, rng, clinician, outside)
        _documents(resident, last_day, today, rng, clinician, tm, late=resident.pk in late)
        if number % 8 == 0:
            stay = (last_day - resident.admitted_on).days
            services.incident_record(
                resident=resident,
                occurred_on=last_day - timedelta(days=rng.randint(0, min(stay, 90))),
                kind=IncidentKind.RULE_BREAK,
                seriousness="low",
                description="Missed two community meetings without explanation.",
                by=people["officer"],
            )
    for resident in residents:
        if resident.pk not in leaving:
            continue
        left_on, leaving_type = leaving[resident.pk]
        if leaving_type == LeavingType.COMPLETED and left_on < resident.minimum_stay_ends_on():
            leaving_type = LeavingType.RELEASED  # not long enough to complete
        services.resident_leave(
            resident=resident,
            leaving_type=leaving_type,
            left_on=left_on,
            reason="Demo leaver",
            by=tm,
        )
    if index == 0:
        # One high-profile resident, restricted to the Therapy Manager and the clinician
        # (his referrals follow him): the rest of the team does not see him at all.
        restricted = (
            Resident.objects.current()
            .filter(community=community, referral__isnull=False)
            .exclude(pk__in=leaving)
            .order_by("pk")
            .first()
        )
        if restricted:
            services.resident_restrict(
                resident=restricted,
                staff=[clinician],
                reason="High-profile case: named staff only",
                by=tm,
            )


def _groups(community, people, residents, leaving, rng, today, groups, in_group):
    """A year of the weekly timetable with registers, except today's groups: their
    registers are for the staff to take."""
    staff = [people[s] for s in ("clinician", "officer", "trainee", "tm")]
    present = PRESENT.get(community.name, 0.85)
    stays = [
        (
            resident,
            resident.admitted_on,
            leaving[resident.pk][0] if resident.pk in leaving else today,
        )
        for resident in residents
    ]
    monday = today - timedelta(days=today.weekday())
    attendance = []
    taken = []
    for week in range(52, -1, -1):
        for weekday, group_type, per_group, minutes in TIMETABLE:
            held_on = monday - timedelta(weeks=week) + timedelta(days=weekday)
            if held_on > today or held_on <= today - timedelta(days=365):
                continue
            for small_group in groups.values() if per_group else [None]:
                if held_on < today and rng.random() < NOT_HELD:
                    continue  # cancelled: the timetable (community.demo) says why
                session = services.session_record(
                    community=community,
                    group_type=group_type,
                    small_group=small_group,
                    held_on=held_on,
                    duration_minutes=minutes,
                    facilitators=rng.sample(staff, 2),
                    by=people["tm"],
                )
                if held_on == today:
                    continue  # today's registers are still to be taken
                session.register_taken_at = datetime.combine(held_on, time(17), tzinfo=UTC)
                session.register_taken_by = people["clinician"]
                taken.append(session)
                for resident, first, last in stays:
                    if not first <= held_on <= last or (
                        small_group and in_group.get(resident.pk) != small_group
                    ):
                        continue
                    if rng.random() < present:
                        status = AttendanceStatus.PRESENT
                    else:
                        status = rng.choice(
                            [AttendanceStatus.ABSENT] * 3 + [AttendanceStatus.EXCUSED] * 2
                        )
                    attendance.append(
                        Attendance(
                            session=session,
                            resident=resident,
                            status=status,
                            reason=rng.choice(EXCUSES)
                            if status == AttendanceStatus.EXCUSED
                            else "",
                            recorded_by=people["clinician"],
                        )
                    )
    bulk_create_with_history(attendance, Attendance, default_user=people["clinician"])
    bulk_update_with_history(
        taken,
        GroupSession,
        ["register_taken_at", "register_taken_by"],
        default_user=people["clinician"],
    )


def _reviews(resident, last_day, today, rng, by, outside):
    """Each review held within a week of its due date while the resident was there;
    about one current resident in nine with the latest, due in the last few weeks (ten
    days a month of the interval), still to hold."""
    interval = resident.community.review_interval_months
    held = 0
    while resident.next_review_on <= last_day:
        due = resident.next_review_on
        recent = due > today - timedelta(days=10 * interval)
        if last_day == today and recent and add_months(due, interval) > today:
            if rng.random() < 0.35:
                return
        held_on = max(min(due + timedelta(days=rng.randint(-7, 4)), last_day), resident.admitted_on)
        services.review_complete(
            resident=resident,
            held_on=held_on,
            outcome=ReviewOutcome.CONTINUE,
            summary=_pick(REVIEW_SUMMARIES, held).format(**outside),
            by=by,
        )
        held += 1
        resident.refresh_from_db()


def _documents(resident, last_day, today, rng, clinician, tm, *, late):
    """A report signed off on time during the stay (every leaver's is), and for each
    current resident one in hand, due in the coming month or, for a few, a few days
    overdue."""
    stay = (last_day - resident.admitted_on).days
    kinds = ["case_note", "sentence_plan", "risk_report"]
    if stay > 45:
        due_on = resident.admitted_on + timedelta(days=rng.randint(40, stay))
        document = services.document_draft(
            resident=resident,
            kind=rng.choice(kinds),
            title="Progress in small group",
            body="Has begun to reflect on his offending in group.",
            due_on=due_on,
            by=clinician,
        )
        services.document_submit(document=document, by=clinician)
        services.document_sign_off(document=document, by=tm)
        signed_on = due_on - timedelta(days=rng.randint(0, 3))
        ClinicalDocument.objects.filter(pk=document.pk).update(
            created_at=at_ten(due_on - timedelta(days=21)),
            submitted_at=at_ten(signed_on - timedelta(days=2)),
            signed_off_at=at_ten(signed_on),
        )
    if last_day != today:
        return
    due_on = (
        today - timedelta(days=rng.randint(1, 6))
        if late
        else today + timedelta(days=rng.randint(3, 30))
    )
    document = services.document_draft(
        resident=resident,
        kind=rng.choice(kinds),
        title="Quarterly progress report",
        body="Draft: attendance good; working on trust in small group.",
        due_on=due_on,
        by=clinician,
    )
    if resident.pk % 3 == 0 and not late:
        services.document_submit(document=document, by=clinician)
