from celery import shared_task
from django.utils import timezone

from . import services


@shared_task
def remind_overdue_staff_meeting_actions() -> int:
    return services.staff_meeting_action_reminders(today=timezone.localdate())
