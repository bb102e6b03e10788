"""Demo referrals: each community's default suitability criteria, and about 30
referrals per community spread over every state, overrides included. Decisions,
admissions and the waiting list are spread over the past six months, each referral's
moves dated in order between its referral and today. Synthetic people only;
deterministic, and skipped when referrals already exist."""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from dtc.models import Community, User

from . import services
from .models import (
    CriterionKind,
    Outcome,
    Override,
    Priority,
    Referral,
    RiskLevel,
    SentenceType,
    Source,
    Status,
    Transition,
)

DEFAULT_CRITERIA = [
    ("At least 18 months left to serve at the date of decision", CriterionKind.TIME_TO_SERVE, 18),
    ("No active psychotic illness", CriterionKind.RECORDED, None),
    (
        "Agrees to the community's rules: no violence, no drugs or alcohol, no sexual relationships",
        CriterionKind.RECORDED,
        None,
    ),
    ("Motivated to engage with group therapy", CriterionKind.RECORDED, None),
    (
        "IQ within range, or referred on to a TC+ for learning disability",
        CriterionKind.RECORDED,
        None,
    ),
    ("Free of proven adjudications for the last three months", CriterionKind.RECORDED, None),
]

FIRST = [
    "Aaron",
    "Ben",
    "Carl",
    "Dean",
    "Ethan",
    "Frank",
    "Gavin",
    "Harry",
    "Ian",
    "Jamal",
    "Kyle",
    "Liam",
    "Marcus",
    "Nathan",
    "Oscar",
    "Patrick",
    "Ryan",
    "Stefan",
    "Tariq",
    "Vince",
    "Wesley",
    "Yusuf",
    "Zach",
    "Callum",
]
LAST = [
    "Abbott",
    "Brennan",
    "Crowley",
    "Doyle",
    "Eastwood",
    "Fairley",
    "Gorman",
    "Hendry",
    "Ingham",
    "Jessop",
    "Kettle",
    "Lowry",
    "Mallory",
    "Nolan",
    "Orton",
    "Pickford",
    "Quayle",
    "Rooke",
    "Shaw",
    "Thorne",
    "Upton",
    "Vickers",
    "Walsh",
    "Yates",
]

# Target state of each demo referral in a community (30 in all).
PLAN = (
    [Status.RECEIVED] * 3
    + [Status.SCREENING] * 3
    + [Status.ASSESSMENT] * 4
    + [Status.DECISION] * 3
    + [Status.ACCEPTED] * 4
    + [Status.ADMITTED] * 6
    + [Status.DECLINED] * 3
    + [Status.DEFERRED] * 2
    + [Status.WITHDRAWN]
    + [Status.ON_HOLD]
)
OVERRIDDEN = {13, 18}  # positions in PLAN accepted (one waiting, one admitted) with an override

EVIDENCE = {
    1: "Mental health in-reach assessment: no current psychotic symptoms.",
    2: "Signed the community agreement at interview; understands the three rules.",
    3: "Spoke thoughtfully about wanting to understand his offending; attends education.",
    4: "Assessed as within range by the psychology team.",
    5: "No proven adjudications in the last six months (NOMIS checked).",
}


