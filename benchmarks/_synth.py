"""Synthetic candidates and demands spread like the population (vectorised, seeded)."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import numpy.typing as npt

from matching import FULL_WEEK, Candidates, Demand, Schedule, Vocabulary

from ._places import ITALY, PIEMONTE

START = dt.date(2026, 1, 12)
QUAL_P = {
    "oss": 0.20,
    "osa": 0.08,
    "assistente_familiare": 0.30,
    "nurse": 0.03,
    "first_aid": 0.40,
    "dementia_care": 0.15,
    "driving_licence": 0.50,
}
LANG_P = {"it": 0.85, "ro": 0.30, "uk": 0.15, "es": 0.10, "ar": 0.08, "tl": 0.05, "en": 0.20}
COND_P = {"dementia": 0.35, "parkinson": 0.2, "disability": 0.3, "children": 0.15, "stroke": 0.2}
AVAILABILITY = [
    FULL_WEEK,
    Schedule.parse("lun-ven 07:00-20:00"),
    Schedule.parse("lun-sab 08:00-14:00"),
    Schedule.parse("lun-ven 14:00-21:00"),
    Schedule.parse("lun-dom 20:00-08:00"),
    Schedule.parse("lun-ven 08:00-18:00, sab 08:00-12:00"),
    Schedule.parse("mar gio sab"),
    Schedule.parse("lun-sab 06:00-22:00"),
]
AVAIL_P = [0.25, 0.2, 0.12, 0.08, 0.08, 0.12, 0.05, 0.10]
BUSY = [
    Schedule(),
    Schedule.parse("lun-ven 08:00-12:00"),
    Schedule.parse("lun mer ven 14:00-18:00"),
    Schedule.parse("mar-gio 09:00-13:00"),
    Schedule.parse("sab-dom 10:00-13:00"),
]
BUSY_P = [0.6, 0.12, 0.12, 0.1, 0.06]
DEMAND_SCHEDULES = {
    "hourly": [
        Schedule.parse("lun-ven 08:00-12:00"),
        Schedule.parse("lun-ven 09:00-13:00"),
        Schedule.parse("lun mer ven 15:00-19:00"),
        Schedule.parse("lun-sab 08:00-11:00"),
        Schedule.parse("mar gio 14:00-18:00"),
        Schedule.parse("sab-dom 09:00-13:00"),
        Schedule.parse("lun-ven 17:00-20:00"),
    ],
    "night": [Schedule.parse("lun-ven 21:00-07:00"), Schedule.parse("ven-dom 22:00-06:00")],
    "live_in": [FULL_WEEK],
}


#: Resident population of the regions (ISTAT, rounded): the listed towns hold only part of
#: it, and the rest is spread around them (the "wide" share below).
REGION_POPULATION = {"piemonte": 4_250_000, "italy": 58_900_000}


def _points(
    rng: np.random.Generator, n: int, region: str
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """``n`` points spread like the population.

    A point belongs to a listed town with probability (towns' population / region's
    population), then lies around its centre with a Gaussian spread of
    ``1.5 + 1.2 * sqrt(pop / 50,000)`` km (about 10 km for Rome); otherwise it stands for
    the smaller comuni: around a town chosen by sqrt(population), 20 km spread.

    ``region="piemonte-demo"`` is the demo loader's layout instead (``carenet demo load``):
    every comune of Piemonte weighted by its population, points spread over a disc of up to
    3 km around its centroid.
    """
    if region == "piemonte-demo":
        return _demo_points(rng, n)
    places = PIEMONTE if region == "piemonte" else ITALY
    lat0 = np.array([p[1] for p in places])
    lon0 = np.array([p[2] for p in places])
    pop = np.array([p[3] for p in places], dtype=np.float64)
    town = rng.choice(len(places), size=n, p=pop / pop.sum())
    sigma = 1.5 + 1.2 * np.sqrt(pop / 50_000)
    wide = rng.random(n) >= pop.sum() / REGION_POPULATION[region]
    wide_town = rng.choice(len(places), size=n, p=np.sqrt(pop) / np.sqrt(pop).sum())
    town = np.where(wide, wide_town, town)
    s = np.where(wide, 20.0, sigma[town])
    dy = rng.normal(0, 1, n) * s
    dx = rng.normal(0, 1, n) * s
    lat = lat0[town] + dy / 111.2
    lon = lon0[town] + dx / (111.2 * np.cos(np.radians(lat0[town])))
    return np.clip(lat, -89.0, 89.0), lon


def _demo_points(
    rng: np.random.Generator, n: int
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """``n`` points placed as ``carenet demo load`` places assistants and families."""
    from carenet.demo.generate._common import choice, jitter
    from carenet.demo.places import piemonte_places

    places = piemonte_places()
    return jitter(rng, places, choice(rng, n, places.weight))


def candidates(n: int, region: str, seed: int = 0) -> Candidates:
    """``n`` random candidates as columns (ids 1..n)."""
    rng = np.random.default_rng(seed)
    voc = Vocabulary()
    lat, lon = _points(rng, n, region)
    radius = rng.choice(
        [5.0, 10.0, 15.0, 20.0, 30.0, 50.0], n, p=[0.15, 0.25, 0.25, 0.15, 0.15, 0.05]
    )
    arr = np.zeros(n, np.uint8)
    arr |= (rng.random(n) < 0.40).astype(np.uint8) * 1
    arr |= (rng.random(n) < 0.75).astype(np.uint8) * 2
    arr |= (rng.random(n) < 0.25).astype(np.uint8) * 4
    arr[arr == 0] = 2
    quals = voc.codes("qualifications")
    qual = np.zeros((len(quals), n), np.int32)
    base = START.toordinal()
    for code, p in QUAL_P.items():
        held = rng.random(n) < p
        expiry = np.where(
            rng.random(n) < 0.5, 2**31 - 1, base + rng.integers(-365, 3 * 365, n)
        ).astype(np.int32)
        qual[quals[code]] = np.where(held, expiry, 0)
    langs = voc.codes("languages")
    lang = np.zeros(n, np.uint64)
    for code, p in LANG_P.items():
        lang |= (rng.random(n) < p).astype(np.uint64) << np.uint64(langs[code])
    conds = voc.codes("conditions")
    cond = np.zeros(n, np.uint64)
    for code, p in COND_P.items():
        cond |= (rng.random(n) < p).astype(np.uint64) << np.uint64(conds[code])
    genders = voc.codes("genders")
    gender = rng.choice([genders["f"], genders["m"], 0], n, p=[0.85, 0.14, 0.01]).astype(np.int8)
    avail_words = np.array([s.to_words() for s in AVAILABILITY])
    busy_words = np.array([s.to_words() for s in BUSY])
    avail = avail_words[rng.choice(len(AVAILABILITY), n, p=AVAIL_P)]
    busy = busy_words[rng.choice(len(BUSY), n, p=BUSY_P)]
    live_in = rng.random(n) < 0.05
    busy[live_in] = FULL_WEEK.to_words()
    available_from = np.where(rng.random(n) < 0.7, 0, base + rng.integers(-60, 60, n)).astype(
        np.int32
    )
    feedback = np.where(rng.random(n) < 0.6, rng.uniform(0.4, 1.0, n), math.nan)
    return Candidates(
        ids=np.arange(1, n + 1, dtype=np.int64),
        lat=lat,
        lon=lon,
        travel_radius_km=radius,
        is_active=rng.random(n) < 0.92,
        arrangements=arr,
        qual_expiry=qual,
        languages=lang,
        gender=gender,
        available_from=available_from,
        availability=avail,
        busy=busy,
        has_live_in_placement=live_in,
        years_experience=np.minimum(rng.exponential(6.0, n), 30.0),
        conditions=cond,
        feedback=feedback,
        vocabulary=voc,
    )


def demands(n: int, region: str, seed: int = 1) -> list[Demand]:
    """``n`` random demands (max distance 5-50 km) located like the population."""
    rng = np.random.default_rng(seed)
    lat, lon = _points(rng, n, region)
    out = []
    for i in range(n):
        arrangement = str(rng.choice(["hourly", "live_in", "night"], p=[0.6, 0.25, 0.15]))
        scheds = DEMAND_SCHEDULES[arrangement]
        schedule = scheds[int(rng.integers(len(scheds)))]
        pref = str(rng.choice(["none", "preferred", "required"], p=[0.7, 0.2, 0.1]))
        non_self = bool(rng.random() < 0.5)
        req_q: frozenset[str] = frozenset()
        if rng.random() < 0.3:
            req_q = frozenset({str(rng.choice(["oss", "assistente_familiare", "first_aid"]))})
        out.append(
            Demand(
                lat=float(lat[i]),
                lon=float(lon[i]),
                max_distance_km=float(rng.uniform(5.0, 50.0)),
                arrangement=arrangement,  # type: ignore[arg-type]
                schedule=schedule,
                start_date=START + dt.timedelta(days=int(rng.integers(0, 60))),
                weekly_hours=54.0 if arrangement == "live_in" else None,
                required_qualifications=req_q,
                preferred_qualifications=frozenset(
                    rng.choice(list(QUAL_P), int(rng.integers(0, 3)), replace=False).tolist()
                ),
                required_languages=frozenset({"it"}) if rng.random() < 0.5 else frozenset(),
                preferred_languages=frozenset(
                    rng.choice(["ro", "uk", "es", "en"], int(rng.integers(0, 2))).tolist()
                ),
                gender=None if pref == "none" else "f",
                gender_preference=pref,  # type: ignore[arg-type]
                conditions=frozenset(
                    rng.choice(list(COND_P), int(rng.integers(0, 3)), replace=False).tolist()
                ),
                non_self_sufficient=non_self,
                ccnl_level="DS" if non_self and rng.random() < 0.3 else None,
            )
        )
    return out
