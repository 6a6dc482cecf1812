"""Reading delimited text ledgers: encodings, the header, and three parsers.

Split out of :mod:`jituan.readers`, which decides a file's kind and hands text files
here. A CSV from Chinese Windows may be UTF-8, GB18030 or UTF-16, with title lines above
the header and comma, tab or semicolon between cells. A UTF-8 file is parsed straight
from its bytes by pyarrow's multithreaded reader (small files of one layout together,
see :class:`Batch`); anything else is decoded and read by pandas' C parser, or by the
csv module for the layouts that parser refuses, with the same outcome and messages.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from jituan.columns import HEADER_SEARCH_ROWS, HeaderMatch, find_header
from jituan.raw_tables import RawTable, ReadProblem, table_frame

if TYPE_CHECKING:
    import pyarrow as pa

#: Encodings tried in order when a CSV has no byte-order mark. GB18030 is a superset of
#: GBK and GB2312, which Excel on Chinese Windows writes as "CSV".
CSV_ENCODINGS = ("utf-8", "gb18030")
DELIMITERS = (",", "\t", ";")
#: A quoted cell above the rows (a title, a header cell) spans fewer lines than this.
MAX_HEAD_CELL_LINES = 5
#: Lines longer than this (characters) are not searched for a header.
MAX_HEADER_LINE = 1_000_000
#: A decoded text with more control characters than this share of its start is binary.
MAX_CONTROL_SHARE = 0.01
_SAMPLE = 65_536
_CONTROL = {chr(c) for c in range(32) if chr(c) not in "\t\r\n"} | {"\x7f", "\ufffd"}


def _utf16_without_bom(data: bytes) -> str | None:
    """Which UTF-16 (``utf-16-le``, ``utf-16-be``) the start looks like, without a byte-order
    mark; None when it looks like neither.

    UTF-8 and GB18030 text holds no zero bytes; UTF-16 puts one beside every ASCII
    character (digits, commas, line ends), on one side of each pair. Chinese characters
    have none, so a ledger of mostly Chinese names shows zeros in a third of its pairs or
    fewer: a tenth of the pairs is enough, with fewer than half as many on the other side
    (一 U+4E00 and the full-width space U+3000 put a zero there too: 张掖一中, 张　三).
    """
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > 0.1 * (len(sample) // 2) and even < 0.5 * odd:
        return "utf-16-le"
    if even > 0.1 * (len(sample) // 2) and odd < 0.5 * even:
        return "utf-16-be"
    return None


#: Fewer control characters than this never make a file binary: one stray character in
#: a note cell of a 90-byte ledger is more than 1% of it.
_MIN_CONTROLS = 8


def _binary(sample: str, controls: set[str]) -> bool:
    """Whether more than :data:`MAX_CONTROL_SHARE` of the text's start are ``controls``
    (and at least :data:`_MIN_CONTROLS` of them)."""
    found = sum(sample.count(c) for c in controls if c in sample)
    return found >= _MIN_CONTROLS and found > MAX_CONTROL_SHARE * len(sample)


#: Characters a Chinese ledger hardly ever holds but another encoding read as GB18030
#: gives in numbers: private use (where GBK's user-defined 造字 also fall), kana, Greek,
#: Cyrillic, box drawing. Big5 (the Traditional Chinese of Hong Kong and Taiwan) read as
#: GB18030 has them in about half its characters, and many different ones.
_ODD = re.compile("[\ue000-\uf8ff\u3040-\u30ff\u0370-\u04ff\u2500-\u257f]")
_NON_ASCII = re.compile("[^\x00-\x7f]")
_CJK = re.compile("[\u3400-\u9fff\uf900-\ufaff]")
MISREAD_SHARE = 0.2
MISREAD_DISTINCT = 3


def _misread(text: str) -> bool:
    """Whether text decoded as GB18030 is in fact another encoding read wrongly (garbage
    names that would then fail as unknown schools, rather than one clear message): at
    least :data:`MISREAD_DISTINCT` different odd characters, making more than
    :data:`MISREAD_SHARE` of the non-ASCII ones. A GBK ledger with a 造字 in a name, even
    in every row, has one or two."""
    sample = text[:_SAMPLE]
    odd = _ODD.findall(sample)
    if len(set(odd)) < MISREAD_DISTINCT:
        return False
    return len(odd) > MISREAD_SHARE * len(_NON_ASCII.findall(sample))


def _refuse_appended(data: bytes, err: UnicodeDecodeError) -> None:
    """Raise ReadProblem (file-mixed-encoding, naming the line) where UTF-8 text stops
    being UTF-8 and the Chinese text before it is UTF-8: rows appended in another encoding
    (GBK, by Notepad on Chinese Windows) to a UTF-8 file, which read as GB18030 would make
    garbage of the UTF-8 rows. Nothing when the text before holds (almost) no Chinese: a
    file in another encoding from its start."""
    before = data[: err.start].decode("utf-8")  # UTF-8 up to there, by the error
    # Chinese characters, not the Latin and Cyrillic that GBK bytes also spell in UTF-8
    # (钱雪梅 in GBK is valid UTF-8 for ˙ and Greek): most of them, and at least four
    chinese = sum(1 for _ in itertools.islice(_CJK.finditer(before), 64))
    others = sum(1 for _ in itertools.islice(_NON_ASCII.finditer(before), 128))
    if chinese < 4 or chinese * 2 < min(others, 128):
        return
    line = data.count(b"\n", 0, err.start) + 1
    raise ReadProblem("unreadable", "file-mixed-encoding", line=line) from err


def decode(data: bytes) -> tuple[str, str]:
    """Text and encoding name of a CSV file's bytes; :class:`ReadProblem` when undecodable."""
    try:
        if data.startswith(b"\xef\xbb\xbf"):
            try:
                text, encoding = data[3:].decode("utf-8"), "utf-8-sig"
            except UnicodeDecodeError as err:
                _refuse_appended(data[3:], err)
                raise
        elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
            text, encoding = data.decode("utf-16"), "utf-16"
        elif bom_less := _utf16_without_bom(data):
            text, encoding = data.decode(bom_less), bom_less
        else:
            for encoding in CSV_ENCODINGS:
                try:
                    text = data.decode(encoding)
                    break
                except UnicodeDecodeError as err:
                    if encoding == "utf-8":
                        _refuse_appended(data, err)
                    continue
            else:
                raise ReadProblem("unreadable", "file-undecodable")
            if encoding == "gb18030" and _misread(text):
                raise ReadProblem("unreadable", "file-undecodable")
    except UnicodeDecodeError as err:
        raise ReadProblem("unreadable", "file-undecodable") from err
    if _binary(text[:_SAMPLE], _CONTROL):
        raise ReadProblem("unreadable", "file-binary")
    return text, encoding


