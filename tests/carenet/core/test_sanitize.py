"""One input sanitiser for pages and API alike (issue 10, item 9): NUL, terminal control
characters (C0 and C1) and unpaired surrogates are refused, a tab or a newline only in
multi-line fields; line ends and Unicode forms are normalised."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from carenet.families.models import Household
from tests.carenet.families.helpers import World, bearer, login

REFUSED = ["A\x00B", "A\x1b[2JB", "A\x07", "A\x7f", "A\x85B", "A\x9bB", "A\ud800B"]
SINGLE_LINE_ONLY = ["A\nB", "A\tB", "A\r\nB"]


@pytest.mark.parametrize("value", REFUSED)
def test_control_characters_are_refused_everywhere(value: str) -> None:
    from carenet.core.sanitize import UnsafeText, clean_text

    for multiline in (False, True):
        with pytest.raises(UnsafeText):
            clean_text(value, multiline=multiline)


@pytest.mark.parametrize("value", SINGLE_LINE_ONLY)
def test_tabs_and_newlines_only_where_several_lines_are_allowed(value: str) -> None:
    from carenet.core.sanitize import UnsafeText, clean_text

    with pytest.raises(UnsafeText):
        clean_text(value)
    assert "\r" not in clean_text(value, multiline=True)


def test_normalised() -> None:
    from carenet.core.sanitize import clean_text

    assert clean_text("Nicolo\u0300") == "Nicol\u00f2"
    assert clean_text("a\r\nb\rc", multiline=True) == "a\nb\nc"
    assert clean_text("Ana Popescu, Via Roma 1") == "Ana Popescu, Via Roma 1"


def _household_form(world: World, **changes: str) -> dict[str, str]:
    return {
        "contact_name": "Anna Rossi",
        "phone": "011 555 1234",
        "municipality": "Torino",
        "province": "TO",
        "address": "Via Roma 1",
        **changes,
    }


@pytest.mark.parametrize("value", [*REFUSED[:-1], *SINGLE_LINE_ONLY])
def test_the_household_edit_page_refuses_what_the_api_refuses(
    client: FlaskClient, db_session: Session, world: World, value: str
) -> None:
    household = world.household_torino
    before = household.contact_name
    api = client.patch(
        f"/api/v1/families/households/{household.id}",
        json={"contact_name": value},
        headers=bearer(db_session, world.family_torino),
    )
    assert api.status_code == 422, api.get_json()
    assert "contact_name" in api.get_json()["details"]["fields"]
    login(client, world.family_torino)
    page = client.post(
        f"/families/households/{household.id}/edit",
        data=_household_form(world, contact_name=value),
    )
    assert page.status_code == 422, page.text
    db_session.expire_all()
    assert db_session.get(Household, household.id).contact_name == before


def test_pages_and_api_accept_the_same_multi_line_text(
    client: FlaskClient, db_session: Session, world: World, factories: Any
) -> None:
    request = factories.CareRequestFactory(recipient=world.recipient_torino, status="draft")
    notes = "Line one\r\n\tLine two"
    api = client.patch(
        f"/api/v1/care-requests/{request.id}",
        json={"notes": notes},
        headers=bearer(db_session, world.family_torino),
    )
    assert api.status_code == 200, api.get_json()
    assert api.get_json()["notes"] == "Line one\n\tLine two"
    refused = client.patch(
        f"/api/v1/care-requests/{request.id}",
        json={"notes": "bell\x07"},
        headers=bearer(db_session, world.family_torino),
    )
    assert refused.status_code == 422


def test_every_page_form_uses_the_sanitising_base() -> None:
    import importlib
    import pkgutil

    from flask_wtf import FlaskForm

    import carenet
    from carenet.core.forms import CarenetForm

    for module in pkgutil.walk_packages(carenet.__path__, "carenet."):
        if module.name.endswith(".forms") or module.name.endswith(".views"):
            importlib.import_module(module.name)

    def subclasses(cls: type) -> list[type]:
        return [c for s in cls.__subclasses__() for c in (s, *subclasses(s))]

    strays = [
        f"{c.__module__}.{c.__qualname__}"
        for c in subclasses(FlaskForm)
        if c.__module__.startswith("carenet.") and not issubclass(c, CarenetForm)
    ]
    assert strays == []


def test_the_api_cleans_texts_inside_lists_and_names_the_field(
    client: FlaskClient, db_session: Session, world: World, factories: Any
) -> None:
    request = factories.CareRequestFactory(recipient=world.recipient_torino, status="draft")
    response = client.patch(
        f"/api/v1/care-requests/{request.id}",
        json={"required_languages": ["it", "r\x1bo"]},
        headers=bearer(db_session, world.family_torino),
    )
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["details"]["fields"] == {
        "required_languages": {"1": ["Control characters are not allowed."]}
    }


def test_every_api_blueprint_uses_the_sanitising_parser(app: Any) -> None:
    import flask_smorest

    from carenet.core.api import Blueprint

    api = [b for b in app.blueprints.values() if isinstance(b, flask_smorest.Blueprint)]
    assert api and all(isinstance(b, Blueprint) for b in api), [b.name for b in api]
