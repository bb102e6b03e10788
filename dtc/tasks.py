from celery import shared_task
from django.utils import timezone

from . import form_tokens, jobs, services, versions


@shared_task
def remind_registration_renewals() -> int:
    return services.registration_renewal_reminders(today=timezone.localdate())


@shared_task
def send_waiting_jobs() -> int:
    return jobs.send_waiting()


@shared_task
def move_versions_on(*community_ids) -> None:
    versions.move_on(community_ids)


@shared_task
def purge_form_tokens() -> int:
    return form_tokens.purge(now=timezone.now())
