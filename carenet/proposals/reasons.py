"""Why a proposal is declined: the codes a side picks from, with their labels."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

SIDES = ("family", "assistant")
SIDE_LABELS = {"family": _l("The family"), "assistant": _l("The assistant")}

# "other" is for a reason given only in words.
DECLINE_REASONS = {
    "schedule": _l("The hours do not suit"),
    "distance": _l("Too far away"),
    "arrangement": _l("The kind of work does not suit"),
    "profile": _l("The profile does not match the needs"),
    "interview": _l("The interview did not go well"),
    "pay": _l("Pay or contract terms"),
    "unavailable": _l("No longer available"),
    "other": _l("Another reason"),
}

STATUS_LABELS = {
    "draft": _l("Draft"),
    "pending": _l("Waiting for answers"),
    "accepted": _l("Accepted by both"),
    "declined": _l("Declined"),
    "expired": _l("Expired"),
    "withdrawn": _l("Withdrawn"),
}


def split_reason(stored: str) -> tuple[str | None, str]:
    """The reason code and the free text of a stored reason (``"code: words"``)."""
    code, sep, words = (stored or "").partition(":")
    if code in DECLINE_REASONS:
        return code, words.strip() if sep else ""
    return (None, stored or "") if stored else (None, "")


def join_reason(code: str | None, words: str) -> str:
    """The stored form of a reason code and its free text."""
    if code and words:
        return f"{code}: {words}"
    return code or words
