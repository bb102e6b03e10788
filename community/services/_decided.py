"""The community's decision as the authority for what it changes: a carried (and, where
the constitution asks, ratified) motion fills a job or amends the constitution in place
of the staff who keep them otherwise."""

from django.core.exceptions import PermissionDenied, ValidationError

from dtc import permissions


def require_decided(motion, by) -> None:
    """The motion has taken effect, and `by` records or ratifies the community's motions."""
    if not motion.takes_effect:
        raise ValidationError("The motion was not carried, or waits for ratification.")
    if not (
        permissions.can(by, "record_motion", motion.community)
        or permissions.can(by, "ratify_motion", motion.community)
    ):
        raise PermissionDenied
