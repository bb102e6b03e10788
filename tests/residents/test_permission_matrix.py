"""The residents permission matrix: who may see and do what with a resident's record.

The residents: one in community A, open to the team, and one in A restricted to tm_a
and clinician_a. hop is Head of Psychotherapy over A and B; tm_b runs community B.
Expectations are written out by hand, not derived from the code."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from dtc import permissions
from residents import services
from residents.models import DocumentStatus, Resident, ResidentAccess
from tests.factories import ResidentFactory
from tests.residents.factories import (
    ClinicalDocumentFactory,
    GroupSessionFactory,
    PlanGoalFactory,
    TreatmentPlanFactory,
)

TM, CLIN, OFF, TRN, HOP, AUD, OTHER_TM = (
    "tm",
    "clinician",
    "officer",
    "trainee",
    "hop",
    "auditor",
    "other_tm",
)
CHARACTERS = [TM, CLIN, OFF, TRN, HOP, AUD, OTHER_TM]


def user_of(cast, character):
    return {
        TM: cast.tm_a,
        CLIN: cast.clinician_a,
        OFF: cast.officer_a,
        TRN: cast.trainee_a,
        HOP: cast.hop,
        AUD: cast.auditor_a,
        OTHER_TM: cast.tm_b,
    }[character]


@pytest.fixture
def resident(cast):
    return ResidentFactory(community=cast.a, prison_number="A1111AA")


@pytest.fixture
def restricted(cast):
    resident = ResidentFactory(community=cast.a, prison_number="B2222BB", is_restricted=True)
    for user in (cast.tm_a, cast.clinician_a):
        ResidentAccess.objects.create(resident=resident, user=user, granted_by=cast.tm_a)
    return resident


@pytest.fixture
def plan(resident, cast):
    plan = TreatmentPlanFactory(resident=resident, created_by=cast.clinician_a)
    PlanGoalFactory(plan=plan)
    return plan


@pytest.fixture
def document(resident, cast):
    return ClinicalDocumentFactory(
        resident=resident, author=cast.clinician_a, status=DocumentStatus.SUBMITTED
    )


@pytest.fixture
def session(cast):
    return GroupSessionFactory(community=cast.a, recorded_by=cast.tm_a)


ALL = {TM: 200, CLIN: 200, OFF: 200, TRN: 200, HOP: 200, AUD: 403, OTHER_TM: 200}
SEE = {TM: 200, CLIN: 200, OFF: 200, TRN: 200, HOP: 200, AUD: 404, OTHER_TM: 404}
DECIDE = {TM: 200, CLIN: 403, OFF: 403, TRN: 403, HOP: 200, AUD: 404, OTHER_TM: 404}
SIGN_OFF = DECIDE
LOG = DECIDE
RESTRICT = {TM: 200, CLIN: 403, OFF: 403, TRN: 403, HOP: 403, AUD: 404, OTHER_TM: 404}
WRITE = {TM: 200, CLIN: 200, OFF: 403, TRN: 200, HOP: 403, AUD: 404, OTHER_TM: 404}
RECORD = {TM: 200, CLIN: 200, OFF: 200, TRN: 200, HOP: 403, AUD: 404, OTHER_TM: 404}
RECORD_POST = {TM: 302, CLIN: 302, OFF: 302, TRN: 302, HOP: 403, AUD: 404, OTHER_TM: 404}
# The old address of a commitment vote leads to the community's motion page (302).
VOTE = {TM: 302, CLIN: 302, OFF: 302, TRN: 403, HOP: 403, AUD: 404, OTHER_TM: 404}
RESTRICTED_SEE = {TM: 200, CLIN: 200, OFF: 404, TRN: 404, HOP: 404, AUD: 404, OTHER_TM: 404}

# Views: (URL name, what the URL needs, method, {character: status}).
VIEWS = [
    ("resident_list", None, "get", ALL),
    ("caseload", None, "get", ALL),
    ("session_list", None, "get", ALL),
    ("documents_overdue", None, "get", ALL),
    ("detail", "resident", "get", SEE),
    ("timeline", "resident", "get", SEE),
    ("plan_compare", "resident", "get", SEE),
    ("access_log", "resident", "get", LOG),
    ("resident_allocate", "resident", "get", DECIDE),
    ("resident_phase_change", "resident", "get", DECIDE),
    ("resident_leave", "resident", "get", DECIDE),
    ("decision_record", "resident", "get", DECIDE),
    ("resident_restrict", "resident", "get", RESTRICT),
    ("review_complete", "resident", "get", WRITE),
    ("risk_assess", "resident", "get", WRITE),
    ("plan_start", "resident", "get", WRITE),
    ("document_draft", "resident", "get", WRITE),
    ("vote_record", "resident", "get", VOTE),
    ("incident_record", "resident", "get", RECORD),
    ("acct_open", "resident", "get", RECORD),
    ("plan", "plan", "get", SEE),
    ("goal_add", "plan", "get", WRITE),
    ("plan_change", "plan", "get", WRITE),
    ("plan_sign_off", "plan", "get", SIGN_OFF),
    ("document", "document", "get", SEE),
    ("document_sign_off", "document", "get", SIGN_OFF),
    ("document_return", "document", "get", SIGN_OFF),
    ("session_record", "community", "get", RECORD),
    ("attendance_record", "session", "get", SEE),
    ("attendance_record", "session", "post", RECORD_POST),
    # The restricted resident and every page under them: named staff only.
    ("detail", "restricted", "get", RESTRICTED_SEE),
    ("timeline", "restricted", "get", RESTRICTED_SEE),
    ("plan_compare", "restricted", "get", RESTRICTED_SEE),
]


@pytest.mark.parametrize(
    ("url_name", "target", "method", "expected"), VIEWS, ids=lambda v: str(v)[:20]
)
@pytest.mark.parametrize("character", CHARACTERS)
def test_views(
    client,
    cast,
    resident,
    restricted,
    plan,
    document,
    session,
    character,
    url_name,
    target,
    method,
    expected,
):
    args = {
        None: [],
        "resident": [resident.pk],
        "restricted": [restricted.pk],
        "plan": [plan.pk],
        "document": [document.pk],
        "community": [cast.a.pk],
        "session": [session.pk],
    }[target]
    client.force_login(user_of(cast, character))
    url = reverse(f"residents:{url_name}", args=args)
    if method == "post":
        response = client.post(url, {f"resident-{resident.pk}": "present"})
    else:
        response = client.get(url)
    assert response.status_code == expected[character]


# Who sees each resident in lists and counts.
LISTS_RESIDENT = {
    TM: True,
    CLIN: True,
    OFF: True,
    TRN: True,
    HOP: True,
    AUD: False,
    OTHER_TM: False,
}
LISTS_RESTRICTED = {
    TM: True,
    CLIN: True,
    OFF: False,
    TRN: False,
    HOP: False,
    AUD: False,
    OTHER_TM: False,
}


@pytest.mark.parametrize("character", CHARACTERS)
def test_lists_hold_only_residents_the_user_may_see(cast, resident, restricted, character):
    visible = permissions.visible(user_of(cast, character), Resident)
    assert visible.filter(pk=resident.pk).exists() is LISTS_RESIDENT[character]
    assert visible.filter(pk=restricted.pk).exists() is LISTS_RESTRICTED[character]


@pytest.mark.parametrize("character", [OFF, TRN, HOP])
def test_restricted_resident_is_not_in_the_list_page_or_its_count(
    client, cast, resident, restricted, character
):
    client.force_login(user_of(cast, character))
    response = client.get(reverse("residents:resident_list"))
    assert restricted.prison_number not in response.content.decode()
    assert list(response.context["page"].object_list) == [resident]


# Services: who may do each action on the unrestricted resident of community A.
def _sign_off_plan(cast, resident, by):
    plan = TreatmentPlanFactory(resident=resident, created_by=cast.tm_a)
    PlanGoalFactory(plan=plan)
    return services.plan_sign_off(plan=plan, by=by)


def _sign_off_document(cast, resident, by):
    document = ClinicalDocumentFactory(
        resident=resident, author=cast.clinician_a, status=DocumentStatus.SUBMITTED
    )
    return services.document_sign_off(document=document, by=by)


def _leave(cast, resident, by):
    return services.resident_leave(
        resident=resident,
        leaving_type="self_deselected",
        left_on=date.today(),
        reason="",
        by=by,
    )


def _restrict(cast, resident, by):
    return services.resident_restrict(
        resident=resident, staff=[], reason="Staff member's relative", by=by
    )


def _draft(cast, resident, by):
    return services.document_draft(
        resident=resident, kind="case_note", title="Note", body="Text", due_on=None, by=by
    )


def _decide(cast, resident, by):
    return services.decision_record(
        resident=resident,
        kind="continuation",
        decided_on=date.today(),
        rationale="Engaging well in small group",
        by=by,
    )


def _incident(cast, resident, by):
    return services.incident_record(
        resident=resident,
        occurred_on=date.today() - timedelta(days=1),
        kind="rule_break",
        seriousness="low",
        description="Late to community meeting",
        by=by,
    )


SERVICES = [
    ("plan_sign_off", _sign_off_plan, {TM, HOP}),
    ("document_sign_off", _sign_off_document, {TM, HOP}),
    ("resident_leave", _leave, {TM, HOP}),
    ("decision_record", _decide, {TM, HOP}),
    ("resident_restrict", _restrict, {TM}),
    ("document_draft", _draft, {TM, CLIN, TRN}),
    ("incident_record", _incident, {TM, CLIN, OFF, TRN}),
]


@pytest.mark.parametrize(("name", "act", "allowed"), SERVICES, ids=[s[0] for s in SERVICES])
@pytest.mark.parametrize("character", CHARACTERS)
def test_services(cast, resident, character, name, act, allowed):
    user = user_of(cast, character)
    if character in allowed:
        assert act(cast, resident, user).pk
    else:
        with pytest.raises(PermissionDenied):
            act(cast, resident, user)


@pytest.mark.parametrize("character", [OFF, TRN, HOP])
def test_staff_not_named_cannot_act_on_a_restricted_resident(cast, restricted, character):
    # Hidden, not refused: a 403 would tell that the record exists.
    with pytest.raises(Http404):
        _incident(cast, restricted, user_of(cast, character))


def test_signed_out_users_are_sent_to_sign_in(client, resident):
    response = client.get(reverse("residents:detail", args=[resident.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
