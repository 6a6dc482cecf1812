"""The record columns and how a ledger's header row is recognised.

Light on purpose (no pandas): readers use it to find the header of a CSV file or a
worksheet, records use it to map headers onto column ids.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from jituan.textnorm import key

#: Record columns: id → (accepted headers, required).
COLUMNS: dict[str, tuple[tuple[str, ...], bool]] = {
    "date": (("date", "日期", "活动日期"), True),
    "activity": (("activity", "活动类型", "活动"), True),
    "school": (("school", "学校", "活动学校"), True),
    "from_school": (("from_school", "派出学校"), False),
    "group": (("group", "集团", "教育集团"), False),
    "person": (("person", "姓名", "人员"), False),
    "role": (("role", "身份", "角色"), False),
    "count": (("count", "数量", "节数"), False),
    "note": (("note", "备注"), False),
}
REQUIRED = tuple(c for c, (_, req) in COLUMNS.items() if req)
HEADER_INDEX = {key(h): col for col, (headers, _) in COLUMNS.items() for h in headers}

#: How many rows at the top of a table are searched for the header (title rows above it).
HEADER_SEARCH_ROWS = 20
#: A row is a header when it names at least this many of the required columns.
MIN_REQUIRED_IN_HEADER = 2
#: Header cells longer than this are not column names (and are not normalised).
MAX_HEADER_CELL = 64


def header_columns(headers: Iterable[object]) -> dict[str, str]:
    """Original header → record column id, for the headers that are known (first wins)."""
    out: dict[str, str] = {}
    for h in headers:
        text = str(h)
        col = HEADER_INDEX.get(key(text)) if len(text) <= MAX_HEADER_CELL else None
        if col is not None and col not in out.values():
            out[text] = col
    return out


@dataclass(frozen=True)
class HeaderMatch:
    """Where a header was found: its 0-based row and the known columns (cell index → id)."""

    row: int
    cells: tuple[str, ...]
    positions: dict[int, str]
    #: rows above it that read as records under an earlier header (see :func:`_stacked`)
    skipped: tuple[int, ...] = ()

    @property
    def skipped_rows(self) -> tuple[int, ...]:
        """The skipped rows' spreadsheet numbers (the header's own is ``row + 1``)."""
        return tuple(i + 1 for i in self.skipped)

    @property
    def missing(self) -> list[str]:
        return [c for c in REQUIRED if c not in self.positions.values()]


#: cell text → column id (or None) of cells already looked at: a folder of a thousand
#: ledgers searches the same headers and the same first rows a thousand times.
_SEEN_CELLS: dict[str, str | None] = {}
_MAX_SEEN_CELLS = 100_000


def _cell_column(cell: str) -> str | None:
    col = _SEEN_CELLS.get(cell, "")
    if col == "":
        if len(_SEEN_CELLS) >= _MAX_SEEN_CELLS:
            _SEEN_CELLS.clear()
        col = _SEEN_CELLS[cell] = HEADER_INDEX.get(key(cell))
    return col


def match_header(cells: Sequence[str]) -> dict[int, str]:
    """Cell index → column id of the known header cells of one row (first occurrence wins)."""
    out: dict[int, str] = {}
    seen: set[str] = set()
    for i, cell in enumerate(cells):
        if not cell or len(cell) > MAX_HEADER_CELL:
            continue
        col = _cell_column(cell)
        if col is not None and col not in seen:
            out[i] = col
            seen.add(col)
    return out


def repeated_headers(
    cells: Sequence[str], index: dict[str, str] | None = None
) -> list[tuple[int, str, int]]:
    """(index, column id, index of the first) of header cells naming a column that an
    earlier cell of the row already names: only the first of them is read. ``index``:
    header text (:func:`key` form) → column id, when not the activity ledger's."""
    first: dict[str, int] = {}
    out: list[tuple[int, str, int]] = []
    for i, cell in enumerate(cells):
        if not cell or len(cell) > MAX_HEADER_CELL:
            continue
        col = _cell_column(cell) if index is None else index.get(key(cell))
        if col is not None:
            if col in first:
                out.append((i, col, first[col]))
            else:
                first[col] = i
    return out


def find_header(rows: Iterable[Sequence[str]]) -> HeaderMatch | None:
    """The header among the first rows: the row naming most known columns (earliest on ties).

    A row only counts when it names at least two of the required columns (date, activity,
    school), so a title row, a staff list or a notes sheet is not taken for a ledger.
    """
    best: HeaderMatch | None = None
    first_complete: HeaderMatch | None = None  # the first row naming every required column
    seen: list[Sequence[str]] = []
    above: Sequence[str] = ()
    for i, cells in enumerate(rows):
        if i >= HEADER_SEARCH_ROWS:
            break
        seen.append(cells)
        if first_complete is None:
            own = match_header(cells)
            if set(REQUIRED) <= set(own.values()):
                first_complete = HeaderMatch(i, tuple(cells), own)
        # the two-row reading first: on a tie it wins when a column comes from above
        # (日期 merged down, and 活动日期 further right in the second row)
        combined = _under(above, cells)
        if combined is not None and not any(
            i >= len(cells) or not cells[i].strip() for i in match_header(combined)
        ):
            combined = None  # the text above names no column: the row as it is
        for candidate in (combined, tuple(cells)):
            if candidate is None:
                continue
            positions = match_header(candidate)
            required = sum(1 for c in positions.values() if c in REQUIRED)
            if required < MIN_REQUIRED_IN_HEADER:
                continue
            if best is None or len(positions) > len(best.positions):
                best = HeaderMatch(i, candidate, positions)
                if len(positions) == len(COLUMNS):
                    return _stacked(best, first_complete, seen)  # none can name more
        above = cells
    return _stacked(best, first_complete, seen)


def _stacked(
    best: HeaderMatch | None, first: HeaderMatch | None, rows: list[Sequence[str]]
) -> HeaderMatch | None:
    """The header found, with the rows between it and an earlier header naming every
    required column: a month's block stacked above another's. They are not read (the
    later header may have other columns), but said, where they were dropped in silence
    as title rows. The earlier row is a header only when most of its cells name columns
    (学校, 南关学校, 日期, 2024年10月 … is a form's title, not a header)."""
    if best is None or first is None or best.row - first.row < 2:
        return best
    filled = [c for c in first.cells if c.strip()]
    if len(first.positions) * 2 <= len(filled):
        return best
    skipped = tuple(r for r in range(first.row + 1, best.row) if any(c.strip() for c in rows[r]))
    return replace(best, skipped=skipped) if skipped else best


def _under(above: Sequence[str], cells: Sequence[str]) -> tuple[str, ...] | None:
    """The last row of a header written over two rows: each empty cell takes the text
    above it (日期 merged down over both rows, 活动类型 and 学校 under 活动信息). None
    when no empty cell has text above it."""
    width = max(len(above), len(cells))
    padded = [*cells, *[""] * (width - len(cells))]
    filled = [c if c.strip() or j >= len(above) else above[j] for j, c in enumerate(padded)]
    return tuple(filled) if filled != padded else None
