"""Subject access requests: the HoP's export of everything held about one prison number,
logged, made in the background as JSON and PDF, each download recorded."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dtc import jobs, permissions
from dtc.forms import PRISON_NUMBER
from dtc.history import save_with_history

from ..models import SubjectAccessDownload, SubjectAccessRequest
from .rendering import render_once

__all__ = [
    "SUBJECT_ACCESS_FAILED",
    "subject_access_download_record",
    "subject_access_render",
    "subject_access_request",
]


SUBJECT_ACCESS_FAILED = (
    "The export could not be made. Make the request again; "
    "if it fails again, tell the service desk."
)


@transaction.atomic
def subject_access_request(*, prison_number: str, reason: str, by) -> SubjectAccessRequest:
    """Log a subject access request for a prison number (the HoP's duty) and queue its
    export; a background task gathers what the HoP may see and writes the files."""
    permissions.require_head_of_psychotherapy(by)
    prison_number = prison_number.strip().upper()
    if not PRISON_NUMBER.match(prison_number):
        raise ValidationError({"prison_number": "Enter the prison number in the format A1234BC"})
    request = SubjectAccessRequest(
        prison_number=prison_number, reason=reason.strip(), requested_by=by
    )
    save_with_history(request, by)
    from ..tasks import render_subject_access

    jobs.dispatch(render_subject_access, request.pk)
    return request


def subject_access_render(*, request_id: int) -> SubjectAccessRequest:
    """Gather the request's export and store it as JSON and PDF, made from the same
    document so the two agree. Safe to run twice: a ready export is left as it is."""

    def make(request: SubjectAccessRequest):
        # Imported here so that WeasyPrint loads only in the worker that renders.
        from .. import subject_access

        document = subject_access.export(request, generated_at=timezone.now())
        pdf, pages = subject_access.render_pdf(document)
        name = f"subject-access-{request.pk}-{request.prison_number.lower()}"
        files = {
            "json_file": (f"{name}.json", subject_access.to_json(document)),
            "pdf_file": (f"{name}.pdf", pdf),
        }
        return files, {
            "page_count": pages,
            "records_found": subject_access.records_found(document),
        }

    return render_once(SubjectAccessRequest, request_id, make, failed=SUBJECT_ACCESS_FAILED)


def subject_access_download_record(
    *, request: SubjectAccessRequest, kind: str, by
) -> SubjectAccessDownload:
    """Log one download of an export's file: who took a copy, which file, when."""
    permissions.require_head_of_psychotherapy(by)
    return SubjectAccessDownload.objects.create(request=request, kind=kind, user=by)
