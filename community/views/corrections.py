"""Correcting a recorded entry of community life (dtc.correction_pages): the entry is
found by its kind and id, in the communities the user may see."""

from django.http import Http404
from django.urls import reverse

from dtc import correction_pages
from residents.selectors import community_staff

from .. import selectors
from ..forms import AgendaItemForm, MotionForm, StaffMeetingForm

__all__ = ["record_amend", "record_entered_in_error"]


def _staff_meeting(request, pk):
    meeting = selectors.staff_meeting_detail(request.user, pk)
    page = {
        "caption": meeting.community.name,
        "back": reverse("community:staff_meeting_detail", args=[meeting.pk]),
        "what": "the staff meeting",
    }
    return meeting, StaffMeetingForm, page, {"community": meeting.community}


def _motion(request, pk):
    motion = selectors.motion_detail(request.user, pk)
    page = {
        "caption": motion.community.name,
        "back": reverse("community:motion_detail", args=[motion.pk]),
        "what": "the motion",
    }
    residents = selectors.motion_residents(request.user, motion.community)
    if motion.resident_id:
        residents = residents | type(motion.resident).objects.filter(pk=motion.resident_id)
    return (
        motion,
        MotionForm,
        page,
        {
            "kind": motion.kind,
            "residents": residents,
            "jobs": motion.community.jobs.all(),
        },
    )


def _agenda_item(request, pk):
    item = selectors.agenda_item_detail(request.user, pk)
    meeting = item.meeting
    page = {
        "caption": meeting,
        "back": reverse("community:community_meeting_detail", args=[meeting.pk]),
        "what": "the agenda item",
    }
    return (
        item,
        AgendaItemForm,
        page,
        {
            "residents": selectors.residents_of_meeting(request.user, meeting),
            "staff": community_staff(meeting.community),
        },
    )


# kind in the URL: how its entry, create form and page are found
KINDS = {"staff-meeting": _staff_meeting, "motion": _motion, "agenda-item": _agenda_item}


def _entry(request, kind, pk):
    if kind not in KINDS:
        raise Http404
    return KINDS[kind](request, pk)


def record_amend(request, kind, pk):
    record, form_class, page, form_args = _entry(request, kind, pk)
    return correction_pages.amend(
        request,
        record=record,
        form_class=form_class,
        make_form=lambda cls, data, initial: cls(data, initial=initial, **form_args),
        **page,
    )


def record_entered_in_error(request, kind, pk):
    record, form_class, page, _form_args = _entry(request, kind, pk)
    return correction_pages.entered_in_error(request, record=record, form_class=form_class, **page)
