"""motion_record: the staff team records a motion put to the community and its tally;
the outcome follows from the constitution in force on the day. Commitment votes are
motions of that kind (they were residents' CommitmentVote)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from community import services
from community.models import Motion, MotionKind, Outcome, Ratification
from dtc.models import Role
from residents.models import Phase, ResidentAccess
from tests.community.constitution_factories import CommunityJobFactory, amend
from tests.factories import ResidentFactory

TODAY = timezone.localdate()
YESTERDAY = TODAY - timedelta(days=1)


@pytest.fixture
def constitution(cast):
    # Quorum 50%, simple majority, staff do not vote, vote-outs ratified.
    return amend(cast.a, cast.tm_a, in_force_from=date(2024, 1, 1))


@pytest.fixture
def resident(cast, constitution):
    return ResidentFactory(community=cast.a, admitted_on=TODAY - timedelta(days=400))


def vote(by, resident, kind=MotionKind.COMMITMENT_VOTE, held_on=YESTERDAY, **tally):
    tally = {"residents_for": 14, "residents_against": 3} | tally
    return services.motion_record(
        community=resident.community, kind=kind, resident=resident, held_on=held_on, by=by, **tally
    )


def test_the_vote_is_recorded_with_the_rules_it_was_decided_by(cast, resident, constitution):
    ResidentFactory.create_batch(19, community=cast.a, admitted_on=TODAY - timedelta(days=30))
    motion = vote(cast.officer_a, resident, notes="Chair: J.")
    motion.refresh_from_db()
    assert (motion.kind, motion.resident, motion.held_on) == (
        MotionKind.COMMITMENT_VOTE,
        resident,
        YESTERDAY,
    )
    assert (motion.residents_for, motion.residents_against, motion.notes) == (14, 3, "Chair: J.")
    assert motion.constitution == constitution
    assert motion.residents_on_day == 20
    assert motion.outcome == Outcome.CARRIED
    assert motion.ratification == Ratification.NOT_NEEDED
    assert motion.recorded_by == cast.officer_a
    assert motion.history.get().history_user == cast.officer_a
    assert list(resident.motions.all()) == [motion]


def test_a_vote_short_of_the_quorum_is_inquorate(cast, resident):
    ResidentFactory.create_batch(39, community=cast.a, admitted_on=TODAY - timedelta(days=30))
    assert vote(cast.tm_a, resident, residents_for=15, residents_against=4).outcome == (
        Outcome.INQUORATE
    )
    assert vote(cast.tm_a, resident, residents_for=16, residents_against=4).outcome == (
        Outcome.CARRIED
    )


def test_residents_who_left_or_came_after_the_day_are_not_counted_for_the_quorum(cast, resident):
    ResidentFactory(community=cast.a, admitted_on=TODAY)
    ResidentFactory(
        community=cast.a,
        admitted_on=TODAY - timedelta(days=90),
        phase=Phase.LEFT,
        left_on=TODAY - timedelta(days=2),
    )
    assert vote(cast.tm_a, resident, residents_for=1, residents_against=0).residents_on_day == 1


def test_more_residents_voting_than_there_were_is_refused(cast, resident):
    with pytest.raises(ValidationError) as refused:
        vote(cast.tm_a, resident, residents_for=2, residents_against=1)
    assert "residents_for" in refused.value.message_dict
    assert not Motion.objects.exists()


def test_staff_votes_are_refused_when_staff_do_not_vote(cast, resident):
    with pytest.raises(ValidationError) as refused:
        vote(cast.tm_a, resident, residents_for=1, residents_against=0, staff_for=2)
    assert "staff_for" in refused.value.message_dict


def test_no_motion_without_a_constitution_in_force(cast):
    resident = ResidentFactory(community=cast.b)
    with pytest.raises(ValidationError) as refused:
        vote(cast.tm_b, resident, residents_for=1, residents_against=0)
    assert "held_on" in refused.value.message_dict


def test_a_vote_in_the_future_is_refused(cast, resident):
    with pytest.raises(ValidationError) as refused:
        vote(cast.tm_a, resident, held_on=TODAY + timedelta(days=1), residents_for=1)
    assert "held_on" in refused.value.message_dict
    assert not Motion.objects.exists()


def test_no_vote_is_recorded_for_a_resident_who_has_left(cast, constitution):
    resident = ResidentFactory(community=cast.a, phase=Phase.LEFT, left_on=TODAY)
    with pytest.raises(ValidationError):
        vote(cast.tm_a, resident, residents_for=1, residents_against=0)
    assert not Motion.objects.exists()


@pytest.mark.parametrize(
    "kind",
    [
        MotionKind.COMMITMENT_VOTE,
        MotionKind.RULE_BREAK,
        MotionKind.VOTE_OUT,
        MotionKind.RETURN_TO_COMMUNITY,
        MotionKind.JOB_ELECTION,
    ],
)
def test_the_kinds_about_a_resident_need_one(cast, constitution, kind):
    with pytest.raises(ValidationError) as refused:
        services.motion_record(
            community=cast.a, kind=kind, held_on=YESTERDAY, residents_for=0, by=cast.tm_a
        )
    assert "resident" in refused.value.message_dict


def test_an_election_needs_a_job_of_the_community(cast, resident):
    with pytest.raises(ValidationError) as refused:
        vote(cast.tm_a, resident, kind=MotionKind.JOB_ELECTION, residents_for=1)
    assert "job" in refused.value.message_dict
    other = CommunityJobFactory(community=cast.b, name="Chair")
    with pytest.raises(ValidationError) as refused:
        services.motion_record(
            community=cast.a,
            kind=MotionKind.JOB_ELECTION,
            resident=resident,
            job=other,
            held_on=YESTERDAY,
            residents_for=1,
            by=cast.tm_a,
        )
    assert "job" in refused.value.message_dict


def test_an_other_motion_needs_its_wording(cast, constitution):
    with pytest.raises(ValidationError) as refused:
        services.motion_record(
            community=cast.a, kind=MotionKind.OTHER, held_on=YESTERDAY, by=cast.tm_a
        )
    assert "wording" in refused.value.message_dict


def test_an_amendment_needs_the_amendment(cast, constitution):
    with pytest.raises(ValidationError) as refused:
        services.motion_record(
            community=cast.a,
            kind=MotionKind.CONSTITUTION_AMENDMENT,
            held_on=YESTERDAY,
            by=cast.tm_a,
        )
    assert "amendment" in refused.value.message_dict


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.THERAPY_MANAGER, True),
        (Role.CLINICIAN, True),
        (Role.OFFICER, True),
        (Role.TRAINEE, False),
        (Role.HEAD_OF_PSYCHOTHERAPY, False),
        (Role.AUDITOR, False),
    ],
)
def test_who_may_record_a_motion(cast, resident, role, allowed):
    by = cast.by_role(role)
    if allowed:
        assert vote(by, resident, residents_for=1, residents_against=0).recorded_by == by
    else:
        with pytest.raises((PermissionDenied, Http404)):
            vote(by, resident, residents_for=1, residents_against=0)
    assert resident.motions.count() == (1 if allowed else 0)


def test_the_staff_of_another_community_may_not_record_a_motion(cast, resident):
    with pytest.raises(PermissionDenied):
        vote(cast.clinician_b, resident, residents_for=1)


def test_staff_not_named_on_a_restriction_do_not_find_the_resident(cast, constitution):
    resident = ResidentFactory(community=cast.a, is_restricted=True)
    ResidentAccess.objects.create(resident=resident, user=cast.tm_a, granted_by=cast.tm_a)
    with pytest.raises(Http404):
        vote(cast.officer_a, resident, residents_for=1, residents_against=0)
    assert vote(cast.tm_a, resident, residents_for=1, residents_against=0).pk
