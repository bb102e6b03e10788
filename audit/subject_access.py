"""A subject access export: everything the service holds about one person, found by prison
number, as one document. `export` reads it through the permission policy, so it holds
only what the requester may see (a restricted resident who does not name them is left
out); `to_json` and `render_pdf` write the same document as the two files."""

import json
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.utils import formats, timezone

from community.models import Motion
from dtc import permissions
from referrals.models import CriterionOutcome, Interview, Referral, Transition
from residents.models import (
    AcctPeriod,
    Attendance,
    ClinicalDocument,
    DocumentAmendment,
    Incident,
    Resident,
    ResidentAccess,
    RiskAssessment,
    SmallGroupMembership,
    TherapyDecision,
    TherapyReview,
    TreatmentPlan,
)

from .models import CaseStudy, CaseStudyDownload, SubjectAccessRequest

SECTIONS = ("referrals", "residents", "case_studies")


def _person(user) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.username


def _community(community) -> str:
    return f"{community.name}, {community.establishment.name}"


def export(request: SubjectAccessRequest, *, generated_at: datetime) -> dict:
    """The request's export: the referrals, resident records and case studies about its
    prison number that its requester may see, dates as dates (ISO in the JSON)."""
    user, number = request.requested_by, request.prison_number
    referrals = [_referral(r) for r in _referrals(user, number)]
    resident_rows = list(_residents(user, number))
    logged = permissions.community_ids(user, "view_access_log")
    residents = [_resident(r, access_log=r.community_id in logged) for r in resident_rows]
    case_studies = [
        _case_study(c)
        for c in permissions.visible(user, CaseStudy, "view_audit")
        .filter(resident__in=resident_rows)
        .select_related("community__establishment", "requested_by")
        .prefetch_related(
            Prefetch("downloads", queryset=CaseStudyDownload.objects.select_related("user"))
        )
        .order_by("requested_at", "pk")
    ]
    return {
        "prison_number": number,
        "generated_at": generated_at,
        "generated_by": _person(user),
        "request": {
            "id": request.pk,
            "reason": request.reason,
            "requested_at": request.requested_at,
        },
        "communities_searched": [
            _community(c) for c in permissions.communities(user).select_related("establishment")
        ],
        "nothing_held": not (referrals or residents or case_studies),
        "referrals": referrals,
        "residents": residents,
        "case_studies": case_studies,
    }


def records_found(document: dict) -> int:
    return sum(len(document[section]) for section in SECTIONS)


def to_json(document: dict) -> bytes:
    return json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False).encode()


# Referrals --------------------------------------------------------------------------


def _referrals(user, number: str):
    return (
        permissions.visible(user, Referral)
        .filter(prison_number=number)
        .select_related("community__establishment", "submitted_by", "override__by")
        .prefetch_related(
            Prefetch("transitions", queryset=Transition.objects.select_related("by")),
            Prefetch(
                "outcomes",
                queryset=CriterionOutcome.objects.select_related(
                    "criterion", "recorded_by"
                ).order_by("criterion__position", "criterion__pk"),
            ),
            Prefetch(
                "interviews", queryset=Interview.objects.select_related("assessor", "recorded_by")
            ),
            "override__criteria",
        )
        .order_by("referred_on", "pk")
    )


