from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from referrals import services
from referrals.models import Status, Transition
from tests.referrals.factories import ReferralFactory, accepted, default_criteria, status_of


@pytest.fixture
def referral(cast):
    default_criteria(cast.a, cast.tm_a)
    return ReferralFactory(community=cast.a)


def test_screening_then_assessment_then_decision(cast, referral):
    services.referral_start_screening(
        referral=referral, by=cast.clinician_a, note="Papers requested"
    )
    services.referral_start_assessment(referral=referral, by=cast.clinician_a)
    services.referral_ready_for_decision(referral=referral, by=cast.clinician_a)
    moves = list(
        Transition.objects.filter(referral=referral).values_list(
            "from_status", "to_status", "by__username", "note"
        )
    )
    assert moves == [
        ("received", "screening", "clinician_a", "Papers requested"),
        ("screening", "assessment", "clinician_a", ""),
        ("assessment", "decision", "clinician_a", ""),
    ]


def test_an_illegal_transition_is_refused_and_changes_nothing(cast, referral):
    with pytest.raises(ValidationError, match="cannot move to awaiting decision"):
        services.referral_ready_for_decision(referral=referral, by=cast.clinician_a)
    assert status_of(referral) == Status.RECEIVED
    assert not Transition.objects.filter(referral=referral).exists()


def test_an_officer_cannot_move_a_referral_on(cast, referral):
    with pytest.raises(PermissionDenied):
        services.referral_start_screening(referral=referral, by=cast.officer_a)


def test_hold_and_resume_where_it_stopped(cast, referral):
    services.referral_start_screening(referral=referral, by=cast.clinician_a)
    services.referral_start_assessment(referral=referral, by=cast.clinician_a)
    held = services.referral_hold(referral=referral, by=cast.clinician_a, note="On an ACCT")
    assert (held.status, held.held_from) == (Status.ON_HOLD, Status.ASSESSMENT)
    resumed = services.referral_resume(referral=referral, by=cast.clinician_a)
    assert (resumed.status, resumed.held_from) == (Status.ASSESSMENT, "")


def test_a_hold_needs_a_reason(cast, referral):
    with pytest.raises(ValidationError, match="Enter why"):
        services.referral_hold(referral=referral, by=cast.clinician_a, note=" ")
    assert status_of(referral) == Status.RECEIVED


def test_the_waiting_list_can_be_put_on_hold(cast, referral):
    accepted(referral, cast.tm_a)
    assert (
        services.referral_hold(
            referral=referral, by=cast.tm_a, note="Adjudication pending"
        ).held_from
        == Status.ACCEPTED
    )


@pytest.mark.parametrize("stage", [Status.RECEIVED, Status.SCREENING, Status.ON_HOLD])
def test_withdrawn_from_any_open_stage(cast, referral, stage):
    if stage != Status.RECEIVED:
        services.referral_start_screening(referral=referral, by=cast.clinician_a)
    if stage == Status.ON_HOLD:
        services.referral_hold(referral=referral, by=cast.clinician_a, note="Paused")
    assert (
        services.referral_withdraw(
            referral=referral, by=cast.clinician_a, note="Transferred"
        ).status
        == Status.WITHDRAWN
    )


def test_a_closed_referral_cannot_be_withdrawn(cast, referral):
    services.referral_decline(referral=referral, by=cast.tm_a, reason="Not suitable now")
    with pytest.raises(ValidationError):
        services.referral_withdraw(referral=referral, by=cast.tm_a, note="Too late")


def test_decline_needs_a_reason(cast, referral):
    with pytest.raises(ValidationError, match="Enter why"):
        services.referral_decline(referral=referral, by=cast.tm_a, reason="")


def test_defer_needs_a_future_re_review_date_and_comes_back_for_decision(cast, referral):
    from tests.referrals.factories import at_decision

    at_decision(referral, cast.clinician_a)
    with pytest.raises(ValidationError, match="future"):
        services.referral_defer(
            referral=referral,
            by=cast.tm_a,
            rereview_on=timezone.localdate(),
            note="Education first",
        )
    deferred = services.referral_defer(
        referral=referral,
        by=cast.tm_a,
        rereview_on=timezone.localdate() + timedelta(days=60),
        note="Education first",
    )
    assert deferred.status == Status.DEFERRED
    assert services.referral_rereview(referral=referral, by=cast.tm_a).status == Status.DECISION


def test_an_interview_is_recorded_against_the_referral(cast, referral):
    services.referral_start_screening(referral=referral, by=cast.clinician_a)
    interview = services.referral_record_interview(
        referral=referral,
        held_on=timezone.localdate(),
        assessor=cast.clinician_a,
        summary="Engaged well",
        by=cast.tm_a,
    )
    assert list(referral.interviews.all()) == [interview]


def test_an_interview_cannot_be_in_the_future(cast, referral):
    services.referral_start_screening(referral=referral, by=cast.clinician_a)
    with pytest.raises(ValidationError, match="today or in the past"):
        services.referral_record_interview(
            referral=referral,
            held_on=timezone.localdate() + timedelta(days=1),
            assessor=cast.clinician_a,
            summary="x",
            by=cast.tm_a,
        )


def test_computed_criteria_cannot_be_recorded_by_hand(cast, referral):
    services.referral_start_screening(referral=referral, by=cast.clinician_a)
    computed = referral.community.suitability_criteria.get(kind="time_to_serve")
    with pytest.raises(ValidationError, match="worked out"):
        services.referral_record_outcome(
            referral=referral, criterion=computed, outcome="met", evidence="x", by=cast.clinician_a
        )


def test_every_change_is_kept_in_history(cast, referral):
    services.referral_start_screening(referral=referral, by=cast.clinician_a)
    services.referral_withdraw(referral=referral, by=cast.clinician_a, note="Moved")
    statuses = [h.status for h in referral.history.order_by("history_date")]
    assert statuses == [Status.RECEIVED, Status.SCREENING, Status.WITHDRAWN]
