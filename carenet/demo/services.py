"""Loading the demo data set: organizations, demo logins, assistants and care requests.

Rows go in with SQLAlchemy Core bulk inserts and ids assigned here, so that 100,000
assistants and their child rows load in a couple of minutes on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.orm import Session

from carenet.assistants.models import (
    Assistant,
    AssistantCondition,
    AssistantDocument,
    AssistantLanguage,
    AssistantQualification,
)
from carenet.audit.services import record_event
from carenet.auth.models import User
from carenet.care_requests.models import CareRequest, RequestLanguage, RequestQualification
from carenet.core.errors import Conflict, Invalid
from carenet.demo.accounts import DEMO_LOGINS, demo_assistant, demo_family
from carenet.demo.generate import (
    AssistantRecord,
    RequestRecord,
    generate_assistants,
    generate_requests,
)
from carenet.demo.places import OrganizationSpec, Places, organization_specs
from carenet.families.models import CareRecipient, Household, RecipientCondition
from carenet.gazetteer.models import Municipality
from carenet.matchmaking.freshness import mark_all
from carenet.models import metadata
from carenet.organizations.models import Organization, organization_territory

CHUNK = 5000
# Tables whose integer ids the loader assigns itself (PostgreSQL sequences follow them).
ID_TABLES = (
    "assistant",
    "assistant_qualification",
    "assistant_document",
    "household",
    "care_recipient",
    "care_request",
)


@dataclass(frozen=True)
class LoadSummary:
    """What a load created."""

    organizations: int
    users: int
    assistants: int
    requests: int


def existing_data(session: Session) -> dict[str, int]:
    """How many organizations, users, assistants and households the database holds."""
    counts = {}
    for label, model in (
        ("organizations", Organization),
        ("users", User),
        ("assistants", Assistant),
        ("households", Household),
    ):
        counts[label] = session.scalar(sa.select(sa.func.count()).select_from(model)) or 0
    return counts


def _table(model: type[Any]) -> sa.Table:
    return cast(sa.Table, model.__table__)


def _insert(session: Session, model: type[Any] | sa.Table, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` in bulk (nothing for an empty list)."""
    if not rows:
        return
    table = model if isinstance(model, sa.Table) else _table(model)
    if session.get_bind().dialect.name == "postgresql":
        _copy(session, table, rows)
    else:
        session.execute(sa.insert(table), rows)


