"""The timetable: a community's week, today's sessions across the user's communities,
the slots that make the timetable, and each planned session held or cancelled."""

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from dtc import pages, permissions
from dtc.models import Community
from dtc.params import EARLIEST, LATEST, date_param, int_param
from residents import selectors as resident_selectors

from .. import selectors, services
from ..forms.timetable import CancelForm, SlotAddForm, SlotChangeForm, SlotEndForm
from ..models import TimetableSlot

__all__ = [
    "planned_cancel",
    "planned_hold",
    "slot_add",
    "slot_change",
    "slot_end",
    "slot_list",
    "timetable",
    "today",
]


# A cluster's day runs to hundreds of sessions: today's page shows them by this many.
TODAY_PAGE_SIZE = 50


def timetable(request):
    """A community's week of the timetable, each session with what became of it."""
    permissions.require_any(request.user)
    communities = list(permissions.communities(request.user).select_related("establishment"))
    if not communities:
        raise Http404
    chosen = int_param(request.GET, "community")
    community = next((c for c in communities if c.pk == chosen), communities[0])
    monday = selectors.week_of(date_param(request.GET, "week") or timezone.localdate())
    sunday = monday + timedelta(days=6)
    planned = selectors.planned_sessions(
        request.user, start=monday, end=sunday, community_id=community.pk
    )
    days = [
        (monday + timedelta(days=n), [p for p in planned if p.on == monday + timedelta(days=n)])
        for n in range(7)
    ]
    return render(
        request,
        "community/timetable.html",
        {
            "community": community,
            "communities": communities,
            "monday": monday,
            "sunday": sunday,
            "days": days,
            "previous": monday - timedelta(days=7)
            if monday - timedelta(days=7) >= EARLIEST
            else None,
            "next": monday + timedelta(days=7) if monday + timedelta(days=7) <= LATEST else None,
            "today": timezone.localdate(),
            "can_record": permissions.can(request.user, "record_attendance", community),
            "can_keep": permissions.can(request.user, "keep_timetable", community),
            "empty": not any(sessions for _, sessions in days),
        },
    )


def today(request):
    """Today's sessions in every community of the user's."""
    permissions.require_any(request.user)
    day = timezone.localdate()
    planned = selectors.planned_sessions(request.user, start=day, end=day)
    page = Paginator(planned, TODAY_PAGE_SIZE).get_page(request.GET.get("page"))
    recording = permissions.community_ids(request.user, "record_attendance")
    for p in page.object_list:
        p.can_record = p.slot.community_id in recording
    return render(
        request,
        "community/today.html",
        {
            "page": page,
            "planned": page.object_list,
            "today": day,
            "several": len({p.slot.community_id for p in planned}) > 1,
        },
    )


def _community(request, pk, action=permissions.ACCESS) -> Community:
    community = permissions.get_visible_or_404(request.user, Community, pk=pk)
    if action != permissions.ACCESS:
        permissions.require(request.user, action, community)
    return community


def slot_list(request, community_pk):
    """The sessions that make the community's timetable: running, to come, and ended."""
    community = _community(request, community_pk)
    today = timezone.localdate()
    slots = list(selectors.slots_visible_to(request.user, community_id=community.pk))
    return render(
        request,
        "community/slot_list.html",
        {
            "community": community,
            "running": [s for s in slots if s.valid_from <= today and not _ended(s, today)],
            "coming": [s for s in slots if s.valid_from > today],
            "ended": sorted(
                (s for s in slots if _ended(s, today)), key=lambda s: s.valid_to, reverse=True
            )[:50],
            "can_keep": permissions.can(request.user, "keep_timetable", community),
        },
    )


def _ended(slot, today) -> bool:
    return slot.valid_to is not None and slot.valid_to < today


def _slot_form(request, form_class, community, **kwargs):
    return form_class(
        request.POST or None,
        staff=resident_selectors.community_staff(community),
        small_groups=resident_selectors.small_groups(request.user, community=community),
        **kwargs,
    )


def slot_add(request, community_pk):
    community = _community(request, community_pk, "keep_timetable")
    form = _slot_form(request, SlotAddForm, community, initial={"valid_from": timezone.localdate()})
    if slot := pages.submit(
        form,
        lambda data: services.timetable_slot_add(community=community, by=request.user, **data),
    ):
        messages.success(request, f"{slot} added to the timetable.")
        return redirect("community:slot_list", community.pk)
    return pages.form_page(
        request,
        form,
        "Add a session to the timetable",
        caption=community.name,
        cancel=reverse("community:slot_list", args=[community.pk]),
    )


