"""The community jobs' pages: the jobs with their holders and history, adding and
changing a job, and residents taking one up and leaving it."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from dtc import correction_pages, pages, permissions
from dtc.models import Community
from residents.models import Resident

from .. import selectors, services
from ..forms.jobs import HoldingEndForm, HoldingStartForm, JobChangeForm, JobForm

__all__ = [
    "job_add",
    "job_change",
    "job_holding_end",
    "job_holding_entered_in_error",
    "job_holding_start",
    "job_list",
]

PAGE_SIZE = 25


def _back(community_id) -> str:
    return reverse("community:job_list", args=[community_id])


def job_list(request, community_pk):
    community = permissions.get_visible_or_404(
        request.user, Community.objects.select_related("establishment"), pk=community_pk
    )
    can_assign = permissions.can(request.user, "assign_jobs", community)
    holdings = selectors.holdings_of(request.user, community)
    return render(
        request,
        "community/job_list.html",
        {
            "community": community,
            "jobs": selectors.jobs_of(request.user, community),
            "page": Paginator(holdings, PAGE_SIZE).get_page(request.GET.get("page")),
            "can_assign": can_assign,
            "tab": "jobs",
        },
    )


def job_add(request, community_pk):
    community = permissions.get_visible_or_404(request.user, Community, pk=community_pk)
    permissions.require(request.user, "assign_jobs", community)
    form = JobForm(request.POST or None)
    if job := pages.submit(
        form, lambda data: services.job_create(community=community, by=request.user, **data)
    ):
        messages.success(request, f"{job.name} added to the community's jobs.")
        return redirect("community:job_list", community.pk)
    return pages.form_page(
        request,
        form,
        title="Add a community job",
        caption=community.name,
        cancel=_back(community.pk),
    )


def job_change(request, pk):
    job = selectors.job_detail(request.user, pk)
    permissions.require(request.user, "assign_jobs", job)
    form = JobChangeForm(
        request.POST or None,
        initial={
            "name": job.name,
            "description": job.description,
            "term_months": job.term_months,
            "holders": job.holders,
            "is_active": job.is_active,
        },
    )
    if pages.submit(form, lambda data: services.job_update(job=job, by=request.user, **data)):
        messages.success(request, "Job changed.")
        return redirect("community:job_list", job.community_id)
    return pages.form_page(
        request,
        form,
        title=f"Change the job: {job.name}",
        caption=job.community.name,
        cancel=_back(job.community_id),
    )


def job_holding_start(request, pk):
    job = selectors.job_detail(request.user, pk)
    permissions.require(request.user, "assign_jobs", job)
    residents = (
        permissions.visible(request.user, Resident)
        .current()
        .filter(community_id=job.community_id)
        .order_by("last_name", "first_name", "pk")
    )
    form = HoldingStartForm(request.POST or None, residents=residents)
    title = f"Record who holds the job: {job.name}"
    if pages.unconfirmed(form):
        return pages.check_answers(
            request,
            form=form,
            facts=[("Job", job.name)],
            title=title,
            button="Record",
            caption=job.community.name,
            cancel=_back(job.community_id),
        )
    if holding := pages.submit(
        form, lambda data: services.job_holding_start(job=job, by=request.user, **data)
    ):
        messages.success(request, f"{holding.resident.name} holds the job of {job.name}.")
        return redirect("community:job_list", job.community_id)
    return pages.form_page(
        request,
        form,
        title=title,
        caption=job.community.name,
        cancel=_back(job.community_id),
        button="Continue",
    )


def job_holding_end(request, pk):
    holding = selectors.holding_detail(request.user, pk)
    permissions.require(request.user, "assign_jobs", holding.job)
    form = HoldingEndForm(request.POST or None, initial={"to_on": timezone.localdate()})
    title = f"End {holding.resident.name}'s holding of the job: {holding.job.name}"
    if pages.unconfirmed(form):
        return pages.check_answers(
            request,
            form=form,
            facts=[
                ("Job", holding.job.name),
                ("Resident", str(holding.resident)),
                ("Held from", f"{holding.from_on:%-d %B %Y}"),
            ],
            title=title,
            button="End the holding",
            caption=holding.job.community.name,
            cancel=_back(holding.job.community_id),
        )
    if pages.submit(
        form, lambda data: services.job_holding_end(holding=holding, by=request.user, **data)
    ):
        messages.success(request, f"{holding.resident.name} no longer holds the job.")
        return redirect("community:job_list", holding.job.community_id)
    return pages.form_page(
        request,
        form,
        title=title,
        caption=holding.job.community.name,
        cancel=_back(holding.job.community_id),
        button="Continue",
    )


def job_holding_entered_in_error(request, pk):
    holding = selectors.holding_detail(request.user, pk)
    return correction_pages.entered_in_error(
        request,
        record=holding,
        form_class=HoldingStartForm,
        caption=holding.job.name,
        back=_back(holding.job.community_id),
        what="the holding of the job",
    )
