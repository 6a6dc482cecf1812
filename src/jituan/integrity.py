"""Integrity flags for process supervision (过程督查, 五（三）): rows that look impossible.

Flags are warnings (or info) on accepted rows: a flagged row stays counted, once, and is
never silently dropped. Each flag is a small function over the accepted frame that
returns the positions it flags; the limits come from ``integrity:`` in targets.yaml.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from jituan.config import RESEARCHER_ROLE, Config
from jituan.i18n import t
from jituan.model import RowIssue, Severity
from jituan.readers import RawTable
from jituan.records import Records


@dataclass(frozen=True)
class Flag:
    """One integrity rule: its code, severity and the rows it flags with their message values."""

    code: str
    severity: Severity
    find: Callable[[Records, Config, _PersonDays], dict[int, dict[str, object]]]
    column: str = "date"  # the cell the issue names (its value shown): date or person


@dataclass(frozen=True)
class _PersonDays:
    """The rows with a person and a date, numbered by (person, date), and sorted by it.

    ``pos``: the rows; ``number[i]``: the person-day of ``pos[i]`` (0 … ``count`` - 1);
    ``order``: indices into ``pos`` sorted by person-day, rows of one person-day in row
    order; ``new[j]``: whether ``order[j]`` starts a person-day. One fast sort of the key
    and the index packed in one integer gives all of it.
    """

    pos: np.ndarray
    number: np.ndarray
    count: int
    order: np.ndarray
    new: np.ndarray

    @classmethod
    def of(cls, records: Records) -> _PersonDays:
        # arithmetic in place: at 10M rows each temporary array is 80 MB of fresh memory
        pos = np.flatnonzero(_with_person(records) & ~np.isnat(records.day))
        if not len(pos):
            empty = np.zeros(0, dtype=np.int64)
            return cls(pos, empty, 0, empty, np.zeros(0, dtype=bool))
        days = records.day.view(np.int64)[pos]
        first = int(days.min())
        span = int(days.max()) - first + 1
        days -= first
        key = records.person.codes[pos].astype(np.int64)
        key *= span
        key += days
        del days
        bits = len(pos).bit_length()
        if len(records.person.values) * span < 2 ** (63 - bits):
            key <<= bits
            key |= np.arange(len(pos), dtype=np.int64)
            key.sort()
            order = key & ((1 << bits) - 1)
            key >>= bits
            ordered = key
        else:  # too many persons × days to pack: a stable sort of the keys
            order = np.argsort(key, kind="stable")
            ordered = key[order]
        new = np.ones(len(pos), dtype=bool)
        np.not_equal(ordered[1:], ordered[:-1], out=new[1:])
        del key, ordered
        run = np.cumsum(new, dtype=np.int32)
        run -= 1
        number = np.empty(len(pos), dtype=np.int32)
        number[order] = run
        return cls(pos, number, int(run[-1]) + 1, order, new)


def _with_person(records: Records) -> np.ndarray:
    empty = np.array([n == "" for n in records.person.values] + [True])
    return np.take(empty, records.person.codes) ^ True


def too_many_lessons(
    records: Records, config: Config, days: _PersonDays
) -> dict[int, dict[str, object]]:
    """One person's lessons observed on one day above the limit (default 8)."""
    rules = config.targets_file.integrity
    lesson = records.activity.isin(rules.lesson_activities)[days.pos]
    if not lesson.any():
        return {}
    pos, number = days.pos[lesson], days.number[lesson]
    totals = np.bincount(number, weights=records.count[pos], minlength=days.count)  # per day
    over = (totals > rules.max_lessons_per_day)[number]
    return {
        p: {"total": int(n), "limit": rules.max_lessons_per_day}
        for p, n in zip(pos[over].tolist(), totals[number[over]].tolist(), strict=True)
    }


