"""The zip-bomb guard run before calamine reads an .xlsx.

Split out of :mod:`jituan.excel`. An .xlsx is a zip of XML parts, and two things in it
can make a reader take far more memory than the file's size: parts that inflate to
gigabytes, and a worksheet whose cells lie far apart, since calamine allocates the whole
rectangle between its first and last cell that holds a value. Both are bounded here, in
one streaming pass over every part, before the workbook is opened: the declared and the
real uncompressed sizes (:data:`MAX_UNCOMPRESSED`), and the area of any part that names a
far cell or writes cells in an unusual way (:data:`MAX_CELLS`).
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from jituan.raw_tables import ReadProblem

#: Refuse an .xlsx whose parts expand to more than this (bytes).
MAX_UNCOMPRESSED = 512 * 2**20
#: Refuse a worksheet spanning more cells than this (rows × columns, from A1).
MAX_CELLS = 30_000_000
MAX_ZIP_ENTRIES = 10_000
_CHUNK = 1 << 20

#: What makes a part worth measuring exactly, found by fast scans (each with a literal
#: start): a reference beyond column Z or at row 1,000,000 or below, or in lower case
#: (white space around its ``=`` too); a cell whose first attribute is not ``r``, or that
#: has none (Excel and every library write ``r`` first; a cell without one takes the
#: place after the one before it, which only measuring can tell).
_SUSPICIOUS = (
    re.compile(rb"r\s*=\s*[\"'](?:[A-Za-z]{2}|[A-Za-z]*\d{7}|[a-z])"),
    re.compile(rb"<c(?! r=)[\s>/]"),
    re.compile(rb":c(?! r=)[\s>/]"),  # a cell with a namespace prefix
)
#: Bytes carried from one chunk to the next scan: longer than any match's fixed part
#: (white space running to the chunk's end is carried too, up to :data:`_MAX_SPACE`).
_SCAN_TAIL = 32
_MAX_SPACE = 1 << 16
_SPACE = b" \t\r\n"
_WHITE = re.compile(rb"\s+")


def _suspicious(window: bytes) -> bool:
    """Whether a scan finds something in the window; a first match in its last bytes
    (``<c r`` cut before its ``=``) is looked at whole in the next window instead."""
    for pattern in _SUSPICIOUS:
        found = pattern.search(window)
        if found is not None and found.start() < len(window) - _SCAN_TAIL // 2:
            return True
    return False


def _scan_tail(window: bytes) -> bytes | None:
    """What the next chunk's scan must see of this one; None when the window ends in a
    run of white space longer than a workbook ever writes (itself suspicious)."""
    text_end = len(window.rstrip(_SPACE))
    if len(window) - text_end > _MAX_SPACE:
        return None
    return window[max(text_end - _SCAN_TAIL, 0) :]


_ATTRIBUTE = rb"[\w:.-]+\s*=\s*(?:\"[^\"]*\"|'[^']*')"
#: A well-formed start tag of a row or a cell: its name, attributes and whether empty.
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)((?:\s+" + _ATTRIBUTE + rb")*)\s*(/?)>")
#: Every start tag of a row or a cell, well formed or not.
_ANY_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:row|c)[\s/>]")
_NAMED = re.compile(rb"([\w:.-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_CELL_REF = re.compile(rb"([A-Za-z]*)(\d+)")
#: Any reference-like ``r`` attribute, for what the tags above cannot read.
_LOOSE_REF = re.compile(rb"(?<![\w:.-])r\s*=\s*[\"']([A-Za-z]*)(\d+)")
#: Longer than any start tag of a row or a cell a workbook writes: a longer one cut by a
#: chunk's end is not carried whole into the next chunk (its references are counted).
_MAX_TAG = 4096


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():  # calamine reads xfd2000 as XFD2000
        n = n * 26 + (ch - 64)
    return n


class _Area:
    """The rectangle from A1 to the farthest cell holding a value, as calamine places the
    cells, and never less: a cell's reference where it has one; else the row of the
    farthest row element so far and the place after the farthest cell of the row (a row
    without a reference comes after the farthest row). Taking the farthest rather than
    the last keeps a fake tag (in a comment, say) from ever making the area smaller."""

    def __init__(self) -> None:
        self.rows = self.cols = 0
        self.last_row = 0  # the farthest row element so far
        self.row_col = 0  # the farthest cell of the current row

    def loose(self, window: bytes) -> None:
        """Every reference-like attribute of the window counts (what the tags cannot say)."""
        for letters, digits in _LOOSE_REF.findall(window):
            self.rows = max(self.rows, int(digits))
            if letters:
                self.cols = max(self.cols, _column_number(letters))

    def tags(self, window: bytes) -> None:
        found = 0
        for name, attributes, empty in _TAG.findall(window):
            found += 1
            ref = None
            for key, double, single in _NAMED.findall(attributes):
                if key == b"r":
                    ref = _CELL_REF.fullmatch(double or single)
            if name == b"row":
                self.last_row = max(self.last_row, int(ref[2]) if ref else self.last_row + 1)
                self.row_col = 0
                continue
            row = int(ref[2]) if ref else self.last_row
            col = _column_number(ref[1]) if ref and ref[1] else self.row_col + 1
            self.row_col = max(self.row_col, col)
            if not empty:  # a cell with a value (an empty element is a format only)
                self.rows = max(self.rows, row)
                self.cols = max(self.cols, col)
        if found < len(_ANY_TAG.findall(window)):  # a tag the pattern cannot read
            self.loose(window)

    @property
    def cells(self) -> int:
        return self.rows * max(self.cols, 1)


def _area(chunks: Iterable[bytes]) -> int:
    """The number of cells from A1 to the farthest cell holding a value in a worksheet's
    XML (see :class:`_Area`), read in chunks: what follows the last ``<`` of a chunk is
    read with the next (a tag may go on there, even after a ``>`` inside a value).

    A cell written as an empty element (``<c r="AF1048576" s="1"/>``: a format and no
    value) is left out: calamine allocates the rectangle of the cells it reads values
    from, and a workbook where someone once formatted a far cell is an ordinary one.
    """
    area = _Area()
    tail = b""
    long_tag = False  # the last chunk ended inside a tag too long to carry
    for chunk in chunks:
        if long_tag:  # its rest runs to the next "<" (never inside a value): loosely too
            after = chunk.find(b"<")
            rest = chunk if after < 0 else chunk[:after]
            text = _WHITE.sub(b" ", tail + rest)  # a run of white space of any length
            area.loose(text)
            if after < 0:
                tail = text[-_SCAN_TAIL:]
                continue
            long_tag, tail, chunk = False, b"", chunk[after:]
        window = tail + chunk
        cut = window.rfind(b"<")
        window, tail = (window[:cut], window[cut:]) if cut >= 0 else (window, b"")
        if len(tail) > _MAX_TAG:  # longer than any real tag: counted loosely
            area.loose(tail)
            tail, long_tag = _WHITE.sub(b" ", tail)[-_SCAN_TAIL:], True
        area.tags(window)
    if not long_tag:
        area.tags(tail)
    return area.cells


def _chunks(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    # ZipExtFile stops at the declared size and checks the CRC, so a directory that
    # understates a part's size ends in BadZipFile rather than a bomb.
    with zf.open(info) as fh:
        while chunk := fh.read(_CHUNK):
            yield chunk


def check_xlsx(path: Path) -> None:
    """Raise :class:`ReadProblem` when an .xlsx is not a zip or would expand too far.

    One streaming pass over every part (a worksheet may have any name: the workbook's
    relationships say which part it is), counting what it expands to; a part the fast
    scan finds suspicious (:data:`_SUSPICIOUS`) is read once more, in chunks, to bound
    the area it spans.
    """
    too_large = ReadProblem("unreadable", "file-too-large", limit=MAX_UNCOMPRESSED // 2**20)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_ZIP_ENTRIES:
                raise ReadProblem(
                    "unreadable", "file-too-many-parts", count=len(infos), limit=MAX_ZIP_ENTRIES
                )
            if sum(i.file_size for i in infos) > MAX_UNCOMPRESSED:
                raise too_large
            total = 0
            for info in infos:
                suspicious = False
                tail: bytes | None = b""
                for chunk in _chunks(zf, info):
                    total += len(chunk)
                    if total > MAX_UNCOMPRESSED:
                        raise too_large
                    if not suspicious:
                        window = tail + chunk
                        tail = _scan_tail(window)
                        suspicious = tail is None or _suspicious(window)
                if suspicious and _area(_chunks(zf, info)) > MAX_CELLS:
                    raise ReadProblem("unreadable", "file-too-many-cells", limit=MAX_CELLS)
    except ReadProblem:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        NotImplementedError,
        EOFError,
        zlib.error,  # a damaged part: its compressed data cannot be inflated
    ) as err:
        raise ReadProblem(
            "unreadable", "file-bad-workbook", detail=str(err) or type(err).__name__
        ) from err
    except OSError as err:
        raise ReadProblem("unreadable", "file-os-error", detail=err.strerror or str(err)) from err