def seed(stdout):
    today = timezone.localdate()
    communities = list(Community.objects.select_related("establishment"))
    for community in communities:
        if not community.suitability_criteria.exists():
            tm = User.objects.get(username=f"tm.{community.name.lower()}")
            for text, kind, threshold in DEFAULT_CRITERIA:
                services.criterion_add(
                    community=community, by=tm, text=text, kind=kind, threshold=threshold
                )
    if Referral.objects.exists():
        return []
    serial = 0
    for community in communities:
        rng = random.Random(f"referrals-{community.name}")  # noqa: S311 - repeatable demo data
        slug = community.name.lower()
        tm = User.objects.get(username=f"tm.{slug}")
        clinician = User.objects.get(username=f"clinician.{slug}")
        officer = User.objects.get(username=f"officer.{slug}")
        for position, target in enumerate(PLAN):
            serial += 1
            dates = plan_dates(target, today, rng)
            referred_on = dates["referred_on"]
            overridden = position in OVERRIDDEN
            months_left = rng.randint(8, 14) if overridden else rng.randint(24, 72)
            sentence = rng.choice(
                [
                    SentenceType.DETERMINATE,
                    SentenceType.DETERMINATE,
                    SentenceType.EXTENDED,
                    SentenceType.LIFE,
                    SentenceType.IPP,
                ]
            )
            release = today + timedelta(days=months_left * 30)
            referral = services.referral_submit(
                community=community,
                by=rng.choice([tm, clinician, officer]),
                prison_number=f"{'ABCDEFGHJKLMNPRSTUVWXYZ'[serial % 23]}{1000 + serial * 37 % 9000:04d}{'ABCDEFGH'[serial % 8]}{'JKLMNPRS'[serial // 8 % 8]}",
                first_name=rng.choice(FIRST),
                last_name=rng.choice(LAST),
                date_of_birth=today - timedelta(days=rng.randint(22 * 365, 55 * 365)),
                sentence_type=sentence,
                sentence_expiry_date=None
                if sentence in {SentenceType.LIFE, SentenceType.IPP}
                else release + timedelta(days=900),
                tariff_or_parole_date=release,
                conditional_release_date=None,
                risk_level=rng.choice(RiskLevel.values),
                source=rng.choice(Source.values),
                reason=rng.choice(REASONS),
                referred_on=referred_on,
            )
            walk(referral, target, tm=tm, clinician=clinician, overridden=overridden, dates=dates)
            backdate(referral, dates)
    return []


DECIDED = {Status.ACCEPTED, Status.ADMITTED, Status.DECLINED, Status.DEFERRED}
# Days ago each open referral was received: (earliest, latest).
OPEN_AGES = {
    Status.RECEIVED: (1, 14),
    Status.SCREENING: (5, 35),
    Status.ASSESSMENT: (20, 50),
    Status.DECISION: (30, 60),
    Status.ON_HOLD: (25, 90),
    Status.WITHDRAWN: (15, 150),
}


