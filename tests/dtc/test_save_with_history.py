"""Every service writes through dtc.history.save_with_history: called outside a request
(a task, a command, these tests), the history row still names who made the change."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit import services as audit_services
from audit.models import ActionStatus, AuditTemplate, Rating, RecordKind, StandardCriterion
from dtc import services as dtc_services
from dtc.history import save_with_history
from dtc.models import Notification
from referrals import services as referral_services
from referrals.models import CriterionKind
from tests.factories import ResidentFactory
from tests.referrals.factories import ReferralFactory, accepted, default_criteria


def latest_by(record):
    return record.history.order_by("-history_date", "-history_id").first().history_user


def test_a_referral_moved_on_names_who_moved_it(cast):
    default_criteria(cast.a, cast.tm_a)
    referral = ReferralFactory(community=cast.a)
    referral_services.referral_start_screening(referral=referral, by=cast.clinician_a)
    referral_services.referral_hold(referral=referral, by=cast.tm_a, note="Awaiting papers")
    referral.refresh_from_db()

    assert latest_by(referral) == cast.tm_a
    assert referral.held_from == "screening"


def test_an_accepted_referral_names_who_accepted_it(cast):
    default_criteria(cast.a, cast.tm_a)
    referral = accepted(ReferralFactory(community=cast.a), cast.tm_a)
    assert latest_by(referral) == cast.tm_a


def test_criteria_added_moved_and_retired_name_the_manager(cast):
    first = referral_services.criterion_add(
        community=cast.a, by=cast.tm_a, text="Motivated to change", kind=CriterionKind.RECORDED
    )
    second = referral_services.criterion_add(
        community=cast.a, by=cast.tm_a, text="Able to work in groups", kind=CriterionKind.RECORDED
    )
    referral_services.criterion_move(criterion=second, by=cast.hop, up=True)
    referral_services.criterion_retire(criterion=first, by=cast.tm_a)
    first.refresh_from_db()
    second.refresh_from_db()

    assert (second.position, latest_by(second)) == (1, cast.hop)
    assert latest_by(first) == cast.tm_a


def test_a_review_cycle_advanced_names_who_advanced_it(cast):
    cycle = audit_services.cycle_open(community=cast.a, title="Review 2026", by=cast.tm_a)
    for criterion in StandardCriterion.objects.filter(retired=False):
        audit_services.criterion_rate(
            cycle=cycle, criterion=criterion, rating=Rating.MET, evidence="Seen", by=cast.tm_a
        )
    audit_services.cycle_advance(cycle=cycle, by=cast.hop)
    cycle.refresh_from_db()
    assert latest_by(cycle) == cast.hop


def test_an_action_plan_item_moved_on_names_who_moved_it(cast):
    cycle = audit_services.cycle_open(community=cast.a, title="Review 2026", by=cast.tm_a)
    criterion = StandardCriterion.objects.filter(retired=False).first()
    audit_services.criterion_rate(
        cycle=cycle,
        criterion=criterion,
        rating=Rating.NOT_MET,
        evidence="No minutes",
        action_description="Keep minutes of every community meeting",
        action_owner=cast.clinician_a,
        action_due=timezone.localdate(),
        by=cast.tm_a,
    )
    action = cycle.actions.get()
    audit_services.action_set_status(action=action, status=ActionStatus.IN_PROGRESS, by=cast.hop)
    action.refresh_from_db()
    assert latest_by(action) == cast.hop


def test_a_template_retired_and_a_kpi_target_set_name_the_hop(cast):
    template = audit_services.audit_template_save(
        template=AuditTemplate(title="Documents on time", record_kind=RecordKind.CLINICAL_DOCUMENT),
        questions=["Was it signed off by its due date?"],
        by=cast.hop,
    )
    audit_services.audit_template_retire(template=template, by=cast.hop)
    target = audit_services.kpi_target_set(kpi="occupancy", community=cast.a, value=87, by=cast.hop)
    template.refresh_from_db()

    assert latest_by(template) == cast.hop
    assert latest_by(target) == cast.hop


def test_a_role_ended_names_who_ended_it(cast):
    assignment = cast.clinician_a.role_assignments.get()
    dtc_services.role_end(assignment=assignment, by=cast.hop, reason="Left the service")
    assert latest_by(assignment) == cast.hop


def test_a_notification_read_names_its_reader(cast):
    resident = ResidentFactory(community=cast.a)
    notification = Notification.objects.create(
        recipient=cast.tm_a, key="test:1", message="Read me", url="/", about=resident.prison_number
    )
    dtc_services.notifications_mark_read(user=cast.tm_a)
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert latest_by(notification) == cast.tm_a


def test_a_record_that_does_not_validate_is_not_saved(cast):
    resident = ResidentFactory.build(community=cast.a, prison_number="")
    with pytest.raises(ValidationError):
        save_with_history(resident, cast.tm_a)
    assert resident.pk is None


def test_saving_some_fields_validates_and_writes_those_alone(cast):
    resident = ResidentFactory(community=cast.a, last_name="Oak")
    resident.last_name = "Ash"
    resident.first_name = "Changed in memory only"
    save_with_history(resident, cast.tm_a, update_fields=["last_name"])
    resident.refresh_from_db()

    assert (resident.last_name, latest_by(resident)) == ("Ash", cast.tm_a)
    assert resident.first_name != "Changed in memory only"
