"""Progress entries on a resident: reviews, incidents, risk, ACCT and therapy decisions."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from dtc import pages, permissions

from .. import selectors, services
from ..forms import (
    AcctCloseForm,
    AcctOpenForm,
    DecisionForm,
    IncidentForm,
    ReviewForm,
    RiskForm,
)
from ._pages import form_page

__all__ = [
    "acct_close",
    "acct_open",
    "decision_record",
    "incident_record",
    "review_complete",
    "risk_assess",
    "vote_record",
]


def _entry(request, pk, *, form_class, action, title, service, message):
    """A progress entry (review, vote, incident, risk, ACCT, decision) on a resident."""
    resident = selectors.resident_detail(request.user, pk)
    permissions.require(request.user, action, resident)
    form = form_class(request.POST or None)
    if pages.submit(form, lambda data: service(resident=resident, by=request.user, **data)):
        messages.success(request, message)
        return redirect("residents:detail", resident.pk)
    return form_page(request, resident, form, title)


def review_complete(request, pk):
    return _entry(
        request,
        pk,
        form_class=ReviewForm,
        action="write_clinical",
        title="Complete the therapy review",
        service=services.review_complete,
        message="Therapy review recorded. The next review is scheduled.",
    )


def vote_record(request, pk):
    """Commitment votes are motions of the community now (community:motion_record):
    the old address still leads there, for the resident (404 when hidden, as before)."""
    resident = selectors.resident_detail(request.user, pk)
    permissions.require(request.user, "record_motion", resident)
    url = reverse("community:motion_record", args=[resident.community_id])
    return redirect(f"{url}?kind=commitment_vote&resident={resident.pk}")


def incident_record(request, pk):
    return _entry(
        request,
        pk,
        form_class=IncidentForm,
        action="record_attendance",
        title="Record an incident or rule break",
        service=services.incident_record,
        message="Incident recorded.",
    )


def risk_assess(request, pk):
    return _entry(
        request,
        pk,
        form_class=RiskForm,
        action="write_clinical",
        title="Record a risk assessment",
        service=services.risk_assess,
        message="Risk assessment recorded.",
    )


def acct_open(request, pk):
    return _entry(
        request,
        pk,
        form_class=AcctOpenForm,
        action="record_attendance",
        title="Open an ACCT",
        service=services.acct_open,
        message="ACCT opened.",
    )


def acct_close(request, pk):
    return _entry(
        request,
        pk,
        form_class=AcctCloseForm,
        action="record_attendance",
        title="Close the ACCT",
        service=services.acct_close,
        message="ACCT closed.",
    )


def decision_record(request, pk):
    return _entry(
        request,
        pk,
        form_class=DecisionForm,
        action="decide_therapy",
        title="Record a decision on therapy",
        service=services.decision_record,
        message="Decision recorded.",
    )
