from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from dtc import permissions
from dtc.models import Community
from dtc.params import int_param, search_param

from . import selectors, services
from .forms import (
    AcctCloseForm,
    AcctOpenForm,
    AllocationForm,
    AmendmentForm,
    DecisionForm,
    DocumentChangeForm,
    DocumentForm,
    GoalForm,
    GroupSessionForm,
    IncidentForm,
    LeavingForm,
    PhaseForm,
    PlanForm,
    RegisterForm,
    RestrictForm,
    ReturnForm,
    ReviewForm,
    RiskForm,
    VoteForm,
)
from .models import PHASE_TRANSITIONS, AttendanceStatus, DocumentStatus, Intervention, Phase


def _require_any_access(user):
    # Identifiable resident pages are for the community's staff; auditors never see them.
    if not permissions.community_ids(user):
        raise PermissionDenied


def _save_or_show_errors(form, save) -> bool:
    """Run the service; a refusal shows its message on the form and changes nothing."""
    try:
        save()
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


# Lists ------------------------------------------------------------------------------


def resident_list(request, caseload=False):
    _require_any_access(request.user)
    today = timezone.localdate()
    filters = {
        "community_id": int_param(request.GET, "community"),
        "phase": request.GET.get("phase", "") if request.GET.get("phase") in Phase.values else "",
        "small_group": request.GET.get("small_group", ""),
        "key_worker_id": request.user.pk if caseload else int_param(request.GET, "key_worker"),
        "review_overdue": request.GET.get("review_overdue") == "1",
        "acct_open": request.GET.get("acct_open") == "1",
        "query": search_param(request.GET),
    }
    residents = selectors.residents_visible_to(request.user, today=today, **filters)
    page = Paginator(residents, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    communities = list(permissions.communities(request.user).select_related("establishment"))
    return render(
        request,
        "residents/resident_list.html",
        {
            "page": page,
            "filters": filters,
            "filtered": any(
                v for k, v in filters.items() if not (caseload and k == "key_worker_id")
            ),
            "caseload": caseload,
            "communities": communities,
            "phases": Phase.choices,
            "small_groups": selectors.small_groups(request.user),
            "key_workers": None if caseload else _key_worker_choices(communities, filters),
            "today": today,
        },
    )


def _key_worker_choices(communities, filters) -> list | None:
    # Across a cluster the key workers run to thousands: too many for a select to be usable,
    # and slow to render. The filter is offered once the list shows one community (and keeps
    # showing a key worker already chosen, say from a link); None means "not offered".
    in_view = [c for c in communities if c.pk == filters["community_id"]] or communities
    if len(in_view) == 1:
        return list(selectors.key_workers(in_view))
    if filters["key_worker_id"]:
        return list(selectors.key_workers(in_view).filter(pk=filters["key_worker_id"]))
    return None


def caseload(request):
    return resident_list(request, caseload=True)


# The resident's page ------------------------------------------------------------------


def detail(request, pk):
    resident = selectors.resident_detail(request.user, pk)
    services.access_log_record(resident=resident, page="record", by=request.user)
    today = timezone.localdate()
    plan = selectors.current_plan(resident)
    user = request.user
    return render(
        request,
        "residents/detail.html",
        {
            "resident": resident,
            "today": today,
            "plan": plan,
            "plans": selectors.plans_of(resident),
            "dosage": selectors.dosage(resident, today=today, plan=plan),
            "documents": selectors.resident_documents(resident),
            "reviews": resident.reviews.select_related("recorded_by"),
            "votes": resident.votes.all(),
            "incidents": resident.incidents.all(),
            "risks": resident.risks.select_related("assessed_by"),
            "acct_periods": resident.acct_periods.all(),
            "decisions": resident.decisions.select_related("decided_by"),
            "is_current": resident.phase != Phase.LEFT,
            "can_write": permissions.can(user, "write_clinical", resident),
            "can_record": permissions.can(user, "record_attendance", resident),
            "can_decide": permissions.can(user, "decide_therapy", resident),
            "can_restrict": permissions.can(user, "restrict_resident", resident),
            "can_view_log": permissions.can(user, "view_access_log", resident),
        },
    )


def timeline(request, pk):
    resident = selectors.resident_detail(request.user, pk)
    services.access_log_record(resident=resident, page="timeline", by=request.user)
    return render(
        request,
        "residents/timeline.html",
        {"resident": resident, "entries": selectors.timeline(resident)},
    )


def access_log(request, pk):
    resident = selectors.resident_detail(request.user, pk)
    permissions.require(request.user, "view_access_log", resident)
    page = Paginator(selectors.access_log(resident), 50).get_page(request.GET.get("page"))
    return render(request, "residents/access_log.html", {"resident": resident, "page": page})


def _form_page(request, resident, form, title, *, intro="", button="Save"):
    return render(
        request,
        "residents/form.html",
        {"resident": resident, "form": form, "title": title, "intro": intro, "button": button},
    )


def allocate(request, pk):
    resident = selectors.resident_detail(request.user, pk)
    permissions.require(request.user, "decide_therapy", resident)
    form = AllocationForm(
        request.POST or None,
        staff=selectors.community_staff(resident.community),
        initial={"key_worker": resident.key_worker_id, "small_group": resident.small_group},
    )
    if request.method == "POST" and form.is_valid():
        if _save_or_show_errors(
            form,
            lambda: services.resident_allocate(
                resident=resident, by=request.user, **form.cleaned_data
            ),
        ):
            messages.success(request, "Key worker and small group saved.")
            return redirect("residents:detail", resident.pk)
    return _form_page(request, resident, form, "Key worker and small group")


def phase(request, pk):
    resident = selectors.resident_detail(request.user, pk)
    permissions.require(request.user, "decide_therapy", resident)
    choices = [(p.value, p.label) for p in Phase if p in PHASE_TRANSITIONS[resident.phase]]
    form = PhaseForm(request.POST or None, phases=choices)
    if request.method == "POST" and form.is_valid():
        if _save_or_show_errors(
            form,
            lambda: services.resident_phase_change(
                resident=resident, phase=form.cleaned_data["phase"], by=request.user
            ),
        ):
            messages.success(request, "Phase changed.")
            return redirect("residents:detail", resident.pk)
    return _form_page(request, resident, form, "Change the phase of therapy")


def restrict(request, pk):
    resident = selectors.resident_detail(request.user, pk)
    permissions.require(request.user, "restrict_resident", resident)
    staff = selectors.access_list_candidates(resident.community).exclude(pk=request.user.pk)
    form = RestrictForm(
        request.POST or None,
        staff=staff,
        initial={"staff": list(resident.access_list.values_list("user_id", flat=True))},
    )
    if request.method == "POST" and form.is_valid():
        if _save_or_show_errors(
            form,
            lambda: services.resident_restrict(
                resident=resident, by=request.user, **form.cleaned_data
            ),
        ):
            messages.success(request, "The record is restricted to the staff you named.")
            return redirect("residents:detail", resident.pk)
    return _form_page(
        request,
        resident,
        form,
        "Restrict this record",
        intro="Only the staff you name will see this resident, in any list or count.",
    )


@require_POST
def unrestrict(request, pk):
    resident = selectors.resident_detail(request.user, pk)
    permissions.require(request.user, "restrict_resident", resident)
    try:
        services.resident_unrestrict(
            resident=resident, reason="Restriction lifted", by=request.user
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "The restriction is lifted: the whole team sees this resident.")
    return redirect("residents:detail", resident.pk)


def _answers(form) -> list[tuple[str, str]]:
    """The cleaned values as a check-your-answers page shows them."""
    answers = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if hasattr(field, "choices") and value:
            value = dict(field.choices).get(value, value)
        elif hasattr(value, "strftime"):
            value = f"{value:%-d %B %Y}"
        answers.append((field.label or name.replace("_", " ").capitalize(), value or "None"))
    return answers


def _posted(request):
    return [
        (key, value)
        for key, values in request.POST.lists()
        if key not in ("csrfmiddlewaretoken", "confirm", "change")
        for value in values
    ]


def leave(request, pk):
    resident = selectors.resident_detail(request.user, pk)
    permissions.require(request.user, "decide_therapy", resident)
    form = LeavingForm(request.POST or None)
    if request.method == "POST" and "change" not in request.POST and form.is_valid():
        if "confirm" in request.POST:
            if _save_or_show_errors(
                form,
                lambda: services.resident_leave(
                    resident=resident, by=request.user, **form.cleaned_data
                ),
            ):
                messages.success(request, f"{resident} has left the community. The bed is free.")
                return redirect("residents:detail", resident.pk)
        else:
            return render(
                request,
                "residents/check.html",
                {
                    "resident": resident,
                    "title": "Record leaving",
                    "warning": "Leaving closes the record and frees the bed. It cannot be undone.",
                    "answers": _answers(form),
                    "posted": _posted(request),
                    "button": "Record leaving",
                },
            )
    return _form_page(
        request,
        resident,
        form,
        "Record leaving",
        intro=f"The minimum stay for completion ends on {resident.minimum_stay_ends_on():%-d %B %Y}.",
        button="Continue",
    )


def _entry(request, pk, *, form_class, action, title, service, message):
    """A progress entry (review, vote, incident, risk, ACCT, decision) on a resident."""
    resident = selectors.resident_detail(request.user, pk)
    permissions.require(request.user, action, resident)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _save_or_show_errors(
            form, lambda: service(resident=resident, by=request.user, **form.cleaned_data)
        ):
            messages.success(request, message)
            return redirect("residents:detail", resident.pk)
    return _form_page(request, resident, form, title)


def review(request, pk):
    return _entry(
        request,
        pk,
        form_class=ReviewForm,
        action="write_clinical",
        title="Complete the therapy review",
        service=services.review_complete,
        message="Therapy review recorded. The next review is scheduled.",
    )


def vote(request, pk):
    return _entry(
        request,
        pk,
        form_class=VoteForm,
        action="record_attendance",
        title="Record a commitment vote",
        service=services.vote_record,
        message="Commitment vote recorded.",
    )


def incident(request, pk):
    return _entry(
        request,
        pk,
        form_class=IncidentForm,
        action="record_attendance",
        title="Record an incident or rule break",
        service=services.incident_record,
        message="Incident recorded.",
    )


def risk(request, pk):
    return _entry(
        request,
        pk,
        form_class=RiskForm,
        action="write_clinical",
        title="Record a risk assessment",
        service=services.risk_assess,
        message="Risk assessment recorded.",
    )


def acct_open(request, pk):
    return _entry(
        request,
        pk,
        form_class=AcctOpenForm,
        action="record_attendance",
        title="Open an ACCT",
        service=services.acct_open,
        message="ACCT opened.",
    )


def acct_close(request, pk):
    return _entry(
        request,
        pk,
        form_class=AcctCloseForm,
        action="record_attendance",
        title="Close the ACCT",
        service=services.acct_close,
        message="ACCT closed.",
    )


def decide(request, pk):
    return _entry(
        request,
        pk,
        form_class=DecisionForm,
        action="decide_therapy",
        title="Record a decision on therapy",
        service=services.decision_record,
        message="Decision recorded.",
    )


# Treatment plans --------------------------------------------------------------------


def plan_start(request, pk):
    resident = selectors.resident_detail(request.user, pk)
    permissions.require(request.user, "write_clinical", resident)
    latest = resident.plans.order_by("-version").first()
    initial = (
        {"expected_weekly_hours": latest.expected_weekly_hours, "formulation": latest.formulation}
        if latest
        else {}
    )
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        result = {}

        def save():
            result["plan"] = services.plan_start(
                resident=resident, by=request.user, **form.cleaned_data
            )

        if _save_or_show_errors(form, save):
            messages.success(request, f"Version {result['plan'].version} started as a draft.")
            return redirect("residents:plan", result["plan"].pk)
    title = "Start a new version of the plan" if latest else "Draft the treatment plan"
    return _form_page(request, resident, form, title, button="Start draft")


def plan(request, pk):
    plan = selectors.plan_detail(request.user, pk)
    resident = plan.resident
    services.access_log_record(resident=resident, page="plan", by=request.user)
    can_write = permissions.can(request.user, "write_clinical", resident)
    return render(
        request,
        "residents/plan.html",
        {
            "plan": plan,
            "resident": resident,
            "versions": selectors.plans_of(resident),
            "can_change": can_write and not plan.is_locked,
            "can_sign_off": not plan.is_locked
            and permissions.can(request.user, "sign_off", resident),
            "goal_form": GoalForm() if can_write and not plan.is_locked else None,
        },
    )


def plan_change(request, pk):
    plan = selectors.plan_detail(request.user, pk)
    permissions.require(request.user, "write_clinical", plan.resident)
    form = PlanForm(
        request.POST or None,
        initial={
            "expected_weekly_hours": plan.expected_weekly_hours,
            "review_on": plan.review_on,
            "formulation": plan.formulation,
        },
    )
    if request.method == "POST" and form.is_valid():
        if _save_or_show_errors(
            form, lambda: services.plan_change(plan=plan, by=request.user, **form.cleaned_data)
        ):
            messages.success(request, "Plan changed.")
            return redirect("residents:plan", plan.pk)
    return _form_page(request, plan.resident, form, f"Change version {plan.version}")


def goal_add(request, pk):
    plan = selectors.plan_detail(request.user, pk)
    permissions.require(request.user, "write_clinical", plan.resident)
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _save_or_show_errors(
            form, lambda: services.goal_add(plan=plan, by=request.user, **form.cleaned_data)
        ):
            messages.success(request, "Goal added.")
            return redirect("residents:plan", plan.pk)
    return _form_page(request, plan.resident, form, "Add a goal", button="Add goal")


def plan_sign_off(request, pk):
    plan = selectors.plan_detail(request.user, pk)
    permissions.require(request.user, "sign_off", plan.resident)
    if request.method == "POST":
        try:
            services.plan_sign_off(plan=plan, by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, f"Version {plan.version} signed off. It is now locked.")
        return redirect("residents:plan", plan.pk)
    return render(
        request,
        "residents/check.html",
        {
            "resident": plan.resident,
            "title": f"Sign off version {plan.version} of the treatment plan",
            "warning": "A signed-off plan is locked: any change starts a new version.",
            "answers": [
                ("Expected hours a week", plan.expected_weekly_hours),
                ("Review date", f"{plan.review_on:%-d %B %Y}"),
                ("Goals", len(plan.goals.all())),
            ],
            "button": "Sign off",
        },
    )


def plan_compare(request, pk):
    resident = selectors.resident_detail(request.user, pk)
    versions = list(selectors.plans_of(resident).prefetch_related("goals").order_by("-version"))
    by_pk = {v.pk: v for v in versions}
    left = by_pk.get(int_param(request.GET, "left"))
    right = by_pk.get(int_param(request.GET, "right"))
    if (left is None or right is None) and len(versions) >= 2:
        right, left = right or versions[0], left or versions[1]
    return render(
        request,
        "residents/plan_compare.html",
        {
            "resident": resident,
            "versions": versions,
            "left": left,
            "right": right,
            "rows": selectors.plan_comparison(left, right) if left and right else [],
        },
    )


# Groups and the register ------------------------------------------------------------


def session_list(request):
    _require_any_access(request.user)
    group_type = request.GET.get("type", "")
    if group_type not in Intervention.values:
        group_type = ""
    community_id = int_param(request.GET, "community")
    sessions = selectors.sessions_visible_to(
        request.user, community_id=community_id, group_type=group_type
    )
    page = Paginator(sessions, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "residents/session_list.html",
        {
            "page": page,
            "group_type": group_type,
            "group_types": Intervention.choices,
            "communities": permissions.communities(request.user).select_related("establishment"),
            "community_id": community_id,
            "recording_communities": permissions.communities(request.user, "record_attendance"),
        },
    )


def session_new(request, community_pk):
    community = permissions.get_visible_or_404(request.user, Community, pk=community_pk)
    permissions.require(request.user, "record_attendance", community)
    form = GroupSessionForm(request.POST or None, staff=selectors.community_staff(community))
    if request.method == "POST" and form.is_valid():
        result = {}

        def save():
            result["session"] = services.session_record(
                community=community, by=request.user, **form.cleaned_data
            )

        if _save_or_show_errors(form, save):
            messages.success(request, "Group recorded. Take the register now.")
            return redirect("residents:register", result["session"].pk)
    return render(
        request,
        "residents/form.html",
        {"form": form, "community": community, "title": "Record a group", "button": "Continue"},
    )


def register(request, pk):
    session = selectors.session_detail(request.user, pk)
    can_record = permissions.can(request.user, "record_attendance", session)
    saved = False
    error = ""
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        form = RegisterForm(request.POST, residents=selectors.register(request.user, session))
        form.is_valid()  # every field is optional: unmarked residents stay unmarked
        try:
            services.attendance_record(session=session, marks=form.marks(), by=request.user)
        except ValidationError as refusal:
            error = refusal.messages[0]
        else:
            saved = True
            if not request.htmx:
                messages.success(request, "Register saved.")
                return redirect("residents:register", session.pk)
    rows = selectors.register(request.user, session)
    context = {
        "session": session,
        "rows": rows,
        "statuses": AttendanceStatus.choices,
        "can_record": can_record,
        "saved": saved,
        "error": error,
    }
    if request.htmx:
        return render(request, "residents/register_form.html", context)
    return render(request, "residents/register.html", context)


# Clinical documents -----------------------------------------------------------------


def document_new(request, pk):
    resident = selectors.resident_detail(request.user, pk)
    permissions.require(request.user, "write_clinical", resident)
    form = DocumentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = {}

        def save():
            result["document"] = services.document_draft(
                resident=resident, by=request.user, **form.cleaned_data
            )

        if _save_or_show_errors(form, save):
            messages.success(request, "Draft saved.")
            return redirect("residents:document", result["document"].pk)
    return _form_page(request, resident, form, "Write a clinical document", button="Save draft")


def document(request, pk):
    document = selectors.document_detail(request.user, pk)
    resident = document.resident
    services.access_log_record(resident=resident, page="document", by=request.user)
    user = request.user
    is_author = document.author_id == user.pk
    can_sign_off = permissions.can(user, "sign_off", resident)
    status = document.status
    return render(
        request,
        "residents/document.html",
        {
            "document": document,
            "resident": resident,
            "amendments": selectors.amendments_of(document),
            "today": timezone.localdate(),
            "can_change": is_author and status == DocumentStatus.DRAFT,
            "can_submit": is_author and status == DocumentStatus.DRAFT,
            "can_countersign": status == DocumentStatus.SUBMITTED
            and not document.countersigned_by_id
            and services.may_countersign(user, document),
            "can_sign_off": can_sign_off and status == DocumentStatus.SUBMITTED,
            "can_return": can_sign_off and status == DocumentStatus.SUBMITTED,
            "can_amend": document.is_locked and permissions.can(user, "write_clinical", resident),
        },
    )


def document_change(request, pk):
    document = selectors.document_detail(request.user, pk)
    permissions.require(request.user, "write_clinical", document.resident)
    if document.author_id != request.user.pk:
        raise PermissionDenied
    form = DocumentChangeForm(
        request.POST or None,
        initial={"title": document.title, "body": document.body, "due_on": document.due_on},
    )
    if request.method == "POST" and form.is_valid():
        if _save_or_show_errors(
            form,
            lambda: services.document_change(
                document=document, by=request.user, **form.cleaned_data
            ),
        ):
            messages.success(request, "Draft saved.")
            return redirect("residents:document", document.pk)
    return _form_page(request, document.resident, form, f"Change “{document.title}”")


def _document_step(request, pk, service, done):
    document = selectors.document_detail(request.user, pk)
    try:
        service(document=document, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, done)
    return redirect("residents:document", document.pk)


@require_POST
def document_submit(request, pk):
    return _document_step(request, pk, services.document_submit, "Submitted for sign-off.")


@require_POST
def document_countersign(request, pk):
    return _document_step(request, pk, services.document_countersign, "Countersigned.")


def document_sign_off(request, pk):
    document = selectors.document_detail(request.user, pk)
    permissions.require(request.user, "sign_off", document.resident)
    if request.method == "POST":
        return _document_step(
            request, pk, services.document_sign_off, "Signed off. The document is now locked."
        )
    return render(
        request,
        "residents/check.html",
        {
            "resident": document.resident,
            "title": f"Sign off “{document.title}”",
            "warning": "A signed-off document is locked: later changes are amendments with a reason.",
            "answers": [
                ("Kind", document.get_kind_display()),
                ("Author", document.author),
                ("Countersigned by", document.countersigned_by or "Not needed"),
            ],
            "button": "Sign off",
        },
    )


def document_return(request, pk):
    document = selectors.document_detail(request.user, pk)
    permissions.require(request.user, "sign_off", document.resident)
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _save_or_show_errors(
            form,
            lambda: services.document_return(
                document=document, by=request.user, **form.cleaned_data
            ),
        ):
            messages.success(request, "Returned to the author as a draft.")
            return redirect("residents:document", document.pk)
    return _form_page(request, document.resident, form, "Return to the author", button="Return")


def document_amend(request, pk):
    document = selectors.document_detail(request.user, pk)
    permissions.require(request.user, "write_clinical", document.resident)
    amendments = list(selectors.amendments_of(document))
    form = AmendmentForm(
        request.POST or None,
        initial={"text": amendments[-1].text if amendments else document.body},
    )
    if request.method == "POST" and form.is_valid():
        if _save_or_show_errors(
            form,
            lambda: services.document_amend(
                document=document, by=request.user, **form.cleaned_data
            ),
        ):
            messages.success(request, "Amendment recorded. The signed-off original is kept.")
            return redirect("residents:document", document.pk)
    return _form_page(
        request,
        document.resident,
        form,
        f"Amend “{document.title}”",
        intro="The signed-off original is kept; the amendment records who, when and why.",
        button="Record amendment",
    )


def documents_overdue(request):
    _require_any_access(request.user)
    today = timezone.localdate()
    documents = selectors.documents_overdue(request.user, today=today)
    page = Paginator(documents, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "residents/documents_overdue.html", {"page": page, "today": today})
