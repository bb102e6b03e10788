"""Corrections, never deletion: a recorded entry is marked entered in error or amended
by a new row that keeps the original; lists and figures read only what is in effect,
the history keeps both, and whatever the entry caused follows the correction."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from audit import measures
from community import services as community_services
from community.models import Motion, MotionKind, Outcome
from dtc import corrections
from referrals.models import Interview, Status
from residents import services
from residents.models import (
    AcctPeriod,
    Incident,
    TherapyReview,
    add_months,
)
from supervision import selectors as supervision_selectors
from supervision.models import SessionType, SupervisionSession
from tests.community.constitution_factories import amend
from tests.factories import ResidentFactory
from tests.referrals.factories import ReferralFactory
from tests.supervision.factories import AgreedActionFactory, SupervisionSessionFactory

TODAY = timezone.localdate()
YESTERDAY = TODAY - timedelta(days=1)


@pytest.fixture
def resident(cast):
    return ResidentFactory(community=cast.a, admitted_on=TODAY - timedelta(days=400))


def _incident(resident, by, **details):
    return services.incident_record(
        resident=resident,
        occurred_on=details.get("occurred_on", YESTERDAY),
        kind="incident",
        seriousness=details.get("seriousness", "serious"),
        description=details.get("description", "Fight on the landing."),
        by=by,
    )


# Marking entered in error --------------------------------------------------------------


def test_an_incident_entered_in_error_is_kept_with_who_when_and_why(cast, resident):
    incident = _incident(resident, cast.officer_a)
    corrections.record_mark_entered_in_error(
        record=incident, reason="Wrong resident.", by=cast.clinician_a
    )
    incident.refresh_from_db()
    assert incident.entered_in_error_by == cast.clinician_a
    assert incident.entered_in_error_reason == "Wrong resident."
    assert incident.entered_in_error_at is not None
    assert not incident.in_effect
    assert Incident.objects.filter(pk=incident.pk).exists()
    assert list(resident.incidents.in_effect()) == []
    latest = incident.history.order_by("-history_id").first()
    assert latest.history_user == cast.clinician_a
    assert latest.entered_in_error_reason == "Wrong resident."
    assert incident.history.count() == 2


def test_an_entry_already_entered_in_error_is_refused(cast, resident):
    incident = _incident(resident, cast.officer_a)
    corrections.record_mark_entered_in_error(record=incident, reason="Wrong.", by=cast.tm_a)
    with pytest.raises(ValidationError, match="entered in error"):
        corrections.record_mark_entered_in_error(record=incident, reason="Again.", by=cast.tm_a)
    with pytest.raises(ValidationError, match="entered in error"):
        corrections.record_amend(
            record=incident, changes={"seriousness": "low"}, reason="x", by=cast.tm_a
        )


def test_a_reason_is_required(cast, resident):
    incident = _incident(resident, cast.officer_a)
    with pytest.raises(ValidationError) as refusal:
        corrections.record_mark_entered_in_error(record=incident, reason="  ", by=cast.tm_a)
    assert "reason" in refusal.value.message_dict
    with pytest.raises(ValidationError) as refusal:
        corrections.record_amend(
            record=incident, changes={"seriousness": "low"}, reason="", by=cast.tm_a
        )
    assert "reason" in refusal.value.message_dict
    incident.refresh_from_db()
    assert incident.in_effect


# Amending -------------------------------------------------------------------------------


def test_an_amendment_is_a_new_row_and_the_original_is_kept(cast, resident):
    incident = _incident(resident, cast.officer_a, seriousness="serious")
    amendment = corrections.record_amend(
        record=incident,
        changes={"seriousness": "low", "description": "Fight on the landing."},
        reason="It was a scuffle.",
        by=cast.tm_a,
    )
    incident.refresh_from_db()
    assert amendment.pk != incident.pk
    assert (amendment.seriousness, amendment.description) == ("low", "Fight on the landing.")
    assert amendment.corrects == incident
    assert amendment.amendment_reason == "It was a scuffle."
    assert amendment.recorded_by == cast.officer_a
    assert incident.superseded and incident.seriousness == "serious"
    assert list(resident.incidents.in_effect()) == [amendment]
    assert corrections.correction_of(incident) == amendment
    assert amendment.history.get().history_user == cast.tm_a
    assert incident.history.order_by("-history_id").first().history_user == cast.tm_a


def test_an_amendment_with_no_change_is_refused(cast, resident):
    incident = _incident(resident, cast.officer_a)
    with pytest.raises(ValidationError, match="nothing was changed"):
        corrections.record_amend(
            record=incident,
            changes={"seriousness": incident.seriousness, "description": incident.description},
            reason="Checking.",
            by=cast.tm_a,
        )
    assert Incident.objects.count() == 1


def test_a_superseded_entry_cannot_be_corrected_again(cast, resident):
    incident = _incident(resident, cast.officer_a)
    corrections.record_amend(
        record=incident, changes={"seriousness": "low"}, reason="Scuffle.", by=cast.tm_a
    )
    with pytest.raises(ValidationError, match="already been corrected"):
        corrections.record_mark_entered_in_error(record=incident, reason="x", by=cast.tm_a)


def test_an_amended_date_is_held_to_the_create_rule(cast, resident):
    incident = _incident(resident, cast.officer_a)
    with pytest.raises(ValidationError) as refusal:
        corrections.record_amend(
            record=incident,
            changes={"occurred_on": TODAY + timedelta(days=3)},
            reason="Typo.",
            by=cast.tm_a,
        )
    assert "occurred_on" in refusal.value.message_dict
    incident.refresh_from_db()
    assert incident.in_effect


def test_an_amended_vote_takes_the_outcome_of_its_new_count(cast, resident):
    amend(cast.a, cast.tm_a, quorum_percent=0)
    vote = community_services.motion_record(
        community=cast.a,
        kind=MotionKind.COMMITMENT_VOTE,
        resident=resident,
        held_on=YESTERDAY,
        residents_for=0,
        residents_against=1,
        by=cast.officer_a,
    )
    assert vote.outcome == Outcome.NOT_CARRIED
    amendment = corrections.record_amend(
        record=vote,
        changes={"residents_for": 1, "residents_against": 0},
        reason="The counts were swapped.",
        by=cast.officer_a,
    )
    assert amendment.outcome == Outcome.CARRIED
    assert amendment.corrects == vote
    assert list(Motion.objects.in_effect()) == [amendment]


# Permissions ----------------------------------------------------------------------------


def test_whoever_may_record_the_kind_may_correct_it(cast, resident):
    incident = _incident(resident, cast.officer_a)
    with pytest.raises(Http404):
        corrections.record_mark_entered_in_error(record=incident, reason="x", by=cast.tm_b)
    review = services.review_complete(
        resident=resident, held_on=YESTERDAY, outcome="continue", summary="Fine.", by=cast.tm_a
    )
    with pytest.raises(PermissionDenied):
        corrections.record_mark_entered_in_error(record=review, reason="x", by=cast.officer_a)
    corrections.record_mark_entered_in_error(record=incident, reason="x", by=cast.officer_a)


# Side effects ---------------------------------------------------------------------------


def test_a_review_entered_in_error_gives_back_its_due_date(cast, resident):
    due = resident.next_review_on
    review = services.review_complete(
        resident=resident, held_on=YESTERDAY, outcome="continue", summary="Fine.", by=cast.tm_a
    )
    resident.refresh_from_db()
    assert resident.next_review_on == add_months(YESTERDAY, cast.a.review_interval_months)
    corrections.record_mark_entered_in_error(
        record=review, reason="Recorded on the wrong resident.", by=cast.clinician_a
    )
    resident.refresh_from_db()
    assert resident.next_review_on == due
    assert list(resident.reviews.in_effect()) == []


def test_an_amended_review_keeps_the_next_review_date(cast, resident):
    review = services.review_complete(
        resident=resident, held_on=YESTERDAY, outcome="continue", summary="Fine.", by=cast.tm_a
    )
    resident.refresh_from_db()
    next_review = resident.next_review_on
    amendment = corrections.record_amend(
        record=review, changes={"summary": "Engaged well."}, reason="Typo.", by=cast.tm_a
    )
    resident.refresh_from_db()
    assert resident.next_review_on == next_review
    assert list(TherapyReview.objects.in_effect()) == [amendment]


def test_an_acct_entered_in_error_is_no_longer_open(cast, resident):
    period = services.acct_open(
        resident=resident, opened_on=YESTERDAY, reason="Low mood.", by=cast.officer_a
    )
    corrections.record_mark_entered_in_error(record=period, reason="Wrong person.", by=cast.tm_a)
    from residents.models import Resident

    assert not Resident.objects.with_acct_open().get(pk=resident.pk).acct_open
    # Another may be opened: the one in error does not count as open.
    services.acct_open(resident=resident, opened_on=TODAY, reason="Low mood.", by=cast.officer_a)


def test_an_open_acct_can_be_amended(cast, resident):
    period = services.acct_open(
        resident=resident, opened_on=YESTERDAY, reason="Low mood.", by=cast.officer_a
    )
    amendment = corrections.record_amend(
        record=period,
        changes={"reason": "Low mood after a visit."},
        reason="Fuller reason.",
        by=cast.officer_a,
    )
    assert list(AcctPeriod.objects.in_effect().filter(closed_on__isnull=True)) == [amendment]
    services.acct_close(resident=resident, closed_on=TODAY, by=cast.officer_a)
    amendment.refresh_from_db()
    assert amendment.closed_on == TODAY


# Figures leave out what is not in effect ------------------------------------------------


def test_a_review_entered_in_error_does_not_count_as_a_review(cast):
    resident = ResidentFactory(community=cast.a, admitted_on=TODAY - timedelta(days=300))
    review = services.review_complete(
        resident=resident, held_on=YESTERDAY, outcome="continue", summary="Fine.", by=cast.tm_a
    )
    assert measures.plans_reviewed(cast.a, TODAY).numerator == 1
    corrections.record_mark_entered_in_error(record=review, reason="Wrong.", by=cast.tm_a)
    assert measures.plans_reviewed(cast.a, TODAY).numerator == 0


# Interviews -----------------------------------------------------------------------------


def _interview(referral, cast):
    return Interview.objects.create(
        referral=referral,
        held_on=YESTERDAY,
        assessor=cast.clinician_a,
        summary="Motivated.",
        recorded_by=cast.clinician_a,
    )


def test_an_interview_is_amended_and_entered_in_error(cast):
    referral = ReferralFactory(community=cast.a, status=Status.ASSESSMENT)
    interview = _interview(referral, cast)
    amendment = corrections.record_amend(
        record=interview,
        changes={"assessor": cast.tm_a, "summary": "Motivated."},
        reason="The TM held it.",
        by=cast.clinician_a,
    )
    assert amendment.assessor == cast.tm_a
    assert list(referral.interviews.in_effect()) == [amendment]
    with pytest.raises(Http404):
        corrections.record_mark_entered_in_error(record=amendment, reason="x", by=cast.tm_b)
    with pytest.raises(PermissionDenied):
        corrections.record_mark_entered_in_error(record=amendment, reason="x", by=cast.officer_a)
    corrections.record_mark_entered_in_error(record=amendment, reason="x", by=cast.tm_a)
    assert list(referral.interviews.in_effect()) == []


# Supervision sessions -------------------------------------------------------------------


@pytest.fixture
def supervision(cast):
    session = SupervisionSessionFactory(
        community=cast.a,
        supervisor=cast.tm_a,
        supervisees=[cast.clinician_a],
        held_on=TODAY - timedelta(days=3),
    )
    AgreedActionFactory(session=session, owner=cast.clinician_a)
    return session


def _compliance(cast):
    return supervision_selectors.staff_compliance([cast.clinician_a], today=TODAY)[
        cast.clinician_a.pk
    ]


def test_a_session_entered_in_error_no_longer_counts_for_compliance(cast, supervision):
    before = _compliance(cast).met
    corrections.record_mark_entered_in_error(
        record=supervision, reason="Did not take place.", by=cast.tm_a
    )
    assert _compliance(cast).met == before - 1
    assert supervision not in supervision_selectors.sessions_visible_to(cast.tm_a)


def test_an_amended_session_keeps_its_people_and_actions(cast, supervision):
    amendment = corrections.record_amend(
        record=supervision,
        changes={"duration_minutes": 90, "supervisees": [cast.clinician_a]},
        reason="It ran long.",
        by=cast.tm_a,
    )
    assert list(amendment.supervisees.all()) == [cast.clinician_a]
    assert amendment.actions.count() == 1
    assert supervision.actions.count() == 0
    assert list(SupervisionSession.objects.in_effect()) == [amendment]


def test_an_amended_session_is_held_to_the_session_rules(cast, supervision):
    with pytest.raises(ValidationError) as refusal:
        corrections.record_amend(
            record=supervision,
            changes={"session_type": SessionType.GROUP},
            reason="It was a group.",
            by=cast.tm_a,
        )
    assert "supervisees" in refusal.value.message_dict


def test_only_the_supervisor_or_the_line_of_supervision_corrects_a_session(cast, supervision):
    with pytest.raises(PermissionDenied):
        corrections.record_mark_entered_in_error(
            record=supervision, reason="x", by=cast.clinician_a
        )
    with pytest.raises(Http404):
        corrections.record_mark_entered_in_error(record=supervision, reason="x", by=cast.tm_b)
    corrections.record_mark_entered_in_error(record=supervision, reason="x", by=cast.hop)


# The pages ------------------------------------------------------------------------------


def _amend_url(namespace, kind, record):
    return reverse(f"{namespace}:record_amend", args=[kind, record.pk])


def _error_url(namespace, kind, record):
    return reverse(f"{namespace}:record_entered_in_error", args=[kind, record.pk])


def test_the_resident_page_links_to_the_corrections_and_leaves_out_what_is_in_error(
    client, cast, resident
):
    kept = _incident(resident, cast.officer_a, description="Shouted at staff.")
    wrong = _incident(resident, cast.officer_a, description="Fight on the landing.")
    corrections.record_mark_entered_in_error(record=wrong, reason="Wrong man.", by=cast.tm_a)
    client.force_login(cast.officer_a)
    page = client.get(reverse("residents:detail", args=[resident.pk])).content.decode()
    assert "Shouted at staff." in page
    assert "Fight on the landing." not in page
    assert _amend_url("residents", "incident", kept) in page
    assert _error_url("residents", "incident", kept) in page


def test_correcting_an_incident_goes_through_check_your_answers(client, cast, resident):
    incident = _incident(resident, cast.officer_a, seriousness="serious")
    client.force_login(cast.officer_a)
    url = _amend_url("residents", "incident", incident)
    form = client.get(url)
    assert form.status_code == 200
    assert "Reason for the correction" in form.content.decode()
    assert form.context["form"].initial["seriousness"] == "serious"
    answers = {
        "occurred_on_day": YESTERDAY.day,
        "occurred_on_month": YESTERDAY.month,
        "occurred_on_year": YESTERDAY.year,
        "kind": "incident",
        "seriousness": "low",
        "description": incident.description,
        "correction_reason": "It was a scuffle.",
    }
    check = client.post(url, answers)
    assert "Check your answers" in check.content.decode()
    assert Incident.objects.count() == 1
    saved = client.post(url, {**answers, "confirm": "1"})
    assert saved.status_code == 302
    amendment = Incident.objects.in_effect().get()
    assert amendment.seriousness == "low" and amendment.corrects == incident


def test_an_unchanged_correction_is_refused_on_the_form(client, cast, resident):
    incident = _incident(resident, cast.officer_a)
    client.force_login(cast.officer_a)
    answers = {
        "occurred_on_day": YESTERDAY.day,
        "occurred_on_month": YESTERDAY.month,
        "occurred_on_year": YESTERDAY.year,
        "kind": incident.kind,
        "seriousness": incident.seriousness,
        "description": incident.description,
        "correction_reason": "Nothing really.",
        "confirm": "1",
    }
    page = client.post(_amend_url("residents", "incident", incident), answers)
    assert page.status_code == 200
    assert "nothing was changed" in page.content.decode()
    assert Incident.objects.in_effect().get() == incident


def test_marking_in_error_from_the_page(client, cast, resident):
    incident = _incident(resident, cast.officer_a)
    client.force_login(cast.officer_a)
    url = _error_url("residents", "incident", incident)
    check = client.post(url, {"reason": "Wrong resident."})
    assert "Fight on the landing." in check.content.decode()  # what it said, to check
    assert client.post(url, {"reason": "Wrong resident.", "confirm": "1"}).status_code == 302
    incident.refresh_from_db()
    assert incident.entered_in_error_reason == "Wrong resident."


def test_an_unknown_kind_is_404(client, cast, resident):
    incident = _incident(resident, cast.officer_a)
    client.force_login(cast.tm_a)
    assert client.get(_amend_url("residents", "bogus", incident)).status_code == 404
    assert client.get(_error_url("supervision", "incident", incident)).status_code == 404


def test_a_clinician_of_another_community_gets_404(client, cast, resident):
    incident = _incident(resident, cast.officer_a)
    client.force_login(cast.clinician_b)
    assert client.get(_amend_url("residents", "incident", incident)).status_code == 404
    assert client.get(_error_url("residents", "incident", incident)).status_code == 404


def test_an_officer_who_cannot_write_clinical_gets_403_for_a_review(client, cast, resident):
    review = services.review_complete(
        resident=resident, held_on=YESTERDAY, outcome="continue", summary="Fine.", by=cast.tm_a
    )
    client.force_login(cast.officer_a)
    assert client.get(_amend_url("residents", "review", review)).status_code == 403
    assert client.get(_error_url("residents", "review", review)).status_code == 403
    page = client.get(reverse("residents:detail", args=[resident.pk])).content.decode()
    assert _amend_url("residents", "review", review) not in page


def test_an_interview_is_corrected_from_the_referral(client, cast):
    referral = ReferralFactory(community=cast.a, status=Status.ASSESSMENT)
    interview = _interview(referral, cast)
    client.force_login(cast.clinician_a)
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert _amend_url("referrals", "interview", interview) in page
    form = client.get(_amend_url("referrals", "interview", interview))
    assert form.context["form"].initial["assessor"] == cast.clinician_a.pk
    client.force_login(cast.clinician_b)
    assert client.get(_amend_url("referrals", "interview", interview)).status_code == 404


def test_a_session_in_error_shows_its_tag_and_offers_no_correction(client, cast, supervision):
    corrections.record_mark_entered_in_error(
        record=supervision, reason="Never happened.", by=cast.tm_a
    )
    client.force_login(cast.tm_a)
    page = client.get(reverse("supervision:detail", args=[supervision.pk])).content.decode()
    assert "Entered in error: Never happened." in page
    assert _amend_url("supervision", "session", supervision) not in page
    refused = client.get(_amend_url("supervision", "session", supervision))
    assert refused.status_code == 302


def test_a_session_is_corrected_from_its_page(client, cast, supervision):
    client.force_login(cast.tm_a)
    page = client.get(reverse("supervision:detail", args=[supervision.pk])).content.decode()
    assert _amend_url("supervision", "session", supervision) in page
    form = client.get(_amend_url("supervision", "session", supervision))
    assert form.context["form"].initial["supervisees"] == [cast.clinician_a.pk]
    client.force_login(cast.clinician_a)
    assert client.get(_amend_url("supervision", "session", supervision)).status_code == 403
