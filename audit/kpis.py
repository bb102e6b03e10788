"""Key performance indicators per community and period, computed from the records.

Every figure is computed for many communities at once, with one grouped query per
source table, so the Head of Psychotherapy's table costs the same few queries for
two communities or fifty. A period that has not ended yet is measured up to today.

Definitions (shown to users beside each KPI):
- Occupancy: resident-days in the period over beds × days.
- Referrals received / accepted / admitted: referred, accepted or admitted in the period.
- Median days to decision: from referral to the decision (accept, decline or defer),
  over the decisions made in the period.
- Retention at N months: of the residents whose N-month mark fell in the period, the
  share still in residence on that day.
- Completions and unplanned leavers: residents who left in the period, completed or not.
- Mean dosage: hours of group therapy attended per resident per week in residence.
- Supervision compliance: the team's supervision periods met over the six months to
  the period's end (see supervision/selectors.py), for the team as it is now.
- Therapeutic hours lost: the hours of residents' sessions cancelled, over those the
  timetable planned; community meetings held: those recorded as held, over those the
  timetable planned (community/selectors/timetable.py).
- Overdue reviews and documents: on the period's last day (or today)."""

import functools
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth

from community.models import CancellationCause, Motion
from community.selectors import timetable
from dtc import versions
from dtc.models import Community, RoleAssignment, User
from referrals.models import Referral
from residents.dosage import minutes_attended
from residents.models import (
    ATTENDED,
    Attendance,
    ClinicalDocument,
    LeavingType,
    Resident,
    TherapyReview,
)
from supervision.models import SUPERVISED_ROLES
from supervision.selectors import staff_compliance

RETENTION_MONTHS = (3, 6, 12, 18)
PERIOD_KINDS = {"month": 1, "quarter": 3, "year": 12}


@dataclass(frozen=True)
class Period:
    """A calendar month, quarter or year."""

    kind: str
    start: date

    @classmethod
    def containing(cls, kind: str, day: date) -> "Period":
        if kind not in PERIOD_KINDS:
            raise ValueError(f"Unknown period {kind!r}")
        months = PERIOD_KINDS[kind]
        first_month = (day.month - 1) // months * months + 1
        return cls(kind, date(day.year, first_month, 1))

    @property
    def end(self) -> date:
        return self.start + relativedelta(months=PERIOD_KINDS[self.kind]) - timedelta(days=1)

    def previous(self) -> "Period":
        return Period(self.kind, self.start - relativedelta(months=PERIOD_KINDS[self.kind]))

    def next(self) -> "Period":
        return Period(self.kind, self.end + timedelta(days=1))

    def as_of(self, today: date) -> date:
        """The last day measured: the period's end, or today while it runs."""
        return min(self.end, today)

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.start:%B %Y}"
        if self.kind == "quarter":
            return f"{self.start:%b}–{self.end:%b %Y}"
        return f"{self.start:%b %Y}–{self.end:%b %Y}"


@dataclass(frozen=True)
class Kpi:
    key: str
    label: str
    unit: str  # "percent", "count", "days" or "hours"
    # Which way is good: "higher", "lower", or "" where a count has no good direction.
    better: str
    definition: str


