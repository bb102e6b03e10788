"""The weekly timetable: the planned sessions it produces across a change of timetable,
holding one (its register) or cancelling it with a cause, and the hours lost by cause."""

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from community import selectors, services
from community.models import CancellationCause, PlannedSession, TimetableSlot
from dtc.home import PER_KIND
from residents.models import GroupSession
from tests.factories import ResidentFactory, small_group_named

TODAY = timezone.localdate()
MONDAY = TODAY - timedelta(days=TODAY.weekday())


def slot(cast, **fields):
    return services.timetable_slot_add(
        **{
            "community": cast.a,
            "kind": "community_meeting",
            "weekday": 0,
            "starts_at": time(9, 30),
            "duration_minutes": 60,
            "valid_from": date(2026, 1, 5),
            "facilitators": [cast.clinician_a],
            "by": cast.tm_a,
            **fields,
        }
    )


def days(planned):
    return [(p.on, p.slot.starts_at, p.slot.duration_minutes) for p in planned]


def test_the_weeks_before_a_change_keep_the_timetable_they_had(cast):
    # A Monday meeting at 09:30 for an hour, changed from Monday 9 February to 10:00
    # for 90 minutes, and moved to Tuesdays from Tuesday 24 February.
    monday = slot(cast)
    later = services.timetable_slot_change(
        slot=monday,
        from_on=date(2026, 2, 9),
        weekday=0,
        starts_at=time(10),
        duration_minutes=90,
        facilitators=[cast.clinician_a],
        by=cast.tm_a,
    )
    services.timetable_slot_change(
        slot=later,
        from_on=date(2026, 2, 24),
        weekday=1,
        starts_at=time(10),
        duration_minutes=90,
        facilitators=[],
        by=cast.tm_a,
    )
    planned = selectors.planned_sessions(cast.tm_a, start=date(2026, 2, 1), end=date(2026, 3, 3))
    assert days(planned) == [
        (date(2026, 2, 2), time(9, 30), 60),
        (date(2026, 2, 9), time(10), 90),
        (date(2026, 2, 16), time(10), 90),
        (date(2026, 2, 23), time(10), 90),
        (date(2026, 2, 24), time(10), 90),
        (date(2026, 3, 3), time(10), 90),
    ]
    assert TimetableSlot.objects.filter(community=cast.a).count() == 3


def test_a_change_from_the_first_day_changes_the_slot_itself(cast):
    first = slot(cast, valid_from=TODAY + timedelta(days=7))
    services.timetable_slot_change(
        slot=first,
        from_on=first.valid_from,
        weekday=2,
        starts_at=time(14),
        duration_minutes=45,
        by=cast.tm_a,
    )
    first.refresh_from_db()
    assert (first.weekday, first.starts_at, first.duration_minutes) == (2, time(14), 45)
    assert TimetableSlot.objects.count() == 1


def test_a_slot_taken_off_the_timetable_plans_nothing_after_its_last_day(cast):
    meeting = slot(cast)
    services.timetable_slot_end(slot=meeting, last_on=date(2026, 1, 19), by=cast.tm_a)
    planned = selectors.planned_sessions(cast.tm_a, start=date(2026, 1, 1), end=date(2026, 2, 28))
    assert [p.on for p in planned] == [date(2026, 1, 5), date(2026, 1, 12), date(2026, 1, 19)]


def test_a_small_group_slot_needs_one_of_the_communitys_groups(cast):
    with pytest.raises(ValidationError) as refused:
        slot(cast, kind="small_group")
    assert refused.value.message_dict["small_group"] == ["Choose which small group meets"]
    with pytest.raises(ValidationError):
        slot(cast, kind="small_group", small_group=small_group_named(cast.b, "Elm"))


@pytest.mark.parametrize("name", ["clinician_a", "officer_a", "trainee_a", "tm_b"])
def test_only_those_who_keep_the_timetable_change_it(cast, name):
    with pytest.raises(PermissionDenied):
        slot(cast, by=getattr(cast, name))


def test_holding_a_planned_session_makes_its_register_once(cast):
    oak = small_group_named(cast.a, "Oak")
    ResidentFactory(community=cast.a, small_group=oak)
    group = slot(
        cast, kind="small_group", small_group=oak, weekday=MONDAY.weekday(), valid_from=MONDAY
    )
    session = services.planned_session_hold(slot=group, on=MONDAY, by=cast.officer_a)
    assert (session.small_group, session.held_on, session.duration_minutes) == (oak, MONDAY, 60)
    assert list(session.facilitators.all()) == [cast.clinician_a]
    # Pressed again (or by a colleague): the same register.
    assert services.planned_session_hold(slot=group, on=MONDAY, by=cast.clinician_a) == session
    assert GroupSession.objects.count() == 1
    [planned] = selectors.planned_sessions(cast.officer_a, start=MONDAY, end=MONDAY)
    assert (planned.status, planned.session) == ("held", session)


