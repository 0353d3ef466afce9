"""Contract rules as pure functions: no app, no database."""

from __future__ import annotations

import pytest

from carenet.care_requests import rules
from matching import Schedule


def hours(text: str, arrangement: str = "hourly", part_time: bool = False, weekly=None):
    """Weekly hours and violation messages for a schedule text."""
    total, violations = rules.contract_hours(arrangement, part_time, Schedule.parse(text), weekly)
    return total, [v.message for v in violations], [v.field for v in violations]


@pytest.mark.parametrize(
    ("self_sufficiency", "trained", "level"),
    [
        ("self_sufficient", False, "BS"),
        ("partially", False, "CS"),
        ("non_self_sufficient", False, "CS"),
        ("partially", True, "DS"),
        ("non_self_sufficient", True, "DS"),
        ("self_sufficient", True, "BS"),
    ],
)
def test_implied_level(self_sufficiency: str, trained: bool, level: str) -> None:
    assert rules.implied_ccnl_level(self_sufficiency, trained) == level


def test_family_may_ask_for_a_higher_level() -> None:
    assert rules.ccnl_level("non_self_sufficient", False, "DS") == ("DS", [])
    assert rules.ccnl_level("partially", False, "DS") == ("DS", [])


@pytest.mark.parametrize("requested", ["CS", "DS"])
def test_cs_and_ds_refused_for_a_self_sufficient_person(requested: str) -> None:
    """Issue 10, item 15: CS and DS are for people who are not self-sufficient (art. 9)."""
    level, violations = rules.ccnl_level("self_sufficient", False, requested)
    assert level == "BS"
    assert [v.field for v in violations] == ["ccnl_level"]
    assert "self-sufficient" in violations[0].message
    assert "art. 9" in violations[0].message


def test_bs_refused_for_a_non_self_sufficient_person() -> None:
    level, violations = rules.ccnl_level("non_self_sufficient", False, "BS")
    assert level == "CS"
    assert [v.field for v in violations] == ["ccnl_level"]
    assert "not self-sufficient" in violations[0].message
    assert "BS" in violations[0].message


def test_cs_refused_when_a_trained_qualification_is_required() -> None:
    _level, violations = rules.ccnl_level("partially", True, "CS")
    assert len(violations) == 1
    assert "DS" in violations[0].message


@pytest.mark.parametrize(
    ("arrangement", "part_time", "limit"),
    [("hourly", False, 40), ("night", False, 40), ("live_in", False, 54), ("live_in", True, 30)],
)
def test_max_weekly_hours(arrangement: str, part_time: bool, limit: int) -> None:
    assert rules.max_weekly_hours(arrangement, part_time) == limit


def test_hourly_over_40_hours_cites_the_limit() -> None:
    total, messages, fields = hours("lun-sab 08:00-18:00")
    assert total == 60
    assert fields == ["schedule"]
    assert "hourly" in messages[0]
    assert "at most 40 hours a week" in messages[0]
    assert "has 60" in messages[0]


def test_hourly_at_exactly_40_hours_is_allowed() -> None:
    assert hours("lun-ven 08:00-16:00") == (40, [], [])


def test_live_in_full_time_limit_is_54() -> None:
    ok = "lun-ven 08:00-14:00 16:00-20:00, sab 08:00-12:00"
    assert hours(ok, "live_in") == (54, [], [])
    total, messages, _fields = hours("lun-sab 08:00-14:00 16:00-20:00", "live_in")
    assert total == 60
    assert "at most 54 hours" in messages[0]


def test_live_in_part_time_limit_is_30() -> None:
    assert hours("lun-ven 08:00-14:00", "live_in", True)[1] == []
    _total, messages, _fields = hours("lun-ven 08:00-14:00, sab 08:00-09:00", "live_in", True)
    assert "part-time live-in" in messages[0]
    assert "at most 30 hours" in messages[0]


def test_night_limit_is_40() -> None:
    assert hours("lun-ven 22:00-06:00", "night")[1] == []
    _total, messages, _fields = hours("lun-sab 22:00-06:00", "night")
    assert "Night assistance allows at most 40 hours" in messages[0]


