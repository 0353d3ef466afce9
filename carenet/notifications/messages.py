"""The text of each kind of notification, rendered in a given language.

A message is a title and a body with ``%(name)s`` placeholders filled from the
notification's ``data``; a missing value renders empty. A feature that sends a new kind
adds it to ``MESSAGES``; an unknown kind still renders, with a generic text. Data must
never carry health information: it is shown in the bell and sent by e-mail.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask_babel import force_locale, format_date, format_datetime
from flask_babel import lazy_gettext as _l

from carenet.core.vocab import DOCUMENT_KIND_LABELS

MESSAGES: dict[str, tuple[Any, Any]] = {
    "proposal.new": (
        _l("New proposal"),
        _l("You have a new proposal %(reference)s. Open it to accept or decline."),
    ),
    "proposal.accepted": (
        _l("Proposal accepted"),
        _l("Proposal %(reference)s was accepted by %(by)s."),
    ),
    "proposal.declined": (
        _l("Proposal declined"),
        _l("Proposal %(reference)s was declined by %(by)s."),
    ),
    "proposal.expired": (
        _l("Proposal expired"),
        _l("Proposal %(reference)s expired without an answer."),
    ),
    "proposal.withdrawn": (
        _l("Proposal withdrawn"),
        _l("Proposal %(reference)s was withdrawn by the operator."),
    ),
    "proposal.interview": (
        _l("Interview arranged"),
        _l("An interview for proposal %(reference)s is arranged for %(interview_at)s."),
    ),
    "referral.new": (
        _l("New referral"),
        _l("%(organization)s referred a case to your organization."),
    ),
    "referral.updated": (
        _l("Referral updated"),
        _l("The referral %(reference)s is now %(status)s."),
    ),
    "placement.started": (
        _l("Placement started"),
        _l("The placement %(reference)s has started."),
    ),
    "placement.ended": (
        _l("Placement ended"),
        _l("The placement %(reference)s has ended."),
    ),
    "qualification.expiring": (
        _l("Qualification expiring"),
        _l(
            "Your qualification %(qualification)s expires on %(expires_on)s. "
            "Renew it and update your profile to keep being proposed."
        ),
    ),
    "document.expiring": (
        _l("Residence permit expiring"),
        _l(
            "Your %(document)s expires on %(expires_on)s. "
            "Renew it and update your profile to keep being proposed."
        ),
    ),
    "job.done": (_l("Job finished"), _l("The job %(reference)s is finished.")),
    "job.failed": (_l("Job failed"), _l("The job %(reference)s failed.")),
}
# Who answered a proposal, as a word of the reader's language.
SIDE_LABELS = {"family": _l("the family"), "assistant": _l("the assistant")}
GENERIC = (_l("New notification"), _l("You have a new notification on carenet."))


class _Values(dict[str, Any]):
    """Placeholder values; a missing one renders empty instead of failing."""

    def __missing__(self, key: str) -> str:
        return ""


@dataclass(frozen=True)
class RenderedMessage:
    """A notification's title and body in one language."""

    title: str
    body: str


def _values(data: dict[str, Any]) -> _Values:
    values = _Values({k: v for k, v in data.items() if isinstance(v, str | int | float)})
    expires_on = data.get("expires_on")
    if isinstance(expires_on, str):
        with contextlib.suppress(ValueError):
            values["expires_on"] = format_date(dt.date.fromisoformat(expires_on), "long")
    if data.get("by") in SIDE_LABELS:
        values["by"] = str(SIDE_LABELS[data["by"]])
    interview_at = data.get("interview_at")
    if isinstance(interview_at, str):
        with contextlib.suppress(ValueError):
            values["interview_at"] = format_datetime(
                dt.datetime.fromisoformat(interview_at), "medium"
            )
    document = data.get("document_kind")
    if document in DOCUMENT_KIND_LABELS:
        values["document"] = str(DOCUMENT_KIND_LABELS[document]).lower()
    return values


def render(kind: str, data: dict[str, Any], locale: str | None = None) -> RenderedMessage:
    """The title and body of a ``kind`` notification, in ``locale`` or the current one."""
    if locale is not None:
        with force_locale(locale):
            return render(kind, data)
    title, body = MESSAGES.get(kind, GENERIC)
    values = _values(data or {})
    try:
        text = str(body) % values
    except (TypeError, ValueError):
        text = str(GENERIC[1])
    return RenderedMessage(title=str(title), body=text)
