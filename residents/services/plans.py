"""Treatment plans: versions, goals and sign-off."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dtc import permissions
from dtc.history import save_with_history

from ..models import (
    PLAN_TRANSITIONS,
    PlanGoal,
    PlanStatus,
    Resident,
    TreatmentPlan,
)
from ._rules import require_current

__all__ = [
    "goal_add",
    "plan_change",
    "plan_goal_change",
    "plan_goal_remove",
    "plan_sign_off",
    "plan_start",
]


@transaction.atomic
def plan_start(
    *, resident: Resident, expected_weekly_hours: Decimal, review_on: date, formulation="", by
):
    """Start a new draft version of the plan, carrying over the goals of the latest one."""
    permissions.require(by, "write_clinical", resident)
    require_current(resident)
    latest = resident.plans.select_for_update().order_by("-version").first()
    if latest is not None and not latest.is_locked:
        raise ValidationError(
            f"Version {latest.version} is still a draft: change it, or sign it off first."
        )
    plan = save_with_history(
        TreatmentPlan(
            resident=resident,
            version=(latest.version + 1) if latest else 1,
            expected_weekly_hours=expected_weekly_hours,
            review_on=review_on,
            formulation=formulation,
            created_by=by,
        ),
        by,
    )
    if latest is not None:
        for goal in latest.goals.all():
            save_with_history(
                PlanGoal(
                    plan=plan,
                    need_area=goal.need_area,
                    description=goal.description,
                    interventions=list(goal.interventions),
                ),
                by,
            )
    return plan


def _require_draft(plan: TreatmentPlan) -> None:
    if plan.is_locked:
        raise ValidationError(
            "This version is signed off and locked. Start a new version to change the plan."
        )


@transaction.atomic
def plan_change(
    *, plan: TreatmentPlan, expected_weekly_hours: Decimal, review_on: date, formulation: str, by
):
    """Change a draft plan's hours, review date and formulation."""
    permissions.require(by, "write_clinical", plan.resident)
    plan = TreatmentPlan.objects.select_for_update().select_related("resident").get(pk=plan.pk)
    require_current(plan.resident)
    _require_draft(plan)
    plan.expected_weekly_hours = expected_weekly_hours
    plan.review_on = review_on
    plan.formulation = formulation
    return save_with_history(plan, by)


@transaction.atomic
def goal_add(*, plan: TreatmentPlan, need_area: str, description: str, interventions, by):
    """Add a goal to a draft plan, with the interventions that serve it."""
    permissions.require(by, "write_clinical", plan.resident)
    locked = TreatmentPlan.objects.select_for_update().select_related("resident").get(pk=plan.pk)
    require_current(locked.resident)
    _require_draft(locked)
    if not interventions:
        raise ValidationError({"interventions": "Choose at least one intervention for the goal"})
    return save_with_history(
        PlanGoal(
            plan=plan, need_area=need_area, description=description, interventions=interventions
        ),
        by,
    )


def _lock_draft_of(goal: PlanGoal, by) -> PlanGoal:
    permissions.require(by, "write_clinical", goal.plan.resident)
    plan = TreatmentPlan.objects.select_for_update().select_related("resident").get(pk=goal.plan_id)
    require_current(plan.resident)
    _require_draft(plan)
    return PlanGoal.objects.select_for_update().get(pk=goal.pk)


@transaction.atomic
def plan_goal_change(
    *, goal: PlanGoal, need_area: str, description: str, interventions, by
) -> PlanGoal:
    """Change a goal of a draft plan; a signed-off plan's goals are locked."""
    goal = _lock_draft_of(goal, by)
    if not interventions:
        raise ValidationError({"interventions": "Choose at least one intervention for the goal"})
    goal.need_area = need_area
    goal.description = description
    goal.interventions = list(interventions)
    return save_with_history(goal, by)


@transaction.atomic
def plan_goal_remove(*, goal: PlanGoal, by) -> None:
    """Remove a goal from a draft plan; its history keeps what it said."""
    goal = _lock_draft_of(goal, by)
    goal._history_user = by
    goal.delete()


@transaction.atomic
def plan_sign_off(*, plan: TreatmentPlan, by) -> TreatmentPlan:
    """Sign off a draft version (Therapy Manager or Head of Psychotherapy); it is then locked."""
    permissions.require(by, "sign_off", plan.resident)
    permissions.require_current_registration(by)
    plan = TreatmentPlan.objects.select_for_update().select_related("resident").get(pk=plan.pk)
    require_current(plan.resident)
    if PlanStatus.SIGNED_OFF not in PLAN_TRANSITIONS[plan.status]:
        raise ValidationError("This version is already signed off.")
    if not plan.goals.exists():
        raise ValidationError("Add at least one goal before the plan is signed off.")
    plan.status = PlanStatus.SIGNED_OFF
    plan.signed_off_by = by
    plan.signed_off_at = timezone.now()
    return save_with_history(plan, by)
