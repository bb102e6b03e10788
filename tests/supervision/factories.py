"""Factories for supervision. Sessions made here skip the service's checks, so tests
can place them anywhere in time; services are tested through their own functions."""

from datetime import date, timedelta

import factory
from factory.django import DjangoModelFactory

from supervision.models import AgreedAction, SessionType, SupervisionSession
from tests.factories import CommunityFactory, UserFactory


class SupervisionSessionFactory(DjangoModelFactory):
    class Meta:
        model = SupervisionSession
        skip_postgeneration_save = True

    community = factory.SubFactory(CommunityFactory)
    session_type = SessionType.INDIVIDUAL
    supervisor = factory.SubFactory(UserFactory)
    held_on = factory.LazyFunction(lambda: date.today() - timedelta(days=7))
    duration_minutes = 60
    notes = "Talked through a difficult community meeting."
    recorded_by = factory.SelfAttribute("supervisor")

    @factory.post_generation
    def supervisees(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.supervisees.set(extracted)


class AgreedActionFactory(DjangoModelFactory):
    class Meta:
        model = AgreedAction

    session = factory.SubFactory(SupervisionSessionFactory)
    description = "Read the chapter on boundaries"
    owner = factory.LazyAttribute(lambda action: action.session.supervisor)
    due_on = factory.LazyFunction(lambda: date.today() + timedelta(days=14))
