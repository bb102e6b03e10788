"""The key pages of the service and the roles that open them, on a small estate built
around the cast: the pages the reflow and accessibility scans open
(tests/browser/test_reflow.py, tests/browser/test_accessibility.py). The same pages as
bench/pages.py's, and the forms and records a day on the wing goes through."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.urls import reverse

from audit import services as audit_services
from audit.models import StandardCriterion
from community import services as community_services
from dtc.models import Role
from residents.models import Resident
from tests.community.factories import AgendaItemFactory, CommunityMeetingFactory, MotionFactory
from tests.conftest import Cast
from tests.factories import ResidentFactory
from tests.referrals.factories import accepted, default_criteria, submitted
from tests.residents.factories import (
    AttendanceFactory,
    ClinicalDocumentFactory,
    GroupSessionFactory,
)
from tests.supervision.factories import AgreedActionFactory, SupervisionSessionFactory

HOP, TM, CLINICIAN, OFFICER, TRAINEE, AUDITOR = (
    Role.HEAD_OF_PSYCHOTHERAPY,
    Role.THERAPY_MANAGER,
    Role.CLINICIAN,
    Role.OFFICER,
    Role.TRAINEE,
    Role.AUDITOR,
)
STAFF = (HOP, TM, CLINICIAN, OFFICER, TRAINEE)  # everyone who works with residents
AUDIT = (HOP, TM, AUDITOR)


@dataclass
class Estate:
    cast: Cast
    resident: Resident
    pages: list[tuple[str, tuple[str, ...], str]]  # (label, roles, path)

    def pages_of(self, role: str) -> list[tuple[str, str]]:
        return [(label, path) for label, roles, path in self.pages if role in roles]


def build(cast: Cast) -> Estate:
    """Community A with a resident list long enough to page, a referral on the waiting
    list, a register, a document, a supervision session and a review cycle."""
    today = date.today()
    a, tm = cast.a, cast.tm_a
    residents = [
        ResidentFactory(community=a, small_group="Group 1", key_worker=cast.clinician_a)
        for _ in range(30)
    ]
    resident = residents[0]
    default_criteria(a, tm)
    referral = accepted(submitted(a, tm), tm)
    session = GroupSessionFactory(
        community=a, small_group="Group 1", recorded_by=tm, facilitators=[tm]
    )
    for someone in residents[:5]:
        AttendanceFactory(session=session, resident=someone, recorded_by=tm)
    document = ClinicalDocumentFactory(
        resident=resident, author=cast.clinician_a, due_on=today - timedelta(days=3)
    )
    supervision = SupervisionSessionFactory(
        community=a, supervisor=tm, supervisees=[cast.clinician_a]
    )
    AgreedActionFactory(session=supervision, owner=cast.clinician_a)
    slot = community_services.timetable_slot_add(
        community=a,
        kind="small_group",
        small_group=session.small_group,
        weekday=today.weekday(),
        starts_at="10:30",
        duration_minutes=90,
        valid_from=today - timedelta(days=14),
        facilitators=[cast.clinician_a],
        by=tm,
    )
    community_services.planned_session_cancel(
        slot=slot, on=today - timedelta(days=7), cause="regime", by=tm
    )
    meeting = CommunityMeetingFactory(community=a, minute_taker=cast.officer_a)
    AttendanceFactory(session=meeting.session, resident=resident, recorded_by=cast.officer_a)
    AgendaItemFactory(meeting=meeting, raised_by_staff=None, raised_by_resident=resident)
    motion = MotionFactory(
        community=a,
        kind="vote_out",
        resident=resident,
        meeting=meeting,
        held_on=meeting.held_on,
        ratification="awaiting",
        recorded_by=cast.officer_a,
    )
    cycle = audit_services.cycle_open(community=a, title="Review 2026", by=tm)
    criterion = StandardCriterion.objects.exclude(measure="").order_by("pk").first()

    def url(name, *args):
        return reverse(name, args=args)

    pages = [
        ("Home", (*STAFF, AUDITOR), url("home")),
        ("Notifications", (*STAFF, AUDITOR), url("notifications")),
        ("Account", (*STAFF, AUDITOR), url("profile")),
        ("Staff", STAFF, url("staff")),
        ("Community", STAFF, url("community_detail", a.pk)),
        ("Referral list", STAFF, url("referrals:referral_list")),
        ("Referral", STAFF, url("referrals:detail", referral.pk)),
        ("Waiting list", STAFF, url("referrals:waiting_list")),
        ("New referral", (TM, CLINICIAN), url("referrals:referral_submit")),
        ("Suitability criteria", (TM,), url("referrals:criteria", a.pk)),
        ("Resident list", STAFF, url("residents:resident_list")),
        ("Caseload", (CLINICIAN,), url("residents:caseload")),
        ("Resident page", STAFF, url("residents:detail", resident.pk)),
        ("Timeline", STAFF, url("residents:timeline", resident.pk)),
        ("Groups and registers", STAFF, url("residents:session_list")),
        ("Group register", (TM,), url("residents:attendance_record", session.pk)),
        ("Clinical document", (TM, CLINICIAN), url("residents:document", document.pk)),
        ("Overdue documents", (TM,), url("residents:documents_overdue")),
        ("Small groups", STAFF, url("residents:small_group_list")),
        ("Small group", (TM,), url("residents:small_group", session.small_group_id)),
        ("Timetable", STAFF, url("community:timetable")),
        ("Today's sessions", STAFF, url("community:today")),
        ("Timetable's sessions", (TM,), url("community:slot_list", a.pk)),
        ("Add a timetable session", (TM,), url("community:slot_add", a.pk)),
        ("Staff meetings", STAFF, url("community:staff_meeting_list")),
        ("Community meetings", STAFF, url("community:community_meeting_list")),
        ("Community meeting", STAFF, url("community:community_meeting_detail", meeting.pk)),
        ("Add an agenda item", (TM, OFFICER), url("community:agenda_item_add", meeting.pk)),
        ("Motions", STAFF, url("community:motion_list")),
        ("Motion", STAFF, url("community:motion_detail", motion.pk)),
        ("Set a decision aside", (TM,), url("community:motion_set_aside", motion.pk)),
        ("Constitution", STAFF, url("community:constitution_in_force", a.pk)),
        ("Community jobs", STAFF, url("community:job_list", a.pk)),
        ("Supervision list", STAFF, url("supervision:session_list")),
        ("Supervision session", (TM, CLINICIAN), url("supervision:detail", supervision.pk)),
        ("Supervision compliance", (TM,), url("supervision:compliance")),
        ("Audit", AUDIT, url("audit:index")),
        ("Review cycle", AUDIT, url("audit:cycle", cycle.pk)),
        ("Rate a criterion", (TM,), url("audit:criterion_rate", cycle.pk, criterion.pk)),
        ("KPIs by community", AUDIT, url("audit:kpi_compare")),
        ("KPIs of a community", AUDIT, url("audit:kpis", a.pk)),
        ("Clinical audits", AUDIT, url("audit:clinical_audits")),
        ("Case studies", AUDIT, url("audit:case_studies")),
    ]
    return Estate(cast=cast, resident=resident, pages=pages)