def _referral(referral: Referral) -> dict:
    override = getattr(referral, "override", None)
    return {
        "community": _community(referral.community),
        "prison_number": referral.prison_number,
        "first_name": referral.first_name,
        "last_name": referral.last_name,
        "date_of_birth": referral.date_of_birth,
        "referred_on": referral.referred_on,
        "referred_by": referral.get_source_display(),
        "reason": referral.reason,
        "submitted_by": _person(referral.submitted_by),
        "sentence_type": referral.get_sentence_type_display(),
        "sentence_expiry_date": referral.sentence_expiry_date,
        "tariff_or_parole_date": referral.tariff_or_parole_date,
        "conditional_release_date": referral.conditional_release_date,
        "risk_level": referral.get_risk_level_display(),
        "status": referral.get_status_display(),
        "priority": referral.get_priority_display() if referral.priority else None,
        "decided_on": referral.decided_on,
        "accepted_on": referral.accepted_on,
        "rereview_on": referral.rereview_on,
        "transitions": [
            {
                "at": t.at,
                "from_status": t.get_from_status_display() or None,
                "to_status": t.get_to_status_display(),
                "by": _person(t.by),
                "note": t.note,
            }
            for t in referral.transitions.all()
        ],
        "suitability_criteria": [
            {
                "criterion": o.criterion.text,
                "outcome": o.get_outcome_display(),
                "evidence": o.evidence,
                "recorded_by": _person(o.recorded_by),
                "recorded_at": o.recorded_at,
            }
            for o in referral.outcomes.all()
        ],
        "interviews": [
            {
                "held_on": i.held_on,
                "assessor": _person(i.assessor),
                "summary": i.summary,
                "recorded_by": _person(i.recorded_by),
            }
            for i in referral.interviews.all()
        ],
        "override": override
        and {
            "at": override.at,
            "by": _person(override.by),
            "rationale": override.rationale,
            "criteria_overridden": [c.text for c in override.criteria.all()],
        },
    }


# Resident records --------------------------------------------------------------------


def _residents(user, number: str):
    def by(model, *related, order=()):
        return model.objects.select_related(*related).order_by(*order, "pk")

    return (
        permissions.visible(user, Resident)
        .filter(prison_number=number)
        .select_related("community__establishment", "key_worker")
        .prefetch_related(
            Prefetch("access_list", queryset=by(ResidentAccess, "user")),
            Prefetch(
                "plans",
                queryset=by(
                    TreatmentPlan, "created_by", "signed_off_by", order=["version"]
                ).prefetch_related("goals"),
            ),
            Prefetch("reviews", queryset=by(TherapyReview, "recorded_by", order=["held_on"])),
            Prefetch("motions", queryset=by(Motion, "recorded_by", "job", order=["held_on"])),
            Prefetch("incidents", queryset=by(Incident, "recorded_by", order=["occurred_on"])),
            Prefetch("risks", queryset=by(RiskAssessment, "assessed_by", order=["assessed_on"])),
            Prefetch(
                "acct_periods",
                queryset=by(AcctPeriod, "opened_by", "closed_by", order=["opened_on"]),
            ),
            Prefetch(
                "documents",
                queryset=by(
                    ClinicalDocument,
                    "author",
                    "countersigned_by",
                    "signed_off_by",
                    order=["created_at"],
                ).prefetch_related(
                    Prefetch("amendments", queryset=by(DocumentAmendment, "amended_by"))
                ),
            ),
            Prefetch("decisions", queryset=by(TherapyDecision, "decided_by", order=["decided_on"])),
            Prefetch(
                "attendance",
                queryset=by(
                    Attendance,
                    "session__small_group",
                    "recorded_by",
                    order=["session__held_on"],
                ).prefetch_related("session__facilitators"),
            ),
            Prefetch(
                "small_group_memberships",
                queryset=by(SmallGroupMembership, "group", order=["joined_on"]),
            ),
            "access_log__user",
        )
        .order_by("admitted_on", "pk")
    )


