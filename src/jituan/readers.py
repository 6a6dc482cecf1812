"""Reading ledger files into raw tables of text, without interpreting any value.

A reader's only job is to turn a file into one :class:`RawTable` per ledger it holds
(one per CSV file, one per worksheet), every cell as text, with the spreadsheet row
number of its header so that issues can point at the row a person sees.

The kind of a file is decided by its content, not its name: a workbook renamed .csv is
read as a workbook, and a "spreadsheet" exported as text by a web system as text. A file
that cannot be used raises :class:`ReadProblem`; the caller decides whether that stops
the run (a file named on the command line, alone) or becomes a file-level issue.

The text paths live in :mod:`jituan.csv_reader` and the workbooks in
:mod:`jituan.excel`; the tables and problems they all give are in
:mod:`jituan.raw_tables`. This module decides a file's kind and keeps the names other
modules import (``read_path``, ``RawTable``, ``ReadProblem`` ...).
"""

from __future__ import annotations

import contextlib
import contextvars
import mmap
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from jituan.csv_reader import (
    BATCH_BYTES,
    CSV_ENCODINGS,
    DELIMITERS,
    MAX_CONTROL_SHARE,
    MAX_HEADER_LINE,
    SMALL_FILE,
    Batch,
    Deferred,
    _utf8_start,
    _utf8_table,
    decode,
    read_text_table,
    text_holds_ledger,
)
from jituan.raw_tables import (
    Problem,
    RawTable,
    ReadProblem,
    dictionary_array,
    table_frame,
    text_array,
)

#: The names importers use, still importable from here since the split.
__all__ = [
    "BATCH_BYTES",
    "CSV_ENCODINGS",
    "DELIMITERS",
    "MAX_CONTROL_SHARE",
    "MAX_HEADER_LINE",
    "SMALL_FILE",
    "Batch",
    "Deferred",
    "Problem",
    "RawTable",
    "ReadProblem",
    "batching",
    "decode",
    "dictionary_array",
    "file_kind",
    "read_path",
    "read_text_table",
    "table_frame",
    "text_array",
]

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


#: Text files at least this large are mapped read-only rather than copied into memory.
MAP_SIZE = 16 << 20


def _read_all(fh: BinaryIO) -> bytes | bytearray | mmap.mmap:
    """The whole file as one buffer.

    A large file is mapped read-only: the parser reads the page cache directly, with no
    copy of the file and no zeroed buffer of its size (a 172 MB ledger: 0.09 s less).
    A smaller one is read into one buffer of its size (``read()`` joins chunks: twice the
    memory).
    """
    size = os.fstat(fh.fileno()).st_size
    if size >= MAP_SIZE:
        try:
            if hasattr(mmap, "MAP_POPULATE"):  # Linux: map every page at once, not one by one
                return mmap.mmap(
                    fh.fileno(), 0, flags=mmap.MAP_SHARED | mmap.MAP_POPULATE, prot=mmap.PROT_READ
                )
            return mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):
            pass  # a file system that cannot map: read it
    fh.seek(0)
    data = bytearray(size)
    got = fh.readinto(data)
    if got == size:
        rest = fh.read()  # a file that grew while being read
        return data + rest if rest else data
    del data[got:]
    return data


def holds_ledger(path: Path) -> bool:
    """Whether a file is a ledger (a workbook, or text with a ledger's header in its first
    lines): what a report written over it would destroy."""
    try:
        with path.open("rb") as fh:
            head = fh.read(1 << 16)
    except OSError:
        return False
    kind = file_kind(head[:8], path)
    return kind in ("xlsx", "xls") or (kind == "text" and text_holds_ledger(head))


def file_kind(head: bytes, path: Path) -> str:
    """ "xlsx", "xls", "yaml" or "text", from the first bytes (and the name for YAML)."""
    if head.startswith(_ZIP):
        return "xlsx"
    if head.startswith(_OLE):
        return "xls"
    if path.suffix.lower() in (".yaml", ".yml"):
        return "yaml"
    return "text"


#: The batch small files join while :func:`batching` is in effect.
_BATCH: contextvars.ContextVar[Batch | None] = contextvars.ContextVar("batch", default=None)


@contextlib.contextmanager
def batching() -> Iterator[Batch]:
    """While in effect, :func:`read_path` may defer small UTF-8 files to the batch it
    yields; the caller parses it (:meth:`Batch.parse`) and resolves each :class:`Deferred`."""
    batch = Batch()
    token = _BATCH.set(batch)
    try:
        yield batch
    finally:
        _BATCH.reset(token)


def read_path(
    path: Path, name: str | None = None
) -> tuple[list[RawTable | Deferred], list[Problem]]:
    """The raw tables of one ledger file, and problems with sheets that are not ledgers.

    Raises :class:`ReadProblem` when the file as a whole gives no table. Inside
    :func:`batching`, a small UTF-8 file may give a :class:`Deferred` table instead.
    """
    batch = _BATCH.get()
    name = name or str(path)
    try:
        # opening a pipe waits for a writer, and a device may never end: neither is read
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise ReadProblem("unreadable", "file-not-regular")
        with path.open("rb") as fh:  # read-only; the file is never written
            kind = file_kind(fh.read(8), path)
            data = _read_all(fh) if kind == "text" else b""
    except FileNotFoundError as err:
        raise ReadProblem("unreadable", "file-vanished") from err
    except OSError as err:
        raise ReadProblem("unreadable", "file-os-error", detail=err.strerror or str(err)) from err
    if kind == "yaml":
        raise ReadProblem("not-a-ledger", "file-yaml-ledger")
    if kind in ("xlsx", "xls"):
        from jituan.excel import read_workbook

        tables, problems = read_workbook(path, name, kind)
        if not tables:
            fatal = [p for p in problems if p.code != "not-a-ledger"]
            if fatal:
                return [], problems
            raise ReadProblem("not-a-ledger", "file-no-ledger-sheet")
        return tables, problems
    if not data:
        raise ReadProblem("not-a-ledger", "file-empty")
    fast = _utf8_start(data)
    if fast is not None and batch is not None:
        deferred = batch.offer(data, *fast, name=name)
        if deferred is not None:
            return [deferred], []
    if fast is not None:
        table = _utf8_table(data, *fast, name=name)
        if table is not None:
            return [table], []
    text, encoding = decode(bytes(data) if isinstance(data, mmap.mmap) else data)
    del data
    return [read_text_table(text, name, encoding)], []
