"""Checking profile input before anything is written: every problem, per field, at once."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from babel import Locale
from flask_babel import gettext as _

from carenet.catalogue.services import resolve_comune
from carenet.core.errors import Invalid
from carenet.core.vocab import ARRANGEMENTS, CONDITIONS, GENDERS, LANGUAGE_LEVELS
from carenet.gazetteer import is_in_italy
from matching import Schedule, ScheduleError

# Babel's territory list holds ISO 3166-1 alpha-2 codes plus a few groupings that are not
# countries; Kosovo's user-assigned XK stays, since residence permits use it.
_NOT_COUNTRIES = frozenset({"EU", "EZ", "QO", "UN", "XA", "XB", "ZZ"})
COUNTRY_CODES = frozenset(
    str(code)
    for code in Locale("en").territories
    if isinstance(code, str) and len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
)
LANGUAGE_CODE = re.compile(r"^[a-z]{2}$")
PHONE = re.compile(r"^\+?[0-9][0-9 ()/.-]{4,38}$")
# Characters that no name, phone or bio needs and PostgreSQL cannot even store (NUL).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

MIN_AGE, MAX_AGE = 16, 100
MAX_LANGUAGES = 20
LIMITS = {"display_name": 120, "phone": 40, "bio": 4000, "availability": 500, "municipality": 100}

PROFILE_FIELDS = (
    "display_name",
    "gender",
    "birth_year",
    "nationality",
    "phone",
    "languages",
    "municipality",
    "province",
    "lat",
    "lon",
    "travel_radius_km",
    "arrangements",
    "availability",
    "available_from",
    "years_experience",
    "conditions",
    "bio",
)
REQUIRED_FIELDS = (
    "display_name",
    "gender",
    "birth_year",
    "nationality",
    "municipality",
    "travel_radius_km",
    "arrangements",
    "availability",
    "available_from",
)


@dataclass
class Errors:
    """Per-field problems gathered while checking one input."""

    fields: dict[str, list[str]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        """Record one problem with ``name``."""
        self.fields.setdefault(name, []).append(message)

    def raise_if_any(self) -> None:
        """Raise one ``Invalid`` naming every problem, when there is any."""
        if not self.fields:
            return
        messages = [m for problems in self.fields.values() for m in problems]
        raise Invalid(" ".join(messages), {"fields": self.fields, **self.extra})


def check_text(errors: Errors, name: str, value: Any, *, required: bool, limit: int) -> str | None:
    """A stripped string within ``limit`` characters, or None when empty and optional."""
    if value is None:
        if required:
            errors.add(name, _("%(field)s is required.", field=name))
        return None
    if not isinstance(value, str):
        errors.add(name, _("%(field)s must be text.", field=name))
        return None
    text = value.strip()
    if not text:
        if required:
            errors.add(name, _("%(field)s must not be empty.", field=name))
        return None
    if len(text) > limit:
        errors.add(
            name,
            _(
                "%(field)s is %(length)d characters long; the limit is %(limit)d.",
                field=name,
                length=len(text),
                limit=limit,
            ),
        )
        return None
    if _CONTROL.search(text):
        errors.add(name, _("%(field)s contains control characters.", field=name))
        return None
    return text


def _check_number(
    errors: Errors, name: str, value: Any, low: float, high: float, *, integer: bool
) -> Any:
    """A number within [low, high]; NaN, infinities and booleans are refused."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        errors.add(name, _("%(field)s must be a number.", field=name))
        return None
    if integer and not isinstance(value, int):
        errors.add(name, _("%(field)s must be a whole number.", field=name))
        return None
    if value != value or not low <= value <= high:  # value != value: NaN
        errors.add(
            name,
            _(
                "%(field)s is %(value)s; it must be between %(low)s and %(high)s.",
                field=name,
                value=value,
                low=low,
                high=high,
            ),
        )
        return None
    return value


