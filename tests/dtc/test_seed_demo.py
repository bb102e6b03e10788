import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from dtc import permissions
from dtc.models import Community, Role, RoleAssignment, User


def row_counts():
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.fixture
def seeded(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))


def test_seed_demo_builds_one_cluster_two_prisons_four_communities(seeded):
    assert Community.objects.count() == 4
    assert Community.objects.values("establishment").distinct().count() == 2


def test_seed_demo_gives_staff_in_every_role(seeded):
    assert set(RoleAssignment.objects.active().values_list("role", flat=True)) == set(Role.values)


def test_seed_demo_twice_changes_nothing(seeded):
    before = row_counts()
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert row_counts() == before


def test_seed_demo_users_can_sign_in_with_the_printed_password(seeded, client):
    from dtc.demo import DEMO_PASSWORD

    response = client.post("/sign-in/", {"username": "tm.avon", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert response.url == "/"


def test_seed_demo_head_of_psychotherapy_sees_every_community(seeded):
    assert len(permissions.community_ids(User.objects.get(username="hop"))) == 4


def test_seed_demo_refuses_production(db, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("seed_demo")
