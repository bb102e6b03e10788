"""Reads of the resident record, already narrowed to what the user may see (the
community, and the named staff of a restricted resident). The dosage figures are in
residents.dosage, the timeline in residents.timeline."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Count, Exists, F, OuterRef, Q, Subquery, When
from django.db.models.functions import Coalesce
from django.http import Http404

from dtc import permissions
from dtc.models import Role, RoleAssignment, User

from .models import (
    PART_ATTENDED,
    Attendance,
    AttendanceStatus,
    ClinicalDocument,
    GroupSession,
    NeedArea,
    Phase,
    PlanGoal,
    PlanStatus,
    Resident,
    SmallGroup,
    SmallGroupMembership,
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
        .with_small_group()
        .order_by("last_name", "first_name", "pk")
    )
    residents = residents.filter(phase=phase) if phase else residents.current()
    if community_id:
        residents = residents.filter(community_id=community_id)
    if small_group:
        residents = residents.filter(
            Exists(
                SmallGroupMembership.objects.filter(
                    resident_id=OuterRef("pk"), group_id=small_group, left_on__isnull=True
                )
            )
        )
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


def small_groups(user, *, community=None, open_only=True):
    """The small groups of the user's communities (of one, given `community`), by
    community and name; the open ones unless `open_only` is False."""
    groups = permissions.visible(user, SmallGroup).select_related("community")
    if community is not None:
        groups = groups.filter(community=community)
    if open_only:
        groups = groups.filter(closed_on__isnull=True)
    return groups.order_by("community__name", "name", "pk")


def small_groups_listed(user, *, community_id=None):
    """The small groups of the user's communities for their list, open ones first, each
    with `members`: how many residents the user may see are in it today."""
    current = (
        SmallGroupMembership.objects.filter(
            group_id=OuterRef("pk"),
            left_on__isnull=True,
            resident__in=permissions.visible(user, Resident),
        )
        .order_by()
        .values("group_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    groups = (
        permissions.visible(user, SmallGroup)
        .select_related("community__establishment")
        .prefetch_related("facilitators")
        .annotate(members=Coalesce(Subquery(current), 0))
        .order_by(F("closed_on").desc(nulls_first=True), "community__name", "name", "pk")
    )
    if community_id:
        groups = groups.filter(community_id=community_id)
    return groups


def small_group_of(resident: Resident) -> SmallGroup | None:
    """The small group the resident is in today, or None."""
    membership = (
        resident.small_group_memberships.filter(left_on__isnull=True)
        .select_related("group")
        .first()
    )
    return membership.group if membership else None


def in_small_group_on(day_field, group_field):
    """A filter for residents (the outer query) in a small group on a day: the day and
    the group are expressions of the outer query (OuterRef or values)."""
    return Exists(
        SmallGroupMembership.objects.filter(
            resident_id=OuterRef("pk"), group_id=group_field, joined_on__lte=day_field
        ).filter(Q(left_on__isnull=True) | Q(left_on__gte=day_field))
    )


def small_group_members(user, group: SmallGroup):
    """The group's memberships, current first then past, for the residents the user may
    see (a restricted resident is absent for staff not named on them)."""
    return (
        group.memberships.filter(resident__in=permissions.visible(user, Resident))
        .select_related("resident")
        .order_by(
            F("left_on").desc(nulls_first=True), "resident__last_name", "resident__first_name"
        )
    )


def resident_detail(user, pk: int) -> Resident:
    """One resident the user may see, or 404."""
    return permissions.get_visible_or_404(
        user,
        Resident.objects.select_related("community__establishment", "key_worker")
        .with_acct_open()
        .with_small_group(),
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


def goal_detail(user, pk: int) -> PlanGoal:
    """One goal of a plan of a resident the user may see, or 404."""
    found = (
        PlanGoal.objects.select_related("plan__resident__community")
        .filter(pk=pk, plan__resident__in=permissions.visible(user, Resident))
        .first()
    )
    if found is None:
        raise Http404
    return found


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
        .filter(community_id=session.community_id)
        .on_community_on(session.held_on)
        .order_by("last_name", "first_name", "pk")
    )
    if session.small_group_id:
        residents = residents.filter(in_small_group_on(session.held_on, session.small_group_id))
    return residents


def register(user, session: GroupSession) -> list[tuple[Resident, Attendance | None]]:
    """Each resident on the register with their mark so far (None when not yet marked)."""
    marks = {a.resident_id: a for a in session.register.all()}
    return [(r, marks.get(r.pk)) for r in register_residents(user, session)]


def unmarked(user, session: GroupSession) -> list[Resident]:
    """The residents on the register not yet marked."""
    return list(register_residents(user, session).exclude(attendance__session=session))


def same_group_on_the_day(session: GroupSession):
    """Other sessions of the same group (type and small group) on the same day."""
    return GroupSession.objects.filter(
        community_id=session.community_id,
        group_type=session.group_type,
        small_group_id=session.small_group_id,
        held_on=session.held_on,
    ).exclude(pk=session.pk)


def _with_register_counts(user, sessions):
    """Annotate each session with `present` (attended, in whole or part), `marked` and
    `unmarked`: the residents on its register (as register_residents) not yet marked."""
    expected = (
        permissions.visible(user, Resident)
        .filter(community_id=OuterRef("community_id"))
        .on_community_on(OuterRef("held_on"))
        .exclude(attendance__session_id=OuterRef("pk"))
        .order_by()
    )

    def count(rows, by="community_id"):
        # Grouped by a column that is the same for every row: one count, or none.
        return Coalesce(Subquery(rows.values(by).annotate(n=Count("pk")).values("n")), 0)

    # Subqueries, not a join counted with GROUP BY: the join would evaluate `unmarked`
    # once for every mark on the register instead of once for each session.
    marks = Attendance.objects.filter(session_id=OuterRef("pk")).order_by()
    in_group = expected.filter(
        in_small_group_on(OuterRef(OuterRef("held_on")), OuterRef(OuterRef("small_group_id")))
    )
    return sessions.annotate(
        present=count(
            marks.filter(status__in=[AttendanceStatus.PRESENT, *PART_ATTENDED]), by="session_id"
        ),
        marked=count(marks, by="session_id"),
        unmarked=Case(
            When(small_group__isnull=True, then=count(expected)), default=count(in_group)
        ),
    )


def sessions_visible_to(user, *, community_id=None, group_type=""):
    """Group sessions in the user's communities, newest first, with the register's counts."""
    sessions = _with_register_counts(
        user,
        permissions.visible(user, GroupSession)
        .select_related("community", "small_group")
        .prefetch_related("facilitators")
        .order_by("-held_on", "-pk"),
    )
    if community_id:
        sessions = sessions.filter(community_id=community_id)
    if group_type:
        sessions = sessions.filter(group_type=group_type)
    return sessions


def registers_not_taken(user, *, today: date):
    """Sessions held on or before `today` in the user's communities whose register is
    not closed, newest first (their counts: register_counts, for the page shown)."""
    return (
        permissions.visible(user, GroupSession)
        .filter(held_on__lte=today, register_taken_at__isnull=True)
        .select_related("community__establishment", "recorded_by", "small_group")
        .order_by("-held_on", "-pk")
    )


def register_counts(user, sessions) -> list[GroupSession]:
    """The sessions (a page of a list), in their order, with their registers' counts
    (as _with_register_counts): counted for these sessions alone, not the whole list."""
    sessions = list(sessions)
    counted = {
        session.pk: session
        for session in _with_register_counts(
            user, GroupSession.objects.filter(pk__in=[s.pk for s in sessions]).order_by()
        )
    }
    for session in sessions:
        found = counted[session.pk]
        session.present, session.marked, session.unmarked = (
            found.present,
            found.marked,
            found.unmarked,
        )
    return sessions


def session_detail(user, pk: int) -> GroupSession:
    return permissions.get_visible_or_404(
        user,
        GroupSession.objects.select_related(
            "community", "recorded_by", "register_taken_by"
        ).prefetch_related("facilitators"),
        pk=pk,
    )


def attendance_detail(user, pk: int) -> Attendance:
    """One mark on a register, of a session and a resident the user may see, or 404."""
    found = (
        Attendance.objects.select_related("session__community", "resident")
        .filter(
            pk=pk,
            session__in=permissions.visible(user, GroupSession),
            resident__in=permissions.visible(user, Resident),
        )
        .first()
    )
    if found is None:
        raise Http404
    return found


def corrections(session: GroupSession):
    """The corrections made to the session's closed register, newest first."""
    return (
        Attendance.history.filter(session_id=session.pk, history_change_reason__isnull=False)
        .exclude(history_change_reason="")
        .select_related("history_user", "resident")
        .order_by("-history_date")
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
