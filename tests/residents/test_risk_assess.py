"""risk_assess: the clinical team records a risk assessment relating the resident's
progress to their criminogenic factors."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from dtc.models import Role
from residents import services
from residents.models import Phase, ResidentAccess, RiskLevel
from tests.factories import ResidentFactory

TODAY = timezone.localdate()
NARRATIVE = "Uses the small group to talk through anger rather than act on it."


@pytest.fixture
def resident(cast):
    return ResidentFactory(community=cast.a)


def _assess(resident, by, assessed_on=TODAY, level=RiskLevel.MEDIUM, narrative=NARRATIVE):
    return services.risk_assess(
        resident=resident, assessed_on=assessed_on, level=level, narrative=narrative, by=by
    )


def test_the_assessment_is_recorded_with_who_made_it(cast, resident):
    risk = _assess(resident, cast.clinician_a, assessed_on=TODAY - timedelta(days=2))
    risk.refresh_from_db()
    assert (risk.assessed_on, risk.level, risk.narrative, risk.assessed_by) == (
        TODAY - timedelta(days=2),
        RiskLevel.MEDIUM,
        NARRATIVE,
        cast.clinician_a,
    )
    assert risk.history.get().history_user == cast.clinician_a
    assert list(resident.risks.all()) == [risk]


def test_an_assessment_in_the_future_is_refused(cast, resident):
    with pytest.raises(ValidationError) as refused:
        _assess(resident, cast.clinician_a, assessed_on=TODAY + timedelta(days=1))
    assert "assessed_on" in refused.value.message_dict
    assert not resident.risks.exists()


@pytest.mark.parametrize(("level", "narrative"), [("extreme", NARRATIVE), (RiskLevel.HIGH, "")])
def test_an_assessment_needs_a_known_level_and_its_narrative(cast, resident, level, narrative):
    with pytest.raises(ValidationError):
        _assess(resident, cast.clinician_a, level=level, narrative=narrative)
    assert not resident.risks.exists()


def test_no_assessment_is_recorded_for_a_resident_who_has_left(cast):
    resident = ResidentFactory(community=cast.a, phase=Phase.LEFT, left_on=TODAY)
    with pytest.raises(ValidationError):
        _assess(resident, cast.clinician_a, assessed_on=TODAY - timedelta(days=1))
    assert not resident.risks.exists()


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
def test_who_may_assess_risk(cast, resident, role, allowed):
    by = cast.by_role(role)
    if allowed:
        assert _assess(resident, by).assessed_by == by
    else:
        with pytest.raises(PermissionDenied):
            _assess(resident, by)
    assert resident.risks.count() == (1 if allowed else 0)


def test_the_clinician_of_another_community_may_not_assess_risk(cast, resident):
    with pytest.raises(PermissionDenied):
        _assess(resident, cast.clinician_b)


def test_staff_not_named_on_a_restriction_do_not_find_the_resident(cast):
    resident = ResidentFactory(community=cast.a, is_restricted=True)
    ResidentAccess.objects.create(resident=resident, user=cast.tm_a, granted_by=cast.tm_a)
    with pytest.raises(Http404):
        _assess(resident, cast.clinician_a)
    assert _assess(resident, cast.tm_a).pk