def _resident(resident: Resident, *, access_log: bool) -> dict:
    return {
        "community": _community(resident.community),
        "prison_number": resident.prison_number,
        "first_name": resident.first_name,
        "last_name": resident.last_name,
        "date_of_birth": resident.date_of_birth,
        "admitted_on": resident.admitted_on,
        "phase": resident.get_phase_display(),
        "small_groups": [
            {"name": m.group.name, "joined_on": m.joined_on, "left_on": m.left_on}
            for m in resident.small_group_memberships.all()
        ],
        "key_worker": _person(resident.key_worker),
        "next_review_on": resident.next_review_on,
        "left_on": resident.left_on,
        "leaving_type": resident.get_leaving_type_display() or None,
        "leaving_reason": resident.leaving_reason,
        "restricted": resident.is_restricted,
        "access_list": [_person(a.user) for a in resident.access_list.all()],
        "treatment_plans": [
            {
                "version": plan.version,
                "status": plan.get_status_display(),
                "formulation": plan.formulation,
                "expected_weekly_hours": plan.expected_weekly_hours,
                "review_on": plan.review_on,
                "created_by": _person(plan.created_by),
                "created_at": plan.created_at,
                "signed_off_by": _person(plan.signed_off_by),
                "signed_off_at": plan.signed_off_at,
                "goals": [
                    {
                        "need_area": goal.get_need_area_display(),
                        "description": goal.description,
                        "interventions": goal.intervention_labels(),
                    }
                    for goal in plan.goals.all()
                ],
            }
            for plan in resident.plans.all()
        ],
        "therapy_reviews": [
            {
                "due_on": review.due_on,
                "held_on": review.held_on,
                "outcome": review.get_outcome_display(),
                "summary": review.summary,
                "recorded_by": _person(review.recorded_by),
            }
            for review in resident.reviews.all()
        ],
        # The community's motions about them, their commitment votes among them.
        "motions": [
            {
                "held_on": motion.held_on,
                "kind": motion.get_kind_display(),
                "job": motion.job.name if motion.job_id else "",
                "residents_for": motion.residents_for,
                "residents_against": motion.residents_against,
                "residents_abstaining": motion.residents_abstain,
                "staff_for": motion.staff_for,
                "staff_against": motion.staff_against,
                "staff_abstaining": motion.staff_abstain,
                "outcome": motion.get_outcome_display(),
                "ratification": motion.get_ratification_display(),
                "reason_set_aside": motion.set_aside_reason,
                "notes": motion.notes,
                "recorded_by": _person(motion.recorded_by),
            }
            for motion in resident.motions.all()
        ],
        "incidents": [
            {
                "occurred_on": incident.occurred_on,
                "kind": incident.get_kind_display(),
                "seriousness": incident.get_seriousness_display(),
                "description": incident.description,
                "recorded_by": _person(incident.recorded_by),
            }
            for incident in resident.incidents.all()
        ],
        "risk_assessments": [
            {
                "assessed_on": risk.assessed_on,
                "level": risk.get_level_display(),
                "narrative": risk.narrative,
                "assessed_by": _person(risk.assessed_by),
            }
            for risk in resident.risks.all()
        ],
        "acct_periods": [
            {
                "opened_on": acct.opened_on,
                "reason": acct.reason,
                "opened_by": _person(acct.opened_by),
                "closed_on": acct.closed_on,
                "closed_by": _person(acct.closed_by),
            }
            for acct in resident.acct_periods.all()
        ],
        "clinical_documents": [
            {
                "kind": document.get_kind_display(),
                "title": document.title,
                "status": document.get_status_display(),
                "author": _person(document.author),
                "created_at": document.created_at,
                "due_on": document.due_on,
                "submitted_at": document.submitted_at,
                "countersigned_by": _person(document.countersigned_by),
                "countersigned_at": document.countersigned_at,
                "signed_off_by": _person(document.signed_off_by),
                "signed_off_at": document.signed_off_at,
                "body": document.body,
                "amendments": [
                    {
                        "amended_at": amendment.amended_at,
                        "amended_by": _person(amendment.amended_by),
                        "reason": amendment.reason,
                        "text": amendment.text,
                    }
                    for amendment in document.amendments.all()
                ],
            }
            for document in resident.documents.all()
        ],
        "decisions": [
            {
                "decided_on": decision.decided_on,
                "kind": decision.get_kind_display(),
                "weekly_hours": decision.weekly_hours,
                "rationale": decision.rationale,
                "decided_by": _person(decision.decided_by),
            }
            for decision in resident.decisions.all()
        ],
        "attendance": [
            {
                "held_on": mark.session.held_on,
                "session": mark.session.get_group_type_display(),
                "small_group": mark.session.small_group.name if mark.session.small_group else None,
                "duration_minutes": mark.session.duration_minutes,
                "facilitators": [_person(f) for f in mark.session.facilitators.all()],
                "status": mark.get_status_display(),
                "recorded_by": _person(mark.recorded_by),
            }
            for mark in resident.attendance.all()
        ],
        "access_log": [
            {"viewed_at": entry.viewed_at, "viewed_by": _person(entry.user), "page": entry.page}
            for entry in sorted(resident.access_log.all(), key=lambda e: (e.viewed_at, e.pk))
        ]
        if access_log
        else None,
    }


