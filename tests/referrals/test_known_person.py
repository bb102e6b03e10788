"""A person the service already knows — a current resident of any community of the
cluster, or someone with an open referral to one — is warned of at intake, with a link
to the record only when the referrer may see it; the referrer confirms to go on and the
referral records that the warning was seen. A restricted person is never revealed."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dtc.models import Role
from dtc.services import role_assign
from referrals.models import Referral, Status
from residents import services as resident_services
from tests import factories
from tests.referrals.factories import ReferralFactory, submitted
from tests.referrals.test_referral_submit import form_data

NUMBER = "A1234BC"  # form_data's prison number, upper-cased
HIDDEN = "This person is already known to the service."


def refer(client, user, community, **answers):
    client.force_login(user)
    return client.post(
        reverse("referrals:referral_submit") + f"?community={community.pk}",
        form_data(**answers),
    )


def warning(response) -> str:
    page = response.content.decode()
    start = page.index('data-testid="known-person"')
    return page[start : page.index("</div>", start)]


def test_a_current_resident_is_warned_of_with_a_link_and_nothing_is_saved(client, cast):
    resident = factories.ResidentFactory(community=cast.a, prison_number=NUMBER)
    response = refer(client, cast.tm_a, cast.a)
    assert response.status_code == 200
    assert f"{NUMBER} is a current resident of A." in warning(response)
    assert reverse("residents:detail", args=[resident.pk]) in warning(response)
    assert "Yes, make this referral anyway" in response.content.decode()
    assert not Referral.objects.exists()


def test_confirming_makes_the_referral_and_records_the_warning_was_seen(client, cast):
    factories.ResidentFactory(community=cast.a, prison_number=NUMBER)
    response = refer(client, cast.tm_a, cast.a, known_person_confirmed="on")
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert referral.known_person_warning_seen


def test_an_open_referral_elsewhere_in_the_cluster_is_warned_of_with_its_link(client, cast):
    # A Therapy Manager of A who also works as a clinician in B sees B's referral.
    both = factories.staff("tm_a_clinician_b", Role.THERAPY_MANAGER, cast.a)
    role_assign(user=both, role=Role.CLINICIAN, scope=cast.b)
    elsewhere = ReferralFactory(community=cast.b, prison_number=NUMBER, status=Status.SCREENING)
    response = refer(client, both, cast.a)
    assert f"{NUMBER} has an open referral to B (screening)." in warning(response)
    assert reverse("referrals:detail", args=[elsewhere.pk]) in warning(response)


def test_a_record_in_a_community_the_user_cannot_see_is_only_said_to_be_known(client, cast):
    elsewhere = ReferralFactory(community=cast.b, prison_number=NUMBER)
    response = refer(client, cast.tm_a, cast.a)
    shown = warning(response)
    assert HIDDEN in shown
    assert "B" not in shown.replace(HIDDEN, "")
    assert reverse("referrals:detail", args=[elsewhere.pk]) not in response.content.decode()
    assert not Referral.objects.filter(community=cast.a).exists()


def test_a_restricted_person_is_never_revealed(client, cast):
    resident = factories.ResidentFactory(
        community=cast.a, prison_number=NUMBER, first_name="Ronald", last_name="Hidden"
    )
    resident_services.resident_restrict(
        resident=resident, staff=[cast.clinician_a], reason="High profile", by=cast.tm_a
    )
    response = refer(client, cast.officer_a, cast.a)
    page = response.content.decode()
    assert HIDDEN in warning(response)
    assert reverse("residents:detail", args=[resident.pk]) not in page
    assert "Hidden" not in page and "current resident" not in page


def test_the_service_refuses_a_known_person_until_confirmed(cast):
    factories.ResidentFactory(community=cast.b, prison_number=NUMBER)
    with pytest.raises(ValidationError) as refusal:
        submitted(cast.a, cast.tm_a, prison_number=NUMBER)
    assert "known_person_confirmed" in refusal.value.error_dict
    assert not Referral.objects.exists()


def test_a_referral_of_an_unknown_person_records_no_warning(cast):
    referral = submitted(cast.a, cast.tm_a, prison_number=NUMBER)
    assert not referral.known_person_warning_seen


def test_leavers_and_closed_referrals_do_not_make_a_person_known(client, cast):
    factories.ResidentFactory(community=cast.a, prison_number=NUMBER, phase="left")
    ReferralFactory(community=cast.b, prison_number=NUMBER, status=Status.DECLINED)
    response = refer(client, cast.tm_a, cast.a)
    assert response.status_code == 302
    assert not Referral.objects.get(community=cast.a).known_person_warning_seen


def test_a_resident_of_another_cluster_is_not_known_here(client, cast):
    other = factories.CommunityFactory()
    factories.ResidentFactory(community=other, prison_number=NUMBER)
    response = refer(client, cast.tm_a, cast.a)
    assert response.status_code == 302
