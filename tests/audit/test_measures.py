"""The evidence figures shown beside criteria, against hand-made records."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from audit import measures
from audit.models import StandardCriterion
from dtc.models import Role
from residents.models import PlanStatus, TherapyReview
from supervision.models import SessionType
from tests.factories import CommunityFactory, ResidentFactory, UserFactory, staff
from tests.residents.factories import (
    AttendanceFactory,
    ClinicalDocumentFactory,
    GroupSessionFactory,
    TreatmentPlanFactory,
)
from tests.supervision.factories import SupervisionSessionFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 1)


@pytest.fixture
def community():
    return CommunityFactory()


def test_each_measured_criterion_names_a_known_measure():
    named = set(StandardCriterion.objects.exclude(measure="").values_list("measure", flat=True))
    assert named == set(measures.MEASURES)


def test_plans_signed_off_counts_residents_past_twelve_weeks(community):
    old = ResidentFactory(community=community, admitted_on=TODAY - timedelta(weeks=20))
    TreatmentPlanFactory(resident=old, status=PlanStatus.SIGNED_OFF)
    unsigned = ResidentFactory(community=community, admitted_on=TODAY - timedelta(weeks=13))
    TreatmentPlanFactory(resident=unsigned, status=PlanStatus.DRAFT)
    ResidentFactory(community=community, admitted_on=TODAY - timedelta(weeks=4))  # not yet due
    ResidentFactory(
        community=community, admitted_on=date(2025, 1, 1), left_on=date(2026, 1, 1)
    )  # left
    figure = measures.figure("plans_signed_off", community, TODAY)
    assert (figure.numerator, figure.denominator) == (1, 2)
    assert figure.percent == 50
    assert figure.label == "Residents past 12 weeks with a signed-off plan"


def test_plans_reviewed_in_the_last_six_months(community):
    clerk = UserFactory()
    reviewed = ResidentFactory(community=community, admitted_on=date(2025, 1, 1))
    stale = ResidentFactory(community=community, admitted_on=date(2025, 1, 1))
    ResidentFactory(community=community, admitted_on=date(2026, 3, 1))  # under six months
    for resident, held_on in [(reviewed, date(2026, 4, 1)), (stale, date(2025, 11, 1))]:
        TherapyReview.objects.create(
            resident=resident,
            due_on=held_on,
            held_on=held_on,
            outcome="continue",
            summary="Reviewed.",
            recorded_by=clerk,
        )
    figure = measures.figure("plans_reviewed", community, TODAY)
    assert (figure.numerator, figure.denominator) == (1, 2)


def test_dosage_against_plan_over_four_weeks(community):
    # Planned 2 hours a week: 8 hours in four weeks. One attends 4 × 120 minutes, one 1 × 120.
    enough = ResidentFactory(community=community, admitted_on=date(2025, 1, 1))
    short = ResidentFactory(community=community, admitted_on=date(2025, 1, 1))
    for resident in (enough, short):
        TreatmentPlanFactory(
            resident=resident, status=PlanStatus.SIGNED_OFF, expected_weekly_hours=Decimal("2")
        )
    ResidentFactory(community=community, admitted_on=date(2025, 1, 1))  # no plan: not counted
    for week in range(4):
        session = GroupSessionFactory(
            community=community, held_on=TODAY - timedelta(weeks=week), duration_minutes=120
        )
        AttendanceFactory(session=session, resident=enough)
        if week == 0:
            AttendanceFactory(session=session, resident=short)
    figure = measures.figure("dosage_against_plan", community, TODAY)
    assert (figure.numerator, figure.denominator) == (1, 2)


def test_supervision_compliance_of_the_team(community):
    # A Therapy Manager needs individual supervision every 4 weeks: 6 periods in six
    # months. Supervised in the latest two.
    tm = staff("tm_k", Role.THERAPY_MANAGER, community)
    for days_ago in (3, 30):
        SupervisionSessionFactory(
            community=community,
            session_type=SessionType.INDIVIDUAL,
            held_on=TODAY - timedelta(days=days_ago),
            supervisees=[tm],
        )
    figure = measures.figure("supervision_compliance", community, TODAY)
    assert (figure.numerator, figure.denominator) == (2, 6)


def test_documents_signed_off_by_their_due_date(community):
    resident = ResidentFactory(community=community, admitted_on=date(2025, 1, 1))
    london = ZoneInfo("Europe/London")
    due = date(2026, 5, 1)
    ClinicalDocumentFactory(
        resident=resident, due_on=due, signed_off_at=datetime(2026, 5, 1, 23, 30, tzinfo=london)
    )
    ClinicalDocumentFactory(
        resident=resident, due_on=due, signed_off_at=datetime(2026, 5, 2, 9, tzinfo=london)
    )
    ClinicalDocumentFactory(resident=resident, due_on=due)  # never signed off
    ClinicalDocumentFactory(resident=resident, due_on=date(2025, 10, 1))  # before the window
    ClinicalDocumentFactory(resident=resident, due_on=date(2026, 7, 1))  # not yet due
    figure = measures.figure("documents_on_time", community, TODAY)
    assert (figure.numerator, figure.denominator) == (1, 3)


def test_a_community_with_nothing_to_measure_has_no_percentage(community):
    figure = measures.figure("plans_reviewed", community, TODAY)
    assert (figure.numerator, figure.denominator, figure.percent) == (0, 0, None)


def test_the_rating_page_shows_the_figure(client, cast):
    from audit import services

    cycle = services.cycle_open(community=cast.a, title="A review", by=cast.tm_a)
    criterion = StandardCriterion.objects.get(measure="supervision_compliance")
    client.force_login(cast.tm_a)
    response = client.get(f"/audit/cycles/{cycle.pk}/criteria/{criterion.pk}/rate/")
    assert "Supervision periods met by the team" in response.content.decode()
