"""The residents of a large synthetic estate (`manage.py seed_scale`): current and past
residents admitted over three years, their plans, reviews and risk, weekly groups
with registers, and clinical documents with due dates (some overdue)."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from dtc.models import Role
from dtc.scale import FIRST_NAMES, LAST_NAMES, Estate, Team

from .models import (
    AcctPeriod,
    Attendance,
    AttendanceStatus,
    ClinicalDocument,
    DocumentKind,
    DocumentStatus,
    GroupSession,
    Incident,
    Intervention,
    LeavingType,
    NeedArea,
    Phase,
    PlanGoal,
    PlanStatus,
    ResidentAccess,
    ReviewOutcome,
    RiskAssessment,
    SmallGroup,
    SmallGroupMembership,
    TherapyReview,
    TreatmentPlan,
    add_months,
)
from .models import Resident as ResidentModel

SMALL_GROUP_SIZE = 12
EARLY_LEAVING = {
    LeavingType.VOTED_OUT: 15,
    LeavingType.RULE_BREACH: 20,
    LeavingType.SELF_DESELECTED: 30,
    LeavingType.TRANSFERRED_SECURITY: 10,
    LeavingType.TRANSFERRED_OTHER: 10,
    LeavingType.RELEASED: 10,
    LeavingType.OTHER: 5,
}
TITLES = {
    DocumentKind.GROUP_RECORD: "Small group record",
    DocumentKind.CASE_NOTE: "Case note",
    DocumentKind.SENTENCE_PLAN: "Sentence plan contribution",
    DocumentKind.PAROLE_REPORT: "Parole report",
    DocumentKind.RISK_REPORT: "Risk report",
    DocumentKind.CASE_REVIEW: "Case review",
}
BODY = (
    "Has begun to bring conflict with peers to small group rather than acting on it. "
    "Reflected on the link between feeling disrespected and past violence."
)


@dataclass(slots=True)
class Resident:
    """What later parts of the load need to know of a resident."""

    pk: int
    prison_number: str
    first_name: str
    last_name: str
    date_of_birth: date
    admitted_on: date
    left_on: date | None
    small_group: int  # the SmallGroup's id
    key_worker: int

    def present_on(self, day: date) -> bool:
        return self.admitted_on <= day and (self.left_on is None or self.left_on > day)

    @property
    def last_day(self) -> date:
        return self.left_on or date.max


def seed(estate: Estate) -> None:
    for team, current, past, attendance, documents in zip(
        estate.teams,
        estate.per_team("current_residents"),
        estate.per_team("past_residents"),
        estate.per_team("attendance"),
        estate.per_team("documents"),
        strict=True,
    ):
        _residents(estate, team, current, past)
        _groups(estate, team, attendance)
        _documents(estate, team, documents)


def _residents(estate: Estate, team: Team, current: int, past: int) -> None:
    rng, load, today = estate.rng, estate.load, estate.today
    team.small_groups = {}
    for n in range(1, max(1, round(current / SMALL_GROUP_SIZE)) + 1):
        group = team.small_groups[f"Group {n}"] = load.id(SmallGroup)
        load.add(SmallGroup, id=group, community_id=team.pk, name=f"Group {n}")
        for user_id in {team.tm, rng.choice(team.staff[Role.CLINICIAN])}:
            load.add(SmallGroup.facilitators.through, smallgroup_id=group, user_id=user_id)
    key_workers = team.staff[Role.CLINICIAN] + team.staff[Role.OFFICER] + [team.tm]
    minimum_stay = team.minimum_stay_months * 365 // 12
    for number in range(current + past):
        if number < current:
            admitted_on = estate.days_ago(rng.randint(1, 730))
            left_on, leaving_type = None, ""
            days_in = (today - admitted_on).days
            if days_in < 56:
                phase = Phase.ASSESSMENT
            elif days_in > 500 and rng.random() < 0.4:
                phase = Phase.LEAVING
            else:
                phase = Phase.TREATMENT
        else:
            admitted_on = estate.days_ago(rng.randint(60, 365 * estate.years))
            completes = rng.random() < 0.3
            stay = (
                rng.randint(minimum_stay, minimum_stay + 180) if completes else rng.randint(14, 500)
            )
            left_on = min(admitted_on + timedelta(days=stay), estate.days_ago(rng.randint(1, 30)))
            left_on = max(left_on, admitted_on + timedelta(days=7))
            phase = Phase.LEFT
            if (left_on - admitted_on).days >= minimum_stay:
                leaving_type = rng.choices([LeavingType.COMPLETED, LeavingType.RELEASED], [85, 15])[
                    0
                ]
            else:
                leaving_type = rng.choices(list(EARLY_LEAVING), list(EARLY_LEAVING.values()))[0]
        resident = Resident(
            pk=load.id(ResidentModel),
            prison_number=estate.next_prison_number(),
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            date_of_birth=estate.days_ago(rng.randint(21 * 365, 60 * 365)),
            admitted_on=admitted_on,
            left_on=left_on,
            small_group=rng.choice(list(team.small_groups.values())),
            key_worker=rng.choice(key_workers),
        )
        team.residents.append(resident)
        # In their small group for the whole stay: the registers read it by the day.
        load.add(
            SmallGroupMembership,
            id=load.id(SmallGroupMembership),
            group_id=resident.small_group,
            resident_id=resident.pk,
            joined_on=admitted_on,
            left_on=left_on,
        )
        reviews_held = _reviews(estate, team, resident)
        if left_on is None and reviews_held and rng.random() < 0.1:
            reviews_held -= 1  # one review in ten not yet held: overdue
        restricted = left_on is None and rng.random() < 0.01
        load.add(
            ResidentModel,
            id=resident.pk,
            community_id=team.pk,
            prison_number=resident.prison_number,
            first_name=resident.first_name,
            last_name=resident.last_name,
            date_of_birth=resident.date_of_birth,
            phase=phase,
            admitted_on=admitted_on,
            left_on=left_on,
            key_worker_id=resident.key_worker,
            next_review_on=add_months(
                admitted_on, team.review_interval_months * (reviews_held + 1)
            ),
            leaving_type=leaving_type,
            leaving_reason="Synthetic leaver." if left_on else "",
            is_restricted=restricted,
        )
        if restricted:
            for user_id in {team.tm, resident.key_worker}:
                load.add(
                    ResidentAccess,
                    id=load.id(ResidentAccess),
                    resident_id=resident.pk,
                    user_id=user_id,
                    granted_by_id=team.tm,
                )
        _record(estate, team, resident)


def _reviews(estate: Estate, team: Team, resident: Resident) -> int:
    """Therapy reviews held at the community's interval while the resident was there;
    returns how many."""
    rng, load = estate.rng, estate.load
    end = min(resident.last_day, estate.today)
    held = 0
    while True:
        due_on = add_months(resident.admitted_on, team.review_interval_months * (held + 1))
        if due_on > end:
            return held
        held += 1
        load.add(
            TherapyReview,
            id=load.id(TherapyReview),
            resident_id=resident.pk,
            due_on=due_on,
            held_on=min(due_on + timedelta(days=rng.randint(-5, 10)), end),
            outcome=rng.choices(list(ReviewOutcome), [80, 10, 7, 3])[0],
            summary="Engaging in small group; beginning to link feelings to past offending.",
            recorded_by_id=resident.key_worker,
        )


def _record(estate: Estate, team: Team, resident: Resident) -> None:
    """A signed-off treatment plan with two goals, a risk assessment, and for some an
    incident or an open ACCT."""
    rng, load = estate.rng, estate.load
    clinician = rng.choice(team.staff[Role.CLINICIAN])
    end = min(resident.last_day, estate.today)
    planned_on = min(resident.admitted_on + timedelta(days=14), end)
    plan = load.id(TreatmentPlan)
    load.add(
        TreatmentPlan,
        id=plan,
        resident_id=resident.pk,
        version=1,
        status=PlanStatus.SIGNED_OFF,
        formulation="Violence in the context of perceived disrespect; mistrust of authority.",
        expected_weekly_hours=Decimal(rng.choice(["6.0", "7.5", "9.0"])),
        review_on=add_months(resident.admitted_on, team.review_interval_months),
        created_by_id=clinician,
        created_at=estate.at(planned_on),
        signed_off_by_id=team.tm,
        signed_off_at=estate.at(planned_on, hour=15),
    )
    for need_area, description, interventions in (
        (
            NeedArea.VIOLENCE,
            "Notice and name anger before acting on it",
            [Intervention.SMALL_GROUP],
        ),
        (
            NeedArea.RELATIONSHIPS,
            "Ask for help from peers and staff",
            [Intervention.COMMUNITY_MEETING, Intervention.CREATIVE_THERAPY],
        ),
    ):
        load.add(
            PlanGoal,
            id=load.id(PlanGoal),
            plan_id=plan,
            need_area=need_area,
            description=description,
            interventions=[str(i) for i in interventions],
        )
    load.add(
        RiskAssessment,
        id=load.id(RiskAssessment),
        resident_id=resident.pk,
        assessed_on=min(resident.admitted_on + timedelta(days=30), end),
        level=rng.choices(["low", "medium", "high", "very_high"], [15, 45, 30, 10])[0],
        narrative="Risk of violence reduced in custody; triggers understood but untested.",
        assessed_by_id=clinician,
    )
    if rng.random() < 0.3:
        span = max(0, (end - resident.admitted_on).days)
        load.add(
            Incident,
            id=load.id(Incident),
            resident_id=resident.pk,
            occurred_on=resident.admitted_on + timedelta(days=rng.randint(0, span)),
            kind=rng.choice(["incident", "rule_break"]),
            seriousness=rng.choices(["low", "moderate", "serious"], [70, 25, 5])[0],
            description="Raised voice at a peer in the community meeting; repaired next day.",
            recorded_by_id=rng.choice(team.staff[Role.OFFICER]),
        )
    if resident.left_on is None and rng.random() < 0.02:
        load.add(
            AcctPeriod,
            id=load.id(AcctPeriod),
            resident_id=resident.pk,
            opened_on=estate.days_ago(rng.randint(1, 20)),
            reason="Expressed thoughts of self-harm after bad news from home.",
            opened_by_id=rng.choice(team.staff[Role.OFFICER]),
        )


def _groups(estate: Estate, team: Team, budget: int) -> None:
    """Weekly community meetings and small groups, newest first, with a register of the
    residents there that day, until the community's share of attendance rows is made."""
    rng, load = estate.rng, estate.load
    by_group = {
        group: [r for r in team.residents if r.small_group == group]
        for group in team.small_groups.values()
    }
    clinicians, officers = team.staff[Role.CLINICIAN], team.staff[Role.OFFICER]
    oldest = estate.days_ago(365 * estate.years)
    week = 0
    while budget > 0:
        week_start = estate.days_ago(7 * week + 1)
        if week_start < oldest:
            return
        meetings = [(Intervention.COMMUNITY_MEETING, None, 60, week_start, team.residents)]
        meetings += [
            (Intervention.SMALL_GROUP, group, 90, week_start - timedelta(days=1 + n % 3), members)
            for n, (group, members) in enumerate(by_group.items())
        ]
        for group_type, small_group, minutes, held_on, members in meetings:
            session = load.id(GroupSession)
            clinician = rng.choice(clinicians)
            # Registers are taken on the day; a few of the last fortnight's are not yet.
            taken = held_on < estate.days_ago(14) or rng.random() < 0.9
            load.add(
                GroupSession,
                id=session,
                community_id=team.pk,
                group_type=group_type,
                small_group_id=small_group,
                held_on=held_on,
                duration_minutes=minutes,
                recorded_by_id=clinician,
                register_taken_at=estate.at(held_on, hour=17) if taken else None,
                register_taken_by_id=clinician if taken else None,
            )
            for facilitator in (clinician, rng.choice(officers)):
                load.add(
                    GroupSession.facilitators.through, groupsession_id=session, user_id=facilitator
                )
            for resident in members:
                if budget == 0:
                    return
                if not resident.present_on(held_on):
                    continue
                roll = rng.random()
                load.add(
                    Attendance,
                    id=load.id(Attendance),
                    session_id=session,
                    resident_id=resident.pk,
                    status=AttendanceStatus.PRESENT
                    if roll < 0.85
                    else AttendanceStatus.ABSENT
                    if roll < 0.95
                    else AttendanceStatus.EXCUSED,
                    recorded_by_id=clinician,
                )
                budget -= 1
        week += 1


