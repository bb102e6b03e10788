"""Reads of supervision, already narrowed to what the user may see, and the
compliance figures computed from the sessions held.

Compliance: each requirement ("individual supervision every 4 weeks") divides the
last six months, counting back from today, into whole periods of its interval. A
period is met when the person was a supervisee in a session of a kind that meets
the requirement on any day of it, both ends included. Only periods that begin on or
after the day the person joined (their earliest role still held at the start of the
six months, or taken since) count: nobody is held to periods before they were on the
staff, and a newcomer's first session falls due one interval after joining.
Compliance is the share of periods met over all of a person's requirements; a
team's is the share over all of its people's periods."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from dtc import permissions
from dtc.models import Community, Role, RoleAssignment, User

from .models import (
    DEFAULT_INTERVAL_WEEKS,
    MEETS,
    SUPERVISED_ROLES,
    AgreedAction,
    RequirementKind,
    SupervisionRequirement,
    SupervisionSession,
    TraineeTarget,
)

WINDOW_DAYS = 182  # six months


def periods(today: date, interval_weeks: int) -> list[tuple[date, date]]:
    """The whole periods of `interval_weeks` in the last six months, newest first,
    each (first day, last day); the newest ends today."""
    length = 7 * interval_weeks
    return [
        (today - timedelta(days=length * (n + 1) - 1), today - timedelta(days=length * n))
        for n in range(WINDOW_DAYS // length)
    ]


@dataclass
class KindCompliance:
    kind: str
    interval_weeks: int
    overridden: bool
    periods: list[tuple[date, date, bool]]
    last_held: date | None
    today: date
    joined_on: date | None = None

    @property
    def label(self) -> str:
        return RequirementKind(self.kind).label

    @property
    def met(self) -> int:
        return sum(1 for *_span, met in self.periods if met)

    @property
    def total(self) -> int:
        return len(self.periods)

    @property
    def due_on(self) -> date:
        """The day the next session is due: an interval after the last one held; with
        none in six months, an interval after joining, or long ago."""
        if self.last_held is not None:
            return self.last_held + timedelta(weeks=self.interval_weeks)
        long_ago = self.today - timedelta(days=WINDOW_DAYS)
        if self.joined_on is None:
            return long_ago
        return max(long_ago, self.joined_on + timedelta(weeks=self.interval_weeks))

    @property
    def is_overdue(self) -> bool:
        return self.due_on < self.today


def _percent(met: int, total: int) -> int | None:
    return round(100 * met / total) if total else None


@dataclass
class StaffCompliance:
    user: User
    kinds: list[KindCompliance]

    @property
    def met(self) -> int:
        return sum(k.met for k in self.kinds)

    @property
    def total(self) -> int:
        return sum(k.total for k in self.kinds)

    @property
    def percent(self) -> int | None:
        return _percent(self.met, self.total)

    @property
    def overdue(self) -> list[KindCompliance]:
        return [k for k in self.kinds if k.is_overdue]


@dataclass
class TeamCompliance:
    community: Community
    staff: list[StaffCompliance] = field(default_factory=list)

    @property
    def met(self) -> int:
        return sum(s.met for s in self.staff)

    @property
    def total(self) -> int:
        return sum(s.total for s in self.staff)

    @property
    def percent(self) -> int | None:
        return _percent(self.met, self.total)

    @property
    def overdue(self) -> list[StaffCompliance]:
        return [s for s in self.staff if s.overdue]


def requirements_for(roles, overrides: dict[str, int]) -> dict[str, tuple[int, bool]]:
    """kind -> (interval in weeks, overridden?): the most frequent default of the
    person's roles, replaced by their own requirement where one is set."""
    wanted: dict[str, tuple[int, bool]] = {}
    for role in roles:
        for kind, weeks in DEFAULT_INTERVAL_WEEKS.get(role, {}).items():
            if kind not in wanted or weeks < wanted[kind][0]:
                wanted[kind] = (weeks, False)
    for kind, weeks in overrides.items():
        wanted[kind] = (weeks, True)
    return wanted


