"""document_countersign and may_countersign: a trainee's submitted document is
countersigned before it is signed off, by a qualified member of the community's clinical
team — never a trainee, never the author."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dtc import permissions
from dtc import services as dtc_services
from dtc.models import Role
from residents import services
from residents.models import DocumentStatus, ResidentAccess
from tests import factories
from tests.factories import ResidentFactory
from tests.residents.factories import ClinicalDocumentFactory


@pytest.fixture
def resident(cast):
    return ResidentFactory(community=cast.a)


@pytest.fixture
def trainees_document(cast, resident):
    return ClinicalDocumentFactory(
        resident=resident,
        author=cast.trainee_a,
        status=DocumentStatus.SUBMITTED,
        needs_countersignature=True,
    )


@pytest.mark.parametrize(
    ("name", "may"),
    [
        ("clinician_a", True),
        ("tm_a", True),
        ("trainee_a", False),  # the author
        ("officer_a", False),  # not on the clinical team
        ("hop", False),  # signs off, but does not write clinical records
        ("auditor_a", False),
        ("clinician_b", False),  # another community
        ("nobody", False),
    ],
)
def test_who_may_countersign_a_trainees_document(cast, trainees_document, name, may):
    assert permissions.may_countersign(getattr(cast, name), trainees_document) is may


def test_another_trainee_may_not_countersign(cast, trainees_document):
    other_trainee = factories.staff("trainee2_a", Role.TRAINEE, cast.a)
    assert not permissions.may_countersign(other_trainee, trainees_document)


def test_a_trainee_who_is_also_a_clinician_here_is_qualified_to_countersign(
    cast, trainees_document
):
    qualified = factories.staff("trainee2_a", Role.TRAINEE, cast.a)
    dtc_services.role_assign(user=qualified, role=Role.CLINICIAN, scope=cast.a)
    assert permissions.may_countersign(qualified, trainees_document)


def test_a_trainee_here_who_is_a_clinician_elsewhere_is_not(cast, trainees_document):
    trainee = factories.staff("trainee2_a", Role.TRAINEE, cast.a)
    dtc_services.role_assign(user=trainee, role=Role.CLINICIAN, scope=cast.b)
    assert not permissions.may_countersign(trainee, trainees_document)


def test_a_qualified_authors_document_needs_no_countersignature(cast, resident):
    document = ClinicalDocumentFactory(
        resident=resident, author=cast.clinician_a, status=DocumentStatus.SUBMITTED
    )
    assert not permissions.may_countersign(cast.tm_a, document)


def test_staff_not_named_on_a_restriction_may_not_countersign(cast, resident, trainees_document):
    resident.is_restricted = True
    resident.save()
    for user in (cast.tm_a, cast.trainee_a):
        ResidentAccess.objects.create(resident=resident, user=user, granted_by=cast.tm_a)
    assert not permissions.may_countersign(cast.clinician_a, trainees_document)
    assert permissions.may_countersign(cast.tm_a, trainees_document)


# Countersigning ---------------------------------------------------------------------


def test_the_countersignature_records_who_and_when(cast, trainees_document):
    before = timezone.now()
    services.document_countersign(document=trainees_document, by=cast.clinician_a)
    trainees_document.refresh_from_db()
    assert trainees_document.countersigned_by == cast.clinician_a
    assert before <= trainees_document.countersigned_at <= timezone.now()
    assert trainees_document.status == DocumentStatus.SUBMITTED  # sign-off is the TM's
    assert trainees_document.history.first().history_user == cast.clinician_a


@pytest.mark.parametrize("name", ["trainee_a", "officer_a", "hop"])
def test_those_who_may_not_countersign_are_refused(cast, trainees_document, name):
    with pytest.raises(PermissionDenied):
        services.document_countersign(document=trainees_document, by=getattr(cast, name))
    trainees_document.refresh_from_db()
    assert trainees_document.countersigned_by is None


def test_a_qualified_authors_document_is_not_countersigned(cast, resident):
    document = ClinicalDocumentFactory(
        resident=resident, author=cast.clinician_a, status=DocumentStatus.SUBMITTED
    )
    with pytest.raises(PermissionDenied):
        services.document_countersign(document=document, by=cast.tm_a)


def test_a_draft_is_not_countersigned_until_it_is_submitted(cast, resident):
    draft = ClinicalDocumentFactory(
        resident=resident, author=cast.trainee_a, needs_countersignature=True
    )
    with pytest.raises(ValidationError):
        services.document_countersign(document=draft, by=cast.clinician_a)
    draft.refresh_from_db()
    assert draft.countersigned_by is None


def test_a_document_is_countersigned_once(cast, trainees_document):
    services.document_countersign(document=trainees_document, by=cast.clinician_a)
    with pytest.raises(ValidationError):
        services.document_countersign(document=trainees_document, by=cast.tm_a)
    trainees_document.refresh_from_db()
    assert trainees_document.countersigned_by == cast.clinician_a
