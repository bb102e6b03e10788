"""Correcting a recorded entry of community life (dtc.correction_pages): the entry is
found by its kind and id, in the communities the user may see."""

from django.http import Http404
from django.urls import reverse

from dtc import correction_pages

from .. import selectors
from ..forms import StaffMeetingForm

__all__ = ["record_amend", "record_entered_in_error"]


def _staff_meeting(request, pk):
    meeting = selectors.staff_meeting_detail(request.user, pk)
    page = {
        "caption": meeting.community.name,
        "back": reverse("community:staff_meeting_detail", args=[meeting.pk]),
        "what": "the staff meeting",
    }
    return meeting, StaffMeetingForm, page


# kind in the URL: how its entry, create form and page are found
KINDS = {"staff-meeting": _staff_meeting}


def _entry(request, kind, pk):
    if kind not in KINDS:
        raise Http404
    return KINDS[kind](request, pk)


def record_amend(request, kind, pk):
    record, form_class, page = _entry(request, kind, pk)
    return correction_pages.amend(
        request,
        record=record,
        form_class=form_class,
        make_form=lambda cls, data, initial: cls(data, initial=initial, community=record.community),
        **page,
    )


def record_entered_in_error(request, kind, pk):
    record, form_class, page = _entry(request, kind, pk)
    return correction_pages.entered_in_error(request, record=record, form_class=form_class, **page)
