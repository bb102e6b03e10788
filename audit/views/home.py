"""The audit module's card on the home page: KPIs for the communities the user may
audit, accreditation readiness, and, for those who run the audit, open actions."""

from django.template.loader import render_to_string
from django.utils import timezone

from dtc import permissions, versions
from dtc.home import Card
from dtc.models import Community

from .. import kpis, selectors
from ..models import ActionStatus

# The few KPIs the home card shows; the full set is one click away.
HOME_KPIS = [
    "occupancy",
    "referrals_received",
    "retention_12",
    "mean_dosage",
    "supervision_compliance",
    "overdue_reviews",
    "overdue_documents",
]


def home_card(request):
    ids = permissions.community_ids(request.user, "view_audit")
    if not ids:
        return None
    today = timezone.localdate()
    managed = permissions.community_ids(request.user, "manage_audit")
    redaction = selectors.redaction_for(request.user, ids)
    return Card(
        "audit/home_cards.html",
        {
            # Rendered once and cached until one of the communities changes: the Head of
            # Psychotherapy's tables cover every community in the cluster. The table's HTML
            # is cached on top of its figures (kpis.cached_compute) because that pays: at
            # full scale the HoP's home takes 87 ms at the median with it, 152 ms with the
            # figures alone (50 communities, in-process, 40 readings each).
            "kpi_table": versions.cached(
                "home-kpi-table", ids, lambda: _kpi_table(ids, today), today
            ),
            "readiness": versions.cached(
                "home-readiness",
                ids,
                lambda: render_to_string(
                    "audit/includes/home_readiness.html",
                    {"readiness": selectors.readiness(ids), "redaction": redaction},
                ),
                redaction.redacts,  # an auditor's copy is redacted, staff's is not
            ),
            "open_actions": selectors.actions_visible_to(request.user)
            .filter(cycle__community_id__in=managed)
            .exclude(status=ActionStatus.DONE)
            .order_by("due_date")[:5]
            if managed
            else None,
            "today": today,
            # Auditors see figures only; the lists behind them are identifiable.
            "sees_records": permissions.holds_any(request.user),
        },
    )


def _kpi_table(ids, today) -> str:
    period = kpis.Period.containing("quarter", today)
    communities = Community.objects.filter(pk__in=ids).select_related("establishment")
    return render_to_string(
        "audit/includes/home_kpi_table.html",
        {
            "period": period,
            "as_of": period.as_of(today),
            "kpis": [kpis.KPI_BY_KEY[key] for key in HOME_KPIS],
            "rows": [
                (row, [row.values[key] for key in HOME_KPIS])
                for row in kpis.cached_compute(communities, period, today=today)
            ],
        },
    )
