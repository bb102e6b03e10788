"""Computed evidence figures shown beside a criterion's rating.

Each measure answers (numerator, denominator) for a community on a date; a
criterion names its measure in StandardCriterion.measure."""

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.db.models import Exists, Min, OuterRef, Q, Sum
from django.utils.timezone import localtime

from community.models import AgendaItem, JobHolding, MeetingKind, Motion, StaffMeeting
from community.selectors import timetable
from dtc.models import Role, RoleAssignment
from residents.dosage import minutes_attended
from residents.models import (
    ATTENDED,
    Attendance,
    ClinicalDocument,
    GroupSession,
    Incident,
    IncidentKind,
    Intervention,
    PlanStatus,
    Resident,
    TherapyReview,
    TreatmentPlan,
)

from . import kpis


@dataclass(frozen=True)
class Figure:
    numerator: int
    denominator: int
    label: str = ""

    @property
    def percent(self) -> int | None:
        return round(100 * self.numerator / self.denominator) if self.denominator else None


@dataclass(frozen=True)
class Measure:
    label: str
    compute: Callable[..., Figure]


def registration_current(community, today: date) -> Figure:
    """Clinical staff on the team whose professional registration is in date."""
    clinical = (
        RoleAssignment.objects.active()
        .filter(community=community, role__in=[Role.THERAPY_MANAGER, Role.CLINICIAN, Role.TRAINEE])
        .values("user")
        .distinct()
    )
    current = clinical.filter(user__profile__registration_renewal_date__gte=today)
    return Figure(current.count(), clinical.count())


def _in_residence(community, today: date):
    return Resident.objects.filter(community=community, admitted_on__lte=today).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=today)
    )


def plans_signed_off(community, today: date) -> Figure:
    """Residents 12 weeks or more into their stay who have a signed-off treatment plan."""
    due = _in_residence(community, today).filter(admitted_on__lte=today - timedelta(weeks=12))
    signed = due.filter(plans__status=PlanStatus.SIGNED_OFF).distinct()
    return Figure(signed.count(), due.count())


def plans_reviewed(community, today: date) -> Figure:
    """Residents six months or more into their stay whose therapy was reviewed in the
    last six months."""
    since = today - relativedelta(months=6)
    due = _in_residence(community, today).filter(admitted_on__lte=since)
    reviewed = due.filter(
        pk__in=TherapyReview.objects.in_effect()
        .filter(held_on__gt=since, held_on__lte=today)
        .values("resident")
    )
    return Figure(reviewed.count(), due.count())


def dosage_against_plan(community, today: date) -> Figure:
    """Residents with a signed-off plan who attended its weekly hours over the last four weeks."""
    since = today - timedelta(weeks=4)
    planned: dict[int, object] = {}
    for resident_id, hours in (
        TreatmentPlan.objects.filter(
            resident__in=_in_residence(community, today), status=PlanStatus.SIGNED_OFF
        )
        .order_by("resident_id", "version")
        .values_list("resident_id", "expected_weekly_hours")
    ):
        planned[resident_id] = hours  # the latest signed-off version wins
    attended = dict(
        Attendance.objects.filter(
            resident_id__in=planned,
            status__in=ATTENDED,
            session__held_on__gt=since,
            session__held_on__lte=today,
        )
        .values_list("resident_id")
        .annotate(minutes=Sum(minutes_attended()))
        .values_list("resident_id", "minutes")
    )
    met = sum(1 for pk, hours in planned.items() if attended.get(pk, 0) >= hours * 4 * 60)
    return Figure(met, len(planned))


def supervision_compliance(community, today: date) -> Figure:
    """Supervision periods the team met over the last six months."""
    met, total = kpis.supervision_periods([community.pk], today).get(community.pk, (0, 0))
    return Figure(met, total)


def documents_on_time(community, today: date) -> Figure:
    """Documents due in the last six months that were signed off by their due date."""
    due = ClinicalDocument.objects.filter(
        resident__community=community,
        due_on__gt=today - relativedelta(months=6),
        due_on__lte=today,
    ).values_list("signed_off_at", "due_on")
    on_time = sum(
        1 for signed_at, due_on in due if signed_at and localtime(signed_at).date() <= due_on
    )
    return Figure(on_time, len(due))


def agreed_at_induction(community, today: date) -> Figure:
    """Residents admitted in the last year, a month or more ago, who agreed to the
    constitution within their first month."""
    due = (
        Resident.objects.filter(
            community=community,
            admitted_on__gt=today - relativedelta(years=1),
            admitted_on__lte=today - relativedelta(months=1),
        )
        .annotate(
            first_agreed=Min(
                "constitution_agreements__agreed_on",
                filter=Q(
                    constitution_agreements__entered_in_error_at__isnull=True,
                    constitution_agreements__superseded=False,
                ),
            )
        )
        .values_list("admitted_on", "first_agreed")
    )
    agreed = sum(
        1
        for admitted_on, first_agreed in due
        if first_agreed is not None and first_agreed <= admitted_on + relativedelta(months=1)
    )
    return Figure(agreed, len(due))


