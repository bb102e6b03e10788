from celery import shared_task
from django.utils import timezone

from . import services


@shared_task
def remind_due_reviews_and_documents() -> int:
    return services.due_reminders(today=timezone.localdate())
