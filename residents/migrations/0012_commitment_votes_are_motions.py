"""Commitment votes are motions of the community now: community 0005 copied every vote
(and its history) into community.Motion before this removes the model."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('residents', '0011_small_group_records'),
        ('community', '0005_commitment_votes_to_motions'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='historicalcommitmentvote',
            name='corrects',
        ),
        migrations.RemoveField(
            model_name='historicalcommitmentvote',
            name='entered_in_error_by',
        ),
        migrations.RemoveField(
            model_name='historicalcommitmentvote',
            name='history_user',
        ),
        migrations.RemoveField(
            model_name='historicalcommitmentvote',
            name='recorded_by',
        ),
        migrations.RemoveField(
            model_name='historicalcommitmentvote',
            name='resident',
        ),
        migrations.DeleteModel(
            name='CommitmentVote',
        ),
        migrations.DeleteModel(
            name='HistoricalCommitmentVote',
        ),
    ]
