"""Dosage and attendance rate against hand-made fixtures with known answers."""

from datetime import date, timedelta
from decimal import Decimal

from django.urls import reverse

from residents.dosage import dosage
from residents.models import AttendanceStatus, PlanStatus
from tests.factories import ResidentFactory
from tests.residents.factories import (
    AttendanceFactory,
    GroupSessionFactory,
    TreatmentPlanFactory,
)

TODAY = date(2026, 6, 30)


def test_dosage_counts_hours_present_per_month_and_in_total(cast):
    resident = ResidentFactory(community=cast.a, admitted_on=TODAY - timedelta(weeks=10))
    for held_on, minutes, status in [
        (date(2026, 5, 4), 90, AttendanceStatus.PRESENT),
        (date(2026, 5, 11), 60, AttendanceStatus.PRESENT),
        (date(2026, 5, 18), 90, AttendanceStatus.ABSENT),
        (date(2026, 6, 1), 120, AttendanceStatus.PRESENT),
        (date(2026, 6, 8), 90, AttendanceStatus.EXCUSED),
    ]:
        AttendanceFactory(
            resident=resident,
            status=status,
            session=GroupSessionFactory(
                community=cast.a, held_on=held_on, duration_minutes=minutes
            ),
        )
    figures = dosage(resident, today=TODAY, plan=None)
    assert figures.hours == Decimal("4.5")  # 90 + 60 + 120 minutes
    assert figures.by_month == [
        (date(2026, 5, 1), Decimal("2.5")),
        (date(2026, 6, 1), Decimal("2.0")),
    ]
    assert (figures.present, figures.absent, figures.excused) == (3, 1, 1)
    # Excused absences are not held against the resident: 3 of 4.
    assert figures.attendance_rate == 75
    assert figures.expected_hours is None


def test_expected_hours_are_the_plans_weekly_hours_since_admission(cast):
    resident = ResidentFactory(community=cast.a, admitted_on=TODAY - timedelta(weeks=10))
    plan = TreatmentPlanFactory(
        resident=resident, expected_weekly_hours=Decimal("12.5"), status=PlanStatus.SIGNED_OFF
    )
    AttendanceFactory(
        resident=resident,
        session=GroupSessionFactory(community=cast.a, held_on=TODAY, duration_minutes=600),
    )
    figures = dosage(resident, today=TODAY, plan=plan)
    assert figures.expected_hours == Decimal("125.0")
    assert figures.percent_of_expected == 8  # 10 of 125 hours


def test_a_resident_with_no_register_marks_has_no_rate(cast):
    resident = ResidentFactory(community=cast.a)
    figures = dosage(resident, today=TODAY, plan=None)
    assert figures.hours == 0
    assert figures.attendance_rate is None


def test_late_and_left_early_count_the_session_less_the_minutes_missed(cast):
    resident = ResidentFactory(community=cast.a, admitted_on=TODAY - timedelta(weeks=10))
    for status, missed in [
        (AttendanceStatus.PRESENT, None),
        (AttendanceStatus.LATE, 10),
        (AttendanceStatus.LEFT_EARLY, 30),
        (AttendanceStatus.NOT_RECORDED, None),
    ]:
        AttendanceFactory(
            resident=resident,
            status=status,
            minutes_missed=missed,
            session=GroupSessionFactory(
                community=cast.a, held_on=date(2026, 6, 1), duration_minutes=90
            ),
        )
    figures = dosage(resident, today=TODAY, plan=None)
    assert figures.minutes == 90 + 80 + 60  # not recorded counts nothing
    assert figures.hours == Decimal("3.8")
    assert figures.by_month == [(date(2026, 6, 1), Decimal("3.8"))]
    # Late and left early attended; not recorded is neither for nor against.
    assert figures.attendance_rate == 100


def test_a_plan_with_no_hours_due_yet_has_no_percentage(cast):
    resident = ResidentFactory(community=cast.a, admitted_on=TODAY)
    plan = TreatmentPlanFactory(
        resident=resident, expected_weekly_hours=Decimal("7.5"), status=PlanStatus.SIGNED_OFF
    )
    figures = dosage(resident, today=TODAY, plan=plan)
    assert figures.expected_hours == 0
    assert figures.percent_of_expected is None


def test_the_resident_page_says_none_due_yet_never_none_percent(client, cast):
    resident = ResidentFactory(community=cast.a, admitted_on=date.today())
    TreatmentPlanFactory(
        resident=resident,
        expected_weekly_hours=Decimal("7.5"),
        status=PlanStatus.SIGNED_OFF,
        signed_off_by=cast.tm_a,
    )
    client.force_login(cast.clinician_a)
    page = client.get(reverse("residents:detail", args=[resident.pk])).content.decode()
    assert "None%" not in page
    assert "the plan expects 7.5 hours a week, none due yet" in page
