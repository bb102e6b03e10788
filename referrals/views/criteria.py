from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from dtc import pages, permissions
from dtc.models import Community

from .. import services
from ..forms import (
    CriterionForm,
)
from ..models import SuitabilityCriterion


def criteria(request, community_pk):
    community = permissions.get_visible_or_404(request.user, Community, pk=community_pk)
    can_manage = permissions.can(request.user, "manage_criteria", community)
    form = CriterionForm(request.POST or None)
    if request.method == "POST":
        permissions.require(request.user, "manage_criteria", community)
        if pages.submit(
            form,
            lambda data: services.criterion_add(community=community, by=request.user, **data),
        ):
            messages.success(request, "Criterion added.")
            return redirect("referrals:criteria", community_pk=community.pk)
    return render(
        request,
        "referrals/criteria.html",
        {
            "community": community,
            "criteria": community.suitability_criteria.all(),
            "form": form,
            "can_manage": can_manage,
        },
    )


def criterion_change(request, pk, change):
    criterion = permissions.get_visible_or_404(request.user, SuitabilityCriterion, pk=pk)
    permissions.require(request.user, "manage_criteria", criterion)
    if request.method != "POST":
        if change != "retire":
            raise Http404
        return render(request, "referrals/criterion_retire.html", {"criterion": criterion})
    if change == "retire":
        services.criterion_retire(criterion=criterion, by=request.user)
        messages.success(
            request, "Criterion retired. Referrals already assessed against it keep their outcomes."
        )
    elif change in {"up", "down"}:
        services.criterion_move(criterion=criterion, by=request.user, up=change == "up")
    else:
        raise Http404
    return redirect("referrals:criteria", community_pk=criterion.community_id)
