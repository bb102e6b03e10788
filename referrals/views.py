from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from dtc import history, pages, permissions
from dtc.models import Community
from residents.forms import RestrictForm
from residents.selectors import access_list_candidates, beds_used

from . import selectors, services
from .forms import (
    AcceptForm,
    AdmitForm,
    CommunityChoiceForm,
    CriterionForm,
    DeferForm,
    InterviewForm,
    NoteForm,
    OutcomeForm,
    ReasonForm,
    ReferralFilterForm,
    ReferralForm,
)
from .models import TRANSITIONS, Referral, Status, SuitabilityCriterion


def _referral(request, pk) -> Referral:
    return permissions.get_visible_or_404(
        request.user, Referral.objects.select_related("community"), pk=pk
    )


def _check(request, form, referral: Referral, *, heading: str, title: str, button: str, facts):
    """Check-your-answers before a decision recorded against the user's name."""
    return pages.check_answers(
        request,
        form=form,
        facts=[("Referral", f"{referral.name} ({referral.prison_number})"), *facts],
        heading=heading,
        title=title,
        button=button,
        warning="This is recorded against your name and cannot be undone.",
        template="referrals/check.html",
        referral=referral,
    )


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
            "page": Paginator(referrals, 25).get_page(request.GET.get("page")),
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
            "title": "Make a referral",
            "button": "Submit the referral",
        },
    )


def detail(request, pk):
    referral = permissions.get_visible_or_404(
        request.user,
        Referral.objects.select_related(
            "community__establishment", "submitted_by", "resident", "override__by"
        ),
        pk=pk,
    )
    criteria = services.criteria_assessment(referral, timezone.localdate())
    can = {
        action: permissions.can(request.user, action, referral)
        for action in (
            "progress_referral",
            "decide_referral",
            "override_criteria",
            "admit_resident",
            "restrict_resident",
        )
    }
    return render(
        request,
        "referrals/detail.html",
        {
            "referral": referral,
            "criteria": criteria,
            "failing_count": sum(row["outcome"] != "met" for row in criteria),
            "transitions": referral.transitions.select_related("by"),
            "interviews": referral.interviews.select_related("assessor"),
            "override": getattr(referral, "override", None),
            "history": history.entries(
                referral.history.all(), exclude=frozenset({"status_changed_at"})
            ),
            "can": can,
            "open": referral.status in {Status.SCREENING, Status.ASSESSMENT, Status.DECISION},
            "next_statuses": TRANSITIONS[referral.status],
        },
    )


# Steps that move a referral on with an optional note (or a required reason).
STEPS = {
    "screening": (services.referral_start_screening, "Start screening", NoteForm),
    "assessment": (services.referral_start_assessment, "Start the assessment", NoteForm),
    "decision": (services.referral_ready_for_decision, "Ready for a decision", NoteForm),
    "hold": (services.referral_hold, "Put the referral on hold", ReasonForm),
    "resume": (services.referral_resume, "Resume the referral", NoteForm),
    "withdraw": (services.referral_withdraw, "Withdraw the referral", ReasonForm),
    "rereview": (services.referral_rereview, "Bring back for a decision", NoteForm),
}


def step(request, pk, name):
    if name not in STEPS:
        raise Http404
    referral = _referral(request, pk)
    service, title, form_class = STEPS[name]
    permissions.require(
        request.user, "decide_referral" if name == "rereview" else "progress_referral", referral
    )
    form = form_class(request.POST or None)
    if pages.submit(form, lambda data: service(referral=referral, by=request.user, **data)):
        messages.success(request, f"{title}: done.")
        return redirect("referrals:detail", pk=referral.pk)
    return render(
        request,
        "referrals/form.html",
        {"form": form, "referral": referral, "title": title, "button": title},
    )


def referral_record_interview(request, pk):
    referral = _referral(request, pk)
    permissions.require(request.user, "progress_referral", referral)
    form = InterviewForm(request.POST or None, community=referral.community)
    if pages.submit(
        form,
        lambda data: services.referral_record_interview(referral=referral, by=request.user, **data),
    ):
        messages.success(request, "Interview recorded.")
        return redirect("referrals:detail", pk=referral.pk)
    return render(
        request,
        "referrals/form.html",
        {
            "form": form,
            "referral": referral,
            "title": "Record an assessment interview",
            "button": "Record the interview",
        },
    )


def referral_record_outcome(request, pk, criterion_pk):
    referral = _referral(request, pk)
    permissions.require(request.user, "progress_referral", referral)
    criterion = get_object_or_404(
        SuitabilityCriterion, pk=criterion_pk, community=referral.community, retired=False
    )
    current = referral.outcomes.filter(criterion=criterion).first()
    form = OutcomeForm(
        request.POST or None,
        initial={"outcome": current.outcome, "evidence": current.evidence} if current else None,
    )
    if pages.submit(
        form,
        lambda data: services.referral_record_outcome(
            referral=referral, criterion=criterion, by=request.user, **data
        ),
    ):
        messages.success(request, "Criterion assessed.")
        return redirect("referrals:detail", pk=referral.pk)
    return render(
        request,
        "referrals/form.html",
        {
            "form": form,
            "referral": referral,
            "title": "Assess a criterion",
            "intro": criterion.text,
            "button": "Save",
        },
    )


