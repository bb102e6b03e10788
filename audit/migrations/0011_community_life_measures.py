"""The community's life as evidence (audit/measures.py, audit/kpis.py): the criteria on
induction to the constitution, the timetabled programme, the democratic community's
meetings and rule breaks, and the staff team's weekly meeting get computed figures; the
democratic community gains a criterion on the roles residents hold, with its figure;
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


ROLES = (
    "Residents hold a variety of roles in the community's life: chairing its meetings, "
    "taking its minutes, welcoming new residents, representing it to the prison."
)


def load(apps, schema_editor):
    Criterion = apps.get_model("audit", "StandardCriterion")
    section = apps.get_model("audit", "StandardSection").objects.filter(number=4).first()
    if section is not None and not Criterion.objects.filter(measure="residents_in_jobs").exists():
        last = Criterion.objects.filter(section=section).order_by("-number").first()
        Criterion.objects.create(
            section=section,
            number=(last.number if last else 0) + 1,
            text=ROLES,
            weight="expected",
            measure="residents_in_jobs",
        )
    for (section, number), measure in MEASURES.items():
        Criterion.objects.filter(section__number=section, number=number, measure="").update(
            measure=measure
        )
    apps.get_model("audit", "KpiTarget").objects.get_or_create(
        kpi="meetings_held", community=None, defaults={"value": 95}
    )


def unload(apps, schema_editor):
    Criterion = apps.get_model("audit", "StandardCriterion")
    Criterion.objects.filter(measure="residents_in_jobs", ratings__isnull=True).delete()
    Criterion.objects.filter(measure__in=[*MEASURES.values(), "residents_in_jobs"]).update(
        measure=""
    )
    apps.get_model("audit", "KpiTarget").objects.filter(
        kpi="meetings_held", community=None
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("audit", "0010_hours_lost_target")]

    operations = [migrations.RunPython(load, unload)]
