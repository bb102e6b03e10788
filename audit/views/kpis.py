"""KPIs: one community's figures and trends, the table comparing communities, their
CSV exports, and the targets the Head of Psychotherapy sets."""

import csv
import io
from datetime import date

from django.contrib import messages
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify

from dtc import pages, permissions
from dtc.models import Community
from dtc.params import EARLIEST, date_param

from .. import kpis, services
from ..charts import bar_chart
from ..forms import KpiTargetForm
from ..models import KpiTarget


def _period(request, today: date) -> kpis.Period:
    """The period asked for (?period=quarter&start=2026-07-01), never one after today's."""
    kind = request.GET.get("period", "quarter")
    if kind not in kpis.PERIOD_KINDS:
        kind = "quarter"
    day = date_param(request.GET, "start") or today
    return kpis.Period.containing(kind, min(day, today))


def _periods_context(request, period: kpis.Period, today: date) -> dict:
    return {
        # A start that is not a date the figures can be computed for shows the current period.
        "start_refused": bool(request.GET.get("start")) and not date_param(request.GET, "start"),
        "earliest": EARLIEST,
        "period": period,
        "period_kinds": [(kind, kind.capitalize()) for kind in kpis.PERIOD_KINDS],
        "previous": period.previous(),
        "next": period.next() if period.end < today else None,
        "running": period.end >= today,
        "as_of": period.as_of(today),
    }


def _csv(rows, period: kpis.Period, name: str) -> HttpResponse:
    out = io.StringIO()
    write_csv(out, rows, period)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="kpis-{slugify(name)}-{period.kind}-{period.start:%Y-%m}.csv"'
    )
    return response


def community_kpis(request, community_pk):
    community = permissions.get_visible_or_404(
        request.user,
        Community.objects.select_related("establishment"),
        "view_audit",
        pk=community_pk,
    )
    today = timezone.localdate()
    period = _period(request, today)
    with transaction.atomic():  # one consistent reading of the records
        [row] = kpis.cached_compute([community], period, today=today)
        trend = kpis.cached_trend(community, today=today)
    if request.GET.get("format") == "csv":
        return _csv([row], period, community.name)
    months = [f"{month:%b %Y}" for month in trend.months]
    charts = [
        bar_chart(
            title="Occupancy by month",
            categories=months,
            series=[("Occupancy", trend.occupancy)],
            unit="%",
            target=row.values["occupancy"].target,
            maximum=100,
        ),
        bar_chart(
            title="Referrals received and admissions by month",
            categories=months,
            series=[("Referrals received", trend.received), ("Admissions", trend.admitted)],
        ),
        bar_chart(
            title="Mean dosage by month (hours a week)",
            categories=months,
            series=[("Mean dosage", trend.mean_dosage)],
            unit="hours",
            target=row.values["mean_dosage"].target,
        ),
    ]
    return render(
        request,
        "audit/kpis.html",
        {
            "community": community,
            "row": row,
            "unplanned": [
                (label, row.unplanned_by_type[value]) for value, label in kpis.UNPLANNED_TYPES
            ],
            "charts": charts,
            **_periods_context(request, period, today),
        },
    )


def kpi_compare(request):
    permissions.require_any(request.user, "view_audit")
    communities = permissions.communities(request.user, "view_audit").select_related(
        "establishment"
    )
    today = timezone.localdate()
    period = _period(request, today)
    with transaction.atomic():
        rows = kpis.cached_compute(communities, period, today=today)
    if request.GET.get("format") == "csv":
        return _csv(rows, period, "communities")
    return render(
        request,
        "audit/kpi_compare.html",
        {
            "rows": rows,
            "tables": _compare_tables(rows),
            "can_set_targets": permissions.is_head_of_psychotherapy(request.user),
            **_periods_context(request, period, today),
        },
    )


# Communities side by side in one table: more than five make it wider than the page.
COMPARE_COLUMNS = 5


def _compare_tables(rows) -> list[dict]:
    """The comparison turned on its side, a KPI a row and a community a column, in
    tables of at most COMPARE_COLUMNS communities, so each fits the page (WCAG 1.4.10)."""
    tables = []
    for start in range(0, len(rows), COMPARE_COLUMNS):
        chunk = rows[start : start + COMPARE_COLUMNS]
        lines = [(kpi, [row.values[kpi.key] for row in chunk]) for kpi in kpis.KPIS]
        tables.append({"communities": [row.community for row in chunk], "lines": lines})
    return tables


def kpi_targets(request):
    permissions.require_head_of_psychotherapy(request.user)
    defaults = dict(KpiTarget.objects.filter(community=None).values_list("kpi", "value"))
    own = dict(
        KpiTarget.objects.filter(
            community__in=permissions.communities(request.user, "manage_audit")
        )
        .values_list("kpi")
        .annotate(n=Count("pk"))
        .values_list("kpi", "n")
    )
    return render(
        request,
        "audit/kpi_targets.html",
        {"rows": [(kpi, defaults.get(kpi.key), own.get(kpi.key, 0)) for kpi in kpis.KPIS]},
    )


def kpi_target_edit(request, key):
    permissions.require_head_of_psychotherapy(request.user)
    kpi = kpis.KPI_BY_KEY.get(key)
    if kpi is None:
        raise Http404
    communities = permissions.communities(request.user, "manage_audit").select_related(
        "establishment"
    )
    current = {
        community_id: value
        for community_id, value in KpiTarget.objects.filter(kpi=key).values_list(
            "community_id", "value"
        )
    }
    initial = {"default": current.get(None)} | {
        f"community_{pk}": value for pk, value in current.items() if pk is not None
    }
    form = KpiTargetForm(request.POST or None, initial=initial, kpi=kpi, communities=communities)

    @transaction.atomic
    def save(data):
        return [
            services.kpi_target_set(kpi=key, community=community, value=value, by=request.user)
            for community, value in form.targets()
        ]

    if pages.submit(form, save) is not None:
        messages.success(request, f"Targets for {kpi.label.lower()} saved.")
        return redirect("audit:kpi_targets")
    return render(
        request,
        "audit/kpi_target_form.html",
        {
            "form": form,
            "kpi": kpi,
            "title": f"Targets for {kpi.label.lower()}",
            "button": "Save the targets",
        },
    )


def write_csv(out, rows: list[kpis.CommunityKpis], period: kpis.Period) -> None:
    """One line per community and KPI: value, target, variance and status."""
    writer = csv.writer(out)
    writer.writerow(
        [
            "Community",
            "Establishment",
            "Period",
            "KPI",
            "Value",
            "Unit",
            "Target",
            "Variance",
            "Status",
        ]
    )
    for row in rows:
        lines = [
            (v.kpi.label, v.value, v.kpi.unit, v.target, v.variance, v.status) for v in row
        ] + [
            (f"Unplanned leavers: {label}", row.unplanned_by_type[value], "count", "", "", "")
            for value, label in kpis.UNPLANNED_TYPES
        ]
        for label, value, unit, target, variance, status in lines:
            writer.writerow(
                [
                    _safe(row.community.name),
                    _safe(row.community.establishment.name),
                    period.label,
                    label,
                    "" if value is None else value,
                    unit,
                    "" if target is None else target,
                    "" if variance is None else variance,
                    status,
                ]
            )


# A spreadsheet would run a cell starting with one of these as a formula (OWASP's list:
# tab and carriage return too, which some spreadsheets skip before reading an "=").
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe(text: str) -> str:
    return f"'{text}" if text[:1] in CSV_FORMULA_STARTS else text
