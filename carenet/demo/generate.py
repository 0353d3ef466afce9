"""Deterministic synthetic assistants and care requests, drawn with numpy.

Every random draw is made up front, as arrays over all the records, from one generator
seeded with ``seed``; records are then built from those arrays one slice at a time. The
output therefore depends only on the seed, the counts and ``today``, never on how the
caller batches it. Records carry no database ids: the loader assigns them.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from carenet.demo.people import (
    CONTACT_FIRST_NAMES,
    ITALIAN_LEVEL_WEIGHTS,
    ITALIAN_LEVELS,
    ITALIAN_SURNAMES,
    NATIONALITIES,
    RECIPIENT_FEMALE_NAMES,
    RECIPIENT_MALE_NAMES,
    STREETS,
)
from carenet.demo.places import Places
from carenet.demo.schedules import AVAILABILITY_TEMPLATES, REQUEST_TEMPLATES, Template, to_bytes

KM_PER_DEGREE = 111.2

# Experience with conditions: base probability, raised with years of experience.
ASSISTANT_CONDITIONS = (
    ("dementia", 0.35),
    ("mobility", 0.35),
    ("parkinson", 0.15),
    ("stroke", 0.12),
    ("disability", 0.12),
    ("children", 0.08),
    ("palliative", 0.04),
)
RADII_KM = (5, 10, 15, 20, 25, 30, 40, 50)
RADII_WEIGHTS = (0.08, 0.2, 0.2, 0.18, 0.1, 0.12, 0.07, 0.05)
MAX_DISTANCES_KM = (10, 15, 20, 25, 30, 40)
MAX_DISTANCE_WEIGHTS = (0.15, 0.25, 0.25, 0.15, 0.12, 0.08)
AGE_BANDS = ("85+", "75-84", "65-74", "18-64", "0-17")
AGE_BAND_WEIGHTS = (0.42, 0.36, 0.12, 0.07, 0.03)
REQUEST_STATUSES = ("open", "draft", "matching", "proposed", "closed", "cancelled")
REQUEST_STATUS_WEIGHTS = (0.75, 0.07, 0.06, 0.05, 0.04, 0.03)
_ITALIAN_CUMULATIVE = [
    sum(ITALIAN_LEVEL_WEIGHTS[: k + 1]) / sum(ITALIAN_LEVEL_WEIGHTS)
    for k in range(len(ITALIAN_LEVEL_WEIGHTS) - 1)
]


@dataclass
class AssistantRecord:
    """One synthetic assistant: the ``assistant`` row's values and its child rows."""

    row: dict[str, Any]
    province: str
    languages: list[tuple[str, str]] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)
    # (code, issued_on, expires_on)
    qualifications: list[tuple[str, dt.date, dt.date | None]] = field(default_factory=list)
    # (kind, expires_on)
    documents: list[tuple[str, dt.date]] = field(default_factory=list)


@dataclass
class RequestRecord:
    """One synthetic household with its recipient and care request."""

    household: dict[str, Any]
    recipient: dict[str, Any]
    request: dict[str, Any]
    province: str
    conditions: list[str] = field(default_factory=list)
    # (code, is_required)
    qualifications: list[tuple[str, bool]] = field(default_factory=list)
    languages: list[tuple[str, bool]] = field(default_factory=list)


def _choice(
    rng: np.random.Generator, n: int, weights: Sequence[float] | npt.NDArray[np.float64]
) -> npt.NDArray[np.int64]:
    """``n`` indices drawn with the (normalised) ``weights``."""
    p = np.asarray(weights, dtype=np.float64)
    return rng.choice(len(p), size=n, p=p / p.sum())


