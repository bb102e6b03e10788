"""The register: who is not yet marked, mark everyone present then the exceptions, close
only when everyone is marked, the partial and excused marks, and corrections of a closed
register that keep the original. Also the warning on a second session of a group on one day."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from residents import services
from residents.models import Attendance, AttendanceStatus, GroupSession
from residents.services import Mark
from residents.timeline import timeline
from tests.factories import ResidentFactory, small_group_named
from tests.residents.factories import AttendanceFactory, GroupSessionFactory


@pytest.fixture
def group(cast):
    """Group 1 of community A: Ann and Bob, with Cy in another small group."""
    ann = ResidentFactory(community=cast.a, small_group="Group 1", first_name="Ann")
    bob = ResidentFactory(community=cast.a, small_group="Group 1", first_name="Bob")
    ResidentFactory(community=cast.a, small_group="Group 2", first_name="Cy")
    session = GroupSessionFactory(
        community=cast.a, small_group="Group 1", duration_minutes=90, recorded_by=cast.tm_a
    )
    return session, ann, bob


def _url(session):
    return reverse("residents:attendance_record", args=[session.pk])


def test_an_empty_register_is_saved_as_a_draft_naming_who_is_not_marked(client, cast, group):
    session, ann, bob = group
    client.force_login(cast.officer_a)
    response = client.post(_url(session), {"draft": "1"}, follow=True)
    page = response.content.decode()
    assert "Saved as a draft: 2 residents not yet marked." in page
    assert "Register saved." not in page
    assert page.count('data-testid="not-marked"') == 2
    session.refresh_from_db()
    assert session.register_taken_at is None


def test_closing_is_refused_while_anyone_is_unmarked(client, cast, group):
    session, ann, bob = group
    client.force_login(cast.officer_a)
    response = client.post(_url(session), {f"resident-{ann.pk}": "present", "close": "1"})
    page = response.content.decode()
    assert "The register cannot be closed: 1 resident is not yet marked." in page
    session.refresh_from_db()
    assert session.register_taken_at is None
    # Ann's mark is kept: the register stays open as a draft.
    assert session.register.get().resident == ann


def test_mark_everyone_present_then_an_exception_then_close(client, cast, group):
    session, ann, bob = group
    client.force_login(cast.officer_a)
    client.post(_url(session), {"everyone_present": "1"})
    assert set(session.register.values_list("status", flat=True)) == {"present"}
    response = client.post(
        _url(session),
        {
            f"resident-{ann.pk}": "present",
            f"resident-{bob.pk}": "late",
            f"resident-{bob.pk}-minutes": "10",
            "close": "1",
        },
        follow=True,
    )
    assert "Register closed: every resident is marked." in response.content.decode()
    session.refresh_from_db()
    assert session.register_taken_at is not None
    assert session.register_taken_by == cast.officer_a
    bob_mark = session.register.get(resident=bob)
    assert (bob_mark.status, bob_mark.minutes_missed) == ("late", 10)


def test_a_resident_recorded_as_not_recorded_lets_the_register_close(cast, group):
    session, ann, bob = group
    services.attendance_record(
        session=session,
        marks={ann.pk: Mark("present"), bob.pk: Mark("not_recorded")},
        by=cast.officer_a,
    )
    closed = services.register_close(session=session, by=cast.officer_a)
    assert closed.register_taken


@pytest.mark.parametrize(
    "mark, message",
    [
        (Mark("late"), "Enter how many minutes Bob"),
        (Mark("left_early", minutes_missed=90), "must be fewer than the 90 minutes"),
        (Mark("excused"), "Enter why Bob"),
    ],
)
def test_late_left_early_and_excused_need_their_details(cast, group, mark, message):
    session, ann, bob = group
    with pytest.raises(ValidationError) as refused:
        services.attendance_record(session=session, marks={bob.pk: mark}, by=cast.officer_a)
    assert message in str(refused.value)
    assert not session.register.exists()


def test_the_excused_reason_is_recorded_and_shown_beside_the_resident(client, cast, group):
    session, ann, bob = group
    client.force_login(cast.officer_a)
    response = client.post(_url(session), {f"resident-{bob.pk}": "excused"})
    assert f"Why {bob.first_name} {bob.last_name} was excused" in response.content.decode()
    client.post(
        _url(session),
        {f"resident-{bob.pk}": "excused", f"resident-{bob.pk}-reason": "Legal visit"},
    )
    assert session.register.get(resident=bob).reason == "Legal visit"


def test_a_closed_register_is_not_changed_by_marking_again(cast, group):
    session, ann, bob = group
    services.attendance_record(
        session=session, marks={ann.pk: "present", bob.pk: "absent"}, by=cast.officer_a
    )
    services.register_close(session=session, by=cast.officer_a)
    with pytest.raises(ValidationError, match="closed"):
        services.attendance_record(session=session, marks={bob.pk: "present"}, by=cast.tm_a)


def test_a_correction_keeps_the_original_and_its_reason_shows_on_the_timeline(client, cast, group):
    session, ann, bob = group
    services.attendance_record(
        session=session, marks={ann.pk: "present", bob.pk: "absent"}, by=cast.officer_a
    )
    services.register_close(session=session, by=cast.officer_a)
    mark = session.register.get(resident=bob)
    client.force_login(cast.clinician_a)
    response = client.post(
        reverse("residents:attendance_correct", args=[mark.pk]),
        {"status": "late", "minutes_missed": "20", "correction_reason": "He came in late"},
    )
    assert response.status_code == 302
    mark.refresh_from_db()
    assert (mark.status, mark.minutes_missed) == ("late", 20)
    statuses = list(mark.history.order_by("history_date").values_list("status", flat=True))
    assert statuses == ["absent", "late"]
    assert mark.history.latest().history_change_reason == "He came in late"
    entries = [e for e in timeline(bob) if e.kind == "Attendance"]
    assert [e.summary.split(": ", 1)[1] for e in entries] == [
        "corrected to Late, 20 minutes missed. Why: He came in late",
        "Absent",
    ]
    page = client.get(_url(session)).content.decode()
    assert "He came in late" in page


def test_a_correction_needs_a_reason(cast, group):
    session, ann, bob = group
    services.attendance_record(
        session=session, marks={ann.pk: "present", bob.pk: "absent"}, by=cast.officer_a
    )
    services.register_close(session=session, by=cast.officer_a)
    mark = session.register.get(resident=bob)
    with pytest.raises(ValidationError, match="Enter why the mark is being corrected"):
        services.attendance_correct(
            attendance=mark, mark=Mark("present"), reason=" ", by=cast.officer_a
        )


def test_an_open_register_is_not_corrected_but_marked_again(cast, group):
    session, ann, bob = group
    services.attendance_record(session=session, marks={bob.pk: "absent"}, by=cast.officer_a)
    mark = session.register.get(resident=bob)
    with pytest.raises(ValidationError, match="still open"):
        services.attendance_correct(
            attendance=mark, mark=Mark("present"), reason="Wrong", by=cast.officer_a
        )


def test_a_correction_of_a_mark_in_another_community_is_not_found(client, cast, group):
    session, ann, bob = group
    mark = AttendanceFactory(session=session, resident=bob, recorded_by=cast.officer_a)
    client.force_login(cast.tm_b)
    response = client.get(reverse("residents:attendance_correct", args=[mark.pk]))
    assert response.status_code == 404


def test_the_group_list_says_whether_each_register_is_taken(client, cast, group):
    session, ann, bob = group
    taken = GroupSessionFactory(community=cast.a, small_group="Group 1", recorded_by=cast.tm_a)
    services.attendance_record(
        session=taken, marks={ann.pk: "present", bob.pk: "present"}, by=cast.officer_a
    )
    services.register_close(session=taken, by=cast.officer_a)
    services.attendance_record(session=session, marks={ann.pk: "present"}, by=cast.officer_a)
    client.force_login(cast.officer_a)
    page = client.get(reverse("residents:session_list")).content.decode()
    assert "Register taken" in page
    assert 'Register not taken</strong> <span class="govuk-body-s">(1 not marked)' in page


def _session_form(cast, **overrides):
    today = date.today() - timedelta(days=1)
    return {
        "group_type": "small_group",
        "small_group": small_group_named(cast.a, "Group 1").pk,
        "held_on_day": today.day,
        "held_on_month": today.month,
        "held_on_year": today.year,
        "duration_minutes": "90",
        "facilitators": [cast.clinician_a.pk],
        **overrides,
    }


def test_a_second_session_of_a_group_on_one_day_is_saved_only_once_confirmed(client, cast):
    GroupSessionFactory(
        community=cast.a, small_group="Group 1", held_on=date.today() - timedelta(days=1)
    )
    client.force_login(cast.clinician_a)
    url = reverse("residents:session_record", args=[cast.a.pk])
    response = client.post(url, _session_form(cast))
    page = response.content.decode()
    assert response.status_code == 200
    assert "is already recorded" in page
    assert "Yes, record another session of this group on this day" in page
    assert 'type="checkbox" name="confirm_same_day"' in page
    assert GroupSession.objects.count() == 1
    response = client.post(url, _session_form(cast, confirm_same_day="on"))
    assert response.status_code == 302
    assert GroupSession.objects.count() == 2


def test_the_confirmation_is_not_asked_for_another_group_or_day(client, cast):
    GroupSessionFactory(
        community=cast.a, small_group="Group 2", held_on=date.today() - timedelta(days=1)
    )
    client.force_login(cast.clinician_a)
    url = reverse("residents:session_record", args=[cast.a.pk])
    page = client.get(url).content.decode()
    assert 'type="checkbox" name="confirm_same_day"' not in page
    assert client.post(url, _session_form(cast)).status_code == 302


def test_attendance_with_history_of_a_closed_register_is_kept(cast, group):
    """A mark is never deleted by a correction: one row, its history holds both."""
    session, ann, bob = group
    services.attendance_record(
        session=session, marks={ann.pk: "present", bob.pk: "present"}, by=cast.officer_a
    )
    services.register_close(session=session, by=cast.officer_a)
    mark = session.register.get(resident=ann)
    services.attendance_correct(
        attendance=mark, mark=Mark("absent"), reason="Marked the wrong man", by=cast.tm_a
    )
    assert Attendance.objects.filter(session=session).count() == 2
    assert mark.history.count() == 2
    assert AttendanceStatus.ABSENT == Attendance.objects.get(pk=mark.pk).status


def test_sessions_with_marks_before_registers_could_stay_open_count_as_taken(cast, group):
    """The data migration: a session with attendance is taken when its last mark was
    recorded, by who recorded it; a session without any stays not taken."""
    from importlib import import_module

    from django.apps import apps

    session, ann, bob = group
    AttendanceFactory(session=session, resident=ann, recorded_by=cast.officer_a)
    untouched = GroupSessionFactory(community=cast.a)
    import_module("residents.migrations.0006_registers_already_taken").mark_taken(apps, None)
    session.refresh_from_db()
    untouched.refresh_from_db()
    last_mark = session.register.get().history.latest()
    assert session.register_taken_at == last_mark.history_date
    assert session.register_taken_by == cast.officer_a
    assert untouched.register_taken_at is None
