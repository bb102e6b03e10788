"""Reads of the constitution, already narrowed to what the user may see: its versions,
the one in force on a day, how a version differs from the one before, residents'
agreements (restricted residents only for the staff named on them) and the clauses
incidents broke."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Prefetch

from dtc import permissions
from residents import selectors as resident_selectors
from residents.models import Incident, Resident

from ..models import Clause, Constitution, ConstitutionAgreement, IncidentClause, MotionKind

__all__ = [
    "Changes",
    "agreement_detail",
    "agreements_of",
    "agreements_of_resident",
    "citable_clauses",
    "constitution_changes",
    "constitution_detail",
    "constitution_in_force",
    "constitution_versions",
    "incident_detail",
    "incidents_of",
    "latest_version",
    "previous_version",
    "residents_not_agreed",
    "rule_breaks_of",
]


def constitution_in_force(community, on: date) -> Constitution | None:
    """The version in force on `on`: the highest version in force from that day or before
    (None before the first). `community` is a community or its id."""
    return (
        Constitution.objects.in_force(on)
        .filter(community_id=getattr(community, "pk", community))
        .select_related("made_by")
        .prefetch_related("clauses")
        .first()
    )


def constitution_versions(user, community):
    """Every version of the community's constitution the user may see, the latest first."""
    return (
        permissions.visible(user, Constitution)
        .filter(community=community)
        .select_related("made_by")
        .annotate(clause_count=Count("clauses"))
        .order_by("-version")
    )


def constitution_detail(user, pk: int) -> Constitution:
    """One version of a constitution in the user's communities, or 404."""
    return permissions.get_visible_or_404(
        user,
        Constitution.objects.select_related("community__establishment", "made_by").prefetch_related(
            "clauses"
        ),
        pk=pk,
    )


def latest_version(community) -> Constitution | None:
    """The latest version made, in force or not yet: the one an amendment starts from."""
    return community.constitutions.prefetch_related("clauses").order_by("-version").first()


def previous_version(constitution: Constitution) -> Constitution | None:
    return (
        Constitution.objects.filter(
            community_id=constitution.community_id, version__lt=constitution.version
        )
        .prefetch_related("clauses")
        .order_by("-version")
        .first()
    )


@dataclass
class Changes:
    """How a version differs from an earlier one: clauses by number, and the rules."""

    added: list[Clause] = field(default_factory=list)
    changed: list[tuple[Clause, Clause]] = field(default_factory=list)  # (before, after)
    removed: list[Clause] = field(default_factory=list)
    rules: list[tuple[str, str, str]] = field(default_factory=list)  # (rule, before, after)

    @property
    def any(self) -> bool:
        return bool(self.added or self.changed or self.removed or self.rules)


def _ratified(constitution) -> str:
    kinds = [
        MotionKind(kind).label
        for kind in MotionKind.values
        if kind in constitution.ratification_required_for
    ]
    return ", ".join(kinds) or "None"


RULES = [
    ("Quorum", lambda c: f"{c.quorum_percent}% of current residents"),
    ("Majority", lambda c: c.get_majority_display()),
    ("Staff vote", lambda c: c.get_staff_vote_display()),
    ("Decisions the Therapy Manager ratifies", _ratified),
]


def constitution_changes(older: Constitution, newer: Constitution, newer_clauses=None) -> Changes:
    """What `newer` (with `newer_clauses`, when they are not saved yet) changes from `older`."""
    before = {clause.number: clause for clause in older.clauses.all()}
    after = {
        clause.number: clause
        for clause in (newer.clauses.all() if newer_clauses is None else newer_clauses)
    }
    changes = Changes()
    for number, clause in after.items():
        old = before.get(number)
        if old is None:
            changes.added.append(clause)
        elif (old.title, old.text, old.is_core_rule) != (
            clause.title,
            clause.text,
            clause.is_core_rule,
        ):
            changes.changed.append((old, clause))
    changes.removed = [clause for number, clause in before.items() if number not in after]
    for label, shown in RULES:
        if shown(older) != shown(newer):
            changes.rules.append((label, shown(older), shown(newer)))
    return changes


def agreements_of(user, community):
    """Residents' agreements in effect on the community, the latest first: residents the
    user may see only."""
    return (
        ConstitutionAgreement.objects.in_effect()
        .filter(resident__community=community, resident__in=permissions.visible(user, Resident))
        .select_related("resident", "constitution", "witnessed_by")
        .order_by("-agreed_on", "-pk")
    )


def agreement_detail(user, pk: int) -> ConstitutionAgreement:
    """One agreement of a resident the user may see, or 404."""
    return resident_selectors.of_visible_resident(
        user,
        ConstitutionAgreement.objects.select_related(
            "resident__community", "constitution", "witnessed_by"
        ),
        pk,
    )


def residents_not_agreed(user, community, constitution: Constitution | None):
    """The community's current residents the user may see who have not agreed to
    `constitution` (the version in force): all of them when there is none."""
    residents = (
        permissions.visible(user, Resident)
        .current()
        .filter(community=community)
        .order_by("last_name", "first_name", "pk")
    )
    if constitution is None:
        return residents
    return residents.exclude(
        pk__in=ConstitutionAgreement.objects.in_effect()
        .filter(constitution=constitution)
        .values("resident_id")
    )


def _citations():
    return Prefetch(
        "clauses_broken",
        queryset=IncidentClause.objects.select_related("clause").order_by("clause__sort_key"),
    )


def incidents_of(user, community):
    """Incidents and rule breaks in effect on the community, with the clauses each broke,
    the latest first: residents the user may see only."""
    return (
        Incident.objects.in_effect()
        .filter(resident__community=community, resident__in=permissions.visible(user, Resident))
        .select_related("resident")
        .prefetch_related(_citations())
        .order_by("-occurred_on", "-pk")
    )


def rule_breaks_of(resident):
    """The resident's incidents and rule breaks in effect, with the clauses each broke,
    the latest first (for their page: the resident is already read as the user may)."""
    return (
        Incident.objects.in_effect()
        .filter(resident=resident)
        .prefetch_related(_citations())
        .order_by("-occurred_on", "-pk")
    )


def agreements_of_resident(resident):
    """The versions the resident agreed to, the latest first."""
    return (
        ConstitutionAgreement.objects.in_effect()
        .filter(resident=resident)
        .select_related("constitution")
        .order_by("-agreed_on", "-pk")
    )


def incident_detail(user, pk: int) -> Incident:
    """One incident of a resident the user may see, or 404."""
    return resident_selectors.of_visible_resident(
        user,
        Incident.objects.select_related("resident__community").prefetch_related(_citations()),
        pk,
    )


def citable_clauses(incident: Incident) -> tuple[Constitution | None, list[Clause]]:
    """The version in force on the incident's community on its day, and its clauses."""
    constitution = constitution_in_force(incident.resident.community_id, incident.occurred_on)
    return constitution, list(constitution.clauses.all()) if constitution else []
