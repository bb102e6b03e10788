"""The resident's timeline: each change says what changed, old → new, in plain labels;
corrected entries show both the original and the correction."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dtc import corrections
from residents import services
from residents.timeline import timeline
from tests.factories import ResidentFactory, small_group_named

TODAY = timezone.localdate()


@pytest.fixture
def resident(cast):
    return ResidentFactory(community=cast.a, key_worker=None)


def _changed(resident, kind):
    return [e for e in timeline(resident) if e.kind == kind and e.change == "Changed"]


def test_a_changed_record_says_which_fields_changed_from_what_to_what(cast, resident):
    services.resident_allocate(
        resident=resident, key_worker=cast.officer_a, small_group=None, by=cast.tm_a
    )
    [entry] = _changed(resident, "Record")
    assert ("Key worker", "–", str(cast.officer_a)) in entry.changes


def test_a_move_between_small_groups_shows_the_day_left_and_the_day_joined(cast, resident):
    oak, ash = small_group_named(cast.a, "Oak"), small_group_named(cast.a, "Ash")
    services.small_group_join(
        resident=resident, group=oak, joined_on=TODAY - timedelta(days=30), by=cast.tm_a
    )
    services.small_group_join(resident=resident, group=ash, by=cast.tm_a)
    summaries = [e.summary for e in timeline(resident) if e.kind == "Small group"]
    assert f"Joined Ash from {TODAY:%-d %B %Y}" in summaries
    assert f"Left Oak, last day {TODAY - timedelta(days=1):%-d %B %Y}" in summaries
    assert f"Joined Oak from {TODAY - timedelta(days=30):%-d %B %Y}" in summaries


def test_the_timeline_page_shows_the_changes(client, cast, resident):
    services.resident_allocate(
        resident=resident,
        key_worker=cast.officer_a,
        small_group=small_group_named(cast.a, "Oak"),
        by=cast.tm_a,
    )
    client.force_login(cast.tm_a)
    page = client.get(reverse("residents:timeline", args=[resident.pk])).content.decode()
    assert f"Joined Oak from {TODAY:%-d %B %Y}" in page
    assert f"Key worker: – → {cast.officer_a}" in page


def test_an_entry_in_error_is_struck_with_its_reason(client, cast, resident):
    incident = services.incident_record(
        resident=resident,
        occurred_on=TODAY - timedelta(days=1),
        kind="incident",
        seriousness="low",
        description="Shouting on the landing.",
        by=cast.officer_a,
    )
    corrections.record_mark_entered_in_error(
        record=incident, reason="Recorded on the wrong resident.", by=cast.tm_a
    )
    client.force_login(cast.tm_a)
    page = client.get(reverse("residents:timeline", args=[resident.pk])).content.decode()
    assert "<del>Incident, low: Shouting on the landing.</del>" in page
    assert "Entered in error: Recorded on the wrong resident." in page
    # The marking is the correction's own words, not a list of changed fields.
    assert "Reason it was entered in error:" not in page


def test_an_amended_entry_links_to_its_correction(client, cast, resident):
    incident = services.incident_record(
        resident=resident,
        occurred_on=TODAY - timedelta(days=1),
        kind="incident",
        seriousness="serious",
        description="Fight on the landing.",
        by=cast.officer_a,
    )
    amendment = corrections.record_amend(
        record=incident, changes={"seriousness": "low"}, reason="A scuffle.", by=cast.tm_a
    )
    client.force_login(cast.tm_a)
    page = client.get(reverse("residents:timeline", args=[resident.pk])).content.decode()
    assert "Incident, serious: Fight on the landing." in page  # the original is kept
    assert "Incident, low: Fight on the landing." in page
    assert f'id="incident-{amendment.pk}"' in page
    assert f'href="#incident-{amendment.pk}"' in page
    assert "Corrected: A scuffle." in page
