"""Excel workbooks (.xlsx, .xls) → raw tables, one per worksheet that holds a ledger.

Read with python-calamine (fast, and it never evaluates formulas: a formula cell gives
its cached value, or nothing when the file holds none). Before calamine sees an .xlsx,
:func:`jituan.xlsx_guard.check_xlsx` makes sure that a zip bomb cannot exhaust memory.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from jituan.columns import HEADER_SEARCH_ROWS, find_header
from jituan.readers import Problem, RawTable, ReadProblem, table_frame
from jituan.values import visible, visible_name
from jituan.xlsx_guard import MAX_CELLS, check_xlsx

if TYPE_CHECKING:
    from python_calamine import CalamineSheet, CalamineWorkbook


def cell_text(value: object) -> str:
    """A cell as text: numbers without a spurious .0, dates as ISO dates."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes" if not value.second else "seconds")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if value is None:
        return ""
    return str(value)


def _column_text(cells: list) -> list[str]:
    """A column's cells as text (most columns are text already and pass as they are)."""
    if set(map(type, cells)) <= {str}:
        return cells
    return [v if type(v) is str else cell_text(v) for v in cells]


#: Words in the name of a sheet that explains how to fill in the ledger (填表说明, 填写说明).
INSTRUCTION_WORDS = ("说明", "instruction", "readme")


def _quiet_sheets(book: CalamineWorkbook) -> set[str]:
    """Sheets that need no "not a ledger" note when they hold no header: hidden sheets
    (drop-down lists, as in the template jituan hands out) and instruction sheets."""
    from python_calamine import SheetVisibleEnum

    quiet = {m.name for m in book.sheets_metadata if m.visible != SheetVisibleEnum.Visible}
    return quiet | {n for n in book.sheet_names if any(w in n.lower() for w in INSTRUCTION_WORDS)}


class OpenBook:
    """A workbook checked (zip bomb guard), opened, and its sheets parsed one by one."""

    def __init__(self, path: Path, kind: str) -> None:
        if kind == "xlsx":
            check_xlsx(path)
        from python_calamine import CalamineWorkbook

        try:
            if path.suffix.lower() == f".{kind}":
                self.book = CalamineWorkbook.from_path(str(path))
            else:  # an .xlsx saved as .xls (or the reverse): calamine goes by the name,
                with path.open("rb") as fh:  # but from bytes by what they are
                    self.book = CalamineWorkbook.from_filelike(fh)
            self.names = list(self.book.sheet_names)
        except BaseException as err:
            if not _broken(err):
                raise
            raise ReadProblem("unreadable", "file-bad-workbook", detail=str(err)[:200]) from err

    @cached_property
    def quiet(self) -> set[str]:
        """Sheets that need no "not a ledger" note (see :func:`_quiet_sheets`)."""
        return _quiet_sheets(self.book)

    def sheet(self, name: str) -> CalamineSheet:
        """The parsed sheet (ReadProblem when it cannot be read, or spans too many cells)."""
        try:
            sheet = self.book.get_sheet_by_name(name)
        except BaseException as err:
            if not _broken(err):
                raise
            raise bad_sheet(name, err) from err
        end_row, end_col = sheet.end or (0, 0)
        if sheet.height and (end_row + 1) * (end_col + 1) > MAX_CELLS:
            raise ReadProblem("unreadable", "file-too-many-cells", limit=MAX_CELLS)
        return sheet

    def rows(self, name: str, sheet: CalamineSheet) -> list[list]:
        """The cells of a parsed sheet, row by row (ReadProblem when calamine gives up)."""
        try:
            return sheet.to_python(skip_empty_area=False)
        except BaseException as err:
            if not _broken(err):
                raise
            raise bad_sheet(name, err) from err

    def close(self) -> None:
        with contextlib.suppress(Exception):  # a workbook calamine already gave up on
            self.book.close()


def _broken(err: BaseException) -> bool:
    """Whether calamine gave up on a broken workbook: its own and generic errors, or a
    panic of its Rust code (a truncated .xls), which pyo3 raises as a PanicException
    derived from BaseException, so that ``except Exception`` lets it through."""
    return isinstance(err, Exception) or type(err).__name__ == "PanicException"


def bad_sheet(name: str, err: BaseException) -> ReadProblem:
    """The problem of a sheet calamine cannot read, naming the sheet."""
    detail = f"{visible(name)}: {str(err)[:200]}"
    return ReadProblem("unreadable", "file-bad-workbook", detail=detail)


def _columns(rows: list[list], positions: Iterable[int]) -> list[list]:
    """The cells of the wanted columns, column by column (only those: transposing every
    column took twice as long on a ledger of ten columns)."""
    out = []
    for i in positions:
        try:  # calamine's rows all have the sheet's width
            out.append([r[i] for r in rows])
        except IndexError:
            out.append([r[i] if i < len(r) else "" for r in rows])
    return out


def read_workbook(path: Path, name: str, kind: str) -> tuple[list[RawTable], list[Problem]]:
    """The ledgers of one workbook (``kind`` "xlsx" or "xls") and problems with its sheets."""
    book = OpenBook(path, kind)
    tables: list[RawTable] = []
    problems: list[Problem] = []
    quiet = book.quiet
    try:
        for sheet_name in book.names:
            sheet = book.sheet(sheet_name)
            if not sheet.height:
                continue  # an empty sheet (Sheet2, Sheet3 of a new workbook) holds nothing
            rows = book.rows(sheet_name, sheet)
            label = visible_name(sheet_name)  # as reports show it: a name is submitted data too
            head = [[cell_text(v) for v in r] for r in rows[:HEADER_SEARCH_ROWS]]
            header = find_header(head)
            if header is None and sheet_name in quiet:
                continue  # a hidden list or an instructions sheet is not a ledger, nor a problem
            if header is None:
                first = next((r for r in head if any(c.strip() for c in r)), [])
                problems.append(Problem("not-a-ledger", "file-no-header", {"first": first}, label))
                continue
            if header.missing:
                problems.append(
                    Problem(
                        "missing-column",
                        "file-missing-column",
                        {"missing": header.missing, "found": header.cells},
                        label,
                        header.row + 1,
                    )
                )
                continue
            body = rows[header.row + 1 :]
            del rows
            positions = list(header.positions)
            columns = {
                header.cells[i]: _column_text(cells)
                for i, cells in zip(positions, _columns(body, positions), strict=True)
            }
            frame = table_frame(columns, len(body))
            skipped = header.skipped_rows
            tables.append(RawTable(name, label, None, header.row + 1, frame, header.cells, skipped))
    finally:
        book.close()
    # Every sheet with a ledger's header is a ledger (issue 3), hidden or named 说明 too:
    # only helper sheets without one (the template's 名单 and 填写说明) pass in silence.
    return tables, problems
