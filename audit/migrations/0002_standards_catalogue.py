"""The service standards, in the project's own words, modelled on the standards that
therapeutic communities are accredited against. The HoP edits them afterwards."""

from django.db import migrations

CATALOGUE = [
    ("Referral, assessment and admission", [
        ("Each referral is assessed against the community's written suitability criteria before a decision is made.", "essential", ""),
        ("A decision to accept a referral that does not meet the criteria is recorded with a clinical rationale by a Therapy Manager or the Head of Psychotherapy.", "essential", ""),
        ("The time from referral to decision is monitored and kept within the community's target.", "expected", ""),
        ("New residents are inducted to the community's rules and democratic structures in their first month.", "expected", ""),
    ]),
    ("Treatment planning and review", [
        ("Every resident has an individual treatment plan, signed off by the Therapy Manager, within 12 weeks of admission.", "essential", ""),
        ("Each resident's treatment plan is reviewed at least every six months.", "essential", ""),
        ("Treatment goals are linked to the resident's criminogenic needs and risk formulation.", "expected", ""),
    ]),
    ("The therapeutic programme", [
        ("The community runs a timetabled weekly programme of small groups and community meetings.", "essential", ""),
        ("Attendance is recorded for every resident at every group session.", "essential", ""),
        ("Each resident's therapeutic dosage is monitored against the hours in their plan.", "expected", ""),
        ("Creative and complementary therapies are part of the programme.", "desirable", ""),
    ]),
    ("The democratic community", [
        ("Community meetings take decisions democratically, including commitment votes on residents.", "essential", ""),
        ("Rule breaks are brought to the community, and its response is recorded.", "expected", ""),
    ]),
    ("Staff, supervision and training", [
        ("Staff receive regular clinical supervision.", "essential", ""),
        ("Clinical staff hold current registration with their professional body.", "essential", "registration_current"),
        ("Trainees' supervised hours are logged toward their registration.", "expected", ""),
        ("The whole staff team, operational staff included, meets at least weekly.", "expected", ""),
    ]),
    ("Records, safety and outcomes", [
        ("Clinical reports are completed and signed off by their due date.", "essential", ""),
        ("Self-harm care (ACCT) periods are recorded and reviewed by the team.", "essential", ""),
        ("The community reviews its retention, completions and unplanned leavers each quarter.", "expected", ""),
        ("Residents leaving the community are offered planned transition support.", "desirable", ""),
    ]),
]


def load(apps, schema_editor):
    Section = apps.get_model("audit", "StandardSection")
    Criterion = apps.get_model("audit", "StandardCriterion")
    for section_number, (title, criteria) in enumerate(CATALOGUE, start=1):
        section = Section.objects.create(number=section_number, title=title)
        for number, (text, weight, measure) in enumerate(criteria, start=1):
            Criterion.objects.create(section=section, number=number, text=text, weight=weight, measure=measure)


def unload(apps, schema_editor):
    apps.get_model("audit", "StandardCriterion").objects.all().delete()
    apps.get_model("audit", "StandardSection").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_review_cycles")]
    operations = [migrations.RunPython(load, unload)]
