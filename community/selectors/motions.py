"""Reads of motions, already narrowed to what the user may see: the motions of their
communities, and of those about a resident only the ones about residents not
restricted from them."""

from django.db.models import Q

from dtc import permissions
from residents.models import Phase, Resident

from ..models import Motion, MotionKind, Outcome, Ratification

__all__ = [
    "motion_detail",
    "motion_residents",
    "motions_about",
    "motions_for_the_managers",
    "motions_of_meeting",
    "motions_visible_to",
]

RELATED = ("community", "resident", "job", "meeting")


def motions_visible_to(user, *, community_id=None, kind="", outcome=""):
    """The motions in effect in the user's communities, newest first."""
    motions = (
        permissions.visible(user, Motion)
        .in_effect()
        .select_related(*RELATED)
        .order_by("-held_on", "-pk")
    )
    if community_id:
        motions = motions.filter(community_id=community_id)
    if kind:
        motions = motions.filter(kind=kind)
    if outcome:
        motions = motions.filter(outcome=outcome)
    return motions


def motion_detail(user, pk: int) -> Motion:
    """One motion of the user's communities (in effect or not), or 404."""
    return permissions.get_visible_or_404(
        user,
        Motion.objects.select_related(
            *RELATED,
            "constitution",
            "made_constitution",
            "job_holding",
            "recorded_by",
            "ratified_by",
            "entered_in_error_by",
        ),
        pk=pk,
    )


def motions_of_meeting(user, meeting):
    return (
        permissions.visible(user, Motion)
        .in_effect()
        .filter(meeting=meeting)
        .select_related(*RELATED)
        .order_by("pk")
    )


def motions_about(resident):
    """The motions in effect about the resident, the latest first (the caller has the
    resident in sight)."""
    return (
        resident.motions.in_effect().select_related("community", "job").order_by("-held_on", "-pk")
    )


def motions_for_the_managers(user):
    """In one read, for the work queue: the carried motions waiting for ratification in
    the communities where the user ratifies, and the vote-outs that took effect while
    their resident has not yet left, where the user decides on therapy (the leaving is
    theirs to record, never done silently)."""
    awaiting = Q(
        ratification=Ratification.AWAITING,
        community_id__one_of=permissions.community_ids(user, "ratify_motion"),
    )
    to_leave = Q(
        kind=MotionKind.VOTE_OUT,
        outcome=Outcome.CARRIED,
        ratification__in=[Ratification.NOT_NEEDED, Ratification.RATIFIED],
        community_id__one_of=permissions.community_ids(user, "decide_therapy"),
    ) & ~Q(resident__phase=Phase.LEFT)
    return (
        permissions.visible(user, Motion)
        .in_effect()
        .filter(awaiting | to_leave)
        .select_related(*RELATED)
        .order_by("held_on", "pk")
    )


def motion_residents(user, community):
    """The residents a motion recorded on its own may be about: the community's
    current residents whom the user may see (the service checks the day of the vote)."""
    return (
        permissions.visible(user, Resident)
        .filter(community=community)
        .exclude(phase=Phase.LEFT)
        .order_by("last_name", "first_name", "pk")
    )
