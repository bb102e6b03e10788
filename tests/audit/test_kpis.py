"""Each KPI against a small community whose answers are worked out by hand.

The period is January to March 2026 (90 days) and the figures are read on 1 June
2026, after it ended. The community has 10 beds."""

import csv
from datetime import date, datetime
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit import kpis
from audit.models import KpiTarget
from audit.views.kpis import write_csv
from dtc.models import Role
from residents.models import AttendanceStatus, LeavingType, TherapyReview
from supervision.models import RequirementKind, SessionType, SupervisionRequirement
from tests.factories import CommunityFactory, ResidentFactory, UserFactory, staff
from tests.referrals.factories import ReferralFactory
from tests.residents.factories import (
    AttendanceFactory,
    ClinicalDocumentFactory,
    GroupSessionFactory,
)
from tests.supervision.factories import SupervisionSessionFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 1)
Q1 = kpis.Period.containing("quarter", date(2026, 2, 14))
LONDON = ZoneInfo("Europe/London")


def on(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=LONDON)


@pytest.fixture
def community():
    community = CommunityFactory(capacity=10)
    clerk = UserFactory()
    # In residence all quarter: 90 days each. R1's review fell due on 1 March and
    # has not been held; R5's fell due on 10 March and was held late, on 20 April.
    r1 = ResidentFactory(
        community=community, admitted_on=date(2025, 6, 1), next_review_on=date(2026, 3, 1)
    )
    r5 = ResidentFactory(
        community=community, admitted_on=date(2025, 1, 1), next_review_on=date(2026, 9, 1)
    )
    TherapyReview.objects.create(
        resident=r5,
        due_on=date(2026, 3, 10),
        held_on=date(2026, 4, 20),
        outcome="continue",
        summary="Held late.",
        recorded_by=clerk,
    )
    # Completed on the quarter's last day: 90 days; 12-month mark 1 Jan 2026, retained.
    r3 = ResidentFactory(
        community=community,
        admitted_on=date(2025, 1, 1),
        left_on=date(2026, 3, 31),
        leaving_type=LeavingType.COMPLETED,
    )
    # Admitted and left in February: 28 days, an unplanned leaver.
    r2 = ResidentFactory(
        community=community,
        admitted_on=date(2026, 2, 1),
        left_on=date(2026, 2, 28),
        leaving_type=LeavingType.RULE_BREACH,
    )
    # Voted out on 10 January (10 days), before the 3-month mark of 15 January.
    ResidentFactory(
        community=community,
        admitted_on=date(2025, 10, 15),
        left_on=date(2026, 1, 10),
        leaving_type=LeavingType.VOTED_OUT,
    )
    # Another community's resident counts nowhere here.
    ResidentFactory(admitted_on=date(2025, 1, 1))

    # 300 minutes attended in the quarter: 5 hours. An absence and a session in April don't count.
    january = GroupSessionFactory(
        community=community, held_on=date(2026, 1, 15), duration_minutes=90
    )
    february = GroupSessionFactory(
        community=community, held_on=date(2026, 2, 10), duration_minutes=120
    )
    april = GroupSessionFactory(community=community, held_on=date(2026, 4, 2), duration_minutes=90)
    AttendanceFactory(session=january, resident=r1)
    AttendanceFactory(session=january, resident=r3)
    AttendanceFactory(session=february, resident=r1)
    AttendanceFactory(session=february, resident=r2, status=AttendanceStatus.ABSENT)
    AttendanceFactory(session=april, resident=r1)

    # Received in the quarter: A and C. Decided in it: A after 30 days (accepted), B after 50.
    ReferralFactory(
        community=community,
        referred_on=date(2026, 1, 10),
        decided_on=date(2026, 2, 9),
        accepted_on=date(2026, 2, 9),
    )
    ReferralFactory(
        community=community, referred_on=date(2025, 12, 1), decided_on=date(2026, 1, 20)
    )
    ReferralFactory(community=community, referred_on=date(2026, 3, 5))
    ReferralFactory(
        community=community, referred_on=date(2025, 11, 1), decided_on=date(2025, 12, 15)
    )

    # Overdue on 31 March: one never signed off, one signed off in April.
    due = date(2026, 3, 1)
    ClinicalDocumentFactory(resident=r1, due_on=due)
    ClinicalDocumentFactory(resident=r1, due_on=due, signed_off_at=on(date(2026, 3, 20)))
    ClinicalDocumentFactory(resident=r5, due_on=due, signed_off_at=on(date(2026, 4, 5)))
    ClinicalDocumentFactory(resident=r5, due_on=date(2026, 4, 10))

    # The team is one officer (group supervision every 4 weeks: 6 periods in the six
    # months to 31 March), supervised in a group once, on 20 March: 1 of 6.
    officer = staff("officer_k", Role.OFFICER, community)
    SupervisionSessionFactory(
        community=community,
        session_type=SessionType.GROUP,
        held_on=date(2026, 3, 20),
        supervisees=[officer],
    )
    return community


