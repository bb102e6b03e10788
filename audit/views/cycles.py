from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from dtc import pages, permissions
from dtc.models import Community

from .. import measures, selectors, services
from ..forms import ActionStatusForm, CriterionForm, CycleOpenForm, RatingForm
from ..models import ActionStatus, ReviewCycle, StandardCriterion


def index(request):
    permissions.require_any(request.user, "view_audit")
    cycles = selectors.cycles_visible_to(request.user).order_by("community__name", "-opened_at")
    communities = permissions.communities(request.user, "view_audit").select_related(
        "establishment"
    )
    return render(
        request,
        "audit/index.html",
        {
            "page": Paginator(cycles, 25).get_page(request.GET.get("page")),
            "criteria_count": selectors.criteria_in_use().count(),
            "communities": communities,
            "can_open": [
                c for c in communities if permissions.can(request.user, "manage_audit", c)
            ],
            "can_request_subject_access": permissions.is_head_of_psychotherapy(request.user),
            "open_actions": selectors.actions_visible_to(request.user)
            .exclude(status=ActionStatus.DONE)
            .order_by("due_date")[:10],
            "redaction": selectors.redaction_for(
                request.user, permissions.community_ids(request.user, "view_audit")
            ),
        },
    )


def cycle_open(request, community_pk):
    community = permissions.get_visible_or_404(
        request.user, Community, "view_audit", pk=community_pk
    )
    permissions.require(request.user, "manage_audit", community)
    form = CycleOpenForm(request.POST or None)
    if cycle := pages.submit(
        form, lambda data: services.cycle_open(community=community, by=request.user, **data)
    ):
        messages.success(request, f"{cycle.title} has started at self-review.")
        return redirect("audit:cycle", pk=cycle.pk)
    return render(
        request,
        "audit/cycle_open.html",
        {
            "form": form,
            "community": community,
            "title": "Start a review cycle",
            "button": "Start the review cycle",
        },
    )


def cycle(request, pk):
    cycle = permissions.get_visible_or_404(
        request.user,
        ReviewCycle.objects.select_related("community__establishment"),
        "view_audit",
        pk=pk,
    )
    sheet = selectors.cycle_sheet(cycle)
    rows = [row for section in sheet for row in section["rows"]]
    rated = (
        sum(1 for row in rows if row[cycle.stage] is not None)
        if cycle.stage != "closed"
        else len(rows)
    )
    return render(
        request,
        "audit/cycle.html",
        {
            "cycle": cycle,
            "sheet": sheet,
            "rated": rated,
            "total": len(rows),
            "can_manage": permissions.can(request.user, "manage_audit", cycle),
            "redaction": selectors.redaction_for(request.user, [cycle.community_id]),
        },
    )


def criterion_rate(request, pk, criterion_pk):
    cycle = permissions.get_visible_or_404(request.user, ReviewCycle, "view_audit", pk=pk)
    permissions.require(request.user, "manage_audit", cycle)
    criterion = get_object_or_404(
        StandardCriterion.objects.select_related("section"), pk=criterion_pk, retired=False
    )
    current = cycle.ratings.filter(criterion=criterion, stage=cycle.stage).first()
    action = cycle.actions.filter(criterion=criterion).first()
    initial = {}
    if current:
        initial = {"rating": current.rating, "evidence": current.evidence}
    if action:
        initial |= {
            "action_description": action.description,
            "action_owner": action.owner_id,
            "action_due": action.due_date,
        }
    figure = measures.figure(criterion.measure, cycle.community, timezone.localdate())
    form = RatingForm(
        request.POST or None, initial=initial, community=cycle.community, figure=figure
    )
    if pages.submit(
        form,
        lambda data: services.criterion_rate(
            cycle=cycle, criterion=criterion, by=request.user, **data
        ),
    ):
        messages.success(request, f"Criterion {criterion.code} rated.")
        return redirect("audit:cycle", pk=cycle.pk)
    return render(
        request,
        "audit/rate.html",
        {
            "form": form,
            "title": f"Rate criterion {criterion.code}",
            "button": "Save the rating",
            "cycle": cycle,
            "criterion": criterion,
            "figure": figure,
        },
    )


def cycle_advance(request, pk):
    cycle = permissions.get_visible_or_404(request.user, ReviewCycle, "view_audit", pk=pk)
    permissions.require(request.user, "manage_audit", cycle)
    error = None
    if request.method == "POST":
        try:
            services.cycle_advance(cycle=cycle, by=request.user)
        except ValidationError as failure:
            error = failure.messages[0]
        else:
            messages.success(
                request, f"{cycle.title} is now at {cycle.get_stage_display().lower()}."
            )
            return redirect("audit:cycle", pk=cycle.pk)
    return render(request, "audit/cycle_advance.html", {"cycle": cycle, "error": error})


def action_status(request, pk):
    action = get_object_or_404(selectors.actions_visible_to(request.user), pk=pk)
    form = ActionStatusForm(request.POST or None, initial={"status": action.status})
    if pages.submit(
        form, lambda data: services.action_set_status(action=action, by=request.user, **data)
    ):
        messages.success(request, "The action's status is updated.")
        return redirect("audit:cycle", pk=action.cycle_id)
    if not (
        request.user == action.owner or permissions.can(request.user, "manage_audit", action.cycle)
    ):
        raise PermissionDenied
    return render(
        request,
        "audit/action_status.html",
        {
            "form": form,
            "title": "Update the action",
            "action": action,
            "redaction": selectors.redaction_for(request.user, [action.cycle.community_id]),
        },
    )


def standards(request):
    permissions.require_any(request.user, "view_audit")
    return render(
        request,
        "audit/standards.html",
        {
            "sections": selectors.catalogue(),
            "can_edit": permissions.is_head_of_psychotherapy(request.user),
            "redaction": selectors.redaction_for(
                request.user, permissions.community_ids(request.user, "view_audit")
            ),
        },
    )


def criterion_edit(request, pk=None):
    permissions.require_head_of_psychotherapy(request.user)
    criterion = get_object_or_404(StandardCriterion, pk=pk) if pk else None
    form = CriterionForm(request.POST or None, instance=criterion)
    if saved := pages.submit(
        form, lambda data: services.criterion_save(criterion=form.instance, by=request.user)
    ):
        messages.success(request, f"Criterion {saved.code} saved.")
        return redirect("audit:standards")
    return render(
        request,
        "audit/criterion_form.html",
        {
            "form": form,
            "title": f"Change criterion {criterion.code}" if criterion else "Add a criterion",
            "button": "Save the criterion",
        },
    )


def criterion_retire(request, pk):
    permissions.require_head_of_psychotherapy(request.user)
    criterion = get_object_or_404(StandardCriterion, pk=pk, retired=False)
    if request.method == "POST":
        services.criterion_retire(criterion=criterion, by=request.user)
        messages.success(
            request,
            f"Criterion {criterion.code} is retired. Cycles that rated it keep their ratings.",
        )
        return redirect("audit:standards")
    return render(request, "audit/criterion_retire.html", {"criterion": criterion})
