"""The contract rules of domestic care work, in one place for the engine and the service.

These are the rules of the *CCNL sulla disciplina del rapporto di lavoro domestico* (the
national collective agreement for domestic work, text signed on 8 September 2020) that
decide who may be matched and placed: the CCNL levels for care of people, who counts as
trained, the weekly hour limits per arrangement, an assistant's total hours across
placements and the daily rest. The engine (``matching``) reads them for its hard filters
and scores; carenet imports them for its request and placement checks and for the
qualification catalogue. Nothing else defines them: change a rule here, and every caller
follows. Sources and carenet's readings of them: ``docs/contract-rules.md``.

Plain constants and functions: no numpy, no carenet, no Flask.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

#: CCNL levels for the care of people, in increasing order of qualification and pay
#: (CCNL 2020, art. 9): BS self-sufficient people; CS non-self-sufficient people,
#: untrained; DS non-self-sufficient people, trained. AS (companionship only) is
#: outside the programme.
LEVELS: Final = ("BS", "CS", "DS")
LEVEL_RANK: Final = {"BS": 0, "CS": 1, "DS": 2}
#: The levels for a self-sufficient person, and for one who is not (art. 9).
SELF_SUFFICIENT_LEVELS: Final = frozenset({"BS"})
NON_SELF_SUFFICIENT_LEVELS: Final = frozenset({"CS", "DS"})
#: The level that needs a trained assistant (art. 9: "formato").
TRAINED_LEVEL: Final = "DS"

#: Qualifications that make an assistant "trained" (CCNL level DS): professional
#: qualifications in social and health care. OSS (national profile, Accordo
#: Stato-Regioni of 22 February 2001), OSA (regional social-care qualification), nurse,
#: and ADEST and OTA, the earlier qualifications the OSS profile replaced in 2001. Not
#: trained: the regional family-assistant certificate (the care course the regional
#: registers ask of every assistant), first aid, dementia-care training, driving licence.
TRAINED_QUALIFICATIONS: Final = frozenset({"oss", "osa", "nurse", "adest", "ota"})

#: Weekly limits of one contract (CCNL 2020, art. 14): live-in full time 54 h, live-in
#: part time 30 h, non-live-in (hourly) 40 h. Night assistance: 40 h, carenet's
#: assumption until the Region sets a figure.
LIVE_IN_FULL_TIME_MAX_HOURS: Final = 54
LIVE_IN_PART_TIME_MAX_HOURS: Final = 30
HOURLY_MAX_HOURS: Final = 40
NIGHT_MAX_HOURS: Final = 40
#: An assistant's total weekly hours across concurrent hourly and night placements, the
#: new one included: the CCNL's 40 h of a non-live-in worker (art. 14), applied by carenet
#: to the sum of the assistant's placements. A live-in placement takes the whole week, so
#: it is never concurrent with another.
ASSISTANT_MAX_WEEKLY_HOURS: Final = 40
#: Consecutive hours of rest in every day (CCNL 2020, art. 14).
DAILY_REST_HOURS: Final = 11


def max_weekly_hours(arrangement: str, live_in_part_time: bool = False) -> int:
    """The weekly hour limit of one contract of ``arrangement``."""
    if arrangement == "hourly":
        return HOURLY_MAX_HOURS
    if arrangement == "night":
        return NIGHT_MAX_HOURS
    if arrangement == "live_in":
        return LIVE_IN_PART_TIME_MAX_HOURS if live_in_part_time else LIVE_IN_FULL_TIME_MAX_HOURS
    raise ValueError(f"unknown arrangement {arrangement!r}")


def allowed_levels(non_self_sufficient: bool) -> frozenset[str]:
    """The CCNL levels a contract may have for a person who is (not) self-sufficient."""
    return NON_SELF_SUFFICIENT_LEVELS if non_self_sufficient else SELF_SUFFICIENT_LEVELS


def implied_level(non_self_sufficient: bool, requires_trained: bool) -> str:
    """The lowest level a request implies: BS, CS, or DS when a trained assistant is asked."""
    if not non_self_sufficient:
        return "BS"
    return TRAINED_LEVEL if requires_trained else "CS"


def is_trained(qualifications: Iterable[str]) -> bool:
    """Whether any of these qualification codes makes an assistant trained (level DS)."""
    return any(code in TRAINED_QUALIFICATIONS for code in qualifications)


def within_total_hours(busy_hours: float, new_hours: float) -> bool:
    """Whether an assistant busy ``busy_hours`` a week may take ``new_hours`` more."""
    return busy_hours + new_hours <= ASSISTANT_MAX_WEEKLY_HOURS
