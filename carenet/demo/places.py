"""Where the demo happens: Piemonte's comuni, weighted by population, and its organizations.

The organizations are modelled on real bodies of the network, with simplified territories:
every province has a CPI over the whole province; outside the Città metropolitana di
Torino one ASL and one socio-assistential consortium also cover the whole province. In the
province of Torino the ASL Città di Torino and the Comune cover the city, and the south
of the metropolitan area (Moncalieri, Chieri, Carmagnola...) has its own ASL and
consortium.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from carenet.gazetteer import Comune, get_gazetteer, haversine_km

PIEMONTE = "01"
PROVINCES = ("TO", "CN", "AL", "AT", "BI", "NO", "VB", "VC")
CAPOLUOGHI = {
    "TO": "Torino",
    "CN": "Cuneo",
    "AL": "Alessandria",
    "AT": "Asti",
    "BI": "Biella",
    "NO": "Novara",
    "VB": "Verbania",
    "VC": "Vercelli",
}
ASL_NAMES = {
    "CN": "ASL CN1",
    "AL": "ASL AL",
    "AT": "ASL AT",
    "BI": "ASL BI",
    "NO": "ASL NO",
    "VB": "ASL VCO",
    "VC": "ASL VC",
}
CONSORTIUM_NAMES = {
    "CN": "Consorzio Socio Assistenziale del Cuneese",
    "AL": "Consorzio Intercomunale dei Servizi Socio Assistenziali dell'Alessandrino",
    "AT": "Consorzio Socio Assistenziale dell'Astigiano",
    "BI": "Consorzio Intercomunale Socio Assistenziale del Biellese",
    "NO": "Consorzio Intercomunale Socio Assistenziale del Novarese",
    "VB": "Consorzio dei Servizi Sociali del Verbano",
    "VC": "Consorzio Socio Assistenziale del Vercellese",
}
# The south-east of the metropolitan area, around Moncalieri, Chieri and Carmagnola.
TORINO_SUD = (
    "Moncalieri", "Nichelino", "Trofarello", "La Loggia", "Vinovo", "Candiolo",
    "Chieri", "Cambiano", "Santena", "Pecetto Torinese", "Pino Torinese",
    "Baldissero Torinese", "Andezeno", "Arignano", "Marentino", "Riva presso Chieri",
    "Poirino", "Pralormo", "Isolabella", "Villastellone", "Carmagnola", "Lombriasco",
    "Osasio", "Pancalieri", "Carignano", "Piobesi Torinese", "Castagnole Piemonte",
)  # fmt: skip
# The accredited agency works in Torino and the first ring of comuni around it.
TORINO_AREA = (
    "Torino", "Moncalieri", "Nichelino", "Collegno", "Grugliasco", "Rivoli",
    "Settimo Torinese", "San Mauro Torinese", "Venaria Reale", "Orbassano", "Beinasco",
    "Borgaro Torinese", "Pino Torinese",
)  # fmt: skip


@dataclass(frozen=True)
class OrganizationSpec:
    """An organization to create: code, kind, name and the ISTAT codes of its territory."""

    code: str
    kind: str
    name: str
    territory: tuple[str, ...]
    province: str | None  # None for the Region


@dataclass(frozen=True)
class Places:
    """Piemonte's comuni as arrays, in ISTAT order, for vectorised sampling.

    ``istat``, ``province``: shape (n,) strings; ``lat``, ``lon``, ``weight``: shape (n,)
    floats, ``weight`` summing to 1; ``jitter_km``: shape (n,), how far a point may be
    moved from the centroid while staying nearer to it than to any bordering comune.
    """

    istat: tuple[str, ...]
    name: tuple[str, ...]
    province: tuple[str, ...]
    lat: npt.NDArray[np.float64]
    lon: npt.NDArray[np.float64]
    weight: npt.NDArray[np.float64]
    jitter_km: npt.NDArray[np.float64]
    weighted_by: str  # "population" or "uniform"

    def index_of(self, name: str, province: str) -> int:
        """The position of the comune called ``name`` in ``province``."""
        for i, (comune_name, comune_province) in enumerate(
            zip(self.name, self.province, strict=True)
        ):
            if comune_name.casefold() == name.casefold() and comune_province == province:
                return i
        raise LookupError(f"no comune {name!r} in province {province}")


MAX_JITTER_KM = 3.0


def piemonte_places() -> Places:
    """The comuni of Piemonte from the gazetteer, weighted by resident population.

    A comune without a population figure would weigh as a small comune (1,000 people);
    the shipped gazetteer has the figure for all of them.
    """
    gazetteer = get_gazetteer()
    comuni: list[Comune] = gazetteer.in_region(PIEMONTE)
    population = np.array([c.population or 1000 for c in comuni], dtype=np.float64)
    has_population = all(c.population for c in comuni)
    jitter = np.array([_jitter_km(c, gazetteer.find) for c in comuni], dtype=np.float64)
    return Places(
        istat=tuple(c.istat for c in comuni),
        name=tuple(c.name for c in comuni),
        province=tuple(c.province for c in comuni),
        lat=np.array([c.lat for c in comuni], dtype=np.float64),
        lon=np.array([c.lon for c in comuni], dtype=np.float64),
        weight=population / population.sum(),
        jitter_km=jitter,
        weighted_by="population" if has_population else "population, 1,000 where unknown",
    )


def _jitter_km(comune: Comune, find: Callable[[str], Comune | None]) -> float:
    """Up to 3 km, and under half the distance to the nearest bordering comune's centroid.

    A point that close to its own centroid is nearer to it than to any neighbour's, so it
    stays in (or right by) its comune, and so in Italy even along the Alps.
    """
    distances = []
    for code in comune.neighbours:
        other = find(code)
        if other is not None:
            distances.append(haversine_km(comune, other))
    if not distances:
        return 1.0
    return min(MAX_JITTER_KM, 0.45 * min(distances))


def organization_specs(places: Places) -> list[OrganizationSpec]:
    """Every demo organization with its territory."""
    by_province: dict[str, list[str]] = {p: [] for p in PROVINCES}
    for istat, province in zip(places.istat, places.province, strict=True):
        by_province[province].append(istat)

    def codes(names: tuple[str, ...], province: str = "TO") -> tuple[str, ...]:
        return tuple(sorted(places.istat[places.index_of(n, province)] for n in names))

    torino = codes(("Torino",))
    specs = [
        OrganizationSpec(
            f"cpi-{p.lower()}",
            "cpi",
            f"Centro per l'impiego di {CAPOLUOGHI[p]}",
            tuple(by_province[p]),
            p,
        )
        for p in PROVINCES
    ]
    specs += [
        OrganizationSpec(
            "asl-citta-torino", "health_authority", "ASL Città di Torino", torino, "TO"
        ),
        OrganizationSpec("asl-to5", "health_authority", "ASL TO5", codes(TORINO_SUD), "TO"),
        OrganizationSpec(
            "servizi-sociali-torino",
            "social_services",
            "Città di Torino - Divisione Servizi Sociali",
            torino,
            "TO",
        ),
        OrganizationSpec(
            "consorzio-torino-sud",
            "social_services",
            "Consorzio Socio Assistenziale Torino Sud",
            codes(TORINO_SUD),
            "TO",
        ),
        OrganizationSpec("comune-torino", "municipality", "Comune di Torino", torino, "TO"),
        OrganizationSpec(
            "agenzia-assistenza-torino",
            "agency",
            "Assistenza Casa Torino - agenzia accreditata",
            codes(TORINO_AREA),
            "TO",
        ),
    ]
    for p in PROVINCES[1:]:
        territory = tuple(by_province[p])
        specs.append(
            OrganizationSpec(f"asl-{p.lower()}", "health_authority", ASL_NAMES[p], territory, p)
        )
        specs.append(
            OrganizationSpec(
                f"consorzio-{p.lower()}", "social_services", CONSORTIUM_NAMES[p], territory, p
            )
        )
    specs.append(
        OrganizationSpec("regione-piemonte", "region", "Regione Piemonte", places.istat, None)
    )
    return specs
