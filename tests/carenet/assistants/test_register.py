"""The operators' register: filters, pagination and a bounded number of queries."""

from __future__ import annotations

import datetime as dt

import pytest

from carenet.assistants.models import AssistantDocument, AssistantQualification
from tests.carenet.assistants.conftest import CUNEO, MONCALIERI, TORINO, bearer


@pytest.fixture
def register(make_assistant, db_session):
    """Four assistants of Torino and Moncalieri, and one of Cuneo (out of territory)."""
    today = dt.date.today()
    people = {
        "ana": make_assistant(
            display_name="Ana Popescu",
            municipality_id=TORINO,
            status="verified",
            accepts_live_in=True,
            accepts_hourly=False,
            languages={"ro": "native", "it": "B2"},
            conditions=["dementia"],
        ),
        "olena": make_assistant(
            display_name="Olena Kovalenko",
            municipality_id=MONCALIERI,
            status="pending",
            languages={"uk": "native"},
            conditions=["parkinson"],
        ),
        "rosa": make_assistant(
            display_name="Rosa Quispe",
            municipality_id=MONCALIERI,
            status="suspended",
            accepts_night=True,
            languages={"es": "native", "it": "A2"},
        ),
        "maria": make_assistant(display_name="Maria Rossi", municipality_id=TORINO),
        "cuneo": make_assistant(display_name="Ana Cuneese", municipality_id=CUNEO),
    }
    db_session.add_all(
        [
            AssistantQualification(
                assistant_id=people["ana"].id,
                qualification_code="oss",
                issued_on=dt.date(2015, 1, 1),
            ),
            AssistantQualification(
                assistant_id=people["olena"].id,
                qualification_code="oss",
                issued_on=dt.date(2015, 1, 1),
                expires_on=today - dt.timedelta(days=1),
            ),
        ]
    )
    db_session.commit()
    return people


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Ana Popescu", "Maria Rossi", "Olena Kovalenko", "Rosa Quispe"]),
        ("?municipality=Moncalieri", ["Olena Kovalenko", "Rosa Quispe"]),
        (f"?municipality={TORINO}", ["Ana Popescu", "Maria Rossi"]),
        ("?province=TO", ["Ana Popescu", "Maria Rossi", "Olena Kovalenko", "Rosa Quispe"]),
        ("?province=CN", []),
        ("?status=pending", ["Olena Kovalenko"]),
        ("?arrangement=live_in", ["Ana Popescu"]),
        ("?arrangement=night", ["Rosa Quispe"]),
        ("?language=it", ["Ana Popescu", "Rosa Quispe"]),
        ("?qualification=oss", ["Ana Popescu"]),  # Olena's OSS expired yesterday
        ("?condition=parkinson", ["Olena Kovalenko"]),
        ("?q=ANA", ["Ana Popescu"]),
        ("?q=100%25", []),
        ("?language=it&status=suspended", ["Rosa Quispe"]),
    ],
)
def test_filters(client, db_session, cpi_torino, register, query, expected):
    response = client.get(f"/api/v1/assistants{query}", headers=bearer(db_session, cpi_torino))

    assert response.status_code == 200
    assert [item["display_name"] for item in response.json["items"]] == expected
    assert response.json["total"] == len(expected)


def test_pagination(client, db_session, cpi_torino, register):
    headers = bearer(db_session, cpi_torino)

    first = client.get("/api/v1/assistants?per_page=3", headers=headers).json
    second = client.get("/api/v1/assistants?per_page=3&page=2", headers=headers).json

    assert [first["total"], first["page"], first["per_page"]] == [4, 1, 3]
    assert len(first["items"]) == 3
    assert [item["display_name"] for item in second["items"]] == ["Rosa Quispe"]


def test_unknown_comune_filter_is_422_with_suggestions(client, db_session, cpi_torino):
    response = client.get(
        "/api/v1/assistants?municipality=Moncaleri", headers=bearer(db_session, cpi_torino)
    )

    assert response.status_code == 422
    assert "Moncalieri (TO)" in response.json["details"]["suggestions"]


@pytest.mark.parametrize(
    "query", ["?per_page=0", "?page=0", "?per_page=101", "?status=lost", "?page=99999999999999"]
)
def test_bad_list_parameters_are_422(client, db_session, cpi_torino, query):
    response = client.get(f"/api/v1/assistants{query}", headers=bearer(db_session, cpi_torino))

    assert response.status_code == 422


def test_listing_does_not_query_once_per_assistant(
    client, db_session, cpi_torino, make_assistant, query_counter
):
    for n in range(30):
        assistant = make_assistant(
            display_name=f"Assistente {n:02d}",
            languages={"it": "B1", "ro": "native"},
            conditions=["dementia", "mobility"],
        )
        db_session.add_all(
            [
                AssistantQualification(
                    assistant_id=assistant.id,
                    qualification_code="oss",
                    issued_on=dt.date(2015, 1, 1),
                ),
                AssistantDocument(assistant_id=assistant.id, kind="passport"),
            ]
        )
    db_session.commit()
    headers = bearer(db_session, cpi_torino)
    client.get("/api/v1/assistants?per_page=1", headers=headers)  # token use recorded once

    query_counter.clear()
    few = client.get("/api/v1/assistants?per_page=3", headers=headers)
    queries_for_3 = len(query_counter)
    query_counter.clear()
    many = client.get("/api/v1/assistants?per_page=30", headers=headers)
    queries_for_30 = len(query_counter)

    assert len(few.json["items"]) == 3
    assert len(many.json["items"]) == 30
    assert all(len(item["qualifications"]) == 1 for item in many.json["items"])
    assert queries_for_30 == queries_for_3
    assert queries_for_30 <= 15