def test_a_session_recorded_by_hand_that_day_is_taken_as_the_planned_one(cast):
    meeting = slot(cast, weekday=MONDAY.weekday(), valid_from=MONDAY)
    by_hand = GroupSession.objects.create(
        community=cast.a,
        group_type="community_meeting",
        held_on=MONDAY,
        duration_minutes=60,
        recorded_by=cast.officer_a,
    )
    assert services.planned_session_hold(slot=meeting, on=MONDAY, by=cast.officer_a) == by_hand


def test_a_session_is_not_held_before_its_day_nor_on_a_day_it_is_not_planned(cast):
    meeting = slot(cast, weekday=0, valid_from=MONDAY)
    with pytest.raises(ValidationError):
        services.planned_session_hold(
            slot=meeting, on=MONDAY + timedelta(days=7), by=cast.officer_a
        )
    with pytest.raises(ValidationError):
        services.planned_session_hold(
            slot=meeting, on=MONDAY + timedelta(days=1), by=cast.officer_a
        )


def test_a_cancelled_session_says_its_cause_and_cannot_then_be_held(cast):
    meeting = slot(cast, weekday=MONDAY.weekday(), valid_from=MONDAY)
    services.planned_session_cancel(
        slot=meeting, on=MONDAY, cause=CancellationCause.REGIME, by=cast.officer_a
    )
    [planned] = selectors.planned_sessions(cast.officer_a, start=MONDAY, end=MONDAY)
    assert (planned.status, planned.record.get_cancelled_cause_display()) == (
        "cancelled",
        "Regime restriction or lockdown",
    )
    with pytest.raises(ValidationError):
        services.planned_session_hold(slot=meeting, on=MONDAY, by=cast.officer_a)
    with pytest.raises(ValidationError):
        services.planned_session_cancel(
            slot=meeting, on=MONDAY, cause=CancellationCause.INCIDENT, by=cast.officer_a
        )


def test_other_needs_a_note(cast):
    meeting = slot(cast, weekday=MONDAY.weekday(), valid_from=MONDAY)
    with pytest.raises(ValidationError) as refused:
        services.planned_session_cancel(
            slot=meeting, on=MONDAY, cause=CancellationCause.OTHER, note=" ", by=cast.officer_a
        )
    assert refused.value.message_dict["note"] == ["Say why the session did not happen"]


def test_a_planned_session_with_nothing_recorded_is_to_record_once_its_day_has_come(cast):
    meeting = slot(cast, weekday=MONDAY.weekday(), valid_from=MONDAY - timedelta(days=7))
    planned = selectors.planned_sessions(
        cast.officer_a, start=MONDAY - timedelta(days=7), end=MONDAY + timedelta(days=7)
    )
    statuses = [p.status for p in planned]
    assert statuses[:2] == ["to_record", "to_record"]
    assert statuses[2:] == (["planned"] if MONDAY + timedelta(days=7) > TODAY else ["to_record"])
    assert meeting.pk == planned[0].slot.pk


def test_hours_lost_by_cause_over_a_month_boundary(cast):
    # Mondays 26 January to 9 February 2026, an hour each; a Friday small group of 90
    # minutes on 30 January and 6 February. Cancelled: 26 January and 2 February
    # (lockdown), 30 January (staff shortage), 6 February (bank holiday); 9 February held.
    oak = small_group_named(cast.a, "Oak")
    meeting = slot(cast, valid_from=date(2026, 1, 26))
    group = slot(
        cast, kind="small_group", small_group=oak, weekday=4, duration_minutes=90,
        valid_from=date(2026, 1, 26),
    )  # fmt: skip
    for on, cancelled, cause in [
        (date(2026, 1, 26), meeting, CancellationCause.REGIME),
        (date(2026, 2, 2), meeting, CancellationCause.REGIME),
        (date(2026, 1, 30), group, CancellationCause.STAFF_SHORTAGE),
        (date(2026, 2, 6), group, CancellationCause.BANK_HOLIDAY),
    ]:
        services.planned_session_cancel(slot=cancelled, on=on, cause=cause, by=cast.officer_a)
    services.planned_session_hold(slot=meeting, on=date(2026, 2, 9), by=cast.officer_a)
    january = selectors.hours_lost([cast.a.pk], start=date(2026, 1, 1), end=date(2026, 1, 31))
    february = selectors.hours_lost([cast.a.pk], start=date(2026, 2, 1), end=date(2026, 2, 28))
    assert january == {cast.a.pk: {"regime": Decimal(1), "staff_shortage": Decimal("1.5")}}
    assert february == {cast.a.pk: {"regime": Decimal(1), "bank_holiday": Decimal("1.5")}}
    assert PlannedSession.objects.count() == 5


