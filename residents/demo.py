"""A year of synthetic resident records: about 25 residents per community (counting
any that admitted referrals created), weekly groups with registers, plans, reviews,
documents and some leavers. Deterministic, and skipped for a community that already
has group sessions. Names are made up; prison numbers are in NOMIS format."""

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
    GroupSession,
    IncidentKind,
    LeavingType,
    Phase,
    Resident,
    ReviewOutcome,
    TreatmentPlan,
    add_months,
)

TARGET = 25
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


def _seed_community(community, people, rng, today, index):
    tm, clinician = people["tm"], people["clinician"]
    existing = Resident.objects.filter(community=community).count()
    for n in range(max(0, TARGET - existing)):
        admitted_on = today - timedelta(days=rng.randint(20, 600))
        Resident.objects.create(
            community=community,
            prison_number=f"{'ABCD'[index % 4]}{1000 + index * 100 + n:04d}{rng.choice('EFGHJK')}{rng.choice('LMNPRS')}",
            first_name=rng.choice(FIRST),
            last_name=rng.choice(LAST),
            date_of_birth=today - timedelta(days=rng.randint(22 * 365, 55 * 365)),
            admitted_on=admitted_on,
            next_review_on=add_months(admitted_on, community.review_interval_months),
            phase=Phase.TREATMENT,
        )
    residents = list(Resident.objects.filter(community=community).current())
    # Five leavers among the longest stays, over the last six months, each on a different
    # path; none attends a group after the day they left.
    leaving = {
        resident.pk: (today - timedelta(days=days_ago), leaving_type)
        for resident, days_ago, leaving_type in zip(
            sorted(residents, key=lambda r: (r.admitted_on, r.pk))[:5],
            [5, 30, 70, 110, 150],
            [
                LeavingType.COMPLETED,
                LeavingType.SELF_DESELECTED,
                LeavingType.RULE_BREACH,
                LeavingType.TRANSFERRED_OTHER,
                LeavingType.VOTED_OUT,
            ],
            strict=False,
        )
    }
    for resident in residents:
        services.resident_allocate(
            resident=resident,
            key_worker=rng.choice([clinician, people["officer"], tm]),
            small_group=rng.choice(GROUPS),
            by=tm,
        )
    # A year of weekly small groups and community meetings, with registers.
    attendance = []
    taken = []
    for week in range(52):
        for group_type, small_group, minutes in [("community_meeting", "", 60)] + [
            ("small_group", g, 90) for g in GROUPS
        ]:
            held_on = today - timedelta(weeks=week, days=rng.randint(0, 4))
            session = services.session_record(
                community=community,
                group_type=group_type,
                small_group=small_group,
                held_on=held_on,
                duration_minutes=minutes,
                facilitators=[clinician, people["officer"]],
                by=tm,
            )
            if held_on == today:
                continue  # today's registers are still to be taken
            session.register_taken_at = datetime.combine(held_on, time(17), tzinfo=UTC)
            session.register_taken_by = clinician
            taken.append(session)
            for resident in residents:
                if (
                    resident.admitted_on > held_on
                    or (small_group and resident.small_group != small_group)
                    or (resident.pk in leaving and leaving[resident.pk][0] < held_on)
                ):
                    continue
                status = rng.choices(
                    [AttendanceStatus.PRESENT, AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED],
                    [85, 10, 5],
                )[0]
                attendance.append(
                    Attendance(
                        session=session,
                        resident=resident,
                        status=status,
                        reason=rng.choice(EXCUSES) if status == AttendanceStatus.EXCUSED else "",
                        recorded_by=clinician,
                    )
                )
    bulk_create_with_history(attendance, Attendance, default_user=clinician)
    bulk_update_with_history(
        taken, GroupSession, ["register_taken_at", "register_taken_by"], default_user=clinician
    )
    for number, resident in enumerate(residents):
        plan = services.plan_start(
            resident=resident,
            expected_weekly_hours=Decimal(rng.choice(["6.0", "7.5", "9.0"])),
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
        services.goal_add(
            plan=plan,
            need_area="relationships",
            description="Ask for help from peers and staff",
            interventions=["community_meeting"],
            by=clinician,
        )
        services.plan_sign_off(plan=plan, by=tm)
        last_day = leaving[resident.pk][0] if resident.pk in leaving else today
        # Dated as if written in the first weeks of the stay, not on the seeding day, so a
        # leaver's journey does not show a plan signed off after leaving.
        drafted_on = min(resident.admitted_on + timedelta(days=14), last_day)
        signed_on = min(resident.admitted_on + timedelta(days=21), last_day)
        TreatmentPlan.objects.filter(pk=plan.pk).update(
            created_at=at_ten(drafted_on), signed_off_at=at_ten(signed_on)
        )
        if (last_day - resident.admitted_on).days > 200 and resident.next_review_on <= last_day:
            services.review_complete(
                resident=resident,
                held_on=resident.next_review_on,
                outcome=ReviewOutcome.CONTINUE,
                summary="Engaging; starting to bring conflict to group.",
                by=clinician,
            )
        document = services.document_draft(
            resident=resident,
            kind=rng.choice(["case_note", "sentence_plan", "risk_report"]),
            title="Progress in small group",
            body="Has begun to reflect on his offending in group.",
            due_on=min(today + timedelta(days=rng.randint(-10, 30)), last_day),
            by=clinician,
        )
        if number % 3 == 0:
            services.document_submit(document=document, by=clinician)
            services.document_sign_off(document=document, by=tm)
        if number % 8 == 0:
            services.incident_record(
                resident=resident,
                occurred_on=today - timedelta(days=rng.randint(1, 90)),
                kind=IncidentKind.RULE_BREAK,
                seriousness="low",
                description="Missed two community meetings without explanation.",
                by=people["officer"],
            )
    for resident in residents:
        if resident.pk not in leaving:
            continue
        left_on, leaving_type = leaving[resident.pk]
        left_on = max(left_on, resident.admitted_on)
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