def _head_lines(text: str) -> list[tuple[int, str]]:
    """(offset just after the line, line) of the first lines, without their line ends."""
    out: list[tuple[int, str]] = []
    start = 0
    while len(out) < HEADER_SEARCH_ROWS and start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        out.append((end + 1, text[start:end].rstrip("\r")))
        start = end + 1
    return out


def _split(line: str, delimiter: str) -> list[str]:
    if len(line) > MAX_HEADER_LINE:
        return []
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return []


def _block_size(body: bytes) -> int:
    """Bytes per parsed block: a thirty-second of the file, between 8 and 64 MB.

    Each block becomes a chunk with its own dictionaries, merged afterwards, so a large
    file wants few blocks (10M rows, 1.1 GB: 2.7 s to parse in blocks of 32 MB, 3.7 s in
    blocks of 8 MB); a smaller one wants small blocks, which hold less memory at a time.
    """
    return min(max(len(body) // 32, 8 << 20), 64 << 20)


def _unclosed_quote(body: bytes, start: int, delimiter: str) -> int | None:
    """Offset of a quote that opens a cell and is never closed, or None.

    Follows the quoting both parsers apply: a quote opens a quoted cell only at the start
    of a cell, two quotes inside one stand for a quote, and the next single quote closes
    it. Such a cell runs to the end of the file, swallowing every line after it.
    """
    separators = (ord(delimiter), ord("\n"), ord("\r"))
    inside, opened = False, -1
    at = body.find(b'"', start)
    while at >= 0:
        if inside and body[at + 1 : at + 2] == b'"':
            at = body.find(b'"', at + 2)  # a quote written twice inside a quoted cell
            continue
        if inside:
            inside = False
        elif at == start or body[at - 1] in separators:
            inside, opened = True, at
        at = body.find(b'"', at + 1)
    return opened if inside else None


def _check_quotes(body: bytes, start: int, delimiter: str, first_line: int) -> None:
    """Raise :class:`ReadProblem` when a quote opened in ``body[start:]`` is never closed
    (``first_line``: the file's line number of ``body[start]``)."""
    opened = _unclosed_quote(body, start, delimiter)
    if opened is not None:
        line = first_line + body.count(b"\n", start, opened)
        raise ReadProblem("unreadable", "file-unclosed-quote", line=line)


def _line_count(body: bytes, start: int) -> int:
    """Lines in ``body[start:]``, the last one with or without its line end."""
    lines = body.count(b"\n", start)
    return lines + (len(body) > start and not body.endswith(b"\n"))


def _parse_arrow(
    body: bytes,
    offset: int,
    delimiter: str,
    width: int,
    usecols: list[int],
    names: list[str],
    first_line: int = 1,
) -> pa.Table | None:
    """The rows of ``body[offset:]`` (UTF-8) with pyarrow's multithreaded reader, or None.

    Every line is a row, blank ones too (as with the pandas reader), so row numbers stay
    the spreadsheet's. Any line the reader refuses (a ragged row, say) gives None: the
    slower readers below then read the file as they always did. A quote never closed
    raises :class:`ReadProblem` (``first_line``: the file's line number of ``body[0]``):
    the reader would make one cell of the rest of the file.
    """
    import pyarrow as pa
    from pyarrow import csv as pacsv

    columns = [f"c{i}" for i in range(width)]
    wanted = [columns[i] for i in usecols]
    quoted = body.find(b'"', offset) >= 0
    try:
        table = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(body).slice(offset)),
            read_options=pacsv.ReadOptions(column_names=columns, block_size=_block_size(body)),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter,
                ignore_empty_lines=False,
                newlines_in_values=quoted,
            ),
            convert_options=pacsv.ConvertOptions(
                include_columns=wanted,
                # dictionary-encoded while parsing: the codes are what records work on;
                # bytes, so that only the distinct values are checked as UTF-8 (below)
                column_types=dict.fromkeys(wanted, pa.dictionary(pa.int32(), pa.binary())),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                null_values=[],
            ),
        )
        table = _as_text(table)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowCapacityError):
        return None
    if quoted and table.num_rows < _line_count(body, offset):  # some cell spans lines
        _check_quotes(body, offset, delimiter, first_line)
    return table.rename_columns(names)


