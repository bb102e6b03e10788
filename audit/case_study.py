"""A case study's content and its PDF: the resident's journey told by months, with every
free text redacted, rendered by WeasyPrint (audit/pdf.py)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from community.selectors import jobs_held_by, motions_about
from dtc.models import StaffProfile, User
from referrals.models import Referral
from residents import dosage as resident_dosage
from residents import selectors as resident_selectors
from residents.models import (
    Phase,
    PlanStatus,
    Resident,
)

from . import anonymise, pdf
from .charts import bar_chart


def known_identifiers() -> anonymise.Known:
    """Every person's name and identifier the service holds: the distinct first and last
    names of residents, referred prisoners and staff, and staff's usernames and
    professional registration numbers, as the database dedupes them (a few thousand
    words, however many people). Prison numbers need no list: every one is found by its
    form, and dates of birth neither."""

    def column(model, field):
        # Unordered: a model's default ordering would sort each part before the union.
        return model.objects.order_by().values_list(field, flat=True)

    names = column(Resident, "first_name").union(
        column(Resident, "last_name"),
        column(Referral, "first_name"),
        column(Referral, "last_name"),
        column(User, "first_name"),
        column(User, "last_name"),
    )
    return anonymise.known_from(
        people=[(name, "") for name in names],
        identifiers=StaffProfile.objects.exclude(registration_number="").values_list(
            "registration_number", flat=True
        ),
        # Dates of birth need no list either: any date written as a date, or as six or
        # eight figures that read as one, is redacted (anonymise.find).
        dates=(),
        usernames=User.objects.values_list("username", flat=True),
    )


@dataclass
class Event:
    on: date
    what: str
    month_of_stay: int


@dataclass
class Bar:
    month: date
    attended: Decimal
    planned: Decimal | None


def month_of_stay(admitted_on: date, day: date) -> int:
    delta = relativedelta(day, admitted_on)
    return max(delta.years * 12 + delta.months + 1, 1)


def length_of_stay(admitted_on: date, end: date) -> str:
    delta = relativedelta(end, admitted_on)
    months = delta.years * 12 + delta.months
    if months:
        return f"{months} month{'s' if months != 1 else ''}"
    weeks = (end - admitted_on).days // 7
    if not weeks:
        return "Less than a week"
    return f"{weeks} week{'s' if weeks != 1 else ''}"


def content(resident: Resident, *, today: date, phrases: tuple[str, ...] = ()) -> dict:
    """Everything the case study shows, anonymised (with `phrases` redacted by hand too):
    the template only lays it out."""
    name = anonymise.pseudonym(resident.pk)
    known = known_identifiers()
    own = frozenset(anonymise.name_words(resident.first_name, resident.last_name))

    redactor = anonymise.Redactor(known, own_names=own, pseudonym=name, phrases=phrases)
    # Every free text the case study shows, where it is shown: its reviewers read each
    # beside what it was before redaction.
    texts: list[tuple[str, anonymise.Redacted]] = []

    def clean(text: str, where: str) -> anonymise.Redacted:
        redacted = redactor(text)
        if redacted.original.strip() and (where, redacted) not in texts:
            texts.append((where, redacted))
        return redacted

    end = resident.left_on or today
    admitted = resident.admitted_on
    events: list[tuple[date, str]] = [(admitted, "Admitted to the community")]

    previous = None
    for when, phase in (
        Resident.history.filter(id=resident.pk)
        .order_by("history_date")
        .values_list("history_date", "phase")
    ):
        if previous is not None and phase != previous and phase != Phase.LEFT:
            events.append((timezone.localdate(when), f"Moved to {Phase(phase).label.lower()}"))
        previous = phase

    plans = list(resident.plans.prefetch_related("goals").order_by("version"))
    for plan in plans:
        if plan.signed_off_at:
            events.append(
                (
                    timezone.localdate(plan.signed_off_at),
                    f"Treatment plan version {plan.version} signed off",
                )
            )
    reviews = list(resident.reviews.in_effect().order_by("held_on", "pk"))
    for review in reviews:
        events.append((review.held_on, f"Therapy review: {review.get_outcome_display().lower()}"))
    # The motions about the resident, told by kind, outcome and tally alone: no other
    # resident's name (a job's name is cleaned as the jobs' are).
    for motion in reversed(list(motions_about(resident))):
        what = motion.get_kind_display()
        if motion.job_id:
            what += f" ({clean(motion.job.name, 'A community job')})"
        events.append(
            (
                motion.held_on,
                f"{what}: {motion.get_outcome_display().lower()} "
                f"({motion.residents_for} for, {motion.residents_against} against"
                + (f", {motion.residents_abstain} abstaining" if motion.residents_abstain else "")
                + ")"
                + (
                    f", {motion.get_ratification_display().lower()}"
                    if motion.ratification != "not_needed"
                    else ""
                ),
            )
        )
    for incident in resident.incidents.in_effect().order_by("occurred_on", "pk"):
        events.append(
            (
                incident.occurred_on,
                f"{incident.get_kind_display()}, {incident.get_seriousness_display().lower()} seriousness",
            )
        )
    for acct in resident.acct_periods.in_effect().order_by("opened_on", "pk"):
        events.append((acct.opened_on, "ACCT (self-harm care) opened"))
        if acct.closed_on:
            events.append((acct.closed_on, "ACCT closed"))
    # The community jobs held: a variety of roles for residents is part of the evidence.
    for holding in jobs_held_by(resident):
        job = clean(holding.job.name, "A community job")
        events.append(
            (
                holding.from_on,
                f"Took up the community job of {job} ({holding.get_filled_by_display().lower()})",
            )
        )
        if holding.to_on:
            events.append((holding.to_on, f"Last day as {job}"))
    decisions = list(resident.decisions.in_effect().order_by("decided_on", "pk"))
    for decision in decisions:
        events.append((decision.decided_on, f"Decision: {decision.get_kind_display().lower()}"))
    if resident.phase == Phase.LEFT and resident.left_on:
        events.append((resident.left_on, f"Left: {resident.get_leaving_type_display().lower()}"))
    events.sort(key=lambda event: event[0])

    current = resident_selectors.current_plan(resident)
    dosage = resident_dosage.dosage(resident, today=today, plan=current)
    monthly = monthly_bars(
        dosage.by_month, admitted, end, current.expected_weekly_hours if current else None
    )

    return {
        "pseudonym": name,
        "community": resident.community,
        "age_band": anonymise.age_band(resident.date_of_birth, admitted),
        "admitted": admitted,
        "length_of_stay": length_of_stay(admitted, end),
        "left": resident.phase == Phase.LEFT,
        "status": (
            resident.get_leaving_type_display()
            if resident.phase == Phase.LEFT
            else resident.get_phase_display()
        ),
        "produced_on": today,
        "events": [Event(on, what, month_of_stay(admitted, on)) for on, what in events],
        "plans": [
            {
                "plan": plan,
                "month_of_stay": month_of_stay(admitted, timezone.localdate(plan.created_at)),
                "signed_off": plan.status == PlanStatus.SIGNED_OFF,
                "goals": [
                    {
                        "area": goal.get_need_area_display(),
                        "description": clean(
                            goal.description,
                            f"Treatment plan version {plan.version}: {goal.get_need_area_display()} goal",
                        ),
                        "interventions": goal.intervention_labels(),
                    }
                    for goal in sorted(plan.goals.all(), key=lambda g: (g.need_area, g.pk))
                ],
            }
            for plan in plans
        ],
        "reviews": [
            {
                "on": review.held_on,
                "month_of_stay": month_of_stay(admitted, review.held_on),
                "outcome": review.get_outcome_display(),
                "summary": clean(review.summary, f"Therapy review of {review.held_on:%-d %B %Y}"),
            }
            for review in reviews
        ],
        "decisions": [
            {
                "on": decision.decided_on,
                "month_of_stay": month_of_stay(admitted, decision.decided_on),
                "kind": decision.get_kind_display(),
                "weekly_hours": decision.weekly_hours,
                "rationale": clean(
                    decision.rationale,
                    f"Decision of {decision.decided_on:%-d %B %Y}: {decision.get_kind_display().lower()}",
                ),
            }
            for decision in decisions
        ],
        "texts": texts,
        "dosage": dosage,
        "weekly_hours": current.expected_weekly_hours if current else None,
        "monthly": monthly,
        "chart": bar_chart(
            title="Hours attended each month against the planned hours",
            categories=[f"{bar.month:%b %Y}" for bar in monthly],
            series=[("Hours attended", [bar.attended for bar in monthly])],
            markers=("Hours planned", [bar.planned for bar in monthly]) if current else None,
            unit="hours",
        ),
    }


def monthly_bars(by_month, admitted: date, end: date, weekly_hours) -> list[Bar]:
    """Hours attended in each month of the stay (none is zero), against the hours the plan
    in force asks for over the days of that month the resident was on the community (the
    residents' page spreads the same plan over the whole stay)."""
    attended = dict(by_month)
    bars = []
    month = admitted.replace(day=1)
    while month <= end:
        next_month = month + relativedelta(months=1)
        days = (min(next_month, end + relativedelta(days=1)) - max(month, admitted)).days
        planned = None
        if weekly_hours is not None:
            planned = (weekly_hours * Decimal(days) / 7).quantize(Decimal("0.1"))
        bars.append(Bar(month, attended.get(month, Decimal("0.0")), planned))
        month = next_month
    return bars


def render_pdf(
    resident: Resident, *, today: date, phrases: tuple[str, ...] = ()
) -> tuple[bytes, int, list[tuple[str, anonymise.Redacted]]]:
    """The case study as PDF bytes, its page count and its free texts (content's "texts")."""
    shown = content(resident, today=today, phrases=phrases)
    return (*pdf.render("audit/case_study_pdf.html", shown), shown["texts"])
