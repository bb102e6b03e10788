"""Case studies: an anonymised account of a resident's journey, requested by the
community's auditors and rendered to PDF in the background."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dtc import jobs, permissions
from dtc.history import save_with_history
from residents.models import Resident

from .. import anonymise
from ..models import CaseStudy, CaseStudyDownload, RenderStatus
from .rendering import render_once

__all__ = ["RENDER_FAILED", "case_study_download_record", "case_study_render", "case_study_request"]


RENDER_FAILED = (
    "The PDF could not be made. Request the case study again; "
    "if it fails again, tell the service desk."
)


def case_study_download_record(*, case_study: CaseStudy, by) -> CaseStudyDownload:
    """Log one download of a case study's PDF."""
    return CaseStudyDownload.objects.create(case_study=case_study, user=by)


@transaction.atomic
def case_study_request(*, resident: Resident, by) -> CaseStudy:
    """Queue an anonymised case study of a resident; a background task renders it.
    A case study of the resident already waiting to render is returned instead."""
    permissions.require(by, "view_audit", resident.community)
    if permissions.person_is_restricted(resident.prison_number):
        # Named staff only: an anonymised account of the record still tells its story.
        raise ValidationError("This resident's record is restricted to named staff.")
    waiting = CaseStudy.objects.filter(
        resident=resident, status__in=[RenderStatus.QUEUED, RenderStatus.RENDERING]
    ).first()
    if waiting:
        return waiting
    case_study = CaseStudy(
        community_id=resident.community_id,
        resident=resident,
        requested_by=by,
        pseudonym=anonymise.pseudonym(resident.pk),
    )
    save_with_history(case_study, by)
    from ..tasks import render_case_study

    jobs.dispatch(render_case_study, case_study.pk)
    return case_study


def case_study_render(*, case_study_id: int) -> CaseStudy:
    """Render a case study to PDF and store it; safe to run twice (see render_once)."""

    def make(case_study: CaseStudy):
        resident = Resident.objects.select_related("community__establishment").get(
            pk=case_study.resident_id
        )
        # Imported here so that WeasyPrint loads only in the worker that renders.
        from ..case_study import render_pdf

        pdf, pages = render_pdf(resident, today=timezone.localdate())
        code = case_study.pseudonym.split()[-1].lower()
        return {"file": (f"case-study-{case_study.pk}-{code}.pdf", pdf)}, {"page_count": pages}

    return render_once(CaseStudy, case_study_id, make, failed=RENDER_FAILED)
