import pytest
from django.core.exceptions import ValidationError

from dtc import permissions, services
from dtc.models import Role
from tests.factories import CommunityFactory, UserFactory


def test_assigning_a_role_grants_the_community(cast):
    newcomer = UserFactory(username="newcomer")
    services.role_assign(user=newcomer, role=Role.CLINICIAN, scope=cast.b)
    assert permissions.can(newcomer, "write_clinical", cast.b)
    assert not permissions.can(newcomer, "write_clinical", cast.a)


def test_ending_a_role_revokes_it_and_keeps_the_record(cast):
    assignment = cast.clinician_a.role_assignments.get()
    services.role_end(assignment=assignment, by=cast.tm_a, reason="Moved to another prison")
    assert not permissions.can(cast.clinician_a, "access_community", cast.a)
    assignment.refresh_from_db()
    assert assignment.ended_by == cast.tm_a
    assert assignment.history.count() == 2


def test_ending_one_of_two_roles_keeps_the_other(cast):
    services.role_assign(user=cast.clinician_a, role=Role.CLINICIAN, scope=cast.b)
    services.role_end(assignment=cast.clinician_a.role_assignments.get(community=cast.a))
    assert permissions.can(cast.clinician_a, "access_community", cast.b)
    assert not permissions.can(cast.clinician_a, "access_community", cast.a)


def test_a_new_community_joins_the_scope_of_the_head_of_psychotherapy(cast):
    new = CommunityFactory(establishment=cast.a.establishment, name="New wing")
    assert permissions.can(cast.hop, "sign_off", new)


def test_a_community_in_another_establishment_does_not(cast):
    new = CommunityFactory(establishment=cast.c.establishment, name="Elsewhere")
    assert not permissions.can(cast.hop, "access_community", new)


def test_a_head_of_psychotherapy_over_a_cluster_holds_every_community(cast):
    head = UserFactory(username="cluster_head")
    services.role_assign(
        user=head, role=Role.HEAD_OF_PSYCHOTHERAPY, scope=cast.a.establishment.cluster
    )
    assert permissions.community_ids(head, "decide_referral") == {cast.a.pk, cast.b.pk, cast.c.pk}


@pytest.mark.parametrize(
    ("role", "scope_name"),
    [(Role.HEAD_OF_PSYCHOTHERAPY, "community"), (Role.CLINICIAN, "establishment")],
)
def test_a_role_needs_a_scope_of_its_kind(cast, role, scope_name):
    scope = cast.a if scope_name == "community" else cast.a.establishment
    with pytest.raises(ValidationError):
        services.role_assign(user=UserFactory(username="x"), role=role, scope=scope)


def test_superusers_get_no_clinical_access_without_a_role(cast):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    assert permissions.community_ids(admin) == frozenset()


def test_permission_sync_restores_a_revoked_grant(cast):
    from dtc.models import CommunityGroupObjectPermission

    CommunityGroupObjectPermission.objects.filter(
        group__name=permissions.role_group_name(cast.a.pk, Role.THERAPY_MANAGER),
        permission__codename="sign_off",
    ).delete()
    services.role_permissions_sync()
    permissions.forget(cast.tm_a)
    assert permissions.can(cast.tm_a, "sign_off", cast.a)


def test_role_changes_are_kept_in_history(cast):
    assignment = cast.officer_a.role_assignments.get()
    services.role_end(assignment=assignment, reason="Left the service")
    history = list(assignment.history.order_by("history_date"))
    assert [h.ended_at is None for h in history] == [True, False]