KPIS = [
    Kpi("occupancy", "Occupancy", "percent", "higher", "Resident-days over beds × days."),
    Kpi("referrals_received", "Referrals received", "count", "higher", "Referred in the period."),
    Kpi("referrals_accepted", "Referrals accepted", "count", "higher", "Accepted in the period."),
    Kpi("referrals_admitted", "Admissions", "count", "higher", "Admitted in the period."),
    Kpi(
        "days_to_decision",
        "Median days from referral to decision",
        "days",
        "lower",
        "Over the decisions made in the period.",
    ),
    *(
        Kpi(
            f"retention_{months}",
            f"Retention at {months} months",
            "percent",
            "higher",
            f"Of residents whose {months}-month mark fell in the period, the share still there.",
        )
        for months in RETENTION_MONTHS
    ),
    Kpi(
        "completions", "Completions", "count", "higher", "Left in the period, treatment completed."
    ),
    Kpi(
        "unplanned_leavers",
        "Unplanned leavers",
        "count",
        "lower",
        "Left in the period without completing; by type below.",
    ),
    Kpi(
        "mean_dosage",
        "Mean dosage (hours a week)",
        "hours",
        "higher",
        "Group hours attended per resident per week in residence.",
    ),
    Kpi(
        "supervision_compliance",
        "Supervision compliance",
        "percent",
        "higher",
        "Supervision periods met by the team over the six months to the period's end.",
    ),
    Kpi(
        "hours_lost",
        "Therapeutic hours lost",
        "percent",
        "lower",
        "Of the residents' sessions the timetable planned, the share of hours cancelled "
        "(by cause on the community's timetable figures).",
    ),
    Kpi(
        "meetings_held",
        "Community meetings held",
        "percent",
        "higher",
        "Of the community meetings the timetable planned, the share recorded as held.",
    ),
    Kpi(
        "motions_held",
        "Motions voted on",
        "count",
        "",
        "Motions put to the community's vote in the period, of every kind.",
    ),
    Kpi(
        "overdue_reviews",
        "Overdue therapy reviews",
        "count",
        "lower",
        "Residents past their review date on the period's last day.",
    ),
    Kpi(
        "overdue_documents",
        "Overdue documents",
        "count",
        "lower",
        "Documents past their due date and not signed off on the period's last day.",
    ),
]
KPI_BY_KEY = {kpi.key: kpi for kpi in KPIS}
UNPLANNED_TYPES = [
    (value, label) for value, label in LeavingType.choices if value != LeavingType.COMPLETED
]


@dataclass
class Value:
    """One KPI's figure for one community, with its target and how it compares."""

    kpi: Kpi
    value: Decimal | None  # None when there is nothing to measure (no decisions, no cohort)
    target: Decimal | None = None
    detail: str = ""  # the fraction behind a percentage, e.g. "9 of 12"

    @property
    def variance(self) -> Decimal | None:
        if self.value is None or self.target is None:
            return None
        return self.value - self.target

    @property
    def display(self) -> str:
        return _display(self.value, self.kpi.unit)

    @property
    def target_display(self) -> str:
        return _display(self.target, self.kpi.unit) if self.target is not None else ""

    @property
    def variance_display(self) -> str:
        """ "+2.5 points", "−3 days": the sign says which side of the target it is."""
        if self.variance is None:
            return ""
        sign = "+" if self.variance > 0 else "−" if self.variance < 0 else "±"
        size = abs(self.variance).normalize()
        unit = {"percent": " points", "days": " days", "hours": " hours"}.get(self.kpi.unit, "")
        return f"{sign}{size:f}{unit}"

    @property
    def status(self) -> str:
        """ "met", "missed" or "" (no target, no figure or no direction)."""
        if self.variance is None or not self.kpi.better:
            return ""
        good = self.variance >= 0 if self.kpi.better == "higher" else self.variance <= 0
        return "met" if good else "missed"


@dataclass
class CommunityKpis:
    community: Community
    values: dict[str, Value]
    unplanned_by_type: dict[str, int] = field(default_factory=dict)

    def __iter__(self):
        return iter(self.values[kpi.key] for kpi in KPIS)

    @property
    def missed(self) -> int:
        return sum(1 for value in self.values.values() if value.status == "missed")


