"""Rules shared by the resident record's services."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

from ..models import Phase, Resident


def not_in_future(day: date, field: str, what: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: f"The date {what} must be today or in the past"})


def require_current(resident: Resident) -> None:
    if resident.phase == Phase.LEFT:
        raise ValidationError(f"{resident} has left the community: the record is closed.")
