"""Clinical audits: the HoP's templates of questions, and runs that ask them of a random
sample of a community's records."""

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from dtc import permissions
from dtc.history import save_with_history
from residents.models import ClinicalDocument, DocumentStatus, GroupSession, Resident, TreatmentPlan

from ..models import (
    AuditAnswer,
    AuditQuestion,
    AuditRun,
    AuditSample,
    AuditTemplate,
    RecordKind,
    RunStatus,
)

__all__ = [
    "MAX_SAMPLE",
    "SAMPLE_FIELD",
    "audit_candidates",
    "audit_run_check_answered",
    "audit_run_complete",
    "audit_run_start",
    "audit_run_withdraw",
    "audit_sample_answer",
    "audit_template_retire",
    "audit_template_save",
]


MAX_SAMPLE = 50


@transaction.atomic
def audit_template_save(*, template: AuditTemplate, questions: list[str], by) -> AuditTemplate:
    """Add or edit a clinical audit template and its questions (the HoP's duty). Once a
    run has used the template its kind and questions are fixed: answers refer to them."""
    permissions.require_head_of_psychotherapy(by)
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
    save_with_history(template, by)
    for number, text in enumerate(questions, start=1):
        question = current[number - 1] if number <= len(current) else None
        if question is None:
            question = AuditQuestion(template=template, number=number, text=text)
        elif question.text == text:
            continue
        question.text = text
        save_with_history(question, by)
    # Questions beyond the new list go (only possible while no run has used them).
    for question in current[len(questions) :]:
        question._history_user = by
        question.delete()
    return template


@transaction.atomic
def audit_template_retire(*, template: AuditTemplate, by) -> AuditTemplate:
    """Take a template out of new audits; runs that used it keep it."""
    permissions.require_head_of_psychotherapy(by)
    template.retired = True
    return save_with_history(template, by)


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
    save_with_history(run, by)
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
        save_with_history(record, by)
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
    return save_with_history(run, by)


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
    return save_with_history(run, by)
