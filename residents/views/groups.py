"""Group sessions and their registers."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from dtc import pages, permissions
from dtc.models import Community
from dtc.params import int_param

from .. import selectors, services
from ..forms import (
    AttendanceCorrectForm,
    GroupSessionForm,
    RegisterForm,
)
from ..models import PART_ATTENDED, AttendanceStatus, Intervention
from ..services import Mark

__all__ = [
    "attendance_correct",
    "attendance_record",
    "registers_not_taken",
    "session_list",
    "session_record",
]


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
    form = GroupSessionForm(
        request.POST or None,
        staff=selectors.community_staff(community),
        small_groups=selectors.small_groups(request.user, community=community),
    )
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


def _register_rows(form, rows):
    """What the register shows per resident: the mark, minutes and reason as posted (on a
    form shown again) or as recorded, and the messages beside each."""
    shown = []
    for resident, attendance in rows:
        name = f"resident-{resident.pk}"
        if form is not None:
            status = form.data.get(name, "")
            minutes = form.data.get(f"{name}-minutes", "")
            reason = form.data.get(f"{name}-reason", "")
        else:
            status = attendance.status if attendance else ""
            minutes = (attendance.minutes_missed or "") if attendance else ""
            reason = attendance.reason if attendance else ""
        errors = form.errors if form is not None else {}
        shown.append(
            {
                "resident": resident,
                "attendance": attendance,
                "status": status,
                "minutes": minutes,
                "reason": reason,
                "status_errors": errors.get(name, []),
                "minutes_errors": errors.get(f"{name}-minutes", []),
                "reason_errors": errors.get(f"{name}-reason", []),
            }
        )
    return shown


def attendance_record(request, pk):
    session = selectors.session_detail(request.user, pk)
    can_record = permissions.can(request.user, "record_attendance", session)
    form = None
    saved = ""
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        rows = selectors.register(request.user, session)
        form = RegisterForm(request.POST, residents=rows)
        everyone_present = "everyone_present" in request.POST
        marked = {resident.pk for resident, attendance in rows if attendance}
        saved_marks = pages.submit(
            form,
            lambda data: (
                services.attendance_record(
                    session=session,
                    marks=form.marks(everyone_present=everyone_present, marked=marked),
                    by=request.user,
                )
                is not None
            ),
        )
        if saved_marks and "close" in request.POST:
            try:
                session = services.register_close(session=session, by=request.user)
            except ValidationError as refusal:
                pages.show_refusal(form, refusal)
        if saved_marks:
            unmarked = len(selectors.unmarked(request.user, session))
            saved = _saved_message(session, unmarked)
            if not form.errors:
                form = None  # shown from what was saved
            if not request.htmx and form is None:
                messages.success(request, saved)
                return redirect("residents:attendance_record", session.pk)
    rows = selectors.register(request.user, session)
    context = {
        "session": session,
        "rows": _register_rows(form, rows),
        "unmarked": sum(1 for _, attendance in rows if attendance is None),
        "statuses": AttendanceStatus.choices,
        "part_attended": PART_ATTENDED,
        "can_record": can_record and not session.register_taken,
        "can_correct": can_record and session.register_taken,
        "saved": saved,
        "form": form,
        "corrections": selectors.corrections(session),
    }
    if request.htmx:
        return render(request, "residents/register_form.html", context)
    return render(request, "residents/register.html", context)


def _saved_message(session, unmarked: int) -> str:
    if session.register_taken:
        return "Register closed: every resident is marked."
    if unmarked:
        people = "resident" if unmarked == 1 else "residents"
        return f"Saved as a draft: {unmarked} {people} not yet marked."
    return "Saved as a draft: everyone is marked. Close the register when it is right."


def attendance_correct(request, pk):
    attendance = selectors.attendance_detail(request.user, pk)
    permissions.require(request.user, "record_attendance", attendance.session)
    form = AttendanceCorrectForm(
        request.POST or None,
        initial={
            "status": attendance.status,
            "minutes_missed": attendance.minutes_missed,
            "reason": attendance.reason,
        },
    )
    if pages.submit(
        form,
        lambda data: services.attendance_correct(
            attendance=attendance,
            mark=Mark(data["status"], data["minutes_missed"], data["reason"]),
            reason=data["correction_reason"],
            by=request.user,
        ),
    ):
        messages.success(request, "Mark corrected. The original is kept in its history.")
        return redirect("residents:attendance_record", attendance.session_id)
    resident = attendance.resident
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "caption": attendance.session,
            "title": f"Correct the mark of {resident.first_name} {resident.last_name}",
            "intro": f"Recorded as {attendance.get_status_display().lower()}.",
            "button": "Correct the mark",
            "cancel": reverse("residents:attendance_record", args=[attendance.session_id]),
        },
    )


def registers_not_taken(request):
    permissions.require_any(request.user)
    sessions = selectors.registers_not_taken(request.user, today=timezone.localdate())
    page = Paginator(sessions, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.register_counts(request.user, page.object_list)
    return render(
        request,
        "residents/registers_not_taken.html",
        {"page": page, "communities": permissions.communities(request.user)},
    )
