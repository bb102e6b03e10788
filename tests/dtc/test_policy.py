"""The policy's predicates, asked directly of the cast (see tests/conftest.py): who holds
an action anywhere, the Head of Psychotherapy and the 404-or-403 answer for a record read
by its id."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from dtc import permissions
from residents.models import ResidentAccess
from tests import factories

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
