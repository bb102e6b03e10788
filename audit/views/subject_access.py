"""Subject access requests: the Head of Psychotherapy's exports of everything the service
holds about one person. The request (prison number, reason) and a check of the answers
before it is logged, the status page that follows the background export, the download of
its files (each one recorded) and the list of past requests."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from dtc import history, pages, permissions

from .. import selectors, services
from ..forms import SubjectAccessForm
from ..models import SubjectAccessDownload, SubjectAccessRequest

CONTENT_TYPES = {"json": "application/json", "pdf": "application/pdf"}
DOWNLOADS_SHOWN = 10
# The change history shows the status moving on; the files' names and times add nothing.
HISTORY_HIDDEN = frozenset({"json_file", "pdf_file", "rendered_at"})


def _subject_access(user, pk: int) -> SubjectAccessRequest:
    permissions.require_head_of_psychotherapy(user)
    return get_object_or_404(selectors.subject_access_requests_of(user), pk=pk)


def index(request):
    permissions.require_head_of_psychotherapy(request.user)
    requests = selectors.subject_access_requests_of(request.user)
    return render(
        request,
        "audit/subject_access_requests.html",
        {"page": Paginator(requests, 25).get_page(request.GET.get("page"))},
    )


def subject_access_new(request):
    permissions.require_head_of_psychotherapy(request.user)
    form = SubjectAccessForm(request.POST or None)
    if pages.unconfirmed(form):
        return pages.check_answers(
            request,
            form=form,
            title="Make a subject access request",
            button="Make the export",
            warning="The export holds identifiable records. The request and every "
            "download are logged against your name.",
            template="audit/subject_access_check.html",
            communities=_communities(request.user),
            cancel=reverse("audit:subject_access_requests"),
        )
    if access_request := pages.submit(
        form, lambda data: services.subject_access_request(by=request.user, **data)
    ):
        messages.success(
            request,
            f"The request for {access_request.prison_number} is logged. Its export is being made.",
        )
        return redirect("audit:subject_access", pk=access_request.pk)
    return render(
        request,
        "audit/subject_access_new.html",
        {
            "form": form,
            "communities": _communities(request.user),
            "title": "Make a subject access request",
            "button": "Continue",
        },
    )


def _communities(user):
    return permissions.communities(user).select_related("establishment")


def subject_access(request, pk):
    access_request = _subject_access(request.user, pk)
    if request.htmx:  # the status, polled while the export is made
        return render(
            request, "audit/subject_access_status.html", {"access_request": access_request}
        )
    downloads = access_request.downloads.select_related("user")
    return render(
        request,
        "audit/subject_access.html",
        {
            "access_request": access_request,
            "downloads": downloads[:DOWNLOADS_SHOWN],
            "download_count": downloads.count(),
            "history": history.entries(access_request.history.all(), exclude=HISTORY_HIDDEN),
        },
    )


def download(request, pk, kind):
    access_request = _subject_access(request.user, pk)
    if (
        kind not in SubjectAccessDownload.Kind.values
        or not access_request.is_ready
        or not access_request.file(kind)
    ):
        raise Http404
    services.subject_access_download_record(request=access_request, kind=kind, by=request.user)
    return FileResponse(
        access_request.file(kind).open("rb"),
        as_attachment=True,
        filename=f"subject-access-{access_request.prison_number}-{access_request.pk}.{kind}",
        content_type=CONTENT_TYPES[kind],
    )
