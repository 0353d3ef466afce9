"""Example proposals for the schemathesis run, so that the proposal operations (answer,
interview, send, withdraw) meet real records in each status and not only errors."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from carenet.proposals.models import Proposal


def add_proposal_examples(factories: Any, db_session: Session) -> None:
    """A pending, a draft and a declined proposal in Torino (the operator's territory)."""
    now = dt.datetime.now(dt.UTC)
    care_request = factories.CareRequestFactory(status="proposed")
    for status in ("pending", "draft", "declined"):
        assistant = factories.AssistantFactory()
        db_session.add(
            Proposal(
                request_id=care_request.id,
                assistant_id=assistant.id,
                score=0.6,
                components={"distance": 0.9, "schedule": 1.0},
                distance_km=1.5,
                status=status,
                family_answer="declined" if status == "declined" else None,
                family_reason="distance: too far" if status == "declined" else "",
                sent_at=now if status != "draft" else None,
                expires_at=now + dt.timedelta(days=14) if status != "draft" else None,
            )
        )
    db_session.commit()
