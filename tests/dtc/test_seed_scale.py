"""seed_scale loads a large synthetic estate in bulk; here it runs tiny (a thousandth)."""

import io

import pytest
from django.core.management import CommandError, call_command

from dtc import permissions
from dtc.models import Community, Establishment, Role, RoleAssignment, User
from referrals.models import Referral, Status
from residents.models import Attendance, ClinicalDocument, Phase, Resident
from supervision.models import SupervisionSession


def seed_tiny():
    call_command("seed_scale", scale=0.001, communities=2, stdout=io.StringIO())


def test_seed_scale_loads_the_sizes_asked_for(db):
    seed_tiny()
    assert Establishment.objects.count() == 1
    assert Community.objects.count() == 2
    assert User.objects.count() == 2 + 2 * 4  # a HoP, an auditor, and a team of four each
    assert Resident.objects.current().count() == 5
    assert Resident.objects.filter(phase=Phase.LEFT).count() == 20
    assert Referral.objects.count() == 100
    assert Attendance.objects.count() == 1000
    assert ClinicalDocument.objects.count() == 200
    assert SupervisionSession.objects.count() == 100
    assert Referral.objects.filter(status=Status.ADMITTED, resident__isnull=False).count() == 25


def test_seed_scale_grants_roles_through_the_role_groups(db):
    seed_tiny()
    hop = User.objects.get(username="hop.1")
    assert permissions.community_ids(hop) == set(Community.objects.values_list("pk", flat=True))
    tm = User.objects.get(username="tm.01")
    community = RoleAssignment.objects.get(user=tm).community
    assert permissions.can(tm, "override_criteria", community)
    assert permissions.community_ids(User.objects.get(username="auditor.01")) == set()
    assert set(RoleAssignment.objects.values_list("role", flat=True)) == set(Role.values)


def test_a_scaled_therapy_manager_opens_their_pages(client, db):
    seed_tiny()
    client.force_login(User.objects.get(username="tm.01"))
    for url in ["/", "/referrals/", "/residents/"]:
        assert client.get(url).status_code == 200, url


def test_seed_scale_refuses_a_database_with_data(db):
    seed_tiny()
    with pytest.raises(CommandError, match="already has data"):
        seed_tiny()


def test_seed_scale_years_of_history_grow_the_records_of_the_past_only(db):
    from datetime import timedelta

    from django.utils import timezone

    call_command("seed_scale", scale=0.001, communities=2, years=9, stdout=io.StringIO())
    # Three times the default three years: three times the history, the same estate today.
    assert Resident.objects.current().count() == 5
    assert User.objects.count() == 2 + 2 * 4
    assert Resident.objects.filter(phase=Phase.LEFT).count() == 60
    assert Referral.objects.count() == 300
    assert Attendance.objects.count() == 3000
    assert ClinicalDocument.objects.count() == 600
    assert SupervisionSession.objects.count() == 300
    # And it goes back further than three years.
    three_years_ago = timezone.localdate() - timedelta(days=3 * 365)
    assert Resident.objects.filter(admitted_on__lt=three_years_ago).exists()
    assert Referral.objects.filter(referred_on__lt=three_years_ago).exists()


def test_seed_scale_refuses_less_than_a_year_of_history(db):
    with pytest.raises(CommandError, match="at least 1"):
        call_command("seed_scale", scale=0.001, years=0, stdout=io.StringIO())
