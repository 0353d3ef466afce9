"""What the assistant and request generators share: records and sampling helpers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from carenet.demo.places import Places

KM_PER_DEGREE = 111.2


@dataclass
class AssistantRecord:
    """One synthetic assistant: the ``assistant`` row's values and its child rows."""

    row: dict[str, Any]
    province: str
    languages: list[tuple[str, str]] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)
    # (code, issued_on, expires_on)
    qualifications: list[tuple[str, dt.date, dt.date | None]] = field(default_factory=list)
    # (kind, expires_on)
    documents: list[tuple[str, dt.date]] = field(default_factory=list)


@dataclass
class RequestRecord:
    """One synthetic household with its recipient and care request."""

    household: dict[str, Any]
    recipient: dict[str, Any]
    request: dict[str, Any]
    province: str
    conditions: list[str] = field(default_factory=list)
    # (code, is_required)
    qualifications: list[tuple[str, bool]] = field(default_factory=list)
    languages: list[tuple[str, bool]] = field(default_factory=list)


def choice(
    rng: np.random.Generator, n: int, weights: Sequence[float] | npt.NDArray[np.float64]
) -> npt.NDArray[np.int64]:
    """``n`` indices drawn with the (normalised) ``weights``."""
    p = np.asarray(weights, dtype=np.float64)
    return rng.choice(len(p), size=n, p=p / p.sum())


def jitter(
    rng: np.random.Generator, places: Places, index: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Points spread uniformly over a disc around each chosen comune's centroid."""
    radius = places.jitter_km[index] * np.sqrt(rng.random(index.size))
    angle = rng.random(index.size) * 2 * np.pi
    lat = places.lat[index] + radius * np.sin(angle) / KM_PER_DEGREE
    lon = places.lon[index] + radius * np.cos(angle) / (
        KM_PER_DEGREE * np.cos(np.radians(places.lat[index]))
    )
    return np.round(lat, 5), np.round(lon, 5)


def pick(items: Sequence[str], u: float) -> str:
    """The item at fraction ``u`` in [0, 1) of ``items``."""
    return items[min(int(u * len(items)), len(items) - 1)]
