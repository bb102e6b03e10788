"""Computed evidence figures shown beside a criterion's rating.

Each measure answers (numerator, denominator) for a community on a date; a
criterion names its measure in StandardCriterion.measure."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from dtc.models import Role, RoleAssignment


@dataclass(frozen=True)
class Figure:
    numerator: int
    denominator: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.numerator / self.denominator) if self.denominator else None


@dataclass(frozen=True)
class Measure:
    label: str
    compute: Callable[..., Figure]


def registration_current(community, today: date) -> Figure:
    """Clinical staff on the team whose professional registration is in date."""
    clinical = (
        RoleAssignment.objects.active()
        .filter(community=community, role__in=[Role.THERAPY_MANAGER, Role.CLINICIAN, Role.TRAINEE])
        .values("user")
        .distinct()
    )
    current = clinical.filter(user__profile__registration_renewal_date__gte=today)
    return Figure(current.count(), clinical.count())


MEASURES: dict[str, Measure] = {
    "registration_current": Measure(
        "Clinical staff with current registration", registration_current
    ),
}


def figure(name: str, community, today: date) -> Figure | None:
    measure = MEASURES.get(name)
    return measure.compute(community, today) if measure else None
