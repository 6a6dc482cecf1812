"""The terminal format: rich tables that fit an 80-column terminal with Chinese text.

Designed for the real six groups over several semesters: a summary by target and period
and one by group first (a line per target and period, not per subject), then only what
needs action (failing and at risk, grouped by target), then the row issues, and a
one-line verdict last so that ``| tail -1`` gives it.
"""

from __future__ import annotations

import io
from collections import Counter, defaultdict

from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from jituan.i18n import t
from jituan.model import Report, Result
from jituan.report import RenderOptions
from jituan.report.common import counted, figures, most_serious_first, shown_statuses

STYLE = {
    "pass": "green",
    "fail": "bold red",
    "at_risk": "yellow",
    "on_track": "cyan",
    "unknown": "magenta",
    "exempt": "dim",
}
MAX_ISSUES = 30
BAR_CELLS = 5
DETAIL_LIMIT = 12  # failing results of one target shown one per row, with a bar


def _listed(parts: list[str], lang: str) -> str:
    return ("；" if lang == "zh" else "; ").join(parts)


def _reasons(why: Counter, lang: str) -> str:
    """The reasons of some results, each with how many it gives when there are several
    (one reason: the note's own count says it, 40 项无法判定：未配置专任教师数)."""
    if len(why) == 1:
        return next(iter(why))
    return _listed([counted(reason, n, lang) for reason, n in why.items()], lang)


def bar(result: Result) -> str:
    """A small progress bar with the figures, e.g. ``███░░ 2/3``."""
    filled = round(result.progress * BAR_CELLS)
    return "█" * filled + "░" * (BAR_CELLS - filled) + " " + figures(result)


def _status_text(status: str, lang: str) -> Text:
    return Text(t(status, lang), style=STYLE.get(status, ""))


def _status_columns(table: Table, lang: str, statuses: tuple[str, ...]) -> None:
    for status in statuses:
        table.add_column(t(f"short-{status}", lang), justify="right", style=STYLE[status])


def _summary_by_target_and_period(report: Report, lang: str) -> Table:
    """One row per target and period, with the number of subjects in each status, and a
    target's clause under its id.

    A period's row says how that semester (or year) stands for every subject, which
    totals over all periods cannot; the id (2024-2025-1) rather than the label keeps the
    table within 80 columns.
    """
    table = Table(
        title=t("summary-by-target-period", lang),
        box=box.SIMPLE_HEAD,
        title_justify="left",
        pad_edge=False,
    )
    # the id folds rather than the counts' headings (达标 …) being cut, when all six
    # statuses leave no room at 80 columns
    table.add_column(t("target", lang), overflow="fold")
    table.add_column(t("period", lang), no_wrap=True)
    statuses = shown_statuses(report)
    _status_columns(table, lang, statuses)
    counts: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    meta: dict[str, Result] = {}
    for r in report.results:
        counts[r.target][r.period][r.status] += 1
        meta.setdefault(r.target, r)
    for target, periods in counts.items():
        r = meta[target]
        failing = any(c["fail"] for c in periods.values()) and r.severity == "error"
        names = [Text(target, style="bold red" if failing else ""), Text(r.source, style="dim")]
        rows = list(periods.items())
        for i in range(max(len(rows), len(names))):
            name = names[i] if i < len(names) else Text("")
            if i >= len(rows):  # the clause's line under a target of one period
                table.add_row(name, Text(""), *("",) * len(statuses))
                continue
            period, c = rows[i]  # "" for a target without subject or period: "—"
            table.add_row(
                name, Text(period or "—"), *(str(c[s]) if c[s] else "·" for s in statuses)
            )
    return table


def _summary_by_group(report: Report, lang: str) -> Table | None:
    counts: dict[str, Counter] = defaultdict(Counter)
    for r in report.results:
        if r.group:
            counts[r.group][r.status] += 1
    if not counts:
        return None
    table = Table(
        title=t("summary-by-group", lang), box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False
    )
    table.add_column(t("group", lang), no_wrap=True)
    statuses = shown_statuses(report)
    _status_columns(table, lang, statuses)
    for group, c in counts.items():
        table.add_row(Text(group), *(str(c[s]) if c[s] else "·" for s in statuses))
    return table


