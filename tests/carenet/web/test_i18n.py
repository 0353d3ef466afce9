"""Languages: the Italian catalogue is complete, Italian is the default, English on request."""

from __future__ import annotations

import re

from babel.messages.pofile import read_po
from flask.testing import FlaskClient

from tests.carenet.web.catalogues import TRANSLATIONS

PLACEHOLDER = re.compile(r"%\(\w+\)[sdfr]")

ITALIAN = "Assistenza a domicilio per la Sua famiglia"
ENGLISH = "Home care for your family"


def _catalogue(locale: str):  # type: ignore[no-untyped-def]
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh, locale=locale)


def test_italian_catalogue_is_complete_and_not_fuzzy() -> None:
    catalogue = _catalogue("it")
    messages = [m for m in catalogue if m.id]
    assert len(messages) > 100
    untranslated = [
        m.id for m in messages if not all(m.string if isinstance(m.string, tuple) else (m.string,))
    ]
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert untranslated == []
    assert fuzzy == []


def test_italian_translations_keep_every_placeholder() -> None:
    wrong = []
    for message in _catalogue("it"):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = sorted(set(PLACEHOLDER.findall(ids[-1])) | set(PLACEHOLDER.findall(ids[0])))
        for string in strings:
            if sorted(set(PLACEHOLDER.findall(string))) != expected:
                wrong.append((ids[0], string))
    assert wrong == []


def test_english_catalogue_has_the_same_messages() -> None:
    italian = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalogue("it") if m.id}
    english = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalogue("en") if m.id}
    assert italian == english


def test_home_page_is_italian_by_default(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="it">' in html
    assert ITALIAN in html
    assert "Rete assistenza familiare" in html
    assert ENGLISH not in html


def test_home_page_in_english_on_request(client: FlaskClient) -> None:
    html = client.get("/?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert ENGLISH in html
    assert ITALIAN not in html


def test_browser_language_does_not_switch_away_from_italian(client: FlaskClient) -> None:
    # A regional service opens in Italian whatever the browser says (core/i18n.py).
    html = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="it">' in html
    assert ITALIAN in html


def test_anonymous_language_choice_is_remembered(client: FlaskClient) -> None:
    first = client.get("/?lang=en", headers={"Accept-Language": "it"})
    assert "carenet_lang=en" in first.headers["Set-Cookie"]
    html = client.get("/", headers={"Accept-Language": "it"}).get_data(as_text=True)
    assert ENGLISH in html
    html = client.get("/?lang=it").get_data(as_text=True)
    assert ITALIAN in html


def test_language_links_keep_the_current_page_and_query(client: FlaskClient) -> None:
    html = client.get("/?page=2&lang=it").get_data(as_text=True)
    assert 'href="/?page=2&amp;lang=en"' in html
    assert 'href="/?page=2&amp;lang=it"' in html
    assert 'aria-current="true"' in html


def test_error_messages_are_translated(client: FlaskClient) -> None:
    html = client.get("/no-such-page").get_data(as_text=True)
    assert "La pagina o il dato richiesto non esiste." in html
