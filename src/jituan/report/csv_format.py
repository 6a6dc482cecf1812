"""The CSV format: one row per result, the JSON result fields as columns.

UTF-8 with a byte-order mark, so that Excel on Chinese Windows reads the characters
right. The data comes from submitters, so any cell that a spreadsheet could take for a
formula (beginning with ``=``, ``+``, ``-``, ``@``, tab or carriage return) is prefixed
with a single quote.
"""

from __future__ import annotations

import csv
import io
from dataclasses import fields

from jituan.model import Report, Result, number
from jituan.report import RenderOptions

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = tuple(f.name for f in fields(Result) if f.name != "cadence")  # as in the JSON


def neutralise(value: object) -> str:
    """A cell as text, defused when a spreadsheet would read it as a formula."""
    if value is None:
        return ""
    if isinstance(value, float | int) and not isinstance(value, bool):
        return str(number(value))
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def render(report: Report, options: RenderOptions) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for result in report.results:
        writer.writerow([neutralise(getattr(result, c)) for c in COLUMNS])
    return BOM + out.getvalue()
