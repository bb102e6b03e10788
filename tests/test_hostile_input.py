"""No server error on any input: a walk of every URL pattern of the project with hostile
values in every query parameter and form field, for several roles.

Every request runs inside a savepoint that is rolled back afterwards, so each one meets
the same records (a POST that succeeds changes nothing for the next) and a database
error (PostgreSQL refuses NUL bytes) cannot poison the rest of the walk. Failures are
collected, so one run lists them all: URL, role, where the value went and the value.

To stay within a couple of minutes, each value goes to one role in turn, not to all of
them; every parameter the project reads is sent at once, and only a combination that
fails is taken apart. The walk is one test per app (the URL's namespace), so that the
apps are walked side by side under bin/test. DTC_WALK_ONLY=<regex of routes> walks part
of it by hand.
"""

import os
import re
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote_plus, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from audit import kpis
from audit import services as audit_services
from audit.models import (
    AuditTemplate,
    CaseStudy,
    Rating,
    RecordKind,
    RenderStatus,
    StandardCriterion,
)
from community import services as community_services
from dtc.models import User
from referrals.models import Interview, Override, SuitabilityCriterion
from residents.models import DocumentStatus, Incident, SmallGroupMembership
from tests import factories
from tests.community.constitution_factories import amend
from tests.community.factories import (
    AgendaItemFactory,
    CommunityMeetingFactory,
    MotionFactory,
    ResidentDiscussedFactory,
    StaffMeetingActionFactory,
    StaffMeetingFactory,
)
from tests.referrals.factories import ReferralFactory, accepted, at_decision, default_criteria
from tests.residents.factories import (
    AcctPeriodFactory,
    AttendanceFactory,
    ClinicalDocumentFactory,
    GroupSessionFactory,
    PlanGoalFactory,
    TreatmentPlanFactory,
)
from tests.supervision.factories import AgreedActionFactory, SupervisionSessionFactory

UNKNOWN_ID = "987654"
HUGE = "99999999999999999999"

# Each value once in every query parameter and form field.
HOSTILE = [
    "abc",
    "-1",
    HUGE,
    UNKNOWN_ID,
    "\x00",
    "a\x00b",
    "\x01\x1b\x7f",
    "\ud800",  # a lone surrogate: sent as the bytes a browser would (%ED%A0%80)
    "²",  # isdigit() says yes, int() says no
    "0001-01-01",
    "9999-12-31",
    "0000-00-00",
    "0",
    "32",
    "99999",
    "x" * 100_000,
]

# Given to one field at a time, the others keeping their defaults.
ONE_FIELD = ["abc", HUGE, "\x00", "\ud800", "x" * 100_000]

# The query parameters the project's views read (grep request.GET), tried on every page.
KNOWN_PARAMETERS = [
    "q",
    "page",
    "community",
    "phase",
    "small_group",
    "key_worker",
    "review_overdue",
    "acct_open",
    "left",
    "right",
    "type",
    "status",
    "period",
    "start",
    "format",
    "kind",
]


def encode(pairs) -> str:
    """Form-encode as a browser would: a lone surrogate becomes its UTF-8 bytes."""
    return "&".join(
        f"{quote_plus(key)}={quote_plus(value.encode('utf-8', 'surrogatepass'))}"
        for key, value in pairs
    )


def shown(value: str) -> str:
    return repr(value if len(value) < 40 else f"{value[:10]}…({len(value)} chars)")


# The findings of the first walk, one test each -----------------------------------------


@pytest.mark.django_db
def test_a_non_numeric_resident_on_the_case_study_request_is_a_form_error(client, cast):
    client.force_login(cast.auditor_a)
    response = client.post(
        reverse("audit:case_study_request", args=[cast.a.pk]), {"resident": "abc"}
    )
    assert response.status_code == 200
    assert "Choose a resident from the list" in response.content.decode()
    assert not CaseStudy.objects.exists()


@pytest.mark.django_db
def test_a_non_numeric_community_on_the_clinical_audit_list_shows_them_all(client, cast):
    client.force_login(cast.tm_a)
    response = client.get(reverse("audit:clinical_audits"), {"community": "abc"})
    assert response.status_code == 200
    assert response.context["community"] is None