def _case_study(case_study: CaseStudy) -> dict:
    return {
        "community": _community(case_study.community),
        "pseudonym": case_study.pseudonym,
        "requested_at": case_study.requested_at,
        "requested_by": _person(case_study.requested_by),
        "status": case_study.get_status_display(),
        "rendered_at": case_study.rendered_at,
        "downloads": [
            {"downloaded_at": d.downloaded_at, "downloaded_by": _person(d.user)}
            for d in case_study.downloads.all()
        ],
    }


# The PDF -----------------------------------------------------------------------------
# The PDF lays out the same document as the JSON, so that it cannot leave anything out:
# each record is a block of its fields, each list of simple rows a table, and a list whose
# rows hold lists of their own (a plan's goals, a document's amendments) a block per row.

LABELS = {
    "tariff_or_parole_date": "Parole eligibility or tariff expiry date",
    "rereview_on": "Re-review date",
    "acct_periods": "ACCT (self-harm care) periods",
    "duration_minutes": "Minutes",
    "next_review_on": "Next therapy review due",
    "criteria_overridden": "Criteria overridden",
    "access_list": "Staff named on the access list",
}

# Lists of plain values, shown in one cell; every other list is a list of records.
PLAIN_LISTS = {"access_list", "criteria_overridden", "interventions", "facilitators"}

TITLES = {
    "referrals": lambda r: f"Referral to {r['community']}, received {_cell(r['referred_on'])}",
    "residents": lambda r: f"Resident of {r['community']}, admitted {_cell(r['admitted_on'])}",
    "case_studies": lambda c: f"Case study {c['pseudonym']}, {c['community']}",
    "treatment_plans": lambda p: f"Treatment plan version {p['version']}",
    "clinical_documents": lambda d: f"{d['kind']}: {d['title']}",
    "override": lambda o: "Override of the suitability criteria",
}


def _label(key: str) -> str:
    return LABELS.get(key) or key.replace("_", " ").capitalize()


def _cell(value) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "j M Y, H:i")
    if isinstance(value, date):
        return formats.date_format(value, "j M Y")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "–"
    return str(value)


def _holds_records(row: dict) -> bool:
    return any(
        isinstance(value, dict) or (isinstance(value, list) and key not in PLAIN_LISTS)
        for key, value in row.items()
    )


@dataclass
class Table:
    caption: str
    headers: list[str]
    rows: list[list[str]]
    kind: str = "table"


@dataclass
class Block:
    title: str
    level: int
    fields: list[tuple[str, str]] = field(default_factory=list)
    parts: list = field(default_factory=list)
    kind: str = "block"


@dataclass
class Empty:
    text: str
    kind: str = "empty"


def block(record: dict, *, title: str, level: int) -> Block:
    """A record laid out: its plain fields first, then each of its lists of records."""
    laid = Block(title=title, level=level)
    for key, value in record.items():
        if key == "access_log" and value is None:
            continue  # not the requester's to read
        if isinstance(value, dict):
            laid.parts.append(block(value, title=TITLES[key](value), level=level + 1))
        elif not isinstance(value, list) or key in PLAIN_LISTS:
            laid.fields.append((_label(key), _cell(value)))
        elif not value:
            laid.parts.append(Empty(f"{_label(key)}: none recorded."))
        elif _holds_records(value[0]):
            laid.parts += [block(row, title=TITLES[key](row), level=level + 1) for row in value]
        else:
            laid.parts.append(
                Table(
                    caption=_label(key),
                    headers=[_label(k) for k in value[0]],
                    rows=[[_cell(cell) for cell in row.values()] for row in value],
                )
            )
    return laid


def layout(document: dict) -> list[dict]:
    """The document's sections, each with a block per record."""
    return [
        {
            "key": key,
            "title": title,
            "blocks": [
                block(record, title=TITLES[key](record), level=3) for record in document[key]
            ],
        }
        for key, title in (
            ("referrals", "Referrals"),
            ("residents", "Resident records"),
            ("case_studies", "Case studies"),
        )
    ]


def render_pdf(document: dict) -> tuple[bytes, int]:
    """The export as PDF bytes and its page count."""
    from . import pdf  # WeasyPrint loads only in the worker that renders

    return pdf.render(
        "audit/subject_access_pdf.html",
        {"document": document, "sections": layout(document)},
    )