def figures(community, period=Q1):
    [row] = kpis.compute([community], period, today=TODAY)
    return row


def test_occupancy_is_resident_days_over_bed_days(community):
    # 90 + 90 + 90 + 28 + 10 = 308 resident-days over 10 beds × 90 days.
    value = figures(community).values["occupancy"]
    assert value.value == Decimal("34.2")
    assert value.detail == "308 of 900"


def test_referrals_received_accepted_and_admitted(community):
    row = figures(community)
    assert row.values["referrals_received"].value == 2
    assert row.values["referrals_accepted"].value == 1
    assert row.values["referrals_admitted"].value == 1


def test_median_days_from_referral_to_decision(community):
    assert figures(community).values["days_to_decision"].value == Decimal("40.0")


def test_median_days_is_empty_without_decisions(community):
    later = kpis.Period.containing("month", date(2026, 5, 1))
    assert figures(community, later).values["days_to_decision"].value is None


def test_retention_counts_the_marks_that_fall_in_the_period(community):
    row = figures(community)
    assert row.values["retention_3"].value == Decimal("0.0")  # voted out before the mark
    assert row.values["retention_3"].detail == "0 of 1"
    assert row.values["retention_6"].value is None  # no 6-month mark in the quarter
    assert row.values["retention_12"].value == Decimal("100.0")  # R3 and R5
    assert row.values["retention_12"].detail == "2 of 2"
    assert row.values["retention_18"].value is None


def test_completions_and_unplanned_leavers_by_type(community):
    row = figures(community)
    assert row.values["completions"].value == 1
    assert row.values["unplanned_leavers"].value == 2
    assert row.unplanned_by_type[LeavingType.RULE_BREACH] == 1
    assert row.unplanned_by_type[LeavingType.VOTED_OUT] == 1
    assert row.unplanned_by_type[LeavingType.RELEASED] == 0


def test_mean_dosage_is_hours_per_resident_week(community):
    # 5 hours attended over 308 / 7 = 44 resident-weeks.
    assert figures(community).values["mean_dosage"].value == Decimal("0.1")


def test_supervision_compliance_over_six_months_to_the_period_end(community):
    value = figures(community).values["supervision_compliance"]
    assert value.detail == "1 of 6"
    assert value.value == Decimal("16.7")


def test_overdue_reviews_on_the_last_day(community):
    assert figures(community).values["overdue_reviews"].value == 2


def test_overdue_documents_on_the_last_day(community):
    assert figures(community).values["overdue_documents"].value == 2


def test_a_running_period_is_measured_to_today(community):
    period = kpis.Period.containing("month", TODAY)
    assert period.as_of(TODAY) == TODAY
    # 1 June: R1 and R5 in residence, 2 of 10 beds for the one day.
    assert figures(community, period).values["occupancy"].value == Decimal("20.0")


def test_targets_give_variance_and_status(community, cast):
    KpiTarget.objects.filter(kpi="occupancy", community=None).update(value=Decimal("90"))
    KpiTarget.objects.create(kpi="overdue_documents", community=community, value=3)
    row = figures(community)
    occupancy = row.values["occupancy"]
    assert occupancy.variance == Decimal("-55.8")
    assert occupancy.status == "missed"
    assert occupancy.variance_display == "−55.8 points"
    documents = row.values["overdue_documents"]  # the community's own target, not the default 0
    assert documents.target == 3
    assert documents.status == "met"
    assert row.values["referrals_received"].status == ""  # no target
    assert row.missed == sum(1 for v in row if v.status == "missed")


