"""Treatment plans: start, change, goals, sign-off and comparison."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from dtc import pages, permissions
from dtc.params import int_param

from .. import selectors, services
from ..forms import (
    GoalForm,
    PlanForm,
)
from ._pages import form_page

__all__ = [
    "goal_add",
    "plan",
    "plan_change",
    "plan_compare",
    "plan_goal_change",
    "plan_goal_remove",
    "plan_sign_off",
    "plan_start",
]


def plan_start(request, pk):
    resident = selectors.resident_detail(request.user, pk)
    permissions.require(request.user, "write_clinical", resident)
    latest = resident.plans.order_by("-version").first()
    initial = (
        {"expected_weekly_hours": latest.expected_weekly_hours, "formulation": latest.formulation}
        if latest
        else {}
    )
    form = PlanForm(request.POST or None, initial=initial)
    if plan := pages.submit(
        form, lambda data: services.plan_start(resident=resident, by=request.user, **data)
    ):
        messages.success(request, f"Version {plan.version} started as a draft.")
        return redirect("residents:plan", plan.pk)
    title = "Start a new version of the plan" if latest else "Draft the treatment plan"
    return form_page(request, resident, form, title, button="Start draft")


def plan(request, pk):
    plan = selectors.plan_detail(request.user, pk)
    resident = plan.resident
    services.access_log_record(resident=resident, page="plan", by=request.user)
    can_write = permissions.can(request.user, "write_clinical", resident)
    return render(
        request,
        "residents/plan.html",
        {
            "plan": plan,
            "resident": resident,
            "versions": selectors.plans_of(resident),
            "can_change": can_write and not plan.is_locked,
            "can_sign_off": not plan.is_locked
            and permissions.can(request.user, "sign_off", resident),
            "goal_form": GoalForm() if can_write and not plan.is_locked else None,
        },
    )


def plan_change(request, pk):
    plan = selectors.plan_detail(request.user, pk)
    permissions.require(request.user, "write_clinical", plan.resident)
    form = PlanForm(
        request.POST or None,
        initial={
            "expected_weekly_hours": plan.expected_weekly_hours,
            "review_on": plan.review_on,
            "formulation": plan.formulation,
        },
    )
    if pages.submit(form, lambda data: services.plan_change(plan=plan, by=request.user, **data)):
        messages.success(request, "Plan changed.")
        return redirect("residents:plan", plan.pk)
    return form_page(request, plan.resident, form, f"Change version {plan.version}")


def goal_add(request, pk):
    plan = selectors.plan_detail(request.user, pk)
    permissions.require(request.user, "write_clinical", plan.resident)
    form = GoalForm(request.POST or None)
    if pages.submit(form, lambda data: services.goal_add(plan=plan, by=request.user, **data)):
        messages.success(request, "Goal added.")
        return redirect("residents:plan", plan.pk)
    return form_page(request, plan.resident, form, "Add a goal", button="Add goal")


def _draft_goal(request, pk):
    goal = selectors.goal_detail(request.user, pk)
    permissions.require(request.user, "write_clinical", goal.plan.resident)
    if goal.plan.is_locked:
        messages.error(
            request, "This version is signed off and locked. Start a new version to change it."
        )
        return goal, redirect("residents:plan", goal.plan_id)
    return goal, None


def plan_goal_change(request, pk):
    goal, locked = _draft_goal(request, pk)
    if locked:
        return locked
    form = GoalForm(
        request.POST or None,
        initial={
            "need_area": goal.need_area,
            "description": goal.description,
            "interventions": goal.interventions,
        },
    )
    if pages.submit(
        form, lambda data: services.plan_goal_change(goal=goal, by=request.user, **data)
    ):
        messages.success(request, "Goal changed.")
        return redirect("residents:plan", goal.plan_id)
    return form_page(request, goal.plan.resident, form, "Change a goal", button="Save goal")


def plan_goal_remove(request, pk):
    goal, locked = _draft_goal(request, pk)
    if locked:
        return locked
    if request.method == "POST":
        try:
            services.plan_goal_remove(goal=goal, by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, "Goal removed.")
        return redirect("residents:plan", goal.plan_id)
    return pages.check_answers(
        request,
        title="Remove this goal from the draft plan",
        button="Remove goal",
        facts=[
            ("Need area", goal.get_need_area_display()),
            ("Goal", goal.description),
            ("Interventions", ", ".join(goal.intervention_labels())),
        ],
        template="residents/check.html",
        resident=goal.plan.resident,
    )


def plan_sign_off(request, pk):
    plan = selectors.plan_detail(request.user, pk)
    permissions.require(request.user, "sign_off", plan.resident)
    if request.method == "POST":
        try:
            services.plan_sign_off(plan=plan, by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, f"Version {plan.version} signed off. It is now locked.")
        return redirect("residents:plan", plan.pk)
    return pages.check_answers(
        request,
        title=f"Sign off version {plan.version} of the treatment plan",
        button="Sign off",
        facts=[
            ("Expected hours a week", plan.expected_weekly_hours),
            ("Review date", f"{plan.review_on:%-d %B %Y}"),
            ("Goals", len(plan.goals.all())),
        ],
        warning="A signed-off plan is locked: any change starts a new version.",
        template="residents/check.html",
        resident=plan.resident,
    )


def plan_compare(request, pk):
    resident = selectors.resident_detail(request.user, pk)
    versions = list(selectors.plans_of(resident).prefetch_related("goals").order_by("-version"))
    by_pk = {v.pk: v for v in versions}
    left = by_pk.get(int_param(request.GET, "left"))
    right = by_pk.get(int_param(request.GET, "right"))
    if (left is None or right is None) and len(versions) >= 2:
        right, left = right or versions[0], left or versions[1]
    return render(
        request,
        "residents/plan_compare.html",
        {
            "resident": resident,
            "versions": versions,
            "left": left,
            "right": right,
            "rows": selectors.plan_comparison(left, right) if left and right else [],
        },
    )
