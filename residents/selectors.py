"""Reads of the resident record, already narrowed to what the user may see (the
community, and the named staff of a restricted resident). The dosage figures are in
residents.dosage, the timeline in residents.timeline."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.http import Http404

from dtc import permissions
from dtc.models import Role, RoleAssignment, User

from .models import (
    AttendanceStatus,
    ClinicalDocument,
    GroupSession,
    NeedArea,
    Phase,
    PlanStatus,
    Resident,
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


def beds_used(community) -> int:
    """Beds taken on the community: one for each current resident, restricted or not
    (communities_overview in dtc.selectors counts the same rows for many communities)."""
    return Resident.objects.current().filter(community=community).count()


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


def current_plan(resident: Resident) -> TreatmentPlan | None:
    """The latest signed-off version of the plan: the one in force."""
    return (
        resident.plans.filter(status=PlanStatus.SIGNED_OFF)
        .select_related("signed_off_by")
        .order_by("-version")
        .first()
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
