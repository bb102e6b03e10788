"""Every commitment vote (residents.CommitmentVote) becomes a motion of that kind, with
its tally, outcome, notes, recorder and correction state (an amendment still corrects
its original), and its history rows with it, so that nothing is lost when residents
0012 removes the model. The outcome is kept as it was recorded (a majority of those
voting), not recomputed by a constitution the vote was not held under."""

from django.db import migrations

OUTCOMES = {"kept": "carried", "lost": "not_carried"}
COPIED = [
    "held_on",
    "notes",
    "recorded_by_id",
    "entered_in_error_at",
    "entered_in_error_by_id",
    "entered_in_error_reason",
    "superseded",
    "amendment_reason",
]


def _fields(vote, new_ids):
    return {
        **{name: getattr(vote, name) for name in COPIED},
        "community_id": vote.resident.community_id,
        "kind": "commitment_vote",
        "resident_id": vote.resident_id,
        "residents_for": vote.votes_for,
        "residents_against": vote.votes_against,
        "outcome": OUTCOMES[vote.outcome],
        "ratification": "not_needed",
        "corrects_id": new_ids.get(vote.corrects_id),
    }


def forwards(apps, schema_editor):
    CommitmentVote = apps.get_model("residents", "CommitmentVote")
    HistoricalCommitmentVote = apps.get_model("residents", "HistoricalCommitmentVote")
    Motion = apps.get_model("community", "Motion")
    HistoricalMotion = apps.get_model("community", "HistoricalMotion")
    Resident = apps.get_model("residents", "Resident")
    communities = dict(Resident.objects.values_list("pk", "community_id"))

    # When each vote was first recorded: its first history row.
    recorded_at = {}
    for vote_id, when in HistoricalCommitmentVote.objects.order_by(
        "history_date", "history_id"
    ).values_list("id", "history_date"):
        recorded_at.setdefault(vote_id, when)

    new_ids = {}
    # An amendment is always made after what it corrects: in id order, its original's
    # motion exists by the time the amendment is copied.
    for vote in CommitmentVote.objects.select_related("resident").order_by("pk"):
        motion = Motion.objects.create(
            **_fields(vote, new_ids), recorded_at=recorded_at.get(vote.pk, vote.held_on)
        )
        new_ids[vote.pk] = motion.pk

    for row in HistoricalCommitmentVote.objects.order_by("history_date", "history_id"):
        if row.id not in new_ids:
            continue  # a vote deleted outright (never through the service): nothing to copy
        HistoricalMotion.objects.create(
            id=new_ids[row.id],
            **{name: getattr(row, name) for name in COPIED},
            community_id=communities[row.resident_id],
            kind="commitment_vote",
            resident_id=row.resident_id,
            residents_for=row.votes_for,
            residents_against=row.votes_against,
            outcome=OUTCOMES[row.outcome],
            ratification="not_needed",
            corrects_id=new_ids.get(row.corrects_id),
            recorded_at=recorded_at[row.id],
            history_date=row.history_date,
            history_type=row.history_type,
            history_user_id=row.history_user_id,
            history_change_reason=row.history_change_reason,
        )


def backwards(apps, schema_editor):
    """Back to commitment votes: the motions of that kind become votes again."""
    CommitmentVote = apps.get_model("residents", "CommitmentVote")
    Motion = apps.get_model("community", "Motion")
    back = {"carried": "kept", "not_carried": "lost", "inquorate": "lost"}
    new_ids = {}
    motions = Motion.objects.filter(kind="commitment_vote").order_by("pk")
    for motion in motions:
        vote = CommitmentVote.objects.create(
            **{name: getattr(motion, name) for name in COPIED},
            resident_id=motion.resident_id,
            votes_for=motion.residents_for,
            votes_against=motion.residents_against,
            outcome=back[motion.outcome],
            corrects_id=new_ids.get(motion.corrects_id),
        )
        new_ids[motion.pk] = vote.pk
    apps.get_model("community", "HistoricalMotion").objects.filter(id__in=list(new_ids)).delete()
    # The latest first: an amendment before the original it corrects (PROTECT).
    for motion in motions.order_by("-pk"):
        motion.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0004_meetings_and_motions"),
        ("residents", "0011_small_group_records"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
