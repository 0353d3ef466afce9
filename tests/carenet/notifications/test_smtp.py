"""MAIL_BACKEND=smtp: the e-mail reaches an SMTP server with the configured settings."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from carenet.core.db import db
from carenet.notifications.models import Notification
from carenet.notifications.services import notify


class SmtpSink:
    """A minimal SMTP server on a free local port that keeps what it receives."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.port = int(self.sock.getsockname()[1])
        self.envelopes: list[dict[str, Any]] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return
            with conn, conn.makefile("rb") as reader:
                self._session(conn, reader)

    def _session(self, conn: socket.socket, reader: Any) -> None:
        envelope: dict[str, Any] = {"rcpt": []}
        conn.sendall(b"220 sink ready\r\n")
        while line := reader.readline():
            command = line.decode().strip()
            verb = command.split(" ", 1)[0].upper()
            if verb in {"EHLO", "HELO"}:
                conn.sendall(b"250 sink\r\n")
            elif verb == "MAIL":
                envelope["from"] = command
                conn.sendall(b"250 ok\r\n")
            elif verb == "RCPT":
                envelope["rcpt"].append(command)
                conn.sendall(b"250 ok\r\n")
            elif verb == "DATA":
                conn.sendall(b"354 go on\r\n")
                data = []
                while (chunk := reader.readline()) not in (b".\r\n", b""):
                    data.append(chunk)
                envelope["data"] = b"".join(data).decode()
                self.envelopes.append(envelope)
                envelope = {"rcpt": []}
                conn.sendall(b"250 queued\r\n")
            elif verb == "QUIT":
                conn.sendall(b"221 bye\r\n")
                return
            else:
                conn.sendall(b"250 ok\r\n")

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    server = SmtpSink()
    yield server
    server.close()


@pytest.fixture
def config_overrides(sink: SmtpSink) -> dict[str, Any]:
    return {
        "JOBS_IMMEDIATE": True,
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": sink.port,
        "MAIL_DEFAULT_SENDER": "Rete carenet <avvisi@carenet.example>",
        "MAIL_BASE_URL": "https://carenet.example",
    }


def test_the_email_is_sent_over_smtp(
    app: Flask, db_session: Session, factories: Any, sink: SmtpSink
) -> None:
    user = factories.UserFactory(locale="en")
    with app.app_context():
        notification_id = notify(
            db.session, user.id, "referral.new", {"organization": "ASL TO3"}, "/referrals/4"
        ).id
        db.session.commit()
    assert len(sink.envelopes) == 1
    envelope = sink.envelopes[0]
    assert envelope["from"].upper() == "MAIL FROM:<AVVISI@CARENET.EXAMPLE>"
    assert [r.lower() for r in envelope["rcpt"]] == [f"rcpt to:<{user.email}>"]
    assert "Subject: New referral" in envelope["data"]
    assert "ASL TO3 referred a case to your organization." in envelope["data"]
    assert "https://carenet.example/referrals/4" in envelope["data"]
    row = db_session.get(Notification, notification_id)
    assert row is not None and row.emailed_at is not None
