"""Review cycles and the standards catalogue: opening a cycle, rating criteria, moving
through the stages, the action plan, and the HoP's keeping of the criteria."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from dtc import permissions
from dtc.history import save_with_history

from ..models import (
    NEXT_STAGE,
    ActionPlanItem,
    ActionStatus,
    CriterionRating,
    Rating,
    ReviewCycle,
    Stage,
    StandardCriterion,
)

__all__ = [
    "action_set_status",
    "criterion_rate",
    "criterion_retire",
    "criterion_save",
    "cycle_advance",
    "cycle_open",
]


@transaction.atomic
def cycle_open(*, community, title: str, by) -> ReviewCycle:
    """Start a community's review cycle at self-review; one open cycle at a time."""
    permissions.require(by, "manage_audit", community)
    if ReviewCycle.objects.filter(community=community).exclude(stage=Stage.CLOSED).exists():
        raise ValidationError(
            f"{community.name} already has a review cycle in progress. Close it first."
        )
    cycle = ReviewCycle(community=community, title=title, opened_by=by)
    return save_with_history(cycle, by)


@transaction.atomic
def criterion_rate(
    *,
    cycle: ReviewCycle,
    criterion: StandardCriterion,
    rating: str,
    evidence: str,
    by,
    action_description: str = "",
    action_owner=None,
    action_due: date | None = None,
) -> CriterionRating:
    """Rate a criterion in the cycle's current stage. A criterion not met needs an
    action plan item (what, who, by when), written in the same transaction."""
    permissions.require(by, "manage_audit", cycle)
    if cycle.stage == Stage.CLOSED:
        raise ValidationError("This review cycle is closed: its ratings can no longer change.")
    if criterion.retired:
        raise ValidationError("This criterion is retired and is no longer rated.")
    if rating == Rating.NOT_MET and not (action_description and action_owner and action_due):
        raise ValidationError("A criterion rated not met needs an action: what, who and by when.")
    record = _existing_or_new(CriterionRating, cycle=cycle, criterion=criterion, stage=cycle.stage)
    record.rating, record.evidence, record.rated_by = rating, evidence, by
    save_with_history(record, by)
    if rating == Rating.NOT_MET:
        action = _existing_or_new(ActionPlanItem, cycle=cycle, criterion=criterion)
        action.description, action.owner, action.due_date = (
            action_description,
            action_owner,
            action_due,
        )
        save_with_history(action, by)
    return record


def _existing_or_new(model, **key):
    # One save per change, so each change is one history row.
    return model.objects.filter(**key).first() or model(**key)


@transaction.atomic
def cycle_advance(*, cycle: ReviewCycle, by) -> ReviewCycle:
    """Finish the current stage: every criterion in use must be rated in it."""
    permissions.require(by, "manage_audit", cycle)
    if cycle.stage not in NEXT_STAGE:
        raise ValidationError("This review cycle is already closed.")
    unrated = (
        StandardCriterion.objects.filter(retired=False)
        .exclude(ratings__cycle=cycle, ratings__stage=cycle.stage)
        .count()
    )
    if unrated:
        raise ValidationError(
            f"{unrated} criteria are not rated yet in the {cycle.get_stage_display().lower()}. Rate them all first."
        )
    cycle.stage = NEXT_STAGE[cycle.stage]
    return save_with_history(cycle, by)


@transaction.atomic
def action_set_status(*, action: ActionPlanItem, status: str, by) -> ActionPlanItem:
    """Move an action plan item on (the community's managers keep the plan)."""
    permissions.require(by, "manage_audit", action.cycle)
    if status not in ActionStatus.values:
        raise ValidationError("Choose a status.")
    action.status = status
    return save_with_history(action, by)


@transaction.atomic
def criterion_save(*, criterion: StandardCriterion, by) -> StandardCriterion:
    """Add or edit a criterion of the standards catalogue (the HoP's duty)."""
    permissions.require_head_of_psychotherapy(by)
    if criterion.pk is None and not criterion.number:
        last = (
            StandardCriterion.objects.filter(section=criterion.section).order_by("-number").first()
        )
        criterion.number = (last.number + 1) if last else 1
    return save_with_history(criterion, by)


@transaction.atomic
def criterion_retire(*, criterion: StandardCriterion, by) -> StandardCriterion:
    """Take a criterion out of future ratings; kept, since cycles have rated it."""
    permissions.require_head_of_psychotherapy(by)
    criterion.retired = True
    return save_with_history(criterion, by)
