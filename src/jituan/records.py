"""Ledger rows: from raw text tables to one normalised frame plus row issues.

Every input row ends up in exactly one of three places: counted (in
:attr:`Ledger.frame`), rejected (with at least one issue naming file, row and reason),
or skipped as blank (a number per input). Values are normalised once per distinct
value, not once per row: a million rows carry a few dozen schools and a few thousand
dates.

The pieces live beside it: :mod:`jituan.values` (what a date or count cell may say),
:mod:`jituan.dictionary_columns` (text columns as dictionary codes) and
:mod:`jituan.ledger` (the accepted rows as arrays, which this module returns).
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable

import numpy as np

from jituan.beside import Beside
from jituan.columns import COLUMNS as COLUMNS
from jituan.columns import HEADER_INDEX as HEADER_INDEX
from jituan.columns import REQUIRED, header_columns
from jituan.config import Config, none_can_count, normalise_role
from jituan.dictionary_columns import _Column
from jituan.duplicates import duplicate_rows
from jituan.errors import InputError
from jituan.i18n import column_label, t
from jituan.ledger import Coded, Ledger, Places, Records
from jituan.ledger import researchers_in as researchers_in
from jituan.model import InputSummary, RowIssue
from jituan.readers import RawTable, text_array
from jituan.textnorm import clean, key, person
from jituan.values import MAX_SHOWN as MAX_SHOWN
from jituan.values import SERIAL_RANGE as SERIAL_RANGE
from jituan.values import parse_count, parse_date, shown

#: The shipped catalogue's teacher rotation (教师轮岗交流).
ROTATION = "teacher_rotation"
DUPLICATE_KEY = ("date", "activity", "school", "from_school", "person")


class _Issues:
    """Collects row issues for flagged rows; only flagged rows are visited in Python.

    Flagging is cheap (the rows' positions); the issues are made later, by :meth:`build`,
    so that making them (Python) can run while the duplicate search (arrays) runs beside.
    """

    def __init__(self, columns: dict[str, _Column], places: Places, tables, lang) -> None:
        self.columns, self.places = columns, places
        self.tables, self.lang = tables, lang
        self.items: list[tuple[int, int, RowIssue]] = []  # (position, order made, issue)
        self.pending: list[tuple] = []  # flags whose issues are not made yet

    def add(
        self,
        mask: np.ndarray,
        column: str,
        code: str,
        severity: str = "error",
        message: Callable[[int, str], dict] | None = None,
        suggest: Callable[[str], str | None] | None = None,
        text: str | None = None,
    ) -> None:
        """Flag the rows of ``mask``; their issues are made by :meth:`build` (``text``: the
        message id, when it is not the code)."""
        positions = np.flatnonzero(mask)
        if len(positions):
            self.pending.append((positions, column, code, severity, message, suggest, text))

    def build(self) -> None:
        """Make the issues of every flag added so far, in the order they were added."""
        pending, self.pending = self.pending, []
        for request in pending:
            self._build(*request)

    def _build(
        self,
        positions: np.ndarray,
        column: str,
        code: str,
        severity: str,
        message: Callable[[int, str], dict] | None,
        suggest: Callable[[str], str | None] | None,
        text_id: str | None,
    ) -> None:
        col = self.columns[column]
        codes = col.codes[positions].tolist()
        inputs, rows = (a.tolist() for a in self.places.locate(positions))
        pos_list = positions.tolist()
        texts: dict[object, tuple[str, str, str | None]] = {}  # memo → (value, text, suggestion)
        label = column_label(column, self.lang)  # messages name it 日期 in Chinese, not date

        def say(value: str, extra: dict | None) -> tuple[str, str, str | None]:
            suggestion = suggest(value) if suggest else None
            text = t(text_id or code, self.lang, value=value, column=label, **(extra or {}))
            if suggestion:
                text += ("，" if self.lang == "zh" else "; ") + t(
                    "suggest", self.lang, suggestion=suggestion
                )
            return value, text, suggestion

        if message is None:  # the text depends on the value alone: once per distinct value
            for c in set(codes):
                texts[c] = say(shown(col.values[c]), None)
            said = [texts[c] for c in codes]
        else:
            said = []
            for pos, c in zip(pos_list, codes, strict=True):
                value = shown(col.values[c])
                extra = message(pos, value) or {}
                memo = (value, *extra.values())
                if memo not in texts:
                    texts[memo] = say(value, extra)
                said.append(texts[memo])
        where = [(table.file, table.sheet) for table in self.tables]
        start = len(self.items)
        self.items.extend(
            (pos, start + k, _row_issue(*where[inp], row, column, code, severity, *words))
            for k, (pos, inp, row, words) in enumerate(
                zip(pos_list, inputs, rows, said, strict=True)
            )
        )


def _row_issue(
    file: str,
    sheet: str | None,
    row: int,
    column: str,
    code: str,
    severity: str,
    value: str,
    message: str,
    suggestion: str | None,
) -> RowIssue:
    """A :class:`RowIssue` made without its generated ``__init__``, which a frozen
    dataclass runs through ``object.__setattr__`` field by field: a million rows' fifteen
    thousand issues are made in half the time. The fields are the same, as tests check."""
    issue = _new_object(RowIssue)
    issue.__dict__.update(
        file=file,
        row=row,
        column=column,
        value=value,
        code=code,
        severity=severity,
        message=message,
        suggestion=suggestion,
        sheet=sheet,
    )
    return issue


_new_object = object.__new__


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
    one = len(tables) == 1
    # every column's codes are only looked up, except the person's (kept in the records)
    columns = {
        col: _Column.of(
            chunks[col],
            one_input=one,
            compact=col != "person",
            normal=person if col == "person" else clean,  # 张　三 is 张三
        )
        for col in COLUMNS
    }
    starts = np.zeros(len(tables) + 1, dtype=np.int64)
    np.cumsum(sizes, out=starts[1:])
    return columns, Places(starts, np.array(first_rows, dtype=np.int64))


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


#: The optional columns some targets need filled (see :meth:`Config.counts_nothing`).
NEEDED_CELLS = ("from_school", "person", "role")


def _flag_uncountable(
    issues: _Issues,
    config: Config,
    activity_ids: dict[str, int],
    activity: np.ndarray,
    roles: tuple[list[str], np.ndarray, np.ndarray],
    empty: dict[str, np.ndarray],
    bad: np.ndarray,
) -> None:
    """Flag (missing-value) the rows whose empty optional cells leave no target of their
    activity (and role) able to count them; only that activity's rows are looked at.
    ``roles``: the distinct normalised roles, the index in them of each distinct role
    cell, and each row's role cell."""
    role_values, role_of_cell, role_cells = roles
    combos = [
        frozenset(c for bit, c in enumerate(NEEDED_CELLS) if k >> bit & 1)
        for k in range(1 << len(NEEDED_CELLS))
    ]
    # activity (last: unknown) × role × the set of empty cells → counts toward nothing
    useless = np.zeros((len(activity_ids) + 1, len(role_values), len(combos)), dtype=bool)
    for name, i in activity_ids.items():
        for r, role in enumerate(role_values):
            needs = config.cells_needed(name, role)  # once per activity and role
            useless[i, r] = [none_can_count(needs, combo) for combo in combos]
    if not useless.any():
        return
    needed = {
        col: np.array(
            [any(col in need for need in config.cell_needs.get(a, ())) for a in activity_ids]
            + [False]
        )
        for col in NEEDED_CELLS
    }
    # each row's empty cells as bits (the combo's index), and the candidates: rows with an
    # empty cell that some target of their activity needs (a few per cent of the rows)
    combo = np.zeros(len(activity), dtype=np.uint8)
    wanted = np.zeros(len(activity_ids) + 1, dtype=np.uint8)  # by activity (last: unknown)
    for bit, col in enumerate(NEEDED_CELLS):
        combo |= empty[col].view(np.uint8) << bit
        wanted |= needed[col].astype(np.uint8) << bit
    rows = np.flatnonzero(combo & wanted[activity])
    role = role_of_cell[role_cells[rows]]
    rows = rows[useless[activity[rows], role, combo[rows]] & ~bad[rows]]
    if not len(rows):
        return
    for col in NEEDED_CELLS:
        flagged = rows[empty[col][rows] & needed[col][activity[rows]]]
        if len(flagged):
            mask = np.zeros(len(bad), dtype=bool)
            mask[flagged] = True
            issues.add(mask, col, "missing-value", text="missing-value-counts-nothing")
    bad[rows] = True


def rotation_activities(config: Config) -> set[str]:
    """The activities whose rows are teacher rotations (派出学校 sends a teacher to 学校),
    checked for a rotation to the same school and across groups: the catalogue's
    ``teacher_rotation``, and whatever activity a ``share_of_teachers`` target counts by
    the sending school (a bureau's own catalogue may call it otherwise)."""
    found = {ROTATION} if ROTATION in config.activities else set()
    for target in config.targets:
        if target.metric == "share_of_teachers" and target.by == "from_school":
            found.update(target.activities)
    return found


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
    blank = empty["date"].copy()  # in place, column by column (no stacked copy of all)
    for col in COLUMNS:
        blank &= empty[col]
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
        # close to a name, an alias or the id (principal_forun): the name ledgers write
        names = {k: config.activities[a].name for k, a in config.activity_index.items()}
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
    rotation_codes = [activity_ids[a] for a in rotation_activities(config) if a in activity_ids]
    rotation = None
    if rotation_codes:
        rotation = np.isin(activity, rotation_codes) & (resolved["from_school"] >= 0)
        same = rotation & (resolved["from_school"] == resolved["school"])
        issues.add(same, "from_school", "bad-rotation")
        bad |= same

    # a row no target can count for a cell it leaves empty (a rotation's 派出学校, 姓名)
    role_ids: dict[str, int] = {}
    role_lut = _encode(cols["role"].lookup(normalise_role), role_ids)
    roles = (list(role_ids), role_lut, cols["role"].codes)
    _flag_uncountable(issues, config, activity_ids, activity, roles, empty, bad)

    if rotation is not None:
        # "counted, but not toward within-group targets": said of rows that are counted
        cross = rotation & ~bad & (school_group >= 0) & (from_group != school_group)
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
    ok = ~bad & live if has_blank else ~bad
    # the duplicate search (arrays, no GIL) runs beside the making of the issues so far
    search = Beside(
        duplicate_rows,
        ok,
        day,
        [
            (activity, len(activity_ids)),
            (resolved["school"], len(school_ids)),
            (resolved["from_school"], len(school_ids)),
            (cols["person"].codes, len(cols["person"].values)),
        ],
    )
    issues.build()
    dup_positions, first_positions = search.result()
    dup = np.zeros(n, dtype=bool)
    if len(dup_positions):
        dup[dup_positions] = True
        first_inputs, first_rows = places.locate(first_positions)
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
    school_a = resolved["school"][accepted]
    records = Records(
        day=day[accepted],
        activity=Coded(activity[accepted], list(activity_ids)),
        school=Coded(school_a, school_list),
        from_school=Coded(resolved["from_school"][accepted], school_list),
        school_group=Coded(school_group[accepted], group_list),
        from_group=Coded(from_group[accepted], group_list),
        rural=rural_of_school[school_a],
        person=Coded(cols["person"].codes[accepted], cols["person"].values),
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
    issues.build()
    issues.items.sort(key=lambda x: (x[0], x[1]))
    return Ledger(records, [issue for _, _, issue in issues.items], summaries)
