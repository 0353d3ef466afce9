"""A geopy-compatible geocoder over the shipped comuni (no network).

No request path calls it today: comuni are resolved by the gazetteer's own lookups. It
is kept, tested, for the learning issue, which geocodes free-text places at run time.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Literal, overload

from geopy.geocoders.base import Geocoder
from geopy.location import Location
from geopy.point import Point

from carenet.gazetteer._gazetteer import (
    ITALY_MAX_KM,
    AmbiguousComune,
    Comune,
    Gazetteer,
    UnknownComune,
    get_gazetteer,
)
from carenet.gazetteer._names import name_key

COUNTRY_NAMES = frozenset({"italia", "italy", "it", "ita"})
REVERSE_RESULTS = 5


def _location(comune: Comune, **extra: Any) -> Location:
    """A geopy ``Location`` for a comune; ``raw`` holds the Comune and its fields."""
    raw = {"comune": comune, **dataclasses.asdict(comune), **extra}
    address = f"{comune.name} ({comune.province}), {comune.region}, Italia"
    return Location(address, Point(comune.lat, comune.lon), raw)


class OfflineGeocoder(Geocoder):  # type: ignore[misc]  # geopy ships no type hints
    """A geopy geocoder over the shipped comuni: no network, comune-level precision.

    ``geocode`` resolves a comune name ('Moncalieri', 'Moncalieri (TO)',
    'Moncalieri, TO, Italia') or ISTAT code; ``reverse`` returns the comune whose
    centroid is nearest, or None outside Italy.
    """

    def __init__(self, gazetteer: Gazetteer | None = None, max_km: float = ITALY_MAX_KM) -> None:
        super().__init__(user_agent="carenet-offline")
        self.gazetteer = gazetteer
        self.max_km = max_km

    def _gazetteer(self) -> Gazetteer:
        """The gazetteer given to the constructor, or the shipped one."""
        return self.gazetteer if self.gazetteer is not None else get_gazetteer()

    def _candidates(self, query: str) -> list[Comune]:
        """The comuni a free-text query names, most populous first."""
        gazetteer = self._gazetteer()
        parts = [part.strip() for part in query.split(",") if part.strip()]
        while parts and name_key(parts[-1]) in COUNTRY_NAMES:
            parts.pop()
        if not parts:
            return []
        name, province = parts[0], (parts[1] if len(parts) > 1 else None)
        if name.endswith(")") and "(" in name:
            name, _, province = name[:-1].rpartition("(")
        if province is None and name.isdigit():
            comune = gazetteer.find(name)
            return [comune] if comune is not None else []
        region = None
        if province is not None and gazetteer.province_of(province) is None:
            # 'Moncalieri, Piemonte': the second part names a region, not a province.
            region = gazetteer.region_of(province)
            if region is None:
                return []
            province = None
        try:
            found = [gazetteer.lookup(name, province=province)]
        except AmbiguousComune as exc:
            found = list(exc.candidates)
        except UnknownComune:
            return []
        return [c for c in found if region is None or c.region_code == region]

    @overload
    def geocode(
        self, query: str, exactly_one: Literal[True] = ..., timeout: Any = None
    ) -> Location | None: ...

    @overload
    def geocode(
        self, query: str, exactly_one: Literal[False], timeout: Any = None
    ) -> list[Location] | None: ...

    def geocode(
        self, query: str, exactly_one: bool = True, timeout: Any = None
    ) -> Location | list[Location] | None:
        """The comune named by ``query`` (the most populous when several share the name)."""
        candidates = self._candidates(str(query))
        if not candidates:
            return None
        locations = [_location(c) for c in candidates]
        return locations[0] if exactly_one else locations

    @overload
    def reverse(
        self, query: Any, exactly_one: Literal[True] = ..., timeout: Any = None
    ) -> Location | None: ...

    @overload
    def reverse(
        self, query: Any, exactly_one: Literal[False], timeout: Any = None
    ) -> list[Location] | None: ...

    def reverse(
        self, query: Any, exactly_one: bool = True, timeout: Any = None
    ) -> Location | list[Location] | None:
        """The comune whose centroid is nearest to ``query`` (a Point, '(lat, lon)' or str)."""
        point = Point(query)
        gazetteer = self._gazetteer()
        if not gazetteer.is_in_italy(point.latitude, point.longitude, self.max_km):
            return None
        nearest = gazetteer.nearest(
            point.latitude, point.longitude, 1 if exactly_one else REVERSE_RESULTS
        )
        locations = [_location(c, distance_km=round(km, 3)) for c, km in nearest]
        return locations[0] if exactly_one else locations
