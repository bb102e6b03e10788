"""The resident list's key-worker filter: offered once the list shows one community."""

from django.urls import reverse

from tests.factories import ResidentFactory


def key_worker_names(response):
    choices = response.context["key_workers"]
    return None if choices is None else [person.get_full_name() for person in choices]


def test_a_therapy_manager_can_filter_by_any_of_the_communitys_staff(client, cast):
    client.force_login(cast.tm_a)
    names = key_worker_names(client.get(reverse("residents:resident_list")))
    assert cast.clinician_a.get_full_name() in names
    assert cast.clinician_b.get_full_name() not in names


def test_across_several_communities_the_filter_waits_for_a_community(client, cast):
    client.force_login(cast.hop)
    response = client.get(reverse("residents:resident_list"))
    assert key_worker_names(response) is None
    assert 'id="key_worker"' not in response.content.decode()
    assert "Choose a community to filter by its key workers" in response.content.decode()


def test_choosing_a_community_offers_its_key_workers(client, cast):
    client.force_login(cast.hop)
    names = key_worker_names(
        client.get(reverse("residents:resident_list"), {"community": cast.b.pk})
    )
    assert cast.clinician_b.get_full_name() in names
    assert cast.clinician_a.get_full_name() not in names


def test_a_key_worker_chosen_by_link_stays_shown_and_applied(client, cast):
    mine = ResidentFactory(community=cast.a, key_worker=cast.clinician_a)
    ResidentFactory(community=cast.b, key_worker=cast.clinician_b)
    client.force_login(cast.hop)
    response = client.get(reverse("residents:resident_list"), {"key_worker": cast.clinician_a.pk})
    assert key_worker_names(response) == [cast.clinician_a.get_full_name()]
    assert list(response.context["page"].object_list) == [mine]
