"""The Markdown format: GitHub-flavoured tables for a pull-request comment, a wiki or
the job summary of a CI run (``$GITHUB_STEP_SUMMARY``)."""

from __future__ import annotations

from collections import Counter, defaultdict

from jituan.i18n import t
from jituan.model import STATUSES, Report, Result
from jituan.report import RenderOptions
from jituan.report.common import (
    CONTROLS,
    cadence,
    counted,
    figures,
    issue_text,
    most_serious_first,
    shown_statuses,
    title,
    verdict,
    where,
)

#: GitHub's job summary takes at most 1 MiB: long issue lists are cut here.
MAX_ISSUES = 200
_SPECIAL = str.maketrans(
    CONTROLS | {c: "\\" + c for c in "\\`*_[]<>|~"} | {"\n": " ", "\r": " ", "&": "&amp;"}
)


def md(value: object) -> str:
    """Text safe inside a table cell: markup characters escaped, lines joined."""
    return "" if value is None else str(value).translate(_SPECIAL)


def table(header: list[str], rows: list[list[object]]) -> list[str]:
    lines = ["| " + " | ".join(md(h) for h in header) + " |"]
    lines.append("|" + "|".join("---:" if h == "#" else "---" for h in header) + "|")
    lines += ["| " + " | ".join(md(c) for c in row) + " |" for row in rows]
    return lines + [""]


def _results_table(results: list[Result], lang: str, before: dict | None = None) -> list[str]:
    header = [t("target", lang), t("clause", lang), t("subject", lang), t("period", lang)]
    header += [t("actual", lang) + "/" + t("required", lang), t("status", lang)]
    if before is not None:
        header.append(t("before", lang))
    rows = []
    for r in results:
        row: list[object] = [f"{r.target} {r.title}", r.source, r.subject or "—"]
        row += [r.period_label or r.period, figures(r), t(r.status, lang)]
        if before is not None:
            prev = before.get(id(r))
            row.append(t(prev, lang) if prev in STATUSES else "—")
        rows.append(row)
    return table(header, rows)


def _summary(report: Report, lang: str) -> list[str]:
    counts = report.status_counts
    rows: list[list[object]] = [[t(s, lang), counts[s]] for s in shown_statuses(report)]
    totals = report.row_totals
    rows.append([t("ledger-rows", lang), totals["rows"]])
    rows.append([t("row-errors", lang), report.row_errors])
    if report.input_errors:  # whole files, not rows: said apart, as in the verdict
        rows.append([t("inputs-unread", lang), len(report.input_errors)])
    rows.append([t("row-warnings", lang), sum(1 for i in report.issues if i.severity == "warning")])
    return table([t("summary", lang), "#"], rows)


def _by_target(report: Report, lang: str) -> list[str]:
    counts: dict[str, Counter] = defaultdict(Counter)
    meta: dict[str, Result] = {}
    for r in report.results:
        counts[r.target][r.status] += 1
        meta.setdefault(r.target, r)
    statuses = shown_statuses(report)
    rows = [
        [target, meta[target].source, cadence(meta[target].period, lang, meta[target].cadence)]
        + [c[s] or "·" for s in statuses]
        for target, c in counts.items()
    ]
    header = [t("target", lang), t("clause", lang), t("cadence", lang)]
    return table(header + [t(s, lang) for s in statuses], rows)


def _changes(report: Report, lang: str) -> list[str]:
    changes = report.changes
    if changes is None:
        return []
    lines = [f"## {md(t('since-last-audit', lang, as_of=changes.previous_as_of or '?'))}", ""]
    for key, items in (
        ("became-failing", changes.became_failing),
        ("became-passing", changes.became_passing),
    ):
        lines += [f"### {md(counted(t(key, lang), len(items), lang))}", ""]
        if items:
            before = {id(c.result): c.before for c in items}
            lines += _results_table([c.result for c in items], lang, before)
        else:
            lines += [t("none", lang), ""]
    lines += [f"### {md(counted(t('new-issues', lang), len(changes.new_issues), lang))}", ""]
    if changes.new_issues:
        lines += _issues_table(list(changes.new_issues), lang)
    else:
        lines += [t("none", lang), ""]
    lines += [md(t("resolved-issues", lang, n=changes.resolved_issues)), ""]
    return lines


def _issues_table(issues: list, lang: str) -> list[str]:
    issues = most_serious_first(issues)
    header = [t("where", lang), t("code", lang), t("severity", lang), t("message", lang)]
    rows = [
        [where(i), i.code, t(i.severity, lang), issue_text(i, lang)] for i in issues[:MAX_ISSUES]
    ]
    lines = table(header, rows)
    if len(issues) > MAX_ISSUES:
        lines += [md(t("more-issues", lang, n=len(issues) - MAX_ISSUES)), ""]
    return lines


def render(report: Report, options: RenderOptions) -> str:
    lang = report.lang
    lines = [f"# {md(title(report))}", "", f"**{md(verdict(report))}**", ""]
    totals = report.row_totals
    lines += [md(t("rows-line", lang, **totals)), ""]
    lines += _summary(report, lang)
    if report.results:
        lines += [f"## {md(t('summary-by-target', lang))}", ""] + _by_target(report, lang)
    lines += _changes(report, lang)
    failing = [r for r in report.results if r.status == "fail"]
    at_risk = [r for r in report.results if r.status == "at_risk"]
    lines += [f"## {md(counted(t('failing', lang), len(failing), lang))}", ""]
    lines += _results_table(failing, lang) if failing else [t("none", lang), ""]
    lines += [f"## {md(counted(t('at-risk-list', lang), len(at_risk), lang))}", ""]
    lines += _results_table(at_risk, lang) if at_risk else [t("none", lang), ""]
    exempt = [r for r in report.results if r.status == "exempt"]
    if exempt:
        lines += [f"## {md(counted(t('exempt-list', lang), len(exempt), lang))}", ""]
        header = [t("target", lang), t("subject", lang), t("period", lang), t("reason", lang)]
        rows = [
            [f"{r.target} {r.title}", r.subject or "—", r.period_label or r.period, r.reason]
            for r in exempt
        ]
        lines += table(header, rows)
    lines += [f"## {md(counted(t('row-issues', lang), len(report.issues), lang))}", ""]
    lines += _issues_table(list(report.issues), lang) if report.issues else [t("none", lang), ""]
    lines += [f"<sub>{md(t('generated-by', lang, version=report.tool_version))}</sub>"]
    return "\n".join(lines) + "\n"
