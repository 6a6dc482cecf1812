"""The raw tables every reader produces, and why a file gave none.

Split out of :mod:`jituan.readers` so that the CSV reader (:mod:`jituan.csv_reader`),
the workbook reader (:mod:`jituan.excel`) and the normalisation (:mod:`jituan.records`)
share one :class:`RawTable` and one way to say a file cannot be used
(:class:`ReadProblem`), and build their text columns with the same pyarrow helpers
(which never import pandas).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa


@dataclass(frozen=True)
class RawTable:
    """One table of text cells as read from a file."""

    file: str
    sheet: str | None
    encoding: str | None
    header_row: int  # the spreadsheet row number of the header (1 when it is the first line)
    frame: pa.Table  # the known columns, headed as written; cells as text (plain or
    # dictionary-encoded strings), "" when empty
    columns: tuple[str, ...] = ()  # every header cell as written
    #: rows above the header that read as records of another block, not read (said)
    skipped_rows: tuple[int, ...] = ()


@dataclass(frozen=True)
class Problem:
    """Why a file or a sheet gave no table: an issue code, a message id and its values."""

    code: str  # unreadable | not-a-ledger | missing-column
    message: str  # an i18n message id
    values: dict[str, Any] = field(default_factory=dict)
    sheet: str | None = None
    row: int | None = None


class ReadProblem(Exception):
    """A whole file cannot be used."""

    def __init__(
        self, code: str, message: str, *, at_row: int | None = None, **values: Any
    ) -> None:
        super().__init__(message)
        self.problem = Problem(code, message, values, row=at_row)


def text_array(values: list[str]) -> pa.Array:
    """A pyarrow string array of ``values``, built from its buffers: ``pa.array`` would
    import pandas (pyarrow looks for pandas objects), a third of a second of startup."""
    import numpy as np
    import pyarrow as pa

    encoded = [v.encode("utf-8") for v in values]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded)), out=offsets[1:])
    if offsets[-1] >= 2**31:
        return pa.array(values, type=pa.string())
    return pa.Array.from_buffers(
        pa.string(),
        len(encoded),
        [None, pa.py_buffer(offsets.astype(np.int32)), pa.py_buffer(b"".join(encoded))],
    )


def dictionary_array(values: list[str]) -> pa.Array:
    """A dictionary-encoded pyarrow array of ``values`` (codes in order of first
    appearance), as the CSV reader gives and records work on."""
    import numpy as np
    import pyarrow as pa

    uniques = list(dict.fromkeys(values))  # in order of first appearance
    ids = dict(zip(uniques, range(len(uniques)), strict=True))
    codes = np.fromiter(map(ids.__getitem__, values), dtype=np.int32, count=len(values))
    indices = pa.Array.from_buffers(pa.int32(), len(codes), [None, pa.py_buffer(codes)])
    return pa.DictionaryArray.from_arrays(indices, text_array(uniques))


def table_frame(columns: dict[str, list[str]], rows: int) -> pa.Table:
    """A table of text columns (all of length ``rows``), dictionary-encoded."""
    import pyarrow as pa

    return pa.Table.from_arrays(
        [dictionary_array(values) for values in columns.values()], names=list(columns)
    )
