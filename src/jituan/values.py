"""Ledger cell values: dates, counts, and a value as an issue shows it.

Split out of :mod:`jituan.records` so that the rules for what a ledger cell may say
(the date spellings of Chinese spreadsheets, Excel serial days, a count of lessons) live
in one small module of pure functions, apart from the array pipeline that applies them
once per distinct value.
"""

from __future__ import annotations

import datetime as dt
import re

_TIME = r"(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
_DATE_PATTERNS = (
    re.compile(rf"^(\d{{4}})[-/.](\d{{1,2}})[-/.](\d{{1,2}})(?:[ T]{_TIME})?$"),
    re.compile(rf"^(\d{{4}})年(\d{{1,2}})月(\d{{1,2}})日(?: ?{_TIME})?$"),
    re.compile(rf"^(\d{{4}})(\d{{2}})(\d{{2}})(?:[ T]{_TIME})?$"),
)
_SERIAL = re.compile(r"^(\d{5})(?:\.\d+)?$")
#: Spreadsheet serial day numbers accepted in a date column (Excel's 1900 system):
#: 36526 is 2000-01-01 and 73050 is 2099-12-31. A bare number outside is not a date.
SERIAL_RANGE = (36526, 73050)
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_INT = re.compile(r"^\+?(\d+)(?:\.0+)?$")
#: The largest count a row may give. Larger is a pasted number (an ID card, a phone
#: number), not lessons or visits, and would overflow the sums.
MAX_COUNT = 100_000
#: Cell values shown in issues are cut to this many characters.
MAX_SHOWN = 200


def parse_date(text: str) -> dt.date | None:
    """A ledger date: 2024-10-12, 2024/10/12, 2024.10.12, 2024年10月12日, 20241012, a time
    after the day (2024-10-12 09:30), or a spreadsheet serial day number (45577)."""
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            hour, minute, second = (int(g or 0) for g in (match.groups() + (None,) * 3)[3:6])
            if hour > 23 or minute > 59 or second > 59:
                return None  # "2024-10-12 25:61" is no moment of that day
            try:
                return dt.date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                return None
    match = _SERIAL.match(text)
    if match and SERIAL_RANGE[0] <= int(match[1]) <= SERIAL_RANGE[1]:
        return _EXCEL_EPOCH + dt.timedelta(days=int(match[1]))
    return None


#: Control characters other than tab and line ends (C0, DEL, C1), written as escapes: a
#: cell holding ESC [31m would otherwise colour, move or clear the terminal or the CI log
#: an issue is printed to.
CONTROLS = {c: f"\\x{c:02x}" for c in (*range(0x20), *range(0x7F, 0xA0)) if chr(c) not in "\t\n\r"}


#: In a name (a file's, a sheet's), tab and line ends are escaped too: a line break in a
#: file name would start a line of its own in a CI log (::warning … as a command).
NAME_CONTROLS = CONTROLS | {ord(c): repr(c)[1:-1] for c in "\t\n\r"}


def visible_name(text: str) -> str:
    """A file's or sheet's name with every control character written as an escape."""
    return text.translate(NAME_CONTROLS) if not text.isprintable() else text


def visible(text: str) -> str:
    """Text with its control characters (see :data:`CONTROLS`) written as escapes
    (``\\x1b``), safe to print."""
    return text.translate(CONTROLS) if not text.isprintable() else text


def shown(value: str) -> str:
    """A cell value as an issue shows it: control characters escaped, at most
    :data:`MAX_SHOWN` characters."""
    value = visible(value)
    return value if len(value) <= MAX_SHOWN else value[:MAX_SHOWN] + "…"


def parse_count(text: str) -> int | None:
    """A count: empty is 1; "2", "2.0" are 2; anything else, below 1 or above
    :data:`MAX_COUNT`, is None."""
    if text == "":
        return 1
    match = _INT.match(text)
    digits = match[1].lstrip("0") if match else ""
    if not match or len(digits) > len(str(MAX_COUNT)):
        return None  # the length first: int() of a thousand digits is slow
    value = int(digits or "0")
    return value if 1 <= value <= MAX_COUNT else None
