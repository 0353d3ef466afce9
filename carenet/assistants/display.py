"""How profiles read to people: schedules as ranges, codes as translated labels."""

from __future__ import annotations

import datetime as dt
from typing import Any

from babel import Locale
from flask_babel import get_locale

from carenet.assistants.models import Assistant, AssistantQualification, Qualification
from carenet.core import vocab
from matching import Schedule

SCHEDULE_LOCALES = ("it", "en")


def current_language() -> str:
    """The request's interface language, "it" or "en"."""
    locale = get_locale()
    language = locale.language if locale is not None else "it"
    return language if language in SCHEDULE_LOCALES else "it"


def availability_text(data: bytes, locale: str | None = None) -> str:
    """Stored availability as readable ranges ("lun-ven 08:00-12:00")."""
    language = locale if locale in SCHEDULE_LOCALES else current_language()
    return Schedule.from_bytes(data).format(language)


def availability_hours(data: bytes) -> int:
    """Hours per week in stored availability."""
    return Schedule.from_bytes(data).hours


def language_label(code: str) -> str:
    """A language's name: carenet's own label, else Babel's, else the code itself."""
    if code in vocab.LANGUAGE_LABELS:
        return str(vocab.LANGUAGE_LABELS[code])
    name = Locale(current_language()).languages.get(code)
    return name or code


def qualification_name(qualification: Qualification) -> str:
    """The catalogue name in the request's language."""
    return qualification.name_en if current_language() == "en" else qualification.name_it


def is_qualification_valid(row: AssistantQualification, day: dt.date | None = None) -> bool:
    """Whether the qualification holds on ``day`` (today by default)."""
    return row.is_valid_on(day or dt.date.today())


def label(labels: dict[str, Any], code: str) -> str:
    """A vocabulary label, falling back to the code."""
    return str(labels.get(code, code))


def availability(assistant: Assistant) -> dict[str, Any]:
    """Availability in both languages and as an hour count."""
    return {
        "it": availability_text(assistant.availability, "it"),
        "en": availability_text(assistant.availability, "en"),
        "hours": availability_hours(assistant.availability),
    }