def _jitter(
    rng: np.random.Generator, places: Places, index: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Points spread uniformly over a disc around each chosen comune's centroid."""
    radius = places.jitter_km[index] * np.sqrt(rng.random(index.size))
    angle = rng.random(index.size) * 2 * np.pi
    lat = places.lat[index] + radius * np.sin(angle) / KM_PER_DEGREE
    lon = places.lon[index] + radius * np.cos(angle) / (
        KM_PER_DEGREE * np.cos(np.radians(places.lat[index]))
    )
    return np.round(lat, 5), np.round(lon, 5)


def _pick(items: Sequence[str], u: float) -> str:
    """The item at fraction ``u`` in [0, 1) of ``items``."""
    return items[min(int(u * len(items)), len(items) - 1)]


def _template_masks(templates: tuple[tuple[Template, float], ...]) -> list[int]:
    return [template.mask for template, _weight in templates]


def _weights(templates: tuple[tuple[Template, float], ...]) -> list[float]:
    return [weight for _template, weight in templates]


def generate_assistants(
    seed: int, count: int, places: Places, today: dt.date, chunk: int = 5000
) -> Iterator[list[AssistantRecord]]:
    """``count`` assistants in lists of up to ``chunk``; the same arguments, the same data."""
    rng = np.random.default_rng([seed, 1])
    n = count
    place = _choice(rng, n, places.weight)
    lat, lon = _jitter(rng, places, place)
    nationality = _choice(rng, n, [nat.share for nat in NATIONALITIES])
    gender_u = rng.random(n)
    birth_year = 1960 + rng.binomial(40, 0.35, n)
    radius = np.asarray(RADII_KM)[_choice(rng, n, RADII_WEIGHTS)]
    primary = _choice(rng, n, (0.4, 0.5, 0.1))  # live-in, hourly, night
    second_u = rng.random(n)
    live_in_t = _choice(rng, n, _weights(AVAILABILITY_TEMPLATES["live_in"]))
    hourly_t = _choice(rng, n, _weights(AVAILABILITY_TEMPLATES["hourly"]))
    night_t = _choice(rng, n, _weights(AVAILABILITY_TEMPLATES["night"]))
    from_u = rng.random(n)
    from_days = rng.integers(0, 366, n)
    experience = np.minimum(np.round(rng.exponential(7.0, n)), 40).astype(np.int64)
    status = _choice(rng, n, (0.85, 0.12, 0.03))  # verified, pending, suspended
    verified_days = rng.integers(1, 700, n)
    uniforms = rng.random((n, 32))

    masks = {
        "live_in": _template_masks(AVAILABILITY_TEMPLATES["live_in"]),
        "hourly": _template_masks(AVAILABILITY_TEMPLATES["hourly"]),
        "night": _template_masks(AVAILABILITY_TEMPLATES["night"]),
    }
    stored: dict[int, bytes] = {}
    # Python scalars from here on: numpy scalar arithmetic is slow one value at a time.
    place_list, lat_list, lon_list = place.tolist(), lat.tolist(), lon.tolist()
    nat_list, gender_list, year_list = nationality.tolist(), gender_u.tolist(), birth_year.tolist()
    radius_list, primary_list, second_list = radius.tolist(), primary.tolist(), second_u.tolist()
    templates = (live_in_t.tolist(), hourly_t.tolist(), night_t.tolist())
    from_u_list, from_days_list = from_u.tolist(), from_days.tolist()
    experience_list, status_list = experience.tolist(), status.tolist()
    verified_list = verified_days.tolist()
    for start in range(0, n, chunk):
        stop = min(start + chunk, n)
        chunk_uniforms = uniforms[start:stop].tolist()
        records = []
        for i in range(start, stop):
            u = chunk_uniforms[i - start]
            nat = NATIONALITIES[nat_list[i]]
            gender = "f" if gender_list[i] < 0.88 else ("m" if gender_list[i] < 0.995 else "x")
            first = _pick(nat.male if gender == "m" else nat.female, u[0])
            accepts = [primary_list[i] == 0, primary_list[i] == 1, primary_list[i] == 2]
            if second_list[i] < 0.25:
                # A second arrangement: hourly workers also take nights or live-in jobs.
                extra = 1 if primary_list[i] != 1 else (2 if u[1] < 0.4 else 0)
                accepts[extra] = True
            mask = 0
            if accepts[0]:
                mask |= masks["live_in"][templates[0][i]]
            if accepts[1]:
                mask |= masks["hourly"][templates[1][i]]
            if accepts[2]:
                mask |= masks["night"][templates[2][i]]
            if mask not in stored:
                stored[mask] = to_bytes(mask)
            age = today.year - year_list[i]
            years = min(experience_list[i], max(age - 18, 0))
            state = ("verified", "pending", "suspended")[status_list[i]]
            verified_at = None
            if state != "pending":
                day = today - dt.timedelta(days=verified_list[i])
                verified_at = dt.datetime(day.year, day.month, day.day, 9, tzinfo=dt.UTC)
                verified_at += dt.timedelta(minutes=int(u[2] * 480))
            if from_u_list[i] < 0.65:
                available_from = today - dt.timedelta(days=from_days_list[i])
            else:
                available_from = today + dt.timedelta(days=1 + from_days_list[i] // 3)
            record = AssistantRecord(
                row={
                    "display_name": f"{first} {_pick(nat.surnames, u[3])}",
                    "gender": gender,
                    "birth_year": year_list[i],
                    "nationality": nat.code,
                    "municipality_id": places.istat[place_list[i]],
                    "lat": lat_list[i],
                    "lon": lon_list[i],
                    "travel_radius_km": float(radius_list[i]),
                    "accepts_live_in": accepts[0],
                    "accepts_hourly": accepts[1],
                    "accepts_night": accepts[2],
                    "availability": stored[mask],
                    "available_from": available_from,
                    "years_experience": years,
                    "status": state,
                    "verified_at": verified_at,
                },
                province=places.province[place_list[i]],
            )
            _add_languages(record, nat.native, nat.extra, u)
            _add_conditions(record, years, u)
            _add_qualifications(record, today, u)
            if not nat.is_eu:
                expires = today + dt.timedelta(days=int(u[30] * 790) - 60)
                record.documents.append(("residence_permit", expires))
            elif u[30] < 0.6:
                expires = today + dt.timedelta(days=200 + int(u[31] * 3400))
                record.documents.append(("identity_card", expires))
            records.append(record)
        yield records


def _add_languages(
    record: AssistantRecord,
    native: tuple[str, ...],
    extra: tuple[tuple[str, float, str], ...],
    u: list[float],
) -> None:
    """Native languages, Italian at a working level, and the usual second languages."""
    languages = {code: "native" for code in native}
    if "it" not in languages:
        languages["it"] = ITALIAN_LEVELS[bisect.bisect_right(_ITALIAN_CUMULATIVE, u[4])]
    for k, (code, probability, level) in enumerate(extra):
        if code not in languages and u[5 + k] < probability:
            languages[code] = level
    record.languages = sorted(languages.items())


def _add_conditions(record: AssistantRecord, years: int, u: list[float]) -> None:
    """Conditions met on the job: more likely after more years of work."""
    boost = 0.5 + min(years, 15) / 10
    record.conditions = [
        code
        for k, (code, probability) in enumerate(ASSISTANT_CONDITIONS)
        if u[8 + k] < probability * boost
    ]


def _add_qualifications(record: AssistantRecord, today: dt.date, u: list[float]) -> None:
    """OSS about 20%, regional certificate 40%, driving licence 50%; some expire."""

    def days_ago(fraction: float, max_days: int) -> dt.date:
        return today - dt.timedelta(days=30 + int(fraction * max_days))

    quals = record.qualifications
    if u[16] < 0.2:
        quals.append(("oss", days_ago(u[17], 6000), None))
    elif u[16] < 0.28:
        quals.append(("osa", days_ago(u[17], 5000), None))
    if u[18] < 0.4:
        quals.append(("assistente_familiare", days_ago(u[19], 4000), None))
    if u[20] < 0.35:
        # First-aid courses last three years: those taken long ago have expired.
        issued = days_ago(u[21], 1250)
        quals.append(("first_aid", issued, issued + dt.timedelta(days=3 * 365)))
    if u[22] < 0.15 + (0.2 if "dementia" in record.conditions else 0):
        quals.append(("dementia_care", days_ago(u[23], 3000), None))
    if u[24] < 0.5:
        # Licences are renewed every ten years; a few are overdue.
        expires = today + dt.timedelta(days=int(u[25] * 3650) - 100)
        quals.append(("driving_licence", expires - dt.timedelta(days=3650), expires))
    if u[26] < 0.02:
        quals.append(("nurse", days_ago(u[27], 8000), None))
    quals.sort()


def generate_requests(seed: int, count: int, places: Places, today: dt.date) -> list[RequestRecord]:
    """``count`` households, each with one recipient and one care request."""
    rng = np.random.default_rng([seed, 2])
    n = count
    place = _choice(rng, n, places.weight)
    lat, lon = _jitter(rng, places, place)
    age_band = _choice(rng, n, AGE_BAND_WEIGHTS)
    status = _choice(rng, n, REQUEST_STATUS_WEIGHTS)
    distance = np.asarray(MAX_DISTANCES_KM)[_choice(rng, n, MAX_DISTANCE_WEIGHTS)]
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
        surname = _pick(ITALIAN_SURNAMES, u[6])
        record = RequestRecord(
            household={
                "contact_name": f"{_pick(CONTACT_FIRST_NAMES, u[7])} {surname}",
                "municipality_id": places.istat[place[i]],
                "address": f"{_pick(STREETS, u[8])} {1 + int(u[9] * 150)}",
                "lat": float(lat[i]),
                "lon": float(lon[i]),
            },
            recipient={
                "first_name": _pick(
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
        languages.append((_pick(second, u[29]), False))
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
