"""Reads of referrals, born filtered to the user's communities."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import BooleanField, Case, Q, Value, When
from django.urls import reverse
from django.utils import timezone

from dtc import permissions
from dtc.models import Community
from residents.models import Resident

from .models import STAGES, Override, Referral, Status


def stuck_condition(communities) -> Q:
    """Open referrals that have stayed at one stage longer than their community allows."""
    # One test per distinct limit, not per community: a cluster's fifty communities mostly
    # share a limit, and fifty ORed conditions cost more to build than the query takes to run.
    now = timezone.now()
    by_limit: dict[int, list[int]] = {}
    for community in communities:
        by_limit.setdefault(community.referral_stage_alert_days, []).append(community.pk)
    condition = Q(pk__in=[])
    for days, ids in by_limit.items():
        condition |= Q(community_id__one_of=ids, status_changed_at__lt=now - timedelta(days=days))
    return condition & Q(status__in=STAGES)


def referrals_visible_to(user):
    """Referrals in the user's communities, with whether each is stuck, in one query."""
    communities = list(permissions.communities(user))
    return (
        permissions.visible(user, Referral)
        .select_related("community__establishment")
        .annotate(
            stuck=Case(
                When(stuck_condition(communities), then=Value(True)),
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
            community_id__one_of=permissions.community_ids(user, "override_criteria"),
        )
        .select_related("referral", "community__establishment", "by")
        .prefetch_related("criteria")
    )


def overrides_awaiting_acknowledgement(user):
    """Overrides in the user's scope that no one has acknowledged or sent back for review."""
    return overrides_visible_to(user).filter(
        acknowledged_at__isnull=True, review_requested_at__isnull=True
    )


def override_list(
    user, *, community=None, made_from: date | None = None, made_to: date | None = None
):
    """The overrides list: newest first, filtered by community and by the day made."""
    overrides = overrides_visible_to(user).select_related("acknowledged_by", "review_requested_by")
    if community:
        overrides = overrides.filter(community_id=community)
    if made_from:
        overrides = overrides.filter(at__date__gte=made_from)
    if made_to:
        overrides = overrides.filter(at__date__lte=made_to)
    return overrides.order_by("-at", "-pk")


@dataclass(frozen=True)
class KnownPerson:
    """Why a person being referred is already known. `url` and `description` are None
    when the record is hidden from the user: only the fact is said, never the detail."""

    description: str | None = None
    url: str | None = None


def known_person(user, *, prison_number: str, community: Community) -> KnownPerson | None:
    """Whether the person is a current resident of, or has an open referral to, any
    community of `community`'s cluster; None when they are not known."""
    prison_number = prison_number.upper()
    cluster = Q(community__establishment__cluster_id=community.establishment.cluster_id)
    resident = (
        Resident.objects.current()
        .filter(cluster, prison_number=prison_number)
        .select_related("community")
        .first()
    )
    referral = (
        Referral.objects.open()
        .filter(cluster, prison_number=prison_number)
        .select_related("community")
        .order_by("-referred_on", "-pk")
        .first()
    )
    record = resident or referral
    if record is None:
        return None
    # The community must be the user's and the person not restricted from them.
    if not permissions.can(user, permissions.ACCESS, record):
        return KnownPerson()
    if resident:
        return KnownPerson(
            f"{prison_number} is a current resident of {resident.community.name}.",
            reverse("residents:detail", args=[resident.pk]),
        )
    return KnownPerson(
        f"{prison_number} has an open referral to {referral.community.name} "
        f"({referral.get_status_display().lower()}).",
        reverse("referrals:detail", args=[referral.pk]),
    )
