"""Compliance against hand-made sessions with answers worked out on paper.

TODAY is fixed. A 4-week requirement makes 6 periods counting back from TODAY:
period 0 is TODAY-27 .. TODAY, period 1 is TODAY-55 .. TODAY-28, and so on."""

from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dtc import services
from dtc.models import Role, RoleAssignment
from supervision import selectors
from supervision.models import RequirementKind, SessionType, SupervisionRequirement
from tests.factories import staff
from tests.supervision.factories import SupervisionSessionFactory

TODAY = date(2026, 3, 2)


def days_ago(n):
    return TODAY - timedelta(days=n)


def held(cast, person, n_days_ago, session_type=SessionType.INDIVIDUAL, others=()):
    return SupervisionSessionFactory(
        community=cast.a,
        session_type=session_type,
        supervisor=cast.hop,
        held_on=days_ago(n_days_ago),
        supervisees=[person, *others],
    )


def compliance_of(person):
    return selectors.staff_compliance([person], today=TODAY)[person.pk]


def test_periods_count_back_six_months_from_today():
    assert selectors.periods(TODAY, 4) == [
        (days_ago(27), TODAY),
        (days_ago(55), days_ago(28)),
        (days_ago(83), days_ago(56)),
        (days_ago(111), days_ago(84)),
        (days_ago(139), days_ago(112)),
        (days_ago(167), days_ago(140)),
    ]
    assert len(selectors.periods(TODAY, 2)) == 13


def test_therapy_manager_meets_half_of_their_monthly_periods(cast):
    # Periods 0 (3 days ago), 1 (30) and 3 (100) are met; 2, 4 and 5 are not.
    for n in (3, 30, 100):
        held(cast, cast.tm_a, n)
    figure = compliance_of(cast.tm_a)
    assert [k.kind for k in figure.kinds] == [RequirementKind.INDIVIDUAL]
    assert [met for *_span, met in figure.kinds[0].periods] == [
        True,
        True,
        False,
        True,
        False,
        False,
    ]
    assert (figure.met, figure.total, figure.percent) == (3, 6, 50)


def test_a_session_on_a_period_boundary_counts_in_its_own_period_only(cast):
    # 28 days ago is the last day of period 1, not the first of period 0.
    held(cast, cast.officer_a, 28, SessionType.GROUP, others=[cast.clinician_a])
    periods = compliance_of(cast.officer_a).kinds[0].periods
    assert [met for *_span, met in periods] == [False, True, False, False, False, False]

    held(cast, cast.officer_a, 27, SessionType.GROUP, others=[cast.clinician_a])
    periods = compliance_of(cast.officer_a).kinds[0].periods
    assert [met for *_span, met in periods] == [True, True, False, False, False, False]


def test_two_sessions_in_one_period_meet_it_once(cast):
    held(cast, cast.tm_a, 1)
    held(cast, cast.tm_a, 20)
    assert (compliance_of(cast.tm_a).met, compliance_of(cast.tm_a).total) == (1, 6)


def test_sessions_older_than_six_months_or_in_the_future_do_not_count(cast):
    held(cast, cast.tm_a, 182)
    held(cast, cast.tm_a, -1)
    assert compliance_of(cast.tm_a).met == 0


def test_a_group_session_does_not_meet_an_individual_requirement(cast):
    held(cast, cast.tm_a, 3, SessionType.GROUP, others=[cast.clinician_a])
    assert compliance_of(cast.tm_a).met == 0


def test_observation_and_trainee_sessions_meet_the_individual_requirement(cast):
    held(cast, cast.tm_a, 3, SessionType.OBSERVATION)
    held(cast, cast.tm_a, 30, SessionType.TRAINEE)
    assert compliance_of(cast.tm_a).met == 2


def test_clinician_has_both_individual_and_group_requirements(cast):
    # Individual monthly (6 periods) and group fortnightly (13 periods): 19 in all.
    held(cast, cast.clinician_a, 3)
    held(cast, cast.clinician_a, 3, SessionType.GROUP, others=[cast.officer_a])
    figure = compliance_of(cast.clinician_a)
    assert (figure.met, figure.total, figure.percent) == (2, 19, 11)


def test_a_personal_requirement_replaces_the_role_default(cast):
    SupervisionRequirement.objects.create(
        user=cast.tm_a,
        kind=RequirementKind.INDIVIDUAL,
        interval_weeks=2,
        reason="New in post",
        set_by=cast.hop,
    )
    # Fortnightly: 3 days ago is period 0, 30 days ago period 2, 100 days ago period 7.
    for n in (3, 30, 100):
        held(cast, cast.tm_a, n)
    figure = compliance_of(cast.tm_a)
    assert figure.kinds[0].overridden
    assert (figure.met, figure.total, figure.percent) == (3, 13, 23)


