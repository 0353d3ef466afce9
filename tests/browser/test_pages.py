"""The pages in a real browser: styles, scripts, languages, API docs, login."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PageLog

ITALIAN_TITLE = "Assistenza a domicilio per la Sua famiglia, con assistenti familiari qualificati"
ENGLISH_TITLE = "Home care for your family, with qualified family assistants"


def _shoot(page: Any, screenshot_dir: Path | None, name: str) -> None:
    if screenshot_dir is not None:
        screenshot_dir.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(screenshot_dir / f"{name}.png"), full_page=True)


def test_home_page_renders_with_bootstrap_italia(
    page: Any, page_log: PageLog, screenshot_dir: Path | None
) -> None:
    page.goto("/", wait_until="networkidle")
    expect(page.locator("h1")).to_have_text(ITALIAN_TITLE)
    assert "Titillium Web" in page.evaluate("getComputedStyle(document.body).fontFamily")
    # The font file itself loaded (from the vendored copy), not a fallback.
    assert page.evaluate(
        "document.fonts.ready.then(() => document.fonts.check('16px \"Titillium Web\"'))"
    )
    loaded = page.evaluate(
        "[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)"
    )
    assert any("Titillium Web" in family for family in loaded)
    header = page.evaluate(
        "getComputedStyle(document.querySelector('.it-header-center-wrapper')).backgroundColor"
    )
    assert header == "rgb(0, 102, 204)"  # Bootstrap Italia's primary blue
    _shoot(page, screenshot_dir, "home-it")
    assert page_log.problems() == []


def test_skip_link_is_the_first_focusable_element(page: Any, page_log: PageLog) -> None:
    page.goto("/", wait_until="networkidle")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
    assert page.evaluate("document.activeElement.offsetWidth") > 1  # visible on focus
    assert page_log.problems() == []


def test_language_switch_changes_the_page_text(page: Any, page_log: PageLog) -> None:
    page.goto("/", wait_until="networkidle")
    expect(page.locator("html")).to_have_attribute("lang", "it")
    page.locator("a[data-lang='en']").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("h1")).to_have_text(ENGLISH_TITLE)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    # The choice sticks for the next pages (a cookie), without ?lang= in the address.
    page.goto("/", wait_until="networkidle")
    expect(page.locator("h1")).to_have_text(ENGLISH_TITLE)
    page.locator("a[data-lang='it']").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("h1")).to_have_text(ITALIAN_TITLE)
    assert page_log.problems() == []


def test_mobile_navigation_opens_with_bootstrap_italia_scripts(
    page: Any, page_log: PageLog, screenshot_dir: Path | None
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/", wait_until="networkidle")
    menu = page.locator("#nav-main .navbar-nav")
    expect(menu).not_to_be_visible()
    page.locator(".custom-navbar-toggler").click()
    expect(menu).to_be_visible()
    expect(page.locator(".custom-navbar-toggler")).to_have_attribute("aria-expanded", "true")
    _shoot(page, screenshot_dir, "home-mobile-menu")
    assert page_log.problems() == []


def test_api_docs_page_lists_the_operations(
    page: Any, page_log: PageLog, screenshot_dir: Path | None
) -> None:
    page.goto("/api/docs", wait_until="networkidle")
    operations = page.locator(".opblock")
    expect(operations.first).to_be_visible()
    assert operations.count() > 5
    expect(
        page.locator(".opblock-summary-path", has_text="/api/v1/auth/tokens").first
    ).to_be_visible()
    _shoot(page, screenshot_dir, "api-docs")
    assert [e for e in page_log.console_errors if "Content Security Policy" in e] == []
    assert page_log.problems() == []


def test_not_found_page_is_styled(page: Any, page_log: PageLog) -> None:
    response = page.goto("/no-such-page", wait_until="networkidle")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("La pagina o il dato richiesto non esiste.")
    assert "Titillium Web" in page.evaluate("getComputedStyle(document.body).fontFamily")
    # The page itself is the only 404; its styles and scripts all loaded.
    assert [p for p in page_log.problems() if "/no-such-page" not in p] == []


def _require(app_endpoints: set[str], *endpoints: str) -> None:
    missing = [e for e in endpoints if e not in app_endpoints]
    if missing:
        pytest.skip(f"endpoint not registered yet: {', '.join(missing)}")


@pytest.fixture
def endpoints(app: Any) -> set[str]:
    """The endpoints the application registers."""
    return set(app.view_functions)


def test_login_with_wrong_credentials_shows_an_error(
    page: Any, page_log: PageLog, endpoints: set[str], screenshot_dir: Path | None
) -> None:
    _require(endpoints, "auth.login")
    page.goto("/", wait_until="networkidle")
    page.get_by_test_id("cta-login").click()
    form = page.locator("main form")
    form.get_by_label("Email").fill("nobody@example.org")
    form.get_by_label("Password").fill("not the password")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    alert = page.locator("main .alert-danger")
    expect(alert).to_contain_text("L'email o la password non sono corrette.")
    expect(form.get_by_label("Email")).to_have_value("nobody@example.org")
    _shoot(page, screenshot_dir, "login-error")
    # The rejected login answers 401; nothing else may fail.
    unexpected = [p for p in page_log.problems() if "401" not in p]
    assert unexpected == []


def test_login_shows_the_role_navigation_and_logout_works(
    page: Any, page_log: PageLog, endpoints: set[str], factories: Any
) -> None:
    _require(endpoints, "auth.login", "auth.logout")
    user = factories.UserFactory(role="family", email="famiglia.rossi@example.org")
    page.goto("/", wait_until="networkidle")
    page.get_by_test_id("cta-login").click()
    form = page.locator("main form")
    form.get_by_label("Email").fill(user.email)
    form.get_by_label("Password").fill(factories.PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("current-user")).to_contain_text(user.full_name)
    nav = page.locator("#nav-main")
    if "care_requests.list_requests" in endpoints:
        expect(nav.get_by_role("link", name="Richieste di assistenza")).to_be_visible()
    expect(nav.get_by_role("link", name="Accedi")).to_have_count(0)
    page.locator("header form button[type=submit]").click()  # log out (POST with CSRF)
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("current-user")).to_have_count(0)
    assert page_log.problems() == []
