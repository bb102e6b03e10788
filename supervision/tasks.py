from celery import shared_task
from django.utils import timezone

from . import services


@shared_task
def remind_overdue_supervision() -> int:
    return services.overdue_reminders(today=timezone.localdate())
