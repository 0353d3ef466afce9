"""One rule for a list page's ``?page=`` and its page count (carenet/web/helpers.py)."""

from __future__ import annotations

import pytest
from flask import Flask

from carenet.core.api import MAX_PAGE
from carenet.web.helpers import page_count, requested_page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", 1),
        ("?page=3", 3),
        ("?page=abc", 1),
        ("?page=0", 1),
        ("?page=-4", 1),
        (f"?page={10**12}", MAX_PAGE),
    ],
)
def test_the_requested_page_is_a_page_that_exists_in_range(
    app: Flask, query: str, expected: int
) -> None:
    with app.test_request_context(f"/notifications{query}"):
        assert requested_page() == expected


@pytest.mark.parametrize(("total", "expected"), [(0, 1), (1, 1), (20, 1), (21, 2), (40, 2)])
def test_the_page_count_rounds_up_and_is_never_zero(total: int, expected: int) -> None:
    assert page_count(total, 20) == expected
