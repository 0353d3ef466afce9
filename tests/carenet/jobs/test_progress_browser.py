"""The job page's progress bar in a real browser (Debian's Chromium, gunicorn).

The page's script polls the API; the test moves the job forward in the database, as a
worker would, and watches the bar follow. Skipped without /usr/bin/chromium.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from carenet.jobs.models import Job
from tests.servers import gunicorn

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian's chromium is not installed (apt-get install chromium)",
    ),
    # gunicorn serves what the test writes: real commits.
    pytest.mark.commits,
]


def _move(db_session: Session, job_id: int, **values: Any) -> None:
    job = db_session.get(Job, job_id)
    assert job is not None
    for name, value in values.items():
        setattr(job, name, value)
    db_session.commit()


def test_the_bar_follows_the_job_until_it_fails_with_its_message(
    migrated_database: str, tmp_path: Path, db_session: Session, factories: Any
) -> None:
    from playwright.sync_api import expect, sync_playwright

    user = factories.OperatorFactory(locale="en")
    job = Job(
        kind="test.count",
        status="running",
        done=1,
        total=4,
        params={},
        result={},
        error="",
        created_by_user_id=user.id,
        organization_id=user.organization_id,
    )
    db_session.add(job)
    db_session.commit()
    problems: list[str] = []
    with gunicorn(migrated_database, tmp_path) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox"], headless=True
        )
        try:
            page = browser.new_context(base_url=url).new_page()
            page.set_default_timeout(10_000)
            page.on("console", lambda m: m.type == "error" and problems.append(m.text))
            page.on("pageerror", lambda exc: problems.append(str(exc)))
            page.goto("/login")
            form = page.locator("main form")
            form.get_by_label("Email").fill(user.email)
            form.get_by_label("Password").fill(factories.PASSWORD)
            form.locator("button[type=submit]").click()
            page.wait_for_load_state("networkidle")

            page.goto(f"/jobs/{job.id}")
            bar = page.locator("#job-progress .progress-bar")
            expect(bar).to_have_attribute("aria-valuenow", "25")
            assert page.evaluate("document.querySelector('.progress-bar').style.width") == "25%"

            _move(db_session, job.id, done=3)
            expect(bar).to_have_attribute("aria-valuenow", "75", timeout=5000)
            expect(page.locator("[data-field=steps]")).to_contain_text("3")

            _move(db_session, job.id, status="failed", error="No request is waiting.")
            error = page.locator("#job-progress [data-field=error]")
            expect(error).to_be_visible(timeout=5000)
            expect(error).to_have_text("No request is waiting.")
            expect(page.locator("#job-progress")).to_have_attribute("data-status", "failed")
        finally:
            browser.close()
    assert problems == []  # no CSP violation, no script error
