"""The dosage figures of a resident.

Dosage: the therapeutic dosage is the hours of group sessions a resident attended:
the whole session when present, the session less the minutes missed when late or
leaving early; a mark of "not recorded" counts nothing. The attendance rate is
attended / (attended + absent): an excused absence (a legal visit, healthcare) is not
held against the resident, nor is a mark not recorded. The expected hours are the
signed-off plan's weekly hours times the weeks since admission (to leaving, for a
resident who has left): none are due in the resident's first days."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, Count, F, Sum, Value, When
from django.db.models.functions import Coalesce, Greatest, TruncMonth

from .models import (
    PART_ATTENDED,
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
    part_attended: int  # late or left early
    by_month: list[tuple[date, Decimal]]
    expected_hours: Decimal | None

    @property
    def hours(self) -> Decimal:
        return _hours(self.minutes)

    @property
    def attendance_rate(self) -> int | None:
        attended = self.present + self.part_attended
        counted = attended + self.absent
        return round(100 * attended / counted) if counted else None

    @property
    def percent_of_expected(self) -> int | None:
        """None without a plan or where no hours are due yet (a plan signed off in the
        resident's first days): there is nothing to be a percentage of."""
        if not self.expected_hours:
            return None
        return round(100 * self.hours / self.expected_hours)


def _hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def minutes_attended():
    """The minutes of its session an attendance row counts (Attendance.minutes_attended
    in SQL): the whole session when present, less the minutes missed when late or
    leaving early, none otherwise."""
    return Case(
        When(status=AttendanceStatus.PRESENT, then=F("session__duration_minutes")),
        When(
            status__in=PART_ATTENDED,
            then=Greatest(
                F("session__duration_minutes") - Coalesce(F("minutes_missed"), 0), Value(0)
            ),
        ),
        default=Value(0),
    )


def dosage(resident: Resident, *, today: date, plan: TreatmentPlan | None) -> Dosage:
    """The resident's attendance and hours, per month and in total, against the plan."""
    counts = dict(
        Attendance.objects.filter(resident=resident)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    monthly = (
        Attendance.objects.filter(
            resident=resident, status__in=[AttendanceStatus.PRESENT, *PART_ATTENDED]
        )
        .annotate(month=TruncMonth("session__held_on"))
        .values("month")
        .annotate(minutes=Sum(minutes_attended()))
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
        part_attended=sum(counts.get(status, 0) for status in PART_ATTENDED),
        minutes=sum(row["minutes"] for row in monthly),
        by_month=by_month,
        expected_hours=expected,
    )
