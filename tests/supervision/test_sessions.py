from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from supervision import selectors, services
from supervision.models import ObservationRating, SessionType, SupervisionSession
from tests.supervision.factories import AgreedActionFactory, SupervisionSessionFactory


def record(cast, **overrides):
    fields = {
        "community": cast.a,
        "session_type": SessionType.GROUP,
        "supervisor": cast.tm_a,
        "supervisees": [cast.clinician_a, cast.officer_a],
        "held_on": date.today(),
        "duration_minutes": 90,
        "by": cast.tm_a,
    }
    return services.session_record(**(fields | overrides))


def test_session_record_saves_the_session_and_its_history(cast):
    session = record(cast, notes="Splitting in the community meeting")
    assert set(session.supervisees.all()) == {cast.clinician_a, cast.officer_a}
    assert {h.history_user for h in session.history.all()} == {cast.tm_a}


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"supervisees": [cast_user := "clinician_a"]}, "supervisees", "at least two"),
        ({"session_type": SessionType.INDIVIDUAL}, "supervisees", "one-to-one"),
        ({"supervisees": ["tm_a", "officer_a"]}, "supervisees", "cannot also be"),
        ({"supervisees": ["clinician_b", "officer_a"]}, "supervisees", "staff team"),
        ({"held_on": date.today() + timedelta(days=1)}, "held_on", "today or in the past"),
    ],
)
def test_session_record_refuses_bad_input_and_saves_nothing(cast, overrides, field, message):
    if "supervisees" in overrides:
        overrides["supervisees"] = [getattr(cast, name) for name in overrides["supervisees"]]
    with pytest.raises(ValidationError) as error:
        record(cast, **overrides)
    assert message in str(error.value.message_dict[field])
    assert not SupervisionSession.objects.exists()


def test_observation_becomes_part_of_the_supervisees_record(client, cast):
    observation = services.observation_record(
        community=cast.a,
        supervisor=cast.tm_a,
        supervisee=cast.trainee_a,
        held_on=date.today(),
        duration_minutes=60,
        activity_observed="Small group therapy",
        strengths="Held the silence well",
        areas_to_develop="Name the process sooner",
        rating=ObservationRating.GOOD,
        by=cast.tm_a,
    )
    assert observation.session.session_type == SessionType.OBSERVATION
    client.force_login(cast.trainee_a)
    page = client.get(reverse("supervision:record", args=[cast.trainee_a.pk])).content.decode()
    assert "Good" in page
    detail = client.get(reverse("supervision:detail", args=[observation.session.pk]))
    assert "Name the process sooner" in detail.content.decode()


def test_action_complete_marks_done_once(cast):
    action = AgreedActionFactory(
        session=SupervisionSessionFactory(
            community=cast.a, supervisor=cast.tm_a, supervisees=[cast.clinician_a]
        ),
        owner=cast.clinician_a,
    )
    services.action_complete(action=action, by=cast.clinician_a)
    action.refresh_from_db()
    assert action.is_done and action.done_by == cast.clinician_a
    with pytest.raises(ValidationError):
        services.action_complete(action=action, by=cast.clinician_a)


def test_action_owner_must_have_been_in_the_session(cast):
    session = SupervisionSessionFactory(
        community=cast.a, supervisor=cast.tm_a, supervisees=[cast.clinician_a]
    )
    with pytest.raises(ValidationError):
        services.action_add(
            session=session,
            description="Read up",
            owner=cast.officer_a,
            due_on=date.today(),
            by=cast.tm_a,
        )


def test_supervisee_cannot_add_actions(cast):
    session = SupervisionSessionFactory(
        community=cast.a, supervisor=cast.tm_a, supervisees=[cast.clinician_a]
    )
    with pytest.raises(PermissionDenied):
        services.action_add(
            session=session,
            description="Read up",
            owner=cast.clinician_a,
            due_on=date.today(),
            by=cast.clinician_a,
        )


def test_trainee_hours_count_every_session_as_supervisee(cast):
    services.trainee_target_set(
        trainee=cast.trainee_a,
        target_hours=10,
        designated_supervisor=cast.clinician_a,
        by=cast.tm_a,
    )
    SupervisionSessionFactory(
        community=cast.a,
        supervisor=cast.clinician_a,
        duration_minutes=90,
        supervisees=[cast.trainee_a],
    )
    SupervisionSessionFactory(
        community=cast.a,
        session_type=SessionType.GROUP,
        supervisor=cast.tm_a,
        duration_minutes=60,
        supervisees=[cast.trainee_a, cast.officer_a],
    )
    progress = selectors.trainee_progress(cast.trainee_a)
    assert (progress.hours, progress.percent) == (2.5, 25)
    assert progress.target.designated_supervisor == cast.clinician_a


def test_only_the_line_of_supervision_sets_a_requirement(cast):
    with pytest.raises(PermissionDenied):
        services.requirement_set(
            person=cast.tm_a, kind="individual", interval_weeks=2, reason="x", by=cast.tm_a
        )
    requirement = services.requirement_set(
        person=cast.tm_a, kind="individual", interval_weeks=2, reason="New in post", by=cast.hop
    )
    assert requirement.set_by == cast.hop


def test_new_session_form_shows_errors_and_saves_nothing(client, cast):
    client.force_login(cast.tm_a)
    response = client.post(
        reverse("supervision:session_record", args=[cast.a.pk]),
        {"session_type": "group", "supervisor": cast.tm_a.pk, "duration_minutes": "5"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in page
    assert "Choose who was supervised" in page
    assert "A session lasts at least 10 minutes" in page
    assert "Enter the date" in page
    assert not SupervisionSession.objects.exists()


def test_new_session_asks_to_check_answers_before_recording(client, cast):
    client.force_login(cast.tm_a)
    today = date.today()
    data = {
        "session_type": "group",
        "supervisor": cast.tm_a.pk,
        "supervisees": [cast.clinician_a.pk, cast.officer_a.pk],
        "held_on_day": today.day,
        "held_on_month": today.month,
        "held_on_year": today.year,
        "duration_minutes": "60",
    }
    url = reverse("supervision:session_record", args=[cast.a.pk])
    check = client.post(url, data)
    assert "Check your answers" in check.content.decode()
    assert not SupervisionSession.objects.exists()
    response = client.post(url, data | {"confirm": "1"})
    session = SupervisionSession.objects.get()
    assert response.url == reverse("supervision:detail", args=[session.pk])


def test_an_action_form_error_keeps_the_mark_as_done_links(client, cast):
    session = SupervisionSessionFactory(
        community=cast.a, supervisor=cast.tm_a, supervisees=[cast.clinician_a]
    )
    action = AgreedActionFactory(session=session, owner=cast.clinician_a)
    client.force_login(cast.tm_a)
    mark_as_done = reverse("supervision:action_complete", args=[action.pk])
    assert (
        mark_as_done
        in client.get(reverse("supervision:detail", args=[session.pk])).content.decode()
    )

    response = client.post(
        reverse("supervision:action_add", args=[session.pk]), {"description": ""}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter the action that was agreed" in page
    assert mark_as_done in page