def test_several_communities_in_the_same_queries(community, django_assert_max_num_queries):
    others = [CommunityFactory() for _ in range(5)]
    with django_assert_max_num_queries(20):
        rows = kpis.compute([community, *others], Q1, today=TODAY)
    assert [r.community for r in rows] == [community, *others]
    assert rows[0].values["occupancy"].value == Decimal("34.2")
    assert rows[1].values["occupancy"].value == Decimal("0.0")


def test_csv_has_a_line_per_kpi_and_leaving_type(community):
    out = StringIO()
    write_csv(out, [figures(community)], Q1)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("Community,Establishment,Period,KPI,Value")
    assert len(lines) == 1 + len(kpis.KPIS) + len(kpis.UNPLANNED_TYPES)
    assert (
        f"{community.name},{community.establishment.name},Jan–Mar 2026,Occupancy,34.2" in lines[1]
    )


@pytest.mark.parametrize(
    "start",
    ["=", "+", "-", "@", "\t", "\r"],
    ids=["equals", "plus", "minus", "at", "tab", "carriage-return"],
)
def test_csv_cells_cannot_start_a_formula(community, start):
    # OWASP's CSV injection rule: a cell starting with any of these is quoted.
    community.name = f"{start}HYPERLINK(1)"
    community.establishment.name = f"{start}cmd|' /C calc'!A0"
    out = StringIO()
    write_csv(out, [figures(community)], Q1)
    lines = list(csv.reader(StringIO(out.getvalue())))
    assert {line[0] for line in lines[1:]} == {f"'{start}HYPERLINK(1)"}
    assert {line[1] for line in lines[1:]} == {f"'{start}cmd|' /C calc'!A0"}


def test_csv_cells_starting_otherwise_are_left_as_they_are(community):
    community.name = "A wing (HYPERLINK)"
    out = StringIO()
    write_csv(out, [figures(community)], Q1)
    assert {line[0] for line in list(csv.reader(StringIO(out.getvalue())))[1:]} == {
        "A wing (HYPERLINK)"
    }


def test_trend_by_month(community):
    trend = kpis.trend(community, today=date(2026, 3, 31), months=3)
    assert trend.months == [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]
    assert trend.admitted == [0, 1, 0]
    assert trend.received == [1, 0, 1]
    # January: R1, R5, R3 all month (3 × 31) and the voted-out resident 10 days.
    assert trend.occupancy[0] == Decimal(round(100 * 103 / 310, 1)).quantize(Decimal("0.1"))


def test_the_cache_keeps_a_table_until_one_of_its_communities_changes(
    community, django_capture_on_commit_callbacks, django_assert_num_queries
):
    from django.core.cache import cache

    cache.clear()
    other = CommunityFactory()
    first = kpis.cached_compute([community, other], Q1, today=TODAY)
    with django_assert_num_queries(0):
        assert kpis.cached_compute([community, other], Q1, today=TODAY)[0].values == first[0].values
    # A resident admitted to the other community in the quarter: its figures move on.
    with django_capture_on_commit_callbacks(execute=True):
        ResidentFactory(community=other, admitted_on=date(2026, 2, 1))
    again = kpis.cached_compute([community, other], Q1, today=TODAY)
    assert again[1].values["referrals_admitted"].value == 1
    assert again[0].values == first[0].values


@pytest.mark.parametrize(
    "change",
    [
        "attendance",
        "document",
        "review",
        "supervision",
        "default_target",
        "role",
        "referral",
        "requirement",
    ],
)
def test_each_source_of_the_figures_invalidates_the_cache(
    community, django_capture_on_commit_callbacks, change
):
    from django.core.cache import cache

    cache.clear()
    kpis.cached_compute([community], Q1, today=TODAY)
    resident = community.residents.first()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        if change == "attendance":
            AttendanceFactory(
                session=GroupSessionFactory(community=community, held_on=date(2026, 3, 2)),
                resident=resident,
            )
        elif change == "document":
            ClinicalDocumentFactory(resident=resident, due_on=date(2026, 3, 2))
        elif change == "review":
            TherapyReview.objects.create(
                resident=resident,
                due_on=date(2026, 3, 1),
                held_on=date(2026, 3, 2),
                outcome="continue",
                summary="Held.",
                recorded_by=UserFactory(),
            )
        elif change == "supervision":
            officer = community.role_assignments.get().user
            SupervisionSessionFactory(
                session_type=SessionType.GROUP, held_on=date(2026, 3, 2), supervisees=[officer]
            )
        elif change == "default_target":
            target = KpiTarget.objects.get(kpi="occupancy", community=None)
            target.value = 50
            target.save()
        elif change == "role":
            staff("clinician_k", Role.CLINICIAN, community)
        elif change == "referral":
            ReferralFactory(community=community, referred_on=date(2026, 3, 2))
        elif change == "requirement":
            officer = community.role_assignments.get().user
            SupervisionRequirement.objects.create(
                user=officer,
                kind=RequirementKind.GROUP,
                interval_weeks=2,
                reason="Closer support",
                set_by=UserFactory(),
            )
    assert callbacks
    with CaptureQueriesContext(connection) as queries:
        kpis.cached_compute([community], Q1, today=TODAY)
    assert len(queries) > 0  # computed afresh under the new version


