"""The admin cannot go around the services: every clinical and audit record is read-only
there (no add, no change, no revert, no delete), while the organisation keeps its own
records and reference lists editable. Driven through real requests as a superuser, and
over the whole registry, so a model registered later is covered as it is registered."""

import json
from datetime import timedelta

import pytest
from django.contrib import admin
from django.db import models
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from audit import services as audit_services
from audit.models import Rating, StandardCriterion
from community import services as community_services
from community.models import AgendaKind, MeetingKind, MotionKind
from dtc import services as dtc_services
from dtc.admin import RecordAdmin
from dtc.models import (
    Cluster,
    Community,
    Establishment,
    Notification,
    RoleAssignment,
    StaffProfile,
    User,
)
from dtc.services import notify_all
from referrals import services as referral_services
from referrals.models import Outcome, Priority, Referral
from residents import services as resident_services
from residents.models import AccessLogEntry, Intervention, Resident
from supervision.models import SupervisionTheme
from tests import factories
from tests.community.constitution_factories import amend
from tests.factories import ResidentFactory
from tests.referrals.factories import ReferralFactory, at_decision, default_criteria, submitted
from tests.residents.factories import GroupSessionFactory

PROJECT_APPS = {"dtc", "referrals", "residents", "supervision", "audit", "community"}

# Administered in the admin: the organisation and its staff (roles through dtc.services),
# and the one reference list no page of the service keeps. Everything else of the
# project's that is registered is a record, written only by its app's services.
ADMINISTERED = {User, Cluster, Establishment, Community, StaffProfile, RoleAssignment}
REFERENCE_DATA = {SupervisionTheme}

RECORDS = sorted(
    (
        model
        for model in admin.site._registry
        if model._meta.app_label in PROJECT_APPS and model not in ADMINISTERED | REFERENCE_DATA
    ),
    key=lambda model: model._meta.label,
)
WITH_HISTORY = [m for m in RECORDS if hasattr(m._meta, "simple_history_manager_attribute")]

by_label = pytest.mark.parametrize("model", RECORDS, ids=lambda model: model._meta.label)


