"""Distances, the nearest-centroid search and the 'is it in Italy' check."""

from __future__ import annotations

import random

import pytest

from carenet.gazetteer import Gazetteer, distance_km, get_gazetteer, haversine_km, is_in_italy
from carenet.gazetteer._geo import PointIndex


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return get_gazetteer()


def test_geodesic_distance_torino_milano(gazetteer: Gazetteer) -> None:
    torino, milano = gazetteer.lookup("Torino"), gazetteer.lookup("Milano")
    assert 125 <= distance_km(torino, milano) <= 127
    assert distance_km(torino, milano) == pytest.approx(distance_km(milano, torino))
    assert distance_km((45.0, 7.0), (45.0, 7.0)) == 0


def test_haversine_is_close_to_the_geodesic(gazetteer: Gazetteer) -> None:
    torino, palermo = gazetteer.lookup("Torino"), gazetteer.lookup("Palermo")
    geodesic = distance_km(torino, palermo)
    assert haversine_km(torino, palermo) == pytest.approx(geodesic, rel=0.005)
    assert haversine_km((45.0, 7.0), (46.0, 7.0)) == pytest.approx(111.19, abs=0.01)


def test_sorted_search_matches_brute_force() -> None:
    rng = random.Random(20231)
    points = [(rng.uniform(36, 47), rng.uniform(6.5, 18.5)) for _ in range(2000)]
    points += points[:50]  # duplicates: ties must break the same way
    index = PointIndex(points)
    for _ in range(60):
        lat, lon = rng.uniform(34, 48), rng.uniform(5, 20)
        expected = index.nearest_brute_force(lat, lon, 10)
        for k in (1, 3, 10):
            assert index.nearest(lat, lon, k) == expected[:k]
    assert PointIndex([]).nearest(45.0, 7.0) == []


def test_nearest_comune(gazetteer: Gazetteer) -> None:
    torino = gazetteer.lookup("Torino")
    [(comune, km)] = gazetteer.nearest(torino.lat, torino.lon)
    assert comune == torino and km == 0
    five = gazetteer.nearest(torino.lat, torino.lon, k=5)
    assert five[0][0] == torino
    assert [km for _, km in five] == sorted(km for _, km in five)


@pytest.mark.parametrize(
    ("lat", "lon", "expected"),
    [
        (45.0703, 7.6869, True),  # Torino
        (35.5070, 12.6040, True),  # Lampedusa
        (46.4600, 8.4300, True),  # Formazza, Piemonte's northern tip
        (41.9028, 12.4964, True),  # Roma
        (42.1500, 9.1000, False),  # Corsica: inside the box, > 60 km from any comune
        (48.8566, 2.3522, False),  # Paris
        (0.0, 0.0, False),
        (37.0, 11.0, False),  # the sea off Cap Bon, Tunisia
        (36.8, 10.2, False),  # Tunis
        (float("nan"), 7.0, False),
    ],
)
def test_is_in_italy(lat: float, lon: float, expected: bool) -> None:
    assert is_in_italy(lat, lon) is expected
