"""The comuni of Italy in memory: look-up by ISTAT code, name, province and region."""

from __future__ import annotations

import csv
import functools
import io
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources

from rapidfuzz import fuzz, process

from carenet.gazetteer._geo import PointIndex
from carenet.gazetteer._names import alias_keys, has_accents, name_key, short_key

DATA_FILE = "comuni.csv"
FORMER_FILE = "former.csv"
MAX_SUGGESTIONS = 5
# Box around Italy's territory (Lampedusa to Vetta d'Italia, Bardonecchia to Otranto).
ITALY_BBOX = (35.4, 47.1, 6.6, 18.6)  # lat min, lat max, lon min, lon max
ITALY_MAX_KM = 60.0


@dataclass(frozen=True, slots=True)
class Comune:
    """An Italian comune as shipped in ``data/comuni.csv``."""

    istat: str
    name: str
    province_code: str
    province: str
    province_name: str
    region_code: str
    region: str
    lat: float
    lon: float
    population: int | None
    neighbours: tuple[str, ...]
    aliases: tuple[str, ...] = ()  # other names it answers to: ISTAT's halves, exonyms
    point: str = "seat"  # how lat/lon was found: seat, settlement or interior

    @property
    def label(self) -> str:
        """The name with the province abbreviation: 'Moncalieri (TO)'."""
        return f"{self.name} ({self.province})"


@dataclass(frozen=True, slots=True)
class FormerComune:
    """A comune that ceased (merged, incorporated or renamed) and the comune it became.

    ``istat`` is its own ISTAT code when it ceased since the previous edition of the data
    (rows stored then may still use it), else empty; ``lat``/``lon`` are then the point of
    its own seat, which is where its people still live.
    """

    istat: str
    name: str
    province: str
    successor: str
    since: str  # ISO date of the change; empty when unknown
    change: str  # "renamed", "merged" or "incorporated"
    lat: float | None = None
    lon: float | None = None

    @property
    def year(self) -> str:
        """The year of the change ('2019'), or '' when unknown."""
        return self.since[:4]


@dataclass(frozen=True, slots=True)
class Resolution:
    """The comune a name or code resolved to, and the former comune it was reached through."""

    comune: Comune
    former: FormerComune | None = None


class UnknownComune(LookupError):
    """No comune has this ISTAT code or name; ``suggestions`` holds the closest names."""

    def __init__(self, query: str, suggestions: Iterable[Comune] = ()) -> None:
        self.query = query
        self.suggestions: tuple[Comune, ...] = tuple(suggestions)
        hint = ", ".join(c.label for c in self.suggestions)
        super().__init__(f"unknown comune {query!r}" + (f"; did you mean {hint}?" if hint else ""))


class AmbiguousComune(LookupError):
    """Several comuni share this name; ``candidates`` lists them, the province decides."""

    def __init__(self, query: str, candidates: Iterable[Comune]) -> None:
        self.query = query
        self.candidates: tuple[Comune, ...] = tuple(candidates)
        options = ", ".join(c.label for c in self.candidates)
        super().__init__(f"{query!r} names several comuni ({options}); give the province")


def _similarity(query: str, choice: str, **_: object) -> float:
    """Edit similarity (0-100); a name that starts with a 4+ letter query scores at least 90."""
    score = fuzz.ratio(query, choice)
    if len(query) >= 4 and choice.startswith(query):
        score = max(score, 90.0)
    return score


def _answers_to(comune: Comune) -> set[str]:
    """Every name key a comune answers to: its name, each half of it, its other names."""
    keys = alias_keys(comune.name)
    for alias in comune.aliases:
        keys |= alias_keys(alias)
    return keys


def _by_size(comuni: Iterable[Comune]) -> list[Comune]:
    """Most populous first, then by name and code: the order people expect in a list."""
    return sorted(comuni, key=lambda c: (-(c.population or 0), name_key(c.name), c.istat))


