"""The community meeting pages: the list, starting the minutes of a held community
meeting, a meeting with who was present (its register), its agenda and its motions,
and adding an agenda item."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse

from dtc import pages, permissions
from dtc.params import int_param
from residents.models import ATTENDED, Resident
from residents.selectors import community_staff

from .. import selectors, services
from ..forms import AgendaItemForm, CommunityMeetingForm
from ..models.meetings import CHAIR, VICE_CHAIR

__all__ = [
    "agenda_item_add",
    "community_meeting_detail",
    "community_meeting_list",
    "community_meeting_start",
]

MINUTE = "minute_meeting"


def community_meeting_list(request):
    permissions.require_any(request.user)
    community_id = int_param(request.GET, "community")
    meetings = selectors.community_meetings_visible_to(request.user, community_id=community_id)
    return render(
        request,
        "community/community_meeting_list.html",
        {
            "page": Paginator(meetings, 25).get_page(request.GET.get("page")),
            "communities": permissions.communities(request.user).select_related("establishment"),
            "community_id": community_id,
        },
    )


def community_meeting_start(request, session_pk):
    session = selectors.meeting_session(request.user, session_pk)
    if meeting := getattr(session, "community_meeting", None):
        return redirect("community:community_meeting_detail", meeting.pk)
    permissions.require(request.user, MINUTE, session)
    visible = permissions.visible(request.user, Resident)
    day = session.held_on
    form = CommunityMeetingForm(
        request.POST or None,
        chairs=visible.filter(
            pk__in=selectors.holders_on(session.community_id, CHAIR, day).values("pk")
        ),
        vice_chairs=visible.filter(
            pk__in=selectors.holders_on(session.community_id, VICE_CHAIR, day).values("pk")
        ),
        staff=community_staff(session.community),
        initial={"minute_taker": request.user.pk},
    )
    title = "Start the minutes of the community meeting"
    caption = f"{session.community.name}, {day:%-d %B %Y}"
    back = reverse("community:community_meeting_list")
    if pages.unconfirmed(form):
        return pages.check_answers(
            request,
            form=form,
            title=title,
            button="Start the minutes",
            caption=caption,
            cancel=back,
        )
    if meeting := pages.submit(
        form,
        lambda data: services.community_meeting_start(session=session, by=request.user, **data),
    ):
        messages.success(request, "Minutes started. Add the agenda items.")
        return redirect("community:community_meeting_detail", meeting.pk)
    return pages.form_page(
        request,
        form,
        title,
        caption=caption,
        cancel=back,
        button="Continue",
        intro="Who was present comes from the meeting's register.",
    )


def _visible_person(user, resident):
    """The resident, if the user may see them (a restricted chair is not named)."""
    if resident is None or not permissions.person_is_visible(user, resident.prison_number):
        return None
    return resident


def community_meeting_detail(request, pk):
    meeting = selectors.community_meeting_detail(request.user, pk)
    user = request.user
    register = list(selectors.meeting_register(user, meeting))
    can_minute = permissions.can(user, MINUTE, meeting)
    return render(
        request,
        "community/community_meeting_detail.html",
        {
            "meeting": meeting,
            "chair": _visible_person(user, meeting.chair),
            "vice_chair": _visible_person(user, meeting.vice_chair),
            "present": [a for a in register if a.status in ATTENDED],
            "absent": [a for a in register if a.status not in ATTENDED],
            "items": selectors.agenda_items(user, meeting),
            "motions": selectors.motions_of_meeting(user, meeting),
            "can_minute": can_minute,
            "can_correct": can_minute,
            "can_record_motion": permissions.can(user, "record_motion", meeting),
            "can_take_register": permissions.can(user, "record_attendance", meeting),
        },
    )


def agenda_item_add(request, pk):
    meeting = selectors.community_meeting_detail(request.user, pk)
    permissions.require(request.user, MINUTE, meeting)
    form = AgendaItemForm(
        request.POST or None,
        residents=selectors.residents_of_meeting(request.user, meeting),
        staff=community_staff(meeting.community),
    )
    back = reverse("community:community_meeting_detail", args=[meeting.pk])
    if pages.submit(
        form, lambda data: services.agenda_item_add(meeting=meeting, by=request.user, **data)
    ):
        messages.success(request, "Agenda item added.")
        return redirect(back)
    return pages.form_page(request, form, "Add an agenda item", caption=meeting, cancel=back)
