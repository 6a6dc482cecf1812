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
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from jituan.columns import COLUMNS as COLUMNS
from jituan.columns import HEADER_INDEX as HEADER_INDEX
from jituan.columns import REQUIRED, header_columns
from jituan.config import RESEARCHER_ROLE, Config, normalise_role
from jituan.errors import InputError
from jituan.i18n import t
from jituan.model import InputSummary, RowIssue
from jituan.readers import RawTable, text_array
from jituan.textnorm import clean, key

if TYPE_CHECKING:
    import pandas as pd

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


@dataclass(frozen=True)
class Coded:
    """A text column as codes into its distinct values (-1: no value)."""

    codes: np.ndarray
    values: list[str]

    def isin(self, wanted) -> np.ndarray:
        """Rows whose value is one of ``wanted`` (never those without a value)."""
        chosen = set(wanted)
        hits = [i for i, v in enumerate(self.values) if v in chosen]
        if len(hits) <= 3:  # a comparison per value is cheaper than a lookup per row
            mask = np.zeros(len(self.codes), dtype=bool)
            for i in hits:
                mask |= self.codes == i
            return mask
        lut = np.zeros(len(self.values) + 1, dtype=bool)  # the last: no value (-1)
        lut[hits] = True
        return np.take(lut, self.codes)

    def take(self, rows: np.ndarray) -> Coded:
        return Coded(self.codes[rows], self.values)

    def categorical(self):
        """A pandas categorical of the same values (NA where there is none)."""
        return _categorical(self.values, self.codes)