def _problems(report: Report, lang: str) -> list[Group]:
    """Failing and at-risk results, one block per target.

    A target with few of them gets a row per result with its progress bar; one with many
    (a whole semester missed by every school, say) gets a row per period and status that
    lists the subjects, so the section stays a page, not hundreds of lines.
    """
    by_target: dict[str, list[Result]] = defaultdict(list)
    for r in report.results:
        if r.status in ("fail", "at_risk"):
            by_target[r.target].append(r)
    blocks = []
    for target, rows in by_target.items():
        first = rows[0]
        title = f"{target} — {first.title} [{first.source}]"
        if first.severity != "error":  # （警告） in Chinese
            title = counted(title, t(first.severity, lang), lang)
        heading = Text(title, style="bold")
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
        table.add_column(t("period", lang), no_wrap=True)
        rows.sort(key=lambda r: (r.period, r.status != "fail"))
        if len(rows) <= DETAIL_LIMIT:
            table.add_column(t("subject", lang))
            table.add_column(t("progress", lang), no_wrap=True)
            table.add_column(t("status", lang), no_wrap=True)
            for r in rows:
                table.add_row(
                    Text(r.period_label or r.period),
                    Text(r.subject or "—"),
                    bar(r),
                    _status_text(r.status, lang),
                )
        else:
            table.add_column(t("status", lang), no_wrap=True)
            table.add_column(t("progress", lang), no_wrap=True, justify="right")
            table.add_column(t("subject", lang), overflow="fold")
            runs: dict[tuple[str, str, float], list[Result]] = defaultdict(list)
            for r in rows:
                runs[(r.period_label or r.period, r.status, r.actual)].append(r)
            for (period, status, _), members in runs.items():
                status_cell = _status_text(status, lang)
                status_cell.append(f" ×{len(members)}")
                names = "、".join(r.subject or "—" for r in members)
                # the members share the figures (one actual, the target's minimum): one bar
                table.add_row(Text(period), status_cell, bar(members[0]), Text(names))
        blocks.append(Group(heading, table))
    return blocks


def _issues(report: Report, lang: str) -> tuple[Table | None, int]:
    if not report.issues:
        return None, 0
    table = Table(title=t("row-issues", lang), box=box.SIMPLE_HEAD, title_justify="left")
    table.add_column(t("where", lang), overflow="fold")
    table.add_column(t("code", lang), no_wrap=True)
    table.add_column(t("message", lang), overflow="fold")
    for issue in most_serious_first(report.issues)[:MAX_ISSUES]:
        where = issue.file + (f"[{issue.sheet}]" if issue.sheet else "")
        where += f":{issue.row}" if issue.row is not None else ""
        style = (
            "red" if issue.severity == "error" else "yellow" if issue.severity == "warning" else ""
        )
        table.add_row(Text(where), Text(issue.code, style=style), Text(issue.message))
    return table, max(0, len(report.issues) - MAX_ISSUES)


def verdict(report: Report) -> str:
    """The one-line verdict printed last (shared with the other formats and the audit)."""
    from jituan.report.common import verdict as common_verdict

    return common_verdict(report)


def render(report: Report, options: RenderOptions) -> str:
    lang = report.lang
    out = io.StringIO()
    console = Console(
        file=out,
        width=options.width,
        force_terminal=options.color,
        no_color=not options.color,
        highlight=False,
        emoji=False,
    )
    console.print(
        Text(
            t("title", lang, district=report.district, as_of=report.as_of.isoformat()), style="bold"
        )
    )
    totals = report.row_totals
    console.print(Text(t("inputs-line", lang, files=len(report.inputs), **totals)))
    if not report.results:
        console.print(t("no-results", lang))
    else:
        console.print(_summary_by_target_and_period(report, lang))
        group_table = _summary_by_group(report, lang)
        if group_table is not None:
            console.print(group_table)
        problems = _problems(report, lang)
        if problems:
            console.rule(t("problems", lang), align="left")
            for table in problems:
                console.print(table)
        for status, note, style in (
            ("unknown", "unknown-note", "magenta"),
            ("exempt", "exempt-note", "dim"),
        ):
            why = Counter(r.reason or "" for r in report.results if r.status == status)
            if why:
                text = t(note, lang, n=sum(why.values()), reasons=_reasons(why, lang))
                console.print(Text(text, style=style))
    issue_table, more = _issues(report, lang)
    if issue_table is not None:
        console.print(issue_table)
        if more:
            console.print(Text(t("more-rows", lang, n=more)))
    style = "bold red" if report.failing() else "bold green"
    console.print(Text(verdict(report), style=style), soft_wrap=True)  # one line: | tail -1
    return out.getvalue()