class Gazetteer:
    """An immutable, indexed collection of comuni; build one with ``get_gazetteer()``."""

    def __init__(self, comuni: Iterable[Comune], formers: Iterable[FormerComune] = ()) -> None:
        self._comuni = tuple(sorted(comuni, key=lambda c: c.istat))
        self._by_istat = {c.istat: c for c in self._comuni}
        self._formers = tuple(f for f in formers if f.successor in self._by_istat)
        self._former_by_istat = {f.istat: f for f in self._formers if f.istat}
        self._former_by_key: dict[str, list[FormerComune]] = defaultdict(list)
        for former in self._formers:
            self._former_by_key[name_key(former.name)].append(former)
        self._by_key: dict[str, list[Comune]] = defaultdict(list)
        self._by_short: dict[str, list[Comune]] = defaultdict(list)
        self._by_province: dict[str, list[Comune]] = defaultdict(list)
        self._by_region: dict[str, list[Comune]] = defaultdict(list)
        self._province_aliases: dict[str, str] = {}
        self._region_aliases: dict[str, str] = {}
        for comune in self._comuni:
            for key in _answers_to(comune):
                self._by_key[key].append(comune)
                self._by_short[short_key(key)].append(comune)
            self._by_province[comune.province].append(comune)
            self._by_region[comune.region_code].append(comune)
            for alias in (comune.province, comune.province_code, *alias_keys(comune.province_name)):
                self._province_aliases[name_key(alias)] = comune.province
            for alias in (comune.region_code, *alias_keys(comune.region)):
                self._region_aliases[name_key(alias)] = comune.region_code
        self._keys = sorted(self._by_key)
        self._short_keys = [(key, short_key(key)) for key in self._keys]
        self._index = PointIndex([(c.lat, c.lon) for c in self._comuni])

    def __len__(self) -> int:
        return len(self._comuni)

    def __iter__(self) -> Iterator[Comune]:
        return iter(self._comuni)

    def __contains__(self, istat: object) -> bool:
        return isinstance(istat, str) and self.find(istat) is not None

    def find(self, istat: str) -> Comune | None:
        """The comune with this ISTAT code ('001272' or '1272'), or None."""
        code = istat.strip()
        if code.isdigit() and len(code) <= 6:
            code = code.zfill(6)
        return self._by_istat.get(code)

    def get(self, istat: str) -> Comune:
        """The comune with this ISTAT code; raises ``UnknownComune``."""
        comune = self.find(istat)
        if comune is None:
            raise UnknownComune(istat)
        return comune

    def province_of(self, province: str) -> str | None:
        """The abbreviation of a province given as 'TO', 'Torino', '1' or '001', or None."""
        text = province.strip()
        if text.isdigit():
            text = text.zfill(3)
        return self._province_aliases.get(name_key(text))

    def region_of(self, region: str) -> str | None:
        """The code of a region given as '01', '1' or 'Piemonte', or None."""
        text = region.strip()
        if text.isdigit():
            text = text.zfill(2)
        return self._region_aliases.get(name_key(text))

    def lookup(self, name: str, province: str | None = None) -> Comune:
        """The comune with this name, ignoring case, accents and punctuation.

        A former comune's name gives its successor (see ``resolve`` for the note). Raises
        ``AmbiguousComune`` when several comuni share the name and ``province`` does not
        pick one, ``UnknownComune`` (with suggestions) when none matches.
        """
        return self.resolve(name, province).comune

    def resolve(self, name: str, province: str | None = None) -> Resolution:
        """The comune with this name, or the successor of a former comune of this name.

        A name shared by a current comune and a former one that became another comune is
        ambiguous ('Calliano' is Calliano (TN) or Calliano Monferrato (AT), once
        Calliano); ``province`` picks one. Raises like ``lookup``.
        """
        key = name_key(name)
        current = self._by_key.get(key) or self._by_short.get(short_key(key)) or []
        sigla = None
        if province is not None and province.strip():
            sigla = self.province_of(province) or province.strip()
        formers = [
            f for f in self._former_by_key.get(key, []) if sigla is None or f.province == sigla
        ]
        in_province = [c for c in current if sigla is None or c.province == sigla]
        through = {
            f.successor: f
            for f in sorted(formers, key=lambda f: (f.since, f.istat))  # the latest wins
            if f.successor not in {c.istat for c in in_province}
        }
        candidates = in_province + [self._by_istat[s] for s in sorted(through)]
        if len(candidates) == 1:
            return Resolution(candidates[0], through.get(candidates[0].istat))
        if not candidates:
            renamed = [self._by_istat[f.successor] for f in self._former_by_key.get(key, [])]
            raise UnknownComune(name, self._suggest(key, sigla, first=current + renamed))
        if has_accents(name) and not through:
            # 'Paternò' typed with its accent means Paternò (CT), not Paterno (PZ).
            exact = [c for c in candidates if name.strip().casefold() == c.name.casefold()]
            if len(exact) == 1:
                return Resolution(exact[0])
        raise AmbiguousComune(name, _by_size(candidates))

    def resolve_code(self, istat: str) -> Resolution:
        """The comune with this ISTAT code, or the successor of a ceased one.

        Raises ``UnknownComune`` when no comune, current or former, had the code.
        """
        comune = self.find(istat)
        if comune is not None:
            return Resolution(comune)
        former = self.find_former(istat)
        if former is None:
            raise UnknownComune(istat)
        return Resolution(self._by_istat[former.successor], former)

    def find_former(self, istat: str) -> FormerComune | None:
        """The ceased comune with this ISTAT code, or None."""
        code = istat.strip()
        if code.isdigit() and len(code) <= 6:
            code = code.zfill(6)
        return self._former_by_istat.get(code)

    @property
    def formers(self) -> tuple[FormerComune, ...]:
        """Every former comune the gazetteer knows, by name."""
        return self._formers

    def _suggest(
        self, key: str, province: str | None, first: Iterable[Comune] = ()
    ) -> list[Comune]:
        """Up to ``MAX_SUGGESTIONS`` comuni with names close to ``key``, best first."""
        suggestions = _by_size(first)
        if key:
            choices = self._keys
            if province is not None:
                choices = sorted({k for c in self._by_province[province] for k in _answers_to(c)})
            scored = process.extract(key, choices, scorer=_similarity, limit=4 * MAX_SUGGESTIONS)
            ranked = sorted(scored, key=lambda m: (-m[1], -fuzz.ratio(key, m[0]), m[0]))
            for match, _score, _position in ranked:
                for comune in _by_size(self._by_key[match]):
                    if province is None or comune.province == province:
                        suggestions.append(comune)
        unique = list(dict.fromkeys(suggestions))
        return unique[:MAX_SUGGESTIONS]

    def search(self, prefix: str, limit: int = 10) -> list[Comune]:
        """Comuni for autocomplete: names starting with ``prefix``, then with a word starting so.

        Within each group the most populous come first; successors of former comuni
        whose names start so come last.
        """
        return [r.comune for r in self.suggest(prefix, limit)]

    def suggest(self, prefix: str, limit: int = 10) -> list[Resolution]:
        """Like ``search``, with the former comune each successor was reached through."""
        key = name_key(prefix)
        if not key or limit < 1:
            return []
        short = short_key(key)
        starts: set[Comune] = set()
        words: set[Comune] = set()
        for comune_key, comune_short in self._short_keys:
            if comune_key.startswith(key) or comune_short.startswith(short):
                starts.update(self._by_key[comune_key])
            elif f" {key}" in f" {comune_key}":
                words.update(self._by_key[comune_key])
        exact = [c for c in starts if key in _answers_to(c)]
        ordered = _by_size(exact) + _by_size(starts - set(exact)) + _by_size(words - starts)
        found = [Resolution(c) for c in ordered[:limit]]
        seen = {c.istat for c in ordered[:limit]}
        for former_key in sorted(k for k in self._former_by_key if k.startswith(key)):
            for former in sorted(self._former_by_key[former_key], key=lambda f: f.province):
                if len(found) < limit and former.successor not in seen:
                    found.append(Resolution(self._by_istat[former.successor], former))
                    seen.add(former.successor)
        return found

    def in_region(self, region: str) -> list[Comune]:
        """The comuni of a region ('01', '1' or 'Piemonte'), by ISTAT code; [] if unknown."""
        code = self.region_of(region)
        return list(self._by_region.get(code, [])) if code else []

    def in_province(self, province: str) -> list[Comune]:
        """The comuni of a province ('TO', 'Torino' or '001'), by ISTAT code; [] if unknown."""
        sigla = self.province_of(province)
        return list(self._by_province.get(sigla, [])) if sigla else []

    def neighbours(self, istat: str) -> list[Comune]:
        """The comuni whose boundaries touch this one's, by ISTAT code."""
        return [self.get(code) for code in self.get(istat).neighbours]

    def nearest(self, lat: float, lon: float, k: int = 1) -> list[tuple[Comune, float]]:
        """The ``k`` comuni whose centroids are nearest, with the haversine distance in km."""
        return [(self._comuni[i], km) for i, km in self._index.nearest(lat, lon, k)]

    def is_in_italy(self, lat: float, lon: float, max_km: float = ITALY_MAX_KM) -> bool:
        """Whether a point is in the box around Italy and near a comune's centroid."""
        if not (math.isfinite(lat) and math.isfinite(lon)):
            return False
        lat_min, lat_max, lon_min, lon_max = ITALY_BBOX
        if not (lat_min <= lat <= lat_max and lon_min <= lon <= lon_max):
            return False
        nearest = self.nearest(lat, lon)
        return bool(nearest) and nearest[0][1] <= max_km


