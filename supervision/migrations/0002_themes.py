from django.db import migrations

THEMES = [
    "Boundaries",
    "Case formulation",
    "Community process and rule breaks",
    "Countertransference",
    "Group dynamics",
    "Professional development",
    "Risk and safeguarding",
    "Staff wellbeing",
]


def add_themes(apps, schema_editor):
    # The starting list; the service edits it in the admin afterwards.
    Theme = apps.get_model("supervision", "SupervisionTheme")
    for name in THEMES:
        Theme.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]

    operations = [migrations.RunPython(add_themes, migrations.RunPython.noop)]
