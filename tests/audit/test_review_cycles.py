from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit import services
from audit.models import (
    ActionPlanItem,
    CriterionRating,
    Rating,
    Stage,
    StandardCriterion,
    StandardSection,
)
from tests.audit.factories import rate_all


@pytest.fixture
def cycle(cast):
    return services.cycle_open(community=cast.a, title="Review 2026", by=cast.tm_a)


@pytest.fixture
def criterion(db):
    return StandardCriterion.objects.get(section__number=5, number=1)


def test_the_catalogue_is_loaded_by_migration(db):
    assert StandardSection.objects.count() == 6
    assert StandardCriterion.objects.filter(weight="essential").count() >= 10


def test_a_cycle_starts_at_self_review(cycle):
    assert cycle.stage == Stage.SELF_REVIEW


def test_one_cycle_in_progress_per_community(cast, cycle):
    with pytest.raises(ValidationError, match="already has a review cycle in progress"):
        services.cycle_open(community=cast.a, title="Another", by=cast.tm_a)


def test_a_clinician_cannot_open_a_cycle(cast):
    with pytest.raises(PermissionDenied):
        services.cycle_open(community=cast.a, title="Review", by=cast.clinician_a)


def test_rating_a_criterion_met(cast, cycle, criterion):
    rating = services.criterion_rate(
        cycle=cycle, criterion=criterion, rating=Rating.MET, evidence="Logs", by=cast.tm_a
    )
    assert (rating.stage, rating.rating, rating.rated_by) == (
        Stage.SELF_REVIEW,
        Rating.MET,
        cast.tm_a,
    )


def test_not_met_without_an_action_is_refused_and_nothing_is_saved(cast, cycle, criterion):
    with pytest.raises(ValidationError, match="needs an action"):
        services.criterion_rate(
            cycle=cycle, criterion=criterion, rating=Rating.NOT_MET, evidence="None", by=cast.tm_a
        )
    assert not CriterionRating.objects.exists()


def test_not_met_writes_the_action_plan_item(cast, cycle, criterion):
    services.criterion_rate(
        cycle=cycle,
        criterion=criterion,
        rating=Rating.NOT_MET,
        evidence="Gaps",
        by=cast.tm_a,
        action_description="Book monthly supervision",
        action_owner=cast.clinician_a,
        action_due=date(2027, 1, 31),
    )
    action = ActionPlanItem.objects.get()
    assert (action.owner, action.due_date, action.status) == (
        cast.clinician_a,
        date(2027, 1, 31),
        "open",
    )


def test_rerating_keeps_the_earlier_rating_in_history(cast, cycle, criterion):
    services.criterion_rate(
        cycle=cycle, criterion=criterion, rating=Rating.PARTLY_MET, evidence="Some", by=cast.tm_a
    )
    rating = services.criterion_rate(
        cycle=cycle, criterion=criterion, rating=Rating.MET, evidence="All", by=cast.tm_a
    )
    assert [h.rating for h in rating.history.order_by("history_date")] == [
        Rating.PARTLY_MET,
        Rating.MET,
    ]


def test_the_stage_cannot_finish_with_criteria_unrated(cast, cycle, criterion):
    services.criterion_rate(
        cycle=cycle, criterion=criterion, rating=Rating.MET, evidence="Logs", by=cast.tm_a
    )
    with pytest.raises(ValidationError, match="criteria are not rated yet"):
        services.cycle_advance(cycle=cycle, by=cast.tm_a)
    cycle.refresh_from_db()
    assert cycle.stage == Stage.SELF_REVIEW


def test_self_review_then_peer_review_then_closed(cast, cycle):
    rate_all(cycle, cast.tm_a)
    assert services.cycle_advance(cycle=cycle, by=cast.tm_a).stage == Stage.PEER_REVIEW
    rate_all(cycle, cast.hop)
    assert services.cycle_advance(cycle=cycle, by=cast.hop).stage == Stage.CLOSED
    assert (
        CriterionRating.objects.filter(cycle=cycle, stage=Stage.SELF_REVIEW).count()
        == CriterionRating.objects.filter(cycle=cycle, stage=Stage.PEER_REVIEW).count()
    )


def test_a_closed_cycle_refuses_ratings(cast, cycle, criterion):
    rate_all(cycle, cast.tm_a)
    services.cycle_advance(cycle=cycle, by=cast.tm_a)
    rate_all(cycle, cast.tm_a)
    services.cycle_advance(cycle=cycle, by=cast.tm_a)
    with pytest.raises(ValidationError, match="closed"):
        services.criterion_rate(
            cycle=cycle, criterion=criterion, rating=Rating.MET, evidence="x", by=cast.tm_a
        )


def test_a_retired_criterion_is_not_needed_to_finish_a_stage(cast, cycle, criterion):
    services.criterion_retire(criterion=criterion, by=cast.hop)
    rate_all(cycle, cast.tm_a)
    assert services.cycle_advance(cycle=cycle, by=cast.tm_a).stage == Stage.PEER_REVIEW


def test_only_the_head_of_psychotherapy_edits_the_catalogue(cast, criterion):
    criterion.text = "Staff receive clinical supervision at least monthly."
    with pytest.raises(PermissionDenied):
        services.criterion_save(criterion=criterion, by=cast.tm_a)
    services.criterion_save(criterion=criterion, by=cast.hop)
    criterion.refresh_from_db()
    assert criterion.text.endswith("at least monthly.")


def test_a_new_criterion_is_numbered_after_the_last_of_its_section(cast):
    section = StandardSection.objects.get(number=4)
    assert list(section.criteria.values_list("number", flat=True)) == [1, 2, 3]
    new = services.criterion_save(
        criterion=StandardCriterion(section=section, text="New", weight="expected"), by=cast.hop
    )
    assert new.code == "4.4"


def test_the_therapy_manager_updates_an_action(cast, cycle, criterion):
    services.criterion_rate(
        cycle=cycle,
        criterion=criterion,
        rating=Rating.NOT_MET,
        evidence="Gaps",
        by=cast.tm_a,
        action_description="Fix",
        action_owner=cast.clinician_a,
        action_due=date(2027, 1, 31),
    )
    action = services.action_set_status(
        action=ActionPlanItem.objects.get(), status="done", by=cast.tm_a
    )
    assert action.status == "done"


def test_others_may_not_update_an_action(cast, cycle, criterion):
    services.criterion_rate(
        cycle=cycle,
        criterion=criterion,
        rating=Rating.NOT_MET,
        evidence="Gaps",
        by=cast.tm_a,
        action_description="Fix",
        action_owner=cast.clinician_a,
        action_due=date(2027, 1, 31),
    )
    for user in (cast.clinician_a, cast.auditor_a):
        with pytest.raises(PermissionDenied):
            services.action_set_status(action=ActionPlanItem.objects.get(), status="done", by=user)
