"""Demo review cycles: Avon part-way through its self-review; Cedar's cycle at peer
review with an action plan. One ready case study of a resident who left Avon."""

from datetime import timedelta

from django.utils import timezone

from dtc.models import Community, User
from residents.models import Phase, Resident

from . import services
from .models import CaseStudy, Rating, ReviewCycle, StandardCriterion

EVIDENCE = {
    Rating.MET: "Checked a sample of ten records: all in order. Minutes and registers are kept on the shared drive.",
    Rating.PARTLY_MET: "In place but not consistent: three of ten records sampled fell short. Team briefed in the staff meeting.",
    Rating.NOT_MET: "Not in place this year: staffing gaps in the summer meant it lapsed.",
}


def rate(cycle, by, criteria, pattern):
    today = timezone.localdate()
    for criterion, rating in zip(criteria, pattern, strict=False):
        action = {}
        if rating == Rating.NOT_MET:
            action = {
                "action_description": f"Restore criterion {criterion.code} and report progress at the monthly governance meeting.",
                "action_owner": by,
                "action_due": today + timedelta(days=60),
            }
        services.criterion_rate(
            cycle=cycle,
            criterion=criterion,
            rating=rating,
            evidence=EVIDENCE[rating],
            by=by,
            **action,
        )


def seed(stdout):
    seed_case_study(stdout)
    if ReviewCycle.objects.exists():
        return []
    criteria = list(StandardCriterion.objects.filter(retired=False).select_related("section"))
    avon = Community.objects.get(name="Avon")
    tm_avon = User.objects.get(username="tm.avon")
    cycle = services.cycle_open(
        community=avon, title="Accreditation review 2026 to 2027", by=tm_avon
    )
    rate(
        cycle,
        tm_avon,
        criteria[:12],
        [Rating.MET] * 8 + [Rating.PARTLY_MET, Rating.MET, Rating.NOT_MET, Rating.MET],
    )

    cedar = Community.objects.get(name="Cedar")
    tm_cedar = User.objects.get(username="tm.cedar")
    cycle = services.cycle_open(
        community=cedar, title="Accreditation review 2026 to 2027", by=tm_cedar
    )
    pattern = [
        Rating.MET,
        Rating.MET,
        Rating.PARTLY_MET,
        Rating.MET,
        Rating.NOT_MET,
        Rating.MET,
        Rating.MET,
    ]
    rate(cycle, tm_cedar, criteria, (pattern * 4)[: len(criteria)])
    services.cycle_advance(cycle=cycle, by=tm_cedar)
    rate(cycle, tm_cedar, criteria[:6], [Rating.MET] * 6)
    return []


def seed_case_study(stdout):
    """The Avon leaver with the longest stay; rendered here rather than queued, so the
    demo has one to download straight away."""
    if CaseStudy.objects.exists():
        return
    leaver = (
        Resident.objects.filter(community__name="Avon", phase=Phase.LEFT, is_restricted=False)
        .order_by("admitted_on", "pk")
        .first()
    )
    auditor = User.objects.filter(username="auditor").first()
    if leaver is None or auditor is None:
        return
    requested = services.case_study_request(resident=leaver, by=auditor)
    services.case_study_render(case_study_id=requested.pk)
    stdout.write(f"Audit: a case study of {requested.pseudonym}, who left Avon.\n")