def test_a_staff_meeting_of_its_kind_that_day_holds_the_planned_one(cast):
    from community.models import StaffMeeting

    clinical = slot(cast, kind="clinical", weekday=MONDAY.weekday(), valid_from=MONDAY)
    StaffMeeting.objects.create(
        community=cast.a,
        kind="clinical",
        held_on=MONDAY,
        duration_minutes=60,
        minutes="Discussed the week.",
        recorded_by=cast.tm_a,
    )
    [planned] = selectors.planned_sessions(cast.tm_a, start=MONDAY, end=MONDAY)
    assert planned.status == "held"
    assert planned.slot == clinical
    # Staff meetings lose no therapeutic hours.
    assert selectors.hours_lost([cast.a.pk], start=MONDAY, end=MONDAY) == {}


def test_the_wing_staffs_queue_lists_the_sessions_nobody_recorded(rf, cast):
    from community.queue import work

    meeting = slot(cast, weekday=MONDAY.weekday(), valid_from=MONDAY - timedelta(days=7))
    request = rf.get("/")
    request.user = cast.officer_a
    lines = [
        i
        for i in work(request, today=TODAY, limit=PER_KIND)
        if i.what.startswith("Record the session")
    ]
    assert [line.due for line in lines] == [MONDAY - timedelta(days=7), MONDAY]
    services.planned_session_hold(slot=meeting, on=MONDAY, by=cast.officer_a)
    services.planned_session_cancel(
        slot=meeting, on=MONDAY - timedelta(days=7), cause="regime", by=cast.officer_a
    )
    request.user = type(cast.officer_a).objects.get(pk=cast.officer_a.pk)
    assert not [
        i
        for i in work(request, today=TODAY, limit=PER_KIND)
        if i.what.startswith("Record the session")
    ]
    # The HoP does not take registers: none of these lines are theirs.
    request.user = cast.hop
    assert not [
        i
        for i in work(request, today=TODAY, limit=PER_KIND)
        if i.what.startswith("Record the session")
    ]


def test_community_meetings_held_of_those_timetabled_across_a_change_of_timetable(cast):
    # Mondays from 26 January 2026; from 9 February the meeting moves to Tuesdays.
    # Held: 26 January, 10 February; cancelled: 2 February; 17 February not recorded.
    # A small group held on 30 January is not a community meeting.
    monday = slot(cast, valid_from=date(2026, 1, 26))
    tuesday = services.timetable_slot_change(
        slot=monday,
        from_on=date(2026, 2, 9),
        weekday=1,
        starts_at=time(9, 30),
        duration_minutes=60,
        facilitators=[],
        by=cast.tm_a,
    )
    group = slot(cast, kind="small_group", small_group=small_group_named(cast.a, "Oak"), weekday=4)
    services.planned_session_hold(slot=monday, on=date(2026, 1, 26), by=cast.officer_a)
    services.planned_session_cancel(
        slot=monday, on=date(2026, 2, 2), cause=CancellationCause.STAFF_SHORTAGE, by=cast.officer_a
    )
    services.planned_session_hold(slot=tuesday, on=date(2026, 2, 10), by=cast.officer_a)
    services.planned_session_hold(slot=group, on=date(2026, 1, 30), by=cast.officer_a)

    def held(start, end):
        return selectors.meetings_held([cast.a.pk, cast.b.pk], start=start, end=end)

    # January: 26 January, held. February to the 17th: 2 (Monday), 10 and 17 (Tuesdays).
    assert held(date(2026, 1, 1), date(2026, 1, 31)) == {cast.a.pk: (1, 1)}
    assert held(date(2026, 2, 1), date(2026, 2, 17)) == {cast.a.pk: (1, 3)}
    assert held(date(2025, 12, 1), date(2025, 12, 31)) == {}
