"""A real server (gunicorn) and Debian's Chromium driven by Playwright.

Playwright's own browser downloads are never used: the tests launch /usr/bin/chromium and
are skipped, with the reason, when it is not installed. Every request the page makes is
intercepted: anything not addressed to the test server is aborted and reported.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.carenet.web.catalogues import compile_catalogues
from tests.servers import gunicorn

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REPO = Path(__file__).resolve().parents[2]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test here as a browser test; skip them all without Chromium."""
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.commits)  # gunicorn serves what the test writes
            if not CHROMIUM.exists():
                item.add_marker(
                    pytest.mark.skip(
                        reason="Debian's chromium is not installed (apt-get install chromium)"
                    )
                )


@pytest.fixture(scope="session")
def live_server(migrated_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The application under gunicorn on a free local port; yields its base URL."""
    compile_catalogues()
    with gunicorn(migrated_database, tmp_path_factory.mktemp("browser-instance"), workers=2) as url:
        yield url


@pytest.fixture(scope="package")
def browser(live_server: str) -> Iterator[Any]:
    """Debian's Chromium, headless, for the tests of this package only.

    Started after the server (and its database set-up) and stopped when this package's
    tests end: Playwright's sync API keeps an event loop running in this thread, and the
    rest of the suite (schemathesis's WSGI calls through asgiref) cannot run beside one.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@dataclass
class PageLog:
    """What happened while a page was open."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    error_responses: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        """Everything that should not happen on a healthy page."""
        return [
            *self.console_errors,
            *self.page_errors,
            *self.failed_requests,
            *self.error_responses,
            *self.external_requests,
        ]


@pytest.fixture
def page_log() -> PageLog:
    """The record of the current test's page."""
    return PageLog()


@pytest.fixture
def page(browser: Any, live_server: str, page_log: PageLog) -> Iterator[Any]:
    """A fresh browser context on the live server, with everything it does recorded."""
    context = browser.new_context(
        base_url=live_server, locale="it-IT", viewport={"width": 1280, "height": 900}
    )
    server_host = urlsplit(live_server).netloc

    def guard(route: Any) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in {"data", "blob"} or parts.netloc == server_host:
            route.continue_()
        else:
            page_log.external_requests.append(f"external request: {url}")
            route.abort()

    context.route("**/*", guard)
    tab = context.new_page()
    tab.on(
        "console",
        lambda msg: (
            msg.type == "error"
            and page_log.console_errors.append(f"console: {msg.text} at {msg.location.get('url')}")
        ),
    )
    tab.on("pageerror", lambda exc: page_log.page_errors.append(f"page error: {exc}"))
    tab.on(
        "requestfailed",
        lambda req: page_log.failed_requests.append(f"failed: {req.url} {req.failure}"),
    )
    tab.on(
        "response",
        lambda resp: (
            resp.status >= 400
            and page_log.error_responses.append(f"HTTP {resp.status}: {resp.url}")
        ),
    )
    yield tab
    context.close()


@pytest.fixture
def screenshot_dir() -> Path | None:
    """Where to save screenshots (``SCREENSHOTS_DIR``), or None to save none."""
    value = os.environ.get("SCREENSHOTS_DIR")
    return Path(value) if value else None
