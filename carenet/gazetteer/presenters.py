"""The comune as other features' responses nest it."""

from __future__ import annotations

from typing import Any

from carenet.gazetteer.models import Municipality


def comune_ref(municipality: Municipality) -> dict[str, Any]:
    """A comune, named (``ComuneRefSchema``)."""
    return {
        "istat": municipality.istat,
        "name": municipality.name,
        "province": municipality.province,
    }
