"""Treatment plan versions, clinical document sign-off and amendment, the register."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from residents import selectors, services
from residents.models import AttendanceStatus, DocumentStatus, PlanStatus, Resident, add_months
from tests.factories import ResidentFactory
from tests.residents.factories import GroupSessionFactory


@pytest.fixture
def resident(cast):
    return ResidentFactory(community=cast.a, small_group="Group 1")


def _plan(resident, by, hours="10"):
    return services.plan_start(
        resident=resident,
        expected_weekly_hours=Decimal(hours),
        review_on=date.today() + timedelta(days=90),
        by=by,
    )


def test_a_signed_off_plan_is_locked_and_a_change_starts_a_new_version(cast, resident):
    plan = _plan(resident, cast.clinician_a)
    services.goal_add(
        plan=plan,
        need_area="violence",
        description="Walk away",
        interventions=["small_group"],
        by=cast.clinician_a,
    )
    services.plan_sign_off(plan=plan, by=cast.tm_a)
    with pytest.raises(ValidationError):
        services.goal_add(
            plan=plan,
            need_area="relationships",
            description="X",
            interventions=["psychodrama"],
            by=cast.tm_a,
        )
    second = _plan(resident, cast.clinician_a, hours="12")
    assert second.version == 2 and second.status == PlanStatus.DRAFT
    assert [g.description for g in second.goals.all()] == ["Walk away"]
    services.goal_add(
        plan=second,
        need_area="relationships",
        description="Ask for help",
        interventions=["psychodrama"],
        by=cast.tm_a,
    )
    rows = {row.label: row for row in selectors.plan_comparison(plan, second)}
    assert rows["Expected hours a week"].changed
    assert not rows["Violence"].changed
    assert rows["Relationships"].left == [] and rows["Relationships"].right


def test_a_plan_without_goals_cannot_be_signed_off(cast, resident):
    with pytest.raises(ValidationError):
        services.plan_sign_off(plan=_plan(resident, cast.tm_a), by=cast.tm_a)


def test_a_trainees_document_needs_a_countersignature_before_sign_off(cast, resident):
    document = services.document_draft(
        resident=resident,
        kind="case_note",
        title="Note",
        body="Text",
        due_on=None,
        by=cast.trainee_a,
    )
    assert document.needs_countersignature
    services.document_submit(document=document, by=cast.trainee_a)
    with pytest.raises(ValidationError):
        services.document_sign_off(document=document, by=cast.tm_a)
    services.document_countersign(document=document, by=cast.clinician_a)
    document = services.document_sign_off(document=document, by=cast.tm_a)
    assert document.status == DocumentStatus.SIGNED_OFF


def test_an_amendment_keeps_the_signed_off_original(cast, resident):
    document = services.document_draft(
        resident=resident,
        kind="parole_report",
        title="Parole",
        body="Original",
        due_on=None,
        by=cast.clinician_a,
    )
    services.document_submit(document=document, by=cast.clinician_a)
    services.document_sign_off(document=document, by=cast.tm_a)
    with pytest.raises(ValidationError):
        services.document_change(
            document=document, title="x", body="x", due_on=None, by=cast.clinician_a
        )
    amendment = services.document_amend(
        document=document, text="Corrected", reason="Wrong sentence date", by=cast.clinician_a
    )
    document.refresh_from_db()
    assert document.body == "Original"
    assert (amendment.amended_by, amendment.reason) == (cast.clinician_a, "Wrong sentence date")


def test_the_register_marks_every_resident_at_once_with_htmx(client, cast, resident):
    other = ResidentFactory(community=cast.a, small_group="Group 1")
    ResidentFactory(community=cast.a, small_group="Group 2")  # not on this register
    session = GroupSessionFactory(community=cast.a, small_group="Group 1", recorded_by=cast.tm_a)
    client.force_login(cast.officer_a)
    response = client.post(
        reverse("residents:attendance_record", args=[session.pk]),
        {
            f"resident-{resident.pk}": "present",
            f"resident-{other.pk}": "excused",
            f"resident-{other.pk}-reason": "Legal visit",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Saved as a draft: everyone is marked" in response.content.decode()
    assert "<html" not in response.content.decode()  # the fragment, not the page
    assert dict(session.register.values_list("resident_id", "status")) == {
        resident.pk: AttendanceStatus.PRESENT,
        other.pk: AttendanceStatus.EXCUSED,
    }


def test_the_register_refuses_a_resident_not_on_it(cast, resident):
    outsider = ResidentFactory(community=cast.a, small_group="Group 2")
    session = GroupSessionFactory(community=cast.a, small_group="Group 1")
    with pytest.raises(ValidationError):
        services.attendance_record(session=session, marks={outsider.pk: "present"}, by=cast.tm_a)
    assert not session.register.exists()


def test_completing_a_review_schedules_the_next_one(cast, resident):
    due = resident.next_review_on
    services.review_complete(
        resident=resident,
        held_on=date.today(),
        outcome="continue",
        summary="Settling in",
        by=cast.clinician_a,
    )
    resident.refresh_from_db()
    assert resident.next_review_on > due
    assert resident.reviews.get().due_on == due


def test_an_early_review_brings_the_next_one_forward_by_one_interval(cast, resident):
    # A community reviewing every six months: a review held two months early is followed
    # by the next six months after it was held, not twelve months after it was held.
    cast.a.review_interval_months = 6
    cast.a.save()
    Resident.objects.filter(pk=resident.pk).update(next_review_on=date.today() + timedelta(days=60))
    resident.refresh_from_db()
    services.review_complete(
        resident=resident,
        held_on=date.today(),
        outcome="continue",
        summary="Reviewed early, before a transfer decision.",
        by=cast.clinician_a,
    )
    resident.refresh_from_db()
    assert resident.next_review_on == add_months(date.today(), 6)


def test_each_view_of_the_record_is_logged(client, cast, resident):
    client.force_login(cast.clinician_a)
    client.get(reverse("residents:detail", args=[resident.pk]))
    client.get(reverse("residents:timeline", args=[resident.pk]))
    assert list(resident.access_log.values_list("user__username", "page")) == [
        ("clinician_a", "timeline"),
        ("clinician_a", "record"),
    ]
