"""Reads for the audit module, narrowed to the communities a user may audit."""

from django.db.models import Count, F, Prefetch, Q
from django.utils import timezone

from dtc import permissions
from residents.models import Phase, Resident

from . import measures
from .models import (
    ActionPlanItem,
    CaseStudy,
    CriterionRating,
    ReviewCycle,
    Stage,
    StandardCriterion,
    StandardSection,
)


def cycles_visible_to(user):
    return (
        permissions.visible(user, ReviewCycle, "view_audit")
        .select_related("community__establishment", "opened_by")
        .annotate(
            # Criteria rated in the cycle's current stage.
            rated=Count("ratings", filter=Q(ratings__stage=F("stage")), distinct=True),
            open_actions=Count("actions", filter=~Q(actions__status="done"), distinct=True),
        )
    )


def criteria_in_use():
    return StandardCriterion.objects.filter(retired=False).select_related("section")


def catalogue():
    """Sections with all their criteria, retired ones included (marked)."""
    return StandardSection.objects.prefetch_related(
        Prefetch("criteria", queryset=StandardCriterion.objects.order_by("number"))
    )


def cycle_sheet(cycle: ReviewCycle) -> list[dict]:
    """Each section of the catalogue with, per criterion, its rating in every stage,
    its action and its computed evidence figure: the review cycle page in one pass."""
    ratings = {}
    for rating in CriterionRating.objects.filter(cycle=cycle).select_related("rated_by"):
        ratings.setdefault(rating.criterion_id, {})[rating.stage] = rating
    actions = {
        a.criterion_id: a
        for a in ActionPlanItem.objects.filter(cycle=cycle).select_related("owner")
    }
    today = timezone.localdate()
    sheet = []
    for section in StandardSection.objects.prefetch_related(
        Prefetch(
            "criteria", queryset=StandardCriterion.objects.filter(retired=False).order_by("number")
        )
    ):
        rows = [
            {
                "criterion": criterion,
                "self_review": ratings.get(criterion.pk, {}).get(Stage.SELF_REVIEW),
                "peer_review": ratings.get(criterion.pk, {}).get(Stage.PEER_REVIEW),
                "action": actions.get(criterion.pk),
                "figure": measures.figure(criterion.measure, cycle.community, today)
                if criterion.measure
                else None,
            }
            for criterion in section.criteria.all()
        ]
        if rows:
            sheet.append({"section": section, "rows": rows})
    return sheet


def actions_visible_to(user):
    return ActionPlanItem.objects.filter(
        cycle__community_id__in=permissions.community_ids(user, "view_audit")
    ).select_related("cycle__community", "criterion__section", "owner")


def case_studies_visible_to(user):
    """Case studies of the communities the user may audit, newest first."""
    return permissions.visible(user, CaseStudy, "view_audit").select_related(
        "community__establishment", "requested_by"
    )


def residents_for_case_study(community, *, status: str = ""):
    """The community's residents a case study may be made of, current or left, newest
    admission first. Only what identifies no one is loaded: never a name or number."""
    residents = (
        Resident.objects.filter(community=community, is_restricted=False)
        .only("pk", "community_id", "admitted_on", "left_on", "phase", "leaving_type")
        .order_by("-admitted_on", "-pk")
    )
    if status == "current":
        residents = residents.current()
    elif status == "left":
        residents = residents.filter(phase=Phase.LEFT)
    return residents