def _slot(request, pk, action) -> TimetableSlot:
    slot = permissions.get_visible_or_404(
        request.user,
        TimetableSlot.objects.select_related("community", "small_group"),
        pk=pk,
    )
    permissions.require(request.user, action, slot)
    return slot


def slot_change(request, pk):
    slot = _slot(request, pk, "keep_timetable")
    form = _slot_form(
        request,
        SlotChangeForm,
        slot.community,
        initial={
            "small_group": slot.small_group,
            "weekday": slot.weekday,
            "starts_at": slot.starts_at,
            "duration_minutes": slot.duration_minutes,
            "facilitators": list(slot.facilitators.all()),
            "from_on": max(slot.valid_from, timezone.localdate()),
        },
    )
    if pages.submit(
        form,
        lambda data: services.timetable_slot_change(slot=slot, by=request.user, **data),
    ):
        messages.success(request, "The timetable is changed.")
        return redirect("community:slot_list", slot.community_id)
    return pages.form_page(
        request,
        form,
        f"Change {slot}",
        caption=slot.community.name,
        cancel=reverse("community:slot_list", args=[slot.community_id]),
    )


def slot_end(request, pk):
    slot = _slot(request, pk, "keep_timetable")
    form = SlotEndForm(request.POST or None, initial={"last_on": timezone.localdate()})
    if pages.unconfirmed(form):
        return pages.check_answers(
            request,
            form=form,
            title=f"Take {slot} off the timetable",
            button="Take it off the timetable",
            caption=slot.community.name,
            warning="The session is no longer planned after its last day. Its past weeks keep it.",
            cancel=reverse("community:slot_list", args=[slot.community_id]),
        )
    if pages.submit(
        form, lambda data: services.timetable_slot_end(slot=slot, by=request.user, **data)
    ):
        messages.success(request, f"{slot} is off the timetable after its last day.")
        return redirect("community:slot_list", slot.community_id)
    return pages.form_page(
        request,
        form,
        f"Take {slot} off the timetable",
        caption=slot.community.name,
        cancel=reverse("community:slot_list", args=[slot.community_id]),
        button="Continue",
    )


def _day(on: str) -> date:
    day = date_param({"on": on}, "on")
    if day is None:
        raise Http404
    return day


def _week_url(slot, day) -> str:
    return f"{reverse('community:timetable')}?community={slot.community_id}&week={day.isoformat()}"


@require_POST
def planned_hold(request, pk, on):
    """The planned session is being held: its register, made now if need be."""
    slot = _slot(request, pk, "record_attendance")
    day = _day(on)
    try:
        session = services.planned_session_hold(slot=slot, on=day, by=request.user)
    except ValidationError as refusal:
        messages.error(request, refusal.messages[0])
        return redirect(_week_url(slot, day))
    return redirect("residents:attendance_record", session.pk)


def planned_cancel(request, pk, on):
    slot = _slot(request, pk, "record_attendance")
    day = _day(on)
    form = CancelForm(request.POST or None)
    facts = [("Session", str(slot)), ("Date", f"{day:%-d %B %Y}")]
    if pages.unconfirmed(form):
        return pages.check_answers(
            request,
            form=form,
            facts=facts,
            title="Cancel the session",
            button="Cancel the session",
            caption=slot.community.name,
            warning="The hours count as lost to this cause in the community's figures.",
            cancel=_week_url(slot, day),
        )
    if pages.submit(
        form,
        lambda data: services.planned_session_cancel(slot=slot, on=day, by=request.user, **data),
    ):
        messages.success(
            request, f"The {slot.get_kind_display().lower()} of {day:%-d %B} is cancelled."
        )
        return redirect(_week_url(slot, day))
    return pages.form_page(
        request,
        form,
        "Cancel the session",
        caption=slot.community.name,
        cancel=_week_url(slot, day),
        button="Continue",
        intro=f"{slot.get_kind_display()}"
        + (f" ({slot.small_group.name})" if slot.small_group_id else "")
        + f" on {day:%A %-d %B %Y} at {slot.starts_at:%H:%M}.",
    )
