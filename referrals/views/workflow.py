from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from dtc import correction_pages, history, pages, permissions
from residents.forms import RestrictForm
from residents.selectors import access_list_candidates, beds_used

from .. import services
from ..forms import (
    AcceptForm,
    AdmitForm,
    DeferForm,
    InterviewForm,
    NoteForm,
    OutcomeForm,
    ReasonForm,
    RecommendationForm,
)
from ..models import TRANSITIONS, Interview, Referral, Status, SuitabilityCriterion


def _referral(request, pk) -> Referral:
    return permissions.get_visible_or_404(
        request.user, Referral.objects.select_related("community"), pk=pk
    )


def _recommendations(referral: Referral):
    return referral.recommendations.select_related("by")


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


def detail(request, pk):
    referral = permissions.get_visible_or_404(
        request.user,
        Referral.objects.select_related(
            "community__establishment",
            "submitted_by",
            "resident",
            "override__by",
            "override__acknowledged_by",
            "override__review_requested_by",
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
            "interviews": referral.interviews.in_effect().select_related("assessor"),
            "recommendations": _recommendations(referral),
            "can_correct_interviews": permissions.may_correct(
                request.user, Interview(referral=referral)
            ),
            "override": getattr(referral, "override", None),
            "history": history.entries(
                referral.history.all(), exclude=frozenset({"status_changed_at"})
            ),
            "can": can,
            "open": referral.status in {Status.SCREENING, Status.ASSESSMENT, Status.DECISION},
            "next_statuses": TRANSITIONS[referral.status],
        },
    )


@dataclass(frozen=True)
class Step:
    """A step that moves a referral on with an optional note (or a required reason):
    what the stage is, what happens next, and the banner once it is done."""

    service: Callable
    title: str
    form_class: type
    about: str
    next: str
    done: str  # with {prison_number}


STEPS = {
    "screening": Step(
        services.referral_start_screening,
        "Start screening",
        NoteForm,
        "Screening checks the referral is complete and that the person could be suitable "
        "for this community: the sentence dates, the risk level and the reason for referral.",
        "When screening is done, start the assessment, or decline the referral.",
        "Screening started for {prison_number}.",
    ),
    "assessment": Step(
        services.referral_start_assessment,
        "Start the assessment",
        NoteForm,
        "The assessment weighs the person against each of the community's suitability "
        "criteria, with assessment interviews and the evidence for each finding.",
        "Record the interviews and assess each criterion, then mark the referral ready "
        "for a decision.",
        "Assessment started for {prison_number}.",
    ),
    "decision": Step(
        services.referral_ready_for_decision,
        "Ready for a decision",
        NoteForm,
        "The assessment is complete and the referral goes to the Therapy Manager to decide.",
        "A clinician may record a recommendation; the Therapy Manager then accepts the "
        "referral onto the waiting list, defers it or declines it.",
        "{prison_number} is ready for a decision.",
    ),
    "hold": Step(
        services.referral_hold,
        "Put the referral on hold",
        ReasonForm,
        "A referral on hold stops where it is: it is not counted as stuck while it waits.",
        "Resume the referral when it can go on; it returns to the stage it stopped at.",
        "The referral for {prison_number} is on hold.",
    ),
    "resume": Step(
        services.referral_resume,
        "Resume the referral",
        NoteForm,
        "The referral goes back to the stage it was at when it was put on hold.",
        "Carry on with that stage.",
        "The referral for {prison_number} is resumed.",
    ),
    "withdraw": Step(
        services.referral_withdraw,
        "Withdraw the referral",
        ReasonForm,
        "A withdrawn referral is closed: the person asked to stop, or the referral no "
        "longer applies (a transfer or release, say).",
        "Nothing more happens to this referral. A new referral can be made later.",
        "The referral for {prison_number} is withdrawn.",
    ),
    "rereview": Step(
        services.referral_rereview,
        "Bring back for a decision",
        NoteForm,
        "A deferred referral comes back to the Therapy Manager for a decision.",
        "Accept the referral onto the waiting list, defer it again or decline it.",
        "{prison_number} is back for a decision.",
    ),
}