def plan_dates(target, today, rng) -> dict[str, date]:
    """The days of a referral's life: received, interviewed, decided and admitted, in
    order and none in the future. Decisions fall over the past six months, five to
    nine weeks after the referral (the target median is six); admissions follow the
    decision after a wait for a bed."""
    if target in DECIDED:
        if target == Status.ADMITTED:
            admitted_on = today - timedelta(days=rng.randint(2, 175))
            decided_on = admitted_on - timedelta(days=rng.randint(5, 35))
        else:
            admitted_on = None
            decided_on = today - timedelta(days=rng.randint(3, 180))
        referred_on = decided_on - timedelta(days=rng.randint(28, 60))
        end = decided_on
    else:
        admitted_on = decided_on = None
        oldest, newest = OPEN_AGES[target]
        referred_on = today - timedelta(days=rng.randint(oldest, newest))
        end = today - timedelta(days=rng.randint(0, min(10, (today - referred_on).days)))
    span = (end - referred_on).days
    return {
        "referred_on": referred_on,
        "interview_on": referred_on + timedelta(days=max(span * 2 // 3, 1)),
        "decided_on": decided_on,
        "admitted_on": admitted_on,
        "end": end,
    }


REASONS = [
    "Long history of violence linked to relationships; wants to understand the pattern before his parole hearing.",
    "Sentence plan target: address emotional regulation. Completed the Thinking Skills Programme and asks for more intensive work.",
    "Referred by the OMU after his key worker noticed he talks about his offending openly and wants help.",
    "Self-referral after hearing about the community from a former resident on the wing.",
    "Healthcare referral: personality difficulties, stable on no medication, motivated for group work.",
]


def walk(referral, target, *, tm, clinician, overridden, dates):
    """Take a referral through the real services to its target state."""
    if target == Status.RECEIVED:
        return
    if target == Status.WITHDRAWN:
        services.referral_withdraw(
            referral=referral, by=clinician, note="Transferred to another prison before screening."
        )
        return
    services.referral_start_screening(referral=referral, by=clinician)
    if target == Status.SCREENING:
        return
    if target == Status.ON_HOLD:
        services.referral_hold(
            referral=referral, by=clinician, note="On an ACCT: screening paused until it closes."
        )
        return
    services.referral_start_assessment(referral=referral, by=clinician)
    criteria = list(referral.community.suitability_criteria.filter(retired=False))
    for index, criterion in enumerate(criteria):
        if not criterion.computed and (target != Status.ASSESSMENT or index < 3):
            outcome = Outcome.NOT_MET if target == Status.DECLINED and index == 3 else Outcome.MET
            services.referral_record_outcome(
                referral=referral,
                criterion=criterion,
                outcome=outcome,
                evidence=EVIDENCE.get(index, "Discussed at interview.")
                if outcome == Outcome.MET
                else "Said he does not want to be in groups.",
                by=clinician,
            )
    services.referral_record_interview(
        referral=referral,
        held_on=dates["interview_on"],
        assessor=clinician,
        summary="Engaged well. Talked about his index offence and what he hopes to change. Understood the community's expectations.",
        by=clinician,
    )
    if target == Status.ASSESSMENT:
        return
    services.referral_ready_for_decision(referral=referral, by=clinician)
    if target == Status.DECISION:
        return
    if target == Status.DECLINED:
        services.referral_decline(
            referral=referral,
            by=tm,
            reason="Not motivated for group therapy at present; signposted to the wing psychology service.",
        )
    elif target == Status.DEFERRED:
        services.referral_defer(
            referral=referral,
            by=tm,
            rereview_on=max(
                dates["decided_on"] + timedelta(days=120), timezone.localdate() + timedelta(days=14)
            ),
            note="Suitable, but should complete his education course first.",
        )
    else:
        rationale = (
            (
                "Short time left to serve, but the parole board asked for evidence of therapeutic work; the team "
                "agreed he can complete the assessment phase and core treatment in the time available."
            )
            if overridden
            else ""
        )
        services.referral_accept(
            referral=referral,
            by=tm,
            priority=Priority.values[referral.pk % len(Priority.values)],
            rationale=rationale,
        )
        if target == Status.ADMITTED:
            services.referral_admit(
                referral=referral,
                by=tm,
                admitted_on=dates["admitted_on"],
            )


def at_ten(day, minutes=0):
    return timezone.make_aware(datetime.combine(day, time(10))) + timedelta(minutes=minutes)


def backdate(referral, dates):
    """Date the referral's moves as its plan says: the decision on its day, the
    admission on its day, the moves before them spread between the referral and the
    decision (or, still open, the last move). The services stamp today on the decision
    and on the override; the records and their history take the planned days instead
    (transitions carry no history)."""
    transitions = list(referral.transitions.order_by("pk"))
    anchors = {
        Status.ACCEPTED: dates["decided_on"],
        Status.DECLINED: dates["decided_on"],
        Status.DEFERRED: dates["decided_on"],
        Status.ADMITTED: dates["admitted_on"],
    }
    days: list[date | None] = [anchors.get(t.to_status) for t in transitions]
    days[0] = dates["referred_on"]
    if days[-1] is None:
        days[-1] = dates["end"]
    known = [i for i, day in enumerate(days) if day is not None]
    for left, right in zip(known, known[1:], strict=False):
        for i in range(left + 1, right):
            share = (i - left) / (right - left)
            days[i] = days[left] + timedelta(days=round((days[right] - days[left]).days * share))
    for minutes, (transition, day) in enumerate(zip(transitions, days, strict=True)):
        Transition.objects.filter(pk=transition.pk).update(at=at_ten(day, minutes))
    changed_at = at_ten(days[-1], len(days) - 1)
    decided = {"decided_on": dates["decided_on"]} if dates["decided_on"] else {}
    if referral.transitions.filter(to_status=Status.ACCEPTED).exists():
        decided["accepted_on"] = dates["decided_on"]
    Referral.objects.filter(pk=referral.pk).update(status_changed_at=changed_at, **decided)
    history = Referral.history.filter(id=referral.pk)
    for field_name, day in decided.items():
        history.filter(**{f"{field_name}__isnull": False}).update(**{field_name: day})
    if dates["decided_on"]:
        decided_at = at_ten(dates["decided_on"])
        Override.objects.filter(referral=referral).update(at=decided_at)
        Override.history.filter(referral_id=referral.pk).update(at=decided_at)
