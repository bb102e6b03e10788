"""seed_demo builds the whole synthetic estate; each app adds its part. Seeding takes
a while: the estate is seeded once (the demo_estate fixture, shared with the case-study
check over the demo data), and one test checks what the demo must show and seeds again."""

from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.utils import timezone

from audit import kpis
from dtc import permissions
from dtc.demo import DEMO_PASSWORD
from dtc.models import Community, Role, RoleAssignment, User
from referrals.demo import DECIDED
from referrals.models import Override, Referral, Status
from residents.models import (
    Attendance,
    AttendanceStatus,
    ClinicalDocument,
    DocumentStatus,
    GroupSession,
    Phase,
    Resident,
    TherapyReview,
    TreatmentPlan,
    add_months,
)
from supervision.selectors import staff_compliance


def row_counts():
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def seed():
    with open("/dev/null", "w") as quiet:
        call_command("seed_demo", stdout=quiet)


def test_seed_demo_builds_the_estate_and_running_it_again_changes_nothing(client, demo_estate):
    assert Community.objects.count() == 4
    assert Community.objects.values("establishment").distinct().count() == 2
    assert set(RoleAssignment.objects.active().values_list("role", flat=True)) == set(Role.values)
    assert len(permissions.community_ids(User.objects.get(username="hop"))) == 4

    for plan in TreatmentPlan.objects.select_related("resident"):
        stay = plan.resident
        signed_on = timezone.localdate(plan.signed_off_at)
        assert stay.admitted_on <= timezone.localdate(plan.created_at) <= signed_on
        assert signed_on <= (stay.left_on or timezone.localdate())

    # The teams have been in post for longer than the six months compliance looks back.
    tm = User.objects.get(username="tm.avon")
    assert staff_compliance([tm], today=timezone.localdate())[tm.pk].total == 6

    before = row_counts()
    seed()
    assert row_counts() == before

    response = client.post("/sign-in/", {"username": "tm.avon", "password": DEMO_PASSWORD})
    assert (response.status_code, response.url) == (302, "/")


def test_seed_demo_refuses_production(db, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("seed_demo")


# What a newcomer's first look shows: a working community whose figures add up.


def last_month_kpis():
    today = timezone.localdate()
    period = kpis.Period.containing("month", today).previous()
    return kpis.compute(Community.objects.order_by("pk"), period, today=today)


def test_the_demo_communities_run_near_their_targets(demo_estate):
    figures = {row.community.name: row.values for row in last_month_kpis()}
    for name, values in figures.items():
        assert Decimal(80) <= values["occupancy"].value <= Decimal(97), name
        assert Decimal(5) <= values["mean_dosage"].value <= Decimal("7.5"), name
        assert Decimal(70) <= values["supervision_compliance"].value <= Decimal(100), name
    # Most meet the targets, and some honestly do not.
    statuses = [
        values[key].status
        for values in figures.values()
        for key in ("occupancy", "mean_dosage", "supervision_compliance")
    ]
    assert statuses.count("met") >= 6
    assert "missed" in statuses
    beds = sum(Community.objects.values_list("capacity", flat=True))
    assert 0.85 * beds <= Resident.objects.current().count() <= 0.95 * beds


def test_the_demo_referrals_are_spread_over_six_months_in_order(demo_estate):
    today = timezone.localdate()
    overrides = list(Override.objects.select_related("referral"))
    waiting = list(Referral.objects.filter(status=Status.ACCEPTED))
    assert overrides and waiting
    for decided in [o.referral.accepted_on for o in overrides] + [r.accepted_on for r in waiting]:
        assert today - timedelta(days=200) <= decided <= today
    assert len({o.referral.accepted_on for o in overrides}) >= len(overrides) - 1
    assert len({r.accepted_on for r in waiting}) > len(waiting) / 2
    for override in overrides:
        assert timezone.localdate(override.at) == override.referral.accepted_on
    for referral in Referral.objects.prefetch_related("transitions"):
        moments = [t.at for t in referral.transitions.all()]
        assert moments == sorted(moments)
        assert timezone.localdate(moments[0]) == referral.referred_on
        assert timezone.localdate(moments[-1]) <= today
        if referral.decided_on:
            decision = [t for t in referral.transitions.all() if t.to_status in DECIDED][0]
            assert timezone.localdate(decision.at) == referral.decided_on
        if referral.resident_id:
            admitted_on = referral.resident.admitted_on
            assert referral.decided_on < admitted_on <= today


def test_the_demo_residents_have_a_year_of_groups_and_records_kept_on_time(demo_estate):
    today = timezone.localdate()
    current = list(Resident.objects.current())
    admitted_days = [(today - r.admitted_on).days for r in current]
    assert min(admitted_days) < 31 and max(admitted_days) > 450
    for resident, days in zip(current, admitted_days, strict=True):
        assert (resident.phase == Phase.ASSESSMENT) == (days < 84), resident
    # A year of the timetable; today's registers are left for the staff to take.
    assert GroupSession.objects.filter(held_on__lte=today - timedelta(days=350)).exists()
    assert not Attendance.objects.filter(session__held_on=today).exists()
    assert Attendance.objects.filter(session__held_on__gte=today - timedelta(days=7)).exists()
    statuses = Counter(Attendance.objects.values_list("status", flat=True))
    assert statuses[AttendanceStatus.PRESENT] > 0.75 * sum(statuses.values())
    assert statuses[AttendanceStatus.ABSENT] and statuses[AttendanceStatus.EXCUSED]
    # Reviews held when due, a few overdue; next reviews at the community's interval.
    overdue = [r for r in current if r.next_review_on < today]
    assert 0.04 * len(current) <= len(overdue) <= 0.2 * len(current)
    for review in TherapyReview.objects.select_related("resident__community"):
        assert abs((review.held_on - review.due_on).days) <= 7
    for resident in current:
        # One interval after the latest review was held (after admission, before any).
        latest = resident.reviews.order_by("-held_on").first()
        since = latest.held_on if latest else resident.admitted_on
        assert resident.next_review_on == add_months(
            since, resident.community.review_interval_months
        )
    # Documents: two or three overdue per community, the rest due within a month; every
    # leaver's signed off.
    for community in Community.objects.all():
        late = ClinicalDocument.objects.overdue(today).filter(resident__community=community)
        assert 2 <= late.count() <= 3
        assert all(today - d.due_on <= timedelta(days=10) for d in late)
    assert not ClinicalDocument.objects.filter(resident__phase=Phase.LEFT).exclude(
        status=DocumentStatus.SIGNED_OFF
    )
    assert not ClinicalDocument.objects.filter(due_on__gt=today + timedelta(days=31))
