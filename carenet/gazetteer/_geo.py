"""Distances and an exact nearest-point search over comune centroids, stdlib only."""

from __future__ import annotations

import bisect
import heapq
import math
from collections.abc import Sequence
from typing import Protocol

from geopy.distance import geodesic

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG), as geopy's great_circle uses
KM_PER_DEGREE_LAT = math.pi * EARTH_RADIUS_KM / 180.0


class HasLatLon(Protocol):
    """Anything with ``lat`` and ``lon`` in degrees (a ``Comune``)."""

    @property
    def lat(self) -> float: ...

    @property
    def lon(self) -> float: ...


LatLon = HasLatLon | tuple[float, float]


def as_lat_lon(point: LatLon) -> tuple[float, float]:
    """The (lat, lon) pair of a comune or of a (lat, lon) tuple."""
    if isinstance(point, tuple):
        return float(point[0]), float(point[1])
    return point.lat, point.lon


def haversine_km(a: LatLon, b: LatLon) -> float:
    """Great-circle distance in km on a sphere: cheap, within 0.5% of the geodesic."""
    lat1, lon1 = map(math.radians, as_lat_lon(a))
    lat2, lon2 = map(math.radians, as_lat_lon(b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def distance_km(a: LatLon, b: LatLon) -> float:
    """Geodesic distance in km on the WGS84 ellipsoid (geopy), for showing to people."""
    km: float = geodesic(as_lat_lon(a), as_lat_lon(b)).km
    return km


class PointIndex:
    """Exact k-nearest search by haversine over points kept sorted by latitude.

    Walks outwards from the query's latitude and stops once the latitude gap alone is
    longer than the k-th best distance: along a meridian is the shortest way to cover a
    latitude gap, so no point further out can be closer.
    """

    def __init__(self, points: Sequence[tuple[float, float]]) -> None:
        order = sorted(range(len(points)), key=lambda i: (points[i][0], points[i][1], i))
        self._order = order
        self._lats = [points[i][0] for i in order]
        self._points = [points[i] for i in order]

    def __len__(self) -> int:
        return len(self._points)

    def nearest(self, lat: float, lon: float, k: int = 1) -> list[tuple[int, float]]:
        """The ``k`` nearest points as (position in the input, distance km), nearest first."""
        if k < 1 or not self._points:
            return []
        query = (lat, lon)
        best: list[tuple[float, int]] = []  # max-heap of the k best, as (-distance, -index)
        below = bisect.bisect_left(self._lats, lat) - 1
        above = below + 1
        size = len(self._points)
        while below >= 0 or above < size:
            gap_below = (lat - self._lats[below]) if below >= 0 else math.inf
            gap_above = (self._lats[above] - lat) if above < size else math.inf
            if gap_below <= gap_above:
                position, gap = below, gap_below
                below -= 1
            else:
                position, gap = above, gap_above
                above += 1
            if len(best) == k and gap * KM_PER_DEGREE_LAT > -best[0][0]:
                break
            distance = haversine_km(query, self._points[position])
            item = (-distance, -self._order[position])
            if len(best) < k:
                heapq.heappush(best, item)
            elif item > best[0]:
                heapq.heapreplace(best, item)
        return sorted(((-i, -d) for d, i in best), key=lambda pair: (pair[1], pair[0]))

    def nearest_brute_force(self, lat: float, lon: float, k: int = 1) -> list[tuple[int, float]]:
        """The same answer as ``nearest`` by measuring every point (for tests)."""
        distances = [
            (self._order[p], haversine_km((lat, lon), point))
            for p, point in enumerate(self._points)
        ]
        return sorted(distances, key=lambda pair: (pair[1], pair[0]))[:k]