@pytest.mark.django_db
@pytest.mark.parametrize("csv", [False, True], ids=["page", "csv"])
def test_a_start_at_the_beginning_of_the_calendar_shows_the_current_kpi_period(client, cast, csv):
    client.force_login(cast.tm_a)
    query = {"period": "quarter", "start": "0001-01-01"} | ({"format": "csv"} if csv else {})
    response = client.get(reverse("audit:kpis", args=[cast.a.pk]), query)
    assert response.status_code == 200
    current = kpis.Period.containing("quarter", timezone.localdate())
    if csv:
        assert current.label in response.content.decode()
    else:
        assert response.context["period"] == current
        assert "The start date asked for is not one the figures" in response.content.decode()


@pytest.mark.django_db
def test_a_start_at_the_beginning_of_the_calendar_on_the_kpi_comparison(client, cast):
    client.force_login(cast.hop)
    for query in ({"start": "0001-01-01"}, {"start": "0001-01-01", "format": "csv"}):
        assert client.get(reverse("audit:kpi_compare"), query).status_code == 200


@pytest.mark.django_db
def test_a_nul_in_the_resident_search_is_dropped(client, cast):
    resident = factories.ResidentFactory(community=cast.a, last_name="Okonkwo")
    client.force_login(cast.tm_a)
    response = client.get(reverse("residents:resident_list"), {"q": "Okon\x00kwo"})
    assert response.status_code == 200
    assert list(response.context["page"]) == [resident]


@pytest.mark.django_db
def test_a_nul_in_the_supervision_search_is_dropped(client, cast):
    session = SupervisionSessionFactory(
        community=cast.a, supervisor=cast.tm_a, supervisees=[cast.clinician_a]
    )
    client.force_login(cast.tm_a)
    response = client.get(
        reverse("supervision:session_list"), {"q": f"{cast.clinician_a.last_name[:2]}\x00"}
    )
    assert response.status_code == 200
    assert session in list(response.context["page"])


@pytest.mark.django_db
def test_a_nul_in_the_staff_search_is_dropped(client, cast):
    client.force_login(cast.tm_a)
    name = cast.clinician_a.last_name
    response = client.get(reverse("staff"), {"q": f"{name[:2]}\x00{name[2:]}"})
    assert response.status_code == 200
    assert cast.clinician_a in {assignment.user for assignment in response.context["page"]}


@pytest.mark.django_db
def test_an_id_larger_than_any_database_holds_in_a_checkbox_list_is_a_form_error(client, cast):
    client.force_login(cast.tm_a)
    response = client.post(
        reverse("supervision:session_record", args=[cast.a.pk]), {"supervisees": [HUGE]}
    )
    assert response.status_code == 200
    assert "supervisees" in response.context["form"].errors


@pytest.mark.django_db
@pytest.mark.parametrize("object_id", ["abc", "%00"])
def test_an_admin_history_page_for_an_id_that_is_not_one_is_not_found(client, cast, object_id):
    client.force_login(User.objects.create_superuser("root", "root@example.com", "x"))
    response = client.get(f"/admin/dtc/community/{object_id}/history/")
    assert response.status_code == 404


@pytest.mark.django_db
def test_the_admin_history_of_a_referral_transition_is_the_change_log(client, cast):
    referral = ReferralFactory(community=cast.a)
    at_decision(referral, cast.tm_a)
    transition = referral.transitions.first()
    client.force_login(User.objects.create_superuser("root", "root@example.com", "x"))
    response = client.get(f"/admin/referrals/transition/{transition.pk}/history/")
    assert response.status_code == 200


@pytest.mark.django_db
def test_a_sign_in_with_a_username_too_long_to_record_is_refused(client, cast):
    # django-axes records a failed sign-in's username; PostgreSQL refuses one past 255.
    response = client.post(reverse("login"), {"username": "x" * 300, "password": "wrong"})
    assert response.status_code == 200
    assert "Enter a correct username and password" in response.content.decode()


# The pages' forms and links -------------------------------------------------------------


@dataclass
class Form:
    method: str
    action: str
    fields: list[tuple[str, str]] = field(default_factory=list)  # (name, default value)


