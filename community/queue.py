"""The community's lines of the home page's work queue (dtc.home): the actions agreed at
staff meetings that the user owns and that are due, for the wing's staff the planned
sessions of the last fortnight that nobody has recorded as held or cancelled, and for
the Therapy Manager the motions waiting for ratification and the vote-outs whose
leaving is not yet recorded."""

from datetime import timedelta

from django.urls import reverse

from dtc import links, permissions
from dtc.home import COMING_DAYS, QueueItem

from . import selectors


def work(request, *, today, limit):
    user = request.user
    if not permissions.holds_any(user):
        return []  # an auditor is on no community's staff
    horizon = today + timedelta(days=COMING_DAYS)
    return [
        *_actions(user, horizon, limit),
        *_sessions_to_record(user, today, limit),
        *_motions(user, limit),
    ]


def _motions(user, limit):
    """The motions waiting for the Therapy Manager's ratification, and the vote-outs
    whose leaving is not yet recorded: a vote-out never leaves a resident silently."""
    if not (
        permissions.holds_any(user, "ratify_motion")
        or permissions.holds_any(user, "decide_therapy")
    ):
        return []
    # The longest waiting first, in one read of at most `limit` of each kind.
    motions = list(
        selectors.motions_for_the_managers(user)
        .select_related(None)
        .select_related("resident")[: 2 * limit]
    )
    communities = permissions.communities_by_id(user)
    awaiting = [m for m in motions if m.awaits_ratification][:limit]
    to_leave = [m for m in motions if not m.awaits_ratification][:limit]
    return [
        *(
            QueueItem(
                due=motion.held_on,
                what="Ratify or set aside the decision",
                about=f"{motion.get_kind_display()}"
                + (f" ({motion.resident.name})" if motion.resident_id else "")
                + f", {communities[motion.community_id].name}",
                url=links.path_to("community:motion_detail", motion.pk),
            )
            for motion in awaiting
        ),
        *(
            QueueItem(
                due=motion.held_on,
                what="Record the leaving: voted out",
                about=f"{motion.resident.name}, {communities[motion.community_id].name}",
                url=links.path_to("community:motion_detail", motion.pk),
            )
            for motion in to_leave
        ),
    ]


# A planned session left unrecorded longer than this is for the timetable's page to show.
UNRECORDED_DAYS = 14


def _sessions_to_record(user, today, limit):
    records = permissions.community_ids(user, "record_attendance")
    if not records:
        return []
    # The residents' sessions, whose registers count (staff meetings are minuted).
    planned = selectors.sessions_to_record(
        user, start=today - timedelta(days=UNRECORDED_DAYS), end=today, community_ids=records
    )
    timetable = reverse("community:timetable")
    return [
        QueueItem(
            due=p.on,
            what="Record the session: held or cancelled",
            about=f"{p.slot.get_kind_display()}"
            + (f" ({p.slot.small_group.name})" if p.slot.small_group_id else "")
            + f", {p.on:%-d %B} {p.slot.starts_at:%H:%M}, {p.slot.community.name}",
            url=f"{timetable}?community={p.slot.community_id}"
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
            url=links.path_to("community:staff_meeting_action_complete", action.pk),
        )
        for action in selectors.staff_meeting_open_actions_of(user).filter(due_on__lte=horizon)[
            :limit
        ]
    ]