def parse_schedule(errors: Errors, name: str, text: Any) -> Schedule | None:
    """A weekly schedule from readable ranges; the error names the bad token."""
    clean = check_text(errors, name, text, required=True, limit=LIMITS["availability"])
    if clean is None:
        return None
    try:
        schedule = Schedule.parse(clean)
    except ScheduleError as exc:
        errors.add(name, _("Availability %(text)r: %(problem)s", text=clean, problem=str(exc)))
        return None
    if not schedule:
        errors.add(name, _("Availability %(text)r contains no hours.", text=clean))
        return None
    return schedule


def _check_languages(errors: Errors, value: Any) -> dict[str, str] | None:
    """``[{"language": "ro", "level": "native"}, ...]`` as {code: level}."""
    if not isinstance(value, list | tuple):
        errors.add("languages", _("languages must be a list."))
        return None
    if len(value) > MAX_LANGUAGES:
        errors.add("languages", _("At most %(limit)d languages.", limit=MAX_LANGUAGES))
        return None
    result: dict[str, str] = {}
    for item in value:
        code = str(item.get("language", "")).strip().lower() if isinstance(item, dict) else ""
        level = item.get("level") if isinstance(item, dict) else None
        if not LANGUAGE_CODE.match(code):
            errors.add(
                "languages",
                _("Language %(code)r is not a two-letter ISO 639-1 code.", code=code[:20]),
            )
        elif level not in LANGUAGE_LEVELS:
            errors.add(
                "languages",
                _(
                    "Level %(level)r of %(code)s is not one of %(levels)s.",
                    level=str(level)[:20],
                    code=code,
                    levels=", ".join(LANGUAGE_LEVELS),
                ),
            )
        elif code in result:
            errors.add("languages", _("Language %(code)s is listed twice.", code=code))
        else:
            result[code] = str(level)
    return result


def _check_choices(
    errors: Errors, name: str, value: Any, allowed: tuple[str, ...], *, at_least_one: bool
) -> list[str] | None:
    """A list of distinct codes from ``allowed``."""
    if not isinstance(value, list | tuple):
        errors.add(name, _("%(field)s must be a list.", field=name))
        return None
    unknown = [str(v)[:40] for v in value if v not in allowed]
    if unknown:
        errors.add(
            name,
            _(
                "%(field)s: unknown %(values)s; use %(allowed)s.",
                field=name,
                values=", ".join(unknown),
                allowed=", ".join(allowed),
            ),
        )
        return None
    if at_least_one and not value:
        errors.add(name, _("Choose at least one of %(allowed)s.", allowed=", ".join(allowed)))
        return None
    return [code for code in allowed if code in value]


def _check_comune(errors: Errors, data: Mapping[str, Any]) -> str | None:
    """The ISTAT code of the comune named in ``data``, with suggestions when unknown."""
    text = check_text(
        errors,
        "municipality",
        data.get("municipality"),
        required=True,
        limit=LIMITS["municipality"],
    )
    province = check_text(errors, "province", data.get("province"), required=False, limit=2)
    if text is None:
        return None
    try:
        return resolve_comune(text, province=province.upper() if province else None).istat
    except Invalid as exc:
        errors.add("municipality", exc.message)
        if exc.details.get("suggestions"):
            errors.extra["suggestions"] = exc.details["suggestions"]
        return None


def _check_position(errors: Errors, lat: Any, lon: Any) -> tuple[float | None, float | None]:
    """Precise coordinates: both or neither, and inside Italy."""
    if lat is None and lon is None:
        return None, None
    if lat is None or lon is None:
        errors.add("lat" if lat is None else "lon", _("Give lat and lon together."))
        return None, None
    lat = _check_number(errors, "lat", lat, -90, 90, integer=False)
    lon = _check_number(errors, "lon", lon, -180, 180, integer=False)
    if lat is None or lon is None:
        return None, None
    if not is_in_italy(lat, lon):
        errors.add("lat", _("coordinates %(lat)s, %(lon)s are outside Italy", lat=lat, lon=lon))
        return None, None
    return float(lat), float(lon)


