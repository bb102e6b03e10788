"""Reads of the resident record, already narrowed to what the user may see (the
community, and the named staff of a restricted resident), and the dosage figures.

Dosage: the therapeutic dosage is the hours of group sessions a resident attended
(marked present). The attendance rate is present / (present + absent): an excused
absence (a legal visit, healthcare) is not held against the resident. The expected
hours are the signed-off plan's weekly hours times the weeks since admission (to
leaving, for a resident who has left)."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404

from dtc import permissions
from dtc.models import Role, RoleAssignment, User

from .models import (
    AcctPeriod,
    Attendance,
    AttendanceStatus,
    ClinicalDocument,
    CommitmentVote,
    DocumentAmendment,
    GroupSession,
    Incident,
    NeedArea,
    Phase,
    PlanGoal,
    PlanStatus,
    Resident,
    RiskAssessment,
    TherapyDecision,
    TherapyReview,
    TreatmentPlan,
)

PAGE_SIZE = 25


def community_staff(community):
    """The community's staff who may be key workers or facilitators, or be named on an
    access list: everyone with a role there except auditors."""
    return key_workers([community])


def access_list_candidates(community):
    """Who may be named on a restricted person's access list: the community's staff and
    the Heads of Psychotherapy over it (a HoP not named does not see the person)."""
    heads = (
        RoleAssignment.objects.active()
        .filter(role=Role.HEAD_OF_PSYCHOTHERAPY)
        .filter(
            Q(establishment_id=community.establishment_id)
            | Q(cluster_id=community.establishment.cluster_id)
        )
        .values("user_id")
    )
    return User.objects.filter(
        Q(pk__in=community_staff(community).values("pk")) | Q(pk__in=heads), is_active=True
    ).order_by("last_name", "first_name")


def key_workers(communities):
    return User.objects.filter(
        is_active=True,
        pk__in=RoleAssignment.objects.active()
        .filter(community__in=communities)
        .exclude(role=Role.AUDITOR)
        .values("user_id"),
    ).order_by("last_name", "first_name")


def residents_visible_to(
    user,
    *,
    today: date,
    community_id=None,
    phase="",
    small_group="",
    key_worker_id=None,
    review_overdue=False,
    acct_open=False,
    query="",
):
    """The residents the user may see, with filters; the current ones unless `phase` is left."""
    residents = (
        permissions.visible(user, Resident)
        .select_related("community", "key_worker")
        .with_acct_open()
        .order_by("last_name", "first_name", "pk")
    )
    residents = residents.filter(phase=phase) if phase else residents.current()
    if community_id:
        residents = residents.filter(community_id=community_id)
    if small_group:
        residents = residents.filter(small_group=small_group)
    if key_worker_id:
        residents = residents.filter(key_worker_id=key_worker_id)
    if review_overdue:
        residents = residents.filter(next_review_on__lt=today).exclude(phase=Phase.LEFT)
    if acct_open:
        residents = residents.filter(acct_open=True)
    for part in query.split():
        residents = residents.filter(
            Q(first_name__icontains=part)
            | Q(last_name__icontains=part)
            | Q(prison_number__iexact=part)
        )
    return residents


def small_groups(user) -> list[str]:
    return list(
        permissions.visible(user, Resident)
        .current()
        .exclude(small_group="")
        .order_by("small_group")
        .values_list("small_group", flat=True)
        .distinct()
    )


def resident_detail(user, pk: int) -> Resident:
    """One resident the user may see, or 404."""
    return permissions.get_visible_or_404(
        user,
        Resident.objects.select_related("community__establishment", "key_worker").with_acct_open(),
        pk=pk,
    )


@dataclass
class Dosage:
    present: int
    absent: int
    excused: int
    minutes: int
    by_month: list[tuple[date, Decimal]]
    expected_hours: Decimal | None

    @property
    def hours(self) -> Decimal:
        return _hours(self.minutes)

    @property
    def attendance_rate(self) -> int | None:
        counted = self.present + self.absent
        return round(100 * self.present / counted) if counted else None

    @property
    def percent_of_expected(self) -> int | None:
        if not self.expected_hours:
            return None
        return round(100 * self.hours / self.expected_hours)


def _hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def current_plan(resident: Resident) -> TreatmentPlan | None:
    """The latest signed-off version of the plan: the one in force."""
    return (
        resident.plans.filter(status=PlanStatus.SIGNED_OFF)
        .select_related("signed_off_by")
        .order_by("-version")
        .first()
    )


def dosage(resident: Resident, *, today: date, plan: TreatmentPlan | None) -> Dosage:
    """The resident's attendance and hours, per month and in total, against the plan."""
    counts = dict(
        Attendance.objects.filter(resident=resident)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    monthly = (
        Attendance.objects.filter(resident=resident, status=AttendanceStatus.PRESENT)
        .annotate(month=TruncMonth("session__held_on"))
        .values("month")
        .annotate(minutes=Sum("session__duration_minutes"))
        .order_by("month")
    )
    by_month = [(row["month"], _hours(row["minutes"])) for row in monthly]
    expected = None
    if plan is not None:
        end = resident.left_on or today
        weeks = Decimal(max((end - resident.admitted_on).days, 0)) / 7
        expected = (plan.expected_weekly_hours * weeks).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
    return Dosage(
        present=counts.get(AttendanceStatus.PRESENT, 0),
        absent=counts.get(AttendanceStatus.ABSENT, 0),
        excused=counts.get(AttendanceStatus.EXCUSED, 0),
        minutes=sum(row["minutes"] for row in monthly),
        by_month=by_month,
        expected_hours=expected,
    )


def resident_documents(resident: Resident):
    return resident.documents.select_related("author", "signed_off_by").annotate(
        amendment_count=Count("amendments")
    )


def plans_of(resident: Resident):
    return resident.plans.select_related("created_by", "signed_off_by").annotate(
        goal_count=Count("goals")
    )


def of_visible_resident(user, queryset, pk: int):
    """A record kept on a resident (a plan, a document), if the user may see the
    resident; 404 otherwise, as for the resident."""
    found = queryset.filter(pk=pk, resident__in=permissions.visible(user, Resident)).first()
    if found is None:
        raise Http404
    return found


def plan_detail(user, pk: int) -> TreatmentPlan:
    """One plan version of a resident the user may see, or 404."""
    return of_visible_resident(
        user,
        TreatmentPlan.objects.select_related(
            "resident__community", "created_by", "signed_off_by"
        ).prefetch_related("goals"),
        pk,
    )


def document_detail(user, pk: int) -> ClinicalDocument:
    """One clinical document of a resident the user may see, or 404."""
    return of_visible_resident(
        user,
        ClinicalDocument.objects.select_related(
            "resident__community", "author", "countersigned_by", "signed_off_by"
        ),
        pk,
    )


def amendments_of(document: ClinicalDocument):
    return document.amendments.select_related("amended_by")


@dataclass
class ComparedRow:
    label: str
    left: list[str]
    right: list[str]

    @property
    def changed(self) -> bool:
        return self.left != self.right


def plan_comparison(left: TreatmentPlan, right: TreatmentPlan) -> list[ComparedRow]:
    """Two versions side by side: the plan's own fields, then the goals of each need area."""
    rows = [
        ComparedRow(
            "Expected hours a week",
            [str(left.expected_weekly_hours)],
            [str(right.expected_weekly_hours)],
        ),
        ComparedRow(
            "Review date", [f"{left.review_on:%-d %B %Y}"], [f"{right.review_on:%-d %B %Y}"]
        ),
        ComparedRow("Risk formulation", [left.formulation], [right.formulation]),
    ]

    def goals(plan):
        return {
            area: [
                f"{goal.description} ({', '.join(goal.intervention_labels())})"
                for goal in plan.goals.all()
                if goal.need_area == area
            ]
            for area in NeedArea.values
        }

    left_goals, right_goals = goals(left), goals(right)
    for area in NeedArea:
        if left_goals[area] or right_goals[area]:
            rows.append(ComparedRow(area.label, left_goals[area], right_goals[area]))
    return rows


def register_residents(user, session: GroupSession):
    """The residents on a group's register: those on the community on the day (and in
    the small group, for a small-group session) whom the user may see."""
    residents = (
        permissions.visible(user, Resident)
        .filter(community_id=session.community_id, admitted_on__lte=session.held_on)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=session.held_on))
        .order_by("last_name", "first_name", "pk")
    )
    if session.small_group:
        residents = residents.filter(small_group=session.small_group)
    return residents


