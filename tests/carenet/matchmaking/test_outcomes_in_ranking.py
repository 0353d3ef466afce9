"""Outcomes feed later ranking: feedback from past placements, continuity with a family."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from carenet.care_requests.models import CareRequest
from carenet.core.db import utcnow
from carenet.placements.models import Placement
from tests.factories import weekday_hours


def ended_placement(
    session: Session, request: CareRequest, assistant_id: int, rating: int | None
) -> None:
    session.add(
        Placement(
            request_id=request.id,
            assistant_id=assistant_id,
            arrangement="hourly",
            ccnl_level="CS",
            weekly_hours=20,
            schedule=weekday_hours(14, 18),
            start_date=dt.date(2025, 1, 6),
            end_date=dt.date(2025, 12, 31),
            status="ended",
            ended_at=utcnow(),
            end_reason="contract over",
            family_rating=rating,
        )
    )
    session.commit()


def components(client: FlaskClient, request_id: int, headers: dict[str, str]) -> dict[int, Any]:
    body = client.get(f"/api/v1/care-requests/{request_id}/matches", headers=headers).get_json()
    return {item["assistant_id"]: item["components"] for item in body["items"]}


def test_feedback_and_continuity_come_from_past_placements(
    client: FlaskClient,
    db_session: Session,
    factories: Any,
    torino_request: CareRequest,
    headers: dict[str, str],
) -> None:
    liked, disliked, newcomer = (factories.AssistantFactory() for _ in range(3))
    household = torino_request.recipient.household
    earlier = factories.CareRequestFactory(
        recipient=factories.CareRecipientFactory(household=household), status="closed"
    )
    elsewhere = factories.CareRequestFactory(status="closed")
    ended_placement(db_session, earlier, liked.id, 5)
    ended_placement(db_session, elsewhere, disliked.id, 1)

    got = components(client, torino_request.id, headers)
    assert got[liked.id]["feedback"] == 1.0 and got[liked.id]["continuity"] == 1.0
    assert got[disliked.id]["feedback"] == 0.0 and got[disliked.id]["continuity"] == 0.0
    assert got[newcomer.id]["continuity"] == 0.0
    assert got[newcomer.id]["feedback"] == 0.5  # neutral without a past placement
