"""The quality ledger: the bureau's education-quality evaluation results (``--quality``).

A table with the columns school, period and score (学校, 期间, 得分), one row per school
and period, as CSV (any encoding a ledger may have) or Excel. It is read with the pieces
the activity ledgers use (:func:`jituan.readers.decode` for encodings and binary files,
:func:`jituan.xlsx_guard.check_xlsx` against zip bombs, calamine for workbooks) and its own
column spec; every non-blank row is either taken or reported:

| issue code | severity | the row is |
|---|---|---|
| ``missing-value`` | error | not taken: school, period or score is empty |
| ``unknown-school`` | error | not taken (with the closest school as a suggestion) |
| ``bad-period`` | error | not taken: not a semester, school-year or year id of the programme |
| ``bad-score`` | error | not taken: not a number from 0 to 1,000,000 |
| ``duplicate`` | warning | the same school, period and score again: taken once |
| ``conflicting-score`` | error | another score for a school and period already given: not taken |

A file that cannot be read, or has no header naming the three columns, stops the run
(exit 2): scores from half a ledger would rank schools wrongly.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from jituan.columns import HEADER_SEARCH_ROWS, MAX_HEADER_CELL, repeated_headers
from jituan.errors import InputError
from jituan.i18n import t, translator
from jituan.model import InputSummary, RowIssue
from jituan.textnorm import clean, key, path_text
from jituan.values import visible_name

if TYPE_CHECKING:
    from jituan.config import Config

#: column id → accepted headers
COLUMNS: dict[str, tuple[str, ...]] = {
    "school": ("school", "学校", "学校名称", "单位"),
    "period": ("period", "期间", "学期", "学年", "考核期间", "评价期间"),
    "score": ("score", "得分", "分数", "成绩", "评价得分", "质量评价得分"),
}
HEADER_INDEX = {key(h): col for col, headers in COLUMNS.items() for h in headers}
PERIOD_KINDS = ("semester", "school_year", "year")

MESSAGES: dict[str, tuple[str, str]] = {
    "bad-period": (
        "期间应为实施期内的学期、学年或年份 id（如 2024-2025-1、2024-2025、2025）：{value}",
        "not a semester, school-year or year id of the programme (2024-2025-1, 2024-2025, "
        "2025): {value}",
    ),
    "bad-score": (
        "得分应为 0 至 1000000 之间的数：{value}",
        "a score is a number from 0 to 1,000,000: {value}",
    ),
    "duplicate": ("与第 {first} 行重复，只计一次", "repeats row {first}; taken once"),
    "conflicting-score": (
        "{school} 在 {period} 已有得分 {first_score}（第 {first} 行），本行未计入",
        "{school} already has the score {first_score} for {period} (row {first}); "
        "this row is not taken",
    ),
    "no-header": (
        "没有可识别的质量评价表头（前 20 行中应有 学校、期间、得分 三列）",
        "no quality-evaluation header (学校/school, 期间/period, 得分/score) in the first 20 rows",
    ),
    "missing-column": (
        "缺少列 {missing}；找到的列：{found}",
        "missing column(s) {missing}; columns found: {found}",
    ),
    "not-a-file": ("不是文件", "not a file"),
}


m = translator(MESSAGES)


@dataclass(frozen=True)
class QualityScore:
    """One school's quality score for one period."""

    school: str
    period: str
    score: float


@dataclass
class QualityLedger:
    """The scores taken, the rows not taken (issues) and what became of each table."""

    scores: list[QualityScore] = field(default_factory=list)
    issues: list[RowIssue] = field(default_factory=list)
    inputs: list[InputSummary] = field(default_factory=list)


@dataclass(frozen=True)
class _Table:
    sheet: str | None
    encoding: str | None
    rows: list[list[str]]


def _problem_text(err: Exception, lang: str) -> str:
    problem = getattr(err, "problem", None)
    if problem is None:
        return str(err)
    values = {
        k: (", ".join(map(str, v)) if isinstance(v, list) else v) for k, v in problem.values.items()
    }
    try:
        return t(problem.message, lang, **values)
    except (KeyError, IndexError):
        return problem.message


