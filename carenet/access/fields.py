"""Field-level rules: which fields reveal health information, and who may read them.

One table (``FIELD_RULES``: entity -> field -> reader predicate) governs reads and writes
alike, for pages and the API: a projection (``project``) leaves out what the actor may not
read, and a write (``require_writable``) is refused with a 403 naming every such field,
because whoever may not read a field may not write it either (design, section 8).

Health information includes what reveals it: a person's self-sufficiency and conditions;
a request's CCNL level (CS and DS mean a non-self-sufficient person) and the Buono
eligibility derived from it; a required or preferred dementia-care or nursing
qualification (``HEALTH_QUALIFICATIONS``); and, in a proposal, the score components
computed from the person's conditions and the request's level.

A rule may guard a whole field, or only some members of a list or a mapping (``members``):
a request's qualifications stay readable, less the health-revealing codes. A writer who
may not see those members neither sends nor removes them: ``keep_hidden`` carries the
stored ones over into the new value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from carenet.access import policy
from carenet.core.errors import Forbidden

if TYPE_CHECKING:
    from carenet.auth.models import User
    from carenet.families.models import Household


# Qualification codes that reveal the person's health when a request requires or prefers
# them: dementia-care training, and nursing (nurse, OSS and the qualifications OSS
# replaced, ADEST and OTA). Decided once, here; the catalogue needs no flag for it.
HEALTH_QUALIFICATIONS = frozenset({"dementia_care", "nurse", "oss", "adest", "ota"})
# Score components computed from health information: experience with the person's
# conditions, and qualifications (which include the fit with the CCNL level).
HEALTH_COMPONENTS = frozenset({"conditions", "qualifications"})


@dataclass(frozen=True)
class Reader:
    """Who may read one kind of information: for one household (``one``), or for a page
    of households at once (``many``: the ids that pass, in a query or none)."""

    name: str
    one: Callable[[User, Household], bool]
    many: Callable[[Session, User, Sequence[Household]], set[int]]


# Health information: the family owner, and operators of the kinds that need it (brokers
# and assessors) who see the case; never a Comune, the Region or an admin.
HEALTH = Reader("health", policy.can_read_health_summary, policy.health_summary_households)
READERS = (HEALTH,)


@dataclass(frozen=True)
class FieldRule:
    """Who may read (and so write) a field; ``members`` guards only those list items or
    mapping keys, and the rest of the field is for every reader of the record."""

    reader: Reader
    members: frozenset[str] | None = None


FIELD_RULES: Mapping[str, Mapping[str, FieldRule]] = {
    "care_recipient": {
        "self_sufficiency": FieldRule(HEALTH),
        "conditions": FieldRule(HEALTH),
    },
    "care_request": {
        "ccnl_level": FieldRule(HEALTH),
        "buono_domiciliarita": FieldRule(HEALTH),
        "required_qualifications": FieldRule(HEALTH, HEALTH_QUALIFICATIONS),
        "preferred_qualifications": FieldRule(HEALTH, HEALTH_QUALIFICATIONS),
    },
    "proposal": {
        "components": FieldRule(HEALTH, HEALTH_COMPONENTS),
    },
}


class Grants:
    """Which readers an actor passes for each household of a page of records, decided
    once per reader (one query each) instead of once per record."""

    def __init__(self, session: Session, actor: User, households: Iterable[Household]) -> None:
        unique = list({h.id: h for h in households}.values())
        self._ids = {reader: reader.many(session, actor, unique) for reader in READERS}

    def allows(self, reader: Reader, household: Household) -> bool:
        """Whether the actor passes ``reader`` for ``household`` (one of the page's)."""
        return household.id in self._ids[reader]


def _allows(rule: FieldRule, actor: User, household: Household, grants: Grants | None) -> bool:
    if grants is not None:
        return grants.allows(rule.reader, household)
    return rule.reader.one(actor, household)


def hidden_rules(
    actor: User, household: Household, entity: str, grants: Grants | None = None
) -> dict[str, FieldRule]:
    """The rules of ``entity`` whose field (or members) ``actor`` may not read."""
    return {
        name: rule
        for name, rule in FIELD_RULES[entity].items()
        if not _allows(rule, actor, household, grants)
    }


def may_read(actor: User, household: Household, entity: str, field: str) -> bool:
    """Whether ``actor`` may read (and write) ``entity.field`` of ``household``'s case."""
    rule = FIELD_RULES[entity].get(field)
    return rule is None or rule.reader.one(actor, household)


def hidden_members(actor: User, household: Household, entity: str, field: str) -> frozenset[str]:
    """The members of ``entity.field`` that ``actor`` may not read (nor offer, nor send)."""
    rule = FIELD_RULES[entity].get(field)
    if rule is None or rule.members is None or rule.reader.one(actor, household):
        return frozenset()
    return rule.members


def _without(value: Any, members: frozenset[str]) -> Any:
    if isinstance(value, Mapping):
        return {k: v for k, v in value.items() if k not in members}
    return [v for v in value if v not in members]


def project(
    actor: User,
    household: Household,
    entity: str,
    data: Mapping[str, Any],
    grants: Grants | None = None,
) -> dict[str, Any]:
    """``data`` as ``actor`` may read it: guarded fields left out, guarded members removed
    (``grants``: the readers decided once for a page of records)."""
    out = dict(data)
    for name, rule in hidden_rules(actor, household, entity, grants).items():
        if name not in out:
            continue
        if rule.members is None:
            del out[name]
        elif out[name] is not None:
            out[name] = _without(out[name], rule.members)
    return out


def health_fields_shown(entity: str, data: Mapping[str, Any]) -> list[str]:
    """The guarded fields of a projection that carry health information (for the audit)."""
    shown = []
    for name, rule in FIELD_RULES[entity].items():
        value = data.get(name)
        if name not in data or value is None:
            continue
        if rule.members is None or any(m in rule.members for m in value):
            shown.append(name)
    return shown


def _writes_guarded(rule: FieldRule, value: Any) -> bool:
    if rule.members is None:
        return True
    return value is not None and any(m in rule.members for m in value)


def require_writable(
    actor: User, household: Household, entity: str, data: Mapping[str, Any]
) -> None:
    """Forbidden (403), naming each field, when ``data`` writes what ``actor`` may not read.

    A guarded field is refused whatever its value (``null`` included: it would change the
    record); a field with guarded members only when the value holds one of them.
    """
    refused = [
        name
        for name, rule in hidden_rules(actor, household, entity).items()
        if name in data and _writes_guarded(rule, data[name])
    ]
    if refused:
        raise Forbidden(
            _(
                "You may not read these fields, and so may not write them: %(fields)s.",
                fields=", ".join(refused),
            ),
            {"fields": {name: [_("Not yours to read or write.")] for name in refused}},
        )


def keep_hidden(
    actor: User,
    household: Household,
    entity: str,
    data: Mapping[str, Any],
    current: Mapping[str, Iterable[str]],
) -> dict[str, Any]:
    """``data`` with the stored guarded members ``actor`` cannot see carried over, so that a
    change by someone who cannot see them neither adds nor drops them."""
    out = dict(data)
    for name, rule in hidden_rules(actor, household, entity).items():
        if rule.members is not None and name in out and out[name] is not None:
            kept = [m for m in current.get(name, ()) if m in rule.members]
            out[name] = [*out[name], *kept]
    return out
