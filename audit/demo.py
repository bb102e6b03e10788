"""Demo review cycles: Avon part-way through its self-review; Cedar's cycle at peer
review with an action plan."""

from datetime import timedelta

from django.utils import timezone

from dtc.models import Community, User

from . import services
from .models import Rating, ReviewCycle, StandardCriterion

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