class PageParser(HTMLParser):
    """The forms (their fields with default values) and the links of a page."""

    def __init__(self):
        super().__init__()
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._select_value: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "option" and self._select is not None:
            # The selected option, else the first.
            if self._select_value is None or "selected" in a:
                self._select_value = a.get("value", "")
        elif tag == "form":
            self._form = Form(a.get("method", "get").lower(), a.get("action", ""))
            self.forms.append(self._form)
        elif self._form is None or not a.get("name"):
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if kind in {"checkbox", "radio"} and "checked" not in a:
                if not any(name == a["name"] for name, _ in self._form.fields):
                    self._form.fields.append((a["name"], ""))
                return
            if kind in {"submit", "button", "image", "reset"}:
                return
            self._form.fields.append((a["name"], a.get("value", "")))
        elif tag == "button" and a.get("type", "submit") == "submit":
            self._form.fields.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select, self._select_value = a["name"], None
        elif tag == "textarea":
            self._textarea = a["name"]
            self._form.fields.append((a["name"], ""))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._form = None
        elif tag == "select" and self._select and self._form:
            self._form.fields.append((self._select, self._select_value or ""))
            self._select = None

    def handle_data(self, data):
        if self._textarea and self._form:
            name, _ = self._form.fields[-1]
            self._form.fields[-1] = (name, data)
            self._textarea = None


def parse(html: str) -> PageParser:
    parser = PageParser()
    parser.feed(html)
    return parser


# The records the walk visits ------------------------------------------------------------


@pytest.fixture
def world(cast, settings, tmp_path):
    """One of each main object in community A, in the states the URLs act on."""
    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    default_criteria(cast.a, cast.tm_a)
    received = ReferralFactory(community=cast.a, submitted_by=cast.clinician_a)
    deciding = at_decision(ReferralFactory(community=cast.a), cast.tm_a)
    waiting = accepted(ReferralFactory(community=cast.a), cast.tm_a)
    override = Override.objects.create(
        referral=waiting, community=cast.a, by=cast.tm_a, rationale="Walked."
    )
    resident = factories.ResidentFactory(community=cast.a, key_worker=cast.officer_a)
    plan = TreatmentPlanFactory(resident=resident, created_by=cast.clinician_a)
    goal = PlanGoalFactory(plan=plan)
    draft = ClinicalDocumentFactory(resident=resident, author=cast.clinician_a)
    submitted = ClinicalDocumentFactory(
        resident=resident, author=cast.clinician_a, status=DocumentStatus.SUBMITTED
    )
    signed = ClinicalDocumentFactory(
        resident=resident,
        author=cast.clinician_a,
        status=DocumentStatus.SIGNED_OFF,
        signed_off_by=cast.tm_a,
        signed_off_at=timezone.now(),
    )
    acct = AcctPeriodFactory(resident=resident, opened_by=cast.officer_a)
    incident = Incident.objects.create(
        resident=resident,
        occurred_on=today,
        kind="incident",
        seriousness="low",
        description="Shouting on the landing.",
        recorded_by=cast.officer_a,
    )
    interview = Interview.objects.create(
        referral=deciding,
        held_on=today,
        assessor=cast.clinician_a,
        summary="Motivated.",
        recorded_by=cast.clinician_a,
    )
    group = GroupSessionFactory(
        community=cast.a, recorded_by=cast.clinician_a, facilitators=[cast.clinician_a]
    )
    mark = AttendanceFactory(session=group, resident=resident, recorded_by=cast.clinician_a)
    small_group = factories.small_group_named(cast.a, "Oak")
    membership = SmallGroupMembership.objects.create(
        group=small_group, resident=resident, joined_on=resident.admitted_on
    )
    supervision = SupervisionSessionFactory(
        community=cast.a, supervisor=cast.tm_a, supervisees=[cast.clinician_a]
    )
    action = AgreedActionFactory(session=supervision)
    slot = community_services.timetable_slot_add(
        community=cast.a,
        kind="community_meeting",
        weekday=today.weekday(),
        starts_at="09:30",
        duration_minutes=60,
        valid_from=today - timedelta(days=14),
        facilitators=[cast.clinician_a],
        by=cast.tm_a,
    )
    staff_meeting = StaffMeetingFactory(
        community=cast.a, recorded_by=cast.tm_a, staff_present=[cast.tm_a, cast.officer_a]
    )
    staff_meeting_action = StaffMeetingActionFactory(meeting=staff_meeting, owner=cast.officer_a)
    ResidentDiscussedFactory(meeting=staff_meeting, resident=resident)
    community_meeting = CommunityMeetingFactory(community=cast.a, minute_taker=cast.officer_a)
    agenda_item = AgendaItemFactory(meeting=community_meeting, about=resident)
    meeting_session = GroupSessionFactory(
        community=cast.a, group_type="community_meeting", recorded_by=cast.officer_a
    )
    motion = MotionFactory(
        community=cast.a,
        kind="vote_out",
        resident=resident,
        meeting=community_meeting,
        held_on=community_meeting.held_on,
        ratification="awaiting",
        recorded_by=cast.officer_a,
    )
    cycle = audit_services.cycle_open(community=cast.a, title="Annual review", by=cast.tm_a)
    criterion = StandardCriterion.objects.filter(retired=False).first()
    audit_services.criterion_rate(
        cycle=cycle,
        criterion=criterion,
        rating=Rating.NOT_MET,
        evidence="Sampled records.",
        by=cast.tm_a,
        action_description="Review every plan",
        action_owner=cast.tm_a,
        action_due=today + timedelta(days=30),
    )
    template = audit_services.audit_template_save(
        template=AuditTemplate(title="Plan audit", record_kind=RecordKind.TREATMENT_PLAN),
        questions=["Signed?", "Reviewed?"],
        by=cast.hop,
    )
    run = audit_services.audit_run_start(
        template=template, community=cast.a, sample_size=1, by=cast.tm_a
    )
    leaver = factories.ResidentFactory(
        community=cast.a,
        admitted_on=date(2020, 1, 6),
        phase="left",
        left_on=date(2022, 3, 1),
        leaving_type="completed",
    )
    case_study = audit_services.case_study_request(resident=leaver, by=cast.auditor_a)
    CaseStudy.objects.filter(pk=case_study.pk).update(status=RenderStatus.READY)
    case_study.refresh_from_db()
    case_study.file.save("walk.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    subject_access = audit_services.subject_access_request(
        prison_number=received.prison_number, reason="Walk", by=cast.hop
    )
    constitution = amend(cast.a, cast.tm_a, in_force_from=today - timedelta(days=30))
    agreement = community_services.constitution_agreement_record(resident=resident, by=cast.tm_a)
    job = community_services.job_create(community=cast.a, name="Chair", by=cast.tm_a)
    holding = community_services.job_holding_start(
        job=job, resident=resident, from_on=resident.admitted_on, filled_by="election", by=cast.tm_a
    )
    return {
        "constitution": constitution,
        "agreement": agreement,
        "job": job,
        "holding": holding,
        "subject_access": subject_access,
        "received": received,
        "deciding": deciding,
        "waiting": waiting,
        "override": override,
        "resident": resident,
        "plan": plan,
        "goal": goal,
        "mark": mark,
        "draft": draft,
        "submitted": submitted,
        "signed": signed,
        "group": group,
        "small_group": small_group,
        "membership": membership,
        "supervision": supervision,
        "action": action,
        "staff_meeting": staff_meeting,
        "community_meeting": community_meeting,
        "agenda_item": agenda_item,
        "meeting_session": meeting_session,
        "motion": motion,
        "slot": slot,
        "staff_meeting_action": staff_meeting_action,
        "cycle": cycle,
        "criterion": criterion,
        "audit_action": cycle.actions.get(),
        "template": template,
        "run": run,
        "case_study": case_study,
        "suitability": SuitabilityCriterion.objects.filter(community=cast.a).first(),
        "acct": acct,
        "incident": incident,
        "interview": interview,
    }


