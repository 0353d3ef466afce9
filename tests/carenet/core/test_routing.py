"""The id converter's pattern: exactly the numbers a database id can be."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carenet.core.routing import MAX_ID, digits_up_to, id_or_none, parse_id


@given(limit=st.integers(0, 10**12), number=st.integers(0, 10**13))
def test_the_pattern_matches_exactly_the_numbers_up_to_the_limit(limit: int, number: int) -> None:
    pattern = re.compile(digits_up_to(limit))
    assert bool(pattern.fullmatch(str(number))) == (number <= limit)


def test_the_id_pattern_stops_at_the_largest_32_bit_integer() -> None:
    pattern = re.compile(digits_up_to(MAX_ID))
    assert pattern.fullmatch("2147483647") and pattern.fullmatch("0")
    assert not pattern.fullmatch("2147483648") and not pattern.fullmatch("99999999999")


def test_parse_id_takes_exactly_the_ids_a_row_can_have() -> None:
    assert parse_id("1") == 1 and parse_id(" 2147483647 ") == MAX_ID
    for text in ("", "0", "-1", "2147483648", "99999999999", "1e3", "abc", "\u0663"):
        with pytest.raises(ValueError):
            parse_id(text)
        assert id_or_none(text) is None
    assert id_or_none(None) is None and id_or_none("42") == 42
