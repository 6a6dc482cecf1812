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


class _Column:
    """One text column of all inputs as dictionary codes: ``codes[i]`` indexes ``values``.

    ``values`` are the distinct cleaned (NFKC, trimmed) cell texts: each is cleaned,
    matched and parsed once, whatever the number of rows that carry it.
    """

    def __init__(self, codes: np.ndarray, values: list[str]) -> None:
        self.codes, self.values = codes, values

    @classmethod
    def of(cls, chunks: list) -> _Column:
        import pyarrow as pa
        import pyarrow.compute as pc

        if chunks and all(pa.types.is_dictionary(c.type) for c in chunks):
            whole = pa.table({"v": pa.chunked_array(chunks)})
            encoded = whole.unify_dictionaries().column("v")
        else:
            plain = [c.dictionary_decode() if pa.types.is_dictionary(c.type) else c for c in chunks]
            encoded = pc.dictionary_encode(pa.chunked_array(plain, type=pa.string()))
        if not encoded.num_chunks:
            return cls(np.zeros(0, dtype=np.int32), [""])
        raw = encoded.chunk(0).dictionary.to_pylist()
        codes = np.concatenate(
            [c.indices.to_numpy(zero_copy_only=False) for c in encoded.chunks]
        ).astype(np.int32, copy=False)
        index: dict[str, int] = {}
        lut = np.array([index.setdefault(clean(v), len(index)) for v in raw], dtype=np.int32)
        return cls(lut[codes] if len(lut) else codes, list(index))

    def lookup(self, fn: Callable[[str], object]) -> list:
        """``fn`` of every distinct value (index by code)."""
        return [fn(v) for v in self.values]

    def mask(self, fn: Callable[[str], bool]) -> np.ndarray:
        """Rows whose value satisfies ``fn``, testing each distinct value once."""
        lut = np.fromiter((bool(fn(v)) for v in self.values), dtype=bool, count=len(self.values))
        return lut[self.codes]

    def take(self, rows: np.ndarray) -> _Column:
        return _Column(self.codes[rows], self.values)


