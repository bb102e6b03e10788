"""Clinical documents: draft, submission, countersignature, sign-off, return and amendment."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from dtc import permissions
from dtc.history import save_with_history

from ..models import (
    DOCUMENT_TRANSITIONS,
    ClinicalDocument,
    DocumentAmendment,
    DocumentStatus,
    Resident,
)
from ._rules import require_current

__all__ = [
    "document_amend",
    "document_change",
    "document_countersign",
    "document_draft",
    "document_return",
    "document_sign_off",
    "document_submit",
]


@transaction.atomic
def document_draft(
    *, resident: Resident, kind: str, title: str, body: str, due_on: date | None, by
):
    """Start a clinical document; a trainee's needs a countersignature before sign-off."""
    permissions.require(by, "write_clinical", resident)
    require_current(resident)
    return save_with_history(
        ClinicalDocument(
            resident=resident,
            kind=kind,
            title=title,
            body=body,
            due_on=due_on,
            author=by,
            needs_countersignature=permissions.is_trainee_here(by, resident),
        ),
        by,
    )


def _document_for_update(document) -> ClinicalDocument:
    return (
        ClinicalDocument.objects.select_for_update().select_related("resident").get(pk=document.pk)
    )


def _move(document: ClinicalDocument, status: str) -> None:
    if status not in DOCUMENT_TRANSITIONS[document.status]:
        raise ValidationError(
            f"A {document.get_status_display().lower()} document cannot be made "
            f"{DocumentStatus(status).label.lower()}."
        )
    document.status = status


@transaction.atomic
def document_change(*, document: ClinicalDocument, title: str, body: str, due_on, by):
    """Change a draft; only its author may."""
    document = _document_for_update(document)
    permissions.require_author(by, document)
    if document.status != DocumentStatus.DRAFT:
        raise ValidationError("Only a draft can be changed.")
    document.title, document.body, document.due_on = title, body, due_on
    return save_with_history(document, by)


@transaction.atomic
def document_submit(*, document: ClinicalDocument, by) -> ClinicalDocument:
    """The author submits their draft for sign-off."""
    document = _document_for_update(document)
    permissions.require_author(by, document)
    _move(document, DocumentStatus.SUBMITTED)
    document.submitted_at = timezone.now()
    return save_with_history(document, by)


@transaction.atomic
def document_countersign(*, document: ClinicalDocument, by) -> ClinicalDocument:
    """Countersign a trainee's submitted document."""
    permissions.require(by, "write_clinical", document.resident)
    document = _document_for_update(document)
    if not permissions.may_countersign(by, document):
        raise PermissionDenied
    permissions.require_current_registration(by)
    if document.status != DocumentStatus.SUBMITTED or document.countersigned_by_id:
        raise ValidationError(
            "Only a submitted document waiting for a countersignature can be countersigned."
        )
    document.countersigned_by = by
    document.countersigned_at = timezone.now()
    return save_with_history(document, by)


@transaction.atomic
def document_return(*, document: ClinicalDocument, reason: str, by) -> ClinicalDocument:
    """Send a submitted document back to its author as a draft."""
    permissions.require(by, "sign_off", document.resident)
    document = _document_for_update(document)
    if not reason.strip():
        raise ValidationError({"reason": "Enter what the author needs to change"})
    _move(document, DocumentStatus.DRAFT)
    document.countersigned_by = None
    document.countersigned_at = None
    document._change_reason = reason.strip()[:100]
    return save_with_history(document, by)


@transaction.atomic
def document_sign_off(*, document: ClinicalDocument, by) -> ClinicalDocument:
    """Sign off a submitted document (Therapy Manager or Head of Psychotherapy); it is then locked."""
    permissions.require(by, "sign_off", document.resident)
    permissions.require_current_registration(by)
    document = _document_for_update(document)
    if document.needs_countersignature and not document.countersigned_by_id:
        raise ValidationError(
            "This document was written by a trainee and needs a countersignature first."
        )
    _move(document, DocumentStatus.SIGNED_OFF)
    document.signed_off_by = by
    document.signed_off_at = timezone.now()
    return save_with_history(document, by)


@transaction.atomic
def document_amend(*, document: ClinicalDocument, text: str, reason: str, by):
    """Amend a signed-off document: the original stays as signed, the amendment records
    who, when and why."""
    permissions.require(by, "write_clinical", document.resident)
    document = _document_for_update(document)
    if not document.is_locked:
        raise ValidationError("Only a signed-off document is amended; change the draft instead.")
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the document is being amended"})
    return save_with_history(
        DocumentAmendment(document=document, text=text, reason=reason, amended_by=by), by
    )
