"""The overrides of the suitability criteria: the list, and the Head of Psychotherapy's
answer to each (acknowledge it, or ask the Therapy Manager to review it)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from dtc import pages, permissions

from .. import selectors, services
from ..forms import OverrideFilterForm, OverrideReviewForm


def _override(request, pk):
    return permissions.get_visible_or_404(
        request.user, selectors.overrides_visible_to(request.user), "override_criteria", pk=pk
    )


def overrides(request):
    permissions.require_any(request.user, "override_criteria")
    communities = list(
        permissions.communities(request.user, "override_criteria").select_related("establishment")
    )
    form = OverrideFilterForm(request.GET or None, communities=communities)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    found = selectors.override_list(
        request.user,
        community=filters.get("community"),
        made_from=filters.get("made_from"),
        made_to=filters.get("made_to"),
    )
    page = Paginator(found, 25).get_page(request.GET.get("page"))
    # The list is narrowed to the people the user may see (selectors.overrides_visible_to).
    for override in permissions.read_as_visible(request.user, page.object_list):
        override.may_answer = permissions.may_answer_override(request.user, override)
    return render(
        request,
        "referrals/overrides.html",
        {"page": page, "form": form, "filtered": any(filters.values())},
    )


@require_POST
def override_acknowledge(request, pk):
    override = _override(request, pk)
    permissions.require_may_answer_override(request.user, override)
    try:
        services.override_acknowledge(override=override, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"Override for {override.referral.prison_number} acknowledged.")
    return redirect("referrals:overrides")


def override_request_review(request, pk):
    override = _override(request, pk)
    permissions.require_may_answer_override(request.user, override)
    form = OverrideReviewForm(request.POST or None)
    if pages.submit(
        form,
        lambda data: services.override_request_review(override=override, by=request.user, **data),
    ):
        messages.success(
            request,
            f"Review asked of {override.by} for the override for "
            f"{override.referral.prison_number}.",
        )
        return redirect("referrals:overrides")
    return render(
        request,
        "referrals/override_review.html",
        {
            "form": form,
            "override": override,
            "title": "Ask for a review of the override",
            "button": "Ask for a review",
        },
    )
