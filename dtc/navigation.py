"""The primary navigation: each entry shows only to users whose roles allow its page."""

from django.urls import reverse

from . import permissions, selectors

# (label, URL name, the action a user must hold in at least one community, or None).
# An app's entry (a namespaced URL name) is current on every page of that app.
ENTRIES = [
    ("Home", "home", None),
    ("Referrals", "referrals:referral_list", "access_community"),
    ("Residents", "residents:resident_list", "access_community"),
    ("Community", "community:timetable", "access_community"),
    ("Supervision", "supervision:session_list", "access_community"),
    ("Staff", "staff", "view_team"),
    ("Audit", "audit:index", "view_audit"),
]


def is_current(match, url_name: str) -> bool:
    if match is None:
        return False
    if ":" in url_name:
        return match.namespace == url_name.split(":")[0]
    return match.view_name == url_name


def items(request) -> list[dict]:
    user = request.user
    match = request.resolver_match
    entries = [
        {"label": label, "url": reverse(url_name), "current": is_current(match, url_name)}
        for label, url_name, action in ENTRIES
        if action is None or permissions.holds_any(user, action)
    ]
    entries.append(
        {
            "label": "Notifications",
            "url": reverse("notifications"),
            "current": is_current(match, "notifications"),
            "badge": selectors.unread_notification_count(user),
        }
    )
    return entries
