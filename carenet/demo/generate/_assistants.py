"""Synthetic assistants: profile, languages, conditions, qualifications, documents."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterator

import numpy as np

from carenet.demo.generate._common import AssistantRecord, choice, jitter, pick
from carenet.demo.people import ITALIAN_LEVEL_WEIGHTS, ITALIAN_LEVELS, NATIONALITIES
from carenet.demo.places import Places
from carenet.demo.schedules import AVAILABILITY_TEMPLATES, Template, to_bytes

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
_ITALIAN_CUMULATIVE = [
    sum(ITALIAN_LEVEL_WEIGHTS[: k + 1]) / sum(ITALIAN_LEVEL_WEIGHTS)
    for k in range(len(ITALIAN_LEVEL_WEIGHTS) - 1)
]


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
    place = choice(rng, n, places.weight)
    lat, lon = jitter(rng, places, place)
    nationality = choice(rng, n, [nat.share for nat in NATIONALITIES])
    gender_u = rng.random(n)
    birth_year = 1960 + rng.binomial(40, 0.35, n)
    radius = np.asarray(RADII_KM)[choice(rng, n, RADII_WEIGHTS)]
    primary = choice(rng, n, (0.4, 0.5, 0.1))  # live-in, hourly, night
    second_u = rng.random(n)
    live_in_t = choice(rng, n, _weights(AVAILABILITY_TEMPLATES["live_in"]))
    hourly_t = choice(rng, n, _weights(AVAILABILITY_TEMPLATES["hourly"]))
    night_t = choice(rng, n, _weights(AVAILABILITY_TEMPLATES["night"]))
    from_u = rng.random(n)
    from_days = rng.integers(0, 366, n)
    experience = np.minimum(np.round(rng.exponential(7.0, n)), 40).astype(np.int64)
    status = choice(rng, n, (0.85, 0.12, 0.03))  # verified, pending, suspended
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
            first = pick(nat.male if gender == "m" else nat.female, u[0])
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
                    "display_name": f"{first} {pick(nat.surnames, u[3])}",
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