def _documents(estate: Estate, team: Team, count: int) -> None:
    """Documents spread over the residents by length of stay. Old ones are signed off
    (a few never were); recent ones are drafts, submitted or signed off, and those
    past their due date are overdue."""
    rng, load, today = estate.rng, estate.load, estate.today
    if not team.residents:
        return
    stays = [(min(r.last_day, today) - r.admitted_on).days + 1 for r in team.residents]
    writers = [(user, False) for user in team.staff[Role.CLINICIAN]]
    writers += [(user, True) for user in team.staff[Role.TRAINEE]]
    for resident in rng.choices(team.residents, weights=stays, k=count):
        end = min(resident.last_day, today)
        written_on = resident.admitted_on + timedelta(
            days=rng.randint(0, (end - resident.admitted_on).days)
        )
        author, trainee = rng.choice(writers)
        recent = resident.left_on is None and (today - written_on).days < 90
        roll = rng.random()
        if recent:
            status = (
                DocumentStatus.DRAFT
                if roll < 0.4
                else DocumentStatus.SUBMITTED
                if roll < 0.6
                else DocumentStatus.SIGNED_OFF
            )
        else:
            status = DocumentStatus.SIGNED_OFF if roll < 0.99 else DocumentStatus.SUBMITTED
        kind = rng.choice(list(DocumentKind))
        submitted_on = min(written_on + timedelta(days=rng.randint(0, 7)), today)
        signed_on = min(submitted_on + timedelta(days=rng.randint(0, 7)), today)
        submitted = status != DocumentStatus.DRAFT
        signed = status == DocumentStatus.SIGNED_OFF
        load.add(
            ClinicalDocument,
            id=load.id(ClinicalDocument),
            resident_id=resident.pk,
            kind=kind,
            title=TITLES[kind],
            body=BODY,
            author_id=author,
            due_on=written_on + timedelta(days=rng.randint(14, 42)) if rng.random() < 0.8 else None,
            status=status,
            needs_countersignature=trainee,
            countersigned_by_id=rng.choice(team.staff[Role.CLINICIAN])
            if trainee and submitted
            else None,
            countersigned_at=estate.at(submitted_on, hour=12) if trainee and submitted else None,
            submitted_at=estate.at(submitted_on, hour=11) if submitted else None,
            signed_off_by_id=team.tm if signed else None,
            signed_off_at=estate.at(signed_on, hour=16) if signed else None,
            created_at=estate.at(written_on, hour=9),
        )