def _text_rows(text: str) -> list[list[str]]:
    """The rows of a delimited text, with the delimiter that best finds a header."""
    from jituan.readers import DELIMITERS

    best: tuple[int, list[list[str]]] | None = None
    for delimiter in DELIMITERS:
        try:
            rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        except csv.Error:
            continue
        found = _find_header(rows)
        score = len(found[1]) if found else 0
        if best is None or score > best[0]:
            best = (score, rows)
    return best[1] if best else []


def _tables(path: Path, lang: str) -> list[_Table]:
    from jituan.csv_reader import line_ends
    from jituan.readers import ReadProblem, decode, file_kind

    name = path_text(path)
    try:
        exists, is_file = path.exists(), path.is_file()
    except OSError as err:  # a name too long, no permission on a folder above it
        detail = t("file-os-error", lang, detail=err.strerror or err)
        raise InputError(f"--quality {name}: {detail}") from err
    if not exists:
        raise InputError(f"--quality {name}: {t('no-such-path', lang)}")
    if not is_file:
        raise InputError(f"--quality {name}: {m('not-a-file', lang)}")
    try:
        data = path.read_bytes()
        kind = file_kind(data[:8], path)
        if kind == "yaml":
            raise ReadProblem("not-a-ledger", "file-yaml-ledger")
        if kind == "text":
            if not data:
                raise ReadProblem("not-a-ledger", "file-empty")
            text, encoding = decode(data)
            return [_Table(None, encoding, _text_rows(line_ends(text)))]
        return _workbook(path, kind)
    except ReadProblem as err:
        raise InputError(f"--quality {name}: {_problem_text(err, lang)}") from err
    except OSError as err:
        raise InputError(f"--quality {name}: {err.strerror or err}") from err


def _workbook(path: Path, kind: str) -> list[_Table]:
    from jituan.excel import OpenBook, cell_text

    book = OpenBook(path, kind)  # the zip-bomb guard, and the area bound of each sheet
    tables = []
    try:
        for sheet_name in book.names:
            sheet = book.sheet(sheet_name)
            if not sheet.height:
                continue
            cells = book.rows(sheet_name, sheet)
            rows = [[cell_text(v) for v in r] for r in cells]
            tables.append(_Table(visible_name(sheet_name), None, rows))
    finally:
        book.close()
    return tables


def _find_header(rows: Sequence[Sequence[str]]) -> tuple[int, dict[str, int]] | None:
    """(0-based row, column id → cell index) of the row naming most quality columns (≥ 2)."""
    best: tuple[int, dict[str, int]] | None = None
    for i, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found: dict[str, int] = {}
        for j, cell in enumerate(cells):
            col = HEADER_INDEX.get(key(cell)) if len(cell) <= MAX_HEADER_CELL else None
            if col is not None and col not in found:
                found[col] = j
        if len(found) >= 2 and (best is None or len(found) > len(best[1])):
            best = (i, found)
    return best


def period_index(config: Config) -> dict[str, str]:
    """Matching key of a period id or label (zh, en) → the id, for semesters, years, years."""
    from jituan.periods import period_names

    return {key(name): pid for name, pid in period_names(config.calendar, PERIOD_KINDS).items()}


#: The largest score taken: evaluation scores are points out of 100 or 1,000; a larger
#: number is a pasted figure (an ID, a sum), and 1e308 would overflow a group's mean.
MAX_SCORE = 1_000_000


def _score(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) and 0 <= value <= MAX_SCORE else None


def _repeated_columns(
    file: str, sheet: str | None, head_row: int, cells: Sequence[str], lang: str
) -> list[RowIssue]:
    """A warning for each header cell naming a quality column already named to its left
    (学校 and 学校名称): only the first is read, as in an activity ledger."""
    return [
        RowIssue(
            file=file,
            sheet=sheet,
            row=head_row + 1,
            column=col,
            value=cells[i],
            code="duplicate-column",
            severity="warning",
            message=t("duplicate-column", lang, value=cells[i], first=cells[first]),
        )
        for i, col, first in repeated_headers(cells, HEADER_INDEX)
    ]


