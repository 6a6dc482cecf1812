"""Reading ledger files into raw tables of text, without interpreting any value.

A reader's only job is to turn a file into one :class:`RawTable` per ledger it holds
(one per CSV file, one per worksheet), every cell as text, with the spreadsheet row
number of its header so that issues can point at the row a person sees.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from jituan.errors import InputError

#: Encodings tried in order when a CSV has no byte-order mark. GB18030 is a superset of
#: GBK and GB2312, which Excel on Chinese Windows writes as "CSV".
CSV_ENCODINGS = ("utf-8", "gb18030")


@dataclass(frozen=True)
class RawTable:
    """One table of text cells as read from a file."""

    file: str
    sheet: str | None
    encoding: str | None
    header_row: int  # the spreadsheet row number of the header (1 when it is the first line)
    frame: pd.DataFrame  # columns as written in the header; cells as str, "" when empty


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Text and encoding name of a CSV file's bytes."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise InputError(f"{name}: cannot decode the file as UTF-8 or GB18030/GBK text")


def _delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(first, delimiters=",\t;").delimiter
    except csv.Error:
        return ","


def read_csv(path: Path, name: str) -> RawTable:
    """Read one CSV (or tab-separated) ledger."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"{name}: cannot read: {err.strerror or err}") from err
    text, encoding = decode(data, name)
    if not text.strip():
        raise InputError(f"{name}: the file is empty")
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=_delimiter(text),
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
        )
    except (pd.errors.ParserError, csv.Error, ValueError) as err:
        raise InputError(f"{name}: not a readable CSV table: {err}") from err
    return RawTable(name, None, encoding, 1, frame)


def read_path(path: Path, name: str | None = None) -> list[RawTable]:
    """The raw tables of one ledger file."""
    name = name or str(path)
    if not path.exists():
        raise InputError(f"{name}: no such file or folder")
    return [read_csv(path, name)]
