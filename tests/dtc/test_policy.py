"""The policy's predicates, asked directly of the cast (see tests/conftest.py): who holds
an action anywhere, the Head of Psychotherapy, the 404-or-403 answer for a record read
by its id, trainees, countersignatures and the line of supervision."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from dtc import permissions, services
from dtc.models import Role
from residents.models import ResidentAccess
from supervision.models import SUPERVISED_ROLES
from tests import factories
from tests.residents.factories import ClinicalDocumentFactory
from tests.supervision.factories import AgreedActionFactory, SupervisionSessionFactory

# Holding an action in any community ----------------------------------------------------


@pytest.mark.parametrize(
    ("name", "action", "held"),
    [
        ("clinician_a", "access_community", True),
        ("auditor_a", "access_community", False),
        ("auditor_a", "view_audit", True),
        ("officer_a", "supervise_team", False),
        ("tm_b", "supervise_team", True),
        ("hop", "supervise_team", True),
        ("nobody", "access_community", False),
        ("nobody", "view_audit", False),
    ],
)
def test_holds_any_is_true_where_one_community_grants_the_action(cast, name, action, held):
    assert permissions.holds_any(getattr(cast, name), action) is held


def test_holds_any_asks_for_access_by_default(cast):
    assert permissions.holds_any(cast.officer_a)
    assert not permissions.holds_any(cast.auditor_a)


def test_a_deactivated_account_holds_nothing(cast):
    cast.clinician_a.is_active = False
    assert not permissions.holds_any(cast.clinician_a)


def test_holds_any_refuses_an_unknown_action(cast):
    with pytest.raises(ValueError):
        permissions.holds_any(cast.tm_a, "delete_everything")


def test_require_any_lets_through_who_holds_the_action_somewhere(cast):
    permissions.require_any(cast.trainee_a)
    permissions.require_any(cast.auditor_a, "view_audit")
    permissions.require_any(cast.tm_b, "override_criteria")


@pytest.mark.parametrize(
    ("name", "action"),
    [
        ("auditor_a", "access_community"),  # auditors never see identifiable records
        ("clinician_a", "view_audit"),
        ("officer_a", "supervise_team"),
        ("nobody", "access_community"),
    ],
)
def test_require_any_refuses_who_holds_the_action_nowhere(cast, name, action):
    with pytest.raises(PermissionDenied):
        permissions.require_any(getattr(cast, name), action)


# The Head of Psychotherapy -------------------------------------------------------------


def test_require_head_of_psychotherapy_lets_the_hop_through(cast):
    permissions.require_head_of_psychotherapy(cast.hop)


@pytest.mark.parametrize("name", ["tm_a", "clinician_a", "auditor_a", "nobody"])
def test_require_head_of_psychotherapy_refuses_every_other_role(cast, name):
    with pytest.raises(PermissionDenied):
        permissions.require_head_of_psychotherapy(getattr(cast, name))


def test_require_head_of_psychotherapy_refuses_someone_signed_out(db):
    with pytest.raises(PermissionDenied):
        permissions.require_head_of_psychotherapy(AnonymousUser())


# A record read by its id: 404 out of scope, 403 in scope without the action --------------


@pytest.mark.parametrize(
    ("name", "community", "answer"),
    [
        ("auditor_a", "a", None),
        ("tm_a", "a", None),
        ("hop", "b", None),
        # Staff of the community, in a role without audit: it exists for them.
        ("clinician_a", "a", PermissionDenied),
        ("officer_a", "a", PermissionDenied),
        # Outside every community of theirs: as if it did not exist.
        ("clinician_a", "b", Http404),
        ("auditor_a", "b", Http404),
        ("hop", "c", Http404),
        ("nobody", "a", Http404),
    ],
)
def test_require_in_scope_answers_404_outside_and_403_inside(cast, name, community, answer):
    user, community = getattr(cast, name), getattr(cast, community)
    if answer is None:
        permissions.require_in_scope(user, "view_audit", community)
    else:
        with pytest.raises(answer):
            permissions.require_in_scope(user, "view_audit", community)


def test_require_in_scope_hides_a_restricted_person_from_staff_not_named(cast):
    resident = factories.ResidentFactory(community=cast.a, is_restricted=True)
    ResidentAccess.objects.create(resident=resident, user=cast.tm_a, granted_by=cast.tm_a)
    permissions.require_in_scope(cast.tm_a, "write_clinical", resident)
    with pytest.raises(Http404):
        permissions.require_in_scope(cast.clinician_a, "write_clinical", resident)


# Trainees ------------------------------------------------------------------------------


def test_is_trainee_is_true_of_a_trainee(cast):
    assert permissions.is_trainee(cast.trainee_a)


@pytest.mark.parametrize("name", ["clinician_a", "tm_a", "hop", "auditor_a", "nobody"])
def test_is_trainee_is_false_of_everyone_else(cast, name):
    assert not permissions.is_trainee(getattr(cast, name))


def test_is_trainee_counts_a_trainee_role_in_any_community(cast):
    # A trainee in B who is qualified in A is still working toward registration.
    services.role_assign(user=cast.clinician_a, role=Role.TRAINEE, scope=cast.b)
    assert permissions.is_trainee(cast.clinician_a)


def test_is_trainee_is_false_of_someone_signed_out(db):
    assert not permissions.is_trainee(AnonymousUser())


def test_is_trainee_here_in_the_trainees_own_community(cast):
    assert permissions.is_trainee_here(cast.trainee_a, cast.a)


def test_is_trainee_here_is_false_in_another_community(cast):
    assert not permissions.is_trainee_here(cast.trainee_a, cast.b)


@pytest.mark.parametrize("name", ["clinician_a", "tm_a", "officer_a", "hop", "nobody"])
def test_is_trainee_here_is_false_of_other_roles(cast, name):
    assert not permissions.is_trainee_here(getattr(cast, name), cast.a)


def test_a_trainee_also_a_clinician_in_the_community_is_not_a_trainee_there(cast):
    services.role_assign(user=cast.trainee_a, role=Role.CLINICIAN, scope=cast.a)
    assert not permissions.is_trainee_here(cast.trainee_a, cast.a)


def test_a_trainee_qualified_in_another_community_is_still_a_trainee_here(cast):
    services.role_assign(user=cast.trainee_a, role=Role.CLINICIAN, scope=cast.b)
    assert permissions.is_trainee_here(cast.trainee_a, cast.a)
    assert not permissions.is_trainee_here(cast.trainee_a, cast.b)


def test_is_trainee_here_reads_the_community_of_a_record(cast):
    resident = factories.ResidentFactory(community=cast.a)
    assert permissions.is_trainee_here(cast.trainee_a, resident)
    assert not permissions.is_trainee_here(cast.clinician_a, resident)


# Countersignature ----------------------------------------------------------------------


@pytest.fixture
def trainees_document(cast):
    return ClinicalDocumentFactory(
        resident=factories.ResidentFactory(community=cast.a),
        author=cast.trainee_a,
        needs_countersignature=True,
    )


@pytest.mark.parametrize("name", ["clinician_a", "tm_a"])
def test_a_qualified_member_of_the_team_may_countersign(cast, trainees_document, name):
    assert permissions.may_countersign(getattr(cast, name), trainees_document)


@pytest.mark.parametrize(
    "name",
    [
        "trainee_a",  # the author
        "clinician_b",  # another community
        "officer_a",  # writes no clinical documents
        "hop",  # signs off, does not countersign
        "auditor_a",
        "nobody",
    ],
)
def test_others_may_not_countersign(cast, trainees_document, name):
    assert not permissions.may_countersign(getattr(cast, name), trainees_document)


def test_only_the_author_changes_a_draft(cast, trainees_document):
    assert permissions.may_change_draft(cast.trainee_a, trainees_document)
    permissions.require_author(cast.trainee_a, trainees_document)
    for name in ("clinician_a", "tm_a", "hop"):
        assert not permissions.may_change_draft(getattr(cast, name), trainees_document)
        with pytest.raises(PermissionDenied):
            permissions.require_author(getattr(cast, name), trainees_document)


def test_an_author_who_no_longer_writes_there_cannot_change_the_draft(cast, trainees_document):
    services.role_end(assignment=cast.trainee_a.role_assignments.get(), by=cast.tm_a)
    permissions.forget(cast.trainee_a)
    assert not permissions.may_change_draft(cast.trainee_a, trainees_document)
    with pytest.raises(PermissionDenied):
        permissions.require_author(cast.trainee_a, trainees_document)


def test_another_trainee_may_not_countersign(cast, trainees_document):
    other_trainee = factories.staff("trainee_a2", Role.TRAINEE, cast.a)
    assert not permissions.may_countersign(other_trainee, trainees_document)


def test_a_trainee_qualified_elsewhere_may_not_countersign_here(cast, trainees_document):
    other_trainee = factories.staff("trainee_a2", Role.TRAINEE, cast.a)
    services.role_assign(user=other_trainee, role=Role.CLINICIAN, scope=cast.b)
    assert not permissions.may_countersign(other_trainee, trainees_document)


def test_the_author_may_not_countersign_even_when_qualified(cast):
    document = ClinicalDocumentFactory(
        resident=factories.ResidentFactory(community=cast.a),
        author=cast.clinician_a,
        needs_countersignature=True,
    )
    assert not permissions.may_countersign(cast.clinician_a, document)
    assert permissions.may_countersign(cast.tm_a, document)


def test_a_document_that_needs_no_countersignature_is_not_countersigned(cast):
    document = ClinicalDocumentFactory(
        resident=factories.ResidentFactory(community=cast.a), author=cast.clinician_a
    )
    assert not permissions.may_countersign(cast.tm_a, document)


def test_a_restricted_persons_document_is_countersigned_only_by_named_staff(cast):
    resident = factories.ResidentFactory(community=cast.a, is_restricted=True)
    ResidentAccess.objects.create(resident=resident, user=cast.tm_a, granted_by=cast.tm_a)
    document = ClinicalDocumentFactory(
        resident=resident, author=cast.trainee_a, needs_countersignature=True
    )
    assert permissions.may_countersign(cast.tm_a, document)
    assert not permissions.may_countersign(cast.clinician_a, document)


# Agreed actions of a supervision session -----------------------------------------------


@pytest.fixture
def session(cast):
    return SupervisionSessionFactory(
        community=cast.a,
        supervisor=cast.clinician_a,
        supervisees=[cast.trainee_a],
        recorded_by=cast.tm_a,
    )


@pytest.mark.parametrize("name", ["clinician_a", "tm_a", "hop"])
def test_the_supervisor_and_the_line_of_supervision_manage_actions(cast, session, name):
    assert permissions.may_manage_agreed_actions(getattr(cast, name), session)


@pytest.mark.parametrize("name", ["trainee_a", "officer_a", "tm_b", "auditor_a", "nobody"])
def test_supervisees_and_others_do_not_manage_actions(cast, session, name):
    assert not permissions.may_manage_agreed_actions(getattr(cast, name), session)


@pytest.mark.parametrize("name", ["trainee_a", "clinician_a", "tm_a", "hop"])
def test_the_owner_and_who_manages_actions_complete_an_action(cast, session, name):
    action = AgreedActionFactory(session=session, owner=cast.trainee_a)
    assert permissions.may_complete_agreed_action(getattr(cast, name), action)


@pytest.mark.parametrize("name", ["officer_a", "tm_b", "clinician_b", "nobody"])
def test_no_one_else_completes_an_action(cast, session, name):
    action = AgreedActionFactory(session=session, owner=cast.trainee_a)
    assert not permissions.may_complete_agreed_action(getattr(cast, name), action)


# The line of supervision ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "person"),
    [
        ("tm_a", "clinician_a"),
        ("tm_a", "officer_a"),
        ("tm_a", "trainee_a"),
        ("tm_b", "clinician_b"),
        ("hop", "tm_a"),
        ("hop", "tm_b"),
        ("hop", "clinician_b"),
    ],
)
def test_the_line_of_supervision_oversees_the_team(cast, name, person):
    assert permissions.in_line_of_supervision(
        getattr(cast, name), getattr(cast, person), SUPERVISED_ROLES
    )


@pytest.mark.parametrize(
    ("name", "person"),
    [
        ("tm_a", "tm_a"),  # not oneself
        ("hop", "hop"),
        ("tm_a", "auditor_a"),  # auditors are not supervised
        ("tm_a", "clinician_b"),  # another team
        ("tm_b", "trainee_a"),
        ("clinician_a", "trainee_a"),  # supervising in a session is not the line
        ("nobody", "clinician_a"),
    ],
)
def test_the_line_of_supervision_stops_at_the_team(cast, name, person):
    assert not permissions.in_line_of_supervision(
        getattr(cast, name), getattr(cast, person), SUPERVISED_ROLES
    )


def test_supervised_staff_are_the_role_assignments_overseen(cast):
    assert {a.user for a in permissions.supervised_staff(cast.tm_a, SUPERVISED_ROLES)} == {
        cast.clinician_a,
        cast.officer_a,
        cast.trainee_a,
    }


def test_supervised_staff_keep_to_the_roles_asked_for(cast):
    assert [a.user for a in permissions.supervised_staff(cast.tm_a, {Role.TRAINEE})] == [
        cast.trainee_a
    ]


def test_require_line_of_supervision(cast):
    permissions.require_line_of_supervision(cast.tm_a, cast.trainee_a, SUPERVISED_ROLES)
    with pytest.raises(PermissionDenied):
        permissions.require_line_of_supervision(cast.tm_b, cast.trainee_a, SUPERVISED_ROLES)
