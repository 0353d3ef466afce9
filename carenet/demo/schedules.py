"""Weekly schedules of the demo data, and the CCNL limits they must respect.

A schedule is stored as 21 bytes, little-endian, bit ``i`` = the hour starting ``i`` hours
after Monday 00:00 (the layout of ``matching.Schedule.to_bytes``). The templates below
are built from whole-hour blocks; each carries its Italian text for the documentation.
"""

from __future__ import annotations

from dataclasses import dataclass

from carenet.care_requests.models import (
    HOURLY_MAX_HOURS,
    LIVE_IN_FULL_TIME_MAX_HOURS,
    LIVE_IN_PART_TIME_MAX_HOURS,
    NIGHT_MAX_HOURS,
)

HOURS_PER_WEEK = 168
SCHEDULE_BYTES = 21
DAILY_REST_HOURS = 11
MON_FRI = (0, 1, 2, 3, 4)
MON_SAT = (0, 1, 2, 3, 4, 5)
EVERY_DAY = (0, 1, 2, 3, 4, 5, 6)


@dataclass(frozen=True)
class Template:
    """A weekly pattern: on each of ``days``, the hours of every (start, end) range.

    An end at or before its start runs past midnight into the next day (night shifts).
    """

    text: str
    days: tuple[int, ...]
    ranges: tuple[tuple[int, int], ...]

    @property
    def mask(self) -> int:
        """The 168-bit set of hours."""
        value = 0
        for day in self.days:
            for start, end in self.ranges:
                length = end - start if end > start else end + 24 - start
                for offset in range(length):
                    value |= 1 << ((day * 24 + start + offset) % HOURS_PER_WEEK)
        return value

    @property
    def hours(self) -> int:
        """Hours per week."""
        return self.mask.bit_count()


def to_bytes(mask: int) -> bytes:
    """The stored form of a 168-bit mask."""
    return mask.to_bytes(SCHEDULE_BYTES, "little")


def from_bytes(data: bytes) -> int:
    """The 168-bit mask of a stored schedule."""
    return int.from_bytes(data, "little")


def shortest_daily_rest(mask: int) -> int:
    """The fewest consecutive free hours found in the 24 hours after any shift starts.

    The CCNL grants 11 consecutive hours of rest every 24 hours; a working day is counted
    from the start of its first shift, so every 24-hour window opening with a shift must
    hold such a rest (the week wraps around). A schedule with no hours rests 24.
    """
    busy = [(mask >> hour) & 1 for hour in range(HOURS_PER_WEEK)]
    worst = 24
    for start in range(HOURS_PER_WEEK):
        if not busy[start] or busy[start - 1]:
            continue
        best = run = 0
        for offset in range(24):
            if busy[(start + offset) % HOURS_PER_WEEK]:
                run = 0
            else:
                run += 1
                best = max(best, run)
        worst = min(worst, best)
    return worst


def max_hours(arrangement: str, live_in_part_time: bool = False) -> int:
    """The CCNL weekly limit of an arrangement."""
    if arrangement == "live_in":
        return LIVE_IN_PART_TIME_MAX_HOURS if live_in_part_time else LIVE_IN_FULL_TIME_MAX_HOURS
    if arrangement == "night":
        return NIGHT_MAX_HOURS
    return HOURLY_MAX_HOURS


