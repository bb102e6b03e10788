"""Reads of the organisation, already narrowed to what the user may see."""

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from . import permissions
from .models import Community, Notification, Role, RoleAssignment


def communities_overview(user):
    """Every community the user holds a role in (identifiable access or audit), with
    beds used and active staff counted in the same query."""
    in_scope = permissions.community_ids(user) | permissions.community_ids(user, "view_audit")
    # Each figure is a subquery: joining both residents and staff, then counting, would
    # first multiply the rows (residents × staff of each community). The resident model
    # is reached through the relation so that the core does not import the app.
    residents = Community._meta.get_field("residents").related_model.objects.current()
    staff = RoleAssignment.objects.active().exclude(role=Role.AUDITOR)
    return (
        Community.objects.filter(pk__one_of=in_scope)
        .select_related("establishment")
        .annotate(
            beds_used=_per_community(residents, "pk"), staff_count=_per_community(staff, "user")
        )
        .order_by("establishment__name", "name")
    )


def _per_community(queryset, field: str):
    """How many distinct `field` values of `queryset` each community has, as a subquery."""
    counts = (
        queryset.filter(community=OuterRef("pk"))
        .order_by()
        .values("community")
        .annotate(count=Count(field, distinct=True))
        .values("count")
    )
    return Coalesce(Subquery(counts), 0)


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
    return permissions.held_roles(user)


def notifications_for(user):
    """The user's notifications, less those about a person now restricted from them."""
    return Notification.objects.filter(permissions.person_visible(user, "about"), recipient=user)


def unread_notification_count(user) -> int:
    return notifications_for(user).filter(read_at__isnull=True).count()
