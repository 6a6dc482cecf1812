"""Integrity flags for process supervision (过程督查, 五（三）): rows that look impossible.

Flags are warnings (or info) on accepted rows: a flagged row stays counted, once, and is
never silently dropped. Each flag is a small function over the accepted frame that
returns the positions it flags; the limits come from ``integrity:`` in targets.yaml.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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


def too_many_lessons(frame: pd.DataFrame, config: Config) -> dict[int, dict[str, object]]:
    """One person's lessons observed on one day above the limit (default 8)."""
    rules = config.targets_file.integrity
    mask = frame["activity"].isin(rules.lesson_activities) & (frame["person"] != "")
    rows = frame.loc[mask, ["person", "date", "count"]]
    if rows.empty:
        return {}
    total = rows.groupby(["person", "date"])["count"].transform("sum")
    over = total > rules.max_lessons_per_day
    return {
        int(i): {"total": int(n), "limit": rules.max_lessons_per_day}
        for i, n in total[over].items()
    }


def two_groups_same_day(frame: pd.DataFrame, config: Config) -> dict[int, dict[str, object]]:
    """One person recorded at schools of two different groups on the same day."""
    rows = frame.loc[frame["person"] != "", ["person", "date", "school_group"]]
    if rows.empty:
        return {}
    groups = rows.groupby(["person", "date"])["school_group"].transform("nunique")
    names = {g.id: g.name for g in config.groups.values()}
    out: dict[int, dict[str, object]] = {}
    flagged = rows[groups > 1]
    for (_, _), part in flagged.groupby(["person", "date"]):
        listed = "、".join(dict.fromkeys(names[g] for g in part["school_group"]))
        out.update({int(i): {"groups": listed} for i in part.index})
    return out


def holiday(frame: pd.DataFrame, config: Config) -> dict[int, dict[str, object]]:
    """An activity on a statutory public holiday (from the chinese-calendar package)."""
    import chinese_calendar

    days = frame["date"]
    holidays: dict[object, dict[str, object]] = {}
    for day in days.dropna().unique():  # a few hundred distinct days, however many rows
        date = pd.Timestamp(day).date()
        try:
            is_off, name = chinese_calendar.get_holiday_detail(date)
        except NotImplementedError:  # a year the package has no data for: no verdict
            continue
        if is_off and name:
            holidays[day] = {"holiday": name, "day": date.isoformat()}
    if not holidays:
        return {}
    flagged = days[days.isin(list(holidays))]
    return {int(i): holidays[d] for i, d in flagged.items()}


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
    found: list[tuple[int, RowIssue]] = []
    for flag in FLAGS:
        for pos, values in flag.find(frame, config).items():
            table = tables[inputs[pos]]
            found.append(
                (
                    pos,
                    RowIssue(
                        file=table.file,
                        sheet=table.sheet,
                        row=int(rows[pos]),
                        column="date",
                        value=str(frame["date"].iat[pos])[:10]
                        if pd.notna(frame["date"].iat[pos])
                        else "",
                        code=flag.code,
                        severity=flag.severity,
                        message=t(flag.code, lang, person=frame["person"].iat[pos], **values),
                    ),
                )
            )
    return [issue for _, issue in sorted(found, key=lambda x: x[0])]
