"""The contract rules in the engine: one source (``matching.contract``) for hours, levels
and who is trained, applied the same way by the index and the brute-force reference."""

from __future__ import annotations

import pytest

from matching import Candidates, MatchIndex, Schedule, contract
from matching import reference as ref

from .test_index import base_candidate, base_demand

# Monday to Saturday 08:00-18:00: 60 hours.
SIXTY_HOURS = Schedule.parse("lun-sab 08:00-18:00")
# Monday to Friday 08:00-16:00: 40 hours.
FORTY_HOURS = Schedule.parse("lun-ven 08:00-16:00")


def first_failing(candidate: object, demand: object) -> str | None:
    """The first failing filter by the index, checked equal to the reference's."""
    index = MatchIndex().fit(Candidates.from_records([candidate]))  # type: ignore[list-item]
    code = index.explain(demand, candidate.id).code  # type: ignore[arg-type, attr-defined]
    assert ref.evaluate(candidate, demand).code == code  # type: ignore[arg-type]
    return code


def test_a_live_in_demand_is_not_capped_at_54_hours() -> None:
    """Item 18: the schedule is the working time; 60 hours are over the live-in limit."""
    demand = base_demand(arrangement="live_in", schedule=SIXTY_HOURS)
    assert first_failing(base_candidate(), demand) == "weekly_hours"


def test_a_part_time_live_in_demand_is_limited_to_30_hours() -> None:
    """Item 18: the engine knows the 30-hour part-time live-in limit."""
    candidate = base_candidate()
    full_time = base_demand(arrangement="live_in", schedule=FORTY_HOURS)
    assert first_failing(candidate, full_time) is None
    part_time = base_demand(arrangement="live_in", schedule=FORTY_HOURS, live_in_part_time=True)
    assert first_failing(candidate, part_time) == "weekly_hours"
    index = MatchIndex().fit(Candidates.from_records([candidate]))
    assert "limit 30 h" in index.explain(part_time, 1).message
    thirty = Schedule.parse("lun-ven 08:00-14:00")
    ok = base_demand(arrangement="live_in", schedule=thirty, live_in_part_time=True)
    assert first_failing(candidate, ok) is None


def test_part_time_is_for_live_in_demands_only() -> None:
    with pytest.raises(ValueError, match="live-in"):
        base_demand(live_in_part_time=True)


@pytest.mark.parametrize(
    ("held", "trained"),
    [
        ("oss", True),
        ("osa", True),
        ("nurse", True),
        ("adest", True),
        ("ota", True),
        ("assistente_familiare", False),
        ("first_aid", False),
    ],
)
def test_trained_is_the_contract_definition(held: str, trained: bool) -> None:
    """Item 14: a DS demand scores the level fit 1 for a trained candidate, 0 otherwise,
    by the one list in ``matching.contract``, in the index and the reference alike."""
    candidate = base_candidate(qualifications={held: None})
    demand = base_demand(non_self_sufficient=True, ccnl_level="DS")
    (match,) = MatchIndex().fit(Candidates.from_records([candidate])).rank(demand)
    expected = 1.0 if trained else 0.0
    assert match.components["qualifications"] == expected
    (result,) = ref.rank([candidate], demand)
    assert result.components is not None and result.components[2] == expected
    assert (held in contract.TRAINED_QUALIFICATIONS) is trained


@pytest.mark.parametrize("level", ["CS", "DS"])
def test_cs_and_ds_are_for_people_who_are_not_self_sufficient(level: str) -> None:
    """Item 15 in the engine: the levels follow ``contract.allowed_levels``."""
    with pytest.raises(ValueError, match="self-sufficient"):
        base_demand(non_self_sufficient=False, ccnl_level=level)
    assert base_demand(non_self_sufficient=True, ccnl_level=level).level == level


@pytest.mark.parametrize(
    ("busy", "eligible"), [("lun-ven 18:00-20:00", True), ("sab 06:00-22:00", False)]
)
def test_total_hours_across_placements(busy: str, eligible: bool) -> None:
    """Item 17 in the engine: busy hours plus the demand's at most the assistant's total."""
    candidate = base_candidate(busy=Schedule.parse(busy))
    demand = base_demand(schedule=Schedule.parse("lun-ven 08:00-13:00"))  # 25 h
    assert (first_failing(candidate, demand) is None) is eligible
    busy_hours = Schedule.parse(busy).hours
    assert contract.within_total_hours(busy_hours, 25) is eligible


@pytest.mark.parametrize(
    ("arrangement", "part_time", "limit"),
    [("hourly", False, 40), ("night", False, 40), ("live_in", False, 54), ("live_in", True, 30)],
)
def test_weekly_limits(arrangement: str, part_time: bool, limit: int) -> None:
    assert contract.max_weekly_hours(arrangement, part_time) == limit
