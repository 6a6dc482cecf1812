"""Small helpers shared by the text formats (no third-party imports, so they stay light)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from jituan.i18n import t
from jituan.model import STATUSES, Report, Result, RowIssue, number
from jituan.values import CONTROLS as CONTROLS
from jituan.values import visible as visible

#: Statuses from the worst to the best, for "the worst status of these results".
SEVERITY_ORDER = ("fail", "at_risk", "unknown", "on_track", "pass", "exempt")


def shown_statuses(report: Report) -> tuple[str, ...]:
    """The statuses a report's tables show: ``exempt`` only when some result is exempt."""
    counts = report.status_counts
    return tuple(s for s in STATUSES if s != "exempt" or counts.get(s))


def fixed(value: float, digits: int) -> str:
    """``value`` with ``digits`` decimals, a half rounded up (四舍五入) as people round
    figures by hand: 77.625 is 77.63 (an f-string rounds the float's binary value, to
    77.62)."""
    step = Decimal(1).scaleb(-digits)
    return str(Decimal(repr(value)).quantize(step, rounding=ROUND_HALF_UP))


def percent(value: float) -> str:
    """A fraction as a percentage with one decimal: 0.05625 is 5.6%."""
    return fixed(value * 100, 1) + "%"


def two_decimals(value: float) -> str:
    """A score with at most two decimals: 77.625 is 77.63, 80.0 is 80."""
    return fixed(value, 2).rstrip("0").rstrip(".")


def amount(value: float, metric: str, below: float | None = None) -> str:
    """A value as people read it: a whole number (never 1.09999e+06), or a percentage for
    shares, with one decimal, or as many more as it takes for a share under ``below``
    (the minimum) not to read as the minimum (4.995% of 5% is 4.995%, not 5%), or for a
    share above nothing not to read as nothing (0.04%, not 0%)."""
    if metric != "share_of_teachers":
        return str(number(value))
    hundredths = value * 100
    # the minimum in per cent, exactly: 0.07 * 100 is 7.000000000000001 in binary, and
    # 6.95% would round to a 7% that passed for under it
    minimum = Decimal(repr(below)) * 100 if below is not None else None
    for digits in range(1, 7):
        text = fixed(hundredths, digits)
        honest = minimum is None or value >= below or Decimal(text) < minimum
        if honest and (float(text) or not value):  # 0.04% is not 0%
            break
    return text.rstrip("0").rstrip(".") + "%"


def figures(result: Result) -> str:
    """``actual/required``, e.g. ``2/3`` or ``3.3%/5%``."""
    actual = amount(result.actual, result.metric, below=result.required)
    return f"{actual}/{amount(result.required, result.metric)}"


def worst(statuses: Iterable[str]) -> str:
    """The worst of some statuses (``pass`` when there are none)."""
    seen = set(statuses)
    return next((s for s in SEVERITY_ORDER if s in seen), "pass")


def fails_run(report: Report, item: Result | RowIssue) -> bool:
    """Whether this result or row issue alone makes the run exit 1 (see the exit codes)."""
    levels = {"error", "warning"} if report.strict else {"error"}
    if isinstance(item, RowIssue):
        return item.severity in levels
    bad = {"fail", "at_risk"} if report.strict else {"fail"}
    return item.status in bad and item.severity in levels


def cadence(period: str, lang: str, kind: str = "") -> str:
    """The kind of a period: the target's own (``kind``) when known, else from the id
    (2024-2025-1, 2024-2025, 2025, program)."""
    if kind in ("semester", "school_year", "year", "program"):
        return t(kind, lang)
    if period in ("program", ""):
        return t("program", lang)
    kind = {3: "semester", 2: "school_year", 1: "year"}.get(len(period.split("-")), "program")
    return t(kind, lang)


_ISSUE_RANK = {"error": 0, "warning": 1, "info": 2}


def most_serious_first(issues: Iterable[RowIssue]) -> list[RowIssue]:
    """Issues for a list that may be cut short: errors, then warnings, then notes, each in
    file and row order, so that a file's holiday notes never push its errors out of view."""
    return sorted(issues, key=lambda i: _ISSUE_RANK.get(i.severity, len(_ISSUE_RANK)))


def where(issue: RowIssue) -> str:
    """``file[sheet]:row`` of a row issue."""
    text = issue.file + (f"[{issue.sheet}]" if issue.sheet else "")
    return text + (f":{issue.row}" if issue.row is not None else "")


def issue_text(issue: RowIssue, lang: str) -> str:
    """The issue's message with its suggestion, if any (once: most messages carry it)."""
    if issue.suggestion and issue.suggestion not in issue.message:
        return f"{issue.message} ({t('suggest', lang, suggestion=issue.suggestion)})"
    return issue.message


def verdict(report: Report) -> str:
    """The one-line verdict (the same words as the terminal's last line)."""
    counts = report.status_counts
    unread = len(report.input_errors)  # whole files, not rows: said apart
    if report.failing():
        line = t(
            "verdict-fail",
            report.lang,
            fail=counts["fail"],
            at_risk=counts["at_risk"],
            errors=report.row_errors,
        )
        if unread:
            line += t("verdict-unread", report.lang, n=unread)
        warnings = sum(1 for i in report.issues if i.severity == "warning")
        if report.strict and warnings:  # what else fails a --strict run
            line += t("verdict-strict-warnings", report.lang, n=warnings)
        lesser = sum(1 for r in report.results if r.status == "fail" and r.severity == "warning")
        if lesser and not report.strict:  # the failing that do not fail the run
            line += t("verdict-fail-warning-level", report.lang, n=lesser)
        return line
    line = t(
        "verdict-pass",
        report.lang,
        passed=counts["pass"],
        on_track=counts["on_track"],
        at_risk=counts["at_risk"],
    )
    if counts["fail"]:  # warning-level targets: they do not fail the run, yet they failed
        line += t("verdict-warning-fails", report.lang, n=counts["fail"])
    return line


def counted(title: str, n: object, lang: str) -> str:
    """A heading with its number (or another word in brackets): 未达标（5） in Chinese,
    Failing (5) in English."""
    return f"{title}（{n}）" if lang == "zh" else f"{title} ({n})"


def side_notes(report: Report, limit: int = 30) -> str:
    """What a results-only format (CSV) has no place for, for stderr: the issues (the
    most serious first, at most ``limit``) and the verdict, so that an exit code of 1 or
    2 is never left unexplained."""
    shown = most_serious_first(report.issues)
    lines = [f"{where(i)}: {i.code}: {issue_text(i, report.lang)}" for i in shown[:limit]]
    if len(shown) > limit:
        lines.append(t("more-issues", report.lang, n=len(shown) - limit))
    lines.append(verdict(report))
    return "".join(f"{line}\n" for line in lines)


def inputs_line(report: Report) -> str:
    return t("inputs-line", report.lang, files=len(report.inputs), **report.row_totals)


def title(report: Report) -> str:
    return t("title", report.lang, district=report.district, as_of=report.as_of.isoformat())