def register(user, session: GroupSession) -> list[tuple[Resident, str]]:
    """Each resident on the register with their mark so far ("" when not yet marked)."""
    marks = dict(session.register.values_list("resident_id", "status"))
    return [(r, marks.get(r.pk, "")) for r in register_residents(user, session)]


def sessions_visible_to(user, *, community_id=None, group_type=""):
    """Group sessions in the user's communities, newest first, with the register's counts."""
    sessions = (
        permissions.visible(user, GroupSession)
        .select_related("community")
        .prefetch_related("facilitators")
        .annotate(
            present=Count("register", filter=Q(register__status=AttendanceStatus.PRESENT)),
            marked=Count("register"),
        )
        .order_by("-held_on", "-pk")
    )
    if community_id:
        sessions = sessions.filter(community_id=community_id)
    if group_type:
        sessions = sessions.filter(group_type=group_type)
    return sessions


def session_detail(user, pk: int) -> GroupSession:
    return permissions.get_visible_or_404(
        user,
        GroupSession.objects.select_related("community", "recorded_by").prefetch_related(
            "facilitators"
        ),
        pk=pk,
    )


def documents_overdue(user, *, today: date):
    """Documents past their due date and not signed off, for residents the user may see."""
    return (
        ClinicalDocument.objects.overdue(today)
        .filter(resident__in=permissions.visible(user, Resident))
        .select_related("resident__community", "author")
        .order_by("due_on", "pk")
    )


