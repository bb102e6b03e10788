"""Reads of referrals, born filtered to the user's communities."""

from datetime import timedelta

from django.db.models import BooleanField, Case, Q, Value, When
from django.utils import timezone

from dtc import permissions

from .models import STAGES, Override, Referral, Status


def _stuck_condition(communities) -> Q:
    """Open referrals that have stayed at one stage longer than their community allows."""
    # One test per distinct limit, not per community: a cluster's fifty communities mostly
    # share a limit, and fifty ORed conditions cost more to build than the query takes to run.
    now = timezone.now()
    by_limit: dict[int, list[int]] = {}
    for community in communities:
        by_limit.setdefault(community.referral_stage_alert_days, []).append(community.pk)
    condition = Q(pk__in=[])
    for days, ids in by_limit.items():
        condition |= Q(community_id__in=ids, status_changed_at__lt=now - timedelta(days=days))
    return condition & Q(status__in=STAGES)


def referrals_visible_to(user):
    """Referrals in the user's communities, with whether each is stuck, in one query."""
    communities = list(permissions.communities(user))
    return (
        permissions.visible(user, Referral)
        .select_related("community__establishment")
        .annotate(
            stuck=Case(
                When(_stuck_condition(communities), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
    )


def referral_list(user, *, q="", status="", risk="", community=None, stuck=False):
    referrals = referrals_visible_to(user)
    if q:
        referrals = referrals.filter(
            Q(prison_number__icontains=q.replace(" ", ""))
            | Q(first_name__icontains=q)
            | Q(last_name__icontains=q)
        )
    if status:
        referrals = referrals.filter(status=status)
    if risk:
        referrals = referrals.filter(risk_level=risk)
    if community:
        referrals = referrals.filter(community_id=community)
    if stuck:
        referrals = referrals.filter(stuck=True)
    return referrals.order_by("-referred_on", "-pk")


def waiting_list(user):
    """Accepted referrals, by community, then priority, then the date of acceptance."""
    return (
        permissions.visible(user, Referral)
        .filter(status=Status.ACCEPTED)
        .select_related("community__establishment", "override")
        .order_by(
            "community__establishment__name", "community__name", "priority", "accepted_on", "pk"
        )
    )


def overrides_visible_to(user):
    """Overrides in the communities where the user could make one (TM: theirs; HoP: all theirs)."""
    return (
        Override.objects.filter(
            permissions.person_visible(user, "referral__prison_number"),
            community_id__in=permissions.community_ids(user, "override_criteria"),
        )
        .select_related("referral", "community__establishment", "by")
        .prefetch_related("criteria")
    )
