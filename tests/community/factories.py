"""Factories for community life. Records made here skip the services' checks, so tests
can place them anywhere in time; services are tested through their own functions."""

from datetime import date, timedelta

import factory
from factory.django import DjangoModelFactory

from community.models import MeetingKind, ResidentDiscussed, StaffMeeting, StaffMeetingAction
from tests.factories import CommunityFactory, ResidentFactory, UserFactory


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
