"""Clinical documents and the overdue list."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from dtc import pages, permissions

from .. import selectors, services
from ..forms import (
    AmendmentForm,
    DocumentChangeForm,
    DocumentForm,
    ReturnForm,
)
from ..models import DocumentStatus
from ._pages import form_page

__all__ = [
    "document",
    "document_amend",
    "document_change",
    "document_countersign",
    "document_draft",
    "document_return",
    "document_sign_off",
    "document_submit",
    "documents_overdue",
]


def document_draft(request, pk):
    resident = selectors.resident_detail(request.user, pk)
    permissions.require(request.user, "write_clinical", resident)
    form = DocumentForm(request.POST or None)
    if document := pages.submit(
        form, lambda data: services.document_draft(resident=resident, by=request.user, **data)
    ):
        messages.success(request, "Draft saved.")
        return redirect("residents:document", document.pk)
    return form_page(request, resident, form, "Write a clinical document", button="Save draft")


def document(request, pk):
    document = selectors.document_detail(request.user, pk)
    resident = document.resident
    services.access_log_record(resident=resident, page="document", by=request.user)
    user = request.user
    is_author = permissions.may_change_draft(user, document)
    can_sign_off = permissions.can(user, "sign_off", resident)
    status = document.status
    return render(
        request,
        "residents/document.html",
        {
            "document": document,
            "resident": resident,
            "amendments": selectors.amendments_of(document),
            "today": timezone.localdate(),
            "can_change": is_author and status == DocumentStatus.DRAFT,
            "can_submit": is_author and status == DocumentStatus.DRAFT,
            "can_countersign": status == DocumentStatus.SUBMITTED
            and not document.countersigned_by_id
            and permissions.may_countersign(user, document),
            "can_sign_off": can_sign_off and status == DocumentStatus.SUBMITTED,
            "can_return": can_sign_off and status == DocumentStatus.SUBMITTED,
            "can_amend": document.is_locked and permissions.can(user, "write_clinical", resident),
        },
    )


def document_change(request, pk):
    document = selectors.document_detail(request.user, pk)
    permissions.require_author(request.user, document)
    form = DocumentChangeForm(
        request.POST or None,
        initial={"title": document.title, "body": document.body, "due_on": document.due_on},
    )
    if pages.submit(
        form, lambda data: services.document_change(document=document, by=request.user, **data)
    ):
        messages.success(request, "Draft saved.")
        return redirect("residents:document", document.pk)
    return form_page(request, document.resident, form, f"Change “{document.title}”")


def _document_step(request, pk, service, done):
    document = selectors.document_detail(request.user, pk)
    try:
        service(document=document, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, done)
    return redirect("residents:document", document.pk)


@require_POST
def document_submit(request, pk):
    return _document_step(request, pk, services.document_submit, "Submitted for sign-off.")


@require_POST
def document_countersign(request, pk):
    return _document_step(request, pk, services.document_countersign, "Countersigned.")


def document_sign_off(request, pk):
    document = selectors.document_detail(request.user, pk)
    permissions.require(request.user, "sign_off", document.resident)
    if request.method == "POST":
        return _document_step(
            request, pk, services.document_sign_off, "Signed off. The document is now locked."
        )
    return pages.check_answers(
        request,
        title=f"Sign off “{document.title}”",
        button="Sign off",
        facts=[
            ("Kind", document.get_kind_display()),
            ("Author", document.author),
            ("Countersigned by", document.countersigned_by or "Not needed"),
        ],
        warning="A signed-off document is locked: later changes are amendments with a reason.",
        template="residents/check.html",
        resident=document.resident,
    )


def document_return(request, pk):
    document = selectors.document_detail(request.user, pk)
    permissions.require(request.user, "sign_off", document.resident)
    form = ReturnForm(request.POST or None)
    if pages.submit(
        form, lambda data: services.document_return(document=document, by=request.user, **data)
    ):
        messages.success(request, "Returned to the author as a draft.")
        return redirect("residents:document", document.pk)
    return form_page(request, document.resident, form, "Return to the author", button="Return")


def document_amend(request, pk):
    document = selectors.document_detail(request.user, pk)
    permissions.require(request.user, "write_clinical", document.resident)
    amendments = list(selectors.amendments_of(document))
    form = AmendmentForm(
        request.POST or None,
        initial={"text": amendments[-1].text if amendments else document.body},
    )
    if pages.submit(
        form, lambda data: services.document_amend(document=document, by=request.user, **data)
    ):
        messages.success(request, "Amendment recorded. The signed-off original is kept.")
        return redirect("residents:document", document.pk)
    return form_page(
        request,
        document.resident,
        form,
        f"Amend “{document.title}”",
        intro="The signed-off original is kept; the amendment records who, when and why.",
        button="Record amendment",
    )


def documents_overdue(request):
    permissions.require_any(request.user)
    today = timezone.localdate()
    documents = selectors.documents_overdue(request.user, today=today)
    page = Paginator(documents, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "residents/documents_overdue.html", {"page": page, "today": today})
