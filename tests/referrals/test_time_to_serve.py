"""Time left to serve, on each sentence type, at the boundary of the 18-month criterion."""

from datetime import date

import pytest

from referrals.models import (
    CriterionKind,
    Outcome,
    Referral,
    SentenceType,
    SuitabilityCriterion,
    months_between,
)
from referrals.services import computed_outcome

DECISION = date(2026, 1, 15)
EIGHTEEN = SuitabilityCriterion(text="18 months", kind=CriterionKind.TIME_TO_SERVE, threshold=18)


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (date(2026, 1, 15), date(2027, 7, 15), 18),
        (date(2026, 1, 15), date(2027, 7, 14), 17),
        (date(2026, 1, 31), date(2026, 2, 28), 0),
        (date(2026, 1, 15), date(2026, 1, 15), 0),
        (date(2026, 3, 10), date(2026, 1, 15), -1),
        (date(2026, 3, 10), date(2026, 1, 10), -2),
    ],
)
def test_months_between(start, end, months):
    assert months_between(start, end) == months


def referral(sentence, *, expiry=None, tariff=None, crd=None):
    return Referral(
        sentence_type=sentence,
        sentence_expiry_date=expiry,
        tariff_or_parole_date=tariff,
        conditional_release_date=crd,
        date_of_birth=date(1990, 1, 1),
    )


@pytest.mark.parametrize(
    ("case", "expected_months"),
    [
        # Determinate: to the earliest release point, the conditional release date.
        (referral(SentenceType.DETERMINATE, expiry=date(2030, 1, 15), crd=date(2027, 7, 15)), 18),
        # Determinate without a release date recorded: to sentence expiry.
        (referral(SentenceType.DETERMINATE, expiry=date(2027, 7, 14)), 17),
        # Extended: parole eligibility comes before conditional release.
        (
            referral(
                SentenceType.EXTENDED,
                expiry=date(2032, 1, 1),
                tariff=date(2027, 7, 15),
                crd=date(2029, 1, 15),
            ),
            18,
        ),
        # Life and IPP: to tariff expiry, whatever else is recorded.
        (referral(SentenceType.LIFE, tariff=date(2027, 7, 15), expiry=date(2099, 1, 1)), 18),
        (referral(SentenceType.IPP, tariff=date(2027, 7, 14)), 17),
    ],
    ids=["determinate-crd", "determinate-expiry", "extended", "life", "ipp"],
)
def test_months_to_serve_by_sentence_type(case, expected_months):
    assert case.months_to_serve(DECISION) == expected_months


def test_exactly_eighteen_months_meets_the_criterion():
    outcome, evidence = computed_outcome(
        referral(SentenceType.LIFE, tariff=date(2027, 7, 15)), EIGHTEEN, DECISION
    )
    assert outcome == Outcome.MET
    assert evidence.startswith("18 months left to serve at 15 January 2026")


def test_a_day_short_of_eighteen_months_does_not():
    outcome, _ = computed_outcome(
        referral(SentenceType.LIFE, tariff=date(2027, 7, 14)), EIGHTEEN, DECISION
    )
    assert outcome == Outcome.NOT_MET


def test_no_release_date_is_unknown():
    outcome, _ = computed_outcome(referral(SentenceType.IPP), EIGHTEEN, DECISION)
    assert outcome == Outcome.UNKNOWN


def test_age_criterion_on_the_birthday():
    adult = SuitabilityCriterion(text="21 or over", kind=CriterionKind.AGE, threshold=21)
    case = Referral(date_of_birth=date(2005, 1, 15))
    assert computed_outcome(case, adult, date(2026, 1, 15))[0] == Outcome.MET
    assert computed_outcome(case, adult, date(2026, 1, 14))[0] == Outcome.NOT_MET
