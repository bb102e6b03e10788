"""Restriction follows the person: every referral of a restricted person — past or
present, their override, interviews and place on the waiting list — answers 404 and is
absent from every list and search for anyone not named, the HoP included.

The person: Ronald Hidden (A7777ZZ), resident of community A, restricted by tm_a to
clinician_a. He was referred twice: declined last year, then accepted with an override
and admitted. officer_a, trainee_a and the HoP are not named."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from dtc import permissions
from dtc.models import Notification
from referrals import services
from referrals.models import Interview, Override, Priority, Referral, Status
from residents import services as resident_services
from residents.models import Resident
from tests.factories import ResidentFactory
from tests.referrals.factories import ReferralFactory, accepted, default_criteria, submitted

NUMBER = "A7777ZZ"
RATIONALE = "Overridden because the adjudication was long ago and he engages well in groups."


@pytest.fixture
def hidden(cast):
    person = {"prison_number": NUMBER, "first_name": "Ronald", "last_name": "Hidden"}
    resident = ResidentFactory(community=cast.a, **person)
    admitted = ReferralFactory(
        community=cast.a,
        status=Status.ADMITTED,
        resident=resident,
        reason="Secret reason",
        **person,
    )
    Override.objects.create(referral=admitted, community=cast.a, by=cast.tm_a, rationale=RATIONALE)
    Interview.objects.create(
        referral=admitted,
        held_on=date(2026, 1, 5),
        assessor=cast.clinician_a,
        summary="Interview summary",
        recorded_by=cast.clinician_a,
    )
    declined = ReferralFactory(
        community=cast.a,
        status=Status.DECLINED,
        referred_on=timezone.localdate() - timedelta(days=400),
        **person,
    )
    resident_services.resident_restrict(
        resident=resident, staff=[cast.clinician_a], reason="High profile", by=cast.tm_a
    )
    return {"resident": resident, "admitted": admitted, "declined": declined}


UNNAMED = ["officer_a", "trainee_a", "hop"]
NAMED = ["tm_a", "clinician_a"]


def referral_pages(pk):
    return [
        reverse("referrals:detail", args=[pk]),
        reverse("referrals:step", args=[pk, "screening"]),
        reverse("referrals:step", args=[pk, "withdraw"]),
        reverse("referrals:referral_record_interview", args=[pk]),
        reverse("referrals:referral_accept", args=[pk]),
        reverse("referrals:referral_decline", args=[pk]),
        reverse("referrals:referral_defer", args=[pk]),
        reverse("referrals:referral_admit", args=[pk]),
        reverse("referrals:referral_restrict", args=[pk]),
    ]


@pytest.mark.parametrize("name", UNNAMED)
@pytest.mark.parametrize("which", ["admitted", "declined"])
def test_every_referral_page_of_a_restricted_person_is_not_found_for_the_unnamed(
    client, cast, hidden, name, which
):
    client.force_login(getattr(cast, name))
    for url in referral_pages(hidden[which].pk):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"note": "x", "reason": "x"}).status_code == 404, url
    assert (
        client.post(reverse("referrals:referral_unrestrict", args=[hidden[which].pk])).status_code
        == 404
    )


@pytest.mark.parametrize("name", NAMED)
def test_named_staff_read_the_referral(client, cast, hidden, name):
    client.force_login(getattr(cast, name))
    response = client.get(reverse("referrals:detail", args=[hidden["admitted"].pk]))
    assert response.status_code == 200
    assert "Secret reason" in response.content.decode()


@pytest.mark.parametrize("name", UNNAMED)
@pytest.mark.parametrize("query", ["", NUMBER, "Hidden", "Ronald", "a7777"])
def test_the_referral_list_and_its_search_leave_the_person_out(client, cast, hidden, name, query):
    client.force_login(getattr(cast, name))
    page = client.get(reverse("referrals:referral_list"), {"q": query}).content.decode()
    # (The search box repeats what was typed; the results must not.)
    assert "Ronald Hidden" not in page
    for referral in (hidden["admitted"], hidden["declined"]):
        assert reverse("referrals:detail", args=[referral.pk]) not in page


def test_named_staff_find_the_person_by_search(client, cast, hidden):
    client.force_login(cast.clinician_a)
    page = client.get(reverse("referrals:referral_list"), {"q": NUMBER}).content.decode()
    assert page.count(NUMBER) >= 2  # both referrals


def test_the_overrides_list_leaves_out_the_person_for_an_unnamed_hop(client, cast, hidden):
    client.force_login(cast.hop)
    page = client.get(reverse("referrals:overrides")).content.decode()
    assert "Ronald Hidden" not in page
    assert reverse("referrals:detail", args=[hidden["admitted"].pk]) not in page
    client.force_login(cast.tm_a)
    assert "Ronald Hidden" in client.get(reverse("referrals:overrides")).content.decode()


def test_a_named_hop_reads_the_override(client, cast, hidden):
    resident_services.resident_restrict(
        resident=hidden["resident"], staff=[cast.clinician_a, cast.hop], reason="HoP", by=cast.tm_a
    )
    client.force_login(cast.hop)
    assert "Ronald Hidden" in client.get(reverse("referrals:overrides")).content.decode()
    response = client.get(reverse("referrals:detail", args=[hidden["declined"].pk]))
    assert response.status_code == 200


def test_the_waiting_list_leaves_out_a_restricted_person(client, cast):
    default_criteria(cast.a, cast.tm_a)
    referral = accepted(ReferralFactory(community=cast.a, prison_number=NUMBER), cast.tm_a)
    services.referral_restrict(referral=referral, staff=[], reason="High profile", by=cast.tm_a)
    client.force_login(cast.officer_a)
    assert NUMBER not in client.get(reverse("referrals:waiting_list")).content.decode()
    client.force_login(cast.tm_a)
    assert NUMBER in client.get(reverse("referrals:waiting_list")).content.decode()


def test_the_policy_hides_every_record_of_the_person(cast, hidden):
    for name in UNNAMED:
        user = getattr(cast, name)
        assert not permissions.visible(user, Referral).filter(prison_number=NUMBER).exists()
        assert not permissions.visible(user, Resident).filter(prison_number=NUMBER).exists()
        assert not hidden["declined"].is_visible_to(user)
    assert permissions.visible(cast.clinician_a, Referral).filter(prison_number=NUMBER).count() == 2


def test_a_referral_restricted_before_admission_carries_into_the_resident(client, cast):
    default_criteria(cast.a, cast.tm_a)
    referral = accepted(ReferralFactory(community=cast.a, prison_number=NUMBER), cast.tm_a)
    services.referral_restrict(
        referral=referral, staff=[cast.clinician_a], reason="High profile prisoner", by=cast.tm_a
    )
    client.force_login(cast.officer_a)
    assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 404

    resident = services.referral_admit(referral=referral, by=cast.tm_a, admitted_on=date.today())

    assert resident.is_restricted
    assert set(resident.access_list.values_list("user_id", flat=True)) == {
        cast.tm_a.pk,
        cast.clinician_a.pk,
    }
    assert client.get(reverse("residents:detail", args=[resident.pk])).status_code == 404
    assert NUMBER not in client.get(reverse("residents:resident_list")).content.decode()
    client.force_login(cast.clinician_a)
    assert client.get(reverse("residents:detail", args=[resident.pk])).status_code == 200


def test_restricting_a_referral_from_its_page(client, cast):
    referral = ReferralFactory(community=cast.a, prison_number=NUMBER)
    client.force_login(cast.tm_a)
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert reverse("referrals:referral_restrict", args=[referral.pk]) in page
    response = client.post(
        reverse("referrals:referral_restrict", args=[referral.pk]),
        {"staff": [cast.clinician_a.pk], "reason": "High profile prisoner"},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.is_restricted
    assert referral.history.first().history_user == cast.tm_a
    client.force_login(cast.officer_a)
    assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 404


def test_restricting_needs_a_reason(client, cast):
    referral = ReferralFactory(community=cast.a, prison_number=NUMBER)
    client.force_login(cast.tm_a)
    response = client.post(
        reverse("referrals:referral_restrict", args=[referral.pk]), {"reason": ""}
    )
    assert response.status_code == 200
    assert "Enter why the record is restricted" in response.content.decode()
    referral.refresh_from_db()
    assert not referral.is_restricted


def test_a_clinician_may_not_restrict(client, cast):
    referral = ReferralFactory(community=cast.a, prison_number=NUMBER)
    client.force_login(cast.clinician_a)
    assert client.get(reverse("referrals:referral_restrict", args=[referral.pk])).status_code == 403


def test_lifting_the_restriction_shows_every_record_again(client, cast, hidden):
    resident_services.resident_unrestrict(
        resident=hidden["resident"], reason="No longer needed", by=cast.tm_a
    )
    assert not Referral.objects.filter(prison_number=NUMBER, is_restricted=True).exists()
    client.force_login(cast.officer_a)
    assert client.get(reverse("referrals:detail", args=[hidden["declined"].pk])).status_code == 200


def test_a_new_referral_of_a_restricted_person_takes_the_restriction_and_names_no_one_new(
    cast, hidden
):
    # tm_b is told only that the person is known, and confirms.
    referral = submitted(cast.b, cast.tm_b, prison_number=NUMBER, known_person_confirmed=True)
    referral.refresh_from_db()
    assert referral.is_restricted
    assert set(referral.access_list.values_list("user_id", flat=True)) == {
        cast.tm_a.pk,
        cast.clinician_a.pk,
    }
    assert not referral.is_visible_to(cast.tm_b)


def test_a_duplicate_referral_of_a_hidden_person_is_refused_without_a_link(cast):
    default_criteria(cast.a, cast.tm_a)
    open_referral = ReferralFactory(community=cast.a, prison_number=NUMBER)
    services.referral_restrict(referral=open_referral, staff=[], reason="High", by=cast.tm_a)
    with pytest.raises(ValidationError) as refusal:
        submitted(cast.a, cast.officer_a, prison_number=NUMBER)
    assert reverse("referrals:detail", args=[open_referral.pk]) not in str(refusal.value)


def test_a_bed_is_occupied_whoever_is_in_it(cast, hidden):
    cast.a.capacity = 1
    cast.a.save()
    default_criteria(cast.a, cast.tm_a)
    referral = accepted(ReferralFactory(community=cast.a), cast.tm_a)
    with pytest.raises(ValidationError, match="no free bed"):
        services.referral_admit(referral=referral, by=cast.tm_a, admitted_on=date.today())


def test_a_notification_about_a_person_follows_their_restriction(client, cast, hidden):
    Notification.objects.create(
        recipient=cast.officer_a, key="k", message=f"The review for {NUMBER} is due.", about=NUMBER
    )
    Notification.objects.create(recipient=cast.officer_a, key="k2", message="Your supervision.")
    client.force_login(cast.officer_a)
    page = client.get(reverse("notifications")).content.decode()
    assert NUMBER not in page
    assert "Your supervision." in page


def test_the_person_is_hidden_within_the_list_query(cast, hidden, django_assert_num_queries):
    with django_assert_num_queries(3):  # the HoP's grants and restrictions, then the referrals
        assert len(permissions.visible(cast.hop, Referral)) == 0


def test_priority_is_untouched_by_restricting(cast):
    default_criteria(cast.a, cast.tm_a)
    referral = accepted(ReferralFactory(community=cast.a, prison_number=NUMBER), cast.tm_a)
    services.referral_restrict(referral=referral, staff=[], reason="High", by=cast.tm_a)
    referral.refresh_from_db()
    assert referral.priority == Priority.ROUTINE
    assert referral.status == Status.ACCEPTED


def test_the_filter_keeps_every_row_in_an_or_when_no_one_is_hidden(cast):
    # "No referral at all, or one of a person visible": with no one restricted, every
    # referral (an empty condition would drop out of the OR and keep none).
    from django.db.models import Q

    ReferralFactory(community=cast.a)
    assert permissions.restricted_from(cast.tm_a) == frozenset()
    either = Q(pk__in=[]) | permissions.person_visible(cast.tm_a)
    assert Referral.objects.filter(either).count() == 1


def test_the_filter_in_an_or_still_hides_the_person(cast, hidden):
    from django.db.models import Q

    shown = ReferralFactory(community=cast.a)
    either = Q(pk=shown.pk) | permissions.person_visible(cast.hop)
    assert list(Referral.objects.filter(either)) == [shown]
