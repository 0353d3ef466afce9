"""Catalogue services: the municipalities table mirrors the shipped gazetteer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from carenet.assistants.models import Qualification
from carenet.core.errors import Invalid
from carenet.gazetteer import (
    AmbiguousComune,
    Comune,
    FormerComune,
    Resolution,
    UnknownComune,
    get_gazetteer,
    name_key,
)
from carenet.gazetteer.models import Municipality


def sync_municipalities(session: Session) -> int:
    """Insert or update every comune of the gazetteer; return how many rows changed.

    Rows are never deleted: a comune that ceased since its row was written keeps it,
    with its own point and ``successor_istat`` set, so records made before still resolve.
    """
    gazetteer = get_gazetteer()
    existing = {m.istat: m for m in session.scalars(sa.select(Municipality))}
    current: list[dict[str, Any]] = [
        {
            "istat": comune.istat,
            "name": comune.name,
            "name_key": name_key(comune.name),
            "province_code": comune.province_code,
            "province": comune.province,
            "region_code": comune.region_code,
            "region": comune.region,
            "lat": comune.lat,
            "lon": comune.lon,
            "successor_istat": None,
        }
        for comune in gazetteer
    ]
    ceased = [_ceased_values(f, gazetteer.get(f.successor)) for f in gazetteer.formers if f.istat]
    changed = 0
    # Successors first: a ceased row's foreign key points at one of them.
    for batch in (current, ceased):
        rows = []
        for values in batch:
            row = existing.get(values["istat"])
            if row is None:
                rows.append(values)
                changed += 1
            elif any(getattr(row, key) != value for key, value in values.items()):
                for key, value in values.items():
                    setattr(row, key, value)
                changed += 1
        if rows:
            session.execute(sa.insert(Municipality), rows)
        session.flush()
    return changed


def _ceased_values(former: FormerComune, successor: Comune) -> dict[str, Any]:
    """The municipality row of a ceased comune: its own name and point, its successor."""
    return {
        "istat": former.istat,
        "name": former.name,
        "name_key": name_key(former.name),
        "province_code": former.istat[:3],
        "province": former.province,
        "region_code": successor.region_code,
        "region": successor.region,
        "lat": former.lat if former.lat is not None else successor.lat,
        "lon": former.lon if former.lon is not None else successor.lon,
        "successor_istat": successor.istat,
    }


@dataclass(frozen=True)
class ComuneResolution:
    """A comune found by name or code, with a note when it was found by a former name."""

    comune: Comune
    note: str | None = None

    @property
    def istat(self) -> str:
        """The comune's ISTAT code."""
        return self.comune.istat

    @property
    def name(self) -> str:
        """The comune's name."""
        return self.comune.name

    @property
    def label(self) -> str:
        """The comune's name with its province: 'Valdilana (BI)'."""
        return self.comune.label


def former_note(former: FormerComune, successor: Comune) -> str:
    """What became of a former comune, in the request's language."""
    values = {"former": former.name, "comune": successor.label, "year": former.year}
    if former.change == "renamed":
        if former.year:
            return _("%(former)s is now called %(comune)s, since %(year)s.", **values)
        return _("%(former)s is now called %(comune)s.", **values)
    if former.year:
        return _("%(former)s is now part of %(comune)s, since %(year)s.", **values)
    return _("%(former)s is now part of %(comune)s.", **values)


def describe(resolution: Resolution) -> ComuneResolution:
    """A gazetteer resolution with its note written out."""
    if resolution.former is None:
        return ComuneResolution(resolution.comune)
    return ComuneResolution(resolution.comune, former_note(resolution.former, resolution.comune))


def resolve_comune(
    value: str, province: str | None = None, field: str = "municipality"
) -> ComuneResolution:
    """Find a comune by ISTAT code or name, or raise ``Invalid`` with suggestions.

    A former comune's name or code resolves to its successor, with a note that says so.
    """
    gazetteer = get_gazetteer()
    text = (value or "").strip()
    try:
        if text.isdigit():
            return describe(gazetteer.resolve_code(text))
        return describe(gazetteer.resolve(text, province=province))
    except AmbiguousComune as exc:
        options = [c.label for c in exc.candidates]
        raise Invalid(
            _(
                "%(name)s names several comuni: add the province (%(options)s).",
                name=repr(text),
                options=", ".join(options),
            ),
            {"field": field, "fields": {field: ["ambiguous"]}, "suggestions": options},
        ) from exc
    except UnknownComune as exc:
        suggestions = [c.label for c in exc.suggestions]
        message = (
            _(
                "Unknown comune %(name)s. Did you mean %(options)s?",
                name=repr(text),
                options=", ".join(suggestions),
            )
            if suggestions
            else _("Unknown comune %(name)s.", name=repr(text))
        )
        raise Invalid(
            message,
            {"field": field, "fields": {field: ["unknown comune"]}, "suggestions": suggestions},
        ) from exc


def list_qualifications(session: Session) -> list[Qualification]:
    """The qualification catalogue, by code."""
    return list(session.scalars(sa.select(Qualification).order_by(Qualification.code)))
