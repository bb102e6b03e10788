"""Demo referrals: each community's default suitability criteria, and about 30
referrals per community spread over every state, overrides included. Synthetic
people only; deterministic, and skipped when referrals already exist."""

import random
from datetime import timedelta

from django.utils import timezone

from dtc.models import Community, User

from . import services
from .models import (
    CriterionKind,
    Outcome,
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
            referred_on = today - timedelta(days=rng.randint(20, 240))
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
            walk(referral, target, tm=tm, clinician=clinician, overridden=overridden, rng=rng)
            backdate(referral, referred_on, today, rng)
    return []


REASONS = [
    "Long history of violence linked to relationships; wants to understand the pattern before his parole hearing.",
    "Sentence plan target: address emotional regulation. Completed the Thinking Skills Programme and asks for more intensive work.",
    "Referred by the OMU after his key worker noticed he talks about his offending openly and wants help.",
    "Self-referral after hearing about the community from a former resident on the wing.",
    "Healthcare referral: personality difficulties, stable on no medication, motivated for group work.",
]


def walk(referral, target, *, tm, clinician, overridden, rng):
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
        held_on=referral.referred_on + timedelta(days=14),
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
            rereview_on=timezone.localdate() + timedelta(days=rng.randint(30, 120)),
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
            referral=referral, by=tm, priority=rng.choice(Priority.values), rationale=rationale
        )
        if target == Status.ADMITTED:
            services.referral_admit(
                referral=referral,
                by=tm,
                admitted_on=timezone.localdate() - timedelta(days=rng.randint(1, 10)),
            )


def backdate(referral, referred_on, today, rng):
    """Spread the transitions between the referral date and today, so the timeline and
    the "stuck" flag look like a year of real work (transitions carry no history)."""
    transitions = list(referral.transitions.order_by("pk"))
    span = max((today - referred_on).days, len(transitions))
    step = span // max(len(transitions), 1)
    moment = timezone.now() - timedelta(days=span)
    for transition in transitions:
        Transition.objects.filter(pk=transition.pk).update(at=moment)
        moment += timedelta(days=rng.randint(max(step // 2, 1), max(step, 1)))
    last = referral.transitions.order_by("-at").first()
    if last and last.at < referral.status_changed_at:
        referral.refresh_from_db()
        referral.status_changed_at = last.at
        referral.save()
