"""The resident's timeline: everything on the record with its change history."""

from collections.abc import Callable
from dataclasses import dataclass, field

from dtc.corrections import CORRECTION_FIELDS
from dtc.history import changes as changes_between

from .models import (
    PART_ATTENDED,
    AcctPeriod,
    Attendance,
    ClinicalDocument,
    DocumentAmendment,
    Incident,
    PlanGoal,
    Resident,
    RiskAssessment,
    SmallGroupMembership,
    TherapyDecision,
    TherapyReview,
    TreatmentPlan,
)


@dataclass
class TimelineEntry:
    when: object  # date or datetime
    kind: str
    summary: str
    change: str  # Created, Changed, Removed
    by: object
    recorded_at: object
    # What a change changed: (field label, old value, new value).
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    row: object = None  # the history row: its correction state (templates/includes/correction.html)
    anchor: str = ""  # the id of a record's first entry, which its correction links to
    correction_anchor: str = ""  # for an entry superseded by a correction: where that is
    correction_reason: str = ""


CHANGE = {"+": "Created", "~": "Changed", "-": "Removed"}

# Other apps' records about the resident (residents imports none of them): each app
# registers, in its AppConfig.ready(), a function of the resident returning sources as
# timeline() reads them: (history rows, kind, when(row), summary(row)).
_SOURCES: list[Callable] = []


def register(provider: Callable) -> Callable:
    if provider not in _SOURCES:
        _SOURCES.append(provider)
    return provider


def timeline(resident: Resident) -> list[TimelineEntry]:
    """Everything on the record with its change history, newest first: one query per
    kind of record, read from the history tables so every change shows."""
    sources = [
        (
            Resident.history.filter(id=resident.pk).select_related("key_worker"),
            "Record",
            lambda h: h.history_date,
            _resident_summary,
        ),
        (
            TreatmentPlan.history.filter(resident_id=resident.pk),
            "Treatment plan",
            lambda h: h.history_date,
            lambda h: (
                f"Version {h.version}: {h.get_status_display().lower()}, {h.expected_weekly_hours} hours a week"
            ),
        ),
        (
            PlanGoal.history.filter(plan__resident_id=resident.pk).select_related("plan"),
            "Plan goal",
            lambda h: h.history_date,
            lambda h: f"{h.get_need_area_display()}: {h.description}",
        ),
        (
            TherapyReview.history.filter(resident_id=resident.pk),
            "Therapy review",
            lambda h: h.held_on,
            lambda h: f"{h.get_outcome_display()}: {h.summary}",
        ),
        (
            Incident.history.filter(resident_id=resident.pk),
            "Incident",
            lambda h: h.occurred_on,
            lambda h: (
                f"{h.get_kind_display()}, {h.get_seriousness_display().lower()}: {h.description}"
            ),
        ),
        (
            RiskAssessment.history.filter(resident_id=resident.pk),
            "Risk assessment",
            lambda h: h.assessed_on,
            lambda h: f"{h.get_level_display()} risk: {h.narrative}",
        ),
        (
            AcctPeriod.history.filter(resident_id=resident.pk),
            "ACCT",
            lambda h: h.closed_on or h.opened_on,
            lambda h: (
                f"Closed on {h.closed_on:%-d %B %Y}" if h.closed_on else f"Opened: {h.reason}"
            ),
        ),
        (
            ClinicalDocument.history.filter(resident_id=resident.pk),
            "Document",
            lambda h: h.history_date,
            lambda h: f"{h.get_kind_display()} “{h.title}”: {h.get_status_display().lower()}",
        ),
        (
            DocumentAmendment.history.filter(document__resident_id=resident.pk).select_related(
                "document"
            ),
            "Amendment",
            lambda h: h.history_date,
            lambda h: f"“{h.document.title}” amended: {h.reason}",
        ),
        (
            Attendance.history.filter(resident_id=resident.pk).select_related("session"),
            "Attendance",
            lambda h: h.session.held_on,
            _attendance_summary,
        ),
        (
            SmallGroupMembership.history.filter(resident_id=resident.pk).select_related("group"),
            "Small group",
            lambda h: h.left_on or h.joined_on,
            lambda h: (
                f"Left {h.group.name}, last day {h.left_on:%-d %B %Y}"
                if h.left_on
                else f"Joined {h.group.name} from {h.joined_on:%-d %B %Y}"
            ),
        ),
        (
            TherapyDecision.history.filter(resident_id=resident.pk),
            "Decision",
            lambda h: h.decided_on,
            lambda h: f"{h.get_kind_display()}: {h.rationale}",
        ),
    ]
    for provider in _SOURCES:
        sources += provider(resident)
    entries = []
    for rows, kind, when, summary in sources:
        rows = list(rows.select_related("history_user").order_by("history_date", "history_id"))
        slug = kind.lower().replace(" ", "-")
        # The correction of each superseded record: its first row names what it corrects.
        corrected_by = {
            row.corrects_id: (f"{slug}-{row.id}", row.amendment_reason)
            for row in rows
            if row.history_type == "+" and getattr(row, "corrects_id", None)
        }
        previous = {}
        for row in rows:
            before = previous.get(row.id)
            entry = TimelineEntry(
                when=when(row),
                kind=kind,
                summary=summary(row),
                change=CHANGE[row.history_type],
                by=row.history_user,
                recorded_at=row.history_date,
                changes=changes_between(row, before, CORRECTION_FIELDS) if before else [],
                row=row,
                anchor=f"{slug}-{row.id}" if row.history_type == "+" else "",
            )
            if getattr(row, "superseded", False):
                entry.correction_anchor, entry.correction_reason = corrected_by.get(
                    row.id, ("", "")
                )
            entries.append(entry)
            previous[row.id] = row

    def sort_key(entry):
        day = entry.when.date() if hasattr(entry.when, "date") else entry.when
        return (day, entry.recorded_at)

    return sorted(entries, key=sort_key, reverse=True)


def _resident_summary(row) -> str:
    parts = [row.get_phase_display()]
    if row.key_worker_id:
        parts.append(f"key worker {row.key_worker}")
    if row.is_restricted:
        parts.append("restricted")
    if row.leaving_type:
        parts.append(f"left: {row.get_leaving_type_display().lower()}")
    return ", ".join(parts)


def _attendance_summary(row) -> str:
    mark = row.get_status_display()
    if row.status in PART_ATTENDED and row.minutes_missed:
        mark += f", {row.minutes_missed} minutes missed"
    if row.reason:
        mark += f" ({row.reason})"
    summary = f"{row.session}: {mark}"
    if row.history_change_reason:
        summary = f"{row.session}: corrected to {mark}. Why: {row.history_change_reason}"
    return summary
