"""Supervision's lines of the home page's work queue (dtc.home): the user's own
supervision overdue or due soon, and the agreed actions they own that are due."""

from datetime import timedelta

from dtc import links, permissions, versions
from dtc.home import COMING_DAYS, QueueItem

from . import selectors


def work(request, *, today, limit):
    user = request.user
    if not permissions.holds_any(user):
        return []  # an auditor is not on a team's supervision
    horizon = today + timedelta(days=COMING_DAYS)
    # Compliance is three queries; cached until a session, requirement or role of the
    # user's communities changes (the versions of dtc.versions), and for the day.
    own = versions.cached(
        "supervision-own-queue",
        permissions.community_ids(user),
        lambda: _own_supervision(user, today, horizon),
        user.pk,
        today,
    )
    actions = [
        QueueItem(
            due=action.due_on,
            what="Agreed action",
            about=action.description,
            url=links.path_to("supervision:action_complete", action.pk),
        )
        for action in selectors.open_actions_of(user)
        .filter(due_on__lte=horizon)
        .order_by("due_on", "pk")[:limit]
    ]
    return [*own, *actions]


def _own_supervision(user, today, horizon) -> list[QueueItem]:
    compliance = selectors.staff_compliance([user], today=today)[user.pk]
    return [
        QueueItem(
            due=kind.due_on,
            what=f"{kind.label} supervision {'overdue' if kind.is_overdue else 'due'}",
            about="Your supervision",
            url=links.path_to("supervision:record", user.pk),
        )
        for kind in compliance.kinds
        if kind.due_on <= horizon
    ]
