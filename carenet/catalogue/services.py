"""Catalogue services: the municipalities table mirrors the shipped gazetteer."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from carenet.assistants.models import Qualification
from carenet.core.errors import Invalid
from carenet.gazetteer import AmbiguousComune, Comune, UnknownComune, get_gazetteer, name_key
from carenet.gazetteer.models import Municipality


def sync_municipalities(session: Session) -> int:
    """Insert or update every comune of the gazetteer; return how many rows changed."""
    existing = {m.istat: m for m in session.scalars(sa.select(Municipality))}
    changed = 0
    rows = []
    for comune in get_gazetteer():
        values = {
            "istat": comune.istat,
            "name": comune.name,
            "name_key": name_key(comune.name),
            "province_code": comune.province_code,
            "province": comune.province,
            "region_code": comune.region_code,
            "region": comune.region,
            "lat": comune.lat,
            "lon": comune.lon,
        }
        current = existing.get(comune.istat)
        if current is None:
            rows.append(values)
            changed += 1
        elif any(getattr(current, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(current, key, value)
            changed += 1
    if rows:
        session.execute(sa.insert(Municipality), rows)
    session.flush()
    return changed


def resolve_comune(value: str, province: str | None = None, field: str = "municipality") -> Comune:
    """Find a comune by ISTAT code or name, or raise ``Invalid`` with suggestions."""
    gazetteer = get_gazetteer()
    text = (value or "").strip()
    try:
        if text.isdigit():
            return gazetteer.get(text.zfill(6))
        return gazetteer.lookup(text, province=province)
    except AmbiguousComune as exc:
        options = [f"{c.name} ({c.province})" for c in exc.candidates]
        raise Invalid(
            f"{text!r} names several comuni: add the province ({', '.join(options)}).",
            {"field": field, "fields": {field: ["ambiguous"]}, "suggestions": options},
        ) from exc
    except UnknownComune as exc:
        suggestions = [f"{c.name} ({c.province})" for c in exc.suggestions]
        hint = f" Did you mean {', '.join(suggestions)}?" if suggestions else ""
        raise Invalid(
            f"Unknown comune {text!r}.{hint}",
            {"field": field, "fields": {field: ["unknown comune"]}, "suggestions": suggestions},
        ) from exc


def list_qualifications(session: Session) -> list[Qualification]:
    """The qualification catalogue, by code."""
    return list(session.scalars(sa.select(Qualification).order_by(Qualification.code)))