def _as_text(table: pa.Table) -> pa.Table:
    """The parsed byte columns as text, each chunk's distinct values checked as UTF-8
    (ArrowInvalid when one is not). Checking a few thousand distinct values instead of
    every cell takes a sixth of the parse's CPU time off (1M rows: 0.09 s)."""
    import pyarrow as pa

    text = pa.dictionary(pa.int32(), pa.string())
    columns = []
    for column in table.columns:
        for chunk in column.chunks:
            chunk.dictionary.view(pa.string()).validate(full=True)
        columns.append(pa.chunked_array([c.view(text) for c in column.chunks], type=text))
    return pa.Table.from_arrays(columns, names=table.column_names)


def _parse_body(
    body: str, delimiter: str, width: int, usecols: list[int], names: list[str], first_line: int
) -> pa.Table:
    """The rows after the header (``first_line``: the file's line number of the first),
    only the wanted columns, every line a row (blank too)."""
    import pandas as pd
    import pyarrow as pa

    if body:
        data = body.encode("utf-8")
        table = _parse_arrow(data, 0, delimiter, width, usecols, names, first_line)
        if table is not None:
            return table
        if b'"' in data:
            _check_quotes(data, 0, delimiter, first_line)
        try:
            frame = pd.read_csv(
                io.BytesIO(data),  # the C parser is fastest on bytes
                encoding="utf-8",
                sep=delimiter,
                header=None,
                names=list(range(width)),
                usecols=usecols,
                dtype=str,
                na_filter=False,
                keep_default_na=False,
                skip_blank_lines=False,
                engine="c",
            )
            return pa.table(
                {
                    n: pa.array(frame[i], type=pa.string())
                    for i, n in zip(usecols, names, strict=True)
                }
            )
        except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, OverflowError):
            pass  # rare layouts the C parser refuses: read them with the csv module instead
    old = csv.field_size_limit()
    csv.field_size_limit(sys.maxsize)
    try:
        rows = list(csv.reader(io.StringIO(body, newline=""), delimiter=delimiter))
    except csv.Error as err:
        raise ReadProblem("unreadable", "file-bad-csv", detail=str(err)) from err
    finally:
        csv.field_size_limit(old)
    columns = {
        n: [r[i] if i < len(r) else "" for r in rows] for i, n in zip(usecols, names, strict=True)
    }
    return table_frame(columns, len(rows))


