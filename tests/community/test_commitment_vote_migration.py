"""Commitment votes become motions (community 0005, then residents 0012 removes the
model): every vote is a motion of that kind with its tally, outcome, notes, recorder and
correction state — an amendment still corrects its original — and its history rows;
nothing is lost."""

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("community", "0004_meetings_and_motions"), ("residents", "0011_small_group_records")]


def migrate(targets=None):
    """Migrate to `targets`, or (None) forward to every app's latest migration (the
    tests after this one need the whole schema back)."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_commitment_vote_becomes_a_motion_with_its_corrections(cast):
    old = migrate(BEFORE)
    Resident = old.get_model("residents", "Resident")
    Vote = old.get_model("residents", "CommitmentVote")
    History = old.get_model("residents", "HistoricalCommitmentVote")
    resident = Resident.objects.create(
        community_id=cast.a.pk,
        prison_number="A1000AA",
        first_name="Test",
        last_name="Resident",
        date_of_birth=date(1980, 1, 1),
        admitted_on=date(2025, 1, 6),
    )
    recorded = datetime(2025, 3, 4, 10, tzinfo=UTC)

    def vote(**fields):
        row = Vote.objects.create(
            resident_id=resident.pk, recorded_by_id=cast.officer_a.pk, **fields
        )
        History.objects.create(
            id=row.pk,
            resident_id=resident.pk,
            recorded_by_id=cast.officer_a.pk,
            history_date=recorded,
            history_type="+",
            history_user_id=cast.officer_a.pk,
            **fields,
        )
        return row

    vote(held_on=date(2025, 3, 3), votes_for=14, votes_against=2, outcome="kept", notes="Chair: J.")
    swapped = vote(
        held_on=date(2025, 4, 7), votes_for=3, votes_against=12, outcome="lost", superseded=True
    )
    vote(
        held_on=date(2025, 4, 7),
        votes_for=12,
        votes_against=3,
        outcome="kept",
        corrects_id=swapped.pk,
        amendment_reason="The counts were swapped.",
    )
    vote(
        held_on=date(2025, 5, 5),
        votes_for=1,
        votes_against=9,
        outcome="lost",
        entered_in_error_at=recorded,
        entered_in_error_by_id=cast.tm_a.pk,
        entered_in_error_reason="Recorded on the wrong resident.",
    )

    new = migrate()
    Motion = new.get_model("community", "Motion")
    HistoricalMotion = new.get_model("community", "HistoricalMotion")
    rows = list(Motion.objects.order_by("pk"))
    assert len(rows) == 4
    assert {m.kind for m in rows} == {"commitment_vote"}
    assert {m.community_id for m in rows} == {cast.a.pk}
    assert {m.resident_id for m in rows} == {resident.pk}
    by_count = {(m.held_on, m.residents_for, m.residents_against): m for m in rows}
    first = by_count[(date(2025, 3, 3), 14, 2)]
    assert (first.outcome, first.notes, first.recorded_by_id) == (
        "carried",
        "Chair: J.",
        cast.officer_a.pk,
    )
    assert first.recorded_at == recorded
    original = by_count[(date(2025, 4, 7), 3, 12)]
    corrected = by_count[(date(2025, 4, 7), 12, 3)]
    assert original.superseded and original.outcome == "not_carried"
    assert corrected.corrects_id == original.pk
    assert corrected.amendment_reason == "The counts were swapped."
    error = by_count[(date(2025, 5, 5), 1, 9)]
    assert error.entered_in_error_at == recorded
    assert error.entered_in_error_by_id == cast.tm_a.pk
    assert error.entered_in_error_reason == "Recorded on the wrong resident."
    assert [m.pk for m in rows if m.entered_in_error_at is None and not m.superseded] == [
        first.pk,
        corrected.pk,
    ]
    # Their history came with them, under the motions' ids.
    assert sorted(HistoricalMotion.objects.values_list("id", flat=True)) == sorted(
        m.pk for m in rows
    )
    assert HistoricalMotion.objects.get(id=first.pk).history_user_id == cast.officer_a.pk
    with pytest.raises(LookupError):
        new.get_model("residents", "CommitmentVote")
