"""The resident lists and the resident record: the page, timeline, access log, key
worker, phase, restriction and leaving."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from dtc import pages, permissions
from dtc.params import int_param, search_param

from .. import dosage, sections, selectors, services
from ..forms import (
    AllocationForm,
    LeavingForm,
    PhaseForm,
    RestrictForm,
)
from ..models import PHASE_TRANSITIONS, LeavingType, Phase, PlanStatus
from ..timeline import timeline as timeline_of
from ._pages import form_page
from .corrections import KINDS as CORRECTED

__all__ = [
    "access_log",
    "resident_allocate",
    "caseload",
    "detail",
    "resident_leave",
    "resident_phase_change",
    "resident_list",
    "resident_restrict",
    "timeline",
    "resident_unrestrict",
]


def resident_list(request, caseload=False):
    permissions.require_any(request.user)
    today = timezone.localdate()
    filters = {
        "community_id": int_param(request.GET, "community"),
        "phase": request.GET.get("phase", "") if request.GET.get("phase") in Phase.values else "",
        "small_group": int_param(request.GET, "small_group"),
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
    # Every version, newest first; the one in force is the newest signed off (as
    # selectors.current_plan reads it), found here rather than asked for again.
    plans = list(selectors.plans_of(resident).order_by("-version"))
    plan = next((p for p in plans if p.status == PlanStatus.SIGNED_OFF), None)
    user = request.user
    return render(
        request,
        "residents/detail.html",
        {
            "resident": resident,
            "today": today,
            "plan": plan,
            "plans": plans,
            "sections": sections.for_resident(request, resident),
            "dosage": dosage.dosage(resident, today=today, plan=plan),
            "documents": selectors.resident_documents(resident),
            # Entries entered in error or replaced by a correction are on the timeline.
            "reviews": resident.reviews.in_effect().select_related("recorded_by"),
            "incidents": resident.incidents.in_effect(),
            "risks": resident.risks.in_effect().select_related("assessed_by"),
            "acct_periods": resident.acct_periods.in_effect(),
            "decisions": resident.decisions.in_effect().select_related("decided_by"),
            "can_correct": {
                kind: permissions.may_correct(user, model(resident=resident))
                for kind, (model, _form, _what) in CORRECTED.items()
            },
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
        {"resident": resident, "entries": timeline_of(resident)},
    )


def access_log(request, pk):
    resident = selectors.resident_detail(request.user, pk)
    permissions.require(request.user, "view_access_log", resident)
    page = Paginator(selectors.access_log(resident), 50).get_page(request.GET.get("page"))
    return render(request, "residents/access_log.html", {"resident": resident, "page": page})


def resident_allocate(request, pk):
    resident = selectors.resident_detail(request.user, pk)
    permissions.require(request.user, "decide_therapy", resident)
    current = selectors.small_group_of(resident)
    form = AllocationForm(
        request.POST or None,
        staff=selectors.community_staff(resident.community),
        small_groups=selectors.small_groups(request.user, community=resident.community),
        initial={"key_worker": resident.key_worker_id, "small_group": current},
    )
    if pages.submit(
        form, lambda data: services.resident_allocate(resident=resident, by=request.user, **data)
    ):
        messages.success(request, "Key worker and small group saved.")
        return redirect("residents:detail", resident.pk)
    return form_page(request, resident, form, "Key worker and small group")


def resident_phase_change(request, pk):
    resident = selectors.resident_detail(request.user, pk)
    permissions.require(request.user, "decide_therapy", resident)
    choices = [(p.value, p.label) for p in Phase if p in PHASE_TRANSITIONS[resident.phase]]
    form = PhaseForm(request.POST or None, phases=choices)
    if pages.submit(
        form,
        lambda data: services.resident_phase_change(resident=resident, by=request.user, **data),
    ):
        messages.success(request, "Phase changed.")
        return redirect("residents:detail", resident.pk)
    return form_page(request, resident, form, "Change the phase of therapy")


def resident_restrict(request, pk):
    resident = selectors.resident_detail(request.user, pk)
    permissions.require(request.user, "restrict_resident", resident)
    staff = selectors.access_list_candidates(resident.community).exclude(pk=request.user.pk)
    form = RestrictForm(
        request.POST or None,
        staff=staff,
        initial={"staff": list(resident.access_list.values_list("user_id", flat=True))},
    )
    if pages.submit(
        form, lambda data: services.resident_restrict(resident=resident, by=request.user, **data)
    ):
        messages.success(request, "The record is restricted to the staff you named.")
        return redirect("residents:detail", resident.pk)
    return form_page(
        request,
        resident,
        form,
        "Restrict this record",
        intro="Only the staff you name will see this resident, in any list or count.",
    )


@require_POST
def resident_unrestrict(request, pk):
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


def resident_leave(request, pk):
    resident = selectors.resident_detail(request.user, pk)
    permissions.require(request.user, "decide_therapy", resident)
    # A leaving type proposed by the page that sends the user here (?leaving_type=, a
    # ratified vote-out proposes voted_out); the user still chooses.
    proposed = request.GET.get("leaving_type", "")
    initial = {"leaving_type": proposed} if proposed in LeavingType.values else {}
    form = LeavingForm(request.POST or None, initial=initial)
    if pages.unconfirmed(form):
        return pages.check_answers(
            request,
            form=form,
            title="Record leaving",
            button="Record leaving",
            warning="Leaving closes the record and frees the bed. It cannot be undone.",
            template="residents/check.html",
            resident=resident,
        )
    if pages.submit(
        form, lambda data: services.resident_leave(resident=resident, by=request.user, **data)
    ):
        messages.success(request, f"{resident} has left the community. The bed is free.")
        return redirect("residents:detail", resident.pk)
    return form_page(
        request,
        resident,
        form,
        "Record leaving",
        intro=f"The minimum stay for completion ends on {resident.minimum_stay_ends_on():%-d %B %Y}.",
        button="Continue",
    )
