"""The comuni of today: 2024-2026 mergers and renamings, bilingual names, English names,
and former comuni that resolve to their successor (issue 10, items 21, 22 and 24)."""

from __future__ import annotations

import pytest

from carenet.gazetteer import AmbiguousComune, Gazetteer, OfflineGeocoder, get_gazetteer


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return get_gazetteer()


@pytest.mark.parametrize(
    ("name", "istat", "province"),
    [
        ("Uggiate con Ronago", "013256", "CO"),  # 2024: Uggiate-Trevano + Ronago
        ("Setteville", "025075", "BL"),  # 2024: Alano di Piave + Quero Vas
        ("Santa Caterina d'Este", "028108", "PD"),  # 2024: Carceri + Vighizzolo d'Este
        ("Sovizzo", "024128", "VI"),  # 2024: Sovizzo + Gambugliano, a new code
        ("Castegnero Nanto", "024129", "VI"),  # 2026: Castegnero + Nanto
    ],
)
def test_the_comuni_merged_since_2023_are_there(
    gazetteer: Gazetteer, name: str, istat: str, province: str
) -> None:
    comune = gazetteer.lookup(name)
    assert (comune.istat, comune.province) == (istat, province)
    assert comune.population and comune.neighbours


@pytest.mark.parametrize(
    ("name", "istat"),
    [
        ("Calliano Monferrato", "005014"),
        ("Grana Monferrato", "005056"),
        ("Montemagno Monferrato", "005077"),
        ("Murisengo Monferrato", "006113"),
    ],
)
def test_renamed_piemonte_comuni_resolve_by_their_current_name(
    gazetteer: Gazetteer, name: str, istat: str
) -> None:
    assert gazetteer.lookup(name).istat == istat
    assert gazetteer.get(istat).name == name


def test_ceased_codes_are_no_longer_current(gazetteer: Gazetteer) -> None:
    for code in ("013228", "013199", "025002", "025070", "024044", "024103", "018082"):
        assert gazetteer.find(code) is None, code


@pytest.mark.parametrize(
    ("old", "province", "successor", "change", "year"),
    [
        ("Trivero", None, "096088", "merged", "2019"),  # into Valdilana (BI)
        ("Moransengo", None, "005122", "merged", "2023"),  # Moransengo-Tonengo (AT)
        ("Gambugliano", None, "024128", "merged", "2024"),  # the new Sovizzo (VI)
        ("Lirio", None, "018094", "incorporated", "2026"),  # into Montalto Pavese (PV)
        ("Calliano", "AT", "005014", "renamed", "2022"),  # Calliano Monferrato
        ("Montemagno", None, "005077", "renamed", "2023"),
    ],
)
def test_old_names_resolve_to_their_successor_with_what_happened(
    gazetteer: Gazetteer, old: str, province: str | None, successor: str, change: str, year: str
) -> None:
    resolution = gazetteer.resolve(old, province)
    assert resolution.comune.istat == successor
    assert resolution.former is not None
    assert (resolution.former.name, resolution.former.change) == (old, change)
    assert resolution.former.year == year
    assert gazetteer.lookup(old, province).istat == successor


def test_a_current_name_wins_and_a_shared_one_asks_for_the_province(gazetteer: Gazetteer) -> None:
    # Sovizzo is today's Sovizzo (the old one merged into it): no note.
    assert gazetteer.resolve("Sovizzo").former is None
    # Calliano is Calliano (TN) today, and was Calliano (AT), now Calliano Monferrato.
    with pytest.raises(AmbiguousComune) as excinfo:
        gazetteer.lookup("Calliano")
    assert {c.label for c in excinfo.value.candidates} == {
        "Calliano (TN)",
        "Calliano Monferrato (AT)",
    }
    assert gazetteer.resolve("Calliano", "TN").former is None


def test_ceased_codes_resolve_to_their_successor(gazetteer: Gazetteer) -> None:
    resolution = gazetteer.resolve_code("005079")  # Moransengo
    assert resolution.comune.name == "Moransengo-Tonengo"
    assert resolution.former is not None and resolution.former.name == "Moransengo"
    former = gazetteer.find_former("24044")
    assert former is not None and former.name == "Gambugliano"
    # Its point is its own village, not the successor's seat.
    assert (former.lat, former.lon) != (gazetteer.get("024128").lat, gazetteer.get("024128").lon)
    assert gazetteer.resolve_code("001272").former is None


def test_autocomplete_finds_successors_by_their_former_name(gazetteer: Gazetteer) -> None:
    found = gazetteer.suggest("triver")
    assert [(r.comune.name, r.former and r.former.name) for r in found] == [
        ("Valdilana", "Trivero")
    ]
    assert gazetteer.search("trivero") == [gazetteer.get("096088")]


@pytest.mark.parametrize(
    ("half", "istat"),
    [
        ("Monguelfo-Tesido", "021052"),
        ("Welsberg-Taisten", "021052"),
        ("Monguelfo-Tesido/Welsberg-Taisten", "021052"),
        ("Trodena nel parco naturale", "021102"),
        ("Truden im Naturpark", "021102"),
        ("Bozen", "021008"),
    ],
)
def test_each_half_of_a_bilingual_name_answers(gazetteer: Gazetteer, half: str, istat: str) -> None:
    assert gazetteer.lookup(half).istat == istat


def test_bilingual_names_are_whole(gazetteer: Gazetteer) -> None:
    assert gazetteer.get("021052").name == "Monguelfo-Tesido/Welsberg-Taisten"
    assert gazetteer.get("021102").name == "Trodena nel parco naturale/Truden im Naturpark"
    assert gazetteer.get("031022").name == "Savogna d'Isonzo-Sovodnje ob Soči"


@pytest.mark.parametrize(
    ("english", "istat"),
    [
        ("Turin", "001272"),
        ("Milan", "015146"),
        ("Rome", "058091"),
        ("Naples", "063049"),
        ("Florence", "048017"),
        ("Venice", "027042"),
        ("Genoa", "010025"),
        ("Padua", "028060"),
        ("Mantua", "020030"),
        ("Syracuse", "089017"),
    ],
)
def test_english_names_of_the_larger_cities_resolve(
    gazetteer: Gazetteer, english: str, istat: str
) -> None:
    assert gazetteer.lookup(english).istat == istat
    assert gazetteer.search(english.lower()[:5])[0].istat == istat
    location = OfflineGeocoder(gazetteer).geocode(f"{english}, Italia")
    assert location is not None and location.raw["istat"] == istat
