"""plan_change: the clinical team changes a draft treatment plan's expected hours, review
date and formulation. A signed-off version is locked: a change starts a new version."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from dtc.models import Role
from residents import services
from residents.models import Phase, PlanStatus, ResidentAccess
from tests.factories import ResidentFactory
from tests.residents.factories import TreatmentPlanFactory

TODAY = timezone.localdate()
FORMULATION = "Violence when he feels shamed in front of peers."


@pytest.fixture
def plan(cast):
    resident = ResidentFactory(community=cast.a)
    return TreatmentPlanFactory(resident=resident, version=1, created_by=cast.clinician_a)


def _change(plan, by, hours="12.5", formulation=FORMULATION):
    return services.plan_change(
        plan=plan,
        expected_weekly_hours=Decimal(hours),
        review_on=TODAY + timedelta(days=60),
        formulation=formulation,
        by=by,
    )


def test_a_draft_takes_the_new_hours_review_date_and_formulation(cast, plan):
    _change(plan, cast.clinician_a)
    plan.refresh_from_db()
    assert (plan.expected_weekly_hours, plan.review_on, plan.formulation) == (
        Decimal("12.5"),
        TODAY + timedelta(days=60),
        FORMULATION,
    )
    assert (plan.version, plan.status) == (1, PlanStatus.DRAFT)
    latest = plan.history.first()
    assert (latest.history_type, latest.history_user) == ("~", cast.clinician_a)


def test_a_signed_off_version_is_locked(cast, plan):
    plan.status = PlanStatus.SIGNED_OFF
    plan.save()
    with pytest.raises(ValidationError) as refused:
        _change(plan, cast.tm_a)
    assert "Start a new version" in refused.value.messages[0]
    plan.refresh_from_db()
    assert (plan.expected_weekly_hours, plan.formulation) == (Decimal("10.0"), "")


def test_the_lock_is_read_from_the_saved_version_not_the_one_in_hand(cast, plan):
    stale = type(plan).objects.get(pk=plan.pk)
    plan.status = PlanStatus.SIGNED_OFF
    plan.save()
    with pytest.raises(ValidationError):
        _change(stale, cast.clinician_a)


@pytest.mark.parametrize("hours", ["-1", "40.5"])
def test_expected_hours_outside_a_week_of_therapy_are_refused(cast, plan, hours):
    with pytest.raises(ValidationError) as refused:
        _change(plan, cast.clinician_a, hours=hours)
    assert "expected_weekly_hours" in refused.value.message_dict
    plan.refresh_from_db()
    assert plan.expected_weekly_hours == Decimal("10.0")


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.THERAPY_MANAGER, True),
        (Role.CLINICIAN, True),
        (Role.TRAINEE, True),
        (Role.OFFICER, False),
        (Role.HEAD_OF_PSYCHOTHERAPY, False),
        (Role.AUDITOR, False),
    ],
)
def test_who_may_change_a_plan(cast, plan, role, allowed):
    by = cast.by_role(role)
    if allowed:
        _change(plan, by)
        assert plan.history.first().history_user == by
    else:
        with pytest.raises(PermissionDenied):
            _change(plan, by)
    plan.refresh_from_db()
    assert plan.formulation == (FORMULATION if allowed else "")


def test_the_clinician_of_another_community_may_not_change_a_plan(cast, plan):
    with pytest.raises(PermissionDenied):
        _change(plan, cast.clinician_b)


def test_staff_not_named_on_a_restriction_do_not_find_the_plan(cast, plan):
    plan.resident.is_restricted = True
    plan.resident.save()
    ResidentAccess.objects.create(resident=plan.resident, user=cast.tm_a, granted_by=cast.tm_a)
    with pytest.raises(Http404):
        _change(plan, cast.clinician_a)
    _change(plan, cast.tm_a)


def test_the_plan_of_a_resident_who_has_left_is_closed(cast, plan):
    plan.resident.phase = Phase.LEFT
    plan.resident.left_on = TODAY
    plan.resident.save()
    with pytest.raises(ValidationError):
        _change(plan, cast.clinician_a)
