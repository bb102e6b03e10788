from celery import shared_task
from django.utils import timezone

from . import jobs, services


@shared_task
def remind_registration_renewals() -> int:
    return services.registration_renewal_reminders(today=timezone.localdate())


@shared_task
def send_waiting_jobs() -> int:
    return jobs.send_waiting()
