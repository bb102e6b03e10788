"""Case studies: an anonymised account of a resident's journey, requested by the
community's auditors and rendered to PDF in the background. What leaves the prison is
released by a person: a Therapy Manager or the Head of Psychotherapy reads every free
text beside its original, may redact more by hand (never less), and releases it."""

import re

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dtc import jobs, permissions
from dtc.history import save_with_history
from residents.models import Resident

from .. import anonymise
from ..models import CaseStudy, CaseStudyDownload, CaseStudyRedaction, ReleaseStage, RenderStatus
from .rendering import render_once

__all__ = [
    "RENDER_FAILED",
    "case_study_check_releasable",
    "case_study_download_record",
    "case_study_redact",
    "case_study_release",
    "case_study_render",
    "case_study_render_again",
    "case_study_request",
]


RENDER_FAILED = (
    "The PDF could not be made. Render it again; if it fails again, tell the service desk."
)
RESTRICTED = "This resident's record is restricted to named staff."


def case_study_download_record(
    *, case_study: CaseStudy, by, version: str = CaseStudyDownload.Version.RELEASED
) -> CaseStudyDownload:
    """Log one download of a case study's PDF: the released one, or a reviewer's draft."""
    return CaseStudyDownload.objects.create(case_study=case_study, user=by, version=version)


@transaction.atomic
def case_study_request(*, resident: Resident, by) -> CaseStudy:
    """Queue an anonymised case study of a resident; a background task renders it, and it
    waits for a reviewer's release. One of the resident's still rendering or waiting for
    its release is returned instead."""
    permissions.require(by, "view_audit", resident.community)
    if permissions.person_is_restricted(resident.prison_number):
        # Named staff only: an anonymised account of the record still tells its story.
        raise ValidationError(RESTRICTED)
    waiting = (
        CaseStudy.objects.filter(resident=resident)
        .filter(
            Q(status__in=[RenderStatus.QUEUED, RenderStatus.RENDERING])
            | Q(released_at__isnull=True) & ~Q(status=RenderStatus.FAILED)
        )
        .first()
    )
    if waiting:
        return waiting
    case_study = CaseStudy(
        community_id=resident.community_id,
        resident=resident,
        requested_by=by,
        pseudonym=anonymise.pseudonym(resident.pk),
    )
    save_with_history(case_study, by)
    _dispatch_render(case_study)
    return case_study


def _dispatch_render(case_study: CaseStudy) -> None:
    from ..tasks import render_case_study  # here: the tasks import these services

    jobs.dispatch(render_case_study, case_study.pk)


def case_study_render(*, case_study_id: int) -> CaseStudy:
    """Render a case study's draft to PDF, with the phrases its reviewers redacted by hand,
    and store it with its free texts for their review; safe to run twice (see
    render_once)."""

    def make(case_study: CaseStudy):
        resident = Resident.objects.select_related("community__establishment").get(
            pk=case_study.resident_id
        )
        phrases = tuple(case_study.redactions.values_list("phrase", flat=True))
        # Imported here so that WeasyPrint loads only in the worker that renders.
        from ..case_study import render_pdf

        pdf, pages, texts = render_pdf(resident, today=timezone.localdate(), phrases=phrases)
        return (
            {"file": (f"case-study-{case_study.pk}-{case_study.code}.pdf", pdf)},
            {"page_count": pages, "review_texts": [_review_text(*text) for text in texts]},
        )

    return render_once(CaseStudy, case_study_id, make, failed=RENDER_FAILED)


def _review_text(where: str, redacted: anonymise.Redacted) -> dict:
    # The shape CaseStudy.review_texts keeps, read back by CaseStudy.texts_for_review.
    return {
        "where": where,
        "original": redacted.original,
        "spans": [{"start": s.start, "end": s.end, "kind": s.kind} for s in redacted.spans],
        "text": redacted.text,
    }


def _locked(case_study: CaseStudy) -> CaseStudy:
    return CaseStudy.objects.select_for_update().select_related("resident").get(pk=case_study.pk)


