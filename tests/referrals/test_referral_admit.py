import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from referrals import services
from referrals.models import Status
from residents.models import Resident
from tests.factories import ResidentFactory
from tests.referrals.factories import ReferralFactory, accepted, default_criteria, status_of


@pytest.fixture
def waiting(cast):
    default_criteria(cast.a, cast.tm_a)
    return accepted(ReferralFactory(community=cast.a, prison_number="C4321DE"), cast.tm_a)


def test_admission_creates_the_resident_and_closes_the_referral(cast, waiting):
    resident = services.referral_admit(
        referral=waiting, by=cast.tm_a, admitted_on=timezone.localdate()
    )
    assert (resident.prison_number, resident.community, resident.phase) == (
        "C4321DE",
        cast.a,
        "assessment",
    )
    waiting.refresh_from_db()
    assert (waiting.status, waiting.resident) == (Status.ADMITTED, resident)


def test_admission_is_refused_when_every_bed_is_taken(cast, waiting):
    cast.a.capacity = 2
    cast.a.save()
    ResidentFactory.create_batch(2, community=cast.a)
    with pytest.raises(ValidationError, match="no free bed"):
        services.referral_admit(referral=waiting, by=cast.tm_a, admitted_on=timezone.localdate())
    assert status_of(waiting) == Status.ACCEPTED
    assert Resident.objects.count() == 2


def test_a_resident_who_left_frees_the_bed(cast, waiting):
    cast.a.capacity = 1
    cast.a.save()
    ResidentFactory(community=cast.a, phase="left")
    assert services.referral_admit(
        referral=waiting, by=cast.tm_a, admitted_on=timezone.localdate()
    ).pk


def test_a_clinician_cannot_admit(cast, waiting):
    with pytest.raises(PermissionDenied):
        services.referral_admit(
            referral=waiting, by=cast.clinician_a, admitted_on=timezone.localdate()
        )


def test_only_the_waiting_list_can_be_admitted(cast):
    default_criteria(cast.a, cast.tm_a)
    referral = ReferralFactory(community=cast.a)
    with pytest.raises(ValidationError, match="waiting list"):
        services.referral_admit(referral=referral, by=cast.tm_a, admitted_on=timezone.localdate())


def test_admission_goes_through_check_your_answers(client, cast, waiting):
    client.force_login(cast.tm_a)
    today = timezone.localdate()
    data = {
        "admitted_on_day": today.day,
        "admitted_on_month": today.month,
        "admitted_on_year": today.year,
    }
    check = client.post(reverse("referrals:referral_admit", args=[waiting.pk]), data)
    assert "Beds after admission" in check.content.decode()
    assert not Resident.objects.exists()
    client.post(reverse("referrals:referral_admit", args=[waiting.pk]), data | {"confirm": "1"})
    assert Resident.objects.get().prison_number == "C4321DE"


def test_the_waiting_list_is_ordered_by_priority_then_acceptance(client, cast):
    default_criteria(cast.a, cast.tm_a)
    from tests.referrals.factories import at_decision

    routine = at_decision(ReferralFactory(community=cast.a, last_name="Routine"), cast.tm_a)
    urgent = at_decision(ReferralFactory(community=cast.a, last_name="Urgent"), cast.tm_a)
    services.referral_accept(referral=routine, by=cast.tm_a, priority=3)
    services.referral_accept(referral=urgent, by=cast.tm_a, priority=1)
    client.force_login(cast.clinician_a)
    page = client.get(reverse("referrals:waiting_list")).content.decode()
    assert page.index("Urgent") < page.index("Routine")
