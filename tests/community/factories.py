"""Factories for community life. Records made here skip the services' checks, so tests
can place them anywhere in time; services are tested through their own functions."""

from datetime import date, timedelta

import factory
from factory.django import DjangoModelFactory

from community.models import (
    AgendaItem,
    AgendaKind,
    CommunityMeeting,
    MeetingKind,
    Motion,
    MotionKind,
    Outcome,
    ResidentDiscussed,
    StaffMeeting,
    StaffMeetingAction,
)
from residents.models import Intervention
from tests.factories import CommunityFactory, ResidentFactory, UserFactory
from tests.residents.factories import GroupSessionFactory


class StaffMeetingFactory(DjangoModelFactory):
    class Meta:
        model = StaffMeeting
        skip_postgeneration_save = True

    community = factory.SubFactory(CommunityFactory)
    kind = MeetingKind.CLINICAL
    held_on = factory.LazyFunction(lambda: date.today() - timedelta(days=1))
    duration_minutes = 60
    minutes = "Reviewed the week on the wing and the rota for the groups."
    recorded_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def staff_present(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.staff_present.set(extracted)


class StaffMeetingActionFactory(DjangoModelFactory):
    class Meta:
        model = StaffMeetingAction

    meeting = factory.SubFactory(StaffMeetingFactory)
    description = "Circulate the new group rota"
    owner = factory.LazyAttribute(lambda action: action.meeting.recorded_by)
    due_on = factory.LazyFunction(lambda: date.today() + timedelta(days=7))


class ResidentDiscussedFactory(DjangoModelFactory):
    class Meta:
        model = ResidentDiscussed

    meeting = factory.SubFactory(StaffMeetingFactory)
    resident = factory.LazyAttribute(lambda row: ResidentFactory(community=row.meeting.community))
    notes = "Settling in; struggling with the community meeting."
    recorded_by = factory.LazyAttribute(lambda row: row.meeting.recorded_by)


class MotionFactory(DjangoModelFactory):
    """A motion as recorded, its outcome given (not computed): for lists and counts."""

    class Meta:
        model = Motion

    community = factory.SubFactory(CommunityFactory)
    kind = MotionKind.COMMITMENT_VOTE
    resident = factory.LazyAttribute(lambda row: ResidentFactory(community=row.community))
    held_on = factory.LazyFunction(lambda: date.today() - timedelta(days=1))
    residents_for = 12
    residents_against = 3
    outcome = Outcome.CARRIED
    recorded_by = factory.SubFactory(UserFactory)


class CommunityMeetingFactory(DjangoModelFactory):
    class Meta:
        model = CommunityMeeting

    community = factory.SubFactory(CommunityFactory)
    held_on = factory.LazyFunction(lambda: date.today() - timedelta(days=1))
    session = factory.LazyAttribute(
        lambda row: GroupSessionFactory(
            community=row.community,
            group_type=Intervention.COMMUNITY_MEETING,
            held_on=row.held_on,
            recorded_by=row.minute_taker,
        )
    )
    minute_taker = factory.SubFactory(UserFactory)
    chair_staff = factory.LazyAttribute(lambda row: row.minute_taker)
    recorded_by = factory.LazyAttribute(lambda row: row.minute_taker)


class AgendaItemFactory(DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(CommunityMeetingFactory)
    kind = AgendaKind.FEEDBACK
    title = "The kitchen rota"
    raised_by_staff = factory.LazyAttribute(lambda row: row.meeting.minute_taker)
    minutes = "The community talked about who cleans the kitchen on Sundays."
    recorded_by = factory.LazyAttribute(lambda row: row.meeting.minute_taker)
