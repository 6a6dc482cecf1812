"""What normalising the ledgers produces: the accepted rows as plain arrays.

Split out of :mod:`jituan.records`, which builds these from the raw tables; the engine
(:mod:`jituan.engine`), the integrity checks and ``explain`` only read them. Text columns
are :class:`Coded` (codes into distinct values), so a million rows of a few dozen
schools cost four bytes each, and pandas is imported only for ``explain``'s frame.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from jituan.config import RESEARCHER_ROLE
from jituan.model import InputSummary, RowIssue

if TYPE_CHECKING:
    import pandas as pd


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


def _categorical(values: list, codes: np.ndarray):
    """A categorical text column of ``values[codes]`` (NA where ``codes`` < 0): the codes
    are the frame's data, so a million rows of a few dozen schools cost four bytes each."""
    import pandas as pd

    categories = pd.Index(values, dtype=object)
    return pd.Categorical.from_codes(codes, categories=categories, validate=False)


def distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted: ``np.unique`` without its import of ``numpy.ma``
    (10 ms of every check) for a question the masked-array module plays no part in."""
    ordered = np.sort(values)
    if len(ordered) < 2:
        return ordered
    keep = np.ones(len(ordered), dtype=bool)
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


def researchers_in(records: Records) -> list[str]:
    """Persons recorded with the researcher role, in order of first appearance."""
    person = records.person
    mask = records.role.isin([RESEARCHER_ROLE]) & ~Coded(person.codes, person.values).isin([""])
    codes = person.codes[mask]
    _, first = np.unique(codes, return_index=True)
    return [person.values[c] for c in codes[np.sort(first)].tolist()]