def real_kwargs(name: str, cast, w) -> list[dict]:
    """The path parameters to visit for a URL name: real records of community A."""
    referral_urls = {
        "referrals:detail": "received",
        "referrals:referral_record_interview": "deciding",
        "referrals:referral_recommend": "deciding",
        "referrals:referral_accept": "deciding",
        "referrals:referral_decline": "deciding",
        "referrals:referral_defer": "deciding",
        "referrals:referral_admit": "waiting",
        "referrals:referral_restrict": "received",
        "referrals:referral_unrestrict": "received",
    }
    if name in referral_urls:
        return [{"pk": w[referral_urls[name]].pk}]
    resident_pk = {"pk": w["resident"].pk}
    table = {
        "community_detail": [{"pk": cast.a.pk}],
        "referrals:step": [
            {"pk": w["received"].pk, "name": "screening"},
            {"pk": w["deciding"].pk, "name": "withdraw"},
        ],
        "referrals:referral_record_outcome": [
            {"pk": w["deciding"].pk, "criterion_pk": w["suitability"].pk}
        ],
        "referrals:criteria": [{"community_pk": cast.a.pk}],
        "referrals:override_acknowledge": [{"pk": w["override"].pk}],
        "referrals:override_request_review": [{"pk": w["override"].pk}],
        "referrals:criterion_change": [
            {"pk": w["suitability"].pk, "change": change} for change in ("retire", "up")
        ],
        "residents:plan": [{"pk": w["plan"].pk}],
        "residents:plan_change": [{"pk": w["plan"].pk}],
        "residents:goal_add": [{"pk": w["plan"].pk}],
        "residents:plan_sign_off": [{"pk": w["plan"].pk}],
        "residents:session_record": [{"community_pk": cast.a.pk}],
        "residents:attendance_record": [{"pk": w["group"].pk}],
        "residents:attendance_correct": [{"pk": w["mark"].pk}],
        "residents:small_group_create": [{"community_pk": cast.a.pk}],
        "residents:small_group": [{"pk": w["small_group"].pk}],
        "residents:small_group_change": [{"pk": w["small_group"].pk}],
        "residents:small_group_close": [{"pk": w["small_group"].pk}],
        "residents:small_group_join": [{"pk": w["small_group"].pk}],
        "residents:small_group_leave": [{"pk": w["membership"].pk}],
        "residents:plan_goal_change": [{"pk": w["goal"].pk}],
        "residents:plan_goal_remove": [{"pk": w["goal"].pk}],
        "residents:document": [{"pk": w["draft"].pk}],
        "residents:document_change": [{"pk": w["draft"].pk}],
        "residents:document_submit": [{"pk": w["draft"].pk}],
        "residents:document_countersign": [{"pk": w["submitted"].pk}],
        "residents:document_sign_off": [{"pk": w["submitted"].pk}],
        "residents:document_return": [{"pk": w["submitted"].pk}],
        "residents:document_amend": [{"pk": w["signed"].pk}],
        "supervision:detail": [{"pk": w["supervision"].pk}],
        "supervision:action_add": [{"pk": w["supervision"].pk}],
        "supervision:action_complete": [{"pk": w["action"].pk}],
        "supervision:session_record": [{"community_pk": cast.a.pk}],
        "supervision:observation_record": [{"community_pk": cast.a.pk}],
        "supervision:record": [{"pk": cast.clinician_a.pk}],
        "supervision:requirement_set": [{"pk": cast.clinician_a.pk}],
        "supervision:trainee_target_set": [{"pk": cast.trainee_a.pk}],
        "community:staff_meeting_record": [{"community_pk": cast.a.pk}],
        "community:slot_list": [{"community_pk": cast.a.pk}],
        "community:slot_add": [{"community_pk": cast.a.pk}],
        "community:slot_change": [{"pk": w["slot"].pk}],
        "community:slot_end": [{"pk": w["slot"].pk}],
        "community:planned_hold": [
            {"pk": w["slot"].pk, "on": day} for day in (date.today().isoformat(), "2026-02-30")
        ],
        "community:planned_cancel": [
            {"pk": w["slot"].pk, "on": day} for day in (date.today().isoformat(), "x")
        ],
        "community:staff_meeting_detail": [{"pk": w["staff_meeting"].pk}],
        "community:community_meeting_start": [{"session_pk": w["meeting_session"].pk}],
        "community:community_meeting_detail": [{"pk": w["community_meeting"].pk}],
        "community:agenda_item_add": [{"pk": w["community_meeting"].pk}],
        "community:motion_record": [{"community_pk": cast.a.pk}],
        "community:motion_detail": [{"pk": w["motion"].pk}],
        "community:motion_ratify": [{"pk": w["motion"].pk}],
        "community:motion_set_aside": [{"pk": w["motion"].pk}],
        "community:staff_meeting_discussion_add": [{"pk": w["staff_meeting"].pk}],
        "community:staff_meeting_action_add": [{"pk": w["staff_meeting"].pk}],
        "community:staff_meeting_action_complete": [{"pk": w["staff_meeting_action"].pk}],
        "audit:cycle_open": [{"community_pk": cast.b.pk}],
        "audit:cycle": [{"pk": w["cycle"].pk}],
        "audit:criterion_rate": [{"pk": w["cycle"].pk, "criterion_pk": w["criterion"].pk}],
        "audit:cycle_advance": [{"pk": w["cycle"].pk}],
        "audit:action_status": [{"pk": w["audit_action"].pk}],
        "audit:criterion_edit": [{"pk": w["criterion"].pk}],
        "audit:criterion_retire": [{"pk": w["criterion"].pk}],
        "audit:kpi_target_edit": [{"key": kpis.KPIS[0].key}],
        "audit:kpis": [{"community_pk": cast.a.pk}],
        "audit:case_study_request": [{"community_pk": cast.a.pk}],
        "audit:case_study": [{"pk": w["case_study"].pk}],
        "audit:case_study_download": [{"pk": w["case_study"].pk}],
        "audit:case_study_draft_download": [{"pk": w["case_study"].pk}],
        "audit:case_study_redact": [{"pk": w["case_study"].pk}],
        "audit:case_study_render_again": [{"pk": w["case_study"].pk}],
        "audit:case_study_release": [{"pk": w["case_study"].pk}],
        "audit:clinical_template_edit": [{"pk": w["template"].pk}],
        "audit:clinical_template_retire": [{"pk": w["template"].pk}],
        "audit:clinical_run_start": [{"community_pk": cast.a.pk}],
        "audit:clinical_run": [{"pk": w["run"].pk}],
        "audit:clinical_answer": [{"pk": w["run"].pk, "position": 1}],
        "audit:clinical_run_complete": [{"pk": w["run"].pk}],
        "audit:clinical_run_withdraw": [{"pk": w["run"].pk}],
        "audit:subject_access": [{"pk": w["subject_access"].pk}],
        "audit:subject_access_download": [
            {"pk": w["subject_access"].pk, "kind": kind} for kind in ("pdf", "json", "x")
        ],
    }
    for url_name in ("community:constitution_version", "community:constitution_compare"):
        table[url_name] = [{"pk": w["constitution"].pk}]
    table["community:constitution_agreement_record"] = [resident_pk]
    table["community:constitution_agreement_entered_in_error"] = [{"pk": w["agreement"].pk}]
    table["community:constitution_incident_clauses"] = [{"pk": w["incident"].pk}]
    for url_name in ("community:job_change", "community:job_holding_start"):
        table[url_name] = [{"pk": w["job"].pk}]
    for url_name in ("community:job_holding_end", "community:job_holding_entered_in_error"):
        table[url_name] = [{"pk": w["holding"].pk}]
    if name.startswith("community:") and name not in table:
        return [{"community_pk": cast.a.pk}]
    corrected = {
        "residents": [("acct", w["acct"]), ("incident", w["incident"]), ("nothing", w["acct"])],
        "referrals": [("interview", w["interview"]), ("nothing", w["interview"])],
        "supervision": [("session", w["supervision"]), ("nothing", w["supervision"])],
        "community": [
            ("staff-meeting", w["staff_meeting"]),
            ("motion", w["motion"]),
            ("agenda-item", w["agenda_item"]),
            ("nothing", w["staff_meeting"]),
        ],
    }
    for app, entries in corrected.items():
        for flow in ("record_amend", "record_entered_in_error"):
            table[f"{app}:{flow}"] = [{"kind": kind, "pk": row.pk} for kind, row in entries]
    if name in table:
        return table[name]
    if name.startswith("residents:"):
        return [resident_pk]
    raise AssertionError(f"the walk does not know which record {name} is about: add it")


