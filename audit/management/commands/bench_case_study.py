"""How long one case study takes to render: a resident with 18 months of records, built
in a transaction that is rolled back at the end, so nothing is left behind."""

import time
from datetime import timedelta
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from community.models import Motion, MotionKind, Outcome
from dtc.models import Cluster, Community, Establishment, StaffProfile, User
from residents.models import (
    AcctPeriod,
    Attendance,
    AttendanceStatus,
    ClinicalDocument,
    DecisionKind,
    DocumentKind,
    GroupSession,
    Incident,
    IncidentKind,
    Phase,
    PlanGoal,
    PlanStatus,
    Resident,
    ReviewOutcome,
    TherapyDecision,
    TherapyReview,
    TreatmentPlan,
    add_months,
)


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time the render of one case study of a resident with 18 months of records."

    def add_arguments(self, parser):
        parser.add_argument(
            "--residents",
            type=int,
            default=0,
            help="Other residents to add first, to time redaction against a large estate.",
        )
        parser.add_argument("--output", help="Write the PDF here, to look at it.")

    def handle(self, *args, residents, output, **options):
        started = time.perf_counter()
        from audit import case_study  # WeasyPrint loads here

        self.stdout.write(
            f"Import of WeasyPrint and the renderer: {time.perf_counter() - started:.2f} s"
        )
        # What a Celery worker does when it starts (dtc.celery), before its first render.
        started = time.perf_counter()
        from dtc.celery import prepare_worker

        prepare_worker()
        self.stdout.write(
            f"A worker's start: the lexicon and a first PDF: {time.perf_counter() - started:.2f} s"
        )
        try:
            with transaction.atomic():
                resident = build(residents)
                today = timezone.localdate()
                started = time.perf_counter()
                content = case_study.content(resident, today=today)
                gathered = time.perf_counter() - started
                started = time.perf_counter()
                pdf, pages, _texts = case_study.render_pdf(resident, today=today)
                rendered = time.perf_counter() - started
                self.stdout.write(
                    f"Records: {len(content['events'])} journey events, "
                    f"{resident.attendance.count()} attendances, "
                    f"{resident.documents.count()} documents; "
                    f"{Resident.objects.count()} residents known to redaction"
                )
                self.stdout.write(f"Content (queries and redaction): {gathered:.2f} s")
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Render (content and PDF): {rendered:.2f} s, {pages} pages, "
                        f"{len(pdf) // 1024} KB"
                    )
                )
                if output:
                    with open(output, "wb") as file:
                        file.write(pdf)
                raise Rollback
        except Rollback:
            pass


def build(other_residents: int) -> Resident:
    today = timezone.localdate()
    admitted = today - timedelta(days=548)  # 18 months
    cluster = Cluster.objects.create(name="Bench cluster")
    establishment = Establishment.objects.create(cluster=cluster, name="HMP Bench", code="BNC")
    community = Community.objects.create(establishment=establishment, name="Bench", capacity=40)
    tm, clinician, officer = (
        User.objects.create(username=f"bench.{role}", first_name=first, last_name=last)
        for role, first, last in [
            ("tm", "Philippa", "Ravensworth"),
            ("clinician", "Oswin", "Thackeray"),
            ("officer", "Bartholomew", "Ingledew"),
        ]
    )
    StaffProfile.objects.create(user=clinician, discipline="psychology")
    Resident.objects.bulk_create(
        Resident(
            community=community,
            prison_number=f"B{n % 10000:04d}XY",
            first_name=f"Bench{n}",
            last_name=f"Other{n}",
            date_of_birth=today - timedelta(days=12000 + n % 5000),
            admitted_on=admitted,
            phase=Phase.LEFT,
        )
        for n in range(other_residents)
    )
    resident = Resident.objects.create(
        community=community,
        prison_number="B9999QZ",
        first_name="Cornelius",
        last_name="Fairweather",
        date_of_birth=today - timedelta(days=14000),
        admitted_on=admitted,
        next_review_on=add_months(admitted, community.review_interval_months),
        phase=Phase.TREATMENT,
        key_worker=clinician,
    )
    for version in range(1, 4):
        plan = TreatmentPlan.objects.create(
            resident=resident,
            version=version,
            status=PlanStatus.SIGNED_OFF,
            expected_weekly_hours=Decimal("6.0") + version,
            review_on=admitted + timedelta(days=180 * version),
            formulation="Violence when feeling disrespected.",
            created_by=clinician,
            signed_off_by=tm,
            signed_off_at=timezone.now() - timedelta(days=548 - 180 * (version - 1)),
        )
        # Written a fortnight before each sign-off (created_at is set on insert).
        TreatmentPlan.objects.filter(pk=plan.pk).update(
            created_at=plan.signed_off_at - timedelta(days=14)
        )
        for area, text in [
            ("violence", "Cornelius to notice anger before acting, with Oswin in small group"),
            ("relationships", "Ask for help from peers; repair things with Bartholomew"),
            ("substance_misuse", "Stay clear of spice on the landing"),
        ]:
            PlanGoal.objects.create(
                plan=plan, need_area=area, description=text, interventions=["small_group"]
            )
    for week in range(78):
        for group_type, minutes in [("small_group", 90), ("community_meeting", 60)]:
            session = GroupSession.objects.create(
                community=community,
                group_type=group_type,
                held_on=admitted + timedelta(weeks=week, days=1),
                duration_minutes=minutes,
                recorded_by=clinician,
            )
            Attendance.objects.create(
                session=session,
                resident=resident,
                status=AttendanceStatus.PRESENT if week % 7 else AttendanceStatus.ABSENT,
                recorded_by=clinician,
            )
    for month in range(18):
        ClinicalDocument.objects.create(
            resident=resident,
            kind=DocumentKind.CASE_NOTE,
            title=f"Monthly case note {month + 1}",
            body="Fairweather (B9999QZ) talked openly in group.",
            author=clinician,
        )
    for quarter in range(1, 7):
        held = admitted + timedelta(days=91 * quarter)
        TherapyReview.objects.create(
            resident=resident,
            due_on=held,
            held_on=held,
            outcome=ReviewOutcome.CONTINUE,
            summary="Cornelius is bringing conflict to group; Philippa Ravensworth agrees.",
            recorded_by=clinician,
        )
        Motion.objects.create(
            community=resident.community,
            kind=MotionKind.COMMITMENT_VOTE,
            resident=resident,
            held_on=held - timedelta(days=7),
            residents_for=14,
            residents_against=2,
            outcome=Outcome.CARRIED,
            recorded_by=tm,
        )
        Incident.objects.create(
            resident=resident,
            occurred_on=held - timedelta(days=20),
            kind=IncidentKind.RULE_BREAK,
            seriousness="low",
            description="Argued with Bench1 Other1.",
            recorded_by=officer,
        )
    AcctPeriod.objects.create(
        resident=resident,
        opened_on=admitted + timedelta(days=200),
        closed_on=admitted + timedelta(days=230),
        reason="Low mood",
        opened_by=officer,
        closed_by=officer,
    )
    for n, kind in enumerate(["continuation", "dosage", "continuation"]):
        TherapyDecision.objects.create(
            resident=resident,
            kind=kind,
            decided_on=admitted + timedelta(days=150 * (n + 1)),
            weekly_hours=Decimal("8.0") if kind == DecisionKind.DOSAGE else None,
            rationale="Continues to engage; born 01/02/1988 per the old file, B9999QZ.",
            decided_by=tm,
        )
    return resident
