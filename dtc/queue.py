"""The organisation's lines of the home page's work queue (dtc.home): for the Head of
Psychotherapy, the staff whose professional registration has lapsed or lapses within
the renewal notice period."""

from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

from . import permissions
from .home import COMING_DAYS, QueueItem
from .models import RoleAssignment, StaffProfile


def work(request, *, today, limit):
    user = request.user
    if not permissions.is_head_of_psychotherapy(user):
        return []
    notice = today + timedelta(days=settings.REGISTRATION_RENEWAL_NOTICE_DAYS)
    team = (
        RoleAssignment.objects.active()
        .filter(community_id__one_of=permissions.community_ids(user, "view_team"))
        .values("user_id")
    )
    profiles = (
        StaffProfile.objects.filter(
            user_id__in=team, user__is_active=True, registration_renewal_date__lte=notice
        )
        .select_related("user")
        .order_by("registration_renewal_date", "pk")[:limit]
    )
    items = []
    for profile in profiles:
        renewal = profile.registration_renewal_date
        lapsed = renewal < today
        verb = "lapsed" if lapsed else "lapses"
        items.append(
            QueueItem(
                # Beyond "Coming up", a renewal within the notice period needs chasing now;
                # the line names its date.
                due=renewal if renewal <= today + timedelta(days=COMING_DAYS) else None,
                what=f"{profile.professional_body} registration {verb} on {renewal:%-d %B %Y}",
                about=str(profile.user),
                url=f"{reverse('staff')}?{urlencode({'q': profile.registration_number})}",
            )
        )
    return items