# Walking --------------------------------------------------------------------------------


def url_patterns():
    """(route, name, the pattern's parameters) for every pattern of dtc.urls."""

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = ":".join(filter(None, [namespace, pattern.namespace]))
                yield from walk(pattern.url_patterns, route, inner)
            else:
                assert isinstance(pattern, URLPattern)
                name = ":".join(filter(None, [namespace, pattern.name])) if pattern.name else ""
                yield route, name, pattern.pattern

    return list(walk(get_resolver().url_patterns, "/", ""))


def app_of(name: str) -> str:
    """The app a URL belongs to: its namespace, or dtc for the project's own pages."""
    return name.split(":")[0] if ":" in name else "dtc"


# Every URL is in exactly one app's walk: the apps are read from the URL patterns.
APPS = sorted({app_of(name) for _, name, _ in url_patterns()})


def fill(route: str, kwargs: dict) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs.get(m.group(1), 1)), route)


class Walk:
    def __init__(self, users):
        self.users = users  # label -> user
        self.clients = {}
        self.failures: list[str] = []
        self.requests = 0

    def client(self, label) -> Client:
        if label not in self.clients:
            client = Client(raise_request_exception=False)
            if self.users[label] is not None:
                client.force_login(self.users[label])
            self.clients[label] = client
        return self.clients[label]

    def send(self, label, method, path, pairs=(), where="", value=""):
        """One request, rolled back afterwards; a 500 is recorded with what caused it."""
        client = self.client(label)
        self.requests += 1
        savepoint = transaction.savepoint()
        try:
            body = encode(pairs)
            if method == "get":
                response = client.get(path, QUERY_STRING=body)
            else:
                response = client.generic(
                    "POST", path, body, content_type="application/x-www-form-urlencoded"
                )
        finally:
            transaction.savepoint_rollback(savepoint)
        if response.status_code >= 500:
            error = ""
            if getattr(response, "exc_info", None):
                kind, exc, _ = response.exc_info
                error = f" — {kind.__name__}: {str(exc)[:120]}"
            self.failures.append(
                f"{method.upper()} {path} as {label}: {where}={shown(value)} → "
                f"{response.status_code}{error}"
            )
        if response.status_code == 302 and response.url.startswith(reverse("login")):
            # Signed out (the sign-out page): sign in again for the next request.
            self.clients.pop(label, None)
        return response

    def page(self, label, path):
        response = self.send(label, "get", path, where="(page)")
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            return None
        return parse(response.content.decode())


