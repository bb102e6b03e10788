"""Reads of the organisation, already narrowed to what the user may see."""

from django.db.models import Count, Q

from . import permissions
from .models import Community, Notification, Role, RoleAssignment


def communities_overview(user):
    """Every community the user holds a role in (identifiable access or audit), with
    beds used and active staff counted in the same query."""
    in_scope = permissions.community_ids(user) | permissions.community_ids(user, "view_audit")
    return (
        Community.objects.filter(pk__in=in_scope)
        .select_related("establishment")
        .annotate(
            beds_used=Count("residents", filter=~Q(residents__phase="left"), distinct=True),
            staff_count=Count(
                "role_assignments__user",
                filter=Q(role_assignments__ended_at__isnull=True)
                & ~Q(role_assignments__role=Role.AUDITOR),
                distinct=True,
            ),
        )
        .order_by("establishment__name", "name")
    )


def community_team(community: Community):
    """Active role assignments on a community, with each person's profile."""
    return (
        RoleAssignment.objects.active()
        .filter(community=community)
        .exclude(role=Role.AUDITOR)
        .select_related("user__profile")
        .order_by("user__last_name", "user__first_name")
    )


def active_roles(user):
    return (
        RoleAssignment.objects.active()
        .filter(user=user)
        .select_related("community__establishment", "establishment", "cluster")
    )


def unread_notification_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
