"""The starting target for the therapeutic hours lost to cancellations (audit/kpis.py):
at most 5% of the hours the timetable plans. The HoP changes it afterwards."""

from django.db import migrations


def load(apps, schema_editor):
    apps.get_model("audit", "KpiTarget").objects.get_or_create(
        kpi="hours_lost", community=None, defaults={"value": 5}
    )


def unload(apps, schema_editor):
    apps.get_model("audit", "KpiTarget").objects.filter(kpi="hours_lost", community=None).delete()


class Migration(migrations.Migration):
    dependencies = [("audit", "0009_subject_access_requests")]

    operations = [migrations.RunPython(load, unload)]
