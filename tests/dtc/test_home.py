"""The home page's figures come from the cache until a record they count changes."""

import re
from datetime import date

from django.urls import reverse

from dtc import versions
from tests.factories import ResidentFactory


def beds_used(client, community) -> int:
    page = client.get(reverse("home")).content.decode()
    card = re.search(
        rf'aria-labelledby="community-{community.pk}">(.*?)</section>', page, re.DOTALL
    ).group(1)
    return int(re.search(r'dtc-figure">(\d+) ', card).group(1))


def test_beds_used_move_on_when_a_resident_is_admitted(
    client, cast, django_capture_on_commit_callbacks
):
    client.force_login(cast.tm_a)
    assert beds_used(client, cast.a) == 0
    with django_capture_on_commit_callbacks(execute=True):
        ResidentFactory(community=cast.a, admitted_on=date(2026, 1, 5))
    assert beds_used(client, cast.a) == 1


def test_an_unchanged_community_is_read_from_the_cache(cast):
    computed = []
    versions.cached("probe", [cast.a.pk], lambda: computed.append(1) or "first")
    assert versions.cached("probe", [cast.a.pk], lambda: "second") == "first"
    assert computed == [1]


def test_a_change_elsewhere_leaves_a_community_cached(cast, django_capture_on_commit_callbacks):
    versions.cached("probe", [cast.a.pk], lambda: "first")
    with django_capture_on_commit_callbacks(execute=True):
        ResidentFactory(community=cast.b, admitted_on=date(2026, 1, 5))
    assert versions.cached("probe", [cast.a.pk], lambda: "second") == "first"
    with django_capture_on_commit_callbacks(execute=True):
        ResidentFactory(community=cast.a, admitted_on=date(2026, 1, 5))
    assert versions.cached("probe", [cast.a.pk], lambda: "third") == "third"


def test_each_user_finds_links_to_the_communities_they_may_open(client, cast):
    # The overview's HTML is cached: a user with access links to the community page, an
    # auditor of the same community reads its name and figures only.
    detail = reverse("community_detail", args=[cast.a.pk])
    client.force_login(cast.tm_a)
    assert f'href="{detail}"' in client.get(reverse("home")).content.decode()
    client.force_login(cast.auditor_a)
    page = client.get(reverse("home")).content.decode()
    assert f'aria-labelledby="community-{cast.a.pk}"' in page
    assert f'href="{detail}"' not in page
    client.force_login(cast.tm_a)
    assert f'href="{detail}"' in client.get(reverse("home")).content.decode()
