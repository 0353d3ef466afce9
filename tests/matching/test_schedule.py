"""Weekly schedules: parsing, formatting, storage and set algebra."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching import EMPTY, FULL_WEEK, Schedule, ScheduleError

bits168 = st.integers(0, (1 << 168) - 1)
SETTINGS = settings(max_examples=200, deadline=None)


def hours(day: int, start: int, end: int) -> set[int]:
    return {day * 24 + h for h in range(start, end)}


def test_parse_italian_ranges() -> None:
    s = Schedule.parse("lun-ven 08:00-12:00, sab 09:00-11:00")
    expected = set().union(*(hours(d, 8, 12) for d in range(5)), hours(5, 9, 11))
    assert set(s.slots()) == expected
    assert s.hours == 22


def test_parse_english_and_mixed_languages() -> None:
    assert Schedule.parse("Mon-Fri 08:00-12:00") == Schedule.parse("lun-ven 08:00-12:00")
    assert Schedule.parse("Mon 08:00-09:00, mar 08:00-09:00", locale="en").hours == 2


def test_range_over_midnight_runs_into_next_day() -> None:
    s = Schedule.parse("lun 22:00-06:00")
    assert set(s.slots()) == hours(0, 22, 24) | hours(1, 0, 6)


def test_sunday_night_wraps_to_monday() -> None:
    s = Schedule.parse("dom 22:00-06:00")
    assert set(s.slots()) == hours(6, 22, 24) | hours(0, 0, 6)


def test_whole_days_and_24_end() -> None:
    assert Schedule.parse("sab").hours == 24
    assert Schedule.parse("sab, dom") == Schedule.parse("sab-dom 00:00-24:00")
    assert Schedule.parse("lun-dom") == FULL_WEEK
    assert Schedule.parse("ven 20:00-24:00").slots() == sorted(hours(4, 20, 24))
    assert Schedule.parse("") == EMPTY


def test_day_range_wraps_over_the_week_end() -> None:
    assert Schedule.parse("sab-lun 08:00-09:00").slots() == [8, 128, 152]


def test_day_lists_share_the_time_ranges() -> None:
    s = Schedule.parse("lun mer ven 15:00-19:00")
    assert s.hours == 12
    assert s == Schedule.parse("Mon Wed Fri 15:00-19:00")
    # a day alone, before a comma, is the whole day
    assert Schedule.parse("lun, mer 15:00-19:00").hours == 28


def test_times_without_a_day_reuse_the_previous_days() -> None:
    s = Schedule.parse("lun-ven 08:00-12:00, 14:00-18:00")
    assert s.hours == 40
    assert s == Schedule.parse("lun-ven 08:00-12:00 14:00-18:00")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("lun 25:00-26:00", "hour 25 is out of range 00-24"),
        ("xyz 08:00-09:00", "unknown day 'xyz'"),
        ("lun 08:30-09:00", "'08:30'"),
        ("lun 08:00", "bad time range '08:00'"),
        ("lun 08:00-08:00", "empty time range '08:00-08:00'"),
        ("lun 24:00-02:00", "cannot start at 24:00"),
        ("08:00-09:00", "has no day before it"),
        ("lun 8h-9h", "'8h-9h'"),
        ("lun 08:61-09:00", "minutes 61"),
        ("lun-", "bad day or day range 'lun-'"),
    ],
)
def test_malformed_input_names_the_bad_token(text: str, fragment: str) -> None:
    with pytest.raises(ScheduleError, match=None) as info:
        Schedule.parse(text)
    assert fragment in str(info.value)
    assert isinstance(info.value, ValueError)


def test_format_groups_days() -> None:
    s = Schedule.parse("lun-ven 08:00-12:00, sab 09:00-11:00")
    assert s.format() == "lun-ven 08:00-12:00, sab 09:00-11:00"
    assert s.format("en") == "Mon-Fri 08:00-12:00, Sat 09:00-11:00"
    assert Schedule.parse("sab-dom").format("en") == "Sat-Sun"
    assert FULL_WEEK.format() == "lun-dom"
    assert EMPTY.format() == ""


def test_bad_locale() -> None:
    with pytest.raises(ScheduleError):
        FULL_WEEK.format("de")
    with pytest.raises(ScheduleError):
        Schedule.parse("lun", locale="de")


def test_out_of_range_values() -> None:
    with pytest.raises(ScheduleError):
        Schedule(1 << 168)
    with pytest.raises(ScheduleError):
        Schedule.from_bytes(b"\x00" * 20)
    with pytest.raises(ScheduleError):
        Schedule.from_hours([168])


@SETTINGS
@given(bits168, st.sampled_from(["it", "en"]))
def test_format_parse_round_trip(bits: int, locale: str) -> None:
    s = Schedule(bits)
    assert Schedule.parse(s.format(locale)) == s


@SETTINGS
@given(bits168)
def test_storage_round_trips(bits: int) -> None:
    s = Schedule(bits)
    assert len(s.to_bytes()) == 21
    assert Schedule.from_bytes(s.to_bytes()) == s
    assert Schedule.from_int(s.to_int()) == s
    words = s.to_words()
    assert words.dtype == np.uint64 and words.shape == (3,)
    assert Schedule.from_words(words) == s
    assert Schedule.from_hours(s.slots()) == s


@SETTINGS
@given(bits168, bits168, bits168)
def test_set_algebra_matches_python_sets(a: int, b: int, c: int) -> None:
    sa, sb, sc = Schedule(a), Schedule(b), Schedule(c)
    pa, pb, pc = set(sa.slots()), set(sb.slots()), set(sc.slots())
    assert set((sa & sb).slots()) == pa & pb
    assert set((sa | sb).slots()) == pa | pb
    assert set((sa - sb).slots()) == pa - pb
    assert sa.hours == len(pa)
    assert sa.overlaps(sb) == bool(pa & pb)
    assert sa.covers(sb) == (pb <= pa)
    assert sa.free_hours(sb, sc) == len(pa & pb - pc)
    assert sa.coverage(sb) == (len(pa & pb) / len(pa) if pa else 1.0)
    words = np.bitwise_count(sa.to_words() & sb.to_words()).sum()
    assert words == len(pa & pb)
    assert set((~sa).slots()) == set(range(168)) - pa


def test_schedule_is_immutable_and_hashable() -> None:
    s = Schedule.parse("lun")
    with pytest.raises(AttributeError):
        s._bits = 0  # type: ignore[misc]
    assert {s: 1}[Schedule.parse("Mon")] == 1
