"""Reads of community meetings, already narrowed to what the user may see: a restricted
resident is left out of the present lists, the counts and the agenda items raised by or
about them, for everyone not named on the restriction."""

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from dtc import permissions
from residents.models import ATTENDED, Attendance, GroupSession, Intervention

from ..models import AgendaItem, CommunityMeeting, Motion
from .staff_meetings import residents_to_discuss

__all__ = [
    "agenda_item_detail",
    "agenda_items",
    "community_meeting_detail",
    "community_meetings_visible_to",
    "meeting_register",
    "meeting_session",
    "residents_of_meeting",
]


def _count(queryset, field: str, outer: str) -> Coalesce:
    # A subquery per row of the page, as the staff meetings' list counts.
    return Coalesce(
        Subquery(
            queryset.filter(**{field: OuterRef(outer)})
            .order_by()
            .values(field)
            .annotate(count=Count("pk"))
            .values("count")
        ),
        0,
    )


def community_meetings_visible_to(user, *, community_id=None):
    """The community meetings of the user's communities, newest first, with the
    residents present, the agenda items and the motions the user may see, counted."""
    present = Attendance.objects.filter(
        permissions.person_visible(user, "resident__prison_number"), status__in=ATTENDED
    )
    meetings = (
        permissions.visible(user, CommunityMeeting)
        .select_related("community")
        .annotate(
            present_count=_count(present, "session", "session_id"),
            items_count=_count(AgendaItem.objects.in_effect().visible_to(user), "meeting", "pk"),
            motions_count=_count(Motion.objects.in_effect().visible_to(user), "meeting", "pk"),
        )
        .order_by("-held_on", "-pk")
    )
    if community_id:
        meetings = meetings.filter(community_id=community_id)
    return meetings


def community_meeting_detail(user, pk: int) -> CommunityMeeting:
    return permissions.get_visible_or_404(
        user,
        CommunityMeeting.objects.select_related(
            "community__establishment",
            "session",
            "chair",
            "chair_staff",
            "vice_chair",
            "vice_chair_staff",
            "minute_taker",
        ),
        pk=pk,
    )


def meeting_register(user, meeting: CommunityMeeting):
    """The session's register, residents the user may see only, by name."""
    return (
        Attendance.objects.filter(session_id=meeting.session_id)
        .filter(permissions.person_visible(user, "resident__prison_number"))
        .select_related("resident")
        .order_by("resident__last_name", "resident__first_name", "pk")
    )


def agenda_items(user, meeting: CommunityMeeting):
    """The meeting's agenda items in effect that the user may see, in the order raised."""
    return (
        AgendaItem.objects.in_effect()
        .visible_to(user)
        .filter(meeting=meeting)
        .select_related("raised_by_resident", "raised_by_staff", "about")
        .order_by("pk")
    )


def agenda_item_detail(user, pk: int) -> AgendaItem:
    """One agenda item of a meeting of the user's communities, raised by and about
    residents they may see, or 404."""
    return get_object_or_404(
        AgendaItem.objects.visible_to(user)
        .filter(meeting__in=permissions.visible(user, CommunityMeeting))
        .select_related("meeting__community", "raised_by_resident", "raised_by_staff", "about"),
        pk=pk,
    )


def meeting_session(user, pk: int) -> GroupSession:
    """A held community-meeting session of the user's communities, or 404."""
    return permissions.get_visible_or_404(
        user,
        GroupSession.objects.select_related("community").filter(
            group_type=Intervention.COMMUNITY_MEETING
        ),
        pk=pk,
    )


def residents_of_meeting(user, meeting: CommunityMeeting):
    """The residents on the community on the day of the meeting whom the user may see."""
    return residents_to_discuss(user, meeting)
