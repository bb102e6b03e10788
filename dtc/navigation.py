"""The primary navigation: each entry shows only to users whose roles allow its page."""

from django.urls import reverse

from . import permissions, selectors

# (label, URL name, the action a user must hold in at least one community, or None)
ENTRIES = [
    ("Home", "home", None),
    ("Staff", "staff", "view_team"),
    ("Supervision", "supervision:list", "access_community"),
]


def items(request) -> list[dict]:
    user = request.user
    current = request.resolver_match.url_name if request.resolver_match else None
    entries = [
        {"label": label, "url": reverse(url_name), "current": url_name == current}
        for label, url_name, action in ENTRIES
        if action is None or permissions.community_ids(user, action)
    ]
    entries.append(
        {
            "label": "Notifications",
            "url": reverse("notifications"),
            "current": current == "notifications",
            "badge": selectors.unread_notification_count(user),
        }
    )
    return entries
