"""person_restrict_from / person_unrestrict_from: the Therapy Manager restricts the person
a record is about (a resident, a referral) to named staff of the community, and lifts it.
The restriction follows the person: every record of the prison number, in any community.

The person: Ronald Hidden (A7777ZZ), resident of community A, admitted from a referral
to A, after an earlier stay on community B that ended. Someone else (A1111AA) lives
on A too."""

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from dtc.models import Role
from referrals.models import Referral, ReferralAccess, Status
from residents import services
from residents.models import Phase, Resident, ResidentAccess
from tests import factories
from tests.factories import ResidentFactory
from tests.referrals.factories import ReferralFactory

NUMBER = "A7777ZZ"


@pytest.fixture
def person(cast):
    today = timezone.localdate()
    details = {"prison_number": NUMBER, "first_name": "Ronald", "last_name": "Hidden"}
    resident = ResidentFactory(community=cast.a, **details)
    referral = ReferralFactory(
        community=cast.a, status=Status.ADMITTED, resident=resident, **details
    )
    earlier = ResidentFactory(
        community=cast.b,
        phase=Phase.LEFT,
        admitted_on=today - relativedelta(years=3),
        left_on=today - relativedelta(years=2),
        **details,
    )
    return {"resident": resident, "referral": referral, "earlier": earlier}


@pytest.fixture
def neighbour(cast):
    return ResidentFactory(community=cast.a, prison_number="A1111AA")


def _named(record) -> set:
    return set(record.access_list.values_list("user__username", flat=True))


def _restrict(cast, person, staff=(), reason="High profile prisoner", by=None):
    return services.person_restrict_from(
        record=person["resident"], staff=list(staff), reason=reason, by=by or cast.tm_a
    )


# Restricting ------------------------------------------------------------------------


def test_restricting_a_resident_restricts_every_record_of_the_person(cast, person, neighbour):
    resident = _restrict(cast, person, staff=[cast.clinician_a])
    assert resident.is_restricted
    for record in person.values():
        record.refresh_from_db()
        assert record.is_restricted
        assert _named(record) == {"tm_a", "clinician_a"}
    neighbour.refresh_from_db()
    assert not neighbour.is_restricted
    # The Therapy Manager of B, where the earlier stay was, is not named.
    assert not person["earlier"].is_visible_to(cast.tm_b)
    assert person["resident"].is_visible_to(cast.clinician_a)
    assert not person["resident"].is_visible_to(cast.officer_a)


def test_restricting_from_the_referral_restricts_the_resident_too(cast, person):
    services.person_restrict_from(
        record=person["referral"], staff=[cast.clinician_a], reason="Victim on staff", by=cast.tm_a
    )
    assert Resident.objects.get(pk=person["resident"].pk).is_restricted
    assert Referral.objects.get(pk=person["referral"].pk).is_restricted
    assert _named(person["resident"]) == {"tm_a", "clinician_a"}


def test_the_therapy_manager_restricting_is_always_named(cast, person):
    _restrict(cast, person, staff=[])
    assert _named(person["resident"]) == {"tm_a"}
    assert _named(person["referral"]) == {"tm_a"}


def test_the_history_records_who_restricted_and_why(cast, person):
    _restrict(cast, person, staff=[cast.clinician_a], reason="High profile prisoner")
    for record in (person["resident"], person["referral"]):
        latest = record.history.first()
        assert (latest.history_user, latest.is_restricted, latest.history_change_reason) == (
            cast.tm_a,
            True,
            "High profile prisoner",
        )
    granted = ResidentAccess.history.filter(
        resident_id=person["resident"].pk, user=cast.clinician_a
    ).get()
    assert (granted.history_type, granted.history_user) == ("+", cast.tm_a)


def test_a_head_of_psychotherapy_over_the_community_may_be_named(cast, person):
    _restrict(cast, person, staff=[cast.hop])
    assert _named(person["resident"]) == {"tm_a", "hop"}
    assert person["resident"].is_visible_to(cast.hop)


