"""Great-circle distances on a spherical earth."""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

#: Mean earth radius in km (IUGG R1 = (2a + b) / 3 of WGS84), used for every ranking distance.
EARTH_RADIUS_KM: Final = 6371.0088


def unit_vectors(lat: npt.ArrayLike, lon: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Unit vectors of points on the sphere.

    Parameters
    ----------
    lat, lon : array_like, shape (n,)
        Degrees.

    Returns
    -------
    ndarray of float64, shape (n, 3)
    """
    la = np.radians(np.asarray(lat, dtype=np.float64))
    lo = np.radians(np.asarray(lon, dtype=np.float64))
    c = np.cos(la)
    return np.stack([c * np.cos(lo), c * np.sin(lo), np.sin(la)], axis=-1)


def chord_to_km(chord: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Great-circle km from chord lengths on the unit sphere, shape preserved."""
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.minimum(chord * 0.5, 1.0))


def haversine_km(
    lat1: npt.ArrayLike, lon1: npt.ArrayLike, lat2: npt.ArrayLike, lon2: npt.ArrayLike
) -> npt.NDArray[np.float64]:
    """Haversine distance in km between points given in degrees (broadcasting)."""
    p1 = np.radians(np.asarray(lat1, dtype=np.float64))
    p2 = np.radians(np.asarray(lat2, dtype=np.float64))
    dp = p2 - p1
    dl = np.radians(np.asarray(lon2, dtype=np.float64) - np.asarray(lon1, dtype=np.float64))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return np.asarray(2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(a, 1.0))))
