"""The placement forms with CSRF protection on, as in production."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from carenet.placements.models import Placement
from carenet.proposals.models import Proposal
from tests.carenet.families.helpers import World, count, login
from tests.carenet.placements.conftest import NEXT_MONTH


@pytest.fixture
def config_overrides() -> dict[str, Any]:
    """CSRF checks enabled for this module."""
    return {"WTF_CSRF_ENABLED": True}


def _fields(html: str, testid: str) -> dict[str, str]:
    """The hidden inputs of the form marked ``data-testid``."""
    form = re.search(rf'<form[^>]*data-testid="{testid}".*?</form>', html, re.S)
    assert form is not None, testid
    hidden = {}
    for tag in re.findall(r"<input[^>]*>", form.group(0)):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        if 'type="hidden"' in tag and name and value:
            hidden[name.group(1)] = value.group(1)
    return hidden


def test_start_feedback_and_end_carry_their_tokens(
    client: FlaskClient, db_session: Session, world: World, proposal: Proposal
) -> None:
    login(client, world.cpi_torino)
    url = f"/placements/new?proposal_id={proposal.id}"
    body = {"ccnl_level": "CS", "schedule": "lun-ven 08:00-12:00", "start_date": NEXT_MONTH}
    assert client.post(url, data=body).status_code == 400
    assert count(db_session, Placement) == 0
    hidden = _fields(client.get(url).text, "start-placement")
    started = client.post(url, data={**body, **hidden})
    assert started.status_code == 302, started.text
    page = client.get(started.location).text
    feedback = _fields(page, "feedback-family")
    assert "family-csrf_token" in feedback
    sent = client.post(f"{started.location}/feedback", data={**feedback, "family-rating": "4"})
    assert sent.status_code == 302, sent.text
    end = _fields(client.get(started.location).text, "end")
    ended = client.post(
        f"{started.location}/end",
        data={**end, "end_reason": "Done", "ended_on": NEXT_MONTH.isoformat()},  # called off
    )
    assert ended.status_code == 302, ended.text
    db_session.commit()
    placement = db_session.get(Placement, int(started.location.rsplit("/", 1)[1]))
    assert placement is not None
    assert (placement.status, placement.family_rating) == ("ended", 4)
