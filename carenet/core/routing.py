"""URL converters."""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter, Map

# Ids are 32-bit integers in the database; a larger number names nothing (and would
# upset PostgreSQL). URLs (``IdConverter``) and API schemas (``core.api.identifier``) are
# bounded by it, so loaders take ids as they come; text from elsewhere goes through
# ``parse_id``.
MAX_ID = 2**31 - 1


def parse_id(text: str) -> int:
    """An id from text no URL rule or schema bounded (a query argument, a form field):
    ValueError unless a decimal number from 1 to ``MAX_ID``. Fits Werkzeug's
    ``request.args.get(name, type=parse_id)``, which turns the error into None."""
    text = text.strip()
    if not (
        text.isascii()
        and text.isdigit()
        and len(text) <= len(str(MAX_ID))
        and 0 < int(text) <= MAX_ID
    ):
        raise ValueError(f"not an id: {text!r}")
    return int(text)


def id_or_none(text: str | None) -> int | None:
    """``parse_id``, with None for anything that is not an id (an empty choice included)."""
    try:
        return parse_id(text or "")
    except ValueError:
        return None


def digits_up_to(limit: int) -> str:
    """A regular expression matching the decimal numbers from 0 to ``limit``: fewer
    digits than ``limit``, or as many, each prefix at most ``limit``'s."""
    text = str(limit)
    options = [rf"\d{{1,{len(text) - 1}}}"] if len(text) > 1 else []
    for i, digit in enumerate(text):
        rest = len(text) - i - 1
        if rest == 0:
            options.append(f"{text[:i]}[0-{digit}]")
        elif digit != "0":
            options.append(rf"{text[:i]}[0-{int(digit) - 1}]\d{{{rest}}}")
    return "(?:" + "|".join(options) + ")"


class IdConverter(IntegerConverter):
    """``<int:...>`` bounded to the database's integer range, so a huge id is a 404.

    The bound is in the pattern, not only in the conversion: a number that fails the
    conversion makes Werkzeug answer 405 when another method is routed on the same path
    (``PATCH /care-requests/2147483648`` next to its GET), while a path the pattern does
    not match is a plain 404 for every method.
    """

    regex = digits_up_to(MAX_ID)

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
