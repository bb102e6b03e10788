from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from dtc import correction_pages, corrections, pages, permissions, versions
from dtc.home import Card
from dtc.models import Community
from dtc.paging import CappedPaginator
from dtc.params import int_param, search_param

from . import selectors, services
from .forms import ActionForm, ObservationForm, RequirementForm, SessionForm, TraineeTargetForm
from .models import SUPERVISED_ROLES, AgreedAction, SessionType


def session_list(request):
    # Everyone but auditors has supervision; a user with no community at all is refused.
    permissions.require_any(request.user)
    session_type = request.GET.get("type", "")
    if session_type not in SessionType.values:
        session_type = ""
    query = search_param(request.GET)
    communities = permissions.communities(request.user).select_related("establishment")
    community_id = int_param(request.GET, "community")
    sessions = selectors.sessions_visible_to(
        request.user, session_type=session_type, community_id=community_id, query=query
    )
    page = CappedPaginator(sessions, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/session_list.html",
        {
            "page": page,
            "query": query,
            "session_type": session_type,
            "session_types": SessionType.choices,
            "communities": communities,
            "community_id": community_id,
            "can_record": permissions.holds_any(request.user, "supervise_team"),
            "can_see_compliance": permissions.holds_any(request.user, "supervise_team"),
        },
    )


def detail(request, pk):
    session = selectors.session_detail(request.user, pk)
    can_manage = permissions.may_manage_agreed_actions(request.user, session)
    return _session_page(request, session, ActionForm(session=session) if can_manage else None)


def _session_page(request, session, action_form):
    """The session and its agreed actions, each with its Mark as done link where the user
    may complete it; `action_form` (None for those who may not add actions) as it stands."""
    actions = list(selectors.session_actions(session))
    for action in actions:
        action.can_complete = not action.is_done and permissions.may_complete_agreed_action(
            request.user, action
        )
    return render(
        request,
        "supervision/session_detail.html",
        {
            "session": session,
            "can_correct": permissions.may_correct(request.user, session),
            "correction": corrections.correction_of(session),
            "actions": actions,
            "action_form": action_form,
            "today": timezone.localdate(),
        },
    )


# Correcting a session (dtc.correction_pages); `kind` is "session", the one kind here.


def _session_to_correct(request, kind, pk):
    if kind != "session":
        raise Http404
    session = selectors.session_detail(request.user, pk)
    page = {
        "caption": session.community.name,
        "back": reverse("supervision:detail", args=[session.pk]),
        "what": "the supervision session",
    }
    return session, page


def _session_form(form_class, data, initial, *, session):
    # The supervisor was chosen from those who could lead it when it was recorded.
    form = form_class(
        data, initial=initial, community=session.community, recorder=session.recorded_by
    )
    if session.session_type == SessionType.OBSERVATION:
        # An observation stays an observation: the form offers the other types only.
        del form.fields["session_type"]
    return form


def record_amend(request, kind, pk):
    session, page = _session_to_correct(request, kind, pk)
    return correction_pages.amend(
        request,
        record=session,
        form_class=SessionForm,
        make_form=lambda *args: _session_form(*args, session=session),
        **page,
    )


def record_entered_in_error(request, kind, pk):
    session, page = _session_to_correct(request, kind, pk)
    return correction_pages.entered_in_error(
        request, record=session, form_class=SessionForm, **page
    )


def new(request):
    """Choose the community to record in, when the user supervises more than one."""
    permissions.require_any(request.user, "supervise_team")
    communities = permissions.communities(request.user, "supervise_team").select_related(
        "establishment"
    )
    kind = "observation_record" if request.GET.get("kind") == "observation" else "session_record"
    if len(communities) == 1:
        return redirect(f"supervision:{kind}", communities[0].pk)
    return render(request, "supervision/new.html", {"communities": communities, "kind": kind})


def _record(request, community_pk, form_class, record, title):
    """The form, check-your-answers and confirm steps shared by sessions and observations:
    `record(community=…, by=…, **answers)` writes the session and returns it."""
    community = permissions.get_visible_or_404(request.user, Community, pk=community_pk)
    permissions.require(request.user, "supervise_team", community)
    form = form_class(request.POST or None, community=community, recorder=request.user)
    if pages.unconfirmed(form):
        return pages.check_answers(
            request,
            form=form,
            title=title,
            button="Record session",
            caption=community.name,
            intro=f"{title}. A recorded session cannot be removed, so check it before you record it.",
            cancel=reverse("supervision:session_list"),
        )
    if session := pages.submit(
        form, lambda data: record(community=community, by=request.user, **data)
    ):
        messages.success(request, "Supervision session recorded.")
        return redirect("supervision:detail", session.pk)
    return render(
        request,
        "form_page.html",
        {"form": form, "caption": community.name, "title": title, "button": "Continue"},
    )


