"""My notifications through the API and the pages, and the bell."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from carenet.auth.models import User
from carenet.notifications.models import Notification
from tests.carenet.families.helpers import bearer, events, login

NOW = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def user(factories: Any) -> User:
    return factories.UserFactory(role="family", locale="en")


@pytest.fixture
def inbox(db_session: Session, user: User, factories: Any) -> dict[str, int]:
    """Three notifications of ``user`` (the oldest unread) and one of someone else."""
    other = factories.UserFactory()
    rows = {
        "old_unread": Notification(
            user_id=user.id, kind="proposal.new", data={"reference": "P-1"}, created_at=NOW
        ),
        "read": Notification(
            user_id=user.id,
            kind="proposal.accepted",
            data={"reference": "P-2", "by": "Ana"},
            created_at=NOW + dt.timedelta(hours=1),
            read_at=NOW + dt.timedelta(hours=2),
        ),
        "new_unread": Notification(
            user_id=user.id,
            kind="referral.new",
            data={"organization": "ASL TO"},
            link="/care-requests",
            created_at=NOW + dt.timedelta(hours=3),
        ),
        "others": Notification(user_id=other.id, kind="proposal.new", created_at=NOW),
    }
    db_session.add_all(rows.values())
    db_session.commit()
    return {name: row.id for name, row in rows.items()}


def _unread(db_session: Session, user: User) -> set[int]:
    db_session.expire_all()
    return {
        n.id for n in db_session.query(Notification).filter_by(user_id=user.id, read_at=None).all()
    }


def test_list_unread_first_then_newest(
    client: FlaskClient, db_session: Session, user: User, inbox: dict[str, int]
) -> None:
    headers = bearer(db_session, user)
    body = client.get("/api/v1/notifications", headers=headers).json
    assert [n["id"] for n in body["items"]] == [
        inbox["new_unread"],
        inbox["old_unread"],
        inbox["read"],
    ]
    assert (body["total"], body["unread"]) == (3, 2)
    assert body["items"][0]["title"] == "New referral"
    assert body["items"][0]["body"] == "ASL TO referred a case to your organization."
    newest = client.get("/api/v1/notifications?order=newest", headers=headers).json
    assert [n["id"] for n in newest["items"]] == [
        inbox["new_unread"],
        inbox["read"],
        inbox["old_unread"],
    ]
    page2 = client.get("/api/v1/notifications?per_page=2&page=2", headers=headers).json
    assert [n["id"] for n in page2["items"]] == [inbox["read"]]
    unread = client.get("/api/v1/notifications?unread=true", headers=headers).json
    assert unread["total"] == 2


def test_bad_query_is_a_422(client: FlaskClient, db_session: Session, user: User) -> None:
    response = client.get("/api/v1/notifications?order=oldest", headers=bearer(db_session, user))
    assert response.status_code == 422


def test_mark_one_read(
    client: FlaskClient, db_session: Session, user: User, inbox: dict[str, int]
) -> None:
    headers = bearer(db_session, user)
    response = client.post(f"/api/v1/notifications/{inbox['old_unread']}/read", headers=headers)
    assert response.status_code == 200
    assert response.json["read_at"] is not None
    assert _unread(db_session, user) == {inbox["new_unread"]}
    assert len(events(db_session, "notification.read")) == 1


def test_someone_elses_notification_is_not_found(
    client: FlaskClient, db_session: Session, user: User, inbox: dict[str, int]
) -> None:
    response = client.post(
        f"/api/v1/notifications/{inbox['others']}/read", headers=bearer(db_session, user)
    )
    assert response.status_code == 404
    db_session.expire_all()
    others = db_session.get(Notification, inbox["others"])
    assert others is not None and others.read_at is None


def test_mark_all_read(
    client: FlaskClient, db_session: Session, user: User, inbox: dict[str, int]
) -> None:
    headers = bearer(db_session, user)
    response = client.post("/api/v1/notifications/read-all", headers=headers)
    assert response.json == {"updated": 2, "unread": 0}
    assert _unread(db_session, user) == set()
    db_session.expire_all()
    others = db_session.get(Notification, inbox["others"])
    assert others is not None and others.read_at is None
    again = client.post("/api/v1/notifications/read-all", headers=headers)
    assert again.json == {"updated": 0, "unread": 0}


def test_logged_out_gets_401(client: FlaskClient) -> None:
    assert client.get("/api/v1/notifications").status_code == 401
    assert client.post("/api/v1/notifications/read-all").status_code == 401


def test_the_bell_shows_the_unread_count(
    client: FlaskClient, user: User, inbox: dict[str, int]
) -> None:
    html = login(client, user).get("/").get_data(as_text=True)
    assert 'data-testid="notifications-bell"' in html
    assert 'data-testid="unread-count">2<' in html


def test_the_page_lists_and_marks_read(
    client: FlaskClient, db_session: Session, user: User, inbox: dict[str, int]
) -> None:
    login(client, user)
    page = client.get("/notifications")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.index(f'data-notification="{inbox["new_unread"]}"') < html.index(
        f'data-notification="{inbox["read"]}"'
    )
    opened = client.post(f"/notifications/{inbox['new_unread']}/read")
    assert (opened.status_code, opened.headers["Location"]) == (302, "/care-requests")
    assert _unread(db_session, user) == {inbox["old_unread"]}
    client.post("/notifications/read-all")
    assert _unread(db_session, user) == set()
    html = client.get("/").get_data(as_text=True)
    assert 'data-testid="unread-count"' not in html


def test_the_page_needs_a_login(client: FlaskClient) -> None:
    assert client.get("/notifications").status_code == 401
