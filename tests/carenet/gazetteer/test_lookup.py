"""Look-up by ISTAT code and by name, ambiguity, suggestions, search and listing."""

from __future__ import annotations

import pytest

from carenet.gazetteer import AmbiguousComune, Gazetteer, UnknownComune, get_gazetteer


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return get_gazetteer()


def test_get_and_find_by_istat_code(gazetteer: Gazetteer) -> None:
    assert gazetteer.get("001272").name == "Torino"
    assert gazetteer.get("1272").istat == "001272"
    assert gazetteer.find("999999") is None
    assert "001156" in gazetteer and "999999" not in gazetteer
    with pytest.raises(UnknownComune) as excinfo:
        gazetteer.get("999999")
    assert excinfo.value.suggestions == ()
    assert isinstance(excinfo.value, LookupError)


def test_get_gazetteer_is_cached() -> None:
    assert get_gazetteer() is get_gazetteer()


@pytest.mark.parametrize(
    ("query", "istat"),
    [
        ("Moncalieri", "001156"),
        ("MONCALIERI", "001156"),
        ("  moncalieri ", "001156"),
        ("Cerreto d'Esi", "042013"),
        ("cerreto d esi", "042013"),
        ("Cerreto d’Esi", "042013"),
        ("Sant'Ambrogio di Torino", "001255"),
        ("sant ambrogio di torino", "001255"),
        ("S. Ambrogio di Torino", "001255"),
        ("Castellinaldo d'Alba", "004051"),
        ("castellinaldo-d-alba", "004051"),
        ("Moransengo Tonengo", "005122"),
        ("Bolzano", "021008"),
        ("Bozen", "021008"),
        ("Agliè", "001001"),
        ("aglie", "001001"),
    ],
)
def test_lookup_ignores_case_accents_and_punctuation(
    gazetteer: Gazetteer, query: str, istat: str
) -> None:
    assert gazetteer.lookup(query).istat == istat


@pytest.mark.parametrize(
    ("name", "provinces"),
    [("Calliano", {"AT", "TN"}), ("Samone", {"TO", "TN"}), ("Livo", {"CO", "TN"})],
)
def test_shared_names_ask_for_the_province(
    gazetteer: Gazetteer, name: str, provinces: set[str]
) -> None:
    with pytest.raises(AmbiguousComune) as excinfo:
        gazetteer.lookup(name)
    assert {c.province for c in excinfo.value.candidates} == provinces
    assert isinstance(excinfo.value, LookupError)
    for sigla in provinces:
        assert gazetteer.lookup(name, province=sigla).province == sigla


def test_province_may_be_given_by_sigla_name_or_code(gazetteer: Gazetteer) -> None:
    assert gazetteer.lookup("Calliano", province="at").province == "AT"
    assert gazetteer.lookup("Calliano", province="Asti").province == "AT"
    assert gazetteer.lookup("Samone", province="Trento").province == "TN"
    assert gazetteer.lookup("Samone", province="001").province == "TO"


def test_wrong_province_is_unknown_and_suggests_the_real_ones(gazetteer: Gazetteer) -> None:
    with pytest.raises(UnknownComune) as excinfo:
        gazetteer.lookup("Calliano", province="CN")
    labels = {c.label for c in excinfo.value.suggestions[:2]}
    assert labels == {"Calliano Monferrato (AT)", "Calliano (TN)"}


def test_accents_typed_on_purpose_pick_the_accented_comune(gazetteer: Gazetteer) -> None:
    assert gazetteer.lookup("Paternò").province == "CT"
    with pytest.raises(AmbiguousComune) as excinfo:
        gazetteer.lookup("Paterno")  # Paternò (CT) or Paterno (PZ): the user must say
    assert {c.province for c in excinfo.value.candidates} == {"CT", "PZ"}


@pytest.mark.parametrize(
    ("typo", "expected"),
    [
        ("Moncaleri", "Moncalieri"),
        ("Torinno", "Torino"),
        ("Cuneoo", "Cuneo"),
        ("Alesandria", "Alessandria"),
        ("Castelnuovo Don Bosko", "Castelnuovo Don Bosco"),
        ("Reggio Calabra", "Reggio di Calabria"),
        ("Pinerol", "Pinerolo"),
    ],
)
def test_unknown_names_suggest_close_ones(gazetteer: Gazetteer, typo: str, expected: str) -> None:
    with pytest.raises(UnknownComune) as excinfo:
        gazetteer.lookup(typo)
    suggestions = excinfo.value.suggestions
    assert 1 <= len(suggestions) <= 5
    assert suggestions[0].name == expected
    assert expected in str(excinfo.value)


def test_suggestions_prefer_names_that_start_with_the_query(gazetteer: Gazetteer) -> None:
    with pytest.raises(UnknownComune) as excinfo:
        gazetteer.lookup("Sant Ambrogio")
    first_three = {c.istat for c in excinfo.value.suggestions[:3]}
    assert first_three == {c.istat for c in gazetteer.search("sant ambrogio")}


def test_suggestions_stay_in_the_given_province(gazetteer: Gazetteer) -> None:
    with pytest.raises(UnknownComune) as excinfo:
        gazetteer.lookup("Moncaleri", province="TO")
    assert excinfo.value.suggestions[0].name == "Moncalieri"
    assert {c.province for c in excinfo.value.suggestions} == {"TO"}


def test_empty_name_is_unknown(gazetteer: Gazetteer) -> None:
    with pytest.raises(UnknownComune):
        gazetteer.lookup("   ")


def test_search_for_autocomplete(gazetteer: Gazetteer) -> None:
    results = gazetteer.search("tor")
    assert results[0].name == "Torino"  # the most populous first
    assert len(results) == 10
    assert all(c.name.lower().startswith("tor") for c in results)
    assert [c.name for c in gazetteer.search("moncal", limit=1)] == ["Moncalieri"]
    ambrogio = {c.istat for c in gazetteer.search("ambrogio")}  # a word inside the name
    assert "001255" in ambrogio
    assert gazetteer.search("s. ambrogio di t")[0].istat == "001255"
    assert gazetteer.search("") == [] and gazetteer.search("zzzzzz") == []


def test_region_and_province_listings(gazetteer: Gazetteer) -> None:
    piemonte = gazetteer.in_region("01")
    assert piemonte == gazetteer.in_region("1") == gazetteer.in_region("Piemonte")
    assert [c.istat for c in piemonte] == sorted(c.istat for c in piemonte)
    torino = gazetteer.in_province("TO")
    assert torino == gazetteer.in_province("Torino") == gazetteer.in_province("001")
    assert all(c.province == "TO" for c in torino)
    assert gazetteer.in_province("XX") == [] and gazetteer.in_region("99") == []


def test_length_and_iteration(gazetteer: Gazetteer) -> None:
    codes = [c.istat for c in gazetteer]
    assert len(codes) == len(gazetteer) == len(set(codes))
    assert codes == sorted(codes)
