"""The HTML format: one self-contained page for people who will not read a terminal.

No script, no network: inline CSS and inline SVG only, and a Content-Security-Policy
that forbids loading anything, so the file opens the same on an offline office PC.
Every value that comes from the data or the configuration goes through :func:`e`
(``html.escape``), so a school name or a cell holding ``<script>`` shows as text.

The page: headline figures; what changed since the last audit (when known); the
failing and at-risk lists with the policy clause; per group a chart of each target's
progress against its requirement for every evaluated period and a school × target
grid coloured by status; the row issues.
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Iterable

from jituan.i18n import t
from jituan.model import STATUSES, Report, Result, RowIssue
from jituan.report import RenderOptions
from jituan.report.common import (
    counted,
    figures,
    issue_text,
    most_serious_first,
    shown_statuses,
    title,
    verdict,
    where,
    worst,
)

MAX_ISSUES = 1000
COLOURS = {
    "pass": "#2e7d32",
    "fail": "#c62828",
    "at_risk": "#ef6c00",
    "on_track": "#1565c0",
    "unknown": "#6a1b9a",
    "exempt": "#757575",
}
TINTS = {
    "pass": "#e8f5e9",
    "fail": "#ffebee",
    "at_risk": "#fff3e0",
    "on_track": "#e3f2fd",
    "unknown": "#f3e5f5",
    "exempt": "#f5f5f5",
}

CSS = """
*{box-sizing:border-box}
body{margin:0;background:#f4f5f7;color:#1f2329;font:14px/1.5 "Noto Sans CJK SC","Microsoft YaHei",
"PingFang SC","Source Han Sans SC","WenQuanYi Micro Hei",system-ui,sans-serif}
main{max-width:1180px;margin:0 auto;padding:24px 28px 48px}
h1{font-size:24px;margin:0 0 6px}
h2{font-size:19px;margin:32px 0 10px;padding-bottom:4px;border-bottom:2px solid #d0d4da}
h3{font-size:16px;margin:20px 0 8px}
.meta{color:#555;margin:2px 0}
.verdict{display:inline-block;margin:10px 0 4px;padding:6px 14px;border-radius:6px;font-weight:600}
.verdict.bad{background:#ffebee;color:#b71c1c}
.verdict.good{background:#e8f5e9;color:#1b5e20}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}
.card{background:#fff;border-radius:8px;padding:12px 18px;min-width:128px;
box-shadow:0 1px 2px rgba(0,0,0,.08);border-top:4px solid #90a4ae}
.card .n{font-size:28px;font-weight:700;line-height:1.2}
.card .l{color:#555}
section.panel{background:#fff;border-radius:8px;padding:4px 20px 16px;margin:18px 0;
box-shadow:0 1px 2px rgba(0,0,0,.08)}
table{border-collapse:collapse;width:100%;margin:6px 0 10px;font-size:13px}
th,td{border-bottom:1px solid #e3e6ea;padding:5px 8px;text-align:left;vertical-align:top}
th{background:#f0f2f5;font-weight:600}
tr.target td{background:#fafbfc;font-weight:600;padding-top:10px}
td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;font-size:12px;
white-space:nowrap}
.chip{display:inline-block;margin:1px 2px;padding:0 6px;border-radius:4px;font-size:12px;
white-space:nowrap;border:1px solid transparent}
.grid td{text-align:center}
.grid td.school{text-align:left;font-weight:600;white-space:nowrap}
.grid th{font-size:12px;text-align:center}
.na{color:#aaa}
.clause{color:#666;font-size:12px;white-space:nowrap}
.legend span{margin-right:10px}
.small{color:#666;font-size:12px}
svg{display:block;max-width:100%;height:auto}
@media print{body{background:#fff}section.panel,.card{box-shadow:none;border:1px solid #ddd}}
"""


def page(heading: str, body: str, lang: str) -> str:
    """A whole self-contained page: its policy forbids scripts and any network."""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}">\n<head>\n<meta charset="utf-8">\n'
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{e(heading)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
        + body
        + "\n</main>\n</body>\n</html>\n"
    )


def e(value: object) -> str:
    """Escape any value for HTML text or a quoted attribute."""
    return html.escape("" if value is None else str(value), quote=True)


def _badge(status: str, lang: str) -> str:
    return (
        f'<span class="badge" style="background:{COLOURS.get(status, "#777")}">'
        f"{e(t(status, lang))}</span>"
    )


def _chip(r: Result, lang: str) -> str:
    status = r.status
    tip = f"{r.period_label or r.period}: {figures(r)} {t(status, lang)}"
    if r.reason:
        tip += f" ({r.reason})"
    return (
        f'<span class="chip" style="background:{TINTS.get(status, "#eee")};'
        f'border-color:{COLOURS.get(status, "#777")};color:{COLOURS.get(status, "#333")}" '
        f'title="{e(tip)}">{e(figures(r) if status != "unknown" else "?")}</span>'
    )


def _legend(lang: str, statuses: tuple[str, ...] = STATUSES) -> str:
    items = "".join(
        f'<span><span class="chip" style="background:{TINTS[s]};border-color:{COLOURS[s]};'
        f'color:{COLOURS[s]}">■</span>{e(t(s, lang))}</span>'
        for s in statuses
    )
    colon = "：" if lang == "zh" else ": "
    return f'<p class="legend small">{e(t("legend", lang))}{colon}{items}</p>'


def _headline(report: Report, lang: str) -> str:
    counts = report.status_counts
    totals = report.row_totals
    cards = [(t(s, lang), counts[s], COLOURS[s]) for s in ("fail", "at_risk", "on_track", "pass")]
    for status in ("unknown", "exempt"):
        if counts[status]:
            cards.append((t(status, lang), counts[status], COLOURS[status]))
    unread = len(report.input_errors)  # whole files, not rows: a card of their own
    errors = report.row_errors
    cards.append((t("ledger-rows", lang), totals["rows"], "#546e7a"))
    cards.append((t("row-errors", lang), errors, COLOURS["fail"] if errors else "#546e7a"))
    if unread:
        cards.append((t("inputs-unread", lang), unread, COLOURS["fail"]))
    body = "".join(
        f'<div class="card" style="border-top-color:{colour}"><div class="n">{e(n)}</div>'
        f'<div class="l">{e(label)}</div></div>'
        for label, n, colour in cards
    )
    return f'<div class="cards">{body}</div>'


def _results_table(results: Iterable[Result], lang: str, before: dict | None = None) -> str:
    """Results grouped under a heading row per target (title, clause, id)."""
    head = [t("subject", lang), t("group", lang), t("period", lang)]
    head += [t("actual", lang) + " / " + t("required", lang), t("status", lang)]
    if before is not None:
        head.append(t("before", lang))
    by_target: dict[str, list[Result]] = defaultdict(list)
    for r in results:
        by_target[r.target].append(r)
    rows = []
    for target, rs in by_target.items():
        first = rs[0]
        rows.append(
            f'<tr class="target"><td colspan="{len(head)}">{e(first.title)} '
            f'<span class="clause">[{e(t("clause", lang))} {e(first.source)}] {e(target)}'
            f"{' · ' + e(t(first.severity, lang)) if first.severity != 'error' else ''}"
            "</span></td></tr>"
        )
        for r in sorted(rs, key=lambda r: r.period):
            cells = [
                f"<td>{e(r.subject or '—')}</td>",
                f"<td>{e(r.group or '—')}</td>",
                f"<td>{e(r.period_label or r.period)}</td>",
                f"<td class='num'>{_mini_bar(r)} {e(figures(r))}</td>",
                f"<td>{_badge(r.status, lang)}</td>",
            ]
            if before is not None:
                prev = before.get(id(r))
                cells.append(f"<td>{_badge(prev, lang) if prev else e(t('new-result', lang))}</td>")
            rows.append("<tr>" + "".join(cells) + "</tr>")
    header = "".join(f"<th>{e(h)}</th>" for h in head)
    return f"<table><thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _mini_bar(r: Result) -> str:
    width = round(r.progress * 60)
    colour = COLOURS.get(r.status, "#777")
    return (
        '<svg width="62" height="10" viewBox="0 0 62 10" style="display:inline-block;'
        'vertical-align:middle" aria-hidden="true">'
        '<rect x="1" y="1" width="60" height="8" rx="2" fill="#e6e8eb"/>'
        f'<rect x="1" y="1" width="{width}" height="8" rx="2" fill="{colour}"/></svg>'
    )


def _issues_table(issues: list[RowIssue], lang: str) -> str:
    issues = most_serious_first(issues)
    head = [t("where", lang), t("code", lang), t("severity", lang), t("message", lang)]
    rows = []
    for i in issues[:MAX_ISSUES]:
        colour = COLOURS["fail"] if i.severity == "error" else COLOURS["at_risk"]
        rows.append(
            f"<tr><td>{e(where(i))}</td><td style='color:{colour}'>{e(i.code)}</td>"
            f"<td>{e(t(i.severity, lang))}</td><td>{e(issue_text(i, lang))}</td></tr>"
        )
    header = "".join(f"<th>{e(h)}</th>" for h in head)
    more = ""
    if len(issues) > MAX_ISSUES:
        more = f'<p class="small">{e(t("more-issues", lang, n=len(issues) - MAX_ISSUES))}</p>'
    return f"<table><thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table>{more}"


def _text_width(text: str, size: float) -> float:
    """Rough rendered width: CJK and full-width characters are square, others about half."""
    return sum(size if ord(c) > 0x2E7F else size * 0.58 for c in text)


def _fit(text: str, size: float, width: float) -> str:
    if _text_width(text, size) <= width:
        return text
    while text and _text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


def _chart(results: list[Result], lang: str) -> str:
    """Each target's progress against its requirement, one bar per period (inline SVG)."""
    by_target: dict[str, dict[str, list[Result]]] = defaultdict(lambda: defaultdict(list))
    for r in results:
        by_target[r.target][r.period].append(r)
    label_w, period_w, bar_w, value_w = 330, 180, 290, 150
    bar_x = label_w + period_w
    width = bar_x + bar_w + value_w
    row_h, gap, top = 22, 10, 8
    parts: list[str] = []
    y = top
    for periods in by_target.values():
        first = next(iter(periods.values()))[0]
        label = f"{first.title} [{first.source}]"
        parts.append(
            f'<text x="0" y="{y + 15}" font-size="13" font-weight="600">'
            f"<title>{e(first.target + ': ' + label)}</title>{e(_fit(label, 13, label_w - 12))}"
            "</text>"
        )
        for period in sorted(periods):
            rs = periods[period]
            status = worst(r.status for r in rs)
            colour = COLOURS.get(status, "#777")
            judged = [r for r in rs if r.status != "unknown"]
            share = sum(r.progress for r in judged) / len(judged) if judged else 0.0
            met = sum(r.status == "pass" for r in rs)
            if len(rs) == 1:
                value = told = figures(rs[0]) if rs[0].status != "unknown" else "?"
            else:  # short beside the bar, which has little room; in words in the tooltip
                value = t("met-of-short", lang, met=met, n=len(rs))
                told = t("met-of", lang, met=met, n=len(rs))
            # several subjects in Chinese: "6/7 达标" and the colour say it; "6/7 未达标"
            # would read as six that failed (the tooltip has the status in words)
            several = len(rs) > 1 and (status == "pass" or lang == "zh")
            suffix = "" if several else " " + t(status, lang)
            said = t(status, lang)
            tip = f"{first.title} — {rs[0].period_label or period}" + (
                f"：{told}（{said}）" if lang == "zh" else f": {told} ({said})"
            )
            parts.append(
                f"<g><title>{e(tip)}</title>"
                f'<text x="{label_w}" y="{y + 15}" font-size="12" fill="#555">'
                f"{e(_fit(rs[0].period_label or period, 12, period_w - 8))}</text>"
                f'<rect x="{bar_x}" y="{y + 4}" width="{bar_w}" height="14" rx="3" '
                f'fill="{TINTS.get(status, "#eee")}" stroke="{colour}" stroke-width="0.6"/>'
                f'<rect x="{bar_x}" y="{y + 4}" width="{round(share * bar_w, 1)}" height="14" '
                f'rx="3" fill="{colour}"/>'
                f'<text x="{bar_x + bar_w + 8}" y="{y + 15}" font-size="12" fill="{colour}">'
                f"{e(value)}{e(suffix)}</text></g>"
            )
            y += row_h
        y += gap
    height = y + 4
    line = (
        f'<line x1="{bar_x + bar_w}" y1="0" x2="{bar_x + bar_w}" y2="{height}" '
        'stroke="#333" stroke-width="1" stroke-dasharray="4 3"/>'
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{e(t("chart-title", lang))}" '
        f'font-family="inherit">{"".join(parts)}{line}</svg>'
    )


def _grid(results: list[Result], lang: str) -> str:
    """Schools × school-level targets, each cell one chip per period."""
    school = [r for r in results if r.scope == "school"]
    if not school:
        return ""
    targets: dict[str, Result] = {}
    schools: list[str] = []
    cells: dict[tuple[str, str], list[Result]] = defaultdict(list)
    for r in school:
        targets.setdefault(r.target, r)
        if r.subject not in schools:
            schools.append(r.subject)
        cells[(r.subject, r.target)].append(r)
    head = f"<th>{e(t('school', lang))}</th>" + "".join(
        f'<th title="{e(r.target)}">{e(r.title)}<br><span class="clause">{e(r.source)}</span></th>'
        for r in targets.values()
    )
    rows = []
    for name in schools:
        tds = [f'<td class="school">{e(name)}</td>']
        for target in targets:
            rs = sorted(cells.get((name, target), []), key=lambda r: r.period)
            if not rs:
                tds.append('<td class="na">—</td>')
                continue
            status = worst(r.status for r in rs)
            tds.append(
                f'<td style="background:{TINTS.get(status, "#fff")}">'
                + "".join(_chip(r, lang) for r in rs)
                + "</td>"
            )
        rows.append("<tr>" + "".join(tds) + "</tr>")
    return (
        f"<h3>{e(t('grid-title', lang))}</h3>"
        f'<table class="grid"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )


def _group_panel(name: str, results: list[Result], lang: str, anchor: str) -> str:
    counts = {s: sum(r.status == s for r in results) for s in STATUSES}
    summary = " · ".join(f"{t(s, lang)} {n}" for s, n in counts.items() if n)
    return (
        f'<section class="panel" id="{anchor}"><h2>{e(name)}</h2><p class="small">{e(summary)}</p>'
        f"<h3>{e(t('chart-title', lang))}</h3>{_chart(results, lang)}"
        f"{_grid(results, lang)}</section>"
    )


def _changes(report: Report, lang: str) -> str:
    changes = report.changes
    if changes is None:
        return ""
    out = [f"<h2>{e(t('since-last-audit', lang, as_of=changes.previous_as_of or '?'))}</h2>"]
    for key, items in (
        ("became-failing", changes.became_failing),
        ("became-passing", changes.became_passing),
    ):
        out.append(f"<h3>{e(counted(t(key, lang), len(items), lang))}</h3>")
        if items:
            before = {id(c.result): c.before for c in items}
            out.append(_results_table([c.result for c in items], lang, before))
        else:
            out.append(f"<p>{e(t('none', lang))}</p>")
    out.append(f"<h3>{e(counted(t('new-issues', lang), len(changes.new_issues), lang))}</h3>")
    if changes.new_issues:
        out.append(_issues_table(list(changes.new_issues), lang))
    else:
        out.append(f"<p>{e(t('none', lang))}</p>")
    out.append(f'<p class="small">{e(t("resolved-issues", lang, n=changes.resolved_issues))}</p>')
    return '<section class="panel" id="changes">' + "".join(out) + "</section>"


def render(report: Report, options: RenderOptions) -> str:
    lang = report.lang
    heading = title(report)
    failing = [r for r in report.results if r.status == "fail"]
    at_risk = [r for r in report.results if r.status == "at_risk"]
    groups: dict[str, list[Result]] = defaultdict(list)
    for r in report.results:
        groups[r.group or ""].append(r)
    body = [
        f"<h1>{e(heading)}</h1>",
        f'<p class="verdict {"bad" if report.failing() else "good"}">{e(verdict(report))}</p>',
        f'<p class="meta">{e(t("rows-line", lang, **report.row_totals))}</p>',
        _headline(report, lang),
        _legend(lang, shown_statuses(report)),
        _changes(report, lang),
        f'<section class="panel" id="failing"><h2>{e(counted(t("failing", lang), len(failing), lang))}</h2>',
        _results_table(failing, lang) if failing else f"<p>{e(t('none', lang))}</p>",
        "</section>",
        f'<section class="panel" id="at-risk"><h2>{e(counted(t("at-risk-list", lang), len(at_risk), lang))}</h2>',
        _results_table(at_risk, lang) if at_risk else f"<p>{e(t('none', lang))}</p>",
        "</section>",
    ]
    exempt = [r for r in report.results if r.status == "exempt"]
    if exempt:
        rows = "".join(
            f"<tr><td>{e(r.title)} <span class='clause'>{e(r.target)}</span></td>"
            f"<td>{e(r.subject or '—')}</td><td>{e(r.period_label or r.period)}</td>"
            f"<td>{e(r.reason)}</td></tr>"
            for r in exempt
        )
        head = "".join(
            f"<th>{e(t(k, lang))}</th>" for k in ("target", "subject", "period", "reason")
        )
        body.append(
            f'<section class="panel" id="exempt">'
            f"<h2>{e(counted(t('exempt-list', lang), len(exempt), lang))}</h2>"
            f"<table><thead><tr>{head}</tr></thead>"
            f"<tbody>{rows}</tbody></table></section>"
        )
    if report.results:
        body.append(f"<h2>{e(t('by-group', lang))}</h2>")
    named = [(name, results) for name, results in groups.items() if name]
    for n, (name, results) in enumerate(named, 1):
        body.append(_group_panel(name, results, lang, f"group-{n}"))
    if groups.get(""):
        body.append(_group_panel(t("district-wide", lang), groups[""], lang, "district"))
    body.append(
        f'<section class="panel" id="issues"><h2>{e(counted(t("row-issues", lang), len(report.issues), lang))}</h2>'
    )
    body.append(
        _issues_table(list(report.issues), lang)
        if report.issues
        else f"<p>{e(t('none', lang))}</p>"
    )
    body.append("</section>")
    body.append(f'<p class="small">{e(t("generated-by", lang, version=report.tool_version))}</p>')
    return page(heading, "\n".join(part for part in body if part), lang)
