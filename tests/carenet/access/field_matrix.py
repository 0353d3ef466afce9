"""The field-level dimension of the authorization matrix: for every field that holds or
reveals health information (``carenet.access.fields.FIELD_RULES``), who reads it in each
representation (API and pages), and whose write of it is accepted (API and pages,
changes and creations).

Read it as a table: a field, the actors who see it (``readers``) among those who see its
record (``actors``), how each representation shows it, and the writes tried as every
actor; a write counts as accepted when the stored value changed. Whoever may not read a
field may not write it either, so ``writers`` is ``readers`` unless the field is derived
(no writes). The actors are described in ``scenario``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from carenet.care_requests.models import CareRequest
from carenet.families.models import CareRecipient
from tests.carenet.access.matrix import CASE, HEALTH

Ids = Mapping[str, Any]


@dataclass(frozen=True)
class Read:
    """One representation of a field: a GET, and whether the answer shows the field."""

    url: str  # {name} is filled from the scenario's ids
    shows: Callable[[TestResponse], bool]


@dataclass(frozen=True)
class Write:
    """A write of the field: a body (JSON for the API, form data for pages) that would
    change what is stored now; ``stored`` overrides the entry's (e.g. a count, to create)."""

    method: str
    url: str
    body: Callable[[Ids, Any], Any]
    stored: Callable[[Session, Ids], Any] | None = None


@dataclass(frozen=True)
class FieldEntry:
    """Expected readers and writers of one field, and how to read and write it."""

    stored: Callable[[Session, Ids], Any]
    reads: Mapping[str, Read]
    writes: Mapping[str, Write] = field(default_factory=dict)
    readers: tuple[str, ...] = HEALTH
    writers: tuple[str, ...] = HEALTH
    # Who sees the record at all (the route matrix checks everyone else is refused).
    actors: tuple[str, ...] = CASE


def _recipient(session: Session, ids: Ids) -> CareRecipient:
    session.expire_all()
    recipient = session.get(CareRecipient, ids["recipient_id"])
    assert recipient is not None
    return recipient


def _request(session: Session, ids: Ids) -> CareRequest:
    session.expire_all()
    care_request = session.get(CareRequest, ids["request_id"])
    assert care_request is not None
    return care_request


def _count(model: Any) -> Callable[[Session, Ids], int]:
    def count(session: Session, ids: Ids) -> int:
        session.commit()
        return int(session.scalar(sa.select(sa.func.count()).select_from(model)) or 0)

    return count


def _json(response: TestResponse) -> Any:
    return response.get_json()


def _in_text(marker: str) -> Callable[[TestResponse], bool]:
    return lambda response: marker in response.get_data(as_text=True)


def _other(value: Any, first: Any, second: Any) -> Any:
    return second if value == first else first


PERSON = {"first_name": "Ada", "age_band": "85+"}


def _request_form(ids: Ids, **changes: Any) -> dict[str, Any]:
    """The request page's form as the scenario's request fills it (first aid preferred)."""
    return {
        "arrangement": "hourly",
        "schedule": "lun-ven 08:00-12:00",
        "start_date": ids["request_start_date"],
        "max_distance_km": "25",
        "gender_preference": "none",
        "preferred_qualifications": ["first_aid"],
        **changes,
    }


def _new_request(ids: Ids, **changes: Any) -> dict[str, Any]:
    from tests.carenet.access.matrix import care_request

    return {**care_request(ids), **changes}


def _recipient_reads(name: str) -> dict[str, Read]:
    return {
        "api recipient": Read(
            "/api/v1/families/recipients/{recipient_id}", lambda r: name in _json(r)
        ),
        "api household": Read(
            "/api/v1/families/households/{household_id}",
            lambda r: name in _json(r)["recipients"][0],
        ),
        "page household": Read(
            "/families/households/{household_id}", _in_text(f'data-field="{name}"')
        ),
        "page form": Read("/families/recipients/{recipient_id}/edit", _in_text(f'name="{name}"')),
    }


def _request_reads(
    shows: Callable[[Any], bool], marker: str, *, form: str | None = None, listed: bool = False
) -> dict[str, Read]:
    """The request in the API (one, and the list), its page, and where shown its form and
    the list page."""
    reads = {
        "api request": Read("/api/v1/care-requests/{request_id}", lambda r: shows(_json(r))),
        "api list": Read("/api/v1/care-requests", lambda r: shows(_json(r)["items"][0])),
        "page request": Read("/care-requests/{request_id}", _in_text(marker)),
    }
    if listed:
        reads["page list"] = Read("/care-requests", _in_text(marker))
    if form is not None:
        reads["page form"] = Read("/care-requests/{request_id}/edit", _in_text(form))
    return reads


SS = ("partially", "non_self_sufficient")
CREATE_PERSON = {
    "api create": Write(
        "POST",
        "/api/v1/families/households/{household_id}/recipients",
        lambda ids, _v: {**PERSON, "self_sufficiency": "partially", "conditions": ["stroke"]},
        stored=_count(CareRecipient),
    ),
    "page create": Write(
        "POST",
        "/families/households/{household_id}/recipients/new",
        lambda ids, _v: {**PERSON, "self_sufficiency": "partially", "conditions": ["stroke"]},
        stored=_count(CareRecipient),
    ),
}

