"""Synthetic households, care recipients and care requests."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from carenet.demo.generate._common import RequestRecord, choice, jitter, pick
from carenet.demo.people import (
    CONTACT_FIRST_NAMES,
    ITALIAN_SURNAMES,
    RECIPIENT_FEMALE_NAMES,
    RECIPIENT_MALE_NAMES,
    STREETS,
)
from carenet.demo.places import Places
from carenet.demo.schedules import REQUEST_TEMPLATES, to_bytes

MAX_DISTANCES_KM = (10, 15, 20, 25, 30, 40)
MAX_DISTANCE_WEIGHTS = (0.15, 0.25, 0.25, 0.15, 0.12, 0.08)
AGE_BANDS = ("85+", "75-84", "65-74", "18-64", "0-17")
AGE_BAND_WEIGHTS = (0.42, 0.36, 0.12, 0.07, 0.03)
REQUEST_STATUSES = ("open", "draft", "matching", "proposed", "closed", "cancelled")
REQUEST_STATUS_WEIGHTS = (0.75, 0.07, 0.06, 0.05, 0.04, 0.03)


def generate_requests(seed: int, count: int, places: Places, today: dt.date) -> list[RequestRecord]:
    """``count`` households, each with one recipient and one care request."""
    rng = np.random.default_rng([seed, 2])
    n = count
    place = choice(rng, n, places.weight)
    lat, lon = jitter(rng, places, place)
    age_band = choice(rng, n, AGE_BAND_WEIGHTS)
    status = choice(rng, n, REQUEST_STATUS_WEIGHTS)
    distance = np.asarray(MAX_DISTANCES_KM)[choice(rng, n, MAX_DISTANCE_WEIGHTS)]
    uniforms = rng.random((n, 32)).tolist()
    templates = {
        key: ([t for t, _w in value], np.cumsum([w for _t, w in value]))
        for key, value in REQUEST_TEMPLATES.items()
    }
    records = []
    for i in range(n):
        u = uniforms[i]
        band = AGE_BANDS[age_band[i]]
        sufficiency = _self_sufficiency(band, u[0])
        arrangement, part_time = _arrangement(sufficiency, u[1], u[2])
        key = "live_in_part_time" if part_time else arrangement
        options, cumulative = templates[key]
        template = options[int(np.searchsorted(cumulative, u[3] * cumulative[-1], side="right"))]
        state = REQUEST_STATUSES[status[i]]
        if state in ("closed", "cancelled"):
            start = today - dt.timedelta(days=30 + int(u[4] * 270))
        else:
            start = today + dt.timedelta(days=int(u[4] * 60))
        female = u[5] < 0.65
        surname = pick(ITALIAN_SURNAMES, u[6])
        record = RequestRecord(
            household={
                "contact_name": f"{pick(CONTACT_FIRST_NAMES, u[7])} {surname}",
                "municipality_id": places.istat[place[i]],
                "address": f"{pick(STREETS, u[8])} {1 + int(u[9] * 150)}",
                "lat": float(lat[i]),
                "lon": float(lon[i]),
            },
            recipient={
                "first_name": pick(
                    RECIPIENT_FEMALE_NAMES if female else RECIPIENT_MALE_NAMES, u[10]
                ),
                "age_band": band,
                "self_sufficiency": sufficiency,
            },
            request={
                "arrangement": arrangement,
                "live_in_part_time": part_time,
                "schedule": to_bytes(template.mask),
                "weekly_hours": template.hours,
                "start_date": start,
                "duration_months": (None, 3, 6, 12, 12, 24)[int(u[11] * 6)],
                "max_distance_km": float(distance[i]),
                "has_voucher": bool(u[12] < 0.15),
                "status": state,
                "budget_eur_month": _budget(arrangement, part_time, template.hours, u[13]),
                **_gender_preference(u[14], u[15]),
            },
            province=places.province[place[i]],
        )
        record.conditions = _recipient_conditions(band, sufficiency, u)
        level, qualifications = _level_and_qualifications(sufficiency, record.conditions, u)
        record.request["ccnl_level"] = level
        record.qualifications = qualifications
        record.languages = _request_languages(u)
        records.append(record)
    return records


def _self_sufficiency(band: str, u: float) -> str:
    """Older recipients are less often self-sufficient."""
    shares = {"85+": (0.1, 0.4), "75-84": (0.25, 0.65), "65-74": (0.4, 0.75)}
    self_sufficient, partially = shares.get(band, (0.15, 0.45))
    if u < self_sufficient:
        return "self_sufficient"
    return "partially" if u < partially else "non_self_sufficient"


def _arrangement(sufficiency: str, u: float, u_part: float) -> tuple[str, bool]:
    """Live-in about 40%, hourly 50%, night 10%; live-in mostly for dependent people."""
    live_in = {"self_sufficient": 0.15, "partially": 0.4, "non_self_sufficient": 0.55}
    if u < live_in[sufficiency]:
        return "live_in", bool(u_part < 0.15)
    if u < live_in[sufficiency] + (0.08 if sufficiency == "self_sufficient" else 0.1):
        return "night", False
    return "hourly", False


def _recipient_conditions(band: str, sufficiency: str, u: list[float]) -> list[str]:
    """Conditions consistent with age and dependency."""
    dependent = sufficiency != "self_sufficient"
    young = band in ("0-17", "18-64")
    odds = {
        "dementia": 0.0 if young else (0.4 if dependent else 0.08),
        "mobility": 0.45 if dependent else 0.2,
        "parkinson": 0.0 if young else 0.1,
        "stroke": 0.12 if dependent else 0.02,
        "disability": 0.8 if young else 0.08,
        "palliative": 0.04 if sufficiency == "non_self_sufficient" else 0.0,
    }
    return sorted(code for k, (code, p) in enumerate(odds.items()) if u[16 + k] < p)


def _level_and_qualifications(
    sufficiency: str, conditions: list[str], u: list[float]
) -> tuple[str, list[tuple[str, bool]]]:
    """The CCNL level and the qualifications it implies.

    BS for a self-sufficient person; for a dependent one DS when a trained qualification
    (OSS or nurse) is required, CS otherwise.
    """
    required: list[str] = []
    if sufficiency == "self_sufficient":
        level = "BS"
    elif u[22] < (0.35 if sufficiency == "non_self_sufficient" else 0.15):
        level = "DS"
        required.append("oss" if u[23] < 0.85 else "nurse")
    else:
        level = "CS"
        if u[23] < 0.25:
            required.append("assistente_familiare")
    preferred = []
    if level != "BS" and u[24] < 0.3:
        preferred.append("first_aid")
    if "dementia" in conditions and u[25] < 0.6:
        preferred.append("dementia_care")
    if u[26] < 0.3:
        preferred.append("driving_licence")
    pairs = [(code, True) for code in required] + [(code, False) for code in preferred]
    return level, sorted(pairs)


def _request_languages(u: list[float]) -> list[tuple[str, bool]]:
    """Italian required by most families; a few prefer a second language."""
    languages = [("it", bool(u[27] < 0.75))]
    second = ("en", "ro", "es", "fr")
    if u[28] < 0.15:
        languages.append((pick(second, u[29]), False))
    return sorted(languages)


def _gender_preference(u: float, u_gender: float) -> dict[str, Any]:
    """No preference for most families; a preference or a requirement, mostly female."""
    if u < 0.78:
        return {"gender_preference": "none", "gender": None}
    preference = "preferred" if u < 0.92 else "required"
    return {"gender_preference": preference, "gender": "f" if u_gender < 0.88 else "m"}


def _budget(arrangement: str, part_time: bool, hours: int, u: float) -> int | None:
    """A monthly budget in euros near CCNL pay, or none stated (one in five)."""
    if u < 0.2:
        return None
    base: float
    if arrangement == "live_in":
        base = 750 if part_time else 1250
    elif arrangement == "night":
        base = 1000
    else:
        base = round(hours * 4.33 * 9.5, -1)
    return int(base + round(u * 400, -1))
