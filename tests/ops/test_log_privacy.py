"""Structured logs of a whole journey: JSON lines, each request's with its id, and none
holding the personal data the journey used (e-mails, names, phone numbers, passwords,
tokens, health codes).

The journey, through the test client with the production's log settings (JSON, INFO):
a family and an assistant register and log in (the API, the login page, one wrong
password), the family creates a household, a recipient and a request, the territory's
CPI verifies the assistant, matches and proposes, both sides answer.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
from typing import Any

import pytest
import structlog
from flask.testing import FlaskClient

from tests.factories import PASSWORD, TORINO

TODAY = dt.date.today()
FAMILY = {
    "email": "giulia.bianchi@example.org",
    "password": "una password lunga 2026",
    "full_name": "Giulia Bianchi",
    "role": "family",
}
ASSISTANT = {
    "email": "ana.popescu@example.net",
    "password": "un'altra password lunga",
    "full_name": "Ana Popescu",
    "role": "assistant",
}
HOUSEHOLD = {
    "contact_name": "Giulia Bianchi",
    "phone": "+39 011 555 0101",
    "municipality": "Torino",
}
RECIPIENT = {
    "first_name": "Adalgisa",
    "age_band": "85+",
    "self_sufficiency": "partially",
    "conditions": ["dementia", "parkinson"],
}
ASSISTANT_PHONE = "+39 333 123 4567"
# Health codes, found anywhere in a line; the CCNL level (CS, DS: it reveals how far the
# person is self-sufficient) as any value of its own.
HEALTH_CODES = ["dementia", "parkinson", "partially", "non_self_sufficient"]
HEALTH_VALUES = {"CS", "DS"}


@pytest.fixture
def config_overrides() -> dict[str, Any]:
    """The production's log settings; jobs (e-mails) run in the request, mails kept."""
    return {
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "INFO",
        "MAIL_BACKEND": "locmem",
        "JOBS_IMMEDIATE": True,
    }


def _capture_logs() -> io.StringIO:
    """Send the app's log handler (configured by create_app) into a buffer."""
    buffer = io.StringIO()
    [handler] = [
        handler
        for handler in logging.getLogger().handlers
        if isinstance(handler.formatter, structlog.stdlib.ProcessorFormatter)
    ]
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(buffer)
    return buffer


