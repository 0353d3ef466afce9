"""Automated accessibility checks (axe-core, WCAG 2.1 A and AA rules) of the main pages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
SERIOUS = {"serious", "critical"}


@pytest.fixture
def axe_page(browser: Any, live_server: str) -> Iterator[Any]:
    """A page that may inject axe-core: the test context bypasses the site's CSP for it."""
    context = browser.new_context(base_url=live_server, locale="it-IT", bypass_csp=True)
    yield context.new_page()
    context.close()


def _violations(page: Any) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in SERIOUS
    ]


@pytest.mark.parametrize("path", ["/", "/?lang=en", "/no-such-page"])
def test_public_pages_have_no_serious_accessibility_violations(axe_page: Any, path: str) -> None:
    axe_page.goto(path, wait_until="networkidle")
    assert _violations(axe_page) == []


def test_login_page_has_no_serious_accessibility_violations(axe_page: Any, app: Any) -> None:
    if "auth.login" not in app.view_functions:
        pytest.skip("endpoint not registered yet: auth.login")
    axe_page.goto("/login", wait_until="networkidle")
    assert _violations(axe_page) == []


def test_the_checker_reports_a_broken_page(axe_page: Any) -> None:
    axe_page.goto("/", wait_until="networkidle")
    axe_page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', "
        '\'<img src="/static/img/favicon.svg"><input type="text">\')'
    )
    found = _violations(axe_page)
    assert any(v.startswith("image-alt") for v in found)
    assert any(v.startswith("label") for v in found)