def _display(value: Decimal | None, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "percent":
        return f"{value}%"
    if unit == "days":
        return f"{value.normalize():f} days"
    if unit == "hours":
        return f"{value} hours"
    return f"{value.normalize():f}"


def _round(number, places: str = "0.1") -> Decimal:
    return Decimal(number).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def _percent(numerator: int, denominator: int) -> tuple[Decimal | None, str]:
    if not denominator:
        return None, "none to measure"
    return _round(100 * Decimal(numerator) / denominator), f"{numerator} of {denominator}"


def _overlap_days(admitted_on: date, left_on: date | None, start: date, end: date) -> int:
    first = max(admitted_on, start)
    last = min(left_on, end) if left_on else end
    return max((last - first).days + 1, 0)


def compute(communities, period: Period, *, today: date) -> list[CommunityKpis]:
    """The KPIs of each community for the period, with targets, in community order."""
    communities = list(communities)
    ids = [c.pk for c in communities]
    start, end = period.start, period.as_of(today)
    days = (end - start).days + 1
    raw: dict[int, dict[str, tuple[Decimal | None, str]]] = {pk: {} for pk in ids}
    unplanned: dict[int, dict[str, int]] = {pk: defaultdict(int) for pk in ids}

    # Residents in residence at some point of the period: occupancy, leavers, dosage.
    resident_days = defaultdict(int)
    completions = defaultdict(int)
    for community_id, admitted_on, left_on, leaving_type in (
        Resident.objects.filter(community_id__in=ids, admitted_on__lte=end)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=start))
        .values_list("community_id", "admitted_on", "left_on", "leaving_type")
    ):
        resident_days[community_id] += _overlap_days(admitted_on, left_on, start, end)
        if left_on and start <= left_on <= end:
            if leaving_type == LeavingType.COMPLETED:
                completions[community_id] += 1
            else:
                unplanned[community_id][leaving_type or LeavingType.OTHER] += 1

    attended_minutes = dict(
        Attendance.objects.filter(
            session__community_id__in=ids,
            session__held_on__range=(start, end),
            status__in=ATTENDED,
        )
        .values_list("session__community_id")
        .annotate(minutes=Sum(minutes_attended()))
        .values_list("session__community_id", "minutes")
    )

    referrals = Referral.objects.filter(community_id__in=ids)
    received = _counts(referrals.filter(referred_on__range=(start, end)))
    accepted = _counts(referrals.filter(accepted_on__range=(start, end)))
    admitted = _counts(
        Resident.objects.filter(community_id__in=ids, admitted_on__range=(start, end))
    )
    waits = defaultdict(list)
    for community_id, referred_on, decided_on in referrals.filter(
        decided_on__range=(start, end)
    ).values_list("community_id", "referred_on", "decided_on"):
        waits[community_id].append((decided_on - referred_on).days)

    slots = timetable.programme_slots(ids, start=start, end=end)
    planned_hours = timetable.hours_planned(ids, start=start, end=end, slots=slots)
    lost_hours = timetable.hours_lost(ids, start=start, end=end)
    meetings = timetable.meetings_held(ids, start=start, end=end, slots=slots)
    motions = _counts(
        Motion.objects.in_effect().filter(community_id__in=ids, held_on__range=(start, end))
    )
    retention = _retention(ids, start, end)
    supervision = supervision_periods(ids, end)
    overdue_reviews = _overdue_reviews(ids, end, today)
    overdue_documents = _counts(
        ClinicalDocument.objects.filter(resident__community_id__in=ids, due_on__lt=end).filter(
            Q(signed_off_at__isnull=True) | Q(signed_off_at__date__gt=end)
        ),
        "resident__community_id",
    )

    for community in communities:
        pk = community.pk
        figures = raw[pk]
        figures["occupancy"] = _percent(resident_days[pk], community.capacity * days)
        figures["referrals_received"] = (Decimal(received.get(pk, 0)), "")
        figures["referrals_accepted"] = (Decimal(accepted.get(pk, 0)), "")
        figures["referrals_admitted"] = (Decimal(admitted.get(pk, 0)), "")
        figures["days_to_decision"] = (
            (_round(statistics.median(waits[pk])), f"{len(waits[pk])} decisions")
            if waits[pk]
            else (None, "no decisions")
        )
        for months in RETENTION_MONTHS:
            figures[f"retention_{months}"] = _percent(*retention[pk, months])
        figures["completions"] = (Decimal(completions[pk]), "")
        figures["unplanned_leavers"] = (Decimal(sum(unplanned[pk].values())), "")
        resident_weeks = Decimal(resident_days[pk]) / 7
        figures["mean_dosage"] = (
            (
                _round(Decimal(attended_minutes.get(pk, 0)) / 60 / resident_weeks),
                f"{_round(Decimal(attended_minutes.get(pk, 0)) / 60)} hours attended",
            )
            if resident_days[pk]
            else (None, "no residents")
        )
        figures["supervision_compliance"] = _percent(*supervision.get(pk, (0, 0)))
        figures["hours_lost"] = _hours_lost(planned_hours.get(pk), lost_hours.get(pk, {}))
        figures["meetings_held"] = _percent(*meetings.get(pk, (0, 0)))
        figures["motions_held"] = (Decimal(motions.get(pk, 0)), "")
        figures["overdue_reviews"] = (Decimal(overdue_reviews.get(pk, 0)), "")
        figures["overdue_documents"] = (Decimal(overdue_documents.get(pk, 0)), "")

    targets = targets_for(ids)
    return [
        CommunityKpis(
            community=community,
            values={
                kpi.key: Value(
                    kpi,
                    value=raw[community.pk][kpi.key][0],
                    target=targets.get((community.pk, kpi.key)),
                    detail=raw[community.pk][kpi.key][1],
                )
                for kpi in KPIS
            },
            unplanned_by_type={
                value: unplanned[community.pk].get(value, 0) for value, _label in UNPLANNED_TYPES
            },
        )
        for community in communities
    ]


