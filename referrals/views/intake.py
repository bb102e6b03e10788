from django.contrib import messages
from django.shortcuts import redirect, render

from dtc import pages, permissions
from dtc.paging import CappedPaginator

from .. import selectors, services
from ..forms import (
    CommunityChoiceForm,
    ReferralFilterForm,
    ReferralForm,
)
from ..models import Status


def referral_list(request):
    permissions.require_any(request.user)
    communities = list(permissions.communities(request.user).select_related("establishment"))
    form = ReferralFilterForm(request.GET or None, communities=communities, statuses=Status.choices)
    filters = form.cleaned_data if form.is_valid() else {}
    referrals = selectors.referral_list(
        request.user,
        q=filters.get("q", ""),
        status=filters.get("status", ""),
        risk=filters.get("risk", ""),
        community=filters.get("community"),
        stuck=filters.get("stuck", False),
    )
    return render(
        request,
        "referrals/list.html",
        {
            "form": form,
            "page": CappedPaginator(referrals, 25).get_page(request.GET.get("page")),
            "can_submit": permissions.holds_any(request.user, "submit_referral"),
            "can_see_overrides": permissions.holds_any(request.user, "override_criteria"),
            "communities": communities,
            "filtered": any(filters.values()),
        },
    )


def referral_submit(request):
    permissions.require_any(request.user, "submit_referral")
    communities = permissions.communities(request.user, "submit_referral").select_related(
        "establishment"
    )
    community = communities.first() if len(communities) == 1 else None
    if community is None:
        chooser = CommunityChoiceForm(
            request.GET if "community" in request.GET else None, communities=communities
        )
        if not chooser.is_valid():
            return render(
                request,
                "referrals/choose_community.html",
                {"form": chooser, "title": "Make a referral"},
            )
        community = chooser.cleaned_data["community"]
    form = ReferralForm(request.POST or None)
    # Someone the service already knows is warned of (with a link only to what the user
    # may see); the service refuses until the referrer confirms.
    known = None
    if form.is_bound and form.is_valid():
        known = selectors.known_person(
            request.user, prison_number=form.cleaned_data["prison_number"], community=community
        )
    if referral := pages.submit(
        form,
        lambda data: services.referral_submit(community=community, by=request.user, **data),
    ):
        messages.success(request, f"Referral for {referral.name} received.")
        return redirect("referrals:detail", pk=referral.pk)
    return render(
        request,
        "referrals/new.html",
        {
            "form": form,
            "community": community,
            "known": known,
            "title": "Make a referral",
            "button": "Submit the referral",
        },
    )


def waiting_list(request):
    permissions.require_any(request.user)
    return render(
        request, "referrals/waiting_list.html", {"referrals": selectors.waiting_list(request.user)}
    )
