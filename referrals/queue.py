"""Referrals' lines of the home page's work queue (dtc.home): for whoever decides
referrals (Therapy Manager, HoP), those awaiting a decision or stuck at a stage; for
the Head of Psychotherapy, the overrides to acknowledge."""

from datetime import timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from dtc import permissions
from dtc.home import QueueItem, now_or_earlier

from . import selectors
from .models import STAGES, Status


def work(request, *, today, limit):
    user = request.user
    return [*_referrals(user, today, limit), *_overrides(user, today, limit)]


def _referrals(user, today, limit):
    decides = permissions.community_ids(user, "decide_referral")
    if not decides:
        return []
    referrals = (
        selectors.referrals_visible_to(user)
        .filter(community_id__in=decides)
        # Both are at a stage (STAGES): said first, the stages' index is read.
        .filter(status__in=STAGES)
        .filter(Q(status=Status.DECISION) | Q(stuck=True))
        .select_related("community")
        .order_by("status_changed_at", "pk")[:limit]
    )
    items = []
    for referral in referrals:
        # A stuck referral has been due since the day its stage's alert days ran out.
        changed_on = timezone.localdate(referral.status_changed_at)
        stuck_on = changed_on + timedelta(days=referral.community.referral_stage_alert_days)
        what = (
            "Referral awaiting a decision"
            if referral.status == Status.DECISION
            else f"Referral stuck at {referral.get_status_display().lower()}"
        )
        items.append(
            QueueItem(
                due=now_or_earlier(stuck_on, today),
                what=what,
                about=f"{referral}, {referral.community.name}",
                url=reverse("referrals:detail", args=[referral.pk]),
            )
        )
    return items


def _overrides(user, today, limit):
    if not permissions.is_head_of_psychotherapy(user):
        return []
    return [
        QueueItem(
            due=today,
            what="Override to acknowledge",
            about=f"{override.referral}, {override.community.name}",
            url=reverse("referrals:detail", args=[override.referral_id]),
        )
        # The longest waiting first.
        for override in selectors.overrides_awaiting_acknowledgement(user)
        .prefetch_related(None)
        .order_by("at", "pk")[:limit]
    ]