def _call(client: FlaskClient, method: str, url: str, token: str, body: Any = None) -> Any:
    response = client.open(
        url, method=method, json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code in (200, 201), (method, url, response.get_json())
    return response.get_json()


def _register_and_log_in(client: FlaskClient, account: dict[str, str]) -> str:
    """Register through the API, log in through the page, get a token: the token."""
    assert client.post("/api/v1/auth/register", json=account).status_code == 201
    wrong = {"email": account["email"], "password": "not " + account["password"]}
    assert client.post("/api/v1/auth/tokens", json=wrong).status_code == 401
    page = client.post("/login", data={"email": account["email"], "password": account["password"]})
    assert page.status_code == 302
    client.post("/logout")
    login = {"email": account["email"], "password": account["password"]}
    response = client.post("/api/v1/auth/tokens", json=login)
    assert response.status_code == 201
    return str(response.get_json()["token"])


def _family_asks_for_care(client: FlaskClient, token: str) -> int:
    household = _call(client, "POST", "/api/v1/families/households", token, HOUSEHOLD)
    recipient = _call(
        client,
        "POST",
        f"/api/v1/families/households/{household['id']}/recipients",
        token,
        RECIPIENT,
    )
    request = _call(
        client,
        "POST",
        "/api/v1/care-requests",
        token,
        {
            "recipient_id": recipient["id"],
            "arrangement": "hourly",
            "schedule": "lun-ven 08:00-12:00",
            "start_date": TODAY.isoformat(),
            "duration_months": 12,
            "max_distance_km": 25,
            "gender_preference": "none",
            "preferred_languages": ["it"],
        },
    )
    if request["status"] == "draft":
        request = _call(client, "POST", f"/api/v1/care-requests/{request['id']}/submit", token)
    assert request["ccnl_level"] in HEALTH_VALUES
    return int(request["id"])


def _assistant_profile(client: FlaskClient, token: str) -> int:
    profile = _call(
        client,
        "POST",
        "/api/v1/assistants",
        token,
        {
            "display_name": ASSISTANT["full_name"],
            "gender": "f",
            "birth_year": 1978,
            "nationality": "RO",
            "phone": ASSISTANT_PHONE,
            "languages": [{"language": "it", "level": "B2"}],
            "municipality": "Torino",
            "province": "TO",
            "travel_radius_km": 20,
            "arrangements": ["hourly"],
            "availability": "lun-ven 07:00-13:00",
            "available_from": (TODAY - dt.timedelta(days=6)).isoformat(),
            "years_experience": 6,
            "conditions": ["dementia"],
        },
    )
    return int(profile["id"])


def _broker_and_answer(
    client: FlaskClient, tokens: dict[str, str], request_id: int, assistant_id: int
) -> None:
    cpi = tokens["cpi"]
    _call(client, "POST", f"/api/v1/assistants/{assistant_id}/verify", cpi)
    matches = _call(client, "GET", f"/api/v1/care-requests/{request_id}/matches", cpi)
    assert assistant_id in [item["assistant_id"] for item in matches["items"]]
    body = {"assistant_ids": [assistant_id]}
    proposed = _call(client, "POST", f"/api/v1/care-requests/{request_id}/proposals", cpi, body)
    proposal = proposed["items"][0]["id"]
    for side in ("assistant", "family"):
        answer = {"side": side, "answer": "accepted"}
        _call(client, "POST", f"/api/v1/proposals/{proposal}/answer", tokens[side], answer)
    contacts = _call(client, "GET", f"/api/v1/proposals/{proposal}", tokens["family"])
    assert contacts["contacts"]  # both accepted: the contacts are shown, not logged


def _secrets(tokens: dict[str, str], operator: Any) -> list[str]:
    """Every personal value the journey used, as it would appear in a log line."""
    values = [*tokens.values(), PASSWORD, operator.email, operator.full_name]
    for account in (FAMILY, ASSISTANT):
        local_part = account["email"].split("@")[0]
        values += [account["email"], local_part, account["password"], account["full_name"]]
    for phone in (HOUSEHOLD["phone"], ASSISTANT_PHONE):
        values += [phone, phone.replace(" ", "")]
    values += [RECIPIENT["first_name"], *HEALTH_CODES]
    return [value.lower() for value in values]


def _values(node: Any) -> list[Any]:
    if isinstance(node, dict):
        return [v for value in node.values() for v in _values(value)]
    if isinstance(node, list):
        return [v for value in node for v in _values(value)]
    return [node]


def test_a_full_journey_logs_json_with_request_ids_and_no_personal_data(
    client: FlaskClient, factories: Any
) -> None:
    logs = _capture_logs()
    cpi_org = factories.OrganizationFactory(kind="cpi", territory_codes=[TORINO])
    operator = factories.OperatorFactory(organization=cpi_org, email="broker@example.com")
    factories.current_session().commit()
    tokens = {"cpi": _register_and_log_in_operator(client, operator.email)}
    tokens["family"] = _register_and_log_in(client, FAMILY)
    tokens["assistant"] = _register_and_log_in(client, ASSISTANT)
    request_id = _family_asks_for_care(client, tokens["family"])
    assistant_id = _assistant_profile(client, tokens["assistant"])
    _broker_and_answer(client, tokens, request_id, assistant_id)

    lines = [json.loads(line) for line in logs.getvalue().splitlines()]
    requests = [line for line in lines if line["event"] == "request"]
    assert len(requests) >= 20 and all(line["request_id"] for line in requests)
    assert {"login_failed", "login_succeeded"} <= {line["event"] for line in lines}
    text = logs.getvalue().lower()
    leaked = [value for value in _secrets(tokens, operator) if value in text]
    assert leaked == []
    assert HEALTH_VALUES.isdisjoint(v for line in lines for v in _values(line))


def _register_and_log_in_operator(client: FlaskClient, email: str) -> str:
    response = client.post("/api/v1/auth/tokens", json={"email": email, "password": PASSWORD})
    assert response.status_code == 201
    return str(response.get_json()["token"])
