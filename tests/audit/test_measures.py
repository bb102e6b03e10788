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


def test_agreed_at_induction_counts_those_who_agreed_in_their_first_month(cast):
    from community.models import ConstitutionAgreement
    from tests.community.constitution_factories import amend

    constitution = amend(cast.a, cast.tm_a)

    def admitted(days_ago, agreed_after_days=None):
        resident = ResidentFactory(community=cast.a, admitted_on=TODAY - timedelta(days=days_ago))
        if agreed_after_days is not None:
            ConstitutionAgreement.objects.create(
                resident=resident,
                constitution=constitution,
                agreed_on=resident.admitted_on + timedelta(days=agreed_after_days),
                witnessed_by=cast.officer_a,
            )

    admitted(60, agreed_after_days=3)  # agreed in the first month
    admitted(90, agreed_after_days=45)  # agreed, but late
    admitted(120)  # never agreed
    admitted(10)  # not a month in yet
    admitted(400, agreed_after_days=1)  # admitted over a year ago
    figure = measures.figure("agreed_at_induction", cast.a, TODAY)
    assert (figure.numerator, figure.denominator) == (1, 3)


def test_community_meetings_held_over_the_last_13_weeks(cast):
    from datetime import time

    from community import services as community_services

    meeting = community_services.timetable_slot_add(
        community=cast.a,
        kind="community_meeting",
        weekday=TODAY.weekday(),
        starts_at=time(9, 30),
        duration_minutes=60,
        valid_from=TODAY - timedelta(weeks=30),
        facilitators=[],
        by=cast.tm_a,
    )
    for weeks_ago in range(0, 10):  # 10 of the 13 held; one before the window
        community_services.planned_session_hold(
            slot=meeting, on=TODAY - timedelta(weeks=weeks_ago), by=cast.officer_a
        )
    community_services.planned_session_hold(
        slot=meeting, on=TODAY - timedelta(weeks=20), by=cast.officer_a
    )
    figure = measures.figure("community_meetings_held", cast.a, TODAY)
    assert (figure.numerator, figure.denominator, figure.percent) == (10, 13, 77)


def test_staff_team_weekly_counts_the_weeks_the_team_met(cast):
    from community.models import MeetingKind, StaffMeeting

    monday = TODAY - timedelta(days=TODAY.weekday())

    def met(day, kind=MeetingKind.STAFF_TEAM):
        StaffMeeting.objects.create(
            community=cast.a,
            kind=kind,
            held_on=day,
            duration_minutes=60,
            minutes="The week.",
            recorded_by=cast.tm_a,
        )

    met(monday - timedelta(weeks=1))
    met(monday - timedelta(weeks=1) + timedelta(days=2))  # the same week again
    met(monday - timedelta(weeks=12))  # the first of the 12 weeks
    met(monday - timedelta(weeks=13))  # before them
    met(monday)  # this week is not yet whole
    met(monday - timedelta(weeks=3), kind=MeetingKind.CLINICAL)  # not the whole team
    figure = measures.figure("staff_team_weekly", cast.a, TODAY)
    assert (figure.numerator, figure.denominator) == (2, 12)


def test_meetings_minuted_of_those_held_over_the_last_13_weeks(cast):
    from community.models import CommunityMeeting
    from residents.models import Intervention

    def held(weeks_ago, minuted):
        session = GroupSessionFactory(
            community=cast.a,
            group_type=Intervention.COMMUNITY_MEETING,
            held_on=TODAY - timedelta(weeks=weeks_ago),
        )
        if minuted:
            CommunityMeeting.objects.create(
                community=cast.a,
                session=session,
                held_on=session.held_on,
                chair_staff=cast.tm_a,
                minute_taker=cast.officer_a,
                recorded_by=cast.officer_a,
            )

    held(1, minuted=True)
    held(2, minuted=True)
    held(3, minuted=False)
    held(20, minuted=True)  # before the 13 weeks
    GroupSessionFactory(community=cast.a, held_on=TODAY - timedelta(weeks=1))  # a small group
    figure = measures.figure("meetings_minuted", cast.a, TODAY)
    assert (figure.numerator, figure.denominator) == (2, 3)


def test_rule_breaks_brought_to_a_meeting_within_a_week(cast):
    from community.models import AgendaItem, CommunityMeeting, Motion
    from residents.models import Incident, Intervention

    resident = ResidentFactory(community=cast.a, admitted_on=date(2025, 1, 1))

    def rule_break(days_ago):
        return Incident.objects.create(
            resident=resident,
            occurred_on=TODAY - timedelta(days=days_ago),
            kind="rule_break",
            seriousness="moderate",
            description="Broke a rule.",
            recorded_by=cast.officer_a,
        )

    def meeting(days_ago):
        session = GroupSessionFactory(
            community=cast.a,
            group_type=Intervention.COMMUNITY_MEETING,
            held_on=TODAY - timedelta(days=days_ago),
        )
        return CommunityMeeting.objects.create(
            community=cast.a,
            session=session,
            held_on=session.held_on,
            chair_staff=cast.tm_a,
            minute_taker=cast.officer_a,
            recorded_by=cast.officer_a,
        )

    rule_break(30)  # brought as an agenda item three days later
    AgendaItem.objects.create(
        meeting=meeting(27), kind="rule_break", title="The rule break", minutes="Heard.",
        raised_by_staff=cast.officer_a, about=resident, recorded_by=cast.officer_a,
    )  # fmt: skip
    rule_break(50)  # voted on the same day
    Motion.objects.create(
        community=cast.a, held_on=TODAY - timedelta(days=50), kind="rule_break",
        resident=resident, residents_for=5, outcome="carried", recorded_by=cast.officer_a,
    )  # fmt: skip
    rule_break(70)  # never brought
    rule_break(3)  # less than a week ago: not yet due
    Incident.objects.create(
        resident=resident, occurred_on=TODAY - timedelta(days=40), kind="incident",
        seriousness="low", description="Not a rule break.", recorded_by=cast.officer_a,
    )  # fmt: skip
    figure = measures.figure("rule_breaks_brought", cast.a, TODAY)
    assert (figure.numerator, figure.denominator) == (2, 3)


def test_residents_in_jobs_counts_the_current_residents_holding_one_today(cast):
    from community.models import JobHolding
    from tests.community.constitution_factories import CommunityJobFactory

    chair = CommunityJobFactory(community=cast.a, name="Chair")
    secretary = CommunityJobFactory(community=cast.a, name="Secretary")

    def resident(**fields):
        return ResidentFactory(community=cast.a, admitted_on=date(2025, 1, 1), **fields)

    def holds(person, job, from_on, to_on=None):
        JobHolding.objects.create(
            job=job, resident=person, from_on=from_on, to_on=to_on,
            filled_by="election", recorded_by=cast.tm_a,
        )  # fmt: skip

    holds(resident(), chair, date(2026, 1, 1))
    holds(resident(), secretary, date(2025, 6, 1), to_on=date(2026, 1, 1))  # stood down
    holds(resident(), secretary, date(2026, 7, 1))  # not yet
    resident()  # no job
    figure = measures.figure("residents_in_jobs", cast.a, TODAY)
    assert (figure.numerator, figure.denominator) == (1, 4)
    assert StandardCriterion.objects.get(measure="residents_in_jobs").section.number == 4
