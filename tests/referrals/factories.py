from datetime import date, timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from referrals import services
from referrals.demo import DEFAULT_CRITERIA
from referrals.forms import ReferralForm
from referrals.models import Outcome, Priority, Referral, RiskLevel, SentenceType, Source, Status
from tests.factories import CommunityFactory, UserFactory


class ReferralFactory(DjangoModelFactory):
    """A referral received today, with more than enough time left to serve."""

    class Meta:
        model = Referral

    community = factory.SubFactory(CommunityFactory)
    prison_number = factory.Sequence(lambda n: f"B{n % 10000:04d}CD")
    first_name = "Daniel"
    last_name = factory.Sequence(lambda n: f"Referred{n}")
    date_of_birth = date(1988, 4, 2)
    sentence_type = SentenceType.DETERMINATE
    sentence_expiry_date = factory.LazyFunction(
        lambda: timezone.localdate() + timedelta(days=6 * 365)
    )
    tariff_or_parole_date = factory.LazyFunction(
        lambda: timezone.localdate() + timedelta(days=4 * 365)
    )
    risk_level = RiskLevel.HIGH
    source = Source.OMU
    reason = "Wants to work on his violence in relationships."
    referred_on = factory.LazyFunction(timezone.localdate)
    submitted_by = factory.SubFactory(UserFactory)
    status_changed_at = factory.LazyFunction(timezone.now)


def submitted(community, by, **details):
    """A referral received through the service (referral_submit), with the factory's
    details for every field of the intake form, and `details` over them."""
    built = ReferralFactory.build()
    fields = {name: getattr(built, name) for name in ReferralForm.Meta.fields}
    return services.referral_submit(community=community, by=by, **(fields | details))


def default_criteria(community, by):
    return [
        services.criterion_add(
            community=community, by=by, text=text, kind=kind, threshold=threshold
        )
        for text, kind, threshold in DEFAULT_CRITERIA
    ]


def at_decision(referral, by, *, record=Outcome.MET):
    """Take a referral to 'awaiting decision', recording every recorded criterion."""
    services.referral_start_screening(referral=referral, by=by)
    services.referral_start_assessment(referral=referral, by=by)
    for criterion in referral.community.suitability_criteria.filter(retired=False):
        if not criterion.computed:
            services.referral_record_outcome(
                referral=referral, criterion=criterion, outcome=record, evidence="Seen.", by=by
            )
    return services.referral_ready_for_decision(referral=referral, by=by)


def accepted(referral, by):
    at_decision(referral, by)
    return services.referral_accept(referral=referral, by=by, priority=Priority.ROUTINE)


def status_of(referral) -> str:
    return Referral.objects.get(pk=referral.pk).status


__all__ = [
    "ReferralFactory",
    "submitted",
    "default_criteria",
    "at_decision",
    "accepted",
    "status_of",
    "Status",
]
