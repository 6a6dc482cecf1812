"""Periods: semesters, school years, calendar years and the whole programme.

Periods of one kind tile time without gaps, so a date finds its period with one
binary search over the periods' first days (:func:`assign`), which works on a whole
column of dates at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from jituan.config import Calendar, PeriodKind

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Period:
    """A period a target is evaluated over; ``end`` is its last day (inclusive)."""

    id: str
    kind: PeriodKind
    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def label(self, lang: str) -> str:
        """How people name the period: 2024-2025学年第一学期, 2025年, 整个实施期."""
        if self.kind == "semester":
            year, half = self.id.rsplit("-", 1)
            if lang == "zh":
                return f"{year}学年第{'一' if half == '1' else '二'}学期"
            return f"{year} semester {half}"
        if self.kind == "school_year":
            return f"{self.id}学年" if lang == "zh" else f"school year {self.id}"
        if self.kind == "year":
            return f"{self.id}年" if lang == "zh" else self.id
        return "整个实施期" if lang == "zh" else "whole programme"

    def elapsed_share(self, as_of: dt.date) -> float:
        """Share of the period's days elapsed on ``as_of``, the day itself included."""
        if as_of < self.start:
            return 0.0
        return min(1.0, ((as_of - self.start).days + 1) / self.days)


def _on(year: int, month_day: tuple[int, int]) -> dt.date:
    month, day = month_day
    if month == 2 and day == 29:  # a semester cannot start on a day most years lack
        day = 28
    return dt.date(year, month, day)


def school_year_start(calendar: Calendar, year: int) -> dt.date:
    return _on(year, calendar.month_day(1))


def _second_semester_start(calendar: Calendar, year: int) -> dt.date:
    """First day of the second semester of the school year that starts in ``year``."""
    first, second = calendar.month_day(1), calendar.month_day(2)
    return _on(year + 1 if second < first else year, second)


def all_periods(
    kind: PeriodKind, calendar: Calendar, first_year: int, last_year: int
) -> list[Period]:
    """Every period of a kind whose school year or calendar year lies in the range."""
    out: list[Period] = []
    if kind == "program":
        return [Period("program", kind, calendar.start, calendar.end)]
    # a school year ends the day before the next one starts: that day must exist too
    for y in range(max(first_year, dt.MINYEAR), min(last_year, dt.MAXYEAR - 1) + 1):
        if kind == "year":
            out.append(Period(str(y), kind, dt.date(y, 1, 1), dt.date(y, 12, 31)))
            continue
        sy = f"{y}-{y + 1}"
        start, mid = school_year_start(calendar, y), _second_semester_start(calendar, y)
        end = school_year_start(calendar, y + 1) - ONE_DAY
        if kind == "school_year":
            out.append(Period(sy, kind, start, end))
        else:
            out.append(Period(f"{sy}-1", kind, start, mid - ONE_DAY))
            out.append(Period(f"{sy}-2", kind, mid, end))
    return out


def evaluated_periods(kind: PeriodKind, calendar: Calendar, as_of: dt.date) -> list[Period]:
    """Periods of a kind that overlap the calendar range up to ``as_of``, in order, cut to
    the calendar: an activity before the programme started (or after it ended) belongs to
    no period, whatever the kind, and a first calendar year that starts in September is
    paced over its September to December."""
    last = min(as_of, calendar.end)
    if last < calendar.start:
        return []
    candidates = all_periods(kind, calendar, calendar.start.year - 1, last.year + 1)
    return [
        Period(p.id, p.kind, max(p.start, calendar.start), min(p.end, calendar.end))
        for p in candidates
        if p.start <= last and p.end >= calendar.start
    ]


def period_of(day: dt.date, kind: PeriodKind, calendar: Calendar) -> Period | None:
    """The period of a kind that contains a day (None for program outside the range)."""
    for p in all_periods(kind, calendar, day.year - 1, day.year):
        if p.start <= day <= p.end:
            return p
    return None


def assign(days: np.ndarray, periods: list[Period]) -> np.ndarray:
    """Index into ``periods`` for each date (datetime64[D]); -1 where no period holds it.

    ``periods`` must be sorted and contiguous, as :func:`evaluated_periods` returns them.
    """
    if not periods:
        return np.full(len(days), -1, dtype=np.int64)
    starts = np.array([p.start for p in periods], dtype="datetime64[D]")
    last = np.datetime64(periods[-1].end, "D")
    idx = np.searchsorted(starts, days, side="right") - 1
    outside = (idx < 0) | (days > last) | np.isnat(days)
    return np.where(outside, -1, idx)


def period_names(calendar: Calendar, kinds: Iterable[PeriodKind]) -> dict[str, str]:
    """Every period of these kinds in the programme, by its id and by its labels in both
    languages (2024-2025学年第二学期 is 2024-2025-2): name → id. Quality ledgers and
    exemptions take either."""
    out: dict[str, str] = {}
    for kind in kinds:
        for p in evaluated_periods(kind, calendar, calendar.end):
            for text in (p.id, p.label("zh"), p.label("en")):
                out.setdefault(text, p.id)
    return out
