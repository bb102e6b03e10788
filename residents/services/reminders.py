"""Reminders of reviews and documents falling due."""

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from dtc.models import Notification, Role, RoleAssignment, User
from dtc.services import notify_all

from ..models import (
    ClinicalDocument,
    DocumentStatus,
    Phase,
    Resident,
    ResidentAccess,
)

REMINDER_DAYS = 7

__all__ = ["REMINDER_DAYS", "due_reminders"]


def _therapy_managers(community_ids) -> dict[int, list[User]]:
    """The active Therapy Managers of each community, by community id."""
    managers = defaultdict(list)
    for assignment in (
        RoleAssignment.objects.active()
        .filter(community_id__in=community_ids, role=Role.THERAPY_MANAGER, user__is_active=True)
        .select_related("user")
    ):
        managers[assignment.community_id].append(assignment.user)
    return managers


def _when(due: date, today: date) -> tuple[str, str]:
    """(state for the key, words for the message): one reminder when something falls
    due within the week, one more when it becomes overdue."""
    if due < today:
        return "overdue", f"was due on {due:%-d %B %Y} and is overdue"
    return "due", f"is due on {due:%-d %B %Y}"


def due_reminders(*, today: date) -> int:
    """Notify the responsible staff of therapy reviews (the key worker, or the Therapy
    Managers where there is none) and documents (their author) due within 7 days or
    overdue. Keyed by item, due date and state, so a second run the same day sends nothing.
    A restricted record is not revealed, even by a reminder, to anyone not on its list."""
    horizon = today + timedelta(days=REMINDER_DAYS)
    residents = list(
        Resident.objects.current()
        .filter(next_review_on__lte=horizon)
        .select_related("key_worker")
        .prefetch_related("access_list")
    )
    managers = _therapy_managers({resident.community_id for resident in residents})
    notifications = []
    for resident in residents:
        state, words = _when(resident.next_review_on, today)
        recipients = (
            [resident.key_worker]
            if resident.key_worker and resident.key_worker.is_active
            else managers[resident.community_id]
        )
        named = {entry.user_id for entry in resident.access_list.all()}
        notifications += [
            Notification(
                recipient=recipient,
                key=f"residents-review:{resident.pk}:{resident.next_review_on.isoformat()}:{state}",
                message=f"The therapy review for {resident.prison_number} {words}.",
                url=reverse("residents:detail", args=[resident.pk]),
                about=resident.prison_number,
            )
            for recipient in recipients
            if not resident.is_restricted or recipient.pk in named
        ]
    documents = (
        ClinicalDocument.objects.exclude(status=DocumentStatus.SIGNED_OFF)
        .filter(due_on__lte=horizon, author__is_active=True)
        .exclude(resident__phase=Phase.LEFT)
        .filter(
            Q(resident__is_restricted=False)
            | Exists(
                ResidentAccess.objects.filter(
                    resident_id=OuterRef("resident_id"), user_id=OuterRef("author_id")
                )
            )
        )
        .select_related("author", "resident")
    )
    for document in documents:
        state, words = _when(document.due_on, today)
        notifications.append(
            Notification(
                recipient=document.author,
                key=f"residents-document:{document.pk}:{document.due_on.isoformat()}:{state}",
                message=f"Your {document.get_kind_display().lower()} for {document.resident.prison_number} {words}.",
                url=reverse("residents:document", args=[document.pk]),
                about=document.resident.prison_number,
            )
        )
    return notify_all(notifications)
