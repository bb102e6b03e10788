"""Correcting a progress entry on a resident (dtc.correction_pages): the entry is found by
its kind and id, in the residents the user may see."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from dtc import correction_pages

from .. import selectors
from ..forms import AcctOpenForm, DecisionForm, IncidentForm, ReviewForm, RiskForm
from ..models import (
    AcctPeriod,
    Incident,
    RiskAssessment,
    TherapyDecision,
    TherapyReview,
)

__all__ = ["record_amend", "record_entered_in_error"]

# kind in the URL: (model, its create form, what the pages call it)
KINDS = {
    "review": (TherapyReview, ReviewForm, "the therapy review"),
    "incident": (Incident, IncidentForm, "the incident"),
    "risk": (RiskAssessment, RiskForm, "the risk assessment"),
    "acct": (AcctPeriod, AcctOpenForm, "the ACCT"),
    "decision": (TherapyDecision, DecisionForm, "the decision"),
}
SECTION = {"decision": "decisions"}


def _entry(request, kind, pk):
    if kind not in KINDS:
        raise Http404
    model, form_class, what = KINDS[kind]
    record = get_object_or_404(model.objects.select_related("resident"), pk=pk)
    resident = selectors.resident_detail(request.user, record.resident_id)
    back = reverse("residents:detail", args=[resident.pk]) + f"#{SECTION.get(kind, 'progress')}"
    return record, form_class, {"caption": resident, "back": back, "what": what}


def record_amend(request, kind, pk):
    record, form_class, page = _entry(request, kind, pk)
    return correction_pages.amend(request, record=record, form_class=form_class, **page)


def record_entered_in_error(request, kind, pk):
    record, form_class, page = _entry(request, kind, pk)
    return correction_pages.entered_in_error(request, record=record, form_class=form_class, **page)
