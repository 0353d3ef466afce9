"""Weekly schedules: 168 hourly slots stored as bits.

Slot ``h`` is the hour starting at ``h % 24`` o'clock on day ``h // 24`` (0 = Monday).
A schedule is an immutable 168-bit set; in arrays it is three little-endian ``uint64``
words (word ``w`` holds slots ``64 * w`` to ``64 * w + 63``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Final

import numpy as np
import numpy.typing as npt

HOURS_PER_WEEK: Final = 168
N_WORDS: Final = 3
N_BYTES: Final = 21
_MASK: Final = (1 << HOURS_PER_WEEK) - 1
_WORD: Final = (1 << 64) - 1

_DAY_NAMES: Final = {
    "it": ("lun", "mar", "mer", "gio", "ven", "sab", "dom"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
_DAY_ALIASES: dict[str, int] = {}
for _names in _DAY_NAMES.values():
    for _i, _n in enumerate(_names):
        _DAY_ALIASES[_n.lower()] = _i
for _i, _n in enumerate(
    ("lunedi", "martedi", "mercoledi", "giovedi", "venerdi", "sabato", "domenica")
):
    _DAY_ALIASES[_n] = _i
    if _i < 5:
        _DAY_ALIASES[_n[:-1] + "ì"] = _i
for _i, _n in enumerate(
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
):
    _DAY_ALIASES[_n] = _i
_DAY_ALIASES["tues"] = 1
_DAY_ALIASES["thur"] = 3
_DAY_ALIASES["thurs"] = 3

_TIME_RE: Final = re.compile(r"^(\d{1,2})(?::(\d{2}))?$")
_DAYS_RE: Final = re.compile(r"^([^\W\d_]+)(?:-([^\W\d_]+))?$")


class ScheduleError(ValueError):
    """A schedule text or value that cannot be understood; the message names the bad part."""


def _day(token: str, whole: str) -> int:
    day = _DAY_ALIASES.get(token.lower())
    if day is None:
        raise ScheduleError(
            f"unknown day {token!r} in {whole!r}: use lun mar mer gio ven sab dom "
            "or Mon Tue Wed Thu Fri Sat Sun"
        )
    return day


def _hour(token: str, whole: str, *, is_end: bool) -> int:
    m = _TIME_RE.match(token)
    if m is None:
        raise ScheduleError(f"bad time {token!r} in {whole!r}: expected HH:MM such as 08:00")
    hour = int(m.group(1))
    minutes = m.group(2)
    if hour > 24:
        raise ScheduleError(f"hour {hour} is out of range 00-24 in {whole!r}")
    if minutes is not None and minutes != "00":
        if int(minutes) > 59:
            raise ScheduleError(f"minutes {minutes} are out of range 00-59 in {whole!r}")
        raise ScheduleError(
            f"time {token!r} in {whole!r} is not on the hour: schedules use whole hours"
        )
    if hour == 24 and not is_end:
        raise ScheduleError(f"a range cannot start at 24:00 in {whole!r}; use 00:00")
    return hour


def _range_bits(first_day: int, last_day: int, start: int, end: int) -> int:
    """Bits for the hours start..end on every day from first_day to last_day (wrapping)."""
    bits = 0
    n_days = (last_day - first_day) % 7 + 1
    length = end - start if end > start else 24 - start + end
    run = (1 << length) - 1
    for i in range(n_days):
        offset = ((first_day + i) % 7) * 24 + start
        chunk = run << offset
        # a range running past Sunday 24:00 wraps to Monday
        bits |= (chunk & _MASK) | (chunk >> HOURS_PER_WEEK)
    return bits


class Schedule:
    """An immutable set of weekly hourly slots (168 bits, Monday 00:00 to Sunday 24:00).

    Parameters
    ----------
    bits : int
        Slot ``h`` is set when bit ``h`` is; ``0 <= bits < 2**168``.
    """

    __slots__ = ("_bits",)
    _bits: int

    def __init__(self, bits: int = 0) -> None:
        if not isinstance(bits, int) or bits < 0 or bits > _MASK:
            raise ScheduleError(f"schedule bits must be an int in [0, 2**168), got {bits!r}")
        object.__setattr__(self, "_bits", int(bits))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Schedule is immutable")

    # -- construction -------------------------------------------------------------------
    @classmethod
    def parse(cls, text: str, locale: str | None = None) -> Schedule:
        """Parse readable ranges such as ``"lun-ven 08:00-12:00, sab 09:00-11:00"``.

        Italian and English day names are both accepted whatever ``locale`` says
        (``locale`` is accepted for symmetry with :meth:`format` and must be ``None``,
        ``"it"`` or ``"en"``). Items are separated by commas or semicolons; each item is
        one or more days or day ranges separated by spaces (``lun-ven``, ``lun mer ven``,
        wrapping ``ven-lun`` allowed) followed by zero or more ``HH:MM-HH:MM`` ranges. A
        day alone means the whole day (so ``"lun, mer 08:00-12:00"`` is all Monday plus
        Wednesday morning, while ``"lun mer 08:00-12:00"`` is both mornings); an item with
        only time ranges reuses the previous item's days. A range whose end is not after its
        start runs over midnight into the next day (Sunday night wraps to Monday);
        ``24:00`` is a valid end. An empty text is the empty schedule.

        Raises
        ------
        ScheduleError
            When a token cannot be understood; the message names it.
        """
        if locale is not None and locale not in _DAY_NAMES:
            raise ScheduleError(f"unknown locale {locale!r}: use 'it' or 'en'")
        if not isinstance(text, str):
            raise ScheduleError(f"schedule text must be a string, got {type(text).__name__}")
        bits = 0
        days: list[tuple[int, int]] | None = None
        for raw_item in re.split(r"[,;]", text):
            item = raw_item.strip()
            if not item:
                if raw_item and text.strip():
                    raise ScheduleError(f"empty item in {text!r}")
                continue
            tokens = item.split()
            day_tokens: list[str] = []
            while tokens and _TIME_RE.match(tokens[0].split("-")[0]) is None:
                day_tokens.append(tokens.pop(0))
            if day_tokens:
                days = []
                for tok in day_tokens:
                    dm = _DAYS_RE.match(tok)
                    if dm is None:
                        raise ScheduleError(f"bad day or day range {tok!r} in {text!r}")
                    first = _day(dm.group(1), text)
                    last = _day(dm.group(2), text) if dm.group(2) else first
                    days.append((first, last))
                if not tokens:
                    for first, last in days:
                        bits |= _range_bits(first, last, 0, 24)
                    continue
            elif days is None:
                raise ScheduleError(f"time range {item!r} in {text!r} has no day before it")
            for token in tokens:
                parts = token.split("-")
                if len(parts) != 2:
                    raise ScheduleError(
                        f"bad time range {token!r} in {text!r}: expected HH:MM-HH:MM"
                    )
                start = _hour(parts[0], text, is_end=False)
                end = _hour(parts[1], text, is_end=True)
                if end == start:
                    raise ScheduleError(f"empty time range {token!r} in {text!r}")
                for first, last in days:
                    bits |= _range_bits(first, last, start, end)
        return cls(bits)

    @classmethod
    def from_int(cls, value: int) -> Schedule:
        """Build from a 168-bit integer (bit ``h`` = slot ``h``)."""
        return cls(value)

    @classmethod
    def from_bytes(cls, data: bytes) -> Schedule:
        """Build from the 21-byte little-endian form written by :meth:`to_bytes`."""
        if len(data) != N_BYTES:
            raise ScheduleError(f"a schedule is {N_BYTES} bytes, got {len(data)}")
        return cls(int.from_bytes(data, "little"))

    @classmethod
    def from_words(cls, words: npt.ArrayLike) -> Schedule:
        """Build from three ``uint64`` words, shape ``(3,)``."""
        arr = np.asarray(words, dtype=np.uint64).reshape(N_WORDS)
        return cls(int(arr[0]) | (int(arr[1]) << 64) | (int(arr[2]) << 128))

    @staticmethod
    def words_of(column: Sequence[bytes]) -> npt.NDArray[np.uint64]:
        """Many stored schedules (the 21-byte form of :meth:`to_bytes`) as words at once,
        shape ``(n, 3)``: what :meth:`to_words` gives for each, without a Schedule each."""
        n = len(column)
        padded = np.zeros((n, N_WORDS * 8), dtype=np.uint8)
        if n:
            padded[:, :N_BYTES] = np.frombuffer(b"".join(column), np.uint8).reshape(n, N_BYTES)
        return padded.view("<u8").astype(np.uint64).reshape(n, N_WORDS)

    @classmethod
    def from_hours(cls, slots: Iterable[int]) -> Schedule:
        """Build from an iterable of slot numbers in ``[0, 168)``."""
        bits = 0
        for h in slots:
            if not 0 <= int(h) < HOURS_PER_WEEK:
                raise ScheduleError(f"slot {h} is out of range 0-167")
            bits |= 1 << int(h)
        return cls(bits)

    # -- conversion ---------------------------------------------------------------------
    def to_int(self) -> int:
        """The 168-bit integer (bit ``h`` = slot ``h``)."""
        return self._bits

    def __int__(self) -> int:
        return self._bits

    def to_bytes(self) -> bytes:
        """Twenty-one little-endian bytes, for the database."""
        return self._bits.to_bytes(N_BYTES, "little")

    def to_words(self) -> npt.NDArray[np.uint64]:
        """Three little-endian ``uint64`` words, shape ``(3,)``."""
        b = self._bits
        return np.array([b & _WORD, (b >> 64) & _WORD, b >> 128], dtype=np.uint64)

    def slots(self) -> list[int]:
        """The set slot numbers in increasing order."""
        b = self._bits
        return [h for h in range(HOURS_PER_WEEK) if b >> h & 1]

    def format(self, locale: str = "it") -> str:
        """Readable ranges, e.g. ``"lun-ven 08:00-12:00, sab"`` (``locale`` "it" or "en").

        Days with the same hours are grouped into day ranges; a whole day is the day name
        alone. ``Schedule.parse(s.format(loc)) == s`` for every schedule.
        """
        if locale not in _DAY_NAMES:
            raise ScheduleError(f"unknown locale {locale!r}: use 'it' or 'en'")
        names = _DAY_NAMES[locale]
        per_day: list[tuple[tuple[int, int], ...]] = []
        for d in range(7):
            day_bits = (self._bits >> (24 * d)) & 0xFFFFFF
            ranges: list[tuple[int, int]] = []
            h = 0
            while h < 24:
                if day_bits >> h & 1:
                    s = h
                    while h < 24 and day_bits >> h & 1:
                        h += 1
                    ranges.append((s, h))
                else:
                    h += 1
            per_day.append(tuple(ranges))
        items: list[str] = []
        d = 0
        while d < 7:
            if not per_day[d]:
                d += 1
                continue
            e = d
            while e + 1 < 7 and per_day[e + 1] == per_day[d]:
                e += 1
            days = names[d] if e == d else f"{names[d]}-{names[e]}"
            if per_day[d] == ((0, 24),):
                items.append(days)
            else:
                times = [f"{s:02d}:00-{t:02d}:00" for s, t in per_day[d]]
                items.append(f"{days} {times[0]}")
                items.extend(times[1:])
            d = e + 1
        return ", ".join(items)

    # -- set algebra --------------------------------------------------------------------
    @property
    def hours(self) -> int:
        """Number of hours in the schedule."""
        return self._bits.bit_count()

    def __and__(self, other: Schedule) -> Schedule:
        return Schedule(self._bits & other._bits)

    def __or__(self, other: Schedule) -> Schedule:
        return Schedule(self._bits | other._bits)

    def __sub__(self, other: Schedule) -> Schedule:
        return Schedule(self._bits & ~other._bits)

    def __invert__(self) -> Schedule:
        return Schedule(~self._bits & _MASK)

    def __bool__(self) -> bool:
        return self._bits != 0

    def __contains__(self, slot: int) -> bool:
        return 0 <= slot < HOURS_PER_WEEK and bool(self._bits >> slot & 1)

    def overlaps(self, other: Schedule) -> bool:
        """Whether the two schedules share at least one hour."""
        return (self._bits & other._bits) != 0

    def covers(self, other: Schedule) -> bool:
        """Whether every hour of ``other`` is in this schedule."""
        return (other._bits & ~self._bits) == 0

    def coverage(self, other: Schedule) -> float:
        """Share of this schedule's hours that ``other`` also has (1.0 when empty)."""
        n = self.hours
        return 1.0 if n == 0 else (self._bits & other._bits).bit_count() / n

    def free_hours(self, availability: Schedule, busy: Schedule) -> int:
        """Hours of this schedule within ``availability`` and outside ``busy``."""
        return (self._bits & availability._bits & ~busy._bits).bit_count()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Schedule) and other._bits == self._bits

    def __hash__(self) -> int:
        return hash(("Schedule", self._bits))

    def __repr__(self) -> str:
        return f"Schedule.parse({self.format('en')!r})"

    def __reduce__(self) -> tuple[type[Schedule], tuple[int]]:
        return (Schedule, (self._bits,))


EMPTY: Final = Schedule(0)
FULL_WEEK: Final = Schedule(_MASK)
