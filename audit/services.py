"""Accreditation reviews: opening a cycle, rating criteria, moving through the
stages, and the action plan. Each function checks the policy and writes in one
transaction; django-simple-history records who changed what."""

import logging
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from dtc import permissions
from residents.models import Resident

from . import anonymise
from .models import (
    NEXT_STAGE,
    ActionPlanItem,
    ActionStatus,
    CaseStudy,
    CaseStudyStatus,
    CriterionRating,
    Rating,
    ReviewCycle,
    Stage,
    StandardCriterion,
)


@transaction.atomic
def cycle_open(*, community, title: str, by) -> ReviewCycle:
    """Start a community's review cycle at self-review; one open cycle at a time."""
    permissions.require(by, "manage_audit", community)
    if ReviewCycle.objects.filter(community=community).exclude(stage=Stage.CLOSED).exists():
        raise ValidationError(
            f"{community.name} already has a review cycle in progress. Close it first."
        )
    cycle = ReviewCycle(community=community, title=title, opened_by=by)
    cycle.full_clean()
    cycle.save()
    return cycle


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
    record.full_clean()
    record.save()
    if rating == Rating.NOT_MET:
        action = _existing_or_new(ActionPlanItem, cycle=cycle, criterion=criterion)
        action.description, action.owner, action.due_date = (
            action_description,
            action_owner,
            action_due,
        )
        action.full_clean()
        action.save()
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
    cycle.save()
    return cycle


@transaction.atomic
def action_set_status(*, action: ActionPlanItem, status: str, by) -> ActionPlanItem:
    """Move an action plan item on (the community's managers keep the plan)."""
    permissions.require(by, "manage_audit", action.cycle)
    if status not in ActionStatus.values:
        raise ValidationError("Choose a status.")
    action.status = status
    action.save()
    return action


@transaction.atomic
def criterion_save(*, criterion: StandardCriterion, by) -> StandardCriterion:
    """Add or edit a criterion of the standards catalogue (the HoP's duty)."""
    if not permissions.is_head_of_psychotherapy(by):
        raise PermissionDenied
    if criterion.pk is None and not criterion.number:
        last = (
            StandardCriterion.objects.filter(section=criterion.section).order_by("-number").first()
        )
        criterion.number = (last.number + 1) if last else 1
    criterion.full_clean()
    criterion.save()
    return criterion


@transaction.atomic
def criterion_retire(*, criterion: StandardCriterion, by) -> StandardCriterion:
    """Take a criterion out of future ratings; kept, since cycles have rated it."""
    if not permissions.is_head_of_psychotherapy(by):
        raise PermissionDenied
    criterion.retired = True
    criterion.save()
    return criterion


# Case studies ------------------------------------------------------------------------

logger = logging.getLogger(__name__)

RENDER_FAILED = (
    "The PDF could not be made. Request the case study again; "
    "if it fails again, tell the service desk."
)


@transaction.atomic
def case_study_request(*, resident: Resident, by) -> CaseStudy:
    """Queue an anonymised case study of a resident; a background task renders it.
    A case study of the resident already waiting to render is returned instead."""
    permissions.require(by, "view_audit", resident.community)
    if resident.is_restricted:
        # Named staff only: an anonymised account of the record still tells its story.
        raise ValidationError("This resident's record is restricted to named staff.")
    waiting = CaseStudy.objects.filter(
        resident=resident, status__in=[CaseStudyStatus.QUEUED, CaseStudyStatus.RENDERING]
    ).first()
    if waiting:
        return waiting
    case_study = CaseStudy(
        community_id=resident.community_id,
        resident=resident,
        requested_by=by,
        pseudonym=anonymise.pseudonym(resident.pk),
    )
    case_study.full_clean()
    case_study.save()
    from .tasks import render_case_study

    transaction.on_commit(lambda: render_case_study.delay(case_study.pk))
    return case_study


def case_study_render(*, case_study_id: int) -> CaseStudy:
    """Render a case study to PDF and store it. Safe to run twice (a task may be
    delivered again): a ready case study is left as it is."""
    with transaction.atomic():
        case_study = (
            CaseStudy.objects.select_for_update()
            .select_related("requested_by")
            .get(pk=case_study_id)
        )
        if case_study.status == CaseStudyStatus.READY:
            return case_study
        # No request in a worker: the changes are made for the person who asked.
        case_study._history_user = case_study.requested_by
        case_study.status, case_study.error = CaseStudyStatus.RENDERING, ""
        case_study.save()
    resident = Resident.objects.select_related("community__establishment").get(
        pk=case_study.resident_id
    )
    # Imported here so that WeasyPrint loads only in the worker that renders.
    from .case_study import render_pdf

    try:
        pdf, pages = render_pdf(resident, today=timezone.localdate())
    except Exception:
        logger.exception("Case study %s failed to render", case_study.pk)
        case_study.status, case_study.error = CaseStudyStatus.FAILED, RENDER_FAILED
        case_study.save()
        return case_study
    code = case_study.pseudonym.split()[-1].lower()
    case_study.file.save(f"case-study-{case_study.pk}-{code}.pdf", ContentFile(pdf), save=False)
    case_study.status = CaseStudyStatus.READY
    case_study.page_count = pages
    case_study.rendered_at = timezone.now()
    case_study.save()
    return case_study
