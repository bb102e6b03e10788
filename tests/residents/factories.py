"""Factories for the resident record. Records made here skip the services' checks, so
tests can place them anywhere in time; services are tested through their own functions."""

from datetime import date, timedelta
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from residents.models import (
    AcctPeriod,
    Attendance,
    AttendanceStatus,
    ClinicalDocument,
    DocumentKind,
    GroupSession,
    Intervention,
    NeedArea,
    PlanGoal,
    TreatmentPlan,
)
from tests.factories import ResidentFactory, UserFactory, small_group_named


class TreatmentPlanFactory(DjangoModelFactory):
    class Meta:
        model = TreatmentPlan

    resident = factory.SubFactory(ResidentFactory)
    version = factory.Sequence(lambda n: n + 1)
    expected_weekly_hours = Decimal("10.0")
    review_on = factory.LazyFunction(lambda: date.today() + timedelta(days=90))
    created_by = factory.SubFactory(UserFactory)


class PlanGoalFactory(DjangoModelFactory):
    class Meta:
        model = PlanGoal

    plan = factory.SubFactory(TreatmentPlanFactory)
    need_area = NeedArea.RELATIONSHIPS
    description = "Notice and talk about conflict before it escalates"
    interventions = factory.LazyFunction(lambda: [Intervention.SMALL_GROUP])


class GroupSessionFactory(DjangoModelFactory):
    class Meta:
        model = GroupSession
        skip_postgeneration_save = True

    community = factory.SubFactory("tests.factories.CommunityFactory")
    group_type = Intervention.SMALL_GROUP
    held_on = factory.LazyFunction(lambda: date.today() - timedelta(days=1))
    duration_minutes = 90
    recorded_by = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # small_group="Oak": the community's small group of that name.
        if isinstance(kwargs.get("small_group"), str):
            name = kwargs.pop("small_group")
            kwargs["small_group"] = small_group_named(kwargs["community"], name) if name else None
        return super()._create(model_class, *args, **kwargs)

    @factory.post_generation
    def facilitators(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.facilitators.set(extracted)


class AttendanceFactory(DjangoModelFactory):
    class Meta:
        model = Attendance

    session = factory.SubFactory(GroupSessionFactory)
    resident = factory.SubFactory(ResidentFactory)
    status = AttendanceStatus.PRESENT
    recorded_by = factory.SubFactory(UserFactory)


class ClinicalDocumentFactory(DjangoModelFactory):
    class Meta:
        model = ClinicalDocument

    resident = factory.SubFactory(ResidentFactory)
    kind = DocumentKind.CASE_NOTE
    title = "Case note after small group"
    body = "Spoke openly about his brother for the first time."
    author = factory.SubFactory(UserFactory)


class AcctPeriodFactory(DjangoModelFactory):
    class Meta:
        model = AcctPeriod

    resident = factory.SubFactory(ResidentFactory)
    opened_on = factory.LazyFunction(lambda: date.today() - timedelta(days=3))
    reason = "Low mood after a family visit was cancelled"
    opened_by = factory.SubFactory(UserFactory)
