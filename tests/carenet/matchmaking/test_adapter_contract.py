"""Issue 10, item 18: the adapter hands the engine the request's side of the contract rules
(part time, hours, level), and the engine applies the rules of ``matching.contract``."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from carenet.matchmaking.adapter import demand_for, load_candidates
from matching import MatchIndex
from tests.factories import weekday_hours


def test_a_part_time_live_in_request_is_a_part_time_demand(
    db_session: Session, factories: Any
) -> None:
    # Monday to Friday 08:00-14:00: 30 hours, the part-time live-in limit.
    request = factories.CareRequestFactory(
        arrangement="live_in",
        live_in_part_time=True,
        schedule=weekday_hours(8, 14),
        weekly_hours=30,
    )
    factories.AssistantFactory(accepts_live_in=True)
    demand = demand_for(db_session, request)
    assert demand.live_in_part_time is True
    assert demand.non_self_sufficient is True
    assert demand.weekly_hours == 30
    index = MatchIndex().fit(load_candidates(db_session))
    assert len(index.rank(demand)) == 1
    # The same hours and six more are over the part-time limit: the engine says so.
    longer = demand.__class__(**{**demand.__dict__, "weekly_hours": 36.0})
    (candidate_id,) = index.store_.ids[: index.store_.n].tolist()
    explanation = index.explain(longer, candidate_id)
    assert explanation.code == "weekly_hours" and "limit 30 h" in explanation.message
