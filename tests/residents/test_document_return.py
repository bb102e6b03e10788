"""document_return: the Therapy Manager (or the Head of Psychotherapy) sends a submitted
document back to its author as a draft, saying what needs to change."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from dtc.models import Role
from residents import services
from residents.models import DocumentStatus, ResidentAccess
from tests.factories import ResidentFactory
from tests.residents.factories import ClinicalDocumentFactory

REASON = "Say which criminogenic needs the progress relates to"


@pytest.fixture
def resident(cast):
    return ResidentFactory(community=cast.a)


@pytest.fixture
def submitted(cast, resident):
    return ClinicalDocumentFactory(
        resident=resident,
        author=cast.clinician_a,
        status=DocumentStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )


@pytest.fixture
def countersigned(cast, resident):
    return ClinicalDocumentFactory(
        resident=resident,
        author=cast.trainee_a,
        status=DocumentStatus.SUBMITTED,
        needs_countersignature=True,
        countersigned_by=cast.clinician_a,
        countersigned_at=timezone.now(),
    )


def test_the_document_goes_back_to_its_author_as_a_draft_with_the_reason(cast, submitted):
    services.document_return(document=submitted, reason=f"  {REASON} ", by=cast.tm_a)
    submitted.refresh_from_db()
    assert submitted.status == DocumentStatus.DRAFT
    latest = submitted.history.first()
    assert (latest.history_user, latest.status, latest.history_change_reason) == (
        cast.tm_a,
        DocumentStatus.DRAFT,
        REASON,
    )


def test_the_author_can_change_and_submit_the_returned_draft(cast, submitted):
    services.document_return(document=submitted, reason=REASON, by=cast.tm_a)
    services.document_change(
        document=submitted,
        title="Case note",
        body="Relates to violence",
        due_on=None,
        by=cast.clinician_a,
    )
    document = services.document_submit(document=submitted, by=cast.clinician_a)
    assert (document.status, document.body) == (DocumentStatus.SUBMITTED, "Relates to violence")


def test_a_returned_trainees_document_needs_a_new_countersignature(cast, countersigned):
    # What was countersigned is not what will be submitted next.
    services.document_return(document=countersigned, reason=REASON, by=cast.tm_a)
    countersigned.refresh_from_db()
    assert (countersigned.countersigned_by, countersigned.countersigned_at) == (None, None)
    services.document_submit(document=countersigned, by=cast.trainee_a)
    with pytest.raises(ValidationError):
        services.document_sign_off(document=countersigned, by=cast.tm_a)


def test_a_long_reason_is_kept_to_the_length_of_the_history_note(cast, submitted):
    reason = "Needs more on the risk formulation. " * 5
    services.document_return(document=submitted, reason=reason, by=cast.tm_a)
    assert submitted.history.first().history_change_reason == reason.strip()[:100]


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_return_needs_a_reason(cast, submitted, reason):
    with pytest.raises(ValidationError) as refused:
        services.document_return(document=submitted, reason=reason, by=cast.tm_a)
    assert "reason" in refused.value.message_dict
    submitted.refresh_from_db()
    assert submitted.status == DocumentStatus.SUBMITTED


@pytest.mark.parametrize("status", [DocumentStatus.DRAFT, DocumentStatus.SIGNED_OFF])
def test_only_a_submitted_document_can_be_returned(cast, resident, status):
    document = ClinicalDocumentFactory(resident=resident, author=cast.clinician_a, status=status)
    rows = document.history.count()
    with pytest.raises(ValidationError):
        services.document_return(document=document, reason=REASON, by=cast.tm_a)
    document.refresh_from_db()
    assert document.status == status
    assert document.history.count() == rows


def test_the_status_is_read_from_the_saved_document_not_the_one_in_hand(cast, submitted):
    stale = type(submitted).objects.get(pk=submitted.pk)
    services.document_sign_off(document=submitted, by=cast.tm_a)
    with pytest.raises(ValidationError):
        services.document_return(document=stale, reason=REASON, by=cast.hop)
    submitted.refresh_from_db()
    assert submitted.status == DocumentStatus.SIGNED_OFF


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.THERAPY_MANAGER, True),
        (Role.HEAD_OF_PSYCHOTHERAPY, True),
        (Role.CLINICIAN, False),
        (Role.TRAINEE, False),
        (Role.OFFICER, False),
        (Role.AUDITOR, False),
    ],
)
def test_who_may_return_a_document(cast, submitted, role, allowed):
    by = cast.by_role(role)
    if allowed:
        services.document_return(document=submitted, reason=REASON, by=by)
        assert submitted.history.first().history_user == by
    else:
        with pytest.raises(PermissionDenied):
            services.document_return(document=submitted, reason=REASON, by=by)
    submitted.refresh_from_db()
    assert submitted.status == (DocumentStatus.DRAFT if allowed else DocumentStatus.SUBMITTED)


def test_the_therapy_manager_of_another_community_may_not_return_a_document(cast, submitted):
    with pytest.raises(PermissionDenied):
        services.document_return(document=submitted, reason=REASON, by=cast.tm_b)


def test_a_head_of_psychotherapy_not_named_on_a_restriction_does_not_find_it(cast, submitted):
    submitted.resident.is_restricted = True
    submitted.resident.save()
    ResidentAccess.objects.create(resident=submitted.resident, user=cast.tm_a, granted_by=cast.tm_a)
    with pytest.raises(Http404):
        services.document_return(document=submitted, reason=REASON, by=cast.hop)
    services.document_return(document=submitted, reason=REASON, by=cast.tm_a)
