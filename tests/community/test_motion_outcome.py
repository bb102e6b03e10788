"""motion_outcome: known answers for the rules a constitution sets — quorum of the
current residents, a simple or two-thirds majority of those voting, and staff votes not
counted, counted with the residents' or counted separately."""

import pytest

from community.models import Constitution, Outcome, Tally, motion_outcome

CARRIED, NOT_CARRIED, INQUORATE = Outcome.CARRIED, Outcome.NOT_CARRIED, Outcome.INQUORATE


def outcome(tally, *, quorum=0, majority="simple", staff="none", residents=40) -> str:
    return motion_outcome(
        tally,
        quorum_percent=quorum,
        majority=majority,
        staff_vote=staff,
        residents_on_day=residents,
    )


@pytest.mark.parametrize(
    ("votes_for", "against", "expected"),
    [
        (14, 3, CARRIED),
        (9, 8, CARRIED),
        (8, 8, NOT_CARRIED),  # a tie is not a majority
        (3, 14, NOT_CARRIED),
        (0, 0, NOT_CARRIED),
    ],
)
def test_a_simple_majority_is_more_for_than_against(votes_for, against, expected):
    assert outcome(Tally(votes_for, against)) == expected


def test_abstentions_are_not_votes_for_the_majority():
    assert outcome(Tally(residents_for=5, residents_against=4, residents_abstain=20)) == CARRIED


@pytest.mark.parametrize(
    ("votes_for", "against", "expected"),
    [
        (20, 10, CARRIED),  # exactly two thirds carries
        (19, 10, NOT_CARRIED),  # just short of two thirds
        (2, 1, CARRIED),
        (21, 10, CARRIED),
        (10, 10, NOT_CARRIED),
        (0, 0, NOT_CARRIED),
    ],
)
def test_two_thirds_of_those_voting(votes_for, against, expected):
    assert outcome(Tally(votes_for, against), majority="two_thirds") == expected


@pytest.mark.parametrize(
    ("taking_part", "expected"),
    [
        (20, CARRIED),  # 50% of 40: exactly the quorum
        (19, INQUORATE),  # one short
        (40, CARRIED),
    ],
)
def test_the_quorum_is_a_share_of_the_current_residents(taking_part, expected):
    # Everyone taking part counts towards the quorum, abstaining too.
    tally = Tally(residents_for=taking_part - 5, residents_against=0, residents_abstain=5)
    assert outcome(tally, quorum=50, residents=40) == expected


def test_a_quorum_that_is_not_a_whole_number_of_residents_rounds_up():
    # 50% of 39 is 19.5: 19 residents are short of it, 20 make it.
    assert outcome(Tally(19), quorum=50, residents=39) == INQUORATE
    assert outcome(Tally(20), quorum=50, residents=39) == CARRIED


def test_staff_do_not_count_towards_the_quorum():
    tally = Tally(residents_for=10, staff_for=10)
    assert outcome(tally, quorum=50, residents=40, staff="counted_with_residents") == INQUORATE


def test_a_quorum_of_zero_lets_any_number_decide():
    assert outcome(Tally(1), quorum=0, residents=40) == CARRIED


def test_staff_votes_are_ignored_when_staff_do_not_vote():
    assert outcome(Tally(residents_for=5, residents_against=4, staff_against=9)) == CARRIED


@pytest.mark.parametrize(
    ("tally", "expected"),
    [
        (Tally(residents_for=8, residents_against=9, staff_for=3), CARRIED),  # 11 to 9
        (Tally(residents_for=10, residents_against=8, staff_against=2), NOT_CARRIED),  # 10 to 10
        (Tally(residents_for=10, residents_against=8, staff_against=1), CARRIED),
    ],
)
def test_staff_counted_with_residents_add_to_the_same_tally(tally, expected):
    assert outcome(tally, staff="counted_with_residents") == expected


@pytest.mark.parametrize(
    ("tally", "expected"),
    [
        # Both the residents and the staff carry it.
        (Tally(residents_for=10, residents_against=5, staff_for=3, staff_against=1), CARRIED),
        # The staff do not: not carried, however many residents are for.
        (Tally(residents_for=30, residents_against=1, staff_for=1, staff_against=3), NOT_CARRIED),
        # A tie among the staff is not a staff majority.
        (Tally(residents_for=30, residents_against=1, staff_for=2, staff_against=2), NOT_CARRIED),
        # The residents do not: the staff cannot carry it for them.
        (Tally(residents_for=5, residents_against=10, staff_for=6), NOT_CARRIED),
        # No member of staff votes for or against: the residents decide.
        (Tally(residents_for=10, residents_against=5, staff_abstain=3), CARRIED),
        (Tally(residents_for=10, residents_against=5), CARRIED),
    ],
)
def test_staff_counted_separately_must_carry_it_as_well(tally, expected):
    assert outcome(tally, staff="counted_separately") == expected


def test_counted_separately_with_two_thirds_holds_each_body_to_two_thirds():
    tally = Tally(residents_for=20, residents_against=10, staff_for=2, staff_against=1)
    assert outcome(tally, staff="counted_separately", majority="two_thirds") == CARRIED
    tally = Tally(residents_for=20, residents_against=10, staff_for=3, staff_against=2)
    assert outcome(tally, staff="counted_separately", majority="two_thirds") == NOT_CARRIED


def test_the_constitution_page_says_the_rule_the_outcome_applies():
    rules = Constitution(quorum_percent=50, majority="simple", staff_vote="counted_separately")
    said = " ".join(rules.rules_in_plain_english())
    assert "carried only when both the residents and the staff carry it" in said
    assert "When no member of staff votes for or against, the residents decide" in said
