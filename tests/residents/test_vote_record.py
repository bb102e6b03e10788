"""vote_record: the staff team records a commitment vote of the community on a resident;
the commitment is kept only with a majority for it."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from dtc.models import Role
from residents import services
from residents.models import Phase, ResidentAccess, VoteOutcome
from tests.factories import ResidentFactory

TODAY = timezone.localdate()


@pytest.fixture
def resident(cast):
    return ResidentFactory(community=cast.a)


def _vote(resident, by, votes_for=14, votes_against=3, held_on=TODAY, notes=""):
    return services.vote_record(
        resident=resident,
        held_on=held_on,
        votes_for=votes_for,
        votes_against=votes_against,
        notes=notes,
        by=by,
    )


def test_the_vote_is_recorded_with_who_recorded_it(cast, resident):
    vote = _vote(resident, cast.officer_a, held_on=TODAY - timedelta(days=1), notes="Chair: J.")
    vote.refresh_from_db()
    assert (vote.held_on, vote.votes_for, vote.votes_against, vote.notes) == (
        TODAY - timedelta(days=1),
        14,
        3,
        "Chair: J.",
    )
    assert vote.recorded_by == cast.officer_a
    assert vote.history.get().history_user == cast.officer_a
    assert list(resident.votes.all()) == [vote]


@pytest.mark.parametrize(
    ("votes_for", "votes_against", "outcome"),
    [
        (14, 3, VoteOutcome.KEPT),
        (9, 8, VoteOutcome.KEPT),
        (8, 8, VoteOutcome.LOST),  # a tie is not a majority
        (3, 14, VoteOutcome.LOST),
        (0, 0, VoteOutcome.LOST),
    ],
)
def test_the_commitment_is_kept_only_with_a_majority_for_it(
    cast, resident, votes_for, votes_against, outcome
):
    vote = _vote(resident, cast.tm_a, votes_for=votes_for, votes_against=votes_against)
    vote.refresh_from_db()
    assert vote.outcome == outcome


def test_a_vote_cannot_be_counted_below_zero(cast, resident):
    with pytest.raises(ValidationError) as refused:
        _vote(resident, cast.tm_a, votes_for=-1, votes_against=3)
    assert "votes_for" in refused.value.message_dict
    assert not resident.votes.exists()


def test_a_vote_in_the_future_is_refused(cast, resident):
    with pytest.raises(ValidationError) as refused:
        _vote(resident, cast.tm_a, held_on=TODAY + timedelta(days=1))
    assert "held_on" in refused.value.message_dict
    assert not resident.votes.exists()


def test_no_vote_is_recorded_for_a_resident_who_has_left(cast):
    resident = ResidentFactory(community=cast.a, phase=Phase.LEFT, left_on=TODAY)
    with pytest.raises(ValidationError):
        _vote(resident, cast.tm_a, held_on=TODAY - timedelta(days=1))
    assert not resident.votes.exists()


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.THERAPY_MANAGER, True),
        (Role.CLINICIAN, True),
        (Role.OFFICER, True),
        (Role.TRAINEE, True),
        (Role.HEAD_OF_PSYCHOTHERAPY, False),
        (Role.AUDITOR, False),
    ],
)
def test_who_may_record_a_vote(cast, resident, role, allowed):
    by = cast.by_role(role)
    if allowed:
        assert _vote(resident, by).recorded_by == by
    else:
        with pytest.raises(PermissionDenied):
            _vote(resident, by)
    assert resident.votes.count() == (1 if allowed else 0)


def test_the_staff_of_another_community_may_not_record_a_vote(cast, resident):
    with pytest.raises(PermissionDenied):
        _vote(resident, cast.clinician_b)


def test_staff_not_named_on_a_restriction_do_not_find_the_resident(cast):
    resident = ResidentFactory(community=cast.a, is_restricted=True)
    ResidentAccess.objects.create(resident=resident, user=cast.tm_a, granted_by=cast.tm_a)
    with pytest.raises(Http404):
        _vote(resident, cast.officer_a)
    assert _vote(resident, cast.tm_a).pk