def referral_accept(request, pk):
    referral = _referral(request, pk)
    permissions.require(request.user, "decide_referral", referral)
    failing = services.criteria_failing(referral, timezone.localdate())
    if failing and not permissions.can(request.user, "override_criteria", referral):
        raise PermissionDenied
    form = AcceptForm(request.POST or None, needs_override=bool(failing))
    if pages.unconfirmed(form):
        overridden = "; ".join(criterion.text for criterion, _, _ in failing)
        return _check(
            request,
            form,
            referral,
            heading="Check before you accept",
            title="Accept the referral",
            button="Accept onto the waiting list",
            facts=[("Criteria overridden", overridden)] if failing else [],
        )
    if pages.submit(
        form, lambda data: services.referral_accept(referral=referral, by=request.user, **data)
    ):
        messages.success(
            request, f"{referral.name} is on the waiting list for {referral.community.name}."
        )
        return redirect("referrals:detail", pk=referral.pk)
    return render(
        request,
        "referrals/accept.html",
        {
            "form": form,
            "referral": referral,
            "failing": failing,
            "title": "Accept the referral",
            "button": "Continue",
        },
    )


def referral_decline(request, pk):
    referral = _referral(request, pk)
    permissions.require(request.user, "decide_referral", referral)
    form = ReasonForm(request.POST or None)
    if pages.unconfirmed(form):
        return _check(
            request,
            form,
            referral,
            heading="Check before you decline",
            title="Decline the referral",
            button="Decline the referral",
            facts=[],
        )
    if pages.submit(
        form,
        lambda data: services.referral_decline(
            referral=referral, by=request.user, reason=data["note"]
        ),
    ):
        messages.success(request, f"The referral for {referral.name} is declined.")
        return redirect("referrals:detail", pk=referral.pk)
    return render(
        request,
        "referrals/form.html",
        {"form": form, "referral": referral, "title": "Decline the referral", "button": "Continue"},
    )


def referral_defer(request, pk):
    referral = _referral(request, pk)
    permissions.require(request.user, "decide_referral", referral)
    form = DeferForm(request.POST or None)
    if pages.submit(
        form, lambda data: services.referral_defer(referral=referral, by=request.user, **data)
    ):
        messages.success(request, f"The referral for {referral.name} is deferred.")
        return redirect("referrals:detail", pk=referral.pk)
    return render(
        request,
        "referrals/form.html",
        {
            "form": form,
            "referral": referral,
            "title": "Defer the referral",
            "intro": "Suitable, but not ready now.",
            "button": "Defer the referral",
        },
    )


def referral_admit(request, pk):
    referral = _referral(request, pk)
    permissions.require(request.user, "admit_resident", referral)
    community = referral.community
    used = beds_used(community)
    form = AdmitForm(request.POST or None)
    if pages.unconfirmed(form):
        return _check(
            request,
            form,
            referral,
            heading="Check before you admit",
            title="Admit from the waiting list",
            button="Admit the resident",
            facts=[
                ("Community", community.name),
                ("Beds after admission", f"{used + 1} of {community.capacity}"),
            ],
        )
    if pages.submit(
        form, lambda data: services.referral_admit(referral=referral, by=request.user, **data)
    ):
        messages.success(request, f"{referral.name} is admitted to {community.name}.")
        return redirect("referrals:detail", pk=referral.pk)
    return render(
        request,
        "referrals/form.html",
        {
            "form": form,
            "referral": referral,
            "title": "Admit from the waiting list",
            "intro": f"{used} of {community.capacity} beds are in use.",
            "button": "Continue",
        },
    )


def referral_restrict(request, pk):
    referral = _referral(request, pk)
    permissions.require(request.user, "restrict_resident", referral)
    staff = access_list_candidates(referral.community).exclude(pk=request.user.pk)
    form = RestrictForm(
        request.POST or None,
        staff=staff,
        initial={"staff": list(referral.access_list.values_list("user_id", flat=True))},
    )
    if pages.submit(
        form, lambda data: services.referral_restrict(referral=referral, by=request.user, **data)
    ):
        messages.success(request, "This person's records are restricted to the staff you named.")
        return redirect("referrals:detail", pk=referral.pk)
    return render(
        request,
        "referrals/form.html",
        {
            "form": form,
            "referral": referral,
            "title": "Restrict this person's records",
            "intro": "Only the staff you name will see this person: this referral, any other "
            "referral or resident record of theirs, in any list, search or export. "
            "The restriction carries into the resident record at admission.",
            "button": "Restrict the records",
        },
    )


@require_POST
def referral_unrestrict(request, pk):
    referral = _referral(request, pk)
    permissions.require(request.user, "restrict_resident", referral)
    try:
        services.referral_unrestrict(
            referral=referral, reason="Restriction lifted", by=request.user
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "The restriction is lifted: the whole team sees this person.")
    return redirect("referrals:detail", pk=referral.pk)


def waiting_list(request):
    permissions.require_any(request.user)
    return render(
        request, "referrals/waiting_list.html", {"referrals": selectors.waiting_list(request.user)}
    )


def overrides(request):
    permissions.require_any(request.user, "override_criteria")
    page = Paginator(selectors.overrides_visible_to(request.user), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "referrals/overrides.html", {"page": page})


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