def check_profile(data: Mapping[str, Any], *, partial: bool, today: dt.date) -> dict[str, Any]:
    """Validate profile input into model values, raising one ``Invalid`` for every problem.

    Only the keys present in ``data`` are checked and returned when ``partial``; the
    result uses the model's names (``municipality_id``, ``accepts_*``, ``availability``
    as bytes) plus ``languages`` {code: level} and ``conditions`` [codes].
    """
    errors = Errors()
    unknown = sorted(set(data) - set(PROFILE_FIELDS))
    for name in unknown:
        errors.add(name, _("Unknown field %(field)s.", field=name[:40]))
    if not partial:
        for name in REQUIRED_FIELDS:
            if data.get(name) is None:
                errors.add(name, _("%(field)s is required.", field=name))
        errors.raise_if_any()
    present = set(data)
    out: dict[str, Any] = {}

    if "display_name" in present:
        out["display_name"] = check_text(
            errors,
            "display_name",
            data["display_name"],
            required=True,
            limit=LIMITS["display_name"],
        )
    if "gender" in present:
        if data["gender"] not in GENDERS:
            errors.add(
                "gender",
                _("gender must be one of %(allowed)s.", allowed=", ".join(GENDERS)),
            )
        out["gender"] = data["gender"]
    if "birth_year" in present:
        out["birth_year"] = _check_number(
            errors,
            "birth_year",
            data["birth_year"],
            today.year - MAX_AGE,
            today.year - MIN_AGE,
            integer=True,
        )
    if "nationality" in present:
        code = data["nationality"]
        code = code.strip().upper() if isinstance(code, str) else ""
        if code not in COUNTRY_CODES:
            errors.add(
                "nationality",
                _(
                    "Nationality %(code)r is not an ISO 3166 alpha-2 country code (e.g. RO).",
                    code=code[:20],
                ),
            )
        out["nationality"] = code
    if "phone" in present:
        phone = check_text(errors, "phone", data["phone"], required=False, limit=LIMITS["phone"])
        if phone is not None and not PHONE.match(phone):
            errors.add("phone", _("Phone %(phone)r is not a phone number.", phone=phone))
        out["phone"] = phone
    if "languages" in present:
        out["languages"] = _check_languages(errors, data["languages"] or [])
    if "municipality" in present or "province" in present:
        if "municipality" not in present:
            errors.add("municipality", _("Give the municipality with its province."))
        else:
            out["municipality_id"] = _check_comune(errors, data)
    if "lat" in present or "lon" in present:
        out["lat"], out["lon"] = _check_position(errors, data.get("lat"), data.get("lon"))
    if "travel_radius_km" in present:
        out["travel_radius_km"] = _check_number(
            errors, "travel_radius_km", data["travel_radius_km"], 1, 300, integer=False
        )
    if "arrangements" in present:
        chosen = _check_choices(
            errors, "arrangements", data["arrangements"], ARRANGEMENTS, at_least_one=True
        )
        for code in ARRANGEMENTS:
            out[f"accepts_{code}"] = chosen is not None and code in chosen
    if "availability" in present:
        schedule = parse_schedule(errors, "availability", data["availability"])
        out["availability"] = schedule.to_bytes() if schedule is not None else None
    if "available_from" in present:
        if not isinstance(data["available_from"], dt.date):
            errors.add("available_from", _("available_from must be a date."))
        out["available_from"] = data["available_from"]
    if "years_experience" in present:
        out["years_experience"] = _check_number(
            errors, "years_experience", data["years_experience"] or 0, 0, 70, integer=True
        )
    if "conditions" in present:
        out["conditions"] = _check_choices(
            errors, "conditions", data["conditions"] or [], CONDITIONS, at_least_one=False
        )
    if "bio" in present:
        out["bio"] = check_text(errors, "bio", data["bio"], required=False, limit=LIMITS["bio"])
        out["bio"] = out["bio"] or ""
    errors.raise_if_any()
    return out
