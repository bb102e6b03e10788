"""Reads of staff meetings, already narrowed to what the user may see: the meetings of
their communities, and of the residents discussed only those not restricted from them."""

from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from dtc import permissions
from residents.models import Resident

from ..models import ResidentDiscussed, StaffMeeting, StaffMeetingAction

__all__ = [
    "residents_to_discuss",
    "staff_meeting_action_detail",
    "staff_meeting_actions",
    "staff_meeting_detail",
    "staff_meeting_discussions",
    "staff_meeting_open_actions_of",
    "staff_meetings_visible_to",
]


def _count(queryset) -> Coalesce:
    # A subquery rather than a join and GROUP BY: only the page's rows are counted, and
    # the paginator's count needs no grouping.
    return Coalesce(
        Subquery(
            queryset.filter(meeting=OuterRef("pk"))
            .order_by()
            .values("meeting")
            .annotate(count=Count("pk"))
            .values("count")
        ),
        0,
    )


def staff_meetings_visible_to(user, *, kind="", community_id=None, query=""):
    """The meetings in effect in the user's communities, newest first, with who was there,
    the open actions and the residents discussed whom the user may see, counted."""
    meetings = (
        permissions.visible(user, StaffMeeting)
        .in_effect()
        .select_related("community")
        .prefetch_related("staff_present")
        .annotate(
            open_actions=_count(StaffMeetingAction.objects.filter(completed_at__isnull=True)),
            residents_count=_count(ResidentDiscussed.objects.visible_to(user)),
        )
        .order_by("-held_on", "-pk")
    )
    if kind:
        meetings = meetings.filter(kind=kind)
    if community_id:
        meetings = meetings.filter(community_id=community_id)
    for part in query.split():
        meetings = meetings.filter(minutes__icontains=part)
    return meetings


def staff_meeting_detail(user, pk: int) -> StaffMeeting:
    """One meeting of the user's communities (in effect or not), or 404."""
    return permissions.get_visible_or_404(
        user,
        StaffMeeting.objects.select_related(
            "community__establishment", "recorded_by", "entered_in_error_by"
        ).prefetch_related("staff_present"),
        pk=pk,
    )


def staff_meeting_discussions(user, meeting: StaffMeeting):
    """The residents discussed at the meeting whom the user may see, by name."""
    return (
        ResidentDiscussed.objects.visible_to(user)
        .filter(meeting=meeting)
        .select_related("resident", "recorded_by")
        .order_by("resident__last_name", "resident__first_name", "pk")
    )


def staff_meeting_actions(meeting: StaffMeeting):
    """The meeting's actions, the open ones first, by due date."""
    return meeting.actions.select_related("owner", "completed_by").order_by(
        F("completed_at").asc(nulls_first=True), "due_on", "pk"
    )


def staff_meeting_action_detail(user, pk: int) -> StaffMeetingAction:
    """One action of a meeting of the user's communities, or 404."""
    return get_object_or_404(
        StaffMeetingAction.objects.filter(
            meeting__in=permissions.visible(user, StaffMeeting)
        ).select_related("meeting__community", "owner"),
        pk=pk,
    )


def staff_meeting_open_actions_of(user):
    """The user's open actions from meetings in effect on the communities they are on."""
    return (
        StaffMeetingAction.objects.filter(
            owner=user,
            completed_at__isnull=True,
            meeting__community_id__one_of=permissions.community_ids(user),
            meeting__entered_in_error_at__isnull=True,
            meeting__superseded=False,
        )
        .select_related("meeting")
        .order_by("due_on", "pk")
    )


def residents_to_discuss(user, meeting: StaffMeeting):
    """The residents on the community on the day of the meeting whom the user may see."""
    return (
        permissions.visible(user, Resident)
        .filter(community_id=meeting.community_id)
        .on_community_on(meeting.held_on)
        .order_by("last_name", "first_name", "pk")
    )
