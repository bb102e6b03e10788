"""Case studies: the list, the request (a resident picked by pseudonym only), the status
page that follows the background render, and the download."""

from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render

from dtc import jobs, pages, permissions
from dtc.models import Community
from dtc.params import int_param

from .. import anonymise, selectors, services
from ..forms import CaseStudyRequestForm
from ..models import CaseStudy, RenderStatus
from ..tasks import render_case_study


def _case_study(user, pk: int) -> CaseStudy:
    case_study = get_object_or_404(
        CaseStudy.objects.select_related("community__establishment", "requested_by"), pk=pk
    )
    # Staff of the community in a role without audit get 403; anyone else outside it 404.
    permissions.require_in_scope(user, "view_audit", case_study)
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
        return redirect("audit:case_study", pk=case_study.pk)
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


def case_study(request, pk):
    case_study = _case_study(request.user, pk)
    status = {
        "case_study": case_study,
        # The render could not be queued (the background service is down): say so.
        "waiting_for_service": case_study.is_pending
        and jobs.is_waiting(render_case_study, case_study.pk),
    }
    if request.htmx:  # the status, polled while the PDF renders
        return render(request, "audit/case_study_status.html", status)
    downloads = case_study.downloads.select_related("user")
    return render(
        request,
        "audit/case_study.html",
        {
            **status,
            "downloads": downloads[:DOWNLOADS_SHOWN],
            "download_count": downloads.count(),
        },
    )


def download(request, pk):
    case_study = _case_study(request.user, pk)
    if case_study.status != RenderStatus.READY or not case_study.file:
        raise Http404
    services.case_study_download_record(case_study=case_study, by=request.user)
    code = case_study.pseudonym.split()[-1].lower()
    return FileResponse(
        case_study.file.open("rb"),
        as_attachment=True,
        filename=f"case-study-{code}.pdf",
        content_type="application/pdf",
    )
