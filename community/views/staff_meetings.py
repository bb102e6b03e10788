"""The staff meeting pages: the list, recording a meeting, a meeting with its residents
discussed and its actions, and adding and completing them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from dtc import corrections, pages, permissions
from dtc.models import Community
from dtc.params import date_param, int_param, search_param

from .. import selectors, services
from ..forms import ResidentDiscussedForm, StaffMeetingActionForm, StaffMeetingForm
from ..models import MeetingKind

__all__ = [
    "staff_meeting_action_add",
    "staff_meeting_action_complete",
    "staff_meeting_detail",
    "staff_meeting_discussion_add",
    "staff_meeting_list",
    "staff_meeting_new",
    "staff_meeting_record",
]

MINUTE = "minute_meeting"


def staff_meeting_list(request):
    permissions.require_any(request.user)
    kind = request.GET.get("kind", "")
    if kind not in MeetingKind.values:
        kind = ""
    query = search_param(request.GET)
    community_id = int_param(request.GET, "community")
    meetings = selectors.staff_meetings_visible_to(
        request.user, kind=kind, community_id=community_id, query=query
    )
    return render(
        request,
        "community/staff_meeting_list.html",
        {
            "page": Paginator(meetings, 25).get_page(request.GET.get("page")),
            "query": query,
            "kind": kind,
            "kinds": MeetingKind.choices,
            "communities": permissions.communities(request.user).select_related("establishment"),
            "community_id": community_id,
            "can_record": permissions.holds_any(request.user, MINUTE),
        },
    )


def staff_meeting_new(request):
    """Choose the community the meeting was held on, when the user minutes more than one."""
    permissions.require_any(request.user, MINUTE)
    communities = permissions.communities(request.user, MINUTE).select_related("establishment")
    if len(communities) == 1:
        return redirect("community:staff_meeting_record", communities[0].pk)
    return render(request, "community/staff_meeting_new.html", {"communities": communities})


def _planned_initial(request, community) -> dict:
    """The answers a meeting planned on the timetable gives (?slot=…&on=…)."""
    slot = (
        selectors.slots_visible_to(request.user, community_id=community.pk)
        .filter(pk=int_param(request.GET, "slot"))
        .first()
    )
    day = date_param(request.GET, "on")
    if slot is None or day is None or not slot.is_staff_meeting or not slot.runs_on(day):
        return {}
    return {
        "kind": slot.kind,
        "held_on": day,
        "start_time": slot.starts_at,
        "duration_minutes": slot.duration_minutes,
    }


def staff_meeting_record(request, community_pk):
    community = permissions.get_visible_or_404(request.user, Community, pk=community_pk)
    permissions.require(request.user, MINUTE, community)
    form = StaffMeetingForm(
        request.POST or None, community=community, initial=_planned_initial(request, community)
    )
    title = "Record a staff meeting"
    if pages.unconfirmed(form):
        return pages.check_answers(
            request,
            form=form,
            title=title,
            button="Record meeting",
            caption=community.name,
            intro=f"{title}. A recorded meeting cannot be removed, so check it before you "
            "record it. You can add the residents discussed and the actions agreed next.",
            cancel=reverse("community:staff_meeting_list"),
        )
    if meeting := pages.submit(
        form,
        lambda data: services.staff_meeting_record(community=community, by=request.user, **data),
    ):
        messages.success(request, "Staff meeting recorded.")
        return redirect("community:staff_meeting_detail", meeting.pk)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "caption": community.name,
            "title": title,
            "button": "Continue",
            "cancel": reverse("community:staff_meeting_list"),
        },
    )


def staff_meeting_detail(request, pk):
    meeting = selectors.staff_meeting_detail(request.user, pk)
    today = timezone.localdate()
    can_minute = meeting.in_effect and permissions.can(request.user, MINUTE, meeting)
    actions = list(selectors.staff_meeting_actions(meeting))
    for action in actions:
        action.can_complete = can_minute and not action.is_done
    return render(
        request,
        "community/staff_meeting_detail.html",
        {
            "meeting": meeting,
            "discussions": selectors.staff_meeting_discussions(request.user, meeting),
            "actions": actions,
            "can_minute": can_minute,
            "can_correct": permissions.may_correct(request.user, meeting),
            "correction": corrections.correction_of(meeting),
            "today": today,
        },
    )


def _meeting_to_add_to(request, pk):
    """A meeting in the user's scope (404 otherwise) that they may minute (403)."""
    meeting = selectors.staff_meeting_detail(request.user, pk)
    permissions.require(request.user, MINUTE, meeting)
    return meeting


def _form_page(request, meeting, form, title):
    back = reverse("community:staff_meeting_detail", args=[meeting.pk])
    return pages.form_page(request, form, title, caption=meeting, cancel=back)


def staff_meeting_discussion_add(request, pk):
    meeting = _meeting_to_add_to(request, pk)
    residents = selectors.residents_to_discuss(request.user, meeting)
    form = ResidentDiscussedForm(request.POST or None, residents=residents)
    if pages.submit(
        form,
        lambda data: services.staff_meeting_resident_discussed(
            meeting=meeting, by=request.user, **data
        ),
    ):
        messages.success(request, "Resident discussed added.")
        return redirect("community:staff_meeting_detail", meeting.pk)
    return _form_page(request, meeting, form, "Add a resident discussed")


def staff_meeting_action_add(request, pk):
    meeting = _meeting_to_add_to(request, pk)
    form = StaffMeetingActionForm(request.POST or None, community=meeting.community)
    if pages.submit(
        form,
        lambda data: services.staff_meeting_action_add(meeting=meeting, by=request.user, **data),
    ):
        messages.success(request, "Action added.")
        return redirect("community:staff_meeting_detail", meeting.pk)
    return _form_page(request, meeting, form, "Add an agreed action")


def staff_meeting_action_complete(request, pk):
    action = selectors.staff_meeting_action_detail(request.user, pk)
    permissions.require(request.user, MINUTE, action.meeting)
    if request.method == "POST":
        try:
            services.staff_meeting_action_complete(action=action, by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, "Action marked as done.")
        return redirect("community:staff_meeting_detail", action.meeting_id)
    return render(request, "community/staff_meeting_action_complete.html", {"action": action})