class _Issues:
    """Collects row issues for flagged rows; only flagged rows are visited in Python."""

    def __init__(
        self, columns: dict[str, _Column], inputs: np.ndarray, rows: np.ndarray, tables, lang
    ) -> None:
        self.columns, self.inputs, self.rows = columns, inputs, rows
        self.tables, self.lang = tables, lang
        self.items: list[tuple[int, int, RowIssue]] = []  # (position, order added, issue)

    def add(
        self,
        mask: np.ndarray,
        column: str,
        code: str,
        severity: str = "error",
        message: Callable[[int, str], dict] | None = None,
        suggest: Callable[[str], str | None] | None = None,
    ) -> None:
        positions = np.flatnonzero(mask)
        if not len(positions):
            return
        col = self.columns[column]
        values = col.values
        codes = col.codes[positions].tolist()
        inputs = self.inputs[positions].tolist()
        rows = self.rows[positions].tolist()
        texts: dict[tuple, tuple[str, str | None]] = {}
        for pos, c, inp, row in zip(positions.tolist(), codes, inputs, rows, strict=True):
            value = shown(values[c])
            extra = message(pos, value) if message else {}
            memo = (value, *extra.values())
            if memo not in texts:
                suggestion = suggest(value) if suggest else None
                text = t(code, self.lang, value=value, column=column, **extra)
                if suggestion:
                    text += ("，" if self.lang == "zh" else "; ") + t(
                        "suggest", self.lang, suggestion=suggestion
                    )
                texts[memo] = (text, suggestion)
            text, suggestion = texts[memo]
            table = self.tables[inp]
            self.items.append(
                (
                    pos,
                    len(self.items),
                    RowIssue(
                        file=table.file,
                        sheet=table.sheet,
                        row=row,
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


def _combine(tables: list[RawTable]) -> tuple[dict[str, _Column], np.ndarray, np.ndarray]:
    """Every record column of all tables as codes, plus each row's input and row number."""
    import pyarrow as pa

    chunks: dict[str, list] = {col: [] for col in COLUMNS}
    inputs, rows = [], []
    for i, table in enumerate(tables):
        names = table.frame.column_names
        mapping = header_columns(names)
        missing = [c for c in REQUIRED if c not in mapping.values()]
        if missing:
            where = table.file + (f" [{table.sheet}]" if table.sheet else "")
            found = ", ".join(str(c) for c in names) or "(none)"
            wanted = "; ".join(f"{c} ({'/'.join(COLUMNS[c][0][1:])})" for c in missing)
            raise InputError(
                f"{where}: missing required column(s) {wanted}; columns found: {found}"
            )
        by_col = {col: name for name, col in mapping.items()}
        n = table.frame.num_rows
        for col in COLUMNS:
            if col in by_col:
                chunks[col].extend(table.frame.column(by_col[col]).chunks)
            elif n:
                chunks[col].append(
                    pa.DictionaryArray.from_arrays(
                        pa.array(np.zeros(n, dtype=np.int32)), pa.array([""], pa.string())
                    )
                )
        inputs.append(np.full(n, i, dtype=np.int64))
        rows.append(np.arange(n, dtype=np.int64) + table.header_row + 1)
    columns = {col: _Column.of(chunks[col]) for col in COLUMNS}
    if not inputs:
        return columns, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return columns, np.concatenate(inputs), np.concatenate(rows)


def _categorical(values: list, codes: np.ndarray):
    """A categorical text column of ``values[codes]`` (NA where ``codes`` < 0): the codes
    are the frame's data, so a million rows of a few dozen schools cost four bytes each."""
    import pandas as pd

    categories = pd.Index(values, dtype=object)
    return pd.Categorical.from_codes(codes, categories=categories, validate=False)


def _encode(lookups: list, vocabulary: dict) -> np.ndarray:
    """Code of each lookup result in ``vocabulary`` (grown as needed); -1 for None."""
    return np.array(
        [-1 if v is None else vocabulary.setdefault(v, len(vocabulary)) for v in lookups],
        dtype=np.int32,
    )


def normalise(tables: list[RawTable], config: Config, as_of: dt.date, lang: str) -> Ledger:
    """Validate and normalise every row of the tables against the configuration."""
    import pandas as pd

    columns, inputs_all, rows_all = _combine(tables)
    empty_all = {col: columns[col].mask(lambda v: v == "") for col in COLUMNS}
    blank = np.logical_and.reduce([empty_all[c] for c in COLUMNS])
    blank_counts = np.bincount(inputs_all[blank], minlength=len(tables))
    keep = np.flatnonzero(~blank)
    cols = {c: columns[c].take(keep) for c in COLUMNS}
    empty = {c: empty_all[c][keep] for c in COLUMNS}
    inputs_of, row_of = inputs_all[keep], rows_all[keep]
    del columns, empty_all, inputs_all, rows_all
    n = len(keep)
    issues = _Issues(cols, inputs_of, row_of, tables, lang)
    bad = np.zeros(n, dtype=bool)

    for col in REQUIRED:
        issues.add(empty[col], col, "missing-value")
        bad |= empty[col]

    date_values = cols["date"].lookup(parse_date)
    day_lut = np.array(
        [np.datetime64("NaT") if d is None else np.datetime64(d, "D") for d in date_values],
        dtype="datetime64[D]",
    )
    day = day_lut[cols["date"].codes]
    no_date = np.isnat(day) & ~empty["date"]
    issues.add(no_date, "date", "bad-date")
    future = ~np.isnat(day) & (day > np.datetime64(as_of, "D"))
    issues.add(future, "date", "future-date", message=lambda _p, _v: {"as_of": as_of.isoformat()})
    bad |= no_date | future

    activity_ids: dict[str, int] = {}
    activity = _encode(cols["activity"].lookup(config.find_activity), activity_ids)[
        cols["activity"].codes
    ]
    unknown = (activity < 0) & ~empty["activity"]
    names = {key(a.name): a.name for a in config.activities.values()}
    issues.add(unknown, "activity", "unknown-activity", suggest=_suggester(names))
    bad |= unknown

    school_names = {key(s): s for s in config.schools}
    school_names.update({k: v for k, v in config.school_index.items()})
    suggest_school = _suggester(school_names)
    school_ids: dict[str, int] = {}  # one vocabulary for school and from_school
    resolved: dict[str, np.ndarray] = {}
    for col in ("school", "from_school"):
        resolved[col] = _encode(cols[col].lookup(config.find_school), school_ids)[cols[col].codes]
        unknown = (resolved[col] < 0) & ~empty[col]
        issues.add(unknown, col, "unknown-school", suggest=suggest_school)
        bad |= unknown

    school_list = list(school_ids)
    group_ids: dict[str, int] = {}
    group_of_school = np.array(
        [*_encode([config.schools[s].group for s in school_list], group_ids), -1], dtype=np.int32
    )  # index -1 (no school) → -1 (no group)
    school_group = group_of_school[resolved["school"]]
    from_group = group_of_school[resolved["from_school"]]
    given_group = _encode(cols["group"].lookup(config.find_group), group_ids)[cols["group"].codes]
    group_list = list(group_ids)
    group_names = {g.id: g.name for g in config.groups.values()}
    # A group cell that names no group, or not the school's group, is one problem: the
    # row's group does not match the school's membership.
    mismatch = ~empty["group"] & (school_group >= 0) & (given_group != school_group)
    issues.add(
        mismatch,
        "group",
        "group-mismatch",
        message=lambda p, _v: {
            "school": school_list[resolved["school"][p]],
            "expected": group_names[group_list[school_group[p]]],
        },
    )
    bad |= mismatch

    count_values = cols["count"].lookup(parse_count)
    count_lut = np.array([0 if c is None else c for c in count_values], dtype=np.int64)
    count = count_lut[cols["count"].codes]
    bad_count = count == 0
    issues.add(bad_count, "count", "bad-count")
    bad |= bad_count

    rotation_code = activity_ids.get(ROTATION, -2)
    rotation = (activity == rotation_code) & (resolved["from_school"] >= 0)
    same = rotation & (resolved["from_school"] == resolved["school"])
    issues.add(same, "from_school", "bad-rotation")
    bad |= same
    cross = rotation & ~same & (school_group >= 0) & (from_group != school_group)
    issues.add(
        cross,
        "from_school",
        "cross-group-rotation",
        severity="warning",
        message=lambda p, _v: {
            "from_group": group_names.get(group_list[from_group[p]], "?")
            if from_group[p] >= 0
            else "?",
            "to_group": group_names.get(group_list[school_group[p]], "?"),
        },
    )

    person = cols["person"].codes
    dup = np.zeros(n, dtype=bool)
    ok_positions = np.flatnonzero(~bad)
    if len(ok_positions):
        # one integer per (date, activity, school, from_school, person): a mixed radix
        parts = [
            (day[ok_positions].astype(np.int64), None),
            (activity[ok_positions].astype(np.int64), len(activity_ids)),
            (resolved["school"][ok_positions].astype(np.int64), len(school_ids)),
            (resolved["from_school"][ok_positions].astype(np.int64), len(school_ids)),
            (person[ok_positions].astype(np.int64), len(cols["person"].values)),
        ]
        first_day = parts[0][0].min()
        parts[0] = (parts[0][0] - first_day, int(parts[0][0].max() - first_day) + 1)
        radix = 1
        for _, size in parts:
            radix *= size + 1
        if radix < 2**62:
            combined = np.zeros(len(ok_positions), dtype=np.int64)
            for values, size in parts:
                combined = combined * (size + 1) + (values + 1)
            group_of = pd.factorize(combined)[0]
        else:  # more distinct values than an int64 holds: hash the tuples instead
            keys = pd.DataFrame({i: v for i, (v, _) in enumerate(parts)})
            group_of = keys.groupby(list(keys.columns), sort=False).ngroup().to_numpy()
        # groups are numbered in order of first appearance: a row is the first of its
        # key exactly where the running maximum of the numbers grows
        running = np.maximum.accumulate(group_of)
        is_first = np.ones(len(group_of), dtype=bool)
        is_first[1:] = running[1:] > running[:-1]
        first = ok_positions[is_first][group_of]
        later = first != ok_positions
        if later.any():
            dup_positions = ok_positions[later]
            dup[dup_positions] = True
            first_of = dict(zip(dup_positions.tolist(), first[later].tolist(), strict=True))

            def place(p: int, _value: str) -> dict[str, str]:
                q = first_of[p]
                table = tables[inputs_of[q]]
                sheet = f"[{table.sheet}]" if table.sheet else ""
                return {"first": f"{table.file}{sheet}:{row_of[q]}"}

            issues.add(dup, "activity", "duplicate", severity="warning", message=place)
    rejected = bad | dup

    accepted = np.flatnonzero(~rejected)
    rural_of_school = np.array([config.schools[s].rural for s in school_list] + [False])
    roles = cols["role"].lookup(normalise_role)
    role_ids: dict[str, int] = {}
    role_codes = _encode(roles, role_ids)
    school_a = resolved["school"][accepted]
    frame = pd.DataFrame(
        {
            "date": day[accepted].astype("datetime64[s]"),
            "activity": _categorical(list(activity_ids), activity[accepted]),
            "school": _categorical(school_list, school_a),
            "from_school": _categorical(school_list, resolved["from_school"][accepted]),
            "school_group": _categorical(group_list, school_group[accepted]),
            "from_group": _categorical(group_list, from_group[accepted]),
            "rural": rural_of_school[school_a],
            "person": _categorical(cols["person"].values, person[accepted]),
            "role": _categorical(list(role_ids), role_codes[cols["role"].codes[accepted]]),
            "count": count[accepted],
            "_input": inputs_of[accepted],
            "_row": row_of[accepted],
        }
    )
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
    issues.items.sort(key=lambda x: (x[0], x[1]))
    return Ledger(frame, [issue for _, _, issue in issues.items], summaries)


def researchers_in(frame: pd.DataFrame) -> list[str]:
    """Persons recorded with the researcher role, in order of first appearance."""
    mask = (frame["role"] == RESEARCHER_ROLE) & (frame["person"] != "")
    return list(dict.fromkeys(frame.loc[mask, "person"]))
