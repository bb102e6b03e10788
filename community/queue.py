"""The community's lines of the home page's work queue (dtc.home): the actions agreed at
staff meetings that the user owns and that are due."""

from datetime import timedelta

from django.urls import reverse

from dtc import permissions
from dtc.home import COMING_DAYS, PER_KIND, QueueItem

from . import selectors


def work(request, *, today):
    user = request.user
    if not permissions.holds_any(user):
        return []  # an auditor is on no community's staff
    horizon = today + timedelta(days=COMING_DAYS)
    return [
        QueueItem(
            due=action.due_on,
            what="Staff meeting action",
            about=action.description,
            url=reverse("community:staff_meeting_action_complete", args=[action.pk]),
        )
        for action in selectors.staff_meeting_open_actions_of(user).filter(due_on__lte=horizon)[
            :PER_KIND
        ]
    ]