@pytest.mark.parametrize("name", ["clinician_b", "auditor_a", "nobody"])
def test_only_the_communitys_team_may_be_named(cast, person, name):
    with pytest.raises(ValidationError) as refused:
        _restrict(cast, person, staff=[getattr(cast, name)])
    assert "staff" in refused.value.message_dict
    assert not Resident.objects.filter(prison_number=NUMBER, is_restricted=True).exists()
    assert not Referral.objects.filter(prison_number=NUMBER, is_restricted=True).exists()
    assert not ResidentAccess.objects.exists() and not ReferralAccess.objects.exists()


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_restriction_needs_a_reason(cast, person, reason):
    with pytest.raises(ValidationError) as refused:
        _restrict(cast, person, reason=reason)
    assert "reason" in refused.value.message_dict
    person["resident"].refresh_from_db()
    assert not person["resident"].is_restricted


def test_restricting_again_replaces_the_named_staff(cast, person):
    _restrict(cast, person, staff=[cast.clinician_a])
    _restrict(cast, person, staff=[cast.officer_a], reason="Clinician is a relative")
    assert _named(person["resident"]) == {"tm_a", "officer_a"}
    assert not person["resident"].is_visible_to(cast.clinician_a)
    taken_off = ResidentAccess.history.filter(user=cast.clinician_a, history_type="-")
    assert {(row.resident_id, row.history_user) for row in taken_off} == {
        (person["resident"].pk, cast.tm_a),
        (person["earlier"].pk, cast.tm_a),
    }


@pytest.mark.parametrize(
    "role", [Role.HEAD_OF_PSYCHOTHERAPY, Role.CLINICIAN, Role.OFFICER, Role.TRAINEE, Role.AUDITOR]
)
def test_only_the_therapy_manager_may_restrict(cast, person, role):
    with pytest.raises(PermissionDenied):
        _restrict(cast, person, by=cast.by_role(role))
    person["resident"].refresh_from_db()
    assert not person["resident"].is_restricted


def test_the_therapy_manager_of_another_community_may_not_restrict(cast, person):
    with pytest.raises(PermissionDenied):
        _restrict(cast, person, by=cast.tm_b)


def test_a_therapy_manager_not_named_does_not_find_a_restricted_person(cast, person):
    _restrict(cast, person, staff=[cast.clinician_a])
    other_tm = factories.staff("tm2_a", Role.THERAPY_MANAGER, cast.a)
    with pytest.raises(Http404):
        _restrict(cast, person, staff=[], by=other_tm)
    with pytest.raises(Http404):
        services.person_unrestrict_from(record=person["resident"], reason="Not needed", by=other_tm)
    assert _named(person["resident"]) == {"tm_a", "clinician_a"}


# Lifting ----------------------------------------------------------------------------


def test_lifting_shows_every_record_again_and_keeps_the_named_staff(cast, person):
    _restrict(cast, person, staff=[cast.clinician_a])
    resident = services.person_unrestrict_from(
        record=person["resident"], reason="Risk has passed", by=cast.tm_a
    )
    assert not resident.is_restricted
    for record in person.values():
        record.refresh_from_db()
        assert not record.is_restricted
        # The list is kept, to show who could see the person while it applied.
        assert _named(record) == {"tm_a", "clinician_a"}
    assert person["resident"].is_visible_to(cast.officer_a)
    latest = person["resident"].history.first()
    assert (latest.history_user, latest.history_change_reason) == (cast.tm_a, "Risk has passed")


def test_lifting_from_the_referral_lifts_it_from_the_resident_too(cast, person):
    _restrict(cast, person, staff=[cast.clinician_a])
    # The referral read before the restriction: the service reads it again.
    services.person_unrestrict_from(
        record=person["referral"], reason="Risk has passed", by=cast.tm_a
    )
    person["resident"].refresh_from_db()
    assert not person["resident"].is_restricted


def test_a_record_that_is_not_restricted_cannot_be_lifted(cast, person):
    rows = person["resident"].history.count()
    with pytest.raises(ValidationError):
        services.person_unrestrict_from(record=person["resident"], reason="x", by=cast.tm_a)
    assert person["resident"].history.count() == rows


def test_named_staff_without_the_permission_may_not_lift_it(cast, person):
    _restrict(cast, person, staff=[cast.clinician_a])
    with pytest.raises(PermissionDenied):
        services.person_unrestrict_from(
            record=person["resident"], reason="I think it is over", by=cast.clinician_a
        )
    person["resident"].refresh_from_db()
    assert person["resident"].is_restricted
