"""KPI targets: the default target of each KPI and a community's own."""

from django.core.exceptions import ValidationError
from django.db import transaction

from dtc import permissions
from dtc.history import save_with_history

from ..kpis import KPI_BY_KEY
from ..models import KpiTarget

__all__ = ["kpi_target_set"]


@transaction.atomic
def kpi_target_set(*, kpi: str, community, value, by) -> KpiTarget | None:
    """Set the default target of a KPI (community None) or one community's own; an
    empty value removes the target (a community's own then falls back to the default)."""
    permissions.require_head_of_psychotherapy(by)
    if community is not None:
        permissions.require(by, "manage_audit", community)
    if kpi not in KPI_BY_KEY:
        raise ValidationError(f"Unknown KPI {kpi!r}")
    target = KpiTarget.objects.filter(kpi=kpi, community=community).first()
    if target is not None and target.value == value:
        return target  # unchanged: no history row
    if value is None:
        if target is not None:
            target._history_user = by
            target.delete()
        return None
    target = target or KpiTarget(kpi=kpi, community=community)
    target.value = value
    target.set_by = by
    return save_with_history(target, by, validate_constraints=False)