def parse_rows(text: str) -> list[Comune]:
    """The comuni of a ``comuni.csv`` text."""
    rows = csv.DictReader(io.StringIO(text))
    return [
        Comune(
            istat=row["istat"],
            name=row["name"],
            province_code=row["province_code"],
            province=row["province"],
            province_name=row["province_name"],
            region_code=row["region_code"],
            region=row["region"],
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            population=int(row["population"]) if row["population"] else None,
            neighbours=tuple(row["neighbours"].split()),
            aliases=tuple(a for a in row.get("aliases", "").split("|") if a),
            point=row.get("point") or "seat",
        )
        for row in rows
    ]


def parse_formers(text: str) -> list[FormerComune]:
    """The former comuni of a ``former.csv`` text."""
    return [
        FormerComune(
            istat=row["istat"],
            name=row["name"],
            province=row["province"],
            successor=row["successor"],
            since=row["since"],
            change=row["change"],
            lat=float(row["lat"]) if row["lat"] else None,
            lon=float(row["lon"]) if row["lon"] else None,
        )
        for row in csv.DictReader(io.StringIO(text))
    ]


def load_gazetteer() -> Gazetteer:
    """Read the gazetteer shipped in the package (uncached; use ``get_gazetteer``)."""
    data = resources.files("carenet.gazetteer").joinpath("data")
    comuni = parse_rows(data.joinpath(DATA_FILE).read_text(encoding="utf-8"))
    formers = parse_formers(data.joinpath(FORMER_FILE).read_text(encoding="utf-8"))
    return Gazetteer(comuni, formers)


@functools.cache
def get_gazetteer() -> Gazetteer:
    """The shipped gazetteer, read once per process and shared."""
    return load_gazetteer()


def is_in_italy(lat: float, lon: float) -> bool:
    """Whether a point is in Italy: in its box and within 60 km of a comune's centroid."""
    return get_gazetteer().is_in_italy(lat, lon)
