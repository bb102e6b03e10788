"""The service's starting KPI targets, and the computed evidence figures shown beside
the criteria they evidence (audit/measures.py). The HoP changes targets afterwards."""

from django.db import migrations

DEFAULT_TARGETS = {
    "occupancy": 90,
    "days_to_decision": 42,
    "retention_3": 85,
    "retention_6": 75,
    "retention_12": 60,
    "retention_18": 50,
    "mean_dosage": 6,
    "supervision_compliance": 90,
    "overdue_reviews": 0,
    "overdue_documents": 0,
}

# (section number, criterion number) -> measure, in the catalogue of migration 0002.
MEASURES = {
    (2, 1): "plans_signed_off",
    (2, 2): "plans_reviewed",
    (3, 3): "dosage_against_plan",
    (5, 1): "supervision_compliance",
    (6, 1): "documents_on_time",
}


def load(apps, schema_editor):
    KpiTarget = apps.get_model("audit", "KpiTarget")
    for kpi, value in DEFAULT_TARGETS.items():
        KpiTarget.objects.get_or_create(kpi=kpi, community=None, defaults={"value": value})
    Criterion = apps.get_model("audit", "StandardCriterion")
    for (section, number), measure in MEASURES.items():
        Criterion.objects.filter(section__number=section, number=number, measure="").update(
            measure=measure
        )


def unload(apps, schema_editor):
    apps.get_model("audit", "KpiTarget").objects.filter(community=None).delete()
    Criterion = apps.get_model("audit", "StandardCriterion")
    Criterion.objects.filter(measure__in=MEASURES.values()).update(measure="")


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_kpi_targets")]
    operations = [migrations.RunPython(load, unload)]
