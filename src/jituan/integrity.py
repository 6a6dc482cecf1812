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
import pandas as pd

from jituan.config import Config
from jituan.i18n import t
from jituan.model import RowIssue, Severity
from jituan.readers import RawTable


@dataclass(frozen=True)
class Flag:
    """One integrity rule: its code, severity and the rows it flags with their message values."""

    code: str
    severity: Severity
    find: Callable[[pd.DataFrame, Config], dict[int, dict[str, object]]]


def _codes(column: pd.Series) -> tuple[np.ndarray, list]:
    """Integer codes (-1 for NA) and the values they stand for, of a text column."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy().astype(np.int64), list(column.cat.categories)
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    return codes.astype(np.int64), list(uniques)


def _person_days(frame: pd.DataFrame, pos: np.ndarray) -> np.ndarray:
    """A number per (person, date) of the rows at ``pos``, numbered from 0."""
    persons, _ = _codes(frame["person"])
    days = frame["date"].to_numpy(dtype="datetime64[D]")[pos].astype(np.int64)
    first, span = (int(days.min()), int(days.max() - days.min()) + 1) if len(days) else (0, 1)
    return pd.factorize(persons[pos] * span + (days - first))[0]


def _with_person(frame: pd.DataFrame) -> np.ndarray:
    persons, names = _codes(frame["person"])
    empty = np.array([n == "" for n in names] + [True])
    return ~empty[persons]


def too_many_lessons(frame: pd.DataFrame, config: Config) -> dict[int, dict[str, object]]:
    """One person's lessons observed on one day above the limit (default 8)."""
    rules = config.targets_file.integrity
    mask = frame["activity"].isin(rules.lesson_activities).to_numpy(dtype=bool)
    pos = np.flatnonzero(mask & _with_person(frame) & frame["date"].notna().to_numpy())
    if not len(pos):
        return {}
    key = _person_days(frame, pos)
    total = np.bincount(key, weights=frame["count"].to_numpy()[pos])[key]
    over = total > rules.max_lessons_per_day
    return {
        p: {"total": int(n), "limit": rules.max_lessons_per_day}
        for p, n in zip(pos[over].tolist(), total[over].tolist(), strict=True)
    }


def two_groups_same_day(frame: pd.DataFrame, config: Config) -> dict[int, dict[str, object]]:
    """One person recorded at schools of two different groups on the same day."""
    pos = np.flatnonzero(_with_person(frame) & frame["date"].notna().to_numpy())
    if not len(pos):
        return {}
    key = _person_days(frame, pos)
    groups, group_ids = _codes(frame["school_group"])
    group = groups[pos]
    known = group >= 0
    # a person-day is at two groups or more exactly when its smallest and largest group differ
    days = int(key.max()) + 1
    low = np.full(days, len(group_ids), dtype=np.int64)
    high = np.full(days, -1, dtype=np.int64)
    np.minimum.at(low, key[known], group[known])
    np.maximum.at(high, key[known], group[known])
    flagged = (high[key] >= 0) & (low[key] < high[key])
    if not flagged.any():
        return {}
    names = {g.id: g.name for g in config.groups.values()}
    seen: dict[int, dict[str, None]] = {}  # person-day → its groups' names, in row order
    rows = list(
        zip(pos[flagged].tolist(), key[flagged].tolist(), group[flagged].tolist(), strict=True)
    )
    for _, k, g in rows:
        if g >= 0:
            seen.setdefault(k, {})[names[group_ids[g]]] = None
    return {p: {"groups": "、".join(seen[k])} for p, k, _ in rows}


def holiday(frame: pd.DataFrame, config: Config) -> dict[int, dict[str, object]]:
    """An activity on a statutory public holiday (from the chinese-calendar package)."""
    import chinese_calendar

    days = frame["date"].to_numpy(dtype="datetime64[D]")
    holidays: dict[object, dict[str, object]] = {}
    for day in np.unique(days[~np.isnat(days)]):  # a few hundred distinct days
        date = day.astype(dt.date)
        try:
            is_off, name = chinese_calendar.get_holiday_detail(date)
        except NotImplementedError:  # a year the package has no data for: no verdict
            continue
        if is_off and name:
            holidays[day] = {"holiday": name, "day": date.isoformat()}
    if not holidays:
        return {}
    flagged = np.flatnonzero(np.isin(days, np.array(list(holidays), dtype="datetime64[D]")))
    return {p: holidays[days[p]] for p in flagged.tolist()}


FLAGS: tuple[Flag, ...] = (
    Flag("too-many-lessons", "warning", too_many_lessons),
    Flag("two-groups-same-day", "warning", two_groups_same_day),
    Flag("holiday", "info", holiday),
)


def integrity_issues(
    frame: pd.DataFrame, tables: list[RawTable], config: Config, lang: str
) -> list[RowIssue]:
    """Row issues for every flag, in row order; the rows stay in ``frame``."""
    inputs = frame["_input"].to_numpy()
    rows = frame["_row"].to_numpy()
    dates = frame["date"].to_numpy(dtype="datetime64[D]")
    persons, person_names = _codes(frame["person"])
    found: list[tuple[int, RowIssue]] = []
    for flag in FLAGS:
        flagged = flag.find(frame, config)
        if not flagged:
            continue
        pos = np.fromiter(flagged, dtype=np.int64, count=len(flagged))
        shown = [("" if d == "NaT" else d) for d in dates[pos].astype(str).tolist()]
        who = [person_names[c] if c >= 0 else None for c in persons[pos].tolist()]
        for p, values, day, person, inp, row in zip(
            pos.tolist(),
            flagged.values(),
            shown,
            who,
            inputs[pos].tolist(),
            rows[pos].tolist(),
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
                        column="date",
                        value=day,
                        code=flag.code,
                        severity=flag.severity,
                        message=t(flag.code, lang, person=person, **values),
                    ),
                )
            )
    return [issue for _, issue in sorted(found, key=lambda x: x[0])]