def _row_issue(
    file: str,
    sheet: str | None,
    row: int,
    values: dict[str, str],
    column: str,
    code: str,
    message: str,
    severity: str = "error",
    suggestion: str | None = None,
) -> RowIssue:
    return RowIssue(
        file=file,
        row=row,
        column=column,
        value=values[column][:200],
        code=code,
        severity=severity,  # type: ignore[arg-type]
        message=message,
        suggestion=suggestion,
        sheet=sheet,
    )


def read_quality(path: Path, config: Config, lang: str = "en") -> QualityLedger:
    """Every quality score of the file, and an issue for every row not taken."""
    tables = _tables(path, lang)
    periods = period_index(config)
    school_names = {k: v for k, v in config.school_index.items()}
    out = QualityLedger()
    seen: dict[tuple[str, str], tuple[int, float, str | None]] = {}
    headed = 0
    # messages name a column by its Chinese header in Chinese (得分, not score)
    label = {c: headers[1] if lang == "zh" else c for c, headers in COLUMNS.items()}
    for table in tables:
        header = _find_header(table.rows)
        if header is None:
            continue
        head_row, positions = header
        missing = [c for c in COLUMNS if c not in positions]
        where = path_text(path) + (f" [{table.sheet}]" if table.sheet else "")
        if missing:
            found = ", ".join(c for c in table.rows[head_row] if c.strip()) or "—"
            wanted = "; ".join(f"{c} ({'/'.join(COLUMNS[c][1:3])})" for c in missing)
            raise InputError(
                f"--quality {where}: {m('missing-column', lang, missing=wanted, found=found)}"
            )
        headed += 1
        out.issues += _repeated_columns(
            path_text(path), table.sheet, head_row, table.rows[head_row], lang
        )
        rows = accepted = rejected = blank = 0
        for offset, cells in enumerate(table.rows[head_row + 1 :]):
            row = head_row + 2 + offset  # the spreadsheet's row number
            values = {c: clean(cells[j]) if j < len(cells) else "" for c, j in positions.items()}
            rows += 1
            if not any(values.values()):
                blank += 1
                continue

            issue = partial(_row_issue, path_text(path), table.sheet, row, values)

            problems: list[RowIssue] = []
            for column in COLUMNS:
                if not values[column]:
                    problems.append(
                        issue(
                            column, "missing-value", t("missing-value", lang, column=label[column])
                        )
                    )
            school = config.find_school(values["school"]) if values["school"] else None
            if values["school"] and school is None:
                close = difflib.get_close_matches(
                    key(values["school"]), list(school_names), n=1, cutoff=0.5
                )
                suggestion = school_names[close[0]] if close else None
                text = t("unknown-school", lang, value=values["school"])
                if suggestion:
                    text += ("，" if lang == "zh" else "; ") + t(
                        "suggest", lang, suggestion=suggestion
                    )
                problems.append(issue("school", "unknown-school", text, suggestion=suggestion))
            period = periods.get(key(values["period"])) if values["period"] else None
            if values["period"] and period is None:
                problems.append(
                    issue("period", "bad-period", m("bad-period", lang, value=values["period"]))
                )
            score = _score(values["score"]) if values["score"] else None
            if values["score"] and score is None:
                problems.append(
                    issue("score", "bad-score", m("bad-score", lang, value=values["score"]))
                )
            if not problems and school is not None and period is not None and score is not None:
                first = seen.get((school, period))
                if first is None:
                    seen[(school, period)] = (row, score, table.sheet)
                    out.scores.append(QualityScore(school, period, score))
                    accepted += 1
                    continue
                first_row, first_score, _ = first
                if first_score == score:
                    out.issues.append(
                        issue(
                            "score", "duplicate", m("duplicate", lang, first=first_row), "warning"
                        )
                    )
                else:
                    problems.append(
                        issue(
                            "score",
                            "conflicting-score",
                            m(
                                "conflicting-score",
                                lang,
                                school=school,
                                period=period,
                                first_score=f"{first_score:g}",
                                first=first_row,
                            ),
                        )
                    )
            out.issues.extend(problems)
            rejected += 1
        out.inputs.append(
            InputSummary(
                path_text(path), rows, accepted, rejected, blank, table.encoding, table.sheet
            )
        )
    if not headed:
        raise InputError(f"--quality {path_text(path)}: {m('no-header', lang)}")
    return out
