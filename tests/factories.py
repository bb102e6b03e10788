"""Factories for the organisation. Each app's factories live in tests/<app>/factories.py."""

from datetime import date, timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from dtc import services
from dtc.models import (
    Cluster,
    Community,
    Discipline,
    Establishment,
    RoleAssignment,
    StaffProfile,
    User,
)
from residents.models import Resident, SmallGroup, SmallGroupMembership, add_months

PASSWORD = "correct-horse-battery-staple"


class ClusterFactory(DjangoModelFactory):
    class Meta:
        model = Cluster
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Cluster {n}")


class EstablishmentFactory(DjangoModelFactory):
    class Meta:
        model = Establishment

    cluster = factory.SubFactory(ClusterFactory)
    name = factory.Sequence(lambda n: f"HMP Testmoor {n}")
    code = factory.Sequence(lambda n: f"T{n:02d}"[-3:])


class CommunityFactory(DjangoModelFactory):
    class Meta:
        model = Community

    establishment = factory.SubFactory(EstablishmentFactory)
    name = factory.Sequence(lambda n: f"Community {n}")
    capacity = 40


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffProfileFactory(DjangoModelFactory):
    class Meta:
        model = StaffProfile

    user = factory.SubFactory(UserFactory)
    discipline = Discipline.PSYCHOTHERAPY
    professional_body = "UKCP"
    registration_number = factory.Sequence(lambda n: f"{100000 + n}")
    registration_renewal_date = factory.LazyFunction(lambda: date.today() + timedelta(days=365))


class ResidentFactory(DjangoModelFactory):
    class Meta:
        model = Resident
        skip_postgeneration_save = True

    community = factory.SubFactory(CommunityFactory)
    prison_number = factory.Sequence(lambda n: f"A{n % 10000:04d}BC")
    first_name = factory.Faker("first_name_male")
    last_name = factory.Faker("last_name")
    date_of_birth = date(1985, 6, 1)
    admitted_on = factory.LazyFunction(lambda: date.today() - timedelta(days=90))
    # As residents.services.resident_admit sets it: one review interval after admission.
    next_review_on = factory.LazyAttribute(
        lambda resident: add_months(resident.admitted_on, resident.community.review_interval_months)
    )

    @factory.post_generation
    def small_group(resident, create, extracted, **kwargs):
        """small_group="Oak" (or a SmallGroup) puts the resident in that small group of
        their community from admission."""
        if create and extracted:
            SmallGroupMembership.objects.create(
                group=small_group_named(resident.community, extracted),
                resident=resident,
                joined_on=resident.admitted_on,
            )


def small_group_named(community, group) -> SmallGroup:
    """The community's small group of that name (made if need be), or `group` itself."""
    if isinstance(group, SmallGroup):
        return group
    return SmallGroup.objects.get_or_create(community=community, name=group)[0]


def staff(username: str, role: str, scope, **profile) -> User:
    """A member of staff holding `role` over `scope` (a community, establishment or cluster)."""
    user = UserFactory(username=username)
    StaffProfileFactory(user=user, **profile)
    services.role_assign(user=user, role=role, scope=scope)
    # On the staff long before any test's six months of supervision: only a test about
    # newcomers has someone join recently.
    RoleAssignment.objects.filter(user=user).update(started_at=timezone.now() - timedelta(days=730))
    return user
