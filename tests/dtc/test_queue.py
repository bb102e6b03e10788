"""The home page's work queue: what each role finds there, in what order, how much of
it the home page shows, and that a restricted person never shows to staff not named."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dtc import services as dtc_services
from dtc.home import CAP, QueueItem, queue
from dtc.models import StaffProfile
from referrals.models import Override, Status
from residents.models import DocumentStatus
from tests import factories
from tests.factories import ResidentFactory
from tests.referrals.factories import ReferralFactory
from tests.residents.factories import (
    AttendanceFactory,
    ClinicalDocumentFactory,
    GroupSessionFactory,
    PlanGoalFactory,
    TreatmentPlanFactory,
)
from tests.supervision.factories import AgreedActionFactory, SupervisionSessionFactory

TODAY = timezone.localdate()


def home_queue(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.context["queue"]


def lines(section) -> list[tuple[str, str]]:
    return [(item.what, item.about) for item in section]


def whats(client, user) -> set[str]:
    found = home_queue(client, user)
    return {item.what for item in [*found.due, *found.coming]}


def abouts(client, user) -> set[str]:
    found = home_queue(client, user)
    return {item.about for item in [*found.due, *found.coming]}


def resident(community, **fields):
    return ResidentFactory(community=community, next_review_on=TODAY + timedelta(days=90), **fields)


def supervised(user):
    """Supervision up to date, so that only what a test sets up is in the queue."""
    SupervisionSessionFactory(community=user.role_assignments.first().community, supervisees=[user])
    SupervisionSessionFactory(
        community=user.role_assignments.first().community,
        session_type="group",
        supervisees=[user],
    )


# Registers ----------------------------------------------------------------------------


def test_an_officer_finds_the_register_not_taken_and_not_the_one_taken(client, cast):
    not_taken = GroupSessionFactory(community=cast.a, held_on=TODAY)
    taken = GroupSessionFactory(
        community=cast.a,
        held_on=TODAY - timedelta(days=1),
        register_taken_at=timezone.now(),
        register_taken_by=cast.officer_a,
    )
    AttendanceFactory(session=taken, resident=resident(cast.a))
    # Marks saved as a draft are not a register taken.
    draft = GroupSessionFactory(community=cast.a, held_on=TODAY - timedelta(days=2))
    AttendanceFactory(session=draft, resident=resident(cast.a))
    GroupSessionFactory(community=cast.b, held_on=TODAY)  # not their community

    found = home_queue(client, cast.officer_a)

    registers = [item for item in found.due if item.what == "Take the register"]
    assert [item.url for item in registers] == [
        reverse("residents:attendance_record", args=[session.pk]) for session in (not_taken, draft)
    ]
    assert [item.due for item in registers] == [TODAY, draft.held_on]


def test_a_register_of_a_session_still_to_come_is_not_due(client, cast):
    GroupSessionFactory(community=cast.a, held_on=TODAY + timedelta(days=1))
    assert "Take the register" not in whats(client, cast.officer_a)


# Caseload, drafts and supervision ------------------------------------------------------


def test_a_clinician_finds_their_caseloads_reviews_and_documents(client, cast):
    due_soon = resident(cast.a, key_worker=cast.clinician_a)
    due_soon.next_review_on = TODAY + timedelta(days=5)
    due_soon.save()
    overdue = resident(cast.a, key_worker=cast.clinician_a)
    ClinicalDocumentFactory(
        resident=overdue, author=cast.tm_a, title="Parole report", due_on=TODAY - timedelta(days=3)
    )
    later = resident(cast.a, key_worker=cast.clinician_a)  # review in 90 days: not yet
    others = resident(cast.a, key_worker=cast.officer_a)
    others.next_review_on = TODAY - timedelta(days=1)
    others.save()

    found = home_queue(client, cast.clinician_a)

    assert ("Therapy review due", str(due_soon)) in lines(found.coming)
    assert ("Document overdue", f"Parole report, {overdue}") in lines(found.due)
    assert str(later) not in {item.about for item in [*found.due, *found.coming]}
    assert str(others) not in {item.about for item in [*found.due, *found.coming]}


def test_a_trainee_finds_their_own_drafts_and_the_drafts_returned_to_them(client, cast):
    someone = resident(cast.a)
    ClinicalDocumentFactory(resident=someone, author=cast.trainee_a, title="Undated note")
    ClinicalDocumentFactory(
        resident=someone,
        author=cast.trainee_a,
        title="Sent back",
        submitted_at=timezone.now(),  # submitted once, returned as a draft
        due_on=TODAY + timedelta(days=30),
    )
    ClinicalDocumentFactory(
        resident=someone,
        author=cast.trainee_a,
        title="Waiting",
        status=DocumentStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )

    found = home_queue(client, cast.trainee_a)

    assert ("Your draft", f"Undated note, {someone}") in lines(found.due)
    assert ("Draft returned to you", f"Sent back, {someone}") in lines(found.due)
    assert f"Waiting, {someone}" not in abouts(client, cast.trainee_a)


def test_a_returned_draft_is_found_after_document_return(client, cast):
    from residents import services

    document = ClinicalDocumentFactory(
        resident=resident(cast.a), author=cast.clinician_a, status=DocumentStatus.DRAFT
    )
    services.document_submit(document=document, by=cast.clinician_a)
    services.document_return(document=document, reason="Add the risk section", by=cast.tm_a)

    assert "Draft returned to you" in whats(client, cast.clinician_a)


def test_staff_find_their_own_overdue_supervision_and_agreed_actions(client, cast):
    action = AgreedActionFactory(
        session=SupervisionSessionFactory(community=cast.a, supervisees=[cast.officer_a]),
        owner=cast.officer_a,
        description="Read the ACCT guidance",
        due_on=TODAY - timedelta(days=2),
    )
    AgreedActionFactory(owner=cast.officer_a, due_on=TODAY + timedelta(days=40))  # not yet

    found = home_queue(client, cast.officer_a)

    assert ("Agreed action", "Read the ACCT guidance") in lines(found.due)
    assert [i.url for i in found.due if i.what == "Agreed action"] == [
        reverse("supervision:action_complete", args=[action.pk])
    ]
    # The clinician has had no supervision in six months.
    assert "Individual supervision overdue" in whats(client, cast.clinician_a)


def test_supervision_held_is_no_longer_overdue_but_the_next_is_coming_up(client, cast):
    supervised(cast.clinician_a)  # a week ago
    found = home_queue(client, cast.clinician_a)
    assert not [i for i in found.due if "supervision" in i.what]
    # Group supervision is fortnightly: the next is due in a week.
    assert ("Group supervision due", "Your supervision") in lines(found.coming)


# Therapy Manager -------------------------------------------------------------------------


def test_a_therapy_manager_finds_referrals_plans_documents_and_reviews_of_their_community(
    client, cast
):
    waiting = ReferralFactory(community=cast.a, status=Status.DECISION)
    stuck = ReferralFactory(
        community=cast.a,
        status=Status.SCREENING,
        status_changed_at=timezone.now() - timedelta(days=cast.a.referral_stage_alert_days + 3),
    )
    moving = ReferralFactory(community=cast.a, status=Status.SCREENING)
    elsewhere = ReferralFactory(community=cast.b, status=Status.DECISION)
    plan = TreatmentPlanFactory(resident=resident(cast.a))
    PlanGoalFactory(plan=plan)
    TreatmentPlanFactory(resident=resident(cast.a))  # no goals: not ready to sign off
    submitted = ClinicalDocumentFactory(
        resident=resident(cast.a), author=cast.clinician_a, status=DocumentStatus.SUBMITTED
    )
    past_review = resident(cast.a)
    past_review.next_review_on = TODAY - timedelta(days=10)
    past_review.save()

    found = home_queue(client, cast.tm_a)
    due = lines(found.due)

    assert ("Referral awaiting a decision", f"{waiting}, A") in due
    assert ("Referral stuck at screening", f"{stuck}, A") in due
    assert [i.due for i in found.due if i.about == f"{stuck}, A"] == [TODAY - timedelta(days=3)]
    assert ("Treatment plan to sign off", f"Version {plan.version}, {plan.resident}") in due
    assert sum(1 for what, _ in due if what == "Treatment plan to sign off") == 1
    assert ("Document to sign off", f"{submitted.title}, {submitted.resident}") in due
    assert ("Therapy review overdue", str(past_review)) in due
    about = {item.about for item in found.due}
    assert f"{moving}, A" not in about
    assert f"{elsewhere}, B" not in about
    # A clinician decides nothing and signs off nothing.
    assert not whats(client, cast.clinician_a) & {
        "Referral awaiting a decision",
        "Treatment plan to sign off",
        "Document to sign off",
    }


def test_a_trainees_document_waits_for_its_countersignature_before_sign_off(client, cast):
    ClinicalDocumentFactory(
        resident=resident(cast.a),
        author=cast.trainee_a,
        status=DocumentStatus.SUBMITTED,
        needs_countersignature=True,
    )
    assert "Document to sign off" not in whats(client, cast.tm_a)


# Head of Psychotherapy -----------------------------------------------------------------


def test_the_hop_finds_overrides_and_registrations_lapsed_or_lapsing(client, cast):
    referral = ReferralFactory(community=cast.a, status=Status.ACCEPTED)
    Override.objects.create(referral=referral, community=cast.a, by=cast.tm_a, rationale="Why")
    StaffProfile.objects.filter(user=cast.clinician_a).update(
        registration_renewal_date=TODAY - timedelta(days=3)
    )
    StaffProfile.objects.filter(user=cast.officer_a).update(
        registration_renewal_date=TODAY + timedelta(days=10)
    )
    StaffProfile.objects.filter(user=cast.trainee_a).update(
        registration_renewal_date=TODAY + timedelta(days=45)
    )
    StaffProfile.objects.filter(user=cast.tm_b).update(
        registration_renewal_date=TODAY + timedelta(days=61)
    )
    in_c = factories.staff("clinician_c", "clinician", cast.c)
    StaffProfile.objects.filter(user=in_c).update(registration_renewal_date=TODAY)

    found = home_queue(client, cast.hop)
    everything = [*found.due, *found.coming]
    body = StaffProfile.objects.get(user=cast.clinician_a).professional_body

    assert ("Override to acknowledge", f"{referral}, A") in lines(found.due)
    lapsed = next(i for i in found.due if i.about == str(cast.clinician_a))
    assert lapsed.what == f"{body} registration lapsed on {TODAY - timedelta(days=3):%-d %B %Y}"
    assert lapsed.due == TODAY - timedelta(days=3)
    assert str(cast.officer_a) in {i.about for i in found.coming}
    # Within the 60 days' notice but past "Coming up": needs chasing now, undated.
    assert [i.due for i in found.due if i.about == str(cast.trainee_a)] == [None]
    assert str(cast.tm_b) not in {i.about for i in everything}
    assert str(in_c) not in {i.about for i in everything}  # not in the HoP's establishment
    # The line opens the staff list at that person.
    response = client.get(lapsed.url)
    assert response.status_code == 200
    assert str(cast.clinician_a.last_name) in response.content.decode()


def test_a_therapy_manager_has_no_overrides_or_registrations_to_chase(client, cast):
    referral = ReferralFactory(community=cast.a, status=Status.ACCEPTED)
    Override.objects.create(referral=referral, community=cast.a, by=cast.tm_a, rationale="Why")
    StaffProfile.objects.filter(user=cast.clinician_a).update(
        registration_renewal_date=TODAY - timedelta(days=3)
    )
    assert "Override to acknowledge" not in whats(client, cast.tm_a)
    assert str(cast.clinician_a) not in abouts(client, cast.tm_a)


# Order, cap and the full list ------------------------------------------------------------


def test_due_lines_are_newest_first_with_the_undated_last_and_coming_soonest_first(rf, cast):
    def provider(request, *, today, limit):
        return [
            QueueItem(None, "Undated", "x", "/"),
            QueueItem(today - timedelta(days=9), "Old", "x", "/"),
            QueueItem(today, "Today", "x", "/"),
            QueueItem(today - timedelta(days=1), "Yesterday", "x", "/"),
            QueueItem(today + timedelta(days=9), "Later", "x", "/"),
            QueueItem(today + timedelta(days=2), "Soon", "x", "/"),
            QueueItem(today + timedelta(days=15), "Too far", "x", "/"),
        ]

    from dtc import home

    request = rf.get("/")
    request.user = cast.nobody
    home._QUEUE.insert(0, provider)
    try:
        found = queue(request, today=TODAY)
    finally:
        home._QUEUE.remove(provider)
    assert [i.what for i in found.due] == ["Today", "Yesterday", "Old", "Undated"]
    assert [i.what for i in found.coming] == ["Soon", "Later"]


def test_the_home_page_shows_the_first_lines_and_links_to_the_rest(client, cast):
    for days in range(CAP + 5):
        GroupSessionFactory(community=cast.a, held_on=TODAY - timedelta(days=days))
    supervised(cast.officer_a)

    client.force_login(cast.officer_a)
    page = client.get(reverse("home")).content.decode()

    assert page.count('class="dtc-queue__line"') == CAP
    assert f"The first {CAP} are shown" in page
    assert reverse("work_queue") in page
    everything = client.get(reverse("work_queue")).content.decode()
    assert everything.count('class="dtc-queue__line"') == CAP + 5
    assert "Overdue" in page


def test_nothing_in_the_queue_says_so(client, cast):
    client.force_login(cast.auditor_a)
    assert "Nothing needs you today." in client.get(reverse("home")).content.decode()


def test_the_home_page_stays_within_its_query_bound_however_long_the_queue(
    client, cast, django_assert_max_num_queries
):
    for days in range(40):
        GroupSessionFactory(community=cast.a, held_on=TODAY - timedelta(days=days))
        someone = resident(cast.a, key_worker=cast.tm_a)
        ClinicalDocumentFactory(resident=someone, author=cast.tm_a, due_on=TODAY)
        ReferralFactory(community=cast.a, status=Status.DECISION)
    client.force_login(cast.tm_a)
    client.get(reverse("home"))
    with django_assert_max_num_queries(20):
        client.get(reverse("home"))


# Restriction follows the person ---------------------------------------------------------


@pytest.fixture
def restricted(cast):
    """A resident past review, on the clinician's caseload, restricted to the TM alone,
    with an overdue document and a plan to sign off."""
    person = resident(cast.a, key_worker=cast.clinician_a)
    person.next_review_on = TODAY - timedelta(days=5)
    person.save()
    ClinicalDocumentFactory(resident=person, author=cast.tm_a, due_on=TODAY - timedelta(days=1))
    PlanGoalFactory(plan=TreatmentPlanFactory(resident=person))
    referral = ReferralFactory(
        community=cast.a, prison_number=person.prison_number, status=Status.ACCEPTED
    )
    Override.objects.create(referral=referral, community=cast.a, by=cast.tm_a, rationale="Why")
    dtc_services.person_restrict(
        prison_number=person.prison_number, named=[cast.tm_a], reason="High profile", by=cast.tm_a
    )
    return person


def test_a_restricted_person_shows_only_to_the_staff_named(client, cast, restricted):
    def mentions(user) -> bool:
        found = home_queue(client, user)
        return any(restricted.last_name in i.about for i in [*found.due, *found.coming])

    assert mentions(cast.tm_a)
    assert not mentions(cast.clinician_a)  # their key worker, but not named
    assert not mentions(cast.hop)  # not named: the HoP does not see them either