def _hours_lost(planned: Decimal | None, lost: dict[str, Decimal]) -> tuple[Decimal | None, str]:
    if not planned:
        return None, "nothing on the timetable"
    total = sum(lost.values(), Decimal(0))
    causes = ", ".join(
        f"{label.lower()} {_round(lost[value])}"
        for value, label in CancellationCause.choices
        if lost.get(value)
    )
    detail = f"{_round(total)} of {_round(planned)} hours" + (f": {causes}" if causes else "")
    return _round(total * 100 / planned), detail


def _counts(queryset, field_name: str = "community_id") -> dict[int, int]:
    return dict(
        queryset.order_by()
        .values_list(field_name)
        .annotate(n=Count("pk"))
        .values_list(field_name, "n")
    )


@functools.lru_cache(maxsize=8192)
def _months_after(day: date, months: int) -> date:
    # Residents share admission days: compute each mark once (relativedelta is slow).
    return day + relativedelta(months=months)


def _retention(ids, start: date, end: date) -> dict[tuple[int, int], tuple[int, int]]:
    """(community, months) -> (retained, cohort) for marks falling in [start, end]."""
    result = {(pk, months): (0, 0) for pk in ids for months in RETENTION_MONTHS}
    longest, shortest = max(RETENTION_MONTHS), min(RETENTION_MONTHS)
    rows = Resident.objects.filter(
        community_id__in=ids,
        admitted_on__gte=start - relativedelta(months=longest),
        admitted_on__lte=end - relativedelta(months=shortest),
    ).values_list("community_id", "admitted_on", "left_on")
    for community_id, admitted_on, left_on in rows:
        for months in RETENTION_MONTHS:
            mark = _months_after(admitted_on, months)
            if start <= mark <= end:
                retained, cohort = result[community_id, months]
                stayed = left_on is None or left_on >= mark
                result[community_id, months] = (retained + stayed, cohort + 1)
    return result


def supervision_periods(ids, on: date) -> dict[int, tuple[int, int]]:
    """community -> (periods met, periods required) for its current team, as of `on`."""
    members = set(
        RoleAssignment.objects.active()
        .filter(community_id__in=ids, role__in=SUPERVISED_ROLES)
        .values_list("community_id", "user_id")
    )
    figures = staff_compliance(User.objects.filter(pk__in={u for _c, u in members}), today=on)
    result = defaultdict(lambda: (0, 0))
    for community_id, user_id in members:
        met, total = result[community_id]
        result[community_id] = (met + figures[user_id].met, total + figures[user_id].total)
    return result