def _render_draft_again(case_study: CaseStudy, by) -> CaseStudy:
    # The released PDF, if there is one, stays what its auditors download.
    case_study.status, case_study.error = RenderStatus.QUEUED, ""
    case_study.stage = ReleaseStage.DRAFT
    save_with_history(case_study, by)
    _dispatch_render(case_study)
    return case_study


@transaction.atomic
def case_study_render_again(*, case_study: CaseStudy, by) -> CaseStudy:
    """Render a case study's draft again from its resident's records as they are now (they
    changed, or the render failed), for its reviewers to read and release again."""
    permissions.require(by, permissions.RELEASE_CASE_STUDY, case_study)
    case_study = _locked(case_study)
    if case_study.is_pending:
        raise ValidationError("The case study is already being rendered.")
    return _render_draft_again(case_study, by)


def _occurrences(phrase: str, text: str) -> list[tuple[int, int]]:
    # Where anonymise.find redacts the phrase: case-insensitively, in whole words.
    phrase = anonymise.normalise(phrase).strip()
    pattern = re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)", re.IGNORECASE)
    return [match.span() for match in pattern.finditer(text)]


@transaction.atomic
def case_study_redact(*, case_study: CaseStudy, phrase: str, by) -> CaseStudyRedaction:
    """Redact a word or phrase by hand wherever it appears in the case study's free texts,
    and render the draft again with it. A redaction is never removed."""
    permissions.require(by, permissions.RELEASE_CASE_STUDY, case_study)
    case_study = _locked(case_study)
    if not case_study.is_ready or case_study.review_texts is None:
        raise ValidationError(
            "Wait until the case study is ready, then read its texts and redact what they show."
        )
    phrase = phrase.strip()
    if not phrase:
        raise ValidationError({"phrase": "Enter the word or phrase to redact"})
    found = [
        (start, end, redacted)
        for _where, redacted in case_study.texts_for_review()
        for start, end in _occurrences(phrase, redacted.original)
    ]
    if not found:
        raise ValidationError(
            {
                "phrase": f"“{phrase}” is not in the texts of this case study. Enter whole "
                "words as they are written in the original"
            }
        )
    if all(
        any(span.start <= start and end <= span.end for span in redacted.spans)
        for start, end, redacted in found
    ):
        raise ValidationError({"phrase": f"“{phrase}” is already redacted wherever it appears"})
    redaction = save_with_history(
        CaseStudyRedaction(case_study=case_study, phrase=phrase, added_by=by), by
    )
    _render_draft_again(case_study, by)
    return redaction


def case_study_check_releasable(case_study: CaseStudy) -> None:
    """Raise ValidationError saying why the case study's draft cannot be released now."""
    if case_study.is_pending:
        raise ValidationError(
            "The case study is still being rendered. Release it when it is ready."
        )
    if case_study.status == RenderStatus.FAILED:
        raise ValidationError("The case study could not be rendered. Render it again first.")
    if case_study.stage == ReleaseStage.RELEASED:
        raise ValidationError("This version of the case study is already released.")
    if case_study.review_texts is None:
        raise ValidationError(
            "This render kept no texts to review. Render it again, then read it and release it."
        )
    if permissions.person_is_restricted(case_study.resident.prison_number):
        raise ValidationError(RESTRICTED)


@transaction.atomic
def case_study_release(*, case_study: CaseStudy, by) -> CaseStudy:
    """Release a case study's draft to its auditors: its PDF is copied to the released
    file, which they download from then on, until a later draft is released. Irreversible:
    the PDF leaves the prison."""
    permissions.require(by, permissions.RELEASE_CASE_STUDY, case_study)
    case_study = _locked(case_study)
    case_study_check_releasable(case_study)
    with case_study.file.open("rb") as draft:
        content = ContentFile(draft.read())
    # A new name each release: a PDF released before is kept as its auditors had it.
    case_study.released_file.save(
        f"case-study-{case_study.pk}-{case_study.code}.pdf", content, save=False
    )
    case_study.released_page_count = case_study.page_count
    case_study.released_at, case_study.released_by = timezone.now(), by
    case_study.stage = ReleaseStage.RELEASED
    return save_with_history(case_study, by)