def step(request, pk, name):
    if name not in STEPS:
        raise Http404
    referral = _referral(request, pk)
    step = STEPS[name]
    permissions.require(
        request.user, "decide_referral" if name == "rereview" else "progress_referral", referral
    )
    form = step.form_class(request.POST or None)
    if pages.submit(form, lambda data: step.service(referral=referral, by=request.user, **data)):
        messages.success(request, step.done.format(prison_number=referral.prison_number))
        return redirect("referrals:detail", pk=referral.pk)
    return render(
        request,
        "referrals/step.html",
        {
            "form": form,
            "referral": referral,
            "title": step.title,
            "button": step.title,
            "step": step,
        },
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


# Correcting an interview (dtc.correction_pages); `kind` is "interview", the one kind here.


def _interview(request, kind, pk):
    if kind != "interview":
        raise Http404
    interview = get_object_or_404(Interview, pk=pk)
    referral = _referral(request, interview.referral_id)
    page = {
        "caption": f"{referral.name} ({referral.prison_number})",
        "back": reverse("referrals:detail", args=[referral.pk]) + "#interviews",
        "what": "the interview",
    }
    return interview, referral, page


def _interview_form(form_class, data, initial, *, referral):
    return form_class(data, initial=initial, community=referral.community)


def record_amend(request, kind, pk):
    interview, referral, page = _interview(request, kind, pk)
    return correction_pages.amend(
        request,
        record=interview,
        form_class=InterviewForm,
        make_form=lambda *args: _interview_form(*args, referral=referral),
        **page,
    )


def record_entered_in_error(request, kind, pk):
    interview, _, page = _interview(request, kind, pk)
    return correction_pages.entered_in_error(
        request, record=interview, form_class=InterviewForm, **page
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
            "recommendations": _recommendations(referral),
            "title": "Accept the referral",
            "button": "Continue",
        },
    )


@dataclass(frozen=True)
class Decision:
    """A decision-stage page: the form, check your answers, then the service with the
    form's answers; the page shows the clinicians' recommendations to whoever decides."""

    action: str
    form_class: type
    service: Callable  # (referral, by, answers)
    title: str
    check_heading: str
    check_button: str
    done: str  # with {name} and {prison_number}
    intro: str = ""


DECISIONS = {
    "recommend": Decision(
        "progress_referral",
        RecommendationForm,
        lambda referral, by, answers: services.referral_recommend(
            referral=referral, by=by, **answers
        ),
        "Recommend a decision",
        "Check your recommendation",
        "Record the recommendation",
        "Recommendation recorded for {prison_number}.",
        "Your recommendation and its reasons go to the Therapy Manager, who makes the decision.",
    ),
    "decline": Decision(
        "decide_referral",
        ReasonForm,
        lambda referral, by, answers: services.referral_decline(
            referral=referral, by=by, reason=answers["note"]
        ),
        "Decline the referral",
        "Check before you decline",
        "Decline the referral",
        "The referral for {name} is declined.",
    ),
    "defer": Decision(
        "decide_referral",
        DeferForm,
        lambda referral, by, answers: services.referral_defer(referral=referral, by=by, **answers),
        "Defer the referral",
        "Check before you defer",
        "Defer the referral",
        "The referral for {name} is deferred.",
        "Suitable, but not ready now.",
    ),
}


def _decide(request, pk, name):
    decision = DECISIONS[name]
    referral = _referral(request, pk)
    permissions.require(request.user, decision.action, referral)
    form = decision.form_class(request.POST or None)
    if pages.unconfirmed(form):
        return _check(
            request,
            form,
            referral,
            heading=decision.check_heading,
            title=decision.title,
            button=decision.check_button,
            facts=[],
        )
    if pages.submit(form, lambda answers: decision.service(referral, request.user, answers)):
        messages.success(
            request, decision.done.format(name=referral.name, prison_number=referral.prison_number)
        )
        return redirect("referrals:detail", pk=referral.pk)
    deciding = decision.action == "decide_referral"
    return render(
        request,
        "referrals/form.html",
        {
            "form": form,
            "referral": referral,
            "title": decision.title,
            "intro": decision.intro,
            "recommendations": _recommendations(referral) if deciding else None,
            "button": "Continue",
        },
    )


def referral_recommend(request, pk):
    return _decide(request, pk, "recommend")


def referral_decline(request, pk):
    return _decide(request, pk, "decline")


def referral_defer(request, pk):
    return _decide(request, pk, "defer")


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