def community_meetings_held(community, today: date) -> Figure:
    """Community meetings held of those the timetable planned over the last 13 weeks."""
    held, planned = timetable.meetings_held(
        [community.pk], start=today - timedelta(weeks=13) + timedelta(days=1), end=today
    ).get(community.pk, (0, 0))
    return Figure(held, planned)


def staff_team_weekly(community, today: date) -> Figure:
    """Of the last 12 whole weeks (Monday to Sunday), those in which the staff team met."""
    last_monday = timetable.week_of(today)
    first = last_monday - timedelta(weeks=12)
    met = {
        timetable.week_of(held_on)
        for held_on in StaffMeeting.objects.in_effect()
        .filter(community=community, kind=MeetingKind.STAFF_TEAM)
        .filter(held_on__gte=first, held_on__lt=last_monday)
        .values_list("held_on", flat=True)
    }
    return Figure(len(met), 12)


def meetings_minuted(community, today: date) -> Figure:
    """Community meetings held over the last 13 weeks whose minutes are recorded (the
    agenda, the decisions and the motions put to the vote)."""
    since = today - timedelta(weeks=13)
    held = GroupSession.objects.filter(
        community=community,
        group_type=Intervention.COMMUNITY_MEETING,
        held_on__gt=since,
        held_on__lte=today,
    )
    minuted = held.filter(community_meeting__isnull=False)
    return Figure(minuted.count(), held.count())


def rule_breaks_brought(community, today: date) -> Figure:
    """Rule breaks of the last 13 weeks (to a week ago) brought to a community meeting
    within a week: an agenda item or a motion about the resident, with the response."""
    since = today - timedelta(weeks=13)
    breaks = Incident.objects.in_effect().filter(
        resident__community=community,
        kind=IncidentKind.RULE_BREAK,
        occurred_on__gt=since,
        occurred_on__lte=today - timedelta(days=7),
    )
    items = AgendaItem.objects.in_effect().filter(
        about_id=OuterRef("resident_id"),
        meeting__held_on__gte=OuterRef("occurred_on"),
        meeting__held_on__lte=OuterRef("occurred_on") + timedelta(days=7),
    )
    motions = Motion.objects.in_effect().filter(
        resident_id=OuterRef("resident_id"),
        held_on__gte=OuterRef("occurred_on"),
        held_on__lte=OuterRef("occurred_on") + timedelta(days=7),
    )
    brought = breaks.filter(Q(Exists(items)) | Q(Exists(motions)))
    return Figure(brought.count(), breaks.count())


def residents_in_jobs(community, today: date) -> Figure:
    """Current residents holding a community job today."""
    residents = _in_residence(community, today)
    holding = residents.filter(pk__in=JobHolding.objects.held_on(today).values("resident"))
    return Figure(holding.count(), residents.count())


MEASURES: dict[str, Measure] = {
    "registration_current": Measure(
        "Clinical staff with current registration", registration_current
    ),
    "plans_signed_off": Measure("Residents past 12 weeks with a signed-off plan", plans_signed_off),
    "plans_reviewed": Measure(
        "Residents past six months reviewed in the last six months", plans_reviewed
    ),
    "dosage_against_plan": Measure(
        "Residents attending their planned weekly hours (last four weeks)", dosage_against_plan
    ),
    "supervision_compliance": Measure(
        "Supervision periods met by the team (last six months)", supervision_compliance
    ),
    "documents_on_time": Measure(
        "Documents due in the last six months signed off on time", documents_on_time
    ),
    "agreed_at_induction": Measure(
        "Residents admitted in the last year who agreed to the constitution in their first month",
        agreed_at_induction,
    ),
    "community_meetings_held": Measure(
        "Community meetings held of those timetabled (last 13 weeks)", community_meetings_held
    ),
    "meetings_minuted": Measure(
        "Community meetings held with their minutes recorded (last 13 weeks)", meetings_minuted
    ),
    "rule_breaks_brought": Measure(
        "Rule breaks brought to a community meeting within a week (last 13 weeks)",
        rule_breaks_brought,
    ),
    "residents_in_jobs": Measure("Residents holding a community job", residents_in_jobs),
    "staff_team_weekly": Measure(
        "Weeks in which the staff team met (last 12 weeks)", staff_team_weekly
    ),
}


def figure(name: str, community, today: date) -> Figure | None:
    measure = MEASURES.get(name)
    if measure is None:
        return None
    return replace(measure.compute(community, today), label=measure.label)