def _head_records(text: str | bytes, start: int, delimiter: str) -> Iterator[tuple[int, str]]:
    """(offset just after the record, record without its line end) of the first records
    of ``text[start:]``, bytes (UTF-8) or text, one at a time (the header is most often the
    first: the rest are never looked at).

    A record ends at a line end outside quotes, as both parsers read it, so a title or a
    header cell written over two lines ("备注" newline "说明", in quotes) is one row, as a
    spreadsheet shows it: the header's row number and the body's stay right. A quote opens
    a quoted cell only at the start of a cell (see :func:`_unclosed_quote`), and only when
    a closing quote ends the cell (a delimiter or a line end after it) within
    :data:`MAX_HEAD_CELL_LINES` lines and no delimiter follows its first line end (a
    title or a header name written over lines holds none; rows of the ledger do): a
    stray quote in a title or a header ("备注 never closed, or "closed" by the last cell
    of a row below) is a character of its line, not a cell that swallows the rows below.
    """
    raw = not isinstance(text, str)  # bytes, a bytearray or a mapped file
    quote, newline = (b'"', b"\n") if raw else ('"', "\n")
    opens = (delimiter.encode(), b"\n", b"\r") if raw else (delimiter, "\n", "\r")
    ends = (*opens, b"" if raw else "")  # what may follow a closing quote
    at, made = start, 0
    while made < HEADER_SEARCH_ROWS and at < len(text):
        scan = at
        while True:
            nl = text.find(newline, scan)
            q = text.find(quote, scan, len(text) if nl < 0 else nl)  # not past the line
            if q < 0:
                break
            if q == at or text[q - 1 : q] in opens:  # a quoted cell: to its closing quote
                close = text.find(quote, q + 1)
                while close >= 0 and text[close + 1 : close + 2] == quote:
                    close = text.find(quote, close + 2)
                first_end = text.find(newline, q, close) if close >= 0 else -1
                if (
                    close < 0
                    or text[close + 1 : close + 2] not in ends
                    or text.count(newline, q, close) >= MAX_HEAD_CELL_LINES
                    or (first_end >= 0 and text.find(opens[0], first_end, close) >= 0)
                ):
                    break  # never closed as a cell: the quote is a character of its line
                scan = close + 1
            else:
                scan = q + 1
        end = len(text) if nl < 0 else nl + 1
        record = text[at : end - (nl >= 0)]
        line = record.decode("utf-8", errors="replace") if raw else record
        yield end, line.rstrip("\r")
        at, made = end, made + 1


def _find_header(text: str | bytes, start: int = 0):
    """(delimiter, header match, records) of the best header among the first records of
    ``text[start:]`` (see :func:`_head_records`), or None."""
    best = None
    raw = not isinstance(text, str)
    lines_end = start  # just after the first lines, where the header must be without quotes
    for _ in range(HEADER_SEARCH_ROWS):
        nl = text.find(b"\n" if raw else "\n", lines_end)
        lines_end = len(text) if nl < 0 else nl + 1
    quoted = text.find(b'"' if raw else '"', start, lines_end) >= 0
    for delimiter in DELIMITERS:
        if not quoted and text.find(delimiter.encode() if raw else delimiter, start, lines_end) < 0:
            continue  # every row one cell: no header of two columns or more
        records: list[tuple[int, str]] = []  # those read so far

        def rows(delimiter: str = delimiter, records: list = records) -> Iterator[list[str]]:
            for record in _head_records(text, start, delimiter):
                records.append(record)
                yield _split(record[1], delimiter)

        match = find_header(rows())
        if match and (best is None or len(match.positions) > len(best[1].positions)):
            best = (delimiter, match, records)
    return best