def _overdue_reviews(ids, on: date, today: date) -> dict[int, int]:
    """Residents in residence on `on` whose review was due before it and not yet held:
    reviews held late after that day, and reviews still not held (next_review_on)."""
    in_residence = Q(resident__admitted_on__lte=on) & (
        Q(resident__left_on__isnull=True) | Q(resident__left_on__gte=on)
    )
    held_late = _counts(
        TherapyReview.objects.in_effect().filter(
            in_residence, resident__community_id__in=ids, due_on__lt=on, held_on__gt=on
        ),
        "resident__community_id",
    )
    still_due = _counts(
        Resident.objects.filter(
            community_id__in=ids, admitted_on__lte=on, left_on__isnull=True, next_review_on__lt=on
        )
    )
    return {pk: held_late.get(pk, 0) + still_due.get(pk, 0) for pk in ids}


def cached_compute(communities, period: Period, *, today: date) -> list[CommunityKpis]:
    """compute(), from the cache until a record of one of the communities changes."""
    communities = list(communities)
    return versions.cached(
        "kpis",
        [c.pk for c in communities],
        lambda: compute(communities, period, today=today),
        period.kind,
        period.start,
        period.as_of(today),
    )


@dataclass
class Trend:
    months: list[date]
    occupancy: list[Decimal | None]
    mean_dosage: list[Decimal | None]
    received: list[Decimal]
    admitted: list[Decimal]


def trend(community, *, today: date, months: int = 12) -> Trend:
    """Month by month, the last `months` months to today: occupancy, mean dosage,
    referrals received and admissions, in four queries."""
    firsts = [
        Period.containing("month", today).start - relativedelta(months=n)
        for n in range(months - 1, -1, -1)
    ]
    start = firsts[0]
    periods = [(first, Period("month", first).as_of(today)) for first in firsts]
    residents = list(
        Resident.objects.filter(community=community, admitted_on__lte=today)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=start))
        .values_list("admitted_on", "left_on")
    )
    minutes = dict(
        Attendance.objects.filter(
            session__community=community,
            session__held_on__range=(start, today),
            status__in=ATTENDED,
        )
        .annotate(month=TruncMonth("session__held_on"))
        .values_list("month")
        .annotate(minutes=Sum(minutes_attended()))
        .values_list("month", "minutes")
    )
    received = dict(
        Referral.objects.filter(community=community, referred_on__range=(start, today))
        .annotate(month=TruncMonth("referred_on"))
        .values_list("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    trend = Trend(firsts, [], [], [], [])
    for first, last in periods:
        days = sum(_overlap_days(a, left, first, last) for a, left in residents)
        trend.occupancy.append(_percent(days, community.capacity * ((last - first).days + 1))[0])
        trend.mean_dosage.append(
            _round(Decimal(minutes.get(first, 0)) / 60 / (Decimal(days) / 7)) if days else None
        )
        trend.received.append(Decimal(received.get(first, 0)))
        trend.admitted.append(Decimal(sum(1 for a, _left in residents if first <= a <= last)))
    return trend


def cached_trend(community, *, today: date) -> Trend:
    """trend(), from the cache until a record of the community changes."""
    return versions.cached(
        "kpi-trend", [community.pk], lambda: trend(community, today=today), today
    )


def targets_for(community_ids) -> dict[tuple[int, str], Decimal]:
    """(community, KPI) -> target: the community's own where set, else the default."""
    from .models import KpiTarget

    defaults, own = {}, {}
    for community_id, key, value in KpiTarget.objects.filter(
        Q(community__isnull=True) | Q(community_id__in=community_ids)
    ).values_list("community_id", "kpi", "value"):
        (own if community_id else defaults)[community_id, key] = value
    return {
        (pk, kpi.key): own.get((pk, kpi.key), defaults.get((None, kpi.key)))
        for pk in community_ids
        for kpi in KPIS
        if own.get((pk, kpi.key), defaults.get((None, kpi.key))) is not None
    }
