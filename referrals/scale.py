"""The referrals of a large synthetic estate (`manage.py seed_scale`): each community's
suitability criteria, a referral behind every resident (admitted), and the rest in
every other status — open ones recent, some stuck past the alert, closed ones over
three years — each with the transitions that brought it there, and a few overrides."""

from datetime import timedelta

from dtc.models import Role
from dtc.scale import FIRST_NAMES, LAST_NAMES, Estate, Team

from .demo import DEFAULT_CRITERIA
from .models import (
    Override,
    Priority,
    Referral,
    RiskLevel,
    SentenceType,
    Source,
    Status,
    SuitabilityCriterion,
    Transition,
)

# The share of the referrals that were not admitted, by status, and how many days
# back from today each was referred (open ones are recent; None: as far back as the
# estate's history goes).
NOT_ADMITTED = {
    Status.DECLINED: (45, 14, None),
    Status.WITHDRAWN: (25, 14, None),
    Status.RECEIVED: (4, 1, 60),
    Status.SCREENING: (4, 3, 90),
    Status.ASSESSMENT: (5, 7, 120),
    Status.DECISION: (4, 14, 120),
    Status.ACCEPTED: (5, 20, 180),
    Status.DEFERRED: (4, 30, 365),
    Status.ON_HOLD: (4, 10, 200),
}
# The status a referral most often came from, for its last transition.
CAME_FROM = {
    Status.SCREENING: Status.RECEIVED,
    Status.ASSESSMENT: Status.SCREENING,
    Status.DECISION: Status.ASSESSMENT,
    Status.ACCEPTED: Status.DECISION,
    Status.ADMITTED: Status.ACCEPTED,
    Status.DECLINED: Status.DECISION,
    Status.DEFERRED: Status.DECISION,
    Status.WITHDRAWN: Status.SCREENING,
}
OPEN_STAGES = [Status.RECEIVED, Status.SCREENING, Status.ASSESSMENT, Status.DECISION]
REASONS = [
    "Wants to understand his offending and the harm it caused.",
    "Recommended by his offender manager after a sentence plan review.",
    "Repeated conflict on the wing; asks for help with his temper.",
    "Completed an offending behaviour programme and wants to go further.",
]
OVERRIDE_RATIONALE = (
    "Fourteen months left to serve, but a parole hearing is likely to be deferred and his "
    "motivation and engagement at assessment were strong."
)


def seed(estate: Estate) -> None:
    for team, count in zip(estate.teams, estate.per_team("referrals"), strict=True):
        criteria = _criteria(estate, team)
        admitted = team.residents[:count]
        for resident in admitted:
            referred_on = resident.admitted_on - timedelta(days=estate.rng.randint(45, 150))
            accepted_on = resident.admitted_on - timedelta(days=estate.rng.randint(7, 40))
            _referral(
                estate,
                team,
                criteria,
                Status.ADMITTED,
                referred_on=referred_on,
                changed_on=resident.admitted_on,
                accepted_on=accepted_on,
                resident=resident,
            )
        statuses = estate.rng.choices(
            list(NOT_ADMITTED),
            [weight for weight, _, _ in NOT_ADMITTED.values()],
            k=count - len(admitted),
        )
        for status in statuses:
            _, newest, oldest = NOT_ADMITTED[status]
            oldest = oldest or 365 * estate.years
            referred_on = estate.days_ago(estate.rng.randint(newest, oldest))
            since = (estate.today - referred_on).days
            _referral(
                estate,
                team,
                criteria,
                status,
                referred_on=referred_on,
                changed_on=referred_on + timedelta(days=estate.rng.randint(0, min(since, 90))),
                accepted_on=None,
            )


def _criteria(estate: Estate, team: Team) -> list[int]:
    ids = []
    for position, (text, kind, threshold) in enumerate(DEFAULT_CRITERIA, start=1):
        pk = estate.load.id(SuitabilityCriterion)
        estate.load.add(
            SuitabilityCriterion,
            id=pk,
            community_id=team.pk,
            text=text,
            kind=kind,
            threshold=threshold,
            position=position,
        )
        ids.append(pk)
    return ids


def _referral(
    estate, team, criteria, status, *, referred_on, changed_on, accepted_on, resident=None
):
    rng, load = estate.rng, estate.load
    submitters = [team.tm] + team.staff[Role.CLINICIAN] + team.staff[Role.OFFICER]
    submitted_by = rng.choice(submitters)
    sentence = rng.choice(list(SentenceType))
    release = estate.today + timedelta(days=rng.randint(18, 72) * 30)
    if status == Status.ACCEPTED:
        accepted_on = changed_on
    decided_on = (
        (accepted_on or changed_on)
        if status in {Status.ADMITTED, Status.ACCEPTED, Status.DECLINED, Status.DEFERRED}
        else None
    )
    held_from = rng.choice(OPEN_STAGES) if status == Status.ON_HOLD else ""
    pk = load.id(Referral)
    load.add(
        Referral,
        id=pk,
        community_id=team.pk,
        prison_number=resident.prison_number if resident else estate.next_prison_number(),
        first_name=resident.first_name if resident else rng.choice(FIRST_NAMES),
        last_name=resident.last_name if resident else rng.choice(LAST_NAMES),
        date_of_birth=resident.date_of_birth
        if resident
        else estate.days_ago(rng.randint(21 * 365, 60 * 365)),
        sentence_type=sentence,
        sentence_expiry_date=None
        if sentence in {SentenceType.LIFE, SentenceType.IPP}
        else release + timedelta(days=720),
        tariff_or_parole_date=release,
        conditional_release_date=None,
        risk_level=rng.choice(list(RiskLevel)),
        source=rng.choice(list(Source)),
        reason=rng.choice(REASONS),
        referred_on=referred_on,
        submitted_by_id=submitted_by,
        status=status,
        status_changed_at=estate.at(changed_on, hour=14),
        held_from=held_from,
        priority=rng.choice(list(Priority)) if accepted_on else None,
        accepted_on=accepted_on,
        decided_on=decided_on,
        rereview_on=estate.today + timedelta(days=rng.randint(-10, 120))
        if status == Status.DEFERRED
        else None,
        resident_id=resident.pk if resident else None,
    )
    load.add(
        Transition,
        id=load.id(Transition),
        referral_id=pk,
        from_status="",
        to_status=Status.RECEIVED,
        by_id=submitted_by,
        at=estate.at(referred_on),
    )
    if status != Status.RECEIVED:
        load.add(
            Transition,
            id=load.id(Transition),
            referral_id=pk,
            from_status=held_from or CAME_FROM[status],
            to_status=status,
            by_id=team.tm,
            at=estate.at(changed_on, hour=14),
            note="" if status in CAME_FROM and status != Status.WITHDRAWN else "Synthetic note.",
        )
    if accepted_on and rng.random() < 0.03:
        override = load.id(Override)
        # The HoP acknowledges an override within a fortnight; the latest still wait.
        acknowledged_on = accepted_on + timedelta(days=rng.randint(1, 14))
        acknowledged = acknowledged_on < estate.today
        load.add(
            Override,
            id=override,
            referral_id=pk,
            community_id=team.pk,
            by_id=team.tm,
            at=estate.at(accepted_on, hour=13),
            rationale=OVERRIDE_RATIONALE,
            acknowledged_at=estate.at(acknowledged_on) if acknowledged else None,
            acknowledged_by_id=estate.heads[team.cluster_id] if acknowledged else None,
        )
        load.add(
            Override.criteria.through, override_id=override, suitabilitycriterion_id=criteria[0]
        )
