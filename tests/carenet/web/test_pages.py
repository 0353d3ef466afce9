"""The public pages: home, health check, navigation by role, error page, docs page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from carenet.audit.models import AuditEvent
from carenet.auth.models import User
from carenet.core.errors import Invalid
from carenet.core.security import CONTENT_SECURITY_POLICY


def test_home_page_uses_bootstrap_italia_and_the_service_name(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "/static/vendor/bootstrap-italia/css/bootstrap-italia.min.css" in html
    assert "/static/vendor/bootstrap-italia/js/bootstrap-italia.bundle.min.js" in html
    assert 'class="it-header-wrapper"' in html
    assert "carenet" in html
    assert 'href="#main"' in html  # skip link
    assert 'id="main"' in html
    assert "CC BY 4.0" in html and "ISTAT" in html
    assert 'href="/api/docs"' in html


def test_pages_have_no_inline_scripts_or_styles(client: FlaskClient) -> None:
    for path in ("/", "/api/docs", "/no-such-page"):
        html = client.get(path).get_data(as_text=True)
        scripts = re.findall(r"<script\b([^>]*)>", html)
        assert scripts, path
        assert all("src=" in attrs for attrs in scripts), (path, scripts)
        assert "<style" not in html, path
        assert not re.search(r"\sstyle=", html), path
        assert not re.search(r"\son[a-z]+=", html), path  # no inline event handlers


def test_pages_load_nothing_from_other_hosts(client: FlaskClient) -> None:
    for path in ("/", "/api/docs"):
        html = client.get(path).get_data(as_text=True)
        loaded = re.findall(r'<(?:script|link|img|iframe)\b[^>]*(?:src|href)="([^"]+)"', html)
        assert loaded, path
        assert [url for url in loaded if not url.startswith("/")] == [], path


def test_docs_page_keeps_the_strict_policy_and_loads_vendored_swagger(
    client: FlaskClient,
) -> None:
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    html = response.get_data(as_text=True)
    for name in ("swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js"):
        assert f"/static/vendor/swagger-ui/{name}" in html
        assert client.get(f"/static/vendor/swagger-ui/{name}").status_code == 200
    assert 'data-spec-url="/api/openapi.json"' in html
    assert client.get("/static/js/api-docs.js").status_code == 200


def test_healthz_checks_the_database(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_healthz_fails_when_the_database_is_unreachable(tmp_path: Any) -> None:
    from carenet import create_app

    broken = create_app(
        {
            "TESTING": True,
            "IGNORE_ENVIRON": True,
            "SECRET_KEY": "x",
            "LOG_LEVEL": "CRITICAL",
            "DATABASE_URL": f"sqlite:///{tmp_path}/missing-dir/none.db",
        }
    )
    response = broken.test_client().get("/healthz", headers={"Accept": "application/json"})
    assert response.status_code == 500
    assert response.get_json()["error"] == "server_error"


def test_anonymous_visitors_see_login_and_register_links(client: FlaskClient, app: Flask) -> None:
    html = client.get("/").get_data(as_text=True)
    with app.test_request_context():
        from flask import url_for

        login, register = url_for("auth.login"), url_for("auth.register")
    assert f'href="{login}"' in html
    assert f'href="{register}"' in html


@pytest.mark.parametrize(
    ("role", "expected", "absent"),
    [
        ("family", ["care_requests.list_requests"], ["assistants.list_assistants"]),
        ("assistant", ["assistants.my_profile"], ["assistants.list_assistants"]),
        ("operator", ["assistants.list_assistants"], ["assistants.my_profile"]),
        ("admin", ["organizations.list_organizations"], ["assistants.my_profile"]),
    ],
)
def test_navigation_depends_on_the_role(
    role: str,
    expected: list[str],
    absent: list[str],
    app: Flask,
    client: FlaskClient,
    factories: Any,
    login_as: Any,
) -> None:
    user = factories.OperatorFactory() if role == "operator" else factories.UserFactory(role=role)
    login_as(user)
    html = client.get("/").get_data(as_text=True)
    nav = html[html.index('id="nav-main"') : html.index("</nav>", html.index('id="nav-main"'))]
    with app.test_request_context():
        from flask import url_for

        for endpoint in expected:
            if endpoint in app.view_functions:
                assert f'href="{url_for(endpoint)}"' in nav, endpoint
        for endpoint in absent:
            if endpoint in app.view_functions:
                assert f'href="{url_for(endpoint)}"' not in nav, endpoint
        assert f'action="{url_for("auth.logout")}"' in html
        assert f'href="{url_for("auth.login")}"' not in nav


def test_url_for_if_skips_endpoints_that_do_not_exist(app: Flask) -> None:
    from carenet.web.helpers import url_for_if

    with app.test_request_context():
        assert url_for_if("web.home") == "/"
        assert url_for_if("nothing.here") is None
        # A registered endpoint missing a required argument is skipped, not an error.
        assert url_for_if("static") is None


def test_error_page_shows_message_fields_and_suggestions(app: Flask) -> None:
    @app.get("/_test/invalid")
    def _invalid() -> str:
        raise Invalid(
            "Unknown comune 'Torrino'.",
            {
                "fields": {"comune": ["unknown comune"], "address": {"street": ["too long"]}},
                "suggestions": ["Torino (TO)", "Torrazza Piemonte (TO)"],
                "limit": 200,
            },
        )

    response = app.test_client().get("/_test/invalid")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Unknown comune &#39;Torrino&#39;." in html
    assert "<strong>comune</strong>: unknown comune" in html
    assert "<strong>address</strong>: street: too long" in html
    assert "<li>Torino (TO)</li>" in html and "<li>Torrazza Piemonte (TO)</li>" in html
    assert 'data-error-code="invalid"' in html
    assert '<dt class="col-sm-3">limit</dt><dd class="col-sm-9">200</dd>' in html


def test_not_found_page_is_styled_and_translated(client: FlaskClient) -> None:
    response = client.get("/no-such-page?lang=en")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "The page or record you asked for does not exist." in html
    assert 'class="it-header-wrapper"' in html
    assert "Back to the home page" in html


def test_logged_in_users_keep_the_language_they_pick(
    client: FlaskClient, factories: Any, login_as: Any, db_session: Session
) -> None:
    user = factories.UserFactory(role="family", locale="it")
    login_as(user)
    assert client.get("/?lang=en").status_code == 200
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in html
    db_session.expire_all()
    assert db_session.get(User, user.id).locale == "en"
    events = db_session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "user.locale_changed")
    ).all()
    assert [(e.actor_user_id, e.data) for e in events] == [(user.id, {"from": "it", "to": "en"})]


def test_an_unsupported_language_changes_nothing(
    client: FlaskClient, factories: Any, login_as: Any, db_session: Session
) -> None:
    user = factories.UserFactory(role="family", locale="it")
    login_as(user)
    html = client.get("/?lang=xx").get_data(as_text=True)
    assert '<html lang="it">' in html
    db_session.expire_all()
    assert db_session.get(User, user.id).locale == "it"


STATIC = Path(__file__).resolve().parents[3] / "carenet" / "static"


def test_vendored_assets_are_served_with_their_licences(client: FlaskClient) -> None:
    for path in (
        "vendor/bootstrap-italia/css/bootstrap-italia.min.css",
        "vendor/bootstrap-italia/css/fonts.css",
        "vendor/bootstrap-italia/js/bootstrap-italia.bundle.min.js",
        "vendor/bootstrap-italia/svg/sprites.svg",
        "vendor/bootstrap-italia/LICENSE",
        "vendor/bootstrap-italia/fonts/Titillium_Web/OFL.txt",
        "vendor/swagger-ui/LICENSE",
    ):
        assert client.get(f"/static/{path}").status_code == 200, path
    fonts_css = (STATIC / "vendor/bootstrap-italia/css/fonts.css").read_text()
    for font in re.findall(r'url\("\.\./fonts/([^"]+)"\)', fonts_css):
        assert (STATIC / "vendor/bootstrap-italia/fonts" / font).is_file(), font
    assert 'font-family:"Titillium Web"' in fonts_css


def test_stylesheets_load_nothing_from_other_hosts() -> None:
    sheets = list(STATIC.rglob("*.css"))
    assert len(sheets) >= 4
    for sheet in sheets:
        text = sheet.read_text(encoding="utf-8")
        assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", text), sheet
        assert "@import" not in text, sheet


def test_families_get_shortcuts_on_the_home_page(
    app: Flask, client: FlaskClient, factories: Any, login_as: Any
) -> None:
    user = factories.UserFactory(role="family", full_name="Maria Rossi")
    login_as(user)
    html = client.get("/").get_data(as_text=True)
    assert "Bentornato/a, Maria Rossi." in html
    shortcuts = html[html.index('data-testid="shortcuts"') :]
    shortcuts = shortcuts[: shortcuts.index("</div>")]
    with app.test_request_context():
        from flask import url_for

        for endpoint in ("families.show_household", "care_requests.list_requests"):
            if endpoint in app.view_functions:
                assert f'href="{url_for(endpoint)}"' in shortcuts, endpoint
        if "auth.account" in app.view_functions:
            assert f'href="{url_for("auth.account")}"' in html
    assert 'data-testid="cta-register"' not in html