def test_an_unchanged_table_comes_from_the_cache(community, django_assert_num_queries):

    kpis.cached_compute([community], Q1, today=TODAY)
    with django_assert_num_queries(0):
        kpis.cached_compute([community], Q1, today=TODAY)


def test_a_chart_draws_markers_per_category():
    from audit.charts import bar_chart

    chart = bar_chart(
        title="Hours",
        categories=["Jan 2026", "Feb 2026"],
        series=[("Attended", [Decimal("5"), Decimal("10")])],
        markers=("Planned", [Decimal("20"), None]),
        unit="hours",
    )
    assert len(chart.bars) == 2 and len(chart.markers) == 1
    assert chart.columns == ["Attended", "Planned"]
    assert chart.rows[1] == ("Feb 2026", ["10 hours", "no figure"])
    assert chart.ticks[-1].label == "20"  # the scale reaches the highest marker
    assert chart.markers[0].y == chart.ticks[-1].y


def test_a_late_arrival_counts_the_minutes_attended_in_mean_dosage():
    # One resident for the whole quarter (90 days, 12.9 weeks): of a 600-minute session
    # he missed 300, so 5 hours count: 0.4 hours a week. A no-show counts nothing.
    community = CommunityFactory(capacity=10)
    resident = ResidentFactory(community=community, admitted_on=date(2025, 12, 1))
    session = GroupSessionFactory(
        community=community, held_on=date(2026, 1, 15), duration_minutes=600
    )
    AttendanceFactory(
        session=session, resident=resident, status=AttendanceStatus.LATE, minutes_missed=300
    )
    assert figures(community).values["mean_dosage"].value == Decimal("0.4")


def test_community_meetings_held_is_a_share_of_those_timetabled(cast):
    from datetime import time

    from community import services as community_services

    meeting = community_services.timetable_slot_add(
        community=cast.a,
        kind="community_meeting",
        weekday=0,
        starts_at=time(9, 30),
        duration_minutes=60,
        valid_from=date(2026, 1, 5),
        facilitators=[],
        by=cast.tm_a,
    )
    # Mondays of January 2026: the 5th, 12th, 19th and 26th; three held.
    for day in (5, 12, 26):
        community_services.planned_session_hold(
            slot=meeting, on=date(2026, 1, day), by=cast.officer_a
        )
    [a, b] = kpis.compute(
        [cast.a, cast.b], kpis.Period("month", date(2026, 1, 1)), today=date(2026, 3, 1)
    )
    held = a.values["meetings_held"]
    assert (held.value, held.detail, held.target) == (Decimal("75.0"), "3 of 4", Decimal(95))
    assert b.values["meetings_held"].value is None


def test_motions_held_counts_the_motions_of_the_period_in_effect(cast):
    from community.models import Motion

    def motion(day, **fields):
        return Motion.objects.create(
            community=cast.a, held_on=day, kind="other", wording="A pool table.",
            residents_for=5, outcome="carried", recorded_by=cast.officer_a, **fields,
        )  # fmt: skip

    motion(date(2026, 1, 5))
    motion(date(2026, 1, 31))
    motion(date(2026, 2, 1))  # the next month
    motion(date(2026, 1, 12), entered_in_error_at=on(date(2026, 1, 13)))
    [a] = kpis.compute([cast.a], kpis.Period("month", date(2026, 1, 1)), today=date(2026, 3, 1))
    assert a.values["motions_held"].value == 2