@dataclass(frozen=True)
class Places:
    """Where a position in the combined rows comes from: its input table and row number,
    computed for the positions asked about (no per-row arrays for all rows)."""

    starts: np.ndarray  # int64, len(tables) + 1: the first position of each table, then n
    first_rows: np.ndarray  # int64: the spreadsheet row number of each table's first row

    def locate(self, pos: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(input table, spreadsheet row number) of each position."""
        inputs = np.searchsorted(self.starts, pos, side="right") - 1
        return inputs, pos - self.starts[inputs] + self.first_rows[inputs]

    def counts(self, mask: np.ndarray) -> list[int]:
        """How many rows of each table ``mask`` holds."""
        return [
            int(np.count_nonzero(mask[a:b]))
            for a, b in zip(self.starts[:-1].tolist(), self.starts[1:].tolist(), strict=True)
        ]


@dataclass(frozen=True)
class Records:
    """The accepted rows as plain arrays: dates, codes, flags and counts (no pandas)."""

    day: np.ndarray  # datetime64[D]
    activity: Coded  # activity ids
    school: Coded  # school names
    from_school: Coded
    school_group: Coded  # group ids
    from_group: Coded
    rural: np.ndarray  # bool
    person: Coded
    role: Coded
    count: np.ndarray  # int64
    positions: np.ndarray  # int64: each row's position among all rows read
    places: Places

    def __len__(self) -> int:
        return len(self.day)

    def locate(self, pos: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(input table, spreadsheet row number) of the accepted rows at ``pos``."""
        return self.places.locate(self.positions[pos])

    @cached_property
    def input(self) -> np.ndarray:
        """Each row's input table (index into the tables read)."""
        return self.locate(np.arange(len(self)))[0]

    @cached_property
    def row(self) -> np.ndarray:
        """Each row's spreadsheet row number."""
        return self.locate(np.arange(len(self)))[1]

    def frame(self) -> pd.DataFrame:
        """The same rows as a pandas frame of categoricals (what ``explain`` reads)."""
        import pandas as pd

        return pd.DataFrame(
            {
                "date": self.day.astype("datetime64[s]"),
                "activity": self.activity.categorical(),
                "school": self.school.categorical(),
                "from_school": self.from_school.categorical(),
                "school_group": self.school_group.categorical(),
                "from_group": self.from_group.categorical(),
                "rural": self.rural,
                "person": self.person.categorical(),
                "role": self.role.categorical(),
                "count": self.count,
                "_input": self.input,
                "_row": self.row,
            }
        )


@dataclass
class Ledger:
    """Accepted rows (normalised, one table for all inputs) plus what was not accepted."""

    records: Records
    issues: list[RowIssue] = field(default_factory=list)
    inputs: list[InputSummary] = field(default_factory=list)

    @cached_property
    def frame(self) -> pd.DataFrame:
        """The accepted rows as a pandas frame (built on first use; the check needs none)."""
        return self.records.frame()


def _indices(chunk) -> np.ndarray:
    """The indices of a dictionary array (no nulls) as numpy, read from its buffer
    (``to_numpy`` would import pandas)."""
    indices = chunk.indices
    dtype = np.dtype(str(indices.type))
    return np.frombuffer(indices.buffers()[1], dtype=dtype)[
        indices.offset : indices.offset + len(indices)
    ]


def _dictionary_id(chunk) -> tuple:
    dictionary = chunk.dictionary
    buffers = tuple((b.address, b.size) if b is not None else None for b in dictionary.buffers())
    return (buffers, dictionary.offset, len(dictionary))


def _merge_shared(chunks: list) -> list:
    """Consecutive chunks that share one dictionary (the files of a batch, sliced from one
    parse) merged into one chunk, so that the dictionary is unified once, not per file."""
    import pyarrow as pa

    runs: list[list] = []
    last = None
    for chunk in chunks:
        ident = _dictionary_id(chunk) if pa.types.is_int32(chunk.type.index_type) else None
        if runs and ident is not None and ident == last:
            runs[-1].append(chunk)
        else:
            runs.append([chunk])
        last = ident
    if len(runs) == len(chunks):
        return chunks
    out = []
    for run in runs:
        if len(run) == 1:
            out.append(run[0])
            continue
        codes = np.concatenate([_indices(c) for c in run]).astype(np.int32, copy=False)
        indices = pa.Array.from_buffers(pa.int32(), len(codes), [None, pa.py_buffer(codes)])
        out.append(pa.DictionaryArray.from_arrays(indices, run[0].dictionary))
    return out


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

        if chunks and all(pa.types.is_dictionary(c.type) for c in chunks):
            whole = pa.table({"v": pa.chunked_array(_merge_shared(chunks))})
            encoded = whole.unify_dictionaries().column("v")
        else:  # plain text (the slower CSV readers): pyarrow.compute takes 50 ms to import
            import pyarrow.compute as pc

            plain = [c.dictionary_decode() if pa.types.is_dictionary(c.type) else c for c in chunks]
            encoded = pc.dictionary_encode(pa.chunked_array(plain, type=pa.string()))
        if not encoded.num_chunks:
            return cls(np.zeros(0, dtype=np.int32), [""])
        raw = encoded.chunk(0).dictionary.to_pylist()
        codes = np.concatenate([_indices(c) for c in encoded.chunks]).astype(np.int32, copy=False)
        index: dict[str, int] = {}
        lut = np.array([index.setdefault(clean(v), len(index)) for v in raw], dtype=np.int32)
        if len(index) == len(lut) and np.array_equal(lut, np.arange(len(lut))):
            return cls(codes, list(index))  # cleaning merged no values: the codes stand
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

    def __init__(self, columns: dict[str, _Column], places: Places, tables, lang) -> None:
        self.columns, self.places = columns, places
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
        inputs, rows = (a.tolist() for a in self.places.locate(positions))
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


def _combine(tables: list[RawTable]) -> tuple[dict[str, _Column], Places]:
    """Every record column of all tables as codes, and where each position comes from."""
    import pyarrow as pa

    chunks: dict[str, list] = {col: [] for col in COLUMNS}
    sizes, first_rows = [], []
    for table in tables:
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
                zeros = pa.Array.from_buffers(
                    pa.int32(), n, [None, pa.py_buffer(np.zeros(n, dtype=np.int32))]
                )
                chunks[col].append(pa.DictionaryArray.from_arrays(zeros, text_array([""])))
        sizes.append(n)
        first_rows.append(table.header_row + 1)
    columns = {col: _Column.of(chunks[col]) for col in COLUMNS}
    starts = np.zeros(len(tables) + 1, dtype=np.int64)
    np.cumsum(sizes, out=starts[1:])
    return columns, Places(starts, np.array(first_rows, dtype=np.int64))


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


def _rows(lut: np.ndarray, codes: np.ndarray) -> np.ndarray | None:
    """Rows whose code is flagged in ``lut`` (one flag per distinct value); None when no
    value is flagged, so a clean column costs no pass over its rows."""
    return lut[codes] if lut.any() else None


def _duplicates(keys: np.ndarray, radix: int) -> tuple[np.ndarray, np.ndarray]:
    """(positions of later rows, position of the first row of the same key) in ``keys``.

    The key and the position are packed in one integer and sorted, so that equal keys
    come together in row order (one fast sort, no hashing); when they do not fit in 63
    bits, the keys are ordered by an argsort and each key's first row is its smallest.
    """
    bits = max(len(keys), 1).bit_length()
    if radix < 2 ** (63 - bits):
        packed = keys << bits
        packed |= np.arange(len(keys), dtype=np.int64)
        packed.sort()
        order = packed & ((1 << bits) - 1)
        packed >>= bits
        ordered = packed
    else:  # an unstable sort (twice as fast); each key's first row is its smallest
        order = np.argsort(keys)
        ordered = keys[order]
        new = np.ones(len(keys), dtype=bool)
        new[1:] = ordered[1:] != ordered[:-1]
        if new.all():
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        starts = np.flatnonzero(new)
        first = np.minimum.reduceat(order, starts)[np.cumsum(new, dtype=np.int32) - 1]
        later = order != first
        return order[later], first[later]
    new = np.ones(len(keys), dtype=bool)
    new[1:] = ordered[1:] != ordered[:-1]
    if new.all():
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    firsts = order[new]
    run = np.cumsum(new, dtype=np.int32) - 1
    later = ~new
    return order[later], firsts[run[later]]


def normalise(tables: list[RawTable], config: Config, as_of: dt.date, lang: str) -> Ledger:
    """Validate and normalise every row of the tables against the configuration.

    Every check is decided once per distinct value (a lookup table per column) and only
    applied to the rows when some value fails it; blank rows stay in the arrays (they
    can fail no check but "missing value", which leaves them out) so nothing is copied.
    """
    cols, places = _combine(tables)
    n = int(places.starts[-1])
    empty: dict[str, np.ndarray] = {}
    for col in COLUMNS:
        values = cols[col].values
        code = values.index("") if "" in values else -1
        empty[col] = cols[col].codes == code
    blank = np.logical_and.reduce([empty[c] for c in COLUMNS]) if n else np.zeros(0, dtype=bool)
    live = ~blank
    has_blank = bool(blank.any())
    blank_counts = places.counts(blank) if has_blank else [0] * len(tables)
    issues = _Issues(cols, places, tables, lang)
    bad = np.zeros(n, dtype=bool)

    for col in REQUIRED:
        missing = empty[col] & live if has_blank else empty[col]
        issues.add(missing, col, "missing-value")
        bad |= missing

    def is_set(col: str) -> np.ndarray:
        return np.array([v != "" for v in cols[col].values], dtype=bool)

    date_codes = cols["date"].codes
    date_values = cols["date"].lookup(parse_date)
    day_lut = np.array(
        [np.datetime64("NaT") if d is None else np.datetime64(d, "D") for d in date_values],
        dtype="datetime64[D]",
    )
    no_date = _rows(np.isnat(day_lut) & is_set("date"), date_codes)
    if no_date is not None:
        issues.add(no_date, "date", "bad-date")
        bad |= no_date
    future = _rows(~np.isnat(day_lut) & (day_lut > np.datetime64(as_of, "D")), date_codes)
    if future is not None:
        issues.add(
            future, "date", "future-date", message=lambda _p, _v: {"as_of": as_of.isoformat()}
        )
        bad |= future

    activity_ids: dict[str, int] = {}
    activity_lut = _encode(cols["activity"].lookup(config.find_activity), activity_ids)
    unknown = _rows((activity_lut < 0) & is_set("activity"), cols["activity"].codes)
    if unknown is not None:
        names = {key(a.name): a.name for a in config.activities.values()}
        issues.add(unknown, "activity", "unknown-activity", suggest=_suggester(names))
        bad |= unknown

    school_names = {key(s): s for s in config.schools}
    school_names.update({k: v for k, v in config.school_index.items()})
    suggest_school = _suggester(school_names)
    school_ids: dict[str, int] = {}  # one vocabulary for school and from_school
    school_luts: dict[str, np.ndarray] = {}
    for col in ("school", "from_school"):
        school_luts[col] = _encode(cols[col].lookup(config.find_school), school_ids)
        unknown = _rows((school_luts[col] < 0) & is_set(col), cols[col].codes)
        if unknown is not None:
            issues.add(unknown, col, "unknown-school", suggest=suggest_school)
            bad |= unknown
    resolved = {col: school_luts[col][cols[col].codes] for col in school_luts}

    school_list = list(school_ids)
    group_ids: dict[str, int] = {}
    group_of_school = np.array(
        [*_encode([config.schools[s].group for s in school_list], group_ids), -1], dtype=np.int32
    )  # index -1 (no school) → -1 (no group)
    # the group of each row's school (and from_school), looked up per distinct cell value
    school_group = group_of_school[school_luts["school"]][cols["school"].codes]
    from_group = group_of_school[school_luts["from_school"]][cols["from_school"].codes]
    group_lut = _encode(cols["group"].lookup(config.find_group), group_ids)
    group_list = list(group_ids)
    group_names = {g.id: g.name for g in config.groups.values()}
    # A group cell that names no group, or not the school's group, is one problem: the
    # row's group does not match the school's membership.
    if is_set("group").any():
        given_group = group_lut[cols["group"].codes]
        mismatch = ~empty["group"] & (school_group >= 0) & (given_group != school_group)
        del given_group
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
    bad_count = _rows(count_lut == 0, cols["count"].codes)
    if bad_count is not None:
        issues.add(bad_count, "count", "bad-count")
        bad |= bad_count

    activity = activity_lut[cols["activity"].codes]
    rotation_code = activity_ids.get(ROTATION, -2)
    if (activity_lut == rotation_code).any():
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

    day = day_lut[date_codes]
    person = cols["person"].codes
    ok = ~bad & live if has_blank else ~bad
    ok_positions = np.flatnonzero(ok)
    dup = np.zeros(n, dtype=bool)
    if len(ok_positions):
        # one integer per (date, activity, school, from_school, person): a mixed radix
        days = day.view(np.int64)[ok_positions]
        first_day = int(days.min())
        days -= first_day
        parts = [
            (activity, len(activity_ids)),
            (resolved["school"], len(school_ids)),
            (resolved["from_school"], len(school_ids)),
            (person, len(cols["person"].values)),
        ]
        radix = int(days.max()) + 2
        for _, size in parts:
            radix *= size + 1
        if radix < 2**62:
            keys = days
            for values, size in parts:
                keys *= size + 1
                keys += values[ok_positions]
                keys += 1
            later, first = _duplicates(keys, radix)
        else:  # more distinct values than an int64 holds: order the tuples instead
            table = np.stack([days] + [v[ok_positions].astype(np.int64) for v, _ in parts])
            order = np.lexsort(table[::-1])
            ordered = table[:, order]
            new = np.ones(len(order), dtype=bool)
            new[1:] = (ordered[:, 1:] != ordered[:, :-1]).any(axis=0)
            run_first = np.minimum.reduceat(order, np.flatnonzero(new))
            run = np.cumsum(new) - 1
            later_sorted = ~new
            later, first = order[later_sorted], run_first[run[later_sorted]]
        if len(later):
            dup_positions = ok_positions[later]
            dup[dup_positions] = True
            first_inputs, first_rows = places.locate(ok_positions[first])
            first_of = dict(
                zip(
                    dup_positions.tolist(),
                    zip(first_inputs.tolist(), first_rows.tolist(), strict=True),
                    strict=True,
                )
            )

            def place(p: int, _value: str) -> dict[str, str]:
                q_input, q_row = first_of[p]
                table = tables[q_input]
                sheet = f"[{table.sheet}]" if table.sheet else ""
                return {"first": f"{table.file}{sheet}:{q_row}"}

            issues.add(dup, "activity", "duplicate", severity="warning", message=place)
    rejected = bad | dup
    accepted = ~rejected & live if has_blank else ~rejected
    rejected_counts = places.counts(rejected)
    accepted_counts = places.counts(accepted)
    accepted = np.flatnonzero(accepted)

    rural_of_school = np.array([config.schools[s].rural for s in school_list] + [False])
    role_ids: dict[str, int] = {}
    role_lut = _encode(cols["role"].lookup(normalise_role), role_ids)
    school_a = resolved["school"][accepted]
    records = Records(
        day=day[accepted],
        activity=Coded(activity[accepted], list(activity_ids)),
        school=Coded(school_a, school_list),
        from_school=Coded(resolved["from_school"][accepted], school_list),
        school_group=Coded(school_group[accepted], group_list),
        from_group=Coded(from_group[accepted], group_list),
        rural=rural_of_school[school_a],
        person=Coded(person[accepted], cols["person"].values),
        role=Coded(role_lut[cols["role"].codes[accepted]], list(role_ids)),
        count=count_lut[cols["count"].codes[accepted]],
        positions=accepted,
        places=places,
    )
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
    return Ledger(records, [issue for _, _, issue in issues.items], summaries)


def researchers_in(records: Records) -> list[str]:
    """Persons recorded with the researcher role, in order of first appearance."""
    person = records.person
    mask = records.role.isin([RESEARCHER_ROLE]) & ~Coded(person.codes, person.values).isin([""])
    codes = person.codes[mask]
    _, first = np.unique(codes, return_index=True)
    return [person.values[c] for c in codes[np.sort(first)].tolist()]
