"""The majority rules as GO NRW practice reads them."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lotse.voting.majority import Count, is_adopted, needed_yes
from lotse.voting.models import Majority


def count(yes, no, abstain=0, present=None, statutory=20):
    return Count(
        yes, no, abstain, present if present is not None else yes + no + abstain, statutory
    )


@pytest.mark.parametrize(
    ("yes", "no", "abstain", "adopted"),
    [(5, 4, 10, True), (4, 4, 0, False), (0, 0, 9, False), (1, 0, 0, True), (3, 5, 0, False)],
)
def test_simple_majority_ignores_abstentions_and_a_tie_fails(yes, no, abstain, adopted):
    assert is_adopted(Majority.SIMPLE, count(yes, no, abstain)) is adopted


def test_absolute_majority_counts_against_the_statutory_members():
    # 20 statutory members: 11 yes are needed, however many are present.
    assert needed_yes(Majority.ABSOLUTE, count(11, 0, statutory=20)) == 11
    assert is_adopted(Majority.ABSOLUTE, count(11, 2, statutory=20))
    assert not is_adopted(Majority.ABSOLUTE, count(10, 0, statutory=20))
    assert needed_yes(Majority.ABSOLUTE, count(0, 0, statutory=21)) == 11


def test_two_thirds_of_those_present_and_of_the_statutory_members():
    # 15 present: 10 yes are two thirds.
    assert is_adopted(Majority.TWO_THIRDS_PRESENT, count(10, 5, present=15))
    assert not is_adopted(Majority.TWO_THIRDS_PRESENT, count(9, 1, 5, present=15))
    # 20 statutory: 14 yes (13.33 rounded up).
    assert needed_yes(Majority.TWO_THIRDS_STATUTORY, count(0, 0, statutory=20)) == 14
    assert not is_adopted(Majority.TWO_THIRDS_STATUTORY, count(13, 0, statutory=20))
    assert is_adopted(Majority.TWO_THIRDS_STATUTORY, count(14, 0, statutory=20))


def test_an_unknown_rule_is_refused():
    with pytest.raises(ValueError):
        is_adopted("relativ", count(3, 1))


votes = st.integers(min_value=0, max_value=60)


@given(yes=votes, no=votes, abstain=votes, statutory=st.integers(min_value=1, max_value=90))
def test_every_qualified_majority_is_also_a_simple_one(yes, no, abstain, statutory):
    tally = Count(yes, no, abstain, yes + no + abstain, statutory)
    for rule in Majority.values:
        if is_adopted(rule, tally):
            assert is_adopted(Majority.SIMPLE, tally)


@given(yes=votes, no=votes, abstain=votes, statutory=st.integers(min_value=1, max_value=90))
def test_more_yes_never_turns_an_adopted_motion_down(yes, no, abstain, statutory):
    before = Count(yes, no, abstain, yes + no + abstain, statutory)
    after = Count(yes + 1, no, abstain, yes + no + abstain + 1, statutory)
    for rule in (Majority.SIMPLE, Majority.ABSOLUTE, Majority.TWO_THIRDS_STATUTORY):
        if is_adopted(rule, before):
            assert is_adopted(rule, after)
