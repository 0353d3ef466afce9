"""Example placements for the schemathesis run, so that the placement operations return
real records (one active, one ended with feedback) and not only errors."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from carenet.placements.models import Placement, PlacementSlot
from carenet.proposals.models import Proposal
from tests.factories import weekday_hours


def add_placement_examples(factories: Any, db_session: Session) -> None:
    """Two placements in Torino (the operator's territory) and a spare accepted proposal."""
    start = dt.date.today() + dt.timedelta(days=30)
    assistant = factories.AssistantFactory()
    for status in ("active", "ended"):
        care_request = factories.CareRequestFactory(status="placed")
        placement = Placement(
            request_id=care_request.id,
            assistant_id=assistant.id,
            arrangement="hourly",
            ccnl_level="CS",
            weekly_hours=20,
            schedule=weekday_hours(8, 12) if status == "active" else weekday_hours(14, 18),
            start_date=start,
            end_date=start + dt.timedelta(days=400) if status == "ended" else None,
            status=status,
            ended_at=dt.datetime.now(dt.UTC) if status == "ended" else None,
            end_reason="Contract completed" if status == "ended" else "",
            family_rating=4 if status == "ended" else None,
            family_feedback="Punctual" if status == "ended" else "",
        )
        db_session.add(placement)
        db_session.flush()
        if status == "active":
            db_session.add_all(
                PlacementSlot(
                    assistant_id=assistant.id, slot=day * 24 + hour, placement_id=placement.id
                )
                for day in range(5)
                for hour in range(8, 12)
            )
    spare = factories.CareRequestFactory()
    db_session.add(
        Proposal(
            request_id=spare.id,
            assistant_id=assistant.id,
            score=0.7,
            distance_km=2.0,
            status="accepted",
            family_answer="accepted",
            assistant_answer="accepted",
        )
    )
    db_session.commit()
