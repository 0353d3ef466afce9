"""Resolving comuni for pages and API: former names with a note; ceased rows kept."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session

from carenet.catalogue.services import resolve_comune, sync_municipalities
from carenet.core.errors import Invalid
from carenet.gazetteer import get_gazetteer
from carenet.gazetteer.models import Municipality


@pytest.mark.parametrize(
    ("lang", "value", "province", "note"),
    [
        ("en", "Trivero", None, "Trivero is now part of Valdilana (BI), since 2019."),
        ("it", "Trivero", None, "Trivero fa ora parte di Valdilana (BI), dal 2019."),
        (
            "en",
            "Moransengo",
            None,
            "Moransengo is now part of Moransengo-Tonengo (AT), since 2023.",
        ),
        ("en", "Calliano", "AT", "Calliano is now called Calliano Monferrato (AT), since 2022."),
        ("it", "Calliano", "AT", "Calliano ora si chiama Calliano Monferrato (AT), dal 2022."),
        ("en", "005079", None, "Moransengo is now part of Moransengo-Tonengo (AT), since 2023."),
    ],
)
def test_former_names_resolve_to_the_successor_with_a_note(
    app: Flask, lang: str, value: str, province: str | None, note: str
) -> None:
    with app.test_request_context(f"/?lang={lang}"):
        resolution = resolve_comune(value, province)
        assert resolution.note == note
    assert resolution.comune.istat == resolution.istat
    assert resolution.label in note


def test_current_names_have_no_note(app: Flask) -> None:
    with app.test_request_context("/?lang=en"):
        resolution = resolve_comune("Welsberg-Taisten")
    assert (resolution.istat, resolution.note) == ("021052", None)
    assert resolution.label == "Monguelfo-Tesido/Welsberg-Taisten (BZ)"


def test_ambiguous_and_unknown_names_are_invalid_in_the_request_language(app: Flask) -> None:
    with app.test_request_context("/?lang=en"), pytest.raises(Invalid) as excinfo:
        resolve_comune("Calliano")
    assert "names several comuni" in excinfo.value.message
    assert set(excinfo.value.details["suggestions"]) == {
        "Calliano (TN)",
        "Calliano Monferrato (AT)",
    }
    with app.test_request_context("/?lang=it"), pytest.raises(Invalid) as excinfo:
        resolve_comune("Moncaleri")
    assert excinfo.value.message.startswith("Comune sconosciuto 'Moncaleri'")
    assert excinfo.value.details["suggestions"][0] == "Moncalieri (TO)"


def test_sync_keeps_the_rows_of_ceased_comuni_pointing_at_their_successor() -> None:
    engine = sa.create_engine("sqlite://")
    Municipality.__table__.create(engine)
    with Session(engine) as session:
        # A row written from the 2023 edition: Gambugliano, merged into Sovizzo in 2024.
        session.add(
            Municipality(
                istat="024044",
                name="Gambugliano",
                name_key="gambugliano",
                province_code="024",
                province="VI",
                region_code="05",
                region="Veneto",
                lat=45.59,
                lon=11.44,
            )
        )
        session.flush()
        assert sync_municipalities(session) > 7894
        gambugliano = session.get(Municipality, "024044")
        assert gambugliano is not None and gambugliano.is_ceased
        assert gambugliano.successor_istat == "024128"
        former = get_gazetteer().find_former("024044")
        assert former is not None
        # The matching engine reads the row's point: still where Gambugliano's people live.
        assert (gambugliano.lat, gambugliano.lon) == (former.lat, former.lon)
        sovizzo = session.get(Municipality, "024128")
        assert sovizzo is not None and not sovizzo.is_ceased
        assert session.get(Municipality, "005079") is not None  # Moransengo, ceased 2023
        assert sync_municipalities(session) == 0  # idempotent