def session_record(request, community_pk):
    return _record(
        request, community_pk, SessionForm, services.session_record, "Record a supervision session"
    )


def observation_record(request, community_pk):
    return _record(
        request,
        community_pk,
        ObservationForm,
        lambda **details: services.observation_record(**details).session,
        "Record an observation of practice",
    )


@require_POST
def action_add(request, pk):
    session = selectors.session_detail(request.user, pk)
    if not permissions.may_manage_agreed_actions(request.user, session):
        raise PermissionDenied
    form = ActionForm(request.POST, session=session)
    if pages.submit(
        form, lambda data: services.action_add(session=session, by=request.user, **data)
    ):
        messages.success(request, "Action added.")
        return redirect("supervision:detail", session.pk)
    return _session_page(request, session, form)


def action_complete(request, pk):
    action = get_object_or_404(AgreedAction.objects.select_related("session", "owner"), pk=pk)
    # The action is as confidential as its session: out of sight means 404.
    selectors.session_detail(request.user, action.session_id)
    if not permissions.may_complete_agreed_action(request.user, action):
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.action_complete(action=action, by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, "Action marked as done.")
        return redirect("supervision:detail", action.session_id)
    return render(request, "supervision/action_complete.html", {"action": action})


def compliance(request):
    permissions.require_any(request.user, "supervise_team")
    today = timezone.localdate()
    teams = selectors.teams_compliance(request.user, today=today)
    is_head = permissions.is_head_of_psychotherapy(request.user)
    return render(
        request,
        "supervision/compliance.html",
        {
            "teams": teams,
            "managers": selectors.therapy_managers_compliance(teams) if is_head else None,
            "today": today,
            "window_start": today - timezone.timedelta(days=selectors.WINDOW_DAYS - 1),
        },
    )


def record(request, pk):
    person = selectors.staff_record_person(request.user, pk)
    today = timezone.localdate()
    oversees = permissions.in_line_of_supervision(request.user, person, SUPERVISED_ROLES)
    progress = selectors.trainee_progress(person)
    is_trainee = permissions.is_trainee(person)
    sessions = selectors.sessions_as_supervisee(request.user, person)
    page = Paginator(sessions, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/record.html",
        {
            "person": person,
            "compliance": selectors.staff_compliance([person], today=today)[person.pk],
            "page": page,
            "actions": selectors.open_actions_of(person),
            "progress": progress,
            "is_trainee": is_trainee,
            "oversees": oversees,
            "today": today,
        },
    )


def _person_and_community(request, pk):
    """A person the user oversees and the community where they do so."""
    person = selectors.staff_record_person(request.user, pk)
    assignment = (
        permissions.supervised_staff(request.user, SUPERVISED_ROLES)
        .filter(user=person)
        .select_related("community")
        .first()
    )
    if assignment is None:
        raise PermissionDenied
    return person, assignment.community


def requirement_set(request, pk):
    person, _community = _person_and_community(request, pk)
    form = RequirementForm(request.POST or None)
    if pages.submit(
        form, lambda data: services.requirement_set(person=person, by=request.user, **data)
    ):
        messages.success(request, f"Supervision requirement for {person} changed.")
        return redirect("supervision:record", person.pk)
    return _person_form_page(request, person, form, "Change the supervision requirement")


def trainee_target_set(request, pk):
    person, community = _person_and_community(request, pk)
    if not permissions.is_trainee(person):
        raise PermissionDenied
    target = selectors.trainee_progress(person)
    initial = (
        {
            "target_hours": target.target.target_hours,
            "designated_supervisor": target.target.designated_supervisor_id,
        }
        if target
        else {}
    )
    form = TraineeTargetForm(
        request.POST or None, initial=initial, community=community, recorder=request.user
    )
    if pages.submit(
        form, lambda data: services.trainee_target_set(trainee=person, by=request.user, **data)
    ):
        messages.success(request, f"Supervised hours target for {person} saved.")
        return redirect("supervision:record", person.pk)
    return _person_form_page(request, person, form, "Set the supervised hours target")


def _person_form_page(request, person, form, title):
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": title,
            "caption": person,
            "cancel": reverse("supervision:record", args=[person.pk]),
        },
    )


def home_card(request):
    """The home page's card: the compliance of each team the user supervises."""
    ids = permissions.community_ids(request.user, "supervise_team")
    if not ids:
        return None
    today = timezone.localdate()
    # Rendered once and cached until a session, requirement or role in one of the teams
    # changes: the Head of Psychotherapy's card covers every member of staff in the cluster.
    teams = versions.cached(
        "supervision-teams-html",  # not "supervision-teams", which held a list of figures
        ids,
        lambda: render_to_string(
            "supervision/includes/home_teams.html",
            {"teams": selectors.teams_compliance(request.user, today=today)},
        ),
        today,
    )
    return Card("supervision/home_cards.html", {"teams": teams}) if teams.strip() else None
