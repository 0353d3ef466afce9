"""The gazetteer: every Italian comune, shipped with the package and read without network.

The data (``data/comuni.csv``, ``data/former.csv``) is built by
``scripts/build_gazetteer.py`` from ISTAT, ANPR, Openpolis and GeoNames data (CC BY 4.0;
see ``data/LICENSE-DATA.md``). Only the stdlib, geopy, unidecode and rapidfuzz are needed
at run time; the files are read on first use and cached.
"""

from __future__ import annotations

from carenet.gazetteer._gazetteer import (
    AmbiguousComune,
    Comune,
    FormerComune,
    Gazetteer,
    Resolution,
    UnknownComune,
    get_gazetteer,
    is_in_italy,
    load_gazetteer,
)
from carenet.gazetteer._geo import distance_km, haversine_km
from carenet.gazetteer._geocoder import OfflineGeocoder
from carenet.gazetteer._names import name_key

__all__ = [
    "AmbiguousComune",
    "Comune",
    "FormerComune",
    "Gazetteer",
    "OfflineGeocoder",
    "Resolution",
    "UnknownComune",
    "distance_km",
    "get_gazetteer",
    "haversine_km",
    "is_in_italy",
    "load_gazetteer",
    "name_key",
]
