"""Case studies: the list, the request (a resident picked by pseudonym only), the page
that follows the background render, and the downloads. What leaves the prison is released
by a person: on the same page its reviewers (a Therapy Manager of the community, the
HoP) read every free text beside its original, redact more by hand, render it again when
the records change, and release it; its auditors see it only once it is released."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from community.forms.constitution import ConfirmForm
from dtc import jobs, pages, permissions
from dtc.models import Community
from dtc.params import int_param
from residents import services as resident_services

from .. import anonymise, selectors, services
from ..forms import CaseStudyRedactionForm, CaseStudyRequestForm
from ..models import CaseStudy, CaseStudyDownload, RenderStatus
from ..tasks import render_case_study

RELEASE = permissions.RELEASE_CASE_STUDY


def _case_study(user, pk: int) -> CaseStudy:
    case_study = get_object_or_404(
        CaseStudy.objects.select_related(
            "community__establishment", "requested_by", "released_by", "resident"
        ),
        pk=pk,
    )
    # Staff of the community in a role without audit get 403; anyone else outside it 404,
    # and so does an auditor before the case study is released.
    permissions.require_case_study_readable(user, case_study)
    return case_study


def _reviewed(user, pk: int) -> CaseStudy:
    case_study = _case_study(user, pk)
    permissions.require(user, RELEASE, case_study)
    return case_study


def index(request):
    permissions.require_any(request.user, "view_audit")
    communities = permissions.communities(request.user, "view_audit").select_related(
        "establishment"
    )
    case_studies = selectors.case_studies_visible_to(request.user)
    community = communities.filter(pk=int_param(request.GET, "community")).first()
    if community:
        case_studies = case_studies.filter(community=community)
    return render(
        request,
        "audit/case_studies.html",
        {
            "page": Paginator(case_studies, 25).get_page(request.GET.get("page")),
            "communities": communities,
            "community": community,
            "reviewed_communities": permissions.community_ids(request.user, RELEASE),
        },
    )


STATUS_FILTERS = [("", "Current and left"), ("current", "Current"), ("left", "Left")]


def request_case_study(request, community_pk):
    community = get_object_or_404(
        Community.objects.select_related("establishment"), pk=community_pk
    )
    permissions.require_in_scope(request.user, "view_audit", community)
    status = request.GET.get("status", "")
    residents = selectors.residents_for_case_study(
        community, status=status if status in {"current", "left"} else ""
    )
    form = CaseStudyRequestForm(request.POST or None)
    if case_study := pages.submit(
        form,
        lambda data: services.case_study_request(
            resident=get_object_or_404(residents, pk=data["resident"]), by=request.user
        ),
    ):
        if permissions.can(request.user, RELEASE, case_study):
            return redirect("audit:case_study", pk=case_study.pk)
        messages.success(
            request,
            f"A case study of {case_study.pseudonym} is requested. A Therapy Manager will "
            "read it and release it; it will appear here then.",
        )
        return redirect(reverse("audit:case_studies") + f"?community={community.pk}")
    page = Paginator(residents, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/case_study_request.html",
        {
            "community": community,
            "form": form,
            "page": page,
            # Pseudonyms only: the picker never shows who a resident is.
            "rows": [(anonymise.pseudonym(r.pk), r) for r in page.object_list],
            "status": status,
            "status_filters": STATUS_FILTERS,
        },
    )


DOWNLOADS_SHOWN = 10


def _status(case_study: CaseStudy, reviews: bool) -> dict:
    """What the status fragment shows: to auditors the released PDF; to reviewers the
    draft as it renders and, once it is ready, its texts to review."""
    status = {
        "case_study": case_study,
        "reviews": reviews,
        # The render could not be queued (the background service is down): say so.
        "waiting_for_service": reviews
        and case_study.is_pending
        and jobs.is_waiting(render_case_study, case_study.pk),
    }
    if reviews and case_study.is_ready:
        status["texts"] = case_study.texts_for_review()
        status["records_changed"] = selectors.resident_records_changed_since(
            case_study.resident_id, case_study.rendered_at
        )
        status["redaction_form"] = CaseStudyRedactionForm()
    return status


def case_study(request, pk):
    case_study = _case_study(request.user, pk)
    reviews = permissions.can(request.user, RELEASE, case_study)
    status = _status(case_study, reviews)
    if request.htmx:  # the status, polled while the PDF renders
        return render(request, "audit/case_study_status.html", status)
    downloads = case_study.downloads.select_related("user")
    record = {}
    if reviews:
        # The review shows the texts as they were written: a view of an identifiable record.
        resident_services.access_log_record(
            resident=case_study.resident, page="case study review", by=request.user
        )
        record = {"events": selectors.case_study_events(case_study)}
    else:
        downloads = downloads.filter(version=CaseStudyDownload.Version.RELEASED)
    return render(
        request,
        "audit/case_study.html",
        {
            **status,
            **record,
            "downloads": downloads[:DOWNLOADS_SHOWN],
            "download_count": downloads.count(),
        },
    )


def redact(request, pk):
    case_study = _reviewed(request.user, pk)
    back = reverse("audit:case_study", args=[case_study.pk])
    form = CaseStudyRedactionForm(request.POST or None)
    if redaction := pages.submit(
        form,
        lambda data: services.case_study_redact(
            case_study=case_study, phrase=data["phrase"], by=request.user
        ),
    ):
        messages.success(
            request,
            f"“{redaction.phrase}” is redacted wherever it appears. The case study is being "
            "rendered again: read it again when it is ready.",
        )
        return redirect(back)
    intro = "Redact a word or phrase the automatic redaction left in the case study's texts."
    if case_study.is_released:
        released_on = timezone.localdate(case_study.released_at)
        intro += (
            f" Its auditors keep the PDF released on {released_on:%-d %B %Y} until you "
            "release the case study again."
        )
    return pages.form_page(
        request,
        form,
        "Redact a word or phrase",
        caption=f"Case study of {case_study.pseudonym}",
        intro=intro,
        cancel=back,
        button="Redact",
    )


def render_again(request, pk):
    case_study = _reviewed(request.user, pk)
    if request.method == "POST":
        form = ConfirmForm(request.POST)
        if pages.submit(
            form,
            lambda data: services.case_study_render_again(case_study=case_study, by=request.user),
        ):
            messages.success(
                request,
                "The case study is being rendered again from the resident's records as they "
                "are now.",
            )
        else:
            messages.error(request, " ".join(form.non_field_errors()))
    return redirect("audit:case_study", pk=case_study.pk)


def release(request, pk):
    case_study = _reviewed(request.user, pk)
    back = reverse("audit:case_study", args=[case_study.pk])
    try:
        services.case_study_check_releasable(case_study)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
        return redirect(back)
    if request.method == "POST":
        form = ConfirmForm(request.POST)
        if pages.submit(
            form, lambda data: services.case_study_release(case_study=case_study, by=request.user)
        ):
            messages.success(
                request,
                f"The case study of {case_study.pseudonym} is released. Its auditors can "
                "download it now.",
            )
        else:
            messages.error(request, " ".join(form.non_field_errors()))
        return redirect(back)
    texts = case_study.texts_for_review()
    spans = [span for _where, redacted in texts for span in redacted.spans]
    by_hand = sum(span.kind == anonymise.Kind.MANUAL for span in spans)
    pages_made = case_study.page_count
    facts = [
        ("Case study", case_study.pseudonym),
        ("Community", str(case_study.community)),
        (
            "Rendered",
            f"{timezone.localtime(case_study.rendered_at):%-d %B %Y, %H:%M}: "
            f"{pages_made} page{'s' if pages_made != 1 else ''}",
        ),
        (
            "Free texts",
            f"{len(texts)} free text{'s' if len(texts) != 1 else ''}, {len(spans)} "
            f"redaction{'s' if len(spans) != 1 else ''} ({by_hand} by hand)",
        ),
    ]
    if selectors.resident_records_changed_since(case_study.resident_id, case_study.rendered_at):
        facts.append(
            ("Resident's records", "Changed since it was rendered: render it again to include them")
        )
    if case_study.is_released:
        facts.append(
            (
                "Released before",
                f"{timezone.localtime(case_study.released_at):%-d %B %Y, %H:%M} by "
                f"{case_study.released_by}: this version takes its place",
            )
        )
    return pages.check_answers(
        request,
        title=f"Release the case study of {case_study.pseudonym}",
        heading="Release the case study",
        intro="Release the case study to its auditors once you have read every text of it "
        "beside its original.",
        button="Release to auditors",
        facts=facts,
        caption=case_study.community.name,
        warning="Releasing cannot be undone: the PDF leaves the prison. The community's "
        "auditors can download it from then on.",
        cancel=back,
    )


def _pdf(field_file, filename: str) -> FileResponse:
    return FileResponse(
        field_file.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type="application/pdf",
    )


def download(request, pk):
    """The released PDF, for anyone who reads the case study."""
    case_study = _case_study(request.user, pk)
    if not case_study.is_released or not case_study.released_file:
        raise Http404
    services.case_study_download_record(case_study=case_study, by=request.user)
    return _pdf(case_study.released_file, f"case-study-{case_study.code}.pdf")


def download_draft(request, pk):
    """The draft, for its reviewers alone: an auditor never gets one."""
    case_study = _case_study(request.user, pk)
    if not permissions.can(request.user, RELEASE, case_study):
        raise Http404
    if case_study.status != RenderStatus.READY or not case_study.file:
        raise Http404
    services.case_study_download_record(
        case_study=case_study, by=request.user, version=CaseStudyDownload.Version.DRAFT
    )
    return _pdf(case_study.file, f"case-study-{case_study.code}-draft.pdf")
