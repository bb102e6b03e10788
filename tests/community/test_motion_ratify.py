"""motion_ratify and motion_set_aside: a carried motion the constitution makes subject
to ratification waits for the Therapy Manager, who ratifies it (it takes effect) or sets
it aside with a written reason (the clinical veto). What a decision changes: an
election fills the job, an amendment makes the next version of the constitution, and a
vote-out sends the TM to record the leaving — never silently."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from community import services
from community.models import FilledBy, MotionKind, Ratification
from community.queue import work
from dtc.home import PER_KIND
from residents import services as resident_services
from residents.models import LeavingType
from tests.community.constitution_factories import (
    CORE_RULES,
    CommunityJobFactory,
    amend,
    with_clause,
)
from tests.factories import ResidentFactory

TODAY = timezone.localdate()
YESTERDAY = TODAY - timedelta(days=1)
RATIFIED_KINDS = ["vote_out", "job_election", "constitution_amendment"]


@pytest.fixture
def constitution(cast):
    return amend(
        cast.a,
        cast.tm_a,
        in_force_from=date(2024, 1, 1),
        quorum_percent=0,
        ratification_required_for=RATIFIED_KINDS,
    )


@pytest.fixture
def resident(cast, constitution):
    return ResidentFactory(community=cast.a, admitted_on=TODAY - timedelta(days=400))


def record(by, kind, resident=None, community=None, **answers):
    return services.motion_record(
        community=community or resident.community,
        kind=kind,
        resident=resident,
        held_on=answers.pop("held_on", YESTERDAY),
        residents_for=answers.pop("residents_for", 1),
        residents_against=answers.pop("residents_against", 0),
        by=by,
        **answers,
    )


def test_a_carried_vote_out_waits_for_the_therapy_manager(cast, resident):
    motion = record(cast.officer_a, MotionKind.VOTE_OUT, resident)
    assert motion.ratification == Ratification.AWAITING
    assert not motion.takes_effect


def test_a_motion_not_carried_waits_for_no_one(cast, resident):
    motion = record(
        cast.officer_a, MotionKind.VOTE_OUT, resident, residents_for=0, residents_against=1
    )
    assert motion.ratification == Ratification.NOT_NEEDED
    assert not motion.takes_effect


def test_ratifying_records_who_and_when(cast, resident):
    motion = record(cast.officer_a, MotionKind.VOTE_OUT, resident)
    services.motion_ratify(motion=motion, by=cast.tm_a)
    motion.refresh_from_db()
    assert motion.ratification == Ratification.RATIFIED
    assert motion.ratified_by == cast.tm_a and motion.ratified_at
    assert motion.takes_effect


def test_a_ratified_vote_out_does_not_remove_the_resident(cast, resident):
    motion = record(cast.officer_a, MotionKind.VOTE_OUT, resident)
    services.motion_ratify(motion=motion, by=cast.tm_a)
    resident.refresh_from_db()
    assert resident.phase != "left"


def test_setting_aside_needs_a_reason(cast, resident):
    motion = record(cast.officer_a, MotionKind.VOTE_OUT, resident)
    with pytest.raises(ValidationError) as refused:
        services.motion_set_aside(motion=motion, reason="  ", by=cast.tm_a)
    assert "reason" in refused.value.message_dict
    motion = services.motion_set_aside(
        motion=motion, reason="He is three weeks from completing.", by=cast.tm_a
    )
    motion.refresh_from_db()
    assert motion.ratification == Ratification.SET_ASIDE
    assert motion.set_aside_reason == "He is three weeks from completing."
    assert not motion.takes_effect


def test_a_decision_is_ratified_or_set_aside_once(cast, resident):
    motion = record(cast.officer_a, MotionKind.VOTE_OUT, resident)
    services.motion_ratify(motion=motion, by=cast.tm_a)
    with pytest.raises(ValidationError):
        services.motion_set_aside(motion=motion, reason="Changed my mind.", by=cast.tm_a)
    with pytest.raises(ValidationError):
        services.motion_ratify(motion=motion, by=cast.tm_a)


@pytest.mark.parametrize("user", ["clinician_a", "officer_a", "trainee_a", "tm_b"])
def test_only_the_managers_ratify(cast, resident, user):
    motion = record(cast.officer_a, MotionKind.VOTE_OUT, resident)
    with pytest.raises(PermissionDenied):
        services.motion_ratify(motion=motion, by=getattr(cast, user))


def test_the_head_of_psychotherapy_may_ratify(cast, resident):
    motion = record(cast.officer_a, MotionKind.VOTE_OUT, resident)
    assert services.motion_ratify(motion=motion, by=cast.hop).ratification == "ratified"


# Effects ------------------------------------------------------------------------------


def test_a_ratified_election_starts_the_holding_of_the_job(cast, resident):
    chair = CommunityJobFactory(community=cast.a, name="Chair")
    motion = record(cast.officer_a, MotionKind.JOB_ELECTION, resident, job=chair)
    assert not chair.holdings.exists()
    services.motion_ratify(motion=motion, by=cast.tm_a)
    holding = chair.holdings.get()
    assert (holding.resident, holding.from_on, holding.filled_by) == (
        resident,
        TODAY,
        FilledBy.ELECTION,
    )
    motion.refresh_from_db()
    assert motion.job_holding == holding


def test_an_election_needing_no_ratification_fills_the_job_from_the_vote(cast, resident):
    amend(
        cast.a,
        cast.tm_a,
        in_force_from=date(2024, 2, 1),
        quorum_percent=0,
        ratification_required_for=[],
        clauses=with_clause(CORE_RULES, "4", "Respect"),
    )
    buddy = CommunityJobFactory(community=cast.a, name="Induction buddy")
    # An officer does not keep the jobs: the community's decision fills it.
    motion = record(cast.officer_a, MotionKind.JOB_ELECTION, resident, job=buddy)
    assert motion.job_holding.from_on == YESTERDAY
    assert motion.job_holding.recorded_by == cast.officer_a


def test_an_election_to_a_job_already_held_is_refused_and_nothing_is_kept(cast, resident):
    chair = CommunityJobFactory(community=cast.a, name="Chair")
    other = ResidentFactory(community=cast.a, admitted_on=TODAY - timedelta(days=300))
    services.job_holding_start(
        job=chair, resident=other, from_on=YESTERDAY, filled_by="appointed", by=cast.tm_a
    )
    motion = record(cast.officer_a, MotionKind.JOB_ELECTION, resident, job=chair)
    with pytest.raises(ValidationError):
        services.motion_ratify(motion=motion, by=cast.tm_a)
    motion.refresh_from_db()
    assert motion.ratification == Ratification.AWAITING


AMENDMENT = {
    "clauses": with_clause(CORE_RULES, "4", "Respect", "Treat everyone with respect."),
    "quorum_percent": 40,
    "majority": "two_thirds",
    "staff_vote": "counted_separately",
    "ratification_required_for": ["vote_out"],
    "note": "Carried at the community meeting.",
}


def test_a_ratified_amendment_makes_the_next_version(cast, resident, constitution):
    motion = record(
        cast.clinician_a, MotionKind.CONSTITUTION_AMENDMENT, community=cast.a, amendment=AMENDMENT
    )
    assert cast.a.constitutions.count() == 1
    services.motion_ratify(motion=motion, by=cast.tm_a)
    motion.refresh_from_db()
    made = motion.made_constitution
    assert made.version == constitution.version + 1
    assert made.in_force_from == TODAY
    assert (made.quorum_percent, made.majority, made.staff_vote) == (
        40,
        "two_thirds",
        "counted_separately",
    )
    assert [c.number for c in made.clauses.all()] == ["1", "2", "3", "4"]
    assert made.made_by == cast.tm_a


def test_an_amendment_that_changes_nothing_is_refused_at_ratification(cast, resident):
    same = {
        **AMENDMENT,
        "clauses": CORE_RULES,
        "quorum_percent": 0,
        "majority": "simple",
        "staff_vote": "none",
        "ratification_required_for": RATIFIED_KINDS,
    }
    motion = record(
        cast.clinician_a, MotionKind.CONSTITUTION_AMENDMENT, community=cast.a, amendment=same
    )
    with pytest.raises(ValidationError):
        services.motion_ratify(motion=motion, by=cast.tm_a)


def test_an_amendment_set_aside_makes_no_version(cast, resident):
    motion = record(
        cast.clinician_a, MotionKind.CONSTITUTION_AMENDMENT, community=cast.a, amendment=AMENDMENT
    )
    services.motion_set_aside(motion=motion, reason="The core rules stay.", by=cast.tm_a)
    assert cast.a.constitutions.count() == 1


# A vote-out never leaves silently -------------------------------------------------------


def test_ratifying_a_vote_out_sends_the_tm_to_record_the_leaving(client, cast, resident):
    motion = record(cast.officer_a, MotionKind.VOTE_OUT, resident)
    client.force_login(cast.tm_a)
    page = client.get(reverse("community:motion_ratify", args=[motion.pk]))
    assert page.status_code == 200
    response = client.post(
        reverse("community:motion_ratify", args=[motion.pk]),
        {"confirm": "1"},
    )
    leave = reverse("residents:resident_leave", args=[resident.pk]) + "?leaving_type=voted_out"
    assert response.status_code == 302 and response.url == leave
    form = client.get(leave).context["form"]
    assert form.initial["leaving_type"] == LeavingType.VOTED_OUT


def test_the_motion_says_leaving_not_yet_recorded_until_the_resident_has_left(
    client, cast, resident
):
    motion = record(cast.officer_a, MotionKind.VOTE_OUT, resident)
    services.motion_ratify(motion=motion, by=cast.tm_a)
    client.force_login(cast.tm_a)
    url = reverse("community:motion_detail", args=[motion.pk])
    assert "Leaving not yet recorded" in client.get(url).content.decode()
    resident_services.resident_leave(
        resident=resident,
        leaving_type=LeavingType.VOTED_OUT,
        left_on=TODAY,
        reason="",
        by=cast.tm_a,
    )
    assert "Leaving not yet recorded" not in client.get(url).content.decode()


def test_the_tm_queue_has_the_motions_to_ratify_and_the_leavings_to_record(
    cast, resident, rf, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        motion = record(cast.officer_a, MotionKind.VOTE_OUT, resident)
    request = rf.get("/")
    request.user = cast.tm_a
    assert [item.what for item in work(request, today=TODAY, limit=PER_KIND)] == [
        "Ratify or set aside the decision"
    ]
    # The queue's lines are cached until a motion of the community changes.
    with django_capture_on_commit_callbacks(execute=True):
        services.motion_ratify(motion=motion, by=cast.tm_a)
    assert [item.what for item in work(request, today=TODAY, limit=PER_KIND)] == [
        "Record the leaving: voted out"
    ]
    with django_capture_on_commit_callbacks(execute=True):
        resident_services.resident_leave(
            resident=resident, leaving_type="voted_out", left_on=TODAY, reason="", by=cast.tm_a
        )
    assert work(request, today=TODAY, limit=PER_KIND) == []
    request.user = cast.officer_a
    assert work(request, today=TODAY, limit=PER_KIND) == []
