"""The public catalogue API: comuni, qualifications and vocabularies."""

from __future__ import annotations

import pytest


def test_autocomplete_finds_moncalieri(client):
    response = client.get("/api/v1/municipalities?q=moncal&limit=10")

    assert response.status_code == 200
    names = [item["name"] for item in response.json]
    assert "Moncalieri" in names
    moncalieri = next(item for item in response.json if item["name"] == "Moncalieri")
    assert moncalieri["istat"] == "001156"
    assert moncalieri["province"] == "TO"
    assert moncalieri["label"] == "Moncalieri (TO)"


def test_autocomplete_respects_the_limit(client):
    response = client.get("/api/v1/municipalities?q=san&limit=3")

    assert len(response.json) == 3


@pytest.mark.parametrize("query", ["", "?q=", "?q=to&limit=0", "?q=to&limit=51", "?q=%00"])
def test_bad_autocomplete_queries_are_422(client, query):
    response = client.get(f"/api/v1/municipalities{query}")

    assert response.status_code == 422
    assert set(response.json) == {"error", "message", "details"}


def test_one_municipality_by_istat_code(client):
    response = client.get("/api/v1/municipalities/001272")

    assert response.status_code == 200
    assert response.json["name"] == "Torino"
    assert response.json["region"] == "Piemonte"
    assert "001156" in response.json["neighbours"]  # Moncalieri borders Torino


@pytest.mark.parametrize("code", ["999999", "Torino", "0012720000000"])
def test_unknown_municipality_is_404(client, code):
    response = client.get(f"/api/v1/municipalities/{code}?lang=en")

    assert response.status_code == 404
    assert response.json["error"] == "not_found"
    assert response.json["details"] == {}


def test_qualification_catalogue_in_both_languages(client):
    italian = client.get("/api/v1/qualifications?lang=it").json
    english = client.get("/api/v1/qualifications?lang=en").json

    assert [q["code"] for q in italian] == sorted(
        [
            "adest",
            "assistente_familiare",
            "dementia_care",
            "driving_licence",
            "first_aid",
            "nurse",
            "osa",
            "oss",
            "ota",
        ]
    )
    oss_it = next(q for q in italian if q["code"] == "oss")
    oss_en = next(q for q in english if q["code"] == "oss")
    assert oss_it["name"] == "Operatore socio-sanitario (OSS)"
    assert oss_en["name"] == "Social-health worker (OSS)"
    assert oss_en["is_trained"] is True


def test_vocabularies_are_labelled_in_the_request_language(client):
    english = client.get("/api/v1/vocabularies?lang=en").json
    italian = client.get("/api/v1/vocabularies?lang=it").json

    assert [t["code"] for t in english["arrangements"]] == ["live_in", "hourly", "night"]
    assert {"code": "live_in", "label": "Live-in"} in english["arrangements"]
    assert [t["code"] for t in english["language_levels"]][-1] == "native"
    assert {t["code"] for t in english["languages"]} >= {"ro", "uk", "es", "ar", "tl"}
    assert {t["code"] for t in english["conditions"]} >= {"dementia", "parkinson"}
    assert english["conditions"] != italian["conditions"]


def test_autocomplete_finds_a_comune_by_its_former_name_with_a_note(client):
    response = client.get("/api/v1/municipalities?q=trivero&lang=en")

    assert response.status_code == 200
    [item] = response.json
    assert (item["istat"], item["name"]) == ("096088", "Valdilana")
    assert item["note"] == "Trivero is now part of Valdilana (BI), since 2019."
    italian = client.get("/api/v1/municipalities?q=trivero&lang=it").json
    assert italian[0]["note"] == "Trivero fa ora parte di Valdilana (BI), dal 2019."
    current = client.get("/api/v1/municipalities?q=moncal").json
    assert all(item["note"] is None for item in current)


def test_a_ceased_code_gives_its_successor_with_a_note(client):
    response = client.get("/api/v1/municipalities/005079?lang=en")

    assert response.status_code == 200
    assert response.json["name"] == "Moransengo-Tonengo"
    assert response.json["note"] == "Moransengo is now part of Moransengo-Tonengo (AT), since 2023."


def test_english_names_and_bilingual_halves_autocomplete(client):
    assert client.get("/api/v1/municipalities?q=turin").json[0]["name"] == "Torino"
    welsberg = client.get("/api/v1/municipalities?q=welsberg").json
    assert welsberg[0]["name"] == "Monguelfo-Tesido/Welsberg-Taisten"


def test_legacy_qualifications_are_in_the_catalogue_and_shown_as_such(client):
    """Issue 10, item 16: ADEST and OTA, which OSS replaced in 2001, are known codes."""
    english = {q["code"]: q for q in client.get("/api/v1/qualifications?lang=en").json}
    italian = {q["code"]: q for q in client.get("/api/v1/qualifications?lang=it").json}

    for code in ("adest", "ota"):
        assert english[code]["is_legacy"] is True
        assert "legacy" in english[code]["name"] and "OSS" in english[code]["name"]
        assert "sostituita dall'OSS" in italian[code]["name"]
        assert english[code]["is_trained"] is True
    assert english["oss"]["is_legacy"] is False


def test_the_catalogue_says_trained_by_the_one_definition(client):
    """Issue 10, item 14: the catalogue's "trained" is the engine's and the placements'."""
    from matching import contract

    catalogue = client.get("/api/v1/qualifications").json
    assert {q["code"] for q in catalogue if q["is_trained"]} == contract.TRAINED_QUALIFICATIONS