def text_holds_ledger(data: bytes) -> bool:
    """Whether the start of a text file (some kilobytes, cut anywhere) holds a ledger's
    header in its first lines, in any encoding and delimiter a ledger may use."""
    cut = data.rfind(b"\n") + 1 or len(data)
    if cut < len(data) and data[cut : cut + 1] == b"\x00":  # UTF-16 LE: the line end's pair
        cut += 1
    try:
        text, _ = decode(data[:cut])
    except ReadProblem:
        return False
    return _find_header(text) is not None


def _utf8_start(data: bytes) -> tuple[int, str] | None:
    """(offset of the text, encoding) when the bytes look like UTF-8 text, not binary;
    None otherwise (:func:`decode` then says what they are).

    Only the start is checked here. The rows are checked by the parser, which validates
    every cell it reads as UTF-8 and refuses the file otherwise (the slower readers then
    decode it whole): no second pass over the file, and no decoded copy of it. Columns
    jituan does not read are not checked, so a stray byte in a remarks column does not
    make the whole file decode as GB18030.
    """
    head = bytes(data[: 4 * _SAMPLE + 3])
    if head.startswith(b"\xef\xbb\xbf"):
        start, encoding = 3, "utf-8-sig"
    elif head.startswith((b"\xff\xfe", b"\xfe\xff")) or _utf16_without_bom(head):
        return None
    else:
        start, encoding = 0, "utf-8"
    # bytes that are not UTF-8 here are checked where it matters: in the header (below)
    # and in the cells read (by the parser); the share of control characters says binary
    sample = head[start:].decode("utf-8", errors="replace")[:_SAMPLE]
    if _binary(sample, _CONTROL - {"\ufffd"}):
        return None
    return start, encoding


@dataclass(frozen=True)
class _Layout:
    """Where a UTF-8 ledger's rows start and which of its columns are read."""

    header: HeaderMatch
    delimiter: str
    width: int
    usecols: list[int]
    names: list[str]
    body_start: int


def _utf8_layout(data: bytes, start: int) -> _Layout | None:
    """The header and columns of a UTF-8 ledger, found in its first lines; None when there
    is no usable header (the caller then reads the file the slower way)."""
    best = _find_header(data, start)
    if best is None or best[1].missing or any("\ufffd" in c for c in best[1].cells):
        return None  # no header, or one that is not UTF-8: the slower readers decide
    delimiter, header, records = best
    usecols = sorted(header.positions)
    names = [header.cells[i] for i in usecols]
    width = max(len(header.cells), max(usecols) + 1)
    body_start = records[header.row][0]
    if body_start >= len(data):
        return None
    return _Layout(header, delimiter, width, usecols, names, body_start)


def _utf8_table(data: bytes, start: int, encoding: str, name: str) -> RawTable | None:
    """A UTF-8 ledger read straight from its bytes (no decoded copy of the whole file).

    None when the fast path does not apply (no header among the first lines, a missing
    column, a line the reader refuses): the caller then decodes the text and reads it as
    :func:`read_text_table` always has, with the same outcome and messages. Lines ended
    by \\r\\r\\n (seen at the start) go that way too: the reader would end a line at each.
    """
    if data.find(b"\r\r", 0, 4 * _SAMPLE) >= 0:  # a search, not a copy of the start
        return None
    layout = _utf8_layout(data, start)
    if layout is None:
        return None
    table = _parse_arrow(
        data,
        layout.body_start,
        layout.delimiter,
        layout.width,
        layout.usecols,
        layout.names,
        first_line=layout.header.row + 2,
    )
    if table is None:
        return None
    header = layout.header
    return RawTable(name, None, encoding, header.row + 1, table, header.cells, header.skipped_rows)


#: A UTF-8 file at most this large may be parsed together with others of its layout.
SMALL_FILE = 1 << 20
#: The most text parsed in one batch of small files.
BATCH_BYTES = 64 << 20