FIELDS: dict[tuple[str, str], FieldEntry] = {
    # -- the person cared for ---------------------------------------------------------------
    ("care_recipient", "self_sufficiency"): FieldEntry(
        stored=lambda s, ids: _recipient(s, ids).self_sufficiency,
        reads=_recipient_reads("self_sufficiency"),
        writes={
            "api update": Write(
                "PATCH",
                "/api/v1/families/recipients/{recipient_id}",
                lambda ids, v: {"self_sufficiency": _other(v, *SS)},
            ),
            "page update": Write(
                "POST",
                "/families/recipients/{recipient_id}/edit",
                lambda ids, v: {**PERSON, "self_sufficiency": _other(v, *SS)},
            ),
            **CREATE_PERSON,
        },
    ),
    ("care_recipient", "conditions"): FieldEntry(
        stored=lambda s, ids: sorted(c.condition for c in _recipient(s, ids).conditions),
        reads=_recipient_reads("conditions"),
        writes={
            "api update": Write(
                "PATCH",
                "/api/v1/families/recipients/{recipient_id}",
                lambda ids, v: {"conditions": _other(v, ["dementia"], ["stroke"])},
            ),
            "page update": Write(
                "POST",
                "/families/recipients/{recipient_id}/edit",
                lambda ids, v: {
                    **PERSON,
                    "self_sufficiency": "non_self_sufficient",
                    "conditions": _other(v, ["dementia"], ["stroke"]),
                },
            ),
            **CREATE_PERSON,
        },
    ),
    # -- the request: its level (CS/DS mean non-self-sufficient), the Buono derived from
    # it, and health-revealing qualifications (dementia care, nursing) ---------------------
    ("care_request", "ccnl_level"): FieldEntry(
        stored=lambda s, ids: _request(s, ids).ccnl_level,
        reads=_request_reads(
            lambda body: "ccnl_level" in body,
            'data-field="ccnl_level"',
            form='name="ccnl_level"',
            listed=True,
        ),
        writes={
            "api update": Write(
                "PATCH",
                "/api/v1/care-requests/{request_id}",
                lambda ids, v: {"ccnl_level": None if v == "DS" else "DS"},
            ),
            "page update": Write(
                "POST",
                "/care-requests/{request_id}/edit",
                lambda ids, v: _request_form(ids, ccnl_level="" if v == "DS" else "DS"),
            ),
            "api create": Write(
                "POST",
                "/api/v1/care-requests",
                lambda ids, _v: _new_request(ids, ccnl_level="DS"),
                stored=_count(CareRequest),
            ),
        },
    ),
    ("care_request", "buono_domiciliarita"): FieldEntry(
        stored=lambda s, ids: None,
        reads=_request_reads(lambda body: "buono_domiciliarita" in body, 'data-testid="buono"'),
        writers=(),  # derived from the level: nobody writes it
    ),
    ("care_request", "preferred_qualifications"): FieldEntry(
        stored=lambda s, ids: _request(s, ids).qualification_codes(required=False),
        reads=_request_reads(
            lambda body: "dementia_care" in body["preferred_qualifications"],
            "dementia_care",
            form='value="dementia_care"',
        ),
        writes={
            # Without dementia care: its readers drop it; the others cannot, it is kept.
            "api update": Write(
                "PATCH",
                "/api/v1/care-requests/{request_id}",
                lambda ids, v: {
                    "preferred_qualifications": ["first_aid"]
                    if "dementia_care" in v
                    else ["dementia_care", "first_aid"]
                },
            ),
            "page update": Write(
                "POST",
                "/care-requests/{request_id}/edit",
                lambda ids, v: _request_form(
                    ids,
                    preferred_qualifications=["first_aid"]
                    if "dementia_care" in v
                    else ["dementia_care", "first_aid"],
                ),
            ),
        },
    ),
    ("care_request", "required_qualifications"): FieldEntry(
        stored=lambda s, ids: _request(s, ids).qualification_codes(required=True),
        # The scenario's request requires nothing; a nursing requirement is written below.
        reads={
            "page form": Read("/care-requests/{request_id}/edit", _in_text('value="nurse"')),
        },
        writes={
            "api update": Write(
                "PATCH",
                "/api/v1/care-requests/{request_id}",
                lambda ids, v: {"required_qualifications": [] if "nurse" in v else ["nurse"]},
            ),
            "page update": Write(
                "POST",
                "/care-requests/{request_id}/edit",
                lambda ids, v: _request_form(
                    ids, required_qualifications=[] if "nurse" in v else ["nurse"]
                ),
            ),
            "api create": Write(
                "POST",
                "/api/v1/care-requests",
                lambda ids, _v: _new_request(ids, required_qualifications=["dementia_care"]),
                stored=_count(CareRequest),
            ),
        },
    ),
    # -- a proposal's score components computed from health information --------------------
    ("proposal", "components"): FieldEntry(
        stored=lambda s, ids: None,
        reads={
            "api proposal": Read(
                "/api/v1/proposals/{proposal_id}",
                lambda r: {"conditions", "qualifications"} <= set(_json(r)["components"]),
            ),
            "api list": Read(
                "/api/v1/care-requests/{request_id}/proposals",
                lambda r: (
                    all("conditions" in p["components"] for p in _json(r)["items"])
                    and bool(_json(r)["items"])
                ),
            ),
        },
        writers=(),  # computed by the engine
    ),
}
