"""constitution_agreement_record: a resident's agreement, at induction, to the version in
force; and the agreements page (who has agreed to which version, who has not)."""

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from community import selectors, services
from community.models import ConstitutionAgreement
from dtc import corrections
from residents import services as resident_services
from residents.models import Resident
from tests.community.constitution_factories import amend
from tests.factories import ResidentFactory


@pytest.fixture
def resident(cast):
    return ResidentFactory(community=cast.a, first_name="Dan", last_name="Okafor")


def test_the_agreement_is_to_the_version_in_force_today(cast, resident):
    today = timezone.localdate()
    in_force = amend(cast.a, cast.tm_a, in_force_from=today - timedelta(days=10))
    amend(cast.a, cast.tm_a, in_force_from=today + timedelta(days=10), quorum_percent=70)
    agreement = services.constitution_agreement_record(resident=resident, by=cast.officer_a)
    assert agreement.constitution == in_force
    assert agreement.agreed_on == today
    assert agreement.witnessed_by == cast.officer_a
    assert agreement.history.get().history_user == cast.officer_a


def test_agreeing_twice_to_one_version_is_refused(cast, resident):
    amend(cast.a, cast.tm_a)
    services.constitution_agreement_record(resident=resident, by=cast.officer_a)
    with pytest.raises(ValidationError, match="already agreed to version 1"):
        services.constitution_agreement_record(resident=resident, by=cast.officer_a)


def test_after_an_amendment_the_resident_agrees_to_the_new_version(cast, resident):
    today = timezone.localdate()
    first = amend(cast.a, cast.tm_a, in_force_from=today - timedelta(days=100))
    services.constitution_agreement_record(resident=resident, by=cast.officer_a)
    second = amend(cast.a, cast.tm_a, in_force_from=today, quorum_percent=70)
    assert list(selectors.residents_not_agreed(cast.tm_a, cast.a, second)) == [resident]
    assert (
        services.constitution_agreement_record(resident=resident, by=cast.officer_a).constitution
        == second
    )
    assert first.agreements.get().resident == resident  # the first agreement is kept


def test_without_a_constitution_in_force_there_is_nothing_to_agree_to(cast, resident):
    amend(cast.a, cast.tm_a, in_force_from=timezone.localdate() + timedelta(days=1))
    with pytest.raises(ValidationError, match="no constitution in force"):
        services.constitution_agreement_record(resident=resident, by=cast.officer_a)


def test_a_resident_who_has_left_cannot_agree(cast):
    amend(cast.a, cast.tm_a)
    leaver = ResidentFactory(community=cast.a, phase="left", left_on=date.today())
    with pytest.raises(ValidationError, match="has left"):
        services.constitution_agreement_record(resident=leaver, by=cast.officer_a)


def test_the_hop_does_not_record_agreements(cast, resident):
    amend(cast.a, cast.tm_a)
    with pytest.raises(PermissionDenied):
        services.constitution_agreement_record(resident=resident, by=cast.hop)


def test_an_agreement_entered_in_error_leaves_the_resident_to_agree_again(cast, resident):
    constitution = amend(cast.a, cast.tm_a)
    agreement = services.constitution_agreement_record(resident=resident, by=cast.officer_a)
    corrections.record_mark_entered_in_error(
        record=agreement, reason="Recorded on the wrong resident.", by=cast.clinician_a
    )
    assert list(selectors.agreements_of(cast.tm_a, cast.a)) == []
    assert list(selectors.residents_not_agreed(cast.tm_a, cast.a, constitution)) == [resident]
    assert services.constitution_agreement_record(resident=resident, by=cast.officer_a)


def token_on(response) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', response.content.decode()).group(1)


def test_recording_from_the_page_confirms_first_and_saves_once(client, cast, resident):
    amend(cast.a, cast.tm_a)
    client.force_login(cast.officer_a)
    url = reverse("community:constitution_agreement_record", args=[resident.pk])
    confirm = client.get(url)
    assert b"Record agreement to the constitution" in confirm.content
    assert b"Version 1, in force from 1 January 2025" in confirm.content
    token = token_on(confirm)
    saved = client.post(url, {"confirm": "1", "form_token": token})
    assert saved["Location"] == reverse("community:constitution_agreements", args=[cast.a.pk])
    client.post(url, {"confirm": "1", "form_token": token})
    assert ConstitutionAgreement.objects.filter(resident=resident).count() == 1


def test_the_page_lists_who_agreed_to_which_version_and_who_has_not(client, cast, resident):
    amend(cast.a, cast.tm_a)
    waiting = ResidentFactory(community=cast.a, first_name="Lee", last_name="Marsh")
    services.constitution_agreement_record(resident=resident, by=cast.officer_a)
    client.force_login(cast.clinician_a)
    response = client.get(reverse("community:constitution_agreements", args=[cast.a.pk]))
    assert [a.resident for a in response.context["page"]] == [resident]
    assert response.context["not_agreed"] == [waiting]
    assert b"Record agreement" in response.content


@pytest.fixture
def restricted(cast, resident):
    amend(cast.a, cast.tm_a)
    services.constitution_agreement_record(resident=resident, by=cast.officer_a)
    resident_services.person_restrict_from(
        record=resident, staff=[cast.clinician_a], reason="Press interest.", by=cast.tm_a
    )
    return resident


@pytest.mark.parametrize("who", ["hop", "officer_a", "trainee_a"])
def test_a_restricted_residents_agreement_is_hidden_from_staff_not_named(cast, restricted, who):
    user = getattr(cast, who)
    assert list(selectors.agreements_of(user, cast.a)) == []
    assert restricted not in selectors.residents_not_agreed(user, cast.a, None)


@pytest.mark.parametrize("who", ["tm_a", "clinician_a"])
def test_a_restricted_residents_agreement_is_seen_by_the_named_staff(cast, restricted, who):
    assert [a.resident for a in selectors.agreements_of(getattr(cast, who), cast.a)] == [restricted]


def test_a_restricted_residents_agreement_page_is_not_found_for_staff_not_named(
    client, cast, restricted
):
    agreement = restricted.constitution_agreements.get()
    client.force_login(cast.officer_a)
    for url in (
        reverse("community:constitution_agreement_record", args=[restricted.pk]),
        reverse("community:constitution_agreement_entered_in_error", args=[agreement.pk]),
    ):
        assert client.get(url).status_code == 404


BOUND = 20


def make_agreements(cast, constitution, count, start):
    residents = Resident.objects.bulk_create(
        Resident(
            community=cast.a,
            prison_number=f"B{start + n:04d}CD",
            first_name="Test",
            last_name=f"Resident {start + n}",
            date_of_birth=date(1980, 1, 1),
            admitted_on=date(2025, 1, 1),
        )
        for n in range(count)
    )
    bulk_create_with_history(
        [
            ConstitutionAgreement(
                resident=r,
                constitution=constitution,
                agreed_on=date(2025, 1, 2),
                witnessed_by=cast.officer_a,
            )
            for r in residents[: count // 2]
        ],
        ConstitutionAgreement,
    )


def test_query_count_is_bounded_at_10_and_1000_residents(
    client, django_assert_max_num_queries, cast
):
    constitution = amend(cast.a, cast.tm_a)
    url = reverse("community:constitution_agreements", args=[cast.a.pk])
    client.force_login(cast.officer_a)
    client.get(url)
    make_agreements(cast, constitution, 10, 1000)
    with django_assert_max_num_queries(BOUND):
        assert client.get(url).status_code == 200
    make_agreements(cast, constitution, 990, 2000)
    with django_assert_max_num_queries(BOUND):
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 5 + 495
