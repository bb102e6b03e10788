"""Admission is the residents app's: a bed, the first review date and the history."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dtc import services as dtc_services
from residents import selectors, services
from residents.models import Phase, Resident
from tests.factories import ResidentFactory
from tests.referrals.factories import ReferralFactory

PERSON = {
    "prison_number": "A1234AA",
    "first_name": "Test",
    "last_name": "Person",
    "date_of_birth": date(1980, 1, 1),
}


def _admit(community, by, **changes):
    return services.resident_admit(
        community=community, admitted_on=date(2026, 3, 31), by=by, **(PERSON | changes)
    )


def test_admission_takes_a_bed_in_assessment_with_the_first_review_one_interval_on(cast):
    cast.a.review_interval_months = 3
    cast.a.save()
    before = selectors.beds_used(cast.a)

    resident = _admit(cast.a, cast.tm_a)

    assert resident.phase == Phase.ASSESSMENT
    assert resident.community == cast.a
    # 31 March plus three months is the last day of June, not 1 July.
    assert resident.next_review_on == date(2026, 6, 30)
    assert selectors.beds_used(cast.a) == before + 1
    assert resident.history.get().history_user == cast.tm_a


def test_admission_is_refused_when_every_bed_is_taken(cast):
    cast.a.capacity = 2
    cast.a.save()
    ResidentFactory.create_batch(2, community=cast.a)

    with pytest.raises(ValidationError, match="no free bed: all 2 are taken"):
        _admit(cast.a, cast.tm_a)
    assert not Resident.objects.filter(prison_number=PERSON["prison_number"]).exists()


def test_a_bed_freed_by_a_leaver_can_be_taken(cast):
    cast.a.capacity = 1
    cast.a.save()
    ResidentFactory(community=cast.a, phase=Phase.LEFT, left_on=date(2026, 1, 1))

    assert _admit(cast.a, cast.tm_a).pk


@pytest.mark.parametrize("who", ["clinician_a", "officer_a", "trainee_a", "tm_b"])
def test_only_those_who_admit_in_the_community_may(cast, who):
    with pytest.raises(PermissionDenied):
        _admit(cast.a, getattr(cast, who))


def test_the_persons_restriction_carries_into_the_new_record(cast):
    referral = ReferralFactory(community=cast.a, prison_number=PERSON["prison_number"])
    dtc_services.person_restrict(
        prison_number=referral.prison_number, named=[cast.tm_a], reason="High profile", by=cast.tm_a
    )

    resident = _admit(cast.a, cast.tm_a)

    assert resident.is_restricted
    assert list(resident.access_list.values_list("user", flat=True)) == [cast.tm_a.pk]
    assert not resident.is_visible_to(cast.clinician_a)