# What families ask for: every template is within its contract limit and leaves 11
# consecutive hours of rest in each working day (checked by the tests).
REQUEST_TEMPLATES: dict[str, tuple[tuple[Template, float], ...]] = {
    "live_in": (
        (Template("lun-sab 08:00-13:00, 16:00-20:00", MON_SAT, ((8, 13), (16, 20))), 0.35),
        (Template("lun-sab 07:00-12:00, 15:00-19:00", MON_SAT, ((7, 12), (15, 19))), 0.25),
        (Template("lun-sab 08:00-12:00, 15:00-20:00", MON_SAT, ((8, 12), (15, 20))), 0.2),
        (Template("lun-sab 07:00-13:00, 16:00-19:00", MON_SAT, ((7, 13), (16, 19))), 0.2),
    ),
    "live_in_part_time": (
        (Template("lun-sab 08:00-13:00", MON_SAT, ((8, 13),)), 0.5),
        (Template("lun-sab 15:00-20:00", MON_SAT, ((15, 20),)), 0.3),
        (Template("lun-ven 14:00-20:00", MON_FRI, ((14, 20),)), 0.2),
    ),
    "hourly": (
        (Template("lun-ven 08:00-12:00", MON_FRI, ((8, 12),)), 0.2),
        (Template("lun-ven 09:00-13:00", MON_FRI, ((9, 13),)), 0.12),
        (Template("lun-ven 14:00-18:00", MON_FRI, ((14, 18),)), 0.1),
        (Template("lun-sab 08:00-11:00", MON_SAT, ((8, 11),)), 0.1),
        (Template("lun 09:00-12:00, mer 09:00-12:00, ven 09:00-12:00", (0, 2, 4), ((9, 12),)), 0.1),
        (Template("mar 15:00-19:00, gio 15:00-19:00", (1, 3), ((15, 19),)), 0.06),
        (Template("lun-ven 08:00-14:00", MON_FRI, ((8, 14),)), 0.1),
        (Template("lun-ven 08:00-16:00", MON_FRI, ((8, 16),)), 0.06),
        (Template("lun-ven 07:00-09:00, 18:00-20:00", MON_FRI, ((7, 9), (18, 20))), 0.08),
        (Template("sab-dom 09:00-17:00", (5, 6), ((9, 17),)), 0.04),
        (Template("lun-dom 08:00-10:00", EVERY_DAY, ((8, 10),)), 0.04),
    ),
    "night": (
        (Template("lun-ven 22:00-06:00", MON_FRI, ((22, 6),)), 0.45),
        (Template("lun-dom 23:00-04:00", EVERY_DAY, ((23, 4),)), 0.2),
        (Template("ven-dom 20:00-08:00", (4, 5, 6), ((20, 8),)), 0.2),
        (
            Template("lun 22:00-07:00, mer 22:00-07:00, ven 22:00-07:00", (0, 2, 4), ((22, 7),)),
            0.15,
        ),
    ),
}

# When assistants are free to work, by the arrangements they accept.
AVAILABILITY_TEMPLATES: dict[str, tuple[tuple[Template, float], ...]] = {
    "live_in": (
        (Template("lun-dom 00:00-24:00", EVERY_DAY, ((0, 24),)), 0.5),
        (Template("lun-sab 00:00-24:00", MON_SAT, ((0, 24),)), 0.35),
        (Template("lun-ven 00:00-24:00", MON_FRI, ((0, 24),)), 0.15),
    ),
    "hourly": (
        (Template("lun-ven 08:00-14:00", MON_FRI, ((8, 14),)), 0.16),
        (Template("lun-ven 14:00-20:00", MON_FRI, ((14, 20),)), 0.1),
        (Template("lun-ven 08:00-18:00", MON_FRI, ((8, 18),)), 0.18),
        (Template("lun-sab 08:00-13:00", MON_SAT, ((8, 13),)), 0.12),
        (Template("lun-ven 07:00-12:00, 15:00-20:00", MON_FRI, ((7, 12), (15, 20))), 0.1),
        (
            Template("mar 09:00-17:00, gio 09:00-17:00, sab 09:00-17:00", (1, 3, 5), ((9, 17),)),
            0.06,
        ),
        (Template("lun-dom 08:00-20:00", EVERY_DAY, ((8, 20),)), 0.12),
        (Template("lun-ven 09:00-13:00", MON_FRI, ((9, 13),)), 0.08),
        (Template("sab-dom 08:00-20:00", (5, 6), ((8, 20),)), 0.04),
        (
            Template("lun 08:00-16:00, mer 08:00-16:00, ven 08:00-16:00", (0, 2, 4), ((8, 16),)),
            0.04,
        ),
    ),
    "night": (
        (Template("lun-dom 20:00-08:00", EVERY_DAY, ((20, 8),)), 0.5),
        (Template("lun-ven 21:00-07:00", MON_FRI, ((21, 7),)), 0.35),
        (Template("ven-dom 20:00-08:00", (4, 5, 6), ((20, 8),)), 0.15),
    ),
}