def test_part_time_applies_to_live_in_only() -> None:
    _total, messages, fields = hours("lun 08:00-12:00", "hourly", True)
    assert fields == ["live_in_part_time"]
    assert "live-in" in messages[0]


def test_weekly_hours_must_match_the_schedule() -> None:
    assert hours("lun-ven 08:00-12:00", weekly=20) == (20, [], [])
    _total, messages, fields = hours("lun-ven 08:00-12:00", weekly=25)
    assert fields == ["weekly_hours"]
    assert "25" in messages[0] and "20" in messages[0]


def test_empty_schedule_is_refused() -> None:
    total, violations = rules.contract_hours("hourly", False, Schedule(), None)
    assert total == 0
    assert [v.field for v in violations] == ["schedule"]


def test_daily_rest_of_11_consecutive_hours() -> None:
    assert hours("mar 07:00-20:00")[1] == []  # 13 h of work leave 11 h free: allowed
    _total, messages, _fields = hours("mar 06:00-20:00")
    assert len(messages) == 1
    assert "11 consecutive hours of daily rest" in messages[0]
    assert "Tuesday" in messages[0]
    assert "at most 10" in messages[0]


def test_daily_rest_wraps_round_midnight() -> None:
    # Free 23:00-24:00 and 00:00-10:00: one rest of 11 hours across midnight.
    assert rules.longest_rest(sum(1 << h for h in range(10, 23))) == 11
    assert hours("gio 10:00-23:00")[1] == []


def test_split_day_counts_the_longest_free_run() -> None:
    bits = sum(1 << h for h in range(6, 20))
    assert rules.longest_rest(bits) == 10
    # Free 03-06 (3 h) and 20-24 (4 h): the longest run is 4, not the 7 free hours in all.
    bits = sum(1 << h for h in (0, 1, 2, *range(6, 20)))
    assert rules.longest_rest(bits) == 4


def test_round_the_clock_needs_a_second_assistant() -> None:
    _total, messages, _fields = hours("mer", "live_in")
    assert any("round-the-clock cover needs a second assistant" in m for m in messages)
    assert any("Wednesday" in m for m in messages)


def test_night_range_over_midnight_respects_rest() -> None:
    assert hours("lun-dom 21:00-07:00", "night", weekly=None)[1] != []  # 70 h > 40
    assert hours("lun-ven 21:00-05:00", "night")[1] == []


@pytest.mark.parametrize(
    ("months", "weekly", "level", "eligible"),
    [
        (12, 16, "CS", True),
        (None, 40, "DS", True),
        (11, 16, "CS", False),
        (12, 15, "CS", False),
        (12, 16, "BS", False),
    ],
)
def test_buono_domiciliarita(months, weekly: int, level: str, eligible: bool) -> None:
    result, reasons = rules.buono_domiciliarita(months, weekly, level)
    assert result is eligible
    assert reasons


def test_buono_reasons_name_what_is_missing() -> None:
    eligible, reasons = rules.buono_domiciliarita(6, 10, "BS")
    assert not eligible
    assert len(reasons) == 3
    assert "6 months" in reasons[0] and "12" in reasons[0]
    assert "10 hours" in reasons[1] and "16" in reasons[1]
    assert "BS" in reasons[2]
    eligible, reasons = rules.buono_domiciliarita(24, 20, "DS")
    assert eligible
    assert any("24 months" in r for r in reasons)


@pytest.mark.parametrize(
    ("action", "status", "target"),
    [
        ("submit", "draft", "open"),
        ("submit", "open", None),
        ("cancel", "draft", "cancelled"),
        ("cancel", "open", "cancelled"),
        ("cancel", "closed", None),
        ("close", "open", "closed"),
        ("close", "draft", None),
        ("close", "cancelled", None),
    ],
)
def test_transitions(action: str, status: str, target: str | None) -> None:
    assert rules.next_status(action, status) == target
