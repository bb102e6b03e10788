from django.core.cache import cache
from django.utils import timezone

from . import navigation, permissions


def layout(request):
    if not request.user.is_authenticated:
        return {}
    return {
        "navigation": navigation.items(request),
        "registration_lapsed": registration_lapsed(request.user),
    }


def _lapsed_key(user_id, today) -> str:
    return f"dtc:registration-lapsed:{user_id}:{today.isoformat()}"


def registration_lapsed(user) -> str:
    """The warning shown on every page to a user whose registration has lapsed ("" when
    it has not): read once a day per user, not on every page."""
    today = timezone.localdate()
    key = _lapsed_key(user.pk, today)
    message = cache.get(key)
    if message is None:
        lapsed = permissions.lapsed_registration(user, today=today)
        message = permissions.registration_lapsed_message(*lapsed) if lapsed else ""
        cache.set(key, message, 24 * 60 * 60)
    return message


def forget_registration(sender, instance, **kwargs) -> None:
    """A changed profile (a renewal recorded) shows on the next page, not tomorrow."""
    cache.delete(_lapsed_key(instance.user_id, timezone.localdate()))