@pytest.mark.parametrize(("last_held", "overdue"), [(27, False), (28, False), (29, True)])
def test_supervision_is_overdue_once_the_interval_has_passed(cast, last_held, overdue):
    held(cast, cast.tm_a, last_held)
    kind = compliance_of(cast.tm_a).kinds[0]
    assert kind.due_on == days_ago(last_held) + timedelta(weeks=4)
    assert kind.is_overdue is overdue


def test_with_no_session_in_six_months_supervision_is_overdue(cast):
    assert compliance_of(cast.tm_a).kinds[0].is_overdue


def joins(cast, n_days_ago, role=Role.THERAPY_MANAGER, username="newcomer"):
    """Someone who took their role `n_days_ago`."""
    person = staff(username, role, cast.a)
    RoleAssignment.objects.filter(user=person).update(
        started_at=timezone.make_aware(datetime.combine(days_ago(n_days_ago), time(9)))
    )
    return person


def test_only_the_periods_since_joining_count(cast):
    # Joined 60 days ago: periods 0 (from 27 days ago) and 1 (from 55) began since.
    newcomer = joins(cast, 60)
    held(cast, newcomer, 10)
    figure = compliance_of(newcomer)
    assert [first for first, _last, _met in figure.kinds[0].periods] == [days_ago(27), days_ago(55)]
    assert (figure.met, figure.total, figure.percent) == (1, 2, 50)


def test_a_newcomer_has_no_figure_and_is_not_overdue_before_the_first_interval_passes(cast):
    kind = compliance_of(joins(cast, 20)).kinds[0]
    assert (kind.total, kind.due_on, kind.is_overdue) == (
        0,
        days_ago(20) + timedelta(weeks=4),
        False,
    )


def test_a_newcomer_never_supervised_is_overdue_an_interval_after_joining(cast):
    kind = compliance_of(joins(cast, 40)).kinds[0]
    assert (kind.due_on, kind.is_overdue) == (days_ago(12), True)


def test_a_change_of_role_keeps_the_day_the_person_joined(cast):
    person = joins(cast, 400, role=Role.OFFICER, username="promoted")
    services.role_end(assignment=RoleAssignment.objects.get(user=person), reason="Promoted")
    services.role_assign(user=person, role=Role.THERAPY_MANAGER, scope=cast.a)
    RoleAssignment.objects.filter(user=person, ended_at__isnull=True).update(
        started_at=timezone.make_aware(datetime.combine(days_ago(10), time(9)))
    )
    figure = compliance_of(person)
    assert [k.kind for k in figure.kinds] == [RequirementKind.INDIVIDUAL]  # the role held now
    assert figure.total == 6


def test_someone_who_left_before_the_six_months_and_came_back_counts_from_coming_back(cast):
    person = joins(cast, 900, username="returner")
    RoleAssignment.objects.filter(user=person).update(
        ended_at=timezone.make_aware(datetime.combine(days_ago(400), time(9)))
    )
    services.role_assign(user=person, role=Role.THERAPY_MANAGER, scope=cast.a)
    RoleAssignment.objects.filter(user=person, ended_at__isnull=True).update(
        started_at=timezone.make_aware(datetime.combine(days_ago(60), time(9)))
    )
    assert compliance_of(person).total == 2


def test_team_compliance_is_the_share_of_all_its_peoples_periods(cast):
    # Team A: tm 6 periods, clinician 6 + 13, officer 6, trainee 13 + 13 = 57 periods.
    for n in (3, 30, 100):
        held(cast, cast.tm_a, n)
    [team_a] = selectors.teams_compliance(cast.tm_a, today=TODAY)
    assert team_a.community == cast.a
    assert (team_a.met, team_a.total, team_a.percent) == (3, 57, 5)
    assert [s.user for s in team_a.overdue] == [s.user for s in team_a.staff if s.user != cast.tm_a]


def test_head_of_psychotherapy_sees_each_community_and_each_therapy_manager(cast):
    held(cast, cast.tm_a, 3)
    teams = selectors.teams_compliance(cast.hop, today=TODAY)
    assert [t.community for t in teams] == [cast.a, cast.b]
    managers = selectors.therapy_managers_compliance(teams)
    assert [(c, f.user, f.met) for c, f in managers] == [
        (cast.a, cast.tm_a, 1),
        (cast.b, cast.tm_b, 0),
    ]


def test_a_newcomers_record_says_no_period_has_passed_yet(client, cast):
    newcomer = staff("new", Role.CLINICIAN, cast.a)
    RoleAssignment.objects.filter(user=newcomer).update(started_at=timezone.now())
    client.force_login(cast.tm_a)
    page = client.get(reverse("supervision:record", args=[newcomer.pk])).content.decode()
    assert "No whole period since joining yet" in page
