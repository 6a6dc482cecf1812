"""The report model: one result object that flows from the checker to every reporter.

Reporters format a :class:`Report`; they never evaluate anything themselves.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["pass", "fail", "at_risk", "on_track", "unknown", "exempt"]
#: ``exempt``: an approved exemption (see jituan.exemptions) applies; neither pass nor fail.
STATUSES: tuple[Status, ...] = ("pass", "fail", "at_risk", "on_track", "unknown", "exempt")
Severity = Literal["error", "warning", "info"]
#: File-level issue codes that, at error severity, mean an input could not be used:
#: the run still reports the rest, and exits 2 (see jituan.sources).
INPUT_ERROR_CODES = frozenset({"unreadable", "missing-column", "not-a-ledger"})


def number(value: float) -> int | float:
    """Whole numbers as int (3, not 3.0), fractions rounded for display stability."""
    return int(value) if float(value).is_integer() else round(float(value), 6)


@dataclass(frozen=True)
class Result:
    """One target evaluated for one subject over one period."""

    target: str
    title: str
    source: str
    severity: Severity
    scope: str
    subject: str
    group: str | None
    period: str
    period_label: str
    metric: str
    required: float
    actual: float
    status: Status
    reason: str | None = None
    #: The target's kind of period (semester, school_year, year, program), known even
    #: when the result has no period; read by the reports, not written to the JSON.
    cadence: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {  # by hand: dataclasses.asdict deep-copies every field
            "target": self.target,
            "title": self.title,
            "source": self.source,
            "severity": self.severity,
            "scope": self.scope,
            "subject": self.subject,
            "group": self.group,
            "period": self.period,
            "period_label": self.period_label,
            "metric": self.metric,
            "required": number(self.required),
            "actual": number(self.actual),
            "status": self.status,
            "reason": self.reason,
        }

    @property
    def progress(self) -> float:
        """actual ÷ required, capped at 1 (for bars)."""
        return min(1.0, self.actual / self.required) if self.required else 1.0


@dataclass(frozen=True)
class RowIssue:
    """A problem with one ledger row (or one whole input when ``row`` is None)."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    code: str
    severity: Severity
    message: str
    suggestion: str | None = None
    sheet: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "suggestion": self.suggestion,
        }


@dataclass(frozen=True)
class InputSummary:
    """What became of the rows of one input table (a CSV file or one sheet of a workbook)."""

    file: str
    rows: int
    accepted: int
    rejected: int
    blank: int = 0
    encoding: str | None = None
    sheet: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "rows": self.rows,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "blank": self.blank,
            "encoding": self.encoding,
        }


@dataclass(frozen=True)
class StatusChange:
    """A result whose status differs from the previous audit's (``before`` None: new)."""

    result: Result
    before: str | None

    def to_dict(self) -> dict[str, Any]:
        return self.result.to_dict() | {"previous_status": self.before}


@dataclass(frozen=True)
class Changes:
    """What changed since a previous audit (see ``jituan audit --previous``).

    Results are matched by (target, subject, period), row issues by
    (file, sheet, row, code).
    """

    previous_as_of: str | None
    became_failing: tuple[StatusChange, ...] = ()
    became_passing: tuple[StatusChange, ...] = ()
    new_issues: tuple[RowIssue, ...] = ()
    resolved_issues: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "previous_as_of": self.previous_as_of,
            "became_failing": [c.to_dict() for c in self.became_failing],
            "became_passing": [c.to_dict() for c in self.became_passing],
            "new_issues": [i.to_dict() for i in self.new_issues],
            "resolved_issues": self.resolved_issues,
        }


@dataclass(frozen=True)
class Report:
    """Everything one run found, ready for any reporter."""

    tool_version: str
    as_of: dt.date
    district: str
    lang: str
    results: tuple[Result, ...]
    issues: tuple[RowIssue, ...]
    inputs: tuple[InputSummary, ...]
    strict: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)
    changes: Changes | None = None  # set by `jituan audit --previous`

    @property
    def status_counts(self) -> dict[str, int]:
        counts = Counter(r.status for r in self.results)
        return {s: counts.get(s, 0) for s in STATUSES}

    @property
    def row_totals(self) -> dict[str, int]:
        return {
            "rows": sum(i.rows for i in self.inputs),
            "accepted": sum(i.accepted for i in self.inputs),
            "rejected": sum(i.rejected for i in self.inputs),
            "blank": sum(i.blank for i in self.inputs),
        }

    def failing(self) -> bool:
        """Whether the run fails (exit code 1): see the README's exit codes."""
        levels = {"error", "warning"} if self.strict else {"error"}
        bad_status = {"fail", "at_risk"} if self.strict else {"fail"}
        if any(r.status in bad_status and r.severity in levels for r in self.results):
            return True
        return any(i.severity in levels for i in self.issues)

    @property
    def input_errors(self) -> tuple[RowIssue, ...]:
        """File-level errors: an input that could not be read (the run exits 2)."""
        return tuple(
            i for i in self.issues if i.severity == "error" and i.code in INPUT_ERROR_CODES
        )

    @property
    def row_errors(self) -> int:
        """Error-level issues other than the inputs not read (which reports say apart)."""
        return sum(1 for i in self.issues if i.severity == "error") - len(self.input_errors)

    @property
    def exit_code(self) -> int:
        """2 when an input could not be read, else 1 when the run fails, else 0."""
        return 2 if self.input_errors else 1 if self.failing() else 0

    def to_dict(self) -> dict[str, Any]:
        totals = self.row_totals
        return {
            "tool": "jituan",
            "version": self.tool_version,
            "as_of": self.as_of.isoformat(),
            "summary": self.status_counts
            | {
                "rows": totals["rows"],
                "accepted": totals["accepted"],
                "rejected": totals["rejected"],
                "blank": totals["blank"],  # rows = accepted + rejected + blank
            },
            "inputs": [i.to_dict() for i in self.inputs],
            "results": [r.to_dict() for r in self.results],
            "issues": [i.to_dict() for i in self.issues],
        } | ({"since_last_audit": self.changes.to_dict()} if self.changes else {})
