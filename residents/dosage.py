"""The dosage figures of a resident.

Dosage: the therapeutic dosage is the hours of group sessions a resident attended
(marked present). The attendance rate is present / (present + absent): an excused
absence (a legal visit, healthcare) is not held against the resident. The expected
hours are the signed-off plan's weekly hours times the weeks since admission (to
leaving, for a resident who has left)."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from .models import (
    Attendance,
    AttendanceStatus,
    Resident,
    TreatmentPlan,
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