def two_groups_same_day(
    records: Records, config: Config, days: _PersonDays
) -> dict[int, dict[str, object]]:
    """One person recorded at schools of two different groups on the same day."""
    if not len(days.pos):
        return {}
    group_ids = records.school_group.values
    group = records.school_group.codes[days.pos]
    # a person-day is at two groups or more exactly when, its rows in person-day order,
    # two neighbours with a known group differ in it; the rows are put in that order by
    # one gather, from one byte a row where the groups fit (a random read that stays in
    # the cache: at 10M rows, 0.5 s less than from eight bytes)
    small = group.astype(np.int8) if len(group_ids) < 128 else group
    in_order = small[days.order]
    known = in_order >= 0
    runs = (np.cumsum(days.new, dtype=np.int32) - 1)[known]
    groups = in_order[known]
    del in_order, small
    differ = (groups[1:] != groups[:-1]) & (runs[1:] == runs[:-1])
    if not differ.any():
        return {}
    flagged_days = np.zeros(days.count, dtype=bool)
    flagged_days[runs[1:][differ]] = True
    flagged = flagged_days[days.number]
    names = {g.id: g.name for g in config.groups.values()}
    seen: dict[int, dict[str, None]] = {}  # person-day → its groups' names, in row order
    rows = list(
        zip(
            days.pos[flagged].tolist(),
            days.number[flagged].tolist(),
            group[flagged].tolist(),
            strict=True,
        )
    )
    for _, k, g in rows:
        if g >= 0:
            seen.setdefault(k, {})[names[group_ids[g]]] = None
    return {p: {"groups": "、".join(seen[k])} for p, k, _ in rows}


def holiday(records: Records, config: Config, _: _PersonDays) -> dict[int, dict[str, object]]:
    """An activity on a statutory public holiday (from the chinese-calendar package)."""
    import chinese_calendar

    days = records.day
    known = days[~np.isnat(days)]
    if not len(known):
        return {}
    numbers = known.view(np.int64)
    first = int(numbers.min())
    present = np.bincount(numbers - first) > 0  # a few hundred distinct days
    holidays: dict[int, dict[str, object]] = {}
    for offset in np.flatnonzero(present).tolist():
        date = dt.date(1970, 1, 1) + dt.timedelta(days=first + offset)
        try:
            is_off, name = chinese_calendar.get_holiday_detail(date)
        except NotImplementedError:  # a year the package has no data for: no verdict
            continue
        if is_off and name:
            holidays[first + offset] = {"holiday": name, "day": date.isoformat()}
    if not holidays:
        return {}
    lut = np.zeros(len(present), dtype=bool)
    lut[np.array(list(holidays)) - first] = True
    all_numbers = days.view(np.int64)
    inside = (all_numbers >= first) & (all_numbers < first + len(lut)) & ~np.isnat(days)
    flagged = np.flatnonzero(inside & lut[np.clip(all_numbers - first, 0, len(lut) - 1)])
    return {
        p: holidays[n] for p, n in zip(flagged.tolist(), all_numbers[flagged].tolist(), strict=True)
    }


def outside_programme(
    records: Records, config: Config, _: _PersonDays
) -> dict[int, dict[str, object]]:
    """A record dated before the programme's calendar starts or after it ends: accepted,
    but it counts toward no period of any target, which its school should be told."""
    calendar = config.calendar
    days = records.day
    start, end = np.datetime64(calendar.start, "D"), np.datetime64(calendar.end, "D")
    flagged = np.flatnonzero((days < start) | (days > end))  # NaT compares False
    values = {"start": calendar.start.isoformat(), "end": calendar.end.isoformat()}
    return dict.fromkeys(flagged.tolist(), values)


def after_deadline(
    records: Records, config: Config, _: _PersonDays
) -> dict[int, dict[str, object]]:
    """A record of an activity that only duties with a deadline count (办学协议, by
    2024-11-30), dated after the last of those deadlines: accepted, but it counts toward
    nothing. Records outside the programme are left to :func:`outside_programme`."""
    deadlines: dict[str, list[dt.date | None]] = {}
    for target in config.targets:
        for activity in target.activities:
            deadlines.setdefault(activity, []).append(target.deadline)
    last = [
        max(d for d in days if d is not None)  # type: ignore[type-var]
        if (days := deadlines.get(activity)) and None not in days
        else None
        for activity in records.activity.values
    ]
    if all(d is None for d in last):
        return {}
    never = np.datetime64("9999-12-31", "D")
    lut = np.array([never if d is None else np.datetime64(d, "D") for d in last] + [never])
    days = records.day
    late = days > lut[records.activity.codes]  # code -1 (no activity): never late
    late &= days <= np.datetime64(config.calendar.end, "D")
    return {
        p: {"deadline": str(lut[c])}
        for p, c in zip(
            np.flatnonzero(late).tolist(), records.activity.codes[late].tolist(), strict=True
        )
    }


