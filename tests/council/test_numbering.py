"""Number patterns and the locked per-year counters behind paper and decision numbers."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from lotse.council.models import NumberSequence
from lotse.council.numbering import (
    format_number,
    give_number,
    next_number,
    validate_number_pattern,
)

PAPER = NumberSequence.Kind.PAPER
DECISION = NumberSequence.Kind.DECISION


@pytest.mark.parametrize(
    ("pattern", "year", "n", "expected"),
    [
        ("{yy}/{nnnn}", 2024, 578, "24/0578"),
        ("{n}/{yy}", 2024, 567, "567/24"),
        ("{yyyy}-{nnnnnn}", 2025, 12, "2025-000012"),
        ("DS {nn}/{yy}", 2009, 7, "DS 07/09"),
        ("{yy}/{nn}", 2024, 1234, "24/1234"),
    ],
)
def test_format_number(pattern, year, n, expected):
    assert format_number(pattern, year, n) == expected


@pytest.mark.parametrize(
    "pattern",
    ["{yy}/{nnnnnnn}", "{yy}/{x}", "{nnnn}", "{yy}/{n}/{nn}", "{yy}/{nnnn", "24/0578", ""],
)
def test_invalid_pattern_is_refused_in_german(pattern):
    with pytest.raises(ValidationError) as error:
        format_number(pattern, 2024, 1)
    assert "Muster" in error.value.messages[0]
    with pytest.raises(ValidationError):
        validate_number_pattern(pattern)


literal = st.text(alphabet=st.characters(blacklist_characters="{}"), max_size=8)


@given(
    prefix=literal,
    middle=literal,
    suffix=literal,
    width=st.integers(1, 6),
    long_year=st.booleans(),
    year_first=st.booleans(),
    year=st.integers(1990, 2999),
    n=st.integers(1, 10**7),
)
def test_format_number_properties(prefix, middle, suffix, width, long_year, year_first, year, n):
    """The running number reads back unchanged, padded to the pattern's width, and two
    different numbers of one year never give the same text."""
    counter, year_token = "{" + "n" * width + "}", "{yyyy}" if long_year else "{yy}"
    year_text = f"{year:04d}" if long_year else f"{year % 100:02d}"
    first, second = (year_token, counter) if year_first else (counter, year_token)
    pattern = prefix + first + middle + second + suffix
    result = format_number(pattern, year, n)
    counter_text = f"{n:0{width}d}"
    parts = (year_text, counter_text) if year_first else (counter_text, year_text)
    assert result == prefix + parts[0] + middle + parts[1] + suffix
    assert len(counter_text) >= width and int(counter_text) == n
    assert format_number(pattern, year, n + 1) != result


@pytest.mark.django_db
def test_next_number_is_sequential_per_year_and_kind(body, other_body):
    assert [next_number(body, PAPER, 2024) for _ in range(3)] == [1, 2, 3]
    assert next_number(body, PAPER, 2025) == 1  # restarts next year
    assert next_number(body, DECISION, 2024) == 1  # own counter per kind
    assert next_number(other_body, PAPER, 2024) == 1  # and per body
    assert next_number(body, PAPER, 2024) == 4
    assert NumberSequence.objects.get(body=body, kind=PAPER, year=2024).last == 4


@pytest.mark.django_db
def test_give_number_uses_the_default_pattern_and_skips_taken_numbers(body):
    import datetime

    day = datetime.date(2024, 5, 2)
    NumberSequence.objects.create(body=body, kind=PAPER, year=2024, last=576)
    assert give_number(body, PAPER, day, taken=lambda number: False) == "24/0577"
    assert give_number(body, PAPER, day, taken=lambda number: number == "24/0578") == "24/0579"
    assert give_number(body, DECISION, day, taken=lambda number: False) == "1/24"
    numbers = {give_number(body, PAPER, day, taken=lambda number: False) for _ in range(20)}
    assert len(numbers) == 20
