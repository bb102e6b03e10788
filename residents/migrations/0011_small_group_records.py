"""The free text goes once its values are records (0010): a session's small group is
the SmallGroup it points at, and a resident's is read from their memberships."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("residents", "0010_small_groups_from_text")]

    operations = [
        migrations.RemoveField(model_name="groupsession", name="small_group"),
        migrations.RemoveField(model_name="historicalgroupsession", name="small_group"),
        migrations.RenameField(
            model_name="groupsession", old_name="small_group_ref", new_name="small_group"
        ),
        migrations.RenameField(
            model_name="historicalgroupsession", old_name="small_group_ref", new_name="small_group"
        ),
        migrations.RemoveField(model_name="resident", name="small_group"),
        migrations.RemoveField(model_name="historicalresident", name="small_group"),
    ]
