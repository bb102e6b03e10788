"""Group sessions and their registers."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from dtc import pages, permissions
from dtc.models import Community
from dtc.params import int_param

from .. import selectors, services
from ..forms import (
    GroupSessionForm,
    RegisterForm,
)
from ..models import AttendanceStatus, Intervention

__all__ = ["attendance_record", "session_list", "session_record"]


def session_list(request):
    permissions.require_any(request.user)
    group_type = request.GET.get("type", "")
    if group_type not in Intervention.values:
        group_type = ""
    community_id = int_param(request.GET, "community")
    sessions = selectors.sessions_visible_to(
        request.user, community_id=community_id, group_type=group_type
    )
    page = Paginator(sessions, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "residents/session_list.html",
        {
            "page": page,
            "group_type": group_type,
            "group_types": Intervention.choices,
            "communities": permissions.communities(request.user).select_related("establishment"),
            "community_id": community_id,
            "recording_communities": permissions.communities(request.user, "record_attendance"),
        },
    )


def session_record(request, community_pk):
    community = permissions.get_visible_or_404(request.user, Community, pk=community_pk)
    permissions.require(request.user, "record_attendance", community)
    form = GroupSessionForm(request.POST or None, staff=selectors.community_staff(community))
    if session := pages.submit(
        form, lambda data: services.session_record(community=community, by=request.user, **data)
    ):
        messages.success(request, "Group recorded. Take the register now.")
        return redirect("residents:attendance_record", session.pk)
    return render(
        request,
        "form_page.html",
        {"form": form, "caption": community.name, "title": "Record a group", "button": "Continue"},
    )


def attendance_record(request, pk):
    session = selectors.session_detail(request.user, pk)
    can_record = permissions.can(request.user, "record_attendance", session)
    form = None
    saved = False
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        # Every field is optional: unmarked residents stay unmarked.
        form = RegisterForm(request.POST, residents=selectors.register(request.user, session))
        marked = pages.submit(
            form,
            lambda data: services.attendance_record(
                session=session, marks=form.marks(), by=request.user
            ),
        )
        saved = marked is not None  # a count of the marks, 0 when none were given
        if saved and not request.htmx:
            messages.success(request, "Register saved.")
            return redirect("residents:attendance_record", session.pk)
    rows = selectors.register(request.user, session)
    context = {
        "session": session,
        "rows": rows,
        "statuses": AttendanceStatus.choices,
        "can_record": can_record,
        "saved": saved,
        "form": form,
    }
    if request.htmx:
        return render(request, "residents/register_form.html", context)
    return render(request, "residents/register.html", context)