def url(model, view, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def records(cast):
    """One of each record, made through the services as the pages make them: a referral
    accepted over failed criteria and admitted, a review cycle rated with an action
    plan, a notification, and the logs of views and downloads."""
    today = timezone.localdate()
    default_criteria(cast.a, cast.tm_a)
    referral = submitted(cast.a, cast.clinician_a)
    at_decision(referral, cast.tm_a, record=Outcome.NOT_MET)
    referral_services.referral_record_interview(
        referral=referral, held_on=today, assessor=cast.clinician_a, summary="Seen.", by=cast.tm_a
    )
    referral_services.referral_accept(
        referral=referral,
        by=cast.tm_a,
        priority=Priority.ROUTINE,
        rationale="Motivated and stable on the wing for a year; the team will review at 3 months.",
    )
    resident = referral_services.referral_admit(referral=referral, by=cast.tm_a, admitted_on=today)
    resident_services.access_log_record(resident=resident, page="record", by=cast.tm_a)

    cycle = audit_services.cycle_open(community=cast.a, title="Annual review", by=cast.tm_a)
    audit_services.criterion_rate(
        cycle=cycle,
        criterion=StandardCriterion.objects.filter(retired=False).first(),
        rating=Rating.NOT_MET,
        evidence="Sampled records.",
        by=cast.tm_a,
        action_description="Review every plan",
        action_owner=cast.tm_a,
        action_due=today + timedelta(days=30),
    )
    notify_all(
        [Notification(recipient=cast.tm_a, key="admin-test", message="A referral is waiting.")]
    )

    case_study = audit_services.case_study_request(resident=resident, by=cast.auditor_a)
    audit_services.case_study_download_record(case_study=case_study, by=cast.auditor_a)
    request = audit_services.subject_access_request(
        prison_number=referral.prison_number, reason="Request by letter", by=cast.hop
    )
    audit_services.subject_access_download_record(request=request, kind="json", by=cast.hop)

    meeting = community_services.staff_meeting_record(
        community=cast.a,
        kind=MeetingKind.CLINICAL,
        held_on=today,
        duration_minutes=60,
        staff_present=[cast.tm_a, cast.clinician_a],
        minutes="Reviewed the week.",
        by=cast.tm_a,
    )
    community_services.staff_meeting_resident_discussed(
        meeting=meeting, resident=resident, notes="Settling in.", by=cast.tm_a
    )
    community_services.staff_meeting_action_add(
        meeting=meeting, description="Book the review", owner=cast.tm_a, due_on=today, by=cast.tm_a
    )

    session = GroupSessionFactory(
        community=cast.a,
        group_type=Intervention.COMMUNITY_MEETING,
        held_on=today,
        recorded_by=cast.officer_a,
    )
    community_meeting = community_services.community_meeting_start(
        session=session, minute_taker=cast.officer_a, chair_staff=cast.tm_a, by=cast.officer_a
    )
    community_services.agenda_item_add(
        meeting=community_meeting,
        kind=AgendaKind.REQUEST,
        title="A pool table",
        minutes="Asked for one.",
        raised_by_resident=resident,
        by=cast.officer_a,
    )
    amend(cast.a, cast.tm_a)
    community_services.motion_record(
        community=cast.a,
        kind=MotionKind.COMMITMENT_VOTE,
        held_on=today,
        residents_for=1,
        resident=resident,
        meeting=community_meeting,
        by=cast.officer_a,
    )

    # The catalogue comes from a data migration, which writes no history: one version of
    # each to look at (the HoP edits criteria on the audit pages; sections never change).
    criterion = StandardCriterion.objects.first()
    criterion.text = f"{criterion.text} (reworded)"
    audit_services.criterion_save(criterion=criterion, by=cast.hop)
    criterion.section.save()


def one_of(model):
    record = model._default_manager.order_by("pk").first()
    assert record is not None, f"add a {model._meta.label} to the records fixture"
    return record


def as_posted(record, *, change_a_text=True) -> dict:
    """The record's values as its change form would post them, with a text changed."""
    data, changed = {}, not change_a_text
    for field in record._meta.get_fields():
        if not getattr(field, "editable", False) or field.auto_created or not field.concrete:
            continue
        value = model_to_dict(record, fields=[field.name]).get(field.name)
        if isinstance(field, models.ManyToManyField):
            data[field.name] = [related.pk for related in value]
        elif isinstance(field, models.JSONField):
            data[field.name] = json.dumps(value)
        elif isinstance(field, models.BooleanField):
            if value:
                data[field.name] = "on"
        elif value is not None:
            data[field.name] = value
        if isinstance(field, models.CharField | models.TextField) and not field.choices:
            if not changed and field.name in data:
                data[field.name] = f"{data[field.name]} (changed in the admin)"
                changed = True
    return data


def state(record) -> tuple:
    """What a write would change: the row's values and, where kept, its history."""
    fresh = type(record)._default_manager.get(pk=record.pk)
    history = getattr(fresh, "history", None)
    return model_to_dict(fresh), history.count() if history is not None else None


# The registry ----------------------------------------------------------------------------


def test_every_record_registered_in_the_admin_is_shown_through_the_read_only_base():
    plain = [m._meta.label for m in RECORDS if not isinstance(admin.site._registry[m], RecordAdmin)]
    assert not plain


def test_the_records_of_the_first_release_are_still_registered():
    labels = {model._meta.label for model in RECORDS}
    assert labels >= {
        "dtc.Notification",
        "referrals.Referral",
        "referrals.Transition",
        "referrals.CriterionOutcome",
        "referrals.Interview",
        "referrals.Override",
        "referrals.SuitabilityCriterion",
        "residents.Resident",
        "audit.StandardSection",
        "audit.StandardCriterion",
        "audit.ReviewCycle",
        "audit.CriterionRating",
        "audit.ActionPlanItem",
    }
    assert ADMINISTERED | REFERENCE_DATA <= set(admin.site._registry)


# Each record, read-only --------------------------------------------------------------------


@by_label
def test_a_record_cannot_be_added_in_the_admin(admin_client, model):
    before = model._default_manager.count()

    assert admin_client.get(url(model, "add")).status_code == 403
    assert admin_client.post(url(model, "add"), {}).status_code == 403
    assert model._default_manager.count() == before


@by_label
def test_a_post_to_a_records_change_page_changes_nothing(admin_client, records, model):
    record = one_of(model)
    before = state(record)

    response = admin_client.post(url(model, "change", record.pk), as_posted(record))

    assert response.status_code == 403
    assert state(record) == before


@by_label
def test_a_record_cannot_be_deleted_in_the_admin(admin_client, records, model):
    record = one_of(model)

    assert admin_client.get(url(model, "delete", record.pk)).status_code == 403
    assert admin_client.post(url(model, "delete", record.pk), {"post": "yes"}).status_code == 403
    admin_client.post(
        url(model, "changelist"),
        {"action": "delete_selected", "_selected_action": [record.pk], "post": "yes"},
    )
    assert model._default_manager.filter(pk=record.pk).exists()


@by_label
def test_a_record_is_looked_up_read_only_with_its_history(admin_client, records, model):
    record = one_of(model)

    listed = admin_client.get(url(model, "changelist"))
    assert listed.status_code == 200
    assert url(model, "change", record.pk) in listed.content.decode()
    shown = admin_client.get(url(model, "change", record.pk))
    assert shown.status_code == 200
    assert 'name="_save"' not in shown.content.decode()
    assert admin_client.get(url(model, "history", record.pk)).status_code == 200


@pytest.mark.parametrize("model", WITH_HISTORY, ids=lambda model: model._meta.label)
def test_a_record_cannot_be_reverted_to_an_old_version_in_the_admin(admin_client, records, model):
    version = model.history.order_by("history_date", "history_id").first()
    assert version is not None, f"change a {model._meta.label} in the records fixture"
    record = model._default_manager.get(pk=version.instance.pk)
    before = state(record)

    path = url(model, "simple_history", record.pk, version.history_id)
    assert admin_client.get(path).status_code == 200
    assert admin_client.post(path, as_posted(record)).status_code == 403
    assert state(record) == before


# The stories behind it -----------------------------------------------------------------


def test_a_resident_cannot_be_admitted_in_the_admin_around_the_bed_check(admin_client, cast):
    cast.a.capacity = 1
    cast.a.save()
    factories.ResidentFactory(community=cast.a)

    response = admin_client.post(
        url(Resident, "add"),
        {
            "community": cast.a.pk,
            "prison_number": "D1234EF",
            "first_name": "Lee",
            "last_name": "Admitted",
            "date_of_birth": "1990-01-01",
            "phase": "assessment",
            "admitted_on": timezone.localdate().isoformat(),
        },
    )

    assert response.status_code == 403
    assert not Resident.objects.filter(prison_number="D1234EF").exists()


def test_a_re_rating_cannot_be_undone_in_the_admin(admin_client, cast):
    cycle = audit_services.cycle_open(community=cast.a, title="Annual review", by=cast.tm_a)
    criterion = StandardCriterion.objects.filter(retired=False).first()
    for rating in (Rating.PARTLY_MET, Rating.MET):
        audit_services.criterion_rate(
            cycle=cycle, criterion=criterion, rating=rating, evidence="Seen.", by=cast.tm_a
        )
    rated = cycle.ratings.get()
    first = rated.history.earliest("history_date")

    path = url(type(rated), "simple_history", rated.pk, first.history_id)
    admin_client.post(path, as_posted(first.instance, change_a_text=False))

    rated.refresh_from_db()
    assert (rated.rating, rated.history.count()) == (Rating.MET, 2)


def test_looking_up_a_resident_in_the_admin_is_in_their_access_log(admin_client, admin_user, cast):
    resident = factories.ResidentFactory(community=cast.a)

    admin_client.get(url(Resident, "change", resident.pk))
    admin_client.get(url(Resident, "history", resident.pk))

    logged = AccessLogEntry.objects.filter(resident=resident, user=admin_user)
    assert sorted(logged.values_list("page", flat=True)) == ["admin history", "admin record"]


# What the organisation keeps there -----------------------------------------------------------


def test_a_community_is_still_edited_in_the_admin(admin_client, cast):
    path = url(Community, "change", cast.a.pk)
    data = as_posted(cast.a) | {"name": "A wing"}

    assert 'name="_save"' in admin_client.get(path).content.decode()
    assert admin_client.post(path, data).status_code == 302
    cast.a.refresh_from_db()
    assert cast.a.name == "A wing"


def test_a_supervision_theme_is_added_and_retired_in_the_admin(admin_client):
    admin_client.post(
        url(SupervisionTheme, "add"), {"name": "Working with endings", "is_active": "on"}
    )
    theme = SupervisionTheme.objects.get(name="Working with endings")

    admin_client.post(url(SupervisionTheme, "change", theme.pk), {"name": "Working with endings"})

    theme.refresh_from_db()
    assert not theme.is_active
    assert admin_client.get(url(SupervisionTheme, "delete", theme.pk)).status_code == 403


def test_a_restricted_person_is_hidden_in_the_admin_from_anyone_not_named(
    admin_client, admin_user, cast
):
    hidden = ResidentFactory(community=cast.a, last_name="Hidden")
    seen = ResidentFactory(community=cast.a, last_name="Seen")
    referral = ReferralFactory(community=cast.a, prison_number=hidden.prison_number)
    dtc_services.person_restrict(
        prison_number=hidden.prison_number, named=[cast.tm_a], reason="High profile", by=cast.tm_a
    )

    listed = admin_client.get(url(Resident, "changelist")).content.decode()
    assert "Seen" in listed and "Hidden" not in listed
    assert (
        hidden.prison_number not in admin_client.get(url(Referral, "changelist")).content.decode()
    )
    # A hidden record's page answers as a missing one: back to the admin index.
    assert admin_client.get(url(Resident, "change", hidden.pk)).status_code == 302
    assert admin_client.get(url(Referral, "change", referral.pk)).status_code == 302
    assert admin_client.get(url(Resident, "change", seen.pk)).status_code == 200
