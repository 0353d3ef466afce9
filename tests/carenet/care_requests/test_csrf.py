"""The request pages with CSRF protection on, as in production."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from carenet.care_requests.models import CareRequest
from tests.carenet.families.helpers import World, count, login


@pytest.fixture
def config_overrides() -> dict[str, Any]:
    """CSRF checks enabled for this module."""
    return {"WTF_CSRF_ENABLED": True}


def _token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match is not None
    return match.group(1)


def test_forms_carry_a_token_and_posts_without_it_are_refused(
    client: FlaskClient, db_session: Session, world: World, factories: Any
) -> None:
    login(client, world.family_torino)
    url = f"/care-requests/new?recipient_id={world.recipient_torino.id}"
    form = {
        "arrangement": "hourly",
        "schedule": "lun-ven 08:00-12:00",
        "start_date": (dt.date.today() + dt.timedelta(days=90)).isoformat(),
        "max_distance_km": "20",
        "gender_preference": "none",
    }
    assert client.post(url, data=form).status_code == 400
    assert count(db_session, CareRequest) == 0
    token = _token(client.get(url).text)
    response = client.post(url, data={**form, "csrf_token": token})
    assert response.status_code == 302
    detail = client.get(response.location)
    request_id = int(response.location.rsplit("/", 1)[1])
    assert client.post(f"/care-requests/{request_id}/submit").status_code == 400
    submit = client.post(
        f"/care-requests/{request_id}/submit", data={"csrf_token": _token(detail.text)}
    )
    assert submit.status_code == 302
    db_session.commit()
    assert db_session.get(CareRequest, request_id).status == "open"
