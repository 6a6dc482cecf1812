"""Ledger rows: from raw text tables to one normalised frame plus row issues.

Every input row ends up in exactly one of three places: counted (in
:attr:`Ledger.frame`), rejected (with at least one issue naming file, row and reason),
or skipped as blank (a number per input). Values are normalised once per distinct
value, not once per row: a million rows carry a few dozen schools and a few thousand
dates.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from jituan.columns import COLUMNS as COLUMNS
from jituan.columns import HEADER_INDEX as HEADER_INDEX
from jituan.columns import REQUIRED, header_columns
from jituan.config import RESEARCHER_ROLE, Config, normalise_role
from jituan.errors import InputError
from jituan.i18n import t
from jituan.model import InputSummary, RowIssue
from jituan.readers import RawTable
from jituan.textnorm import clean, key

ROTATION = "teacher_rotation"
DUPLICATE_KEY = ("date", "activity", "school", "from_school", "person")

_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日(?: ?\d{1,2}:\d{2}(?::\d{2})?)?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_SERIAL = re.compile(r"^(\d{5})(?:\.\d+)?$")
#: Spreadsheet serial day numbers accepted in a date column (Excel's 1900 system):
#: 36526 is 2000-01-01 and 73050 is 2099-12-31. A bare number outside is not a date.
SERIAL_RANGE = (36526, 73050)
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_INT = re.compile(r"^\+?(\d+)(?:\.0+)?$")
#: Cell values shown in issues are cut to this many characters.
MAX_SHOWN = 200


def parse_date(text: str) -> dt.date | None:
    """A ledger date: 2024-10-12, 2024/10/12, 2024.10.12, 2024年10月12日, 20241012, a time
    after the day (2024-10-12 09:30), or a spreadsheet serial day number (45577)."""
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return dt.date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                return None
    match = _SERIAL.match(text)
    if match and SERIAL_RANGE[0] <= int(match[1]) <= SERIAL_RANGE[1]:
        return _EXCEL_EPOCH + dt.timedelta(days=int(match[1]))
    return None


def shown(value: str) -> str:
    """A cell value as an issue shows it: at most :data:`MAX_SHOWN` characters."""
    return value if len(value) <= MAX_SHOWN else value[:MAX_SHOWN] + "…"


def parse_count(text: str) -> int | None:
    """A count: empty is 1; "2", "2.0" are 2; anything else, or below 1, is None."""
    if text == "":
        return 1
    match = _INT.match(text)
    if not match:
        return None
    value = int(match[1])
    return value if value >= 1 else None


@dataclass
class Ledger:
    """Accepted rows (normalised, one frame for all inputs) plus what was not accepted."""

    frame: pd.DataFrame
    issues: list[RowIssue] = field(default_factory=list)
    inputs: list[InputSummary] = field(default_factory=list)


def _map_distinct(series: pd.Series, fn: Callable[[str], object]) -> pd.Series:
    """Apply ``fn`` once per distinct value of a text column."""
    distinct = series.unique()
    return series.map(dict(zip(distinct, map(fn, distinct), strict=True)))


class _Issues:
    """Collects row issues for flagged rows of the combined frame."""

    def __init__(self, frame: pd.DataFrame, tables: list[RawTable], lang: str) -> None:
        self.frame, self.tables, self.lang = frame, tables, lang
        self.items: list[tuple[int, RowIssue]] = []  # (frame position, issue)

    def add(
        self,
        mask: np.ndarray,
        column: str,
        code: str,
        severity: str = "error",
        values: pd.Series | None = None,
        message: Callable[[int, str], dict] | None = None,
        suggest: Callable[[str], str | None] | None = None,
    ) -> None:
        positions = np.flatnonzero(mask)
        if not len(positions):
            return
        values_of = self.frame[column] if values is None else values
        inputs = self.frame["_input"].to_numpy()
        rows = self.frame["_row"].to_numpy()
        for pos in positions:
            value = shown(str(values_of.iat[pos]))
            table = self.tables[inputs[pos]]
            suggestion = suggest(value) if suggest else None
            text = t(
                code,
                self.lang,
                value=value,
                column=column,
                **(message(pos, value) if message else {}),
            )
            if suggestion:
                text += ("，" if self.lang == "zh" else "; ") + t(
                    "suggest", self.lang, suggestion=suggestion
                )
            self.items.append(
                (
                    int(pos),
                    RowIssue(
                        file=table.file,
                        sheet=table.sheet,
                        row=int(rows[pos]),
                        column=column,
                        value=value,
                        code=code,
                        severity=severity,
                        message=text,
                        suggestion=suggestion,
                    ),
                )
            )


def _suggester(config_names: dict[str, str]) -> Callable[[str], str | None]:
    keys = list(config_names)
    cache: dict[str, str | None] = {}

    def suggest(value: str) -> str | None:
        if value not in cache:
            close = difflib.get_close_matches(key(value), keys, n=1, cutoff=0.5)
            cache[value] = config_names[close[0]] if close else None
        return cache[value]

    return suggest


def _combine(tables: list[RawTable]) -> pd.DataFrame:
    """One frame of all tables with canonical column names, ``_input`` and ``_row``."""
    parts = []
    for i, table in enumerate(tables):
        mapping = header_columns(table.frame.columns)
        missing = [c for c in REQUIRED if c not in mapping.values()]
        if missing:
            where = table.file + (f" [{table.sheet}]" if table.sheet else "")
            found = ", ".join(str(c) for c in table.frame.columns) or "(none)"
            wanted = "; ".join(f"{c} ({'/'.join(COLUMNS[c][0][1:])})" for c in missing)
            raise InputError(
                f"{where}: missing required column(s) {wanted}; columns found: {found}"
            )
        part = table.frame[list(mapping)].rename(columns=mapping)
        for col in COLUMNS:
            if col not in part:
                part[col] = ""
        part = part[list(COLUMNS)].astype(str)
        part["_input"] = i
        part["_row"] = np.arange(len(part), dtype=np.int64) + table.header_row + 1
        parts.append(part)
    if not parts:
        return pd.DataFrame(columns=[*COLUMNS, "_input", "_row"])
    return pd.concat(parts, ignore_index=True)


def normalise(tables: list[RawTable], config: Config, as_of: dt.date, lang: str) -> Ledger:
    """Validate and normalise every row of the tables against the configuration."""
    raw = _combine(tables)
    for col in COLUMNS:
        raw[col] = _map_distinct(raw[col].fillna(""), clean)
    text_cols = list(COLUMNS)
    blank = (raw[text_cols] == "").all(axis=1).to_numpy()
    blank_counts = np.bincount(raw["_input"].to_numpy()[blank], minlength=len(tables))
    frame = raw.loc[~blank].reset_index(drop=True)
    issues = _Issues(frame, tables, lang)
    bad = np.zeros(len(frame), dtype=bool)

    for col in REQUIRED:
        empty = (frame[col] == "").to_numpy()
        issues.add(empty, col, "missing-value")
        bad |= empty

    dates = _map_distinct(frame["date"], parse_date)
    has_date = (frame["date"] != "").to_numpy()
    no_date = dates.isna().to_numpy() & has_date
    issues.add(no_date, "date", "bad-date")
    day = pd.to_datetime(dates, errors="coerce").to_numpy(dtype="datetime64[D]")
    future = ~np.isnat(day) & (day > np.datetime64(as_of, "D"))
    issues.add(future, "date", "future-date", message=lambda _p, _v: {"as_of": as_of.isoformat()})
    bad |= no_date | future

    activity = _map_distinct(frame["activity"], config.find_activity)
    unknown = activity.isna().to_numpy() & (frame["activity"] != "").to_numpy()
    names = {key(a.name): a.name for a in config.activities.values()}
    issues.add(unknown, "activity", "unknown-activity", suggest=_suggester(names))
    bad |= unknown

    school_names = {key(s): s for s in config.schools}
    school_names.update({k: v for k, v in config.school_index.items()})
    suggest_school = _suggester(school_names)
    resolved: dict[str, pd.Series] = {}
    for col in ("school", "from_school"):
        resolved[col] = _map_distinct(frame[col], config.find_school)
        unknown = resolved[col].isna().to_numpy() & (frame[col] != "").to_numpy()
        issues.add(unknown, col, "unknown-school", suggest=suggest_school)
        bad |= unknown

    school_group = resolved["school"].map({n: s.group for n, s in config.schools.items()})
    from_group = resolved["from_school"].map({n: s.group for n, s in config.schools.items()})
    given_group = _map_distinct(frame["group"], config.find_group)
    group_names = {g.id: g.name for g in config.groups.values()}
    # A group cell that names no group, or not the school's group, is one problem: the
    # row's group does not match the school's membership.
    mismatch = (
        (frame["group"] != "").to_numpy()
        & school_group.notna().to_numpy()
        & (given_group != school_group).to_numpy()
    )
    issues.add(
        mismatch,
        "group",
        "group-mismatch",
        message=lambda p, _v: {
            "school": resolved["school"].iat[p],
            "expected": group_names[school_group.iat[p]],
        },
    )
    bad |= mismatch

    count = _map_distinct(frame["count"], parse_count)
    bad_count = count.isna().to_numpy()
    issues.add(bad_count, "count", "bad-count")
    bad |= bad_count

    rotation = (activity == ROTATION).to_numpy() & resolved["from_school"].notna().to_numpy()
    same = rotation & (resolved["from_school"] == resolved["school"]).to_numpy()
    issues.add(same, "from_school", "bad-rotation")
    bad |= same
    cross = (
        rotation & ~same & school_group.notna().to_numpy() & (from_group != school_group).to_numpy()
    )
    issues.add(
        cross,
        "from_school",
        "cross-group-rotation",
        severity="warning",
        message=lambda p, _v: {
            "from_group": group_names.get(from_group.iat[p], "?"),
            "to_group": group_names.get(school_group.iat[p], "?"),
        },
    )

    rural = resolved["school"].map({n: s.rural for n, s in config.schools.items()})
    out = pd.DataFrame(
        {
            "date": day,
            "activity": activity,
            "school": resolved["school"],
            "from_school": resolved["from_school"],
            "school_group": school_group,
            "from_group": from_group,
            "rural": rural.fillna(False).astype(bool),
            "person": frame["person"],
            "role": _map_distinct(frame["role"], normalise_role),
            "count": count,
            "_input": frame["_input"],
            "_row": frame["_row"],
        }
    )
    dup = np.zeros(len(frame), dtype=bool)
    ok_positions = np.flatnonzero(~bad)
    keys = out.iloc[ok_positions][list(DUPLICATE_KEY)]
    involved = keys.duplicated(keep=False).to_numpy()
    if involved.any():
        # Only rows that have a twin: the first of each set is counted, the others are
        # duplicates whose issue names where the first one is (file, sheet and row).
        sub = keys.iloc[np.flatnonzero(involved)]
        positions = ok_positions[involved]
        later = sub.duplicated(keep="first").to_numpy()
        group_of = sub.groupby(list(DUPLICATE_KEY), dropna=False, sort=False).ngroup().to_numpy()
        first_of_group = np.zeros(group_of.max() + 1, dtype=np.int64)
        first_of_group[group_of[~later]] = positions[~later]
        dup[positions[later]] = True
        first_of = dict(
            zip(positions[later].tolist(), first_of_group[group_of[later]].tolist(), strict=True)
        )
        input_of, row_of = out["_input"].to_numpy(), out["_row"].to_numpy()

        def place(p: int, _value: str) -> dict[str, str]:
            q = first_of[p]
            table = tables[input_of[q]]
            sheet = f"[{table.sheet}]" if table.sheet else ""
            return {"first": f"{table.file}{sheet}:{row_of[q]}"}

        issues.add(dup, "activity", "duplicate", severity="warning", message=place)
    rejected = bad | dup

    accepted = out.loc[~rejected].reset_index(drop=True)
    accepted["count"] = accepted["count"].astype(np.int64)
    inputs_of = frame["_input"].to_numpy()
    rejected_counts = np.bincount(inputs_of[rejected], minlength=len(tables))
    accepted_counts = np.bincount(inputs_of[~rejected], minlength=len(tables))
    summaries = [
        InputSummary(
            file=tb.file,
            sheet=tb.sheet,
            encoding=tb.encoding,
            rows=int(accepted_counts[i] + rejected_counts[i] + blank_counts[i]),
            accepted=int(accepted_counts[i]),
            rejected=int(rejected_counts[i]),
            blank=int(blank_counts[i]),
        )
        for i, tb in enumerate(tables)
    ]
    ordered = [issue for _, issue in sorted(issues.items, key=lambda x: x[0])]
    return Ledger(accepted, ordered, summaries)


def researchers_in(frame: pd.DataFrame) -> list[str]:
    """Persons recorded with the researcher role, in order of first appearance."""
    mask = (frame["role"] == RESEARCHER_ROLE) & (frame["person"] != "")
    return list(dict.fromkeys(frame.loc[mask, "person"]))
