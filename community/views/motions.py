"""The motion pages: the register of motions, recording one (on its own or within a
community meeting), a motion with its tally and outcome, and the Therapy Manager's
ratification or setting aside."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from dtc import corrections, pages, permissions
from dtc.models import Community
from dtc.paging import CappedPaginator
from dtc.params import int_param
from residents.models import Phase

from .. import selectors, services
from ..forms import AmendmentMotionForm, MotionForm, SetAsideForm
from ..forms.constitution import ConfirmForm, clauses_of, rules_of
from ..models import ABOUT_A_RESIDENT, MotionKind, Outcome

__all__ = [
    "motion_detail",
    "motion_list",
    "motion_new",
    "motion_ratify",
    "motion_record",
    "motion_set_aside",
]

RECORD, RATIFY = "record_motion", "ratify_motion"


def _choice(value, choices) -> str:
    return value if value in choices else ""


def motion_list(request):
    permissions.require_any(request.user)
    kind = _choice(request.GET.get("kind", ""), MotionKind.values)
    outcome = _choice(request.GET.get("outcome", ""), Outcome.values)
    community_id = int_param(request.GET, "community")
    motions = selectors.motions_visible_to(
        request.user, community_id=community_id, kind=kind, outcome=outcome
    )
    return render(
        request,
        "community/motion_list.html",
        {
            "page": CappedPaginator(motions, 25).get_page(request.GET.get("page")),
            "kind": kind,
            "kinds": MotionKind.choices,
            "outcome": outcome,
            "outcomes": Outcome.choices,
            "communities": permissions.communities(request.user).select_related("establishment"),
            "community_id": community_id,
            "can_record": permissions.holds_any(request.user, RECORD),
        },
    )


def motion_new(request):
    """Choose the community the motion was voted on, when the user records for more than one."""
    permissions.require_any(request.user, RECORD)
    communities = permissions.communities(request.user, RECORD).select_related("establishment")
    if len(communities) == 1:
        return redirect("community:motion_record", communities[0].pk)
    return render(request, "community/motion_new.html", {"communities": communities})


def _form(request, community, kind, meeting):
    residents = (
        selectors.residents_of_meeting(request.user, meeting)
        if meeting
        else selectors.motion_residents(request.user, community)
    )
    jobs = community.jobs.filter(is_active=True).order_by("name")
    initial = {"held_on": meeting.held_on} if meeting else {}
    if resident := int_param(request.GET, "resident"):
        initial["resident"] = resident
    args = {"kind": kind, "residents": residents, "jobs": jobs, "initial": initial}
    if kind == MotionKind.CONSTITUTION_AMENDMENT:
        latest = selectors.latest_version(community)
        return AmendmentMotionForm(
            request.POST or None,
            clauses=clauses_of(latest),
            **{**args, "initial": {**rules_of(latest), **initial}},
        )
    return MotionForm(request.POST or None, **args)


def motion_record(request, community_pk):
    community = permissions.get_visible_or_404(request.user, Community, pk=community_pk)
    permissions.require(request.user, RECORD, community)
    meeting = None
    if meeting_pk := int_param(request.GET, "meeting"):
        meeting = selectors.community_meeting_detail(request.user, meeting_pk)
        if meeting.community_id != community.pk:
            meeting = None
    kind = _choice(request.GET.get("kind", ""), MotionKind.values)
    back = (
        reverse("community:community_meeting_detail", args=[meeting.pk])
        if meeting
        else reverse("community:motion_list")
    )
    if not kind:
        return render(
            request,
            "community/motion_kind.html",
            {
                "community": community,
                "kinds": MotionKind.choices,
                "meeting": meeting,
                "cancel": back,
            },
        )
    form = _form(request, community, kind, meeting)
    title = f"Record a motion: {MotionKind(kind).label.lower()}"
    if pages.unconfirmed(form):
        if hasattr(form, "drop_empty_rows"):
            form.drop_empty_rows()
        return pages.check_answers(
            request,
            form=form,
            title=title,
            button="Record the motion",
            caption=community.name,
            intro=f"{title}. Its outcome follows from the constitution in force on the day; "
            "a recorded motion is corrected, never removed.",
            cancel=back,
        )
    if motion := pages.submit(
        form,
        lambda data: services.motion_record(
            community=community,
            kind=kind,
            meeting=meeting,
            by=request.user,
            **form.service_answers(),
        ),
    ):
        messages.success(request, f"Motion recorded: {motion.get_outcome_display().lower()}.")
        return redirect("community:motion_detail", motion.pk)
    template = (
        "community/motion_amendment.html"
        if kind == MotionKind.CONSTITUTION_AMENDMENT
        else "form_page.html"
    )
    return render(
        request,
        template,
        {
            "form": form,
            "title": title,
            "caption": meeting or community.name,
            "button": "Continue",
            "cancel": back,
        },
    )


def motion_detail(request, pk):
    motion = selectors.motion_detail(request.user, pk)
    user = request.user
    leaving_due = (
        motion.kind == MotionKind.VOTE_OUT
        and motion.takes_effect
        and motion.resident.phase != Phase.LEFT
    )
    return render(
        request,
        "community/motion_detail.html",
        {
            "motion": motion,
            "about_a_resident": motion.kind in ABOUT_A_RESIDENT,
            "can_ratify": motion.awaits_ratification and permissions.can(user, RATIFY, motion),
            "can_correct": permissions.may_correct(user, motion),
            "correction": corrections.correction_of(motion),
            "leaving_due": leaving_due,
            "leave_url": _leave_url(motion)
            if leaving_due and permissions.can(user, "decide_therapy", motion.resident)
            else "",
        },
    )


def _leave_url(motion) -> str:
    return (
        reverse("residents:resident_leave", args=[motion.resident_id]) + "?leaving_type=voted_out"
    )


def _awaiting(request, pk):
    motion = selectors.motion_detail(request.user, pk)
    permissions.require(request.user, RATIFY, motion)
    if not motion.awaits_ratification:
        messages.error(request, "This motion is not waiting for ratification.")
        return motion, redirect("community:motion_detail", motion.pk)
    return motion, None


def _facts(motion):
    facts = [("Motion", str(motion)), ("Outcome", motion.get_outcome_display())]
    if motion.resident_id:
        facts.insert(1, ("Resident concerned", str(motion.resident)))
    if motion.job_id:
        facts.insert(1, ("Job", motion.job.name))
    return facts


def motion_ratify(request, pk):
    motion, refused = _awaiting(request, pk)
    if refused:
        return refused
    back = reverse("community:motion_detail", args=[motion.pk])
    form = ConfirmForm(request.POST or None)
    if request.method == "POST":
        if motion := pages.submit(
            form, lambda data: services.motion_ratify(motion=motion, by=request.user)
        ):
            if motion.kind == MotionKind.VOTE_OUT:
                # A ratified vote-out never removes the resident silently: the leaving
                # is recorded now, its type proposed.
                messages.success(request, "Vote-out ratified. Now record the leaving.")
                return redirect(_leave_url(motion))
            messages.success(request, "Decision ratified.")
            return redirect(back)
        messages.error(request, " ".join(form.non_field_errors()))
        return redirect(back)
    warning = {
        MotionKind.VOTE_OUT: "Ratifying the vote-out cannot be undone: you then record the "
        "resident's leaving.",
        MotionKind.JOB_ELECTION: "Ratifying the election starts the resident's holding of "
        "the job today.",
        MotionKind.CONSTITUTION_AMENDMENT: "Ratifying the amendment makes the next version "
        "of the constitution, in force from today.",
    }.get(motion.kind, "Ratifying the decision cannot be undone.")
    return pages.check_answers(
        request,
        title=f"Ratify the decision: {motion}",
        heading="Ratify the decision",
        button="Ratify",
        facts=_facts(motion),
        caption=motion.community.name,
        warning=warning,
        cancel=back,
    )


def motion_set_aside(request, pk):
    motion, refused = _awaiting(request, pk)
    if refused:
        return refused
    back = reverse("community:motion_detail", args=[motion.pk])
    form = SetAsideForm(request.POST or None)
    title = "Set the decision aside"
    if pages.unconfirmed(form):
        return pages.check_answers(
            request,
            form=form,
            facts=_facts(motion),
            title=title,
            button="Set the decision aside",
            caption=motion.community.name,
            warning="Setting a decision aside (the clinical veto) cannot be undone.",
            cancel=back,
        )
    if pages.submit(
        form,
        lambda data: services.motion_set_aside(motion=motion, by=request.user, **data),
    ):
        messages.success(request, "Decision set aside. The reason is on the record.")
        return redirect(back)
    return pages.form_page(request, form, title, caption=motion, cancel=back, button="Continue")