def staff_compliance(users, *, today: date) -> dict[int, StaffCompliance]:
    """Compliance of each user by id, in three queries whatever the number of people."""
    users = {user.pk: user for user in users}
    window_start = today - timedelta(days=WINDOW_DAYS)
    roles = defaultdict(set)
    joined = {}  # user id -> the day they joined, as far as the six months go
    for user_id, role, started_at, ended_at in (
        RoleAssignment.objects.filter(user_id__in=users)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__date__gte=window_start))
        .values_list("user_id", "role", "started_at", "ended_at")
    ):
        if ended_at is None:
            roles[user_id].add(role)
        started_on = timezone.localdate(started_at)
        joined[user_id] = min(joined.get(user_id, started_on), started_on)
    overrides = defaultdict(dict)
    for requirement in SupervisionRequirement.objects.filter(user_id__in=users):
        overrides[requirement.user_id][requirement.kind] = requirement.interval_weeks
    held = defaultdict(list)  # (user id, kind) -> dates, newest first
    attended = (
        SupervisionSession.supervisees.through.objects.filter(
            user_id__in=users,
            supervisionsession__entered_in_error_at__isnull=True,
            supervisionsession__superseded=False,
            supervisionsession__held_on__gt=today - timedelta(days=WINDOW_DAYS),
            supervisionsession__held_on__lte=today,
        )
        .values_list("user_id", "supervisionsession__session_type", "supervisionsession__held_on")
        .order_by("-supervisionsession__held_on")
    )
    for user_id, session_type, held_on in attended:
        held[user_id, MEETS[session_type]].append(held_on)

    result = {}
    spans = {}  # interval in weeks -> its periods, the same for everyone
    for user_id, user in users.items():
        kinds = []
        wanted = requirements_for(roles[user_id], overrides[user_id])
        for kind in RequirementKind.values:
            if kind not in wanted:
                continue
            weeks, overridden = wanted[kind]
            dates = held[user_id, kind]
            if weeks not in spans:
                spans[weeks] = periods(today, weeks)
            # The n-th period back from today holds the days n × its length days ago and on.
            covered = {(today - held_on).days // (7 * weeks) for held_on in dates}
            joined_on = joined.get(user_id)
            kinds.append(
                KindCompliance(
                    kind=kind,
                    interval_weeks=weeks,
                    overridden=overridden,
                    periods=[
                        (first, last, n in covered)
                        for n, (first, last) in enumerate(spans[weeks])
                        if joined_on is None or first >= joined_on
                    ],
                    last_held=dates[0] if dates else None,
                    today=today,
                    joined_on=joined_on,
                )
            )
        result[user_id] = StaffCompliance(user=user, kinds=kinds)
    return result


def communities_of_people(user_ids) -> set[int]:
    """The communities whose teams count these people."""
    return set(
        RoleAssignment.objects.active()
        .filter(user_id__in=list(user_ids), community__isnull=False)
        .values_list("community_id", flat=True)
    )


def teams_compliance(user, *, today: date, community_ids=None) -> list[TeamCompliance]:
    """The compliance of each team the user supervises, with each member's figures."""
    ids = permissions.community_ids(user, "supervise_team")
    if community_ids is not None:
        ids = ids & set(community_ids)
    assignments = (
        RoleAssignment.objects.active()
        .filter(community_id__in=ids, role__in=SUPERVISED_ROLES)
        .select_related("user")
        .order_by("community__establishment__name", "community__name", "user__last_name")
    )
    # Each community read once, not once per member of its team.
    communities = Community.objects.select_related("establishment").in_bulk(ids)
    teams: dict[int, TeamCompliance] = {}
    members = []
    for assignment in assignments:
        team = teams.get(assignment.community_id)
        if team is None:
            team = teams[assignment.community_id] = TeamCompliance(
                community=communities[assignment.community_id]
            )
        members.append((team, assignment.user))
    figures = staff_compliance([user for _team, user in members], today=today)
    seen = set()
    for team, member in members:
        # One person with two roles on a team is counted once.
        if (team.community.pk, member.pk) not in seen:
            seen.add((team.community.pk, member.pk))
            team.staff.append(figures[member.pk])
    return list(teams.values())


def therapy_managers_compliance(
    teams: list[TeamCompliance],
) -> list[tuple[Community, StaffCompliance]]:
    """Each team's Therapy Manager(s) with their own compliance, for the Head of Psychotherapy."""
    tm_ids = set(
        RoleAssignment.objects.active()
        .filter(community_id__in=[t.community.pk for t in teams], role=Role.THERAPY_MANAGER)
        .values_list("community_id", "user_id")
    )
    return [
        (team.community, member)
        for team in teams
        for member in team.staff
        if (team.community.pk, member.user.pk) in tm_ids
    ]


def sessions_visible_to(user, *, session_type="", community_id=None, query=""):
    """The sessions the user may read, newest first, with people and themes loaded."""
    open_actions = (
        AgreedAction.objects.filter(session=OuterRef("pk"), is_done=False)
        .order_by()
        .values("session")
        .annotate(count=Count("pk"))
        .values("count")
    )
    accessible = permissions.community_ids(user)
    if accessible <= permissions.community_ids(user, "supervise_team"):
        # They supervise every team they can see, so every session there is theirs to
        # read: the narrower test (an OR no index serves) would only slow the count.
        sessions = SupervisionSession.objects.filter(community_id__in=accessible)
    else:
        sessions = permissions.visible(user, SupervisionSession)
    sessions = (
        sessions.in_effect()
        .select_related("community", "supervisor")
        .prefetch_related("supervisees", "themes")
        # A subquery rather than a join and GROUP BY: only the page's rows are counted,
        # and the paginator's count needs no grouping.
        .annotate(open_actions=Coalesce(Subquery(open_actions), 0))
        .order_by("-held_on", "-pk")
    )
    if session_type:
        sessions = sessions.filter(session_type=session_type)
    if community_id:
        sessions = sessions.filter(community_id=community_id)
    if query:
        named = Q()
        for part in query.split():
            named &= (
                Q(supervisor__first_name__icontains=part)
                | Q(supervisor__last_name__icontains=part)
                | Q(
                    pk__in=SupervisionSession.supervisees.through.objects.filter(
                        Q(user__first_name__icontains=part) | Q(user__last_name__icontains=part)
                    ).values("supervisionsession_id")
                )
            )
        sessions = sessions.filter(named)
    return sessions


def session_detail(user, pk: int) -> SupervisionSession:
    """One session the user may read, or 404."""
    return permissions.get_visible_or_404(
        user,
        SupervisionSession.objects.select_related(
            "community__establishment", "supervisor", "recorded_by", "observation"
        ).prefetch_related("supervisees", "themes"),
        pk=pk,
    )


def session_actions(session: SupervisionSession):
    return session.actions.select_related("owner", "done_by")


def people_supervised_by(user) -> frozenset[int]:
    """Ids of the staff whose supervision the user oversees (not the user themself)."""
    return frozenset(
        permissions.supervised_staff(user, SUPERVISED_ROLES).values_list("user_id", flat=True)
    )


def staff_record_person(user, person_pk: int) -> User:
    """A person whose supervision record the user may see: themself, or someone whose
    supervision they oversee. Anyone else is 404."""
    if person_pk != user.pk and person_pk not in people_supervised_by(user):
        raise Http404
    return get_object_or_404(User.objects.select_related("profile"), pk=person_pk)


def sessions_as_supervisee(viewer, person):
    """The sessions the person attended as supervisee that the viewer may read."""
    return (
        sessions_visible_to(viewer)
        .filter(
            pk__in=SupervisionSession.supervisees.through.objects.filter(user_id=person.pk).values(
                "supervisionsession_id"
            )
        )
        .select_related("observation")
    )


def open_actions_of(person):
    return (
        AgreedAction.objects.filter(owner=person, is_done=False)
        .exclude(session__entered_in_error_at__isnull=False)
        .select_related("session")
        .order_by("due_on")
    )


@dataclass
class TraineeProgress:
    target: TraineeTarget
    minutes: int

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.minutes / (60 * self.target.target_hours)))


def trainee_progress(person) -> TraineeProgress | None:
    """Supervised hours logged as supervisee against the trainee's target, if one is set."""
    target = (
        TraineeTarget.objects.filter(trainee=person).select_related("designated_supervisor").first()
    )
    if target is None:
        return None
    minutes = (
        SupervisionSession.objects.in_effect()
        .filter(supervisees=person)
        .aggregate(total=Sum("duration_minutes"))["total"]
    )
    return TraineeProgress(target=target, minutes=minutes or 0)
