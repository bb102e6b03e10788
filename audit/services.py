"""Accreditation reviews: opening a cycle, rating criteria, moving through the
stages, and the action plan. Each function checks the policy and writes in one
transaction; django-simple-history records who changed what."""

import logging
import os
import secrets
import time
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from dtc import jobs, permissions
from residents.models import (
    ClinicalDocument,
    DocumentStatus,
    GroupSession,
    Resident,
    TreatmentPlan,
)

from . import anonymise
from .kpis import KPI_BY_KEY
from .models import (
    NEXT_STAGE,
    ActionPlanItem,
    ActionStatus,
    AuditAnswer,
    AuditQuestion,
    AuditRun,
    AuditSample,
    AuditTemplate,
    CaseStudy,
    CaseStudyDownload,
    CaseStudyStatus,
    CriterionRating,
    KpiTarget,
    Rating,
    RecordKind,
    ReviewCycle,
    RunStatus,
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


@transaction.atomic
def kpi_target_set(*, kpi: str, community, value, by) -> KpiTarget | None:
    """Set the default target of a KPI (community None) or one community's own; an
    empty value removes the target (a community's own then falls back to the default)."""
    if not permissions.is_head_of_psychotherapy(by) or (
        community is not None and not permissions.can(by, "manage_audit", community)
    ):
        raise PermissionDenied
    if kpi not in KPI_BY_KEY:
        raise ValidationError(f"Unknown KPI {kpi!r}")
    target = KpiTarget.objects.filter(kpi=kpi, community=community).first()
    if target is not None and target.value == value:
        return target  # unchanged: no history row
    if value is None:
        if target is not None:
            target._history_user = by
            target.delete()
        return None
    target = target or KpiTarget(kpi=kpi, community=community)
    target.value = value
    target.set_by = by
    target.full_clean(validate_constraints=False)
    target.save()
    return target


# Clinical audits ----------------------------------------------------------------------

MAX_SAMPLE = 50


@transaction.atomic
def audit_template_save(*, template: AuditTemplate, questions: list[str], by) -> AuditTemplate:
    """Add or edit a clinical audit template and its questions (the HoP's duty). Once a
    run has used the template its kind and questions are fixed: answers refer to them."""
    if not permissions.is_head_of_psychotherapy(by):
        raise PermissionDenied
    questions = [text.strip() for text in questions if text.strip()]
    if not questions:
        raise ValidationError({"questions": "Enter at least one question"})
    if template.pk is None:
        template.created_by = by
    template.full_clean()
    in_use = template.pk is not None and template.runs.exists()
    current = list(template.questions.all()) if template.pk else []
    if in_use:
        stored_kind = AuditTemplate.objects.values_list("record_kind", flat=True).get(
            pk=template.pk
        )
        if stored_kind != template.record_kind or [q.text for q in current] != questions:
            raise ValidationError(
                "This template has been used in an audit, so its kind of record and its "
                "questions are fixed. Retire it and create a new one to ask other questions."
            )
    template.save()
    for number, text in enumerate(questions, start=1):
        question = current[number - 1] if number <= len(current) else None
        if question is None:
            question = AuditQuestion(template=template, number=number, text=text)
        elif question.text == text:
            continue
        question.text = text
        question.full_clean()
        question.save()
    # Questions beyond the new list go (only possible while no run has used them).
    for question in current[len(questions) :]:
        question.delete()
    return template


@transaction.atomic
def audit_template_retire(*, template: AuditTemplate, by) -> AuditTemplate:
    """Take a template out of new audits; runs that used it keep it."""
    if not permissions.is_head_of_psychotherapy(by):
        raise PermissionDenied
    template.retired = True
    template.save()
    return template


def audit_candidates(*, kind: str, community, period_from=None, period_to=None, user):
    """Ids of the records of `kind` in the community (and period) that `user` may see."""
    if kind == RecordKind.GROUP_SESSION:
        records = GroupSession.objects.filter(community=community)
        date_field = "held_on"
    else:
        model = TreatmentPlan if kind == RecordKind.TREATMENT_PLAN else ClinicalDocument
        # Restricted residents are sampled only for a user named on their access list.
        residents = Resident.objects.filter(community=community).visible_to(user)
        records = model.objects.filter(resident__in=residents)
        date_field = "created_at__date"
        if model is ClinicalDocument:
            records = records.exclude(status=DocumentStatus.DRAFT)
    if period_from:
        records = records.filter(**{f"{date_field}__gte": period_from})
    if period_to:
        records = records.filter(**{f"{date_field}__lte": period_to})
    return list(records.values_list("pk", flat=True))


SAMPLE_FIELD = {
    RecordKind.TREATMENT_PLAN: "treatment_plan_id",
    RecordKind.GROUP_SESSION: "group_session_id",
    RecordKind.CLINICAL_DOCUMENT: "clinical_document_id",
}


@transaction.atomic
def audit_run_start(
    *, template: AuditTemplate, community, sample_size: int, period_from=None, period_to=None, by
) -> AuditRun:
    """Start a clinical audit: draw `sample_size` distinct records of the template's kind
    from the community (and period) at random, from those the starter may see."""
    permissions.require(by, "manage_audit", community)
    if template.retired:
        raise ValidationError({"template": "This template is retired. Choose another."})
    if not 1 <= sample_size <= MAX_SAMPLE:
        raise ValidationError({"sample_size": f"Enter a sample size between 1 and {MAX_SAMPLE}"})
    if period_from and period_to and period_to < period_from:
        raise ValidationError({"period_to": "The end of the period must be after its start"})
    candidates = audit_candidates(
        kind=template.record_kind,
        community=community,
        period_from=period_from,
        period_to=period_to,
        user=by,
    )
    if sample_size > len(candidates):
        kind = template.get_record_kind_display().lower()
        where = f"{community.name}{' in that period' if period_from or period_to else ''}"
        message = (
            f"There are no {kind} in {where}"
            if not candidates
            else f"There {'is' if len(candidates) == 1 else 'are'} only {len(candidates)} "
            f"{kind} in {where}. Enter a sample size of {len(candidates)} or fewer"
        )
        raise ValidationError({"sample_size": message})
    run = AuditRun(
        template=template,
        community=community,
        sample_size=sample_size,
        period_from=period_from,
        period_to=period_to,
        started_by=by,
    )
    run.full_clean()
    run.save()
    # A fair draw from the ids, not ORDER BY random() over the whole table.
    drawn = secrets.SystemRandom().sample(candidates, sample_size)
    field = SAMPLE_FIELD[template.record_kind]
    for position, record_id in enumerate(drawn, start=1):
        AuditSample.objects.create(run=run, position=position, **{field: record_id})
    return run


def _require_answerable(sample: AuditSample, by) -> None:
    permissions.require(by, "manage_audit", sample.run)
    resident = sample.resident
    if resident is not None and not resident.is_visible_to(by):
        # Answering means reading the record: a restricted resident's only for the named.
        raise PermissionDenied
    if not sample.run.is_open:
        raise ValidationError(
            f"This audit is {sample.run.get_status_display().lower()}: "
            "its answers can no longer change."
        )


@transaction.atomic
def audit_sample_answer(*, sample: AuditSample, answers: dict, by) -> list[AuditAnswer]:
    """Record the answers about one sampled record, {question: (answer, note)}: every
    question of the template at once, so a record is either answered or not."""
    _require_answerable(sample, by)
    questions = list(sample.run.template.questions.all())
    if {q.pk for q in answers} != {q.pk for q in questions}:
        raise ValidationError("Answer every question about the record.")
    existing = {a.question_id: a for a in sample.answers.all()}
    saved = []
    for question, (answer, note) in answers.items():
        record = existing.get(question.pk) or AuditAnswer(sample=sample, question=question)
        if record.pk and (record.answer, record.note) == (answer, note):
            saved.append(record)  # Unchanged: no new history row.
            continue
        record.answer, record.note, record.answered_by = answer, note, by
        record.full_clean()
        record.save()
        saved.append(record)
    return saved


def audit_run_check_answered(run: AuditRun) -> None:
    """Raise ValidationError unless every question about every record is answered."""
    remaining = run.answers_remaining()
    if remaining:
        raise ValidationError(
            f"{remaining} {'answer is' if remaining == 1 else 'answers are'} still to give. "
            "Answer every question about every record first."
        )


@transaction.atomic
def audit_run_complete(*, run: AuditRun, by) -> AuditRun:
    """Close the audit once every question of every sampled record is answered."""
    permissions.require(by, "manage_audit", run)
    if not run.is_open:
        raise ValidationError(f"This audit is already {run.get_status_display().lower()}.")
    audit_run_check_answered(run)
    run.status = RunStatus.COMPLETED
    run.completed_by, run.completed_at = by, timezone.now()
    run.save()
    return run


@transaction.atomic
def audit_run_withdraw(*, run: AuditRun, reason: str, by) -> AuditRun:
    """Withdraw an audit in progress that was started in error, with the reason. Its
    sample and answers are kept; it can no longer be answered or completed."""
    permissions.require(by, "manage_audit", run)
    if not run.is_open:
        raise ValidationError(
            f"This audit is {run.get_status_display().lower()}: it can no longer be withdrawn."
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter why the audit is withdrawn"})
    run.status = RunStatus.WITHDRAWN
    run.withdrawn_by, run.withdrawn_at, run.withdrawal_reason = by, timezone.now(), reason
    run.full_clean()
    run.save()
    return run


# Case studies ------------------------------------------------------------------------

logger = logging.getLogger(__name__)

RENDER_FAILED = (
    "The PDF could not be made. Request the case study again; "
    "if it fails again, tell the service desk."
)


def case_study_download_record(*, case_study: CaseStudy, by) -> CaseStudyDownload:
    """Log one download of a case study's PDF."""
    return CaseStudyDownload.objects.create(case_study=case_study, user=by)


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

    jobs.dispatch(render_case_study, case_study.pk)
    return case_study


def case_study_render(*, case_study_id: int) -> CaseStudy:
    """Render a case study to PDF and store it. Safe to run twice, even at once (a task
    is delivered again when its worker dies): a ready case study is left as it is, and a
    render stopped midway is done again from the start."""
    with transaction.atomic():
        case_study = _case_study_locked(case_study_id)
        if case_study.status == CaseStudyStatus.READY:
            return case_study
        if case_study.status != CaseStudyStatus.RENDERING:  # not again after a lost worker
            case_study.status, case_study.error = CaseStudyStatus.RENDERING, ""
            case_study.save()
    resident = Resident.objects.select_related("community__establishment").get(
        pk=case_study.resident_id
    )
    # Imported here so that WeasyPrint loads only in the worker that renders.
    from .case_study import render_pdf

    _pause_for_tests()
    try:
        pdf, pages = render_pdf(resident, today=timezone.localdate())
    except Exception:
        logger.exception("Case study %s failed to render", case_study.pk)
        pdf = None
    with transaction.atomic():
        case_study = _case_study_locked(case_study_id)
        if case_study.status == CaseStudyStatus.READY:  # another delivery finished first
            return case_study
        if pdf is None:
            case_study.status, case_study.error = CaseStudyStatus.FAILED, RENDER_FAILED
            case_study.save()
            return case_study
        code = case_study.pseudonym.split()[-1].lower()
        name = case_study.file.field.generate_filename(
            case_study, f"case-study-{case_study.pk}-{code}.pdf"
        )
        # Left by a render stopped between writing its file and committing: replaced, so
        # that a case study has one file.
        case_study.file.storage.delete(name)
        case_study.file.save(name.rpartition("/")[2], ContentFile(pdf), save=False)
        case_study.status = CaseStudyStatus.READY
        case_study.page_count = pages
        case_study.rendered_at = timezone.now()
        case_study.save()
    return case_study


def _case_study_locked(case_study_id: int) -> CaseStudy:
    case_study = (
        CaseStudy.objects.select_for_update().select_related("requested_by").get(pk=case_study_id)
    )
    # No request in a worker: the changes are made for the person who asked.
    case_study._history_user = case_study.requested_by
    return case_study


def _pause_for_tests() -> None:
    # DTC_TEST_RENDER_PAUSE (seconds) holds every render here, so that the resilience
    # tests (tests/resilience/test_worker_lost.py) can kill a worker midway. Unset in use.
    seconds = float(os.environ.get("DTC_TEST_RENDER_PAUSE") or 0)
    if seconds:
        time.sleep(seconds)