def query_sets(path: str, pages) -> list[list[tuple[str, str]]]:
    """The queries a page asks for itself: its GET forms and its links to itself."""
    found = {}
    for page in pages:
        for form in page.forms:
            if form.method == "get" and urlsplit(form.action).path in ("", path):
                found.setdefault(tuple(sorted({n for n, _ in form.fields})), form.fields)
        for link in page.links:
            parts = urlsplit(link)
            if parts.path in ("", path) and parts.query:
                pairs = parse_qsl(parts.query, keep_blank_values=True)
                found.setdefault(tuple(sorted({n for n, _ in pairs})), pairs)
    return list(found.values())[:6]


def replaced(pairs, name, value):
    return [(n, value if n == name else v) for n, v in pairs]


ADMIN_PARAMETERS = ("q", "p", "o", "id__exact")


class Walker(Walk):
    def __init__(self, users, roles, cast, world):
        super().__init__(users)
        self.roles, self.cast, self.world = roles, cast, world
        self.turn = 0

    def next_role(self, candidates):
        self.turn += 1
        return candidates[self.turn % len(candidates)]

    def take_apart(self, before, requests):
        """Send one parameter at a time what failed together, to name the ones at fault;
        the combination's failure stands when none fails alone."""
        combined = self.failures[before:]
        del self.failures[before:]
        for request in requests:
            self.send(*request)
        if len(self.failures) == before:
            self.failures.extend(combined)

    def admin(self, route, name):
        """Django's own admin: the superuser, its lists' query parameters, unknown ids."""
        if "^" in route:
            # Regular expressions: the application's index, and a record's old version.
            if "(?P<app_label>" in route:
                self.send("admin", "get", "/admin/audit/", [], "(page)")
            else:
                known = str(self.world["cycle"].pk)
                base = route.replace("^", "").replace("$", "").replace("([^/]+)", "{}")
                for object_id, version_id in ((known, "abc"), ("abc", "1"), (known, "%00")):
                    path = base.format(object_id, version_id)
                    self.send("admin", "get", path, [], "(path)", f"{object_id} {version_id}")
            return
        if "<" in route:
            model = name.split(":")[-1].rsplit("_", 1)[0]
            known = {
                "audit_reviewcycle": self.world["cycle"].pk,
                "referrals_referral": self.world["received"].pk,
                "residents_resident": self.world["resident"].pk,
            }
            for object_id in (str(known.get(model, 1)), UNKNOWN_ID, "abc", "%00"):
                self.send("admin", "get", fill(route, {"object_id": object_id}), [], "(path)")
            return
        if not name.endswith("_changelist"):
            self.send("admin", "get", route, [], "(page)")
            return
        for value in HOSTILE:
            pairs = [(parameter, value) for parameter in ADMIN_PARAMETERS]
            self.send("admin", "get", route, pairs, "+".join(ADMIN_PARAMETERS), value)

    def unknown_ids(self, route, names):
        for unknown in (UNKNOWN_ID, HUGE):
            kwargs = {
                key: unknown if kind in ("int", "") else f"unknown-{key}" for kind, key in names
            }
            path = fill(route, kwargs)
            for label in ("hop", "tm_a"):
                self.send(label, "get", path, where="(path)", value=unknown)
                self.send(label, "post", path, where="(path)", value=unknown)

    def queries(self, path, pages):
        """The page's own queries, each parameter given each value; then every parameter
        the project reads, all at once, taken apart when it fails."""
        queries = query_sets(path, pages)
        for pairs in queries:
            for parameter, _ in pairs:
                for value in HOSTILE:
                    label = self.next_role(self.roles)
                    self.send(
                        label, "get", path, replaced(pairs, parameter, value), parameter, value
                    )
        own = {parameter for pairs in queries for parameter, _ in pairs}
        rest = [p for p in KNOWN_PARAMETERS if p not in own]
        for value in HOSTILE:
            label = self.next_role(self.roles)
            before = len(self.failures)
            self.send(label, "get", path, [(p, value) for p in rest], "+".join(rest), value)
            if len(self.failures) > before:
                self.take_apart(
                    before, [(label, "get", path, [(p, value)], p, value) for p in rest]
                )

    def forms(self, path, seen):
        """Each value in every field at once (taken apart when it fails); then each field
        given a few values while the other fields keep their defaults, so that a hostile
        value also meets a form that is otherwise valid."""
        forms = {}
        for label, page in seen.items():
            for form in page.forms:
                action = urlsplit(form.action).path or path
                # A form posting elsewhere (the header's sign-out) is walked at its own URL.
                if form.method == "post" and action == path:
                    key = tuple(n for n, _ in form.fields)
                    labels = forms.setdefault(key, (form, []))[1]
                    if label not in labels:
                        labels.append(label)
        for form, labels in forms.values():
            fields = [(n, v) for n, v in form.fields if n != "csrfmiddlewaretoken"]
            names = list(dict.fromkeys(n for n, _ in fields))
            for value in HOSTILE:
                label = self.next_role(labels)
                before = len(self.failures)
                self.send(label, "post", path, [(n, value) for n in names], "every field", value)
                if len(self.failures) > before:
                    self.take_apart(
                        before,
                        [
                            (label, "post", path, replaced(fields, n, value), n, value)
                            for n in names
                        ],
                    )
            for name in names:
                for value in ONE_FIELD:
                    label = self.next_role(labels)
                    self.send(label, "post", path, replaced(fields, name, value), name, value)
        if not forms:
            # A page that only answers POST, or shows no form to these roles.
            names = KNOWN_PARAMETERS + ["resident", "reason", "confirm"]
            for value in HOSTILE:
                label = self.next_role(self.roles)
                pairs = [(n, value) for n in names]
                self.send(label, "post", path, pairs, "every known name", value)

    def route(self, route, name):
        if route.startswith("/admin/"):
            return self.admin(route, name)
        names = re.findall(r"<(?:(\w+):)?(\w+)>", route)
        if names:
            self.unknown_ids(route, names)
        for kwargs in real_kwargs(name, self.cast, self.world) if names else [{}]:
            path = fill(route, kwargs)
            seen = {}
            for label in [*self.roles, "anonymous"]:
                page = self.page(label, path)
                if page is not None:
                    seen[label] = page
            self.queries(path, seen.values())
            self.forms(path, seen)