def _copy(session: Session, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """Write ``rows`` with PostgreSQL's COPY, in the session's transaction.

    psycopg sends an executemany as one INSERT per row, and multi-row INSERTs spend their
    time re-parsing long statements; COPY is several times faster. COPY bypasses
    SQLAlchemy, so column defaults and the UTC timestamp conversion are applied here.
    """
    dialect = session.get_bind().dialect
    columns = list(table.columns)
    fill: list[Callable[[dict[str, Any]], Any]] = [_filler(column, dialect) for column in columns]
    names = ", ".join(f'"{column.name}"' for column in columns)
    raw = session.connection().connection.driver_connection
    assert raw is not None, "a live psycopg connection"
    with raw.cursor() as cursor, cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([f(row) for f in fill])


def _filler(column: sa.Column[Any], dialect: sa.Dialect) -> Callable[[dict[str, Any]], Any]:
    """How to get ``column``'s stored value from a row dict, default included."""
    name = column.name
    default = column.default if isinstance(column.default, sa.ColumnDefault) else None
    decorator = column.type if isinstance(column.type, sa.TypeDecorator) else None

    def value(row: dict[str, Any]) -> Any:
        if name in row:
            result = row[name]
        elif default is None:
            result = None
        elif default.is_callable:
            result = default.arg(None)
        else:
            result = default.arg
        if decorator is not None:
            result = decorator.process_bind_param(result, dialect)
        return result

    return value


class _Ids:
    """Hands out ids after the largest id already in each table (the load runs alone)."""

    def __init__(self, session: Session) -> None:
        self._next: dict[str, int] = {}
        for name in ID_TABLES:
            column = sa.table(name, sa.column("id")).c.id
            self._next[name] = (session.scalar(sa.select(sa.func.max(column))) or 0) + 1

    def take(self, name: str) -> int:
        """The next id of table ``name``."""
        value = self._next[name]
        self._next[name] = value + 1
        return value


def check_can_load(session: Session, places: Places, specs: list[OrganizationSpec]) -> None:
    """Raise unless the municipalities are loaded and no demo code or email is taken."""
    present = session.scalar(
        sa.select(sa.func.count())
        .select_from(Municipality)
        .where(Municipality.istat.in_(places.istat))
    )
    if present != len(places.istat):
        raise Invalid(
            f"The municipality table has {present} of Piemonte's {len(places.istat)} comuni: "
            "run `carenet init` first.",
            {"missing": len(places.istat) - (present or 0)},
        )
    codes = [spec.code for spec in specs]
    taken_codes = session.scalars(
        sa.select(Organization.code).where(Organization.code.in_(codes))
    ).all()
    emails = [login.email for login in DEMO_LOGINS]
    taken_emails = session.scalars(sa.select(User.email).where(User.email.in_(emails))).all()
    if taken_codes or taken_emails:
        taken = sorted(taken_codes) + sorted(taken_emails)
        raise Conflict(
            f"Demo data is already loaded ({', '.join(taken[:3])} exist): "
            "use an empty database, or --if-empty to skip.",
            {"taken": taken},
        )


def load_demo(
    session: Session,
    *,
    places: Places,
    assistants: int,
    requests: int,
    seed: int,
    password_hash: str,
    today: dt.date,
    checkpoint: Callable[[], None],
    progress: Callable[[int], None],
) -> LoadSummary:
    """Create the whole demo data set; ``checkpoint`` is called after each batch.

    The caller decides what a checkpoint does (the CLI commits, so a large load does not
    hold one huge transaction); ``progress`` receives the number of records just written.
    """
    if assistants < 1 or requests < 1:
        raise Invalid(
            f"At least one assistant and one request are needed (got {assistants}, "
            f"{requests}): the first of each belongs to the demo logins.",
            {"fields": {"assistants": [">= 1"], "requests": [">= 1"]}},
        )
    specs = organization_specs(places)
    check_can_load(session, places, specs)
    orgs = _create_organizations(session, specs)
    users = _create_users(session, orgs, password_hash)
    cpi = {spec.province: orgs[spec.code] for spec in specs if spec.kind == "cpi" and spec.province}
    ids = _Ids(session)

    assistant = demo_assistant(places, today)
    assistant.row["user_id"] = users["assistente@carenet.demo"].id
    _insert_assistants(session, ids, [assistant], cpi)
    family = demo_family(places, today)
    family_user = users["famiglia@carenet.demo"]
    family.household["owner_user_id"] = family_user.id
    family.household["created_by_user_id"] = family_user.id
    family.request["created_by_user_id"] = family_user.id
    _insert_requests(session, ids, [family], cpi)
    checkpoint()
    progress(2)  # the demo assistant and the demo family's request

    for batch in generate_assistants(seed, assistants - 1, places, today, chunk=CHUNK):
        _insert_assistants(session, ids, batch, cpi)
        checkpoint()
        progress(len(batch))
    batch_requests = generate_requests(seed, requests - 1, places, today)
    for start in range(0, len(batch_requests), CHUNK):
        chunk = batch_requests[start : start + CHUNK]
        _insert_requests(session, ids, chunk, cpi)
        checkpoint()
        progress(len(chunk))

    _advance_sequences(session)
    # Bulk inserts bypass the ORM's change logging: every process rebuilds its index.
    mark_all(session)
    summary = LoadSummary(len(orgs), len(users), assistants, requests)
    record_event(
        session,
        None,
        "demo.loaded",
        "demo",
        seed,
        {"assistants": assistants, "requests": requests, "organizations": len(orgs)},
    )
    session.flush()
    checkpoint()
    return summary


def _create_organizations(session: Session, specs: list[OrganizationSpec]) -> dict[str, int]:
    """Insert the organizations and their territories; return their ids by code."""
    created = {}
    for spec in specs:
        org = Organization(code=spec.code, kind=spec.kind, name=spec.name)
        session.add(org)
        session.flush()
        created[spec.code] = org.id
    territory = [
        {"organization_id": created[spec.code], "istat": istat}
        for spec in specs
        for istat in spec.territory
    ]
    _insert(session, organization_territory, territory)
    return created


def _create_users(session: Session, orgs: dict[str, int], password_hash: str) -> dict[str, User]:
    """One account per demo login, all with the same (already hashed) password."""
    users = {}
    for login in DEMO_LOGINS:
        user = User(
            email=login.email,
            password_hash=password_hash,
            role=login.role,
            full_name=login.full_name,
            locale="it",
            organization_id=orgs[login.organization] if login.organization else None,
            session_token=secrets.token_hex(32),
        )
        session.add(user)
        users[login.email] = user
    session.flush()
    return users


def _insert_assistants(
    session: Session, ids: _Ids, records: Iterable[AssistantRecord], cpi: dict[str, int]
) -> None:
    """Bulk-insert assistants with their languages, conditions, qualifications, documents."""
    assistants, languages, conditions, qualifications, documents = [], [], [], [], []
    for record in records:
        assistant_id = ids.take("assistant")
        verified_at = record.row["verified_at"]
        org_id = cpi[record.province] if verified_at is not None else None
        assistants.append(
            {
                "user_id": None,
                **record.row,
                "id": assistant_id,
                "verified_by_org_id": org_id,
            }
        )
        languages += [
            {"assistant_id": assistant_id, "language": code, "level": level}
            for code, level in record.languages
        ]
        conditions += [
            {"assistant_id": assistant_id, "condition": code} for code in record.conditions
        ]
        for code, issued_on, expires_on in record.qualifications:
            qualifications.append(
                {
                    "id": ids.take("assistant_qualification"),
                    "assistant_id": assistant_id,
                    "qualification_code": code,
                    "issued_on": issued_on,
                    "expires_on": expires_on,
                    "verified_at": verified_at,
                    "verified_by_org_id": org_id,
                }
            )
        for kind, expires_on in record.documents:
            documents.append(
                {
                    "id": ids.take("assistant_document"),
                    "assistant_id": assistant_id,
                    "kind": kind,
                    "expires_on": expires_on,
                    "verified_at": verified_at,
                    "verified_by_org_id": org_id,
                }
            )
    _insert(session, Assistant, assistants)
    _insert(session, AssistantLanguage, languages)
    _insert(session, AssistantCondition, conditions)
    _insert(session, AssistantQualification, qualifications)
    _insert(session, AssistantDocument, documents)


def _insert_requests(
    session: Session, ids: _Ids, records: Iterable[RequestRecord], cpi: dict[str, int]
) -> None:
    """Bulk-insert households, recipients, their conditions and the care requests."""
    households, recipients, conditions = [], [], []
    requests, qualifications, languages = [], [], []
    for record in records:
        household_id = ids.take("household")
        recipient_id = ids.take("care_recipient")
        request_id = ids.take("care_request")
        households.append(
            {
                "owner_user_id": None,
                "created_by_user_id": None,
                **record.household,
                "id": household_id,
            }
        )
        recipients.append({**record.recipient, "id": recipient_id, "household_id": household_id})
        conditions += [
            {"recipient_id": recipient_id, "condition": code} for code in record.conditions
        ]
        requests.append(
            {
                "created_by_user_id": None,
                **record.request,
                "id": request_id,
                "recipient_id": recipient_id,
                "organization_id": cpi[record.province],
            }
        )
        qualifications += [
            {"request_id": request_id, "qualification_code": code, "is_required": required}
            for code, required in record.qualifications
        ]
        languages += [
            {"request_id": request_id, "language": code, "is_required": required}
            for code, required in record.languages
        ]
    _insert(session, Household, households)
    _insert(session, CareRecipient, recipients)
    _insert(session, RecipientCondition, conditions)
    _insert(session, CareRequest, requests)
    _insert(session, RequestQualification, qualifications)
    _insert(session, RequestLanguage, languages)


def _advance_sequences(session: Session) -> None:
    """Move PostgreSQL's id sequences past the ids assigned here (SQLite needs nothing)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for name in ID_TABLES:
        session.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {name}), false)"
            )
        )


def analyze_tables(session: Session) -> None:
    """Refresh planner statistics for carenet's own tables, and no others.

    ``ANALYZE`` without a table list takes a lock on every table in the database, so it
    could deadlock with another schema's ``TRUNCATE`` on a shared server.
    """
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        # SQLite analyzes one table per statement; its database holds nothing else.
        session.execute(sa.text("ANALYZE"))
        return
    tables = ", ".join(
        bind.dialect.identifier_preparer.quote(table.name) for table in metadata.sorted_tables
    )
    session.execute(sa.text(f"ANALYZE {tables}"))
