"""Acceptance: the authorization matrix. Every route (pages and API) x every actor (each
role; every operator kind; own territory, other territory, referred; see ``scenario``)
has an expected outcome, and each cell is asserted against a real request. Its field
dimension (``field_matrix``): every health-derived field x every actor who sees its
record x every representation, read and written.

A route the application serves without an entry in ``matrix.MATRIX`` fails
``test_every_route_has_an_entry``; an entry for a route that no longer exists fails too.

Outcomes: ``ok`` (access granted: any status but 401/403/404 and never a 5xx; a
validation 4xx or a 409 still means the caller got past the access check), ``deny``
(403 or 404: a record outside the caller's scope is reported as not found), ``login``
(401, or a redirect to the login page).
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.carenet.access import scenario as sc
from tests.carenet.access.field_matrix import FIELDS
from tests.carenet.access.matrix import DENY, LOGIN, MATRIX, OK, RECORDING, Entry

SKIPPED_METHODS = {"HEAD", "OPTIONS"}
# Served by Flask itself, not by carenet's code.
NOT_OURS = {"static"}


def served_routes(app: Flask) -> set[tuple[str, str]]:
    """(method, rule) of every route carenet serves."""
    out = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint in NOT_OURS:
            continue
        for method in rule.methods or ():
            if method not in SKIPPED_METHODS:
                out.add((method, rule.rule))
    return out


def test_every_route_has_an_entry(app: Flask) -> None:
    served = served_routes(app)
    missing = sorted(served - set(MATRIX))
    stale = sorted(set(MATRIX) - served)
    assert not missing, f"routes without an authorization matrix entry: {missing}"
    assert not stale, f"matrix entries for routes that do not exist: {stale}"


def test_every_entry_names_every_actor() -> None:
    for key, entry in MATRIX.items():
        assert set(entry.expect) == set(sc.ACTORS), key


def _url(rule: str, entry: Entry, ids: dict[str, Any]) -> str:
    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        return str(ids[entry.params.get(name, name)])

    url = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", fill, rule)
    if entry.query:
        url += "?" + entry.query.format(**ids)
    return url


def _outcome(status: int, location: str) -> str:
    if status == 401 or (status in (302, 303) and "/login" in location):
        return LOGIN
    if status in (403, 404):
        return DENY
    if status >= 500:
        return f"error {status}"
    return OK


def _call(
    client: FlaskClient, method: str, url: str, entry: Entry, actor: str, s: sc.Scenario
) -> Any:
    body = entry.body(s.ids) if callable(entry.body) else entry.body
    return _send(client, method, url, body, actor, s)


def _send(client: FlaskClient, method: str, url: str, body: Any, actor: str, s: sc.Scenario) -> Any:
    """One request as ``actor``: a bearer token for the API, a session for the pages."""
    client.delete_cookie("session")
    headers = {}
    if actor != "anonymous":
        if url.startswith("/api/"):
            headers["Authorization"] = f"Bearer {s.tokens[actor]}"
        else:
            user = s.users[actor]
            assert user is not None
            with client.session_transaction() as session:
                session["_user_id"] = user.get_id()
                session["_fresh"] = True
    if url.startswith("/api/") and method in ("POST", "PATCH", "PUT"):
        return client.open(url, method=method, headers=headers, json=body or {})
    if method in ("POST", "PATCH", "PUT", "DELETE"):
        return client.open(url, method=method, headers=headers, data=body or {})
    return client.open(url, method=method, headers=headers)


def _order(entry: Entry) -> list[str]:
    """Callers who must be refused go first, so granted calls cannot change their answer."""
    return sorted(sc.ACTORS, key=lambda actor: entry.expect[actor] == OK)


# Maintainers: CARENET_MATRIX_RECORD=<file> runs every served route for every actor and
# writes what it observed, without asserting, to review when writing new entries.
RECORD = os.environ.get("CARENET_MATRIX_RECORD")


def _routes() -> list[tuple[str, str]]:
    if RECORD is None:
        return sorted(MATRIX)
    from carenet import create_app

    app = create_app({"DATABASE_URL": "sqlite://", "IGNORE_ENVIRON": True, "SECRET_KEY": "x"})
    return sorted(served_routes(app))


@pytest.mark.parametrize(("method", "rule"), _routes(), ids=lambda v: str(v))
def test_route(
    method: str, rule: str, client: FlaskClient, db_session: Session, factories: Any
) -> None:
    entry = MATRIX.get((method, rule)) or RECORDING()
    s = sc.build(db_session, factories)
    url = _url(rule, entry, s.ids)
    observed = {}
    for actor in _order(entry):
        if entry.fresh and entry.expect[actor] == OK:
            s = sc.build(db_session, factories)
            url = _url(rule, entry, s.ids)
        response = _call(client, method, url, entry, actor, s)
        observed[actor] = _outcome(response.status_code, response.headers.get("Location", ""))
        if RECORD is None:
            assert observed[actor] == entry.expect[actor], (
                f"{method} {url} as {actor}: expected {entry.expect[actor]}, got "
                f"{response.status_code} {response.get_data(as_text=True)[:300]}"
            )
    if RECORD is not None:
        with open(RECORD, "a") as out:
            out.write(json.dumps({"route": [method, rule], "observed": observed}) + "\n")


# -- the field-level dimension -----------------------------------------------------------


def test_every_guarded_field_has_an_entry() -> None:
    from carenet.access.fields import FIELD_RULES

    guarded = {(entity, name) for entity, rules in FIELD_RULES.items() for name in rules}
    assert guarded == set(FIELDS)


def test_the_field_entries_name_known_actors() -> None:
    for key, entry in FIELDS.items():
        assert set(entry.readers) <= set(entry.actors) <= set(sc.ACTORS), key
        assert set(entry.writers) <= set(entry.readers), key  # write only what one reads


@pytest.mark.parametrize(("entity", "name"), sorted(FIELDS), ids=lambda v: str(v))
def test_field(
    entity: str, name: str, client: FlaskClient, db_session: Session, factories: Any
) -> None:
    entry = FIELDS[(entity, name)]
    s = sc.build(db_session, factories)
    for actor in entry.actors:
        for how, read in entry.reads.items():
            response = _send(client, "GET", read.url.format(**s.ids), None, actor, s)
            assert response.status_code == 200, (how, actor, response.status_code)
            assert read.shows(response) == (actor in entry.readers), (
                f"{entity}.{name} in the {how} as {actor}: expected "
                f"{'shown' if actor in entry.readers else 'hidden'}"
            )
        for how, write in entry.writes.items():
            stored = write.stored or entry.stored
            before = stored(db_session, s.ids)
            url = write.url.format(**s.ids)
            response = _send(client, write.method, url, write.body(s.ids, before), actor, s)
            assert response.status_code < 500, (how, actor, response.get_data(as_text=True))
            changed = stored(db_session, s.ids) != before
            assert changed == (actor in entry.writers), (
                f"{entity}.{name} by {how} as {actor}: expected "
                f"{'written' if actor in entry.writers else 'refused'}, got "
                f"{response.status_code} {response.get_data(as_text=True)[:300]}"
            )