@pytest.mark.django_db
@pytest.mark.parametrize("app", APPS)
def test_no_url_answers_500_to_hostile_input(cast, world, app):
    started = time.monotonic()
    superuser = User.objects.create_superuser("walker-admin", "admin@example.com", "x")
    users = {
        "hop": cast.hop,
        "tm_a": cast.tm_a,
        "clinician_a": cast.clinician_a,
        "officer_a": cast.officer_a,
        "auditor_a": cast.auditor_a,
        "nobody": cast.nobody,
    }
    walk = Walker({**users, "admin": superuser, "anonymous": None}, list(users), cast, world)
    slowest = []
    only = re.compile(os.environ.get("DTC_WALK_ONLY", ""))  # to walk part of it by hand
    for route, name, _ in url_patterns():
        if app_of(name) != app or not only.search(route):
            continue
        route_started, before = time.monotonic(), walk.requests
        walk.route(route, name)
        slowest.append((time.monotonic() - route_started, walk.requests - before, route))

    duration = time.monotonic() - started
    print(f"\nhostile-input walk of {app}: {walk.requests} requests in {duration:.0f} s; slowest:")
    for seconds, requests, route in sorted(slowest, reverse=True)[:8]:
        print(f"  {seconds:5.1f} s  {requests:5d}  {route}")
    assert not walk.failures, f"{len(walk.failures)} server errors:\n" + "\n".join(walk.failures)