def unlisted_researcher(
    records: Records, config: Config, _: _PersonDays
) -> dict[int, dict[str, object]]:
    """A 教研员 not listed in groups.yaml whose name is a listed one's with one character
    of the given name changed (刘晓艳 beside 刘晓燕; names of three characters or more, the
    surname kept): evaluated as a researcher of their own, which a typo makes a phantom
    subject that fails while the real one lacks the records. Said once, at the first row.
    Listed names are looked up by surname and length, so many names cost little."""
    by_shape: dict[tuple[str, int], list[str]] = {}
    for name in config.researchers:
        if len(name) >= 3:
            by_shape.setdefault((name[0], len(name)), []).append(name)
    if not by_shape:
        return {}
    person = records.person
    rows = np.flatnonzero(records.role.isin([RESEARCHER_ROLE]))
    codes, first = np.unique(person.codes[rows], return_index=True)
    out: dict[int, dict[str, object]] = {}
    for code, at in zip(codes.tolist(), rows[first].tolist(), strict=True):
        name = person.values[code]
        if name in config.researchers:
            continue
        for listed in by_shape.get((name[:1], len(name)), ()):
            if sum(a != b for a, b in zip(name, listed, strict=True)) == 1:
                out[at] = {"name": listed}
                break
    return out


def _holiday_name(name: object, lang: str) -> object:
    """A holiday's name in ``lang``: chinese-calendar names it in English (its ``Holiday``
    enum's value) and keeps the Chinese name (元旦, 国庆节 …) beside it."""
    if lang != "zh":
        return name
    import chinese_calendar

    try:
        return chinese_calendar.Holiday(name).chinese
    except ValueError:  # a name the enum does not hold: as the package gave it
        return name


def _said_in(values: dict[str, object], lang: str) -> dict[str, object]:
    """A flag's message values with the words of the data said in ``lang``."""
    if "holiday" in values:
        return values | {"holiday": _holiday_name(values["holiday"], lang)}
    return values


FLAGS: tuple[Flag, ...] = (
    Flag("too-many-lessons", "warning", too_many_lessons),
    Flag("two-groups-same-day", "warning", two_groups_same_day),
    Flag("holiday", "info", holiday),
    Flag("outside-programme", "warning", outside_programme),
    Flag("after-deadline", "warning", after_deadline),
    Flag("unlisted-researcher", "info", unlisted_researcher, column="person"),
)


def integrity_issues(
    records: Records, tables: list[RawTable], config: Config, lang: str
) -> list[RowIssue]:
    """Row issues for every flag, in row order; the rows stay counted."""
    found: list[tuple[int, RowIssue]] = []
    person_names = records.person.values
    days = _PersonDays.of(records)
    for flag in FLAGS:
        flagged = flag.find(records, config, days)
        if not flagged:
            continue
        pos = np.fromiter(flagged, dtype=np.int64, count=len(flagged))
        shown = [("" if d == "NaT" else d) for d in records.day[pos].astype(str).tolist()]
        who = [person_names[c] if c >= 0 else None for c in records.person.codes[pos].tolist()]
        for p, values, day, person, inp, row in zip(
            pos.tolist(),
            flagged.values(),
            shown,
            who,
            *(a.tolist() for a in records.locate(pos)),
            strict=True,
        ):
            table = tables[inp]
            found.append(
                (
                    p,
                    RowIssue(
                        file=table.file,
                        sheet=table.sheet,
                        row=row,
                        column=flag.column,
                        value=day if flag.column == "date" else person,
                        code=flag.code,
                        severity=flag.severity,
                        message=t(flag.code, lang, person=person, **_said_in(values, lang)),
                    ),
                )
            )
    return [issue for _, issue in sorted(found, key=lambda x: x[0])]
