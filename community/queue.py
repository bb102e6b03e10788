"""The community's lines of the home page's work queue (dtc.home): the actions agreed at
staff meetings that the user owns and that are due, and for the wing's staff the planned
sessions of the last fortnight that nobody has recorded as held or cancelled."""

from datetime import timedelta

from django.urls import reverse

from dtc import permissions
from dtc.home import COMING_DAYS, QueueItem

from . import selectors


def work(request, *, today, limit):
    user = request.user
    if not permissions.holds_any(user):
        return []  # an auditor is on no community's staff
    horizon = today + timedelta(days=COMING_DAYS)
    return [*_actions(user, horizon, limit), *_sessions_to_record(user, today, limit)]


# A planned session left unrecorded longer than this is for the timetable's page to show.
UNRECORDED_DAYS = 14


def _sessions_to_record(user, today, limit):
    records = permissions.community_ids(user, "record_attendance")
    if not records:
        return []
    planned = [
        p
        # The residents' sessions, whose registers count (staff meetings are minuted).
        for p in selectors.planned_sessions(
            user,
            start=today - timedelta(days=UNRECORDED_DAYS),
            end=today,
            staff_meetings=False,
            facilitators=False,
        )
        if p.status == "to_record" and p.slot.community_id in records
    ]
    return [
        QueueItem(
            due=p.on,
            what="Record the session: held or cancelled",
            about=f"{p.slot.get_kind_display()}"
            + (f" ({p.slot.small_group.name})" if p.slot.small_group_id else "")
            + f", {p.on:%-d %B} {p.slot.starts_at:%H:%M}, {p.slot.community.name}",
            url=f"{reverse('community:timetable')}?community={p.slot.community_id}"
            f"&week={selectors.week_of(p.on).isoformat()}#day-{p.on.isoformat()}",
        )
        for p in planned[-limit:]
    ]


def _actions(user, horizon, limit):
    return [
        QueueItem(
            due=action.due_on,
            what="Staff meeting action",
            about=action.description,
            url=reverse("community:staff_meeting_action_complete", args=[action.pk]),
        )
        for action in selectors.staff_meeting_open_actions_of(user).filter(due_on__lte=horizon)[
            :limit
        ]
    ]
