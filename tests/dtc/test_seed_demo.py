"""seed_demo builds the whole synthetic estate; each app adds its part. Seeding takes
a while: the estate is seeded once (the demo_estate fixture, shared with the case-study
check over the demo data), and one test checks what the demo must show and seeds again."""

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.utils import timezone

from dtc import permissions
from dtc.demo import DEMO_PASSWORD
from dtc.models import Community, Role, RoleAssignment, User
from residents.models import TreatmentPlan
from supervision.selectors import staff_compliance


def row_counts():
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def seed():
    with open("/dev/null", "w") as quiet:
        call_command("seed_demo", stdout=quiet)


def test_seed_demo_builds_the_estate_and_running_it_again_changes_nothing(client, demo_estate):
    assert Community.objects.count() == 4
    assert Community.objects.values("establishment").distinct().count() == 2
    assert set(RoleAssignment.objects.active().values_list("role", flat=True)) == set(Role.values)
    assert len(permissions.community_ids(User.objects.get(username="hop"))) == 4

    for plan in TreatmentPlan.objects.select_related("resident"):
        stay = plan.resident
        signed_on = timezone.localdate(plan.signed_off_at)
        assert stay.admitted_on <= timezone.localdate(plan.created_at) <= signed_on
        assert signed_on <= (stay.left_on or timezone.localdate())

    # The teams have been in post for longer than the six months compliance looks back.
    tm = User.objects.get(username="tm.avon")
    assert staff_compliance([tm], today=timezone.localdate())[tm.pk].total == 6

    before = row_counts()
    seed()
    assert row_counts() == before

    response = client.post("/sign-in/", {"username": "tm.avon", "password": DEMO_PASSWORD})
    assert (response.status_code, response.url) == (302, "/")


def test_seed_demo_refuses_production(db, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("seed_demo")
