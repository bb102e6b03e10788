"""Referrals' lines of the home page's work queue (dtc.home): for whoever decides
referrals (Therapy Manager, HoP), those awaiting a decision or stuck at a stage; for
the Head of Psychotherapy, the overrides to acknowledge."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from dtc import links, permissions
from dtc.home import QueueItem, now_or_earlier

from . import selectors
from .models import STAGES, Referral, Status


def work(request, *, today, limit):
    user = request.user
    return [*_referrals(user, today, limit), *_overrides(user, today, limit)]


def _referrals(user, today, limit):
    decides = permissions.community_ids(user, "decide_referral")
    if not decides:
        return []
    # The communities' names and alert days are the user's own, read once a request.
    communities = permissions.communities_by_id(user)
    deciding = [communities[pk] for pk in decides if pk in communities]
    referrals = (
        permissions.visible(user, Referral)
        # Both are at a stage (STAGES): said first, the stages' index is read.
        .filter(status__in=STAGES, community_id__one_of=decides)
        .filter(Q(status=Status.DECISION) | selectors.stuck_condition(deciding))
        .order_by("status_changed_at", "pk")[:limit]
    )
    items = []
    for referral in referrals:
        community = communities[referral.community_id]
        # A stuck referral has been due since the day its stage's alert days ran out.
        changed_on = timezone.localdate(referral.status_changed_at)
        stuck_on = changed_on + timedelta(days=community.referral_stage_alert_days)
        what = (
            "Referral awaiting a decision"
            if referral.status == Status.DECISION
            else f"Referral stuck at {referral.get_status_display().lower()}"
        )
        items.append(
            QueueItem(
                due=now_or_earlier(stuck_on, today),
                what=what,
                about=f"{referral}, {community.name}",
                url=links.path_to("referrals:detail", referral.pk),
            )
        )
    return items


def _overrides(user, today, limit):
    if not permissions.is_head_of_psychotherapy(user):
        return []
    communities = permissions.communities_by_id(user)
    return [
        QueueItem(
            due=today,
            what="Override to acknowledge",
            about=f"{override.referral}, {communities[override.community_id].name}",
            url=links.path_to("referrals:detail", override.referral_id),
        )
        # The longest waiting first.
        for override in selectors.overrides_awaiting_acknowledgement(user)
        .select_related(None)
        .select_related("referral")
        .prefetch_related(None)
        .order_by("at", "pk")[:limit]
    ]
