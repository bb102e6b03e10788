"""resident_phase_change: a resident moves forward through the phases of therapy, and
back from leaving preparation to treatment; leaving the community is resident_leave's
(it needs a type and a date, and frees the bed). Only the Therapy Manager or the Head
of Psychotherapy moves a resident. Expectations are written out by hand."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from dtc.models import Role
from residents import services
from residents.models import Phase, Resident, ResidentAccess
from tests.factories import ResidentFactory

ALLOWED = {
    (Phase.ASSESSMENT, Phase.TREATMENT),
    (Phase.TREATMENT, Phase.LEAVING),
    (Phase.LEAVING, Phase.TREATMENT),
}
EVERY_MOVE = [(start, end) for start in Phase for end in Phase]


def _resident(cast, phase=Phase.ASSESSMENT):
    if phase == Phase.LEFT:
        return ResidentFactory(community=cast.a, phase=phase, left_on=timezone.localdate())
    return ResidentFactory(community=cast.a, phase=phase)


@pytest.mark.parametrize(("start", "end"), EVERY_MOVE, ids=[f"{s}-{e}" for s, e in EVERY_MOVE])
def test_only_the_moves_of_the_therapy_are_allowed(cast, start, end):
    resident = _resident(cast, start)
    allowed = (start, end) in ALLOWED
    if allowed:
        moved = services.resident_phase_change(resident=resident, phase=end, by=cast.tm_a)
        assert moved.phase == end
    else:
        with pytest.raises(ValidationError):
            services.resident_phase_change(resident=resident, phase=end, by=cast.tm_a)
    resident.refresh_from_db()
    assert resident.phase == (end if allowed else start)


def test_the_change_is_recorded_in_the_history_naming_who_made_it(cast):
    resident = _resident(cast)
    services.resident_phase_change(resident=resident, phase=Phase.TREATMENT, by=cast.tm_a)
    latest, before = resident.history.all()[:2]
    assert (latest.history_user, latest.phase, before.phase) == (
        cast.tm_a,
        Phase.TREATMENT,
        Phase.ASSESSMENT,
    )


def test_a_refused_move_says_why_and_writes_no_history(cast):
    resident = _resident(cast)
    rows = resident.history.count()
    with pytest.raises(ValidationError) as refused:
        services.resident_phase_change(resident=resident, phase=Phase.LEAVING, by=cast.tm_a)
    assert refused.value.messages == [
        "A resident in assessment and induction cannot move to leaving preparation."
    ]
    assert resident.history.count() == rows


def test_the_move_is_checked_against_the_phase_saved_not_the_one_in_hand(cast):
    # Two people on the same page: the second move is judged on what the first saved.
    resident = _resident(cast)
    stale = Resident.objects.get(pk=resident.pk)
    services.resident_phase_change(resident=resident, phase=Phase.TREATMENT, by=cast.tm_a)
    with pytest.raises(ValidationError):
        services.resident_phase_change(resident=stale, phase=Phase.TREATMENT, by=cast.hop)
    assert resident.history.first().history_user == cast.tm_a


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.THERAPY_MANAGER, True),
        (Role.HEAD_OF_PSYCHOTHERAPY, True),
        (Role.CLINICIAN, False),
        (Role.OFFICER, False),
        (Role.TRAINEE, False),
        (Role.AUDITOR, False),
    ],
)
def test_who_may_move_a_resident(cast, role, allowed):
    resident = _resident(cast)
    by = cast.by_role(role)
    if allowed:
        services.resident_phase_change(resident=resident, phase=Phase.TREATMENT, by=by)
        assert resident.history.first().history_user == by
    else:
        with pytest.raises(PermissionDenied):
            services.resident_phase_change(resident=resident, phase=Phase.TREATMENT, by=by)
    resident.refresh_from_db()
    assert resident.phase == (Phase.TREATMENT if allowed else Phase.ASSESSMENT)


@pytest.mark.parametrize("name", ["tm_b", "nobody"])
def test_staff_of_another_community_or_none_may_not_move_a_resident(cast, name):
    resident = _resident(cast)
    with pytest.raises(PermissionDenied):
        services.resident_phase_change(
            resident=resident, phase=Phase.TREATMENT, by=getattr(cast, name)
        )


def test_a_head_of_psychotherapy_not_named_on_a_restriction_does_not_find_the_resident(cast):
    resident = ResidentFactory(community=cast.a, is_restricted=True)
    ResidentAccess.objects.create(resident=resident, user=cast.tm_a, granted_by=cast.tm_a)
    with pytest.raises(Http404):
        services.resident_phase_change(resident=resident, phase=Phase.TREATMENT, by=cast.hop)
    services.resident_phase_change(resident=resident, phase=Phase.TREATMENT, by=cast.tm_a)
    resident.refresh_from_db()
    assert resident.phase == Phase.TREATMENT


def test_a_phase_that_does_not_exist_is_refused_with_a_message(cast):
    resident = ResidentFactory(community=cast.a)
    with pytest.raises(ValidationError, match="There is no phase of therapy 'graduated'"):
        services.resident_phase_change(resident=resident, phase="graduated", by=cast.tm_a)
