"""A member of staff whose professional registration has lapsed is warned on every page,
and may not sign off or countersign clinical documents, nor sign off a plan, until it is
renewed: the refusal names the body and the date."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dtc import permissions
from dtc.models import StaffProfile
from residents import services
from residents.models import DocumentStatus
from tests.factories import ResidentFactory
from tests.residents.factories import (
    ClinicalDocumentFactory,
    PlanGoalFactory,
    TreatmentPlanFactory,
)

TODAY = timezone.localdate()
LAPSED_ON = TODAY - timedelta(days=3)


def lapse(user, on=LAPSED_ON) -> str:
    profile = StaffProfile.objects.get(user=user)
    profile.registration_renewal_date = on
    profile.save()
    return (
        f"Your {profile.professional_body} registration lapsed on {on:%-d %B %Y}. "
        "You cannot sign off or countersign clinical documents until it is renewed."
    )


@pytest.fixture
def resident(cast):
    return ResidentFactory(community=cast.a)


def test_lapsed_registration_is_the_body_and_the_date_before_today(cast):
    lapse(cast.tm_a)
    body = StaffProfile.objects.get(user=cast.tm_a).professional_body
    assert permissions.lapsed_registration(cast.tm_a, today=TODAY) == (body, LAPSED_ON)
    assert permissions.lapsed_registration(cast.tm_a, today=LAPSED_ON) is None  # due today
    assert permissions.lapsed_registration(cast.clinician_a, today=TODAY) is None
    assert permissions.lapsed_registration(cast.nobody, today=TODAY) is None  # no profile


def test_the_message_names_the_body_and_the_date(cast):
    assert permissions.registration_lapsed_message("HCPC", LAPSED_ON) == (
        f"Your HCPC registration lapsed on {LAPSED_ON:%-d %B %Y}. "
        "You cannot sign off or countersign clinical documents until it is renewed."
    )


def test_require_current_registration_raises_the_message(cast):
    message = lapse(cast.tm_a)
    with pytest.raises(ValidationError) as raised:
        permissions.require_current_registration(cast.tm_a)
    assert raised.value.messages == [message]
    permissions.require_current_registration(cast.clinician_a)


# The warning on every page ------------------------------------------------------------


# Not "page": that is Playwright's fixture, and would make this a browser test.
@pytest.mark.parametrize("url_name", ["home", "profile", "residents:resident_list"])
def test_a_lapsed_registration_is_warned_of_on_every_page(client, cast, url_name):
    message = lapse(cast.clinician_a)
    client.force_login(cast.clinician_a)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert message in response.content.decode()


def test_no_warning_for_a_current_registration(client, cast):
    client.force_login(cast.clinician_a)
    assert 'data-testid="registration-lapsed"' not in client.get(reverse("home")).content.decode()


def test_the_warning_costs_no_query_once_read_that_day(client, cast):
    lapse(cast.clinician_a)
    client.force_login(cast.clinician_a)
    client.get(reverse("profile"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("profile"))
    assert 'data-testid="registration-lapsed"' in response.content.decode()
    # (The profile page reads the profile for its own content, not for the warning.)
    lapsed_reads = [
        q for q in queries.captured_queries if '"registration_renewal_date" <' in q["sql"]
    ]
    assert lapsed_reads == []


def test_a_renewal_recorded_ends_the_warning_at_once(client, cast):
    lapse(cast.clinician_a)
    client.force_login(cast.clinician_a)
    assert 'data-testid="registration-lapsed"' in client.get(reverse("home")).content.decode()
    lapse(cast.clinician_a, on=TODAY + timedelta(days=365))
    assert 'data-testid="registration-lapsed"' not in client.get(reverse("home")).content.decode()


# Refusals -----------------------------------------------------------------------------


def test_sign_off_of_a_document_is_refused(cast, resident):
    document = ClinicalDocumentFactory(
        resident=resident, author=cast.clinician_a, status=DocumentStatus.SUBMITTED
    )
    message = lapse(cast.tm_a)
    with pytest.raises(ValidationError) as raised:
        services.document_sign_off(document=document, by=cast.tm_a)
    assert raised.value.messages == [message]
    document.refresh_from_db()
    assert document.status == DocumentStatus.SUBMITTED


def test_countersignature_is_refused(cast, resident):
    document = ClinicalDocumentFactory(
        resident=resident,
        author=cast.trainee_a,
        status=DocumentStatus.SUBMITTED,
        needs_countersignature=True,
    )
    message = lapse(cast.clinician_a)
    with pytest.raises(ValidationError) as raised:
        services.document_countersign(document=document, by=cast.clinician_a)
    assert raised.value.messages == [message]
    document.refresh_from_db()
    assert document.countersigned_by is None


def test_sign_off_of_a_plan_is_refused(cast, resident):
    plan = TreatmentPlanFactory(resident=resident, created_by=cast.clinician_a)
    PlanGoalFactory(plan=plan)
    message = lapse(cast.tm_a)
    with pytest.raises(ValidationError) as raised:
        services.plan_sign_off(plan=plan, by=cast.tm_a)
    assert raised.value.messages == [message]
    plan.refresh_from_db()
    assert not plan.is_locked


def test_a_current_registration_signs_off(cast, resident):
    document = ClinicalDocumentFactory(
        resident=resident, author=cast.clinician_a, status=DocumentStatus.SUBMITTED
    )
    services.document_sign_off(document=document, by=cast.tm_a)
    document.refresh_from_db()
    assert document.status == DocumentStatus.SIGNED_OFF


@pytest.mark.parametrize("kind", ["document", "plan"])
def test_the_refusal_is_shown_on_the_page(client, cast, resident, kind):
    if kind == "document":
        record = ClinicalDocumentFactory(
            resident=resident, author=cast.clinician_a, status=DocumentStatus.SUBMITTED
        )
        url = reverse("residents:document_sign_off", args=[record.pk])
    else:
        record = TreatmentPlanFactory(resident=resident, created_by=cast.clinician_a)
        PlanGoalFactory(plan=record)
        url = reverse("residents:plan_sign_off", args=[record.pk])
    message = lapse(cast.tm_a)
    client.force_login(cast.tm_a)
    response = client.post(url, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    # Once in the refusal's banner, once in the warning shown on every page.
    assert page.count(message) == 2
    record.refresh_from_db()
    assert record.signed_off_by is None
