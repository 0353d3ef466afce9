"""Comuni as the catalogue API shows them."""

from __future__ import annotations

from typing import Any

from carenet.catalogue.services import ComuneResolution


def present_comune(resolution: ComuneResolution, *, neighbours: bool = False) -> dict[str, Any]:
    """A comune with its province and region; its neighbours' codes only in the detail
    (the autocomplete list never showed them)."""
    comune = resolution.comune
    out: dict[str, Any] = {
        "istat": comune.istat,
        "name": comune.name,
        "label": comune.label,
        "province": comune.province,
        "province_name": comune.province_name,
        "region_code": comune.region_code,
        "region": comune.region,
        "lat": comune.lat,
        "lon": comune.lon,
        "note": resolution.note,
    }
    if neighbours:
        out["neighbours"] = list(comune.neighbours)
    return out
