"""The community's life as evidence (audit/measures.py, audit/kpis.py): the criteria on
induction to the constitution, the timetabled programme, the democratic community's
meetings and rule breaks, and the staff team's weekly meeting get computed figures;
community meetings held a starting target of 95%. The HoP changes them afterwards."""

from django.db import migrations

# (section number, criterion number) -> measure, in the catalogue of migration 0002.
MEASURES = {
    (1, 4): "agreed_at_induction",
    (3, 1): "community_meetings_held",
    (4, 1): "meetings_minuted",
    (4, 2): "rule_breaks_brought",
    (5, 4): "staff_team_weekly",
}


def load(apps, schema_editor):
    Criterion = apps.get_model("audit", "StandardCriterion")
    for (section, number), measure in MEASURES.items():
        Criterion.objects.filter(section__number=section, number=number, measure="").update(
            measure=measure
        )
    apps.get_model("audit", "KpiTarget").objects.get_or_create(
        kpi="meetings_held", community=None, defaults={"value": 95}
    )


def unload(apps, schema_editor):
    Criterion = apps.get_model("audit", "StandardCriterion")
    Criterion.objects.filter(measure__in=MEASURES.values()).update(measure="")
    apps.get_model("audit", "KpiTarget").objects.filter(
        kpi="meetings_held", community=None
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("audit", "0010_hours_lost_target")]

    operations = [migrations.RunPython(load, unload)]
