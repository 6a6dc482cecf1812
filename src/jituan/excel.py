"""Excel workbooks (.xlsx, .xls) → raw tables, one per worksheet that holds a ledger.

Read with python-calamine (fast, and it never evaluates formulas: a formula cell gives
its cached value, or nothing when the file holds none). Before calamine sees an .xlsx,
the zip is checked so that a zip bomb cannot exhaust memory: the declared and the real
uncompressed sizes are bounded (:data:`MAX_UNCOMPRESSED`), and so is the area a worksheet
spans (:data:`MAX_CELLS`), since a reader allocates the whole rectangle between its first
and last cell.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import zipfile
from collections.abc import Iterable, Iterator
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from jituan.columns import HEADER_SEARCH_ROWS, find_header
from jituan.readers import Problem, RawTable, ReadProblem, table_frame

if TYPE_CHECKING:
    from python_calamine import CalamineSheet, CalamineWorkbook

#: Refuse an .xlsx whose parts expand to more than this (bytes).
MAX_UNCOMPRESSED = 512 * 2**20
#: Refuse a worksheet spanning more cells than this (rows × columns, from A1).
MAX_CELLS = 30_000_000
MAX_ZIP_ENTRIES = 10_000
_CHUNK = 1 << 20

#: Any cell beyond column Z or at row 1,000,000 or below, or anything that looks like one:
#: a fast scan (a literal prefix) whose matches include every such cell reference; only a
#: sheet where it matches has its area computed exactly.
_SUSPICIOUS = re.compile(rb"r\s*=\s*[\"'](?:[A-Z]{2}|[A-Z]*\d{7})")
#: The start tag of a row or a cell element (with or without a namespace prefix).
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:row|c)\s([^<>]*)>")
_TAG_REF = re.compile(rb"(?:^|\s)r\s*=\s*[\"']([A-Z]*)(\d+)")
_REF = re.compile(rb"\sr\s*=\s*[\"']([A-Z]*)(\d+)")
#: Longer than any start tag of a row or a cell a workbook writes: an unfinished tag
#: longer than this at a chunk's end is not carried into the next chunk.
_MAX_TAG = 4096


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def _area(chunks: Iterable[bytes]) -> int:
    """The number of cells from A1 to the farthest cell named in a worksheet's XML (rows
    by the farthest row element, columns by the farthest cell that holds something), read
    in chunks: a start tag cut by a chunk's end is read whole with the next.

    A cell or a row written as an empty element (``<c r="AF1048576" s="1"/>``: a format
    and no value) is left out: calamine allocates the rectangle of the cells it reads values
    from, and a workbook where someone once formatted a far cell is an ordinary one. A
    start tag too long to carry (:data:`_MAX_TAG`) has every reference in it counted.
    """
    rows = cols = 0

    def count(letters: bytes, digits: bytes) -> None:
        nonlocal rows, cols
        rows = max(rows, int(digits))
        if letters:
            cols = max(cols, _column_number(letters))

    tail = b""
    in_long_tag = b""  # the end of an over-long tag cut by the last chunk's end
    for chunk in chunks:
        if in_long_tag:  # the rest of that tag, up to its end, counted loosely too
            close = chunk.find(b">")
            rest = chunk if close < 0 else chunk[: close + 1]
            for ref in _REF.findall(in_long_tag + rest):
                count(*ref)
            in_long_tag = (in_long_tag + rest)[-16:] if close < 0 else b""
            if close < 0:
                continue
            chunk = chunk[close + 1 :]
        window = tail + chunk
        tail = b""
        cut = window.rfind(b"<")
        if cut >= 0 and window.find(b">", cut) < 0:  # a tag goes on in the next chunk
            window, tail = window[:cut], window[cut:]
            if len(tail) > _MAX_TAG:
                for ref in _REF.findall(tail):
                    count(*ref)
                in_long_tag, tail = tail[-16:], b""
        for attributes in _TAG.findall(window):
            if attributes.rstrip().endswith(b"/"):
                continue  # an empty row or cell: formatting only
            ref = _TAG_REF.search(attributes)
            if ref is not None:
                count(*ref.groups())
    return rows * max(cols, 1)


def _chunks(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    # ZipExtFile stops at the declared size and checks the CRC, so a directory that
    # understates a part's size ends in BadZipFile rather than a bomb.
    with zf.open(info) as fh:
        while chunk := fh.read(_CHUNK):
            yield chunk


def check_xlsx(path: Path) -> None:
    """Raise :class:`ReadProblem` when an .xlsx is not a zip or would expand too far.

    One streaming pass over every part, counting what it expands to; a worksheet that
    names a cell beyond column Z or row 999,999 is read once more, in chunks, to bound
    the area it spans.
    """
    too_large = ReadProblem("unreadable", "file-too-large", limit=MAX_UNCOMPRESSED // 2**20)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_ZIP_ENTRIES:
                raise too_large
            if sum(i.file_size for i in infos) > MAX_UNCOMPRESSED:
                raise too_large
            total = 0
            for info in infos:
                sheet = info.filename.startswith("xl/worksheets/") and info.filename.endswith(
                    ".xml"
                )
                suspicious = False
                tail = b""
                for chunk in _chunks(zf, info):
                    total += len(chunk)
                    if total > MAX_UNCOMPRESSED:
                        raise too_large
                    if sheet and not suspicious:
                        window = tail + chunk
                        suspicious = _SUSPICIOUS.search(window) is not None
                        tail = window[-16:]  # longer than any match of the scan
                if sheet and suspicious and _area(_chunks(zf, info)) > MAX_CELLS:
                    raise ReadProblem("unreadable", "file-too-many-cells", limit=MAX_CELLS)
    except ReadProblem:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as err:
        raise ReadProblem(
            "unreadable", "file-bad-workbook", detail=str(err) or type(err).__name__
        ) from err
    except OSError as err:
        raise ReadProblem("unreadable", "file-os-error", detail=err.strerror or str(err)) from err


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
    quiet.update(n for n in book.sheet_names if any(w in n.lower() for w in INSTRUCTION_WORDS))
    return quiet


class OpenBook:
    """A workbook checked (zip bomb guard), opened, and its sheets parsed one by one."""

    def __init__(self, path: Path, kind: str) -> None:
        if kind == "xlsx":
            check_xlsx(path)
        from python_calamine import CalamineWorkbook

        try:
            self.book = CalamineWorkbook.from_path(str(path))
            self.names = list(self.book.sheet_names)
        except Exception as err:  # calamine raises its own and generic errors for broken files
            raise ReadProblem("unreadable", "file-bad-workbook", detail=str(err)[:200]) from err

    @cached_property
    def quiet(self) -> set[str]:
        """Sheets that need no "not a ledger" note (see :func:`_quiet_sheets`)."""
        return _quiet_sheets(self.book)

    def sheet(self, name: str) -> CalamineSheet:
        """The parsed sheet (ReadProblem when it cannot be read, or spans too many cells)."""
        try:
            sheet = self.book.get_sheet_by_name(name)
        except Exception as err:
            raise bad_sheet(name, err) from err
        end_row, end_col = sheet.end or (0, 0)
        if sheet.height and (end_row + 1) * (end_col + 1) > MAX_CELLS:
            raise ReadProblem("unreadable", "file-too-many-cells", limit=MAX_CELLS)
        return sheet

    def close(self) -> None:
        with contextlib.suppress(Exception):  # a workbook calamine already gave up on
            self.book.close()


def bad_sheet(name: str, err: Exception) -> ReadProblem:
    """The problem of a sheet calamine cannot read, naming the sheet."""
    return ReadProblem("unreadable", "file-bad-workbook", detail=f"{name}: {str(err)[:200]}")


def _columns(rows: list[list], positions: Iterable[int]) -> list[list]:
    """The cells of the wanted columns, column by column."""
    try:  # one transposition in C; calamine's rows all have the sheet's width
        every = list(zip(*rows, strict=True))
    except ValueError:
        return [[r[i] if i < len(r) else "" for r in rows] for i in positions]
    return [list(every[i]) if i < len(every) else [""] * len(rows) for i in positions]


def read_workbook(path: Path, name: str, kind: str) -> tuple[list[RawTable], list[Problem]]:
    """The ledgers of one workbook (``kind`` "xlsx" or "xls") and problems with its sheets."""
    book = OpenBook(path, kind)
    tables: list[RawTable] = []
    problems: list[Problem] = []
    try:
        for sheet_name in book.names:
            sheet = book.sheet(sheet_name)
            if not sheet.height:
                continue  # an empty sheet (Sheet2, Sheet3 of a new workbook) holds nothing
            try:
                rows = sheet.to_python(skip_empty_area=False)
            except Exception as err:
                raise bad_sheet(sheet_name, err) from err
            head = [[cell_text(v) for v in r] for r in rows[:HEADER_SEARCH_ROWS]]
            header = find_header(head)
            if header is None and sheet_name in book.quiet:
                continue  # a hidden list or an instructions sheet is not a ledger, nor a problem
            if header is None:
                first = next((r for r in head if any(c.strip() for c in r)), [])
                problems.append(
                    Problem("not-a-ledger", "file-no-header", {"first": first}, sheet_name)
                )
                continue
            if header.missing:
                problems.append(
                    Problem(
                        "missing-column",
                        "file-missing-column",
                        {"missing": header.missing, "found": header.cells},
                        sheet_name,
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
            tables.append(RawTable(name, sheet_name, None, header.row + 1, frame, header.cells))
    finally:
        book.close()
    return tables, problems