@dataclass
class Deferred:
    """A small UTF-8 ledger whose rows are parsed later, together with other small files
    of the same layout (one pyarrow parse per batch instead of one per file: a folder of a
    thousand small files spends most of its time setting up the parser). ``table`` is set
    by :meth:`Batch.parse`; None afterwards means: read this file on its own."""

    name: str
    encoding: str
    layout: _Layout
    body: bytes
    rows: int
    table: RawTable | None = None


class Batch:
    """Small files waiting to be parsed together (see :class:`Deferred`)."""

    def __init__(self) -> None:
        self.items: list[Deferred] = []

    def offer(self, data: bytes, start: int, encoding: str, name: str) -> Deferred | None:
        """Take a file into the batch when it can be parsed with others: small, with a
        header, and simple lines (no quotes, no carriage returns) whose number is its
        number of rows."""
        if len(data) > SMALL_FILE:
            return None
        layout = _utf8_layout(data, start)
        if layout is None:
            return None
        body = bytes(data[layout.body_start :])
        if b'"' in body or b"\r" in body:
            return None
        if not body.endswith(b"\n"):
            body += b"\n"  # the last line is a row with or without its line end
        item = Deferred(name, encoding, layout, body, body.count(b"\n"))
        self.items.append(item)
        return item

    def parse(self) -> None:
        """Parse the waiting files, consecutive files of one layout together."""
        run: list[Deferred] = []
        size = 0
        for item in self.items:
            if run and (_shape(run[0]) != _shape(item) or size + len(item.body) > BATCH_BYTES):
                _parse_run(run)
                run, size = [], 0
            run.append(item)
            size += len(item.body)
        if run:
            _parse_run(run)
        self.items = []


def _shape(item: Deferred) -> tuple:
    return (item.layout.delimiter, item.layout.width, tuple(item.layout.usecols))


def _parse_run(run: list[Deferred]) -> None:
    layout = run[0].layout
    body = b"".join(item.body for item in run)
    columns = [f"c{i}" for i in layout.usecols]
    table = _parse_arrow(body, 0, layout.delimiter, layout.width, layout.usecols, columns)
    if table is None or table.num_rows != sum(item.rows for item in run):
        return  # some file has a line the reader refuses: each is read on its own
    at = 0
    for item in run:
        rows = table.slice(at, item.rows).rename_columns(item.layout.names)
        header = item.layout.header
        item.table = RawTable(
            item.name, None, item.encoding, header.row + 1, rows, header.cells, header.skipped_rows
        )
        at += item.rows


#: A CR that ends a line alone: not one of a run of CRs before an LF (\r\r\n is the
#: line end Python's csv module writes on Windows without newline="", one line end).
_LONE_CR = re.compile("\r(?!\r*\n)")
_CR_RUN = re.compile("\r\r+\n")


def line_ends(text: str) -> str:
    """The text with one kind of line end, LF: a line ended by CR alone ("CSV
    (Macintosh)", or one line of a file edited elsewhere) ends there, as Excel reads it,
    and \\r\\r\\n is one line end (the header search and the quality ledger split at LF)."""
    if "\r" in text and text.count("\r") > text.count("\r\n"):
        text = _CR_RUN.sub("\n", text)
        text = _LONE_CR.sub("\n", text)
    return text


def read_text_table(text: str, name: str, encoding: str) -> RawTable:
    """A delimited text ledger (comma, tab or semicolon), header possibly below title lines."""
    text = line_ends(text)
    best = _find_header(text)
    if best is None:
        if not text.strip():
            raise ReadProblem("not-a-ledger", "file-empty")
        first = next((line for _, line in _head_lines(text) if line.strip()), "")
        raise ReadProblem("not-a-ledger", "file-no-header", first=[first[:200]])
    delimiter, header, records = best
    if header.missing:
        raise ReadProblem(
            "missing-column",
            "file-missing-column",
            at_row=header.row + 1,  # the header's line, as for a worksheet
            missing=header.missing,
            found=header.cells,
        )
    usecols = sorted(header.positions)
    body = text[records[header.row][0] :]
    names = [header.cells[i] for i in usecols]
    width = max(len(header.cells), max(usecols) + 1)
    frame = _parse_body(body, delimiter, width, usecols, names, header.row + 2)
    return RawTable(name, None, encoding, header.row + 1, frame, header.cells, header.skipped_rows)
