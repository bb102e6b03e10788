from celery import shared_task

from . import services


@shared_task
def render_case_study(case_study_id: int) -> str:
    return services.case_study_render(case_study_id=case_study_id).status


@shared_task
def render_subject_access(request_id: int) -> str:
    return services.subject_access_render(request_id=request_id).status
