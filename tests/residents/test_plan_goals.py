"""A draft plan's goals can be changed and removed; a signed-off plan's cannot."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from residents import services
from residents.models import PlanGoal
from tests.factories import ResidentFactory


@pytest.fixture
def draft(cast):
    resident = ResidentFactory(community=cast.a)
    plan = services.plan_start(
        resident=resident,
        expected_weekly_hours=Decimal("7.5"),
        review_on=date.today() + timedelta(days=90),
        by=cast.clinician_a,
    )
    goal = services.goal_add(
        plan=plan,
        need_area="violence",
        description="Walk away",
        interventions=["small_group"],
        by=cast.clinician_a,
    )
    return plan, goal


def _signed_off(plan, cast):
    services.plan_sign_off(plan=plan, by=cast.tm_a)


def test_a_draft_plans_goal_is_changed_with_its_history(client, cast, draft):
    plan, goal = draft
    client.force_login(cast.clinician_a)
    response = client.post(
        reverse("residents:plan_goal_change", args=[goal.pk]),
        {
            "need_area": "relationships",
            "description": "Talk before it escalates",
            "interventions": ["small_group", "community_meeting"],
        },
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.description == "Talk before it escalates"
    assert goal.interventions == ["small_group", "community_meeting"]
    assert goal.history.count() == 2


def test_the_change_page_shows_the_goal_as_it_is(client, cast, draft):
    plan, goal = draft
    client.force_login(cast.clinician_a)
    page = client.get(reverse("residents:plan_goal_change", args=[goal.pk])).content.decode()
    assert "Walk away" in page


def test_a_draft_plans_goal_is_removed_after_confirming(client, cast, draft):
    plan, goal = draft
    client.force_login(cast.clinician_a)
    url = reverse("residents:plan_goal_remove", args=[goal.pk])
    assert "Walk away" in client.get(url).content.decode()
    assert PlanGoal.objects.filter(pk=goal.pk).exists()
    response = client.post(url)
    assert response.status_code == 302
    assert not PlanGoal.objects.filter(pk=goal.pk).exists()
    # The history keeps what the goal said, and who removed it.
    removed = PlanGoal.history.filter(id=goal.pk).latest()
    assert (removed.history_type, removed.history_user) == ("-", cast.clinician_a)


def test_the_plan_page_links_to_change_and_remove_each_goal_of_a_draft(client, cast, draft):
    plan, goal = draft
    client.force_login(cast.clinician_a)
    page = client.get(reverse("residents:plan", args=[plan.pk])).content.decode()
    assert reverse("residents:plan_goal_change", args=[goal.pk]) in page
    assert reverse("residents:plan_goal_remove", args=[goal.pk]) in page


def test_a_signed_off_plan_refuses_to_change_or_remove_a_goal(client, cast, draft):
    plan, goal = draft
    _signed_off(plan, cast)
    with pytest.raises(ValidationError, match="locked"):
        services.plan_goal_change(
            goal=goal,
            need_area="violence",
            description="Changed",
            interventions=["small_group"],
            by=cast.clinician_a,
        )
    with pytest.raises(ValidationError, match="locked"):
        services.plan_goal_remove(goal=goal, by=cast.clinician_a)
    client.force_login(cast.clinician_a)
    response = client.post(reverse("residents:plan_goal_remove", args=[goal.pk]), follow=True)
    assert "signed off and locked" in response.content.decode()
    assert PlanGoal.objects.filter(pk=goal.pk).exists()
    page = client.get(reverse("residents:plan", args=[plan.pk])).content.decode()
    assert reverse("residents:plan_goal_change", args=[goal.pk]) not in page


def test_a_goal_needs_an_intervention(cast, draft):
    plan, goal = draft
    with pytest.raises(ValidationError):
        services.plan_goal_change(
            goal=goal,
            need_area="violence",
            description="Walk away",
            interventions=[],
            by=cast.clinician_a,
        )


@pytest.mark.parametrize("who, status", [("officer_a", 403), ("tm_b", 404)])
def test_only_clinical_staff_of_the_community_may_change_goals(client, cast, draft, who, status):
    plan, goal = draft
    client.force_login(getattr(cast, who))
    assert client.get(reverse("residents:plan_goal_change", args=[goal.pk])).status_code == status
    assert client.post(reverse("residents:plan_goal_remove", args=[goal.pk])).status_code == status
    assert PlanGoal.objects.filter(pk=goal.pk).exists()