def access_log(resident: Resident):
    return resident.access_log.select_related("user")


@dataclass
class TimelineEntry:
    when: object  # date or datetime
    kind: str
    summary: str
    change: str  # Created, Changed, Removed
    by: object
    recorded_at: object


CHANGE = {"+": "Created", "~": "Changed", "-": "Removed"}


def timeline(resident: Resident) -> list[TimelineEntry]:
    """Everything on the record with its change history, newest first: one query per
    kind of record, read from the history tables so every change shows."""
    sources = [
        (
            Resident.history.filter(id=resident.pk).select_related("key_worker"),
            "Record",
            lambda h: h.history_date,
            _resident_summary,
        ),
        (
            TreatmentPlan.history.filter(resident_id=resident.pk),
            "Treatment plan",
            lambda h: h.history_date,
            lambda h: (
                f"Version {h.version}: {h.get_status_display().lower()}, {h.expected_weekly_hours} hours a week"
            ),
        ),
        (
            PlanGoal.history.filter(plan__resident_id=resident.pk).select_related("plan"),
            "Plan goal",
            lambda h: h.history_date,
            lambda h: f"{h.get_need_area_display()}: {h.description}",
        ),
        (
            TherapyReview.history.filter(resident_id=resident.pk),
            "Therapy review",
            lambda h: h.held_on,
            lambda h: f"{h.get_outcome_display()}: {h.summary}",
        ),
        (
            CommitmentVote.history.filter(resident_id=resident.pk),
            "Commitment vote",
            lambda h: h.held_on,
            lambda h: f"{h.get_outcome_display()} ({h.votes_for} for, {h.votes_against} against)",
        ),
        (
            Incident.history.filter(resident_id=resident.pk),
            "Incident",
            lambda h: h.occurred_on,
            lambda h: (
                f"{h.get_kind_display()}, {h.get_seriousness_display().lower()}: {h.description}"
            ),
        ),
        (
            RiskAssessment.history.filter(resident_id=resident.pk),
            "Risk assessment",
            lambda h: h.assessed_on,
            lambda h: f"{h.get_level_display()} risk: {h.narrative}",
        ),
        (
            AcctPeriod.history.filter(resident_id=resident.pk),
            "ACCT",
            lambda h: h.closed_on or h.opened_on,
            lambda h: (
                f"Closed on {h.closed_on:%-d %B %Y}" if h.closed_on else f"Opened: {h.reason}"
            ),
        ),
        (
            ClinicalDocument.history.filter(resident_id=resident.pk),
            "Document",
            lambda h: h.history_date,
            lambda h: f"{h.get_kind_display()} “{h.title}”: {h.get_status_display().lower()}",
        ),
        (
            DocumentAmendment.history.filter(document__resident_id=resident.pk).select_related(
                "document"
            ),
            "Amendment",
            lambda h: h.history_date,
            lambda h: f"“{h.document.title}” amended: {h.reason}",
        ),
        (
            TherapyDecision.history.filter(resident_id=resident.pk),
            "Decision",
            lambda h: h.decided_on,
            lambda h: f"{h.get_kind_display()}: {h.rationale}",
        ),
    ]
    entries = []
    for rows, kind, when, summary in sources:
        for row in rows.select_related("history_user"):
            entries.append(
                TimelineEntry(
                    when=when(row),
                    kind=kind,
                    summary=summary(row),
                    change=CHANGE[row.history_type],
                    by=row.history_user,
                    recorded_at=row.history_date,
                )
            )

    def sort_key(entry):
        day = entry.when.date() if hasattr(entry.when, "date") else entry.when
        return (day, entry.recorded_at)

    return sorted(entries, key=sort_key, reverse=True)


def _resident_summary(row) -> str:
    parts = [row.get_phase_display()]
    if row.key_worker_id:
        parts.append(f"key worker {row.key_worker}")
    if row.small_group:
        parts.append(f"small group {row.small_group}")
    if row.is_restricted:
        parts.append("restricted")
    if row.leaving_type:
        parts.append(f"left: {row.get_leaving_type_display().lower()}")
    return ", ".join(parts)
