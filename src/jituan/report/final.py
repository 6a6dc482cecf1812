"""The final acceptance report as JSON, Markdown and one self-contained HTML page.

The HTML page has no script and loads nothing (the same Content-Security-Policy as the
check report); the trend charts are inline SVG: one per group, a line per school and a
thick line for the group, compliance rate (0–100 %) against the semesters.
"""

from __future__ import annotations

import json

from jituan.final import FinalReport, Rotation, Trend
from jituan.i18n import t, translator
from jituan.report.common import (
    amount,
    fixed,
    issue_text,
    percent,
    two_decimals,
    verdict,
    where,
)
from jituan.report.scores import m as score_m
from jituan.report.scores import notes as score_notes
from jituan.report.scores import value as score_value

MESSAGES: dict[str, tuple[str, str]] = {
    "title": (
        "{district}集团化办学总结验收报告（{start} – {end}，核查日期 {as_of}）",
        "{district} group-schooling final acceptance report ({start} – {end}, as of {as_of})",
    ),
    "trend": ("各学期达标率", "Compliance rate semester by semester"),
    "trend-note": (
        "达标率 = 达标结果 ÷ 已评价的错误级结果（每学期的目标；“无法判定”“豁免”不计入）",
        "rate = passed ÷ evaluated error-level results of the semester targets (unknown and "
        "exempt left out)",
    ),
    "chart-note": ("粗线为集团合计", "the thick line is the group as a whole"),
    "never-met": ("从未达标的目标", "Targets never met"),
    "never-met-none": (
        "没有：每个目标都至少达标过一次",
        "none: every target was met at least once",
    ),
    "never-met-by": ("各对象从未达标的目标", "Targets a school or group never met"),
    "rural": ("农村学校：首末学期对比", "Rural schools: first and last semester"),
    "rotation": ("教师交流轮岗与专任教师数", "Teacher rotation against headcounts"),
    "bundled": ("整个实施期的捆绑考核得分", "Bundled scores over the programme"),
    "no-weight": (
        "未配置捆绑比例（bundling.weight 为 null）：不列出捆绑得分，见 jituan score",
        "no bundling weight configured (bundling.weight is null): no bundled scores; see "
        "jituan score",
    ),
    "first": ("首学期", "first semester"),
    "last": ("末学期", "last semester"),
    "change": ("变化", "change"),
    "rural-mean-change": (
        "农村学校达标率平均变化：{change}",
        "rural schools' mean change: {change}",
    ),
    "rate": ("达标率", "rate"),
    "quality": ("质量得分", "quality"),
    "teachers": ("专任教师", "teachers"),
    "sent": ("交流人数", "sent"),
    "share": ("比例", "share"),
    "total": ("合计", "total"),
    "evaluated": ("已评价", "evaluated"),
    "group-line": ("集团合计", "group"),
    "no-semesters": ("尚无已评价的学期", "no semester evaluated yet"),
    "targets": ("目标", "targets"),
    "kind": ("类别", "kind"),
    "pp": ("{value} 个百分点", "{value} pp"),
}


m = translator(MESSAGES)


def title(final: FinalReport) -> str:
    r = final.report
    return m(
        "title",
        r.lang,
        district=r.district,
        start=final.programme[0],
        end=final.programme[1],
        as_of=r.as_of.isoformat(),
    )


def pct(value: float | None) -> str:
    return "—" if value is None else percent(value)


def rotation_periods(r: Rotation, final: FinalReport) -> str:
    """A school's rotation period by period: sent (share, status), each share with the
    decimals it takes not to read as the minimum it misses."""
    lang, label = final.report.lang, final.labels.get
    # Chinese punctuation in Chinese: 2024-2025学年：7（5.4%，达标）
    form = "{}：{}（{}，{}）" if lang == "zh" else "{}: {} ({}, {})"
    return ("；" if lang == "zh" else "; ").join(
        form.format(
            label(p, p),
            s if s is not None else "?",
            amount(sh, "share_of_teachers", below=r.minimum),
            t(st, lang),
        )
        for p, s, sh, st in r.periods
    )


def pp(value: float | None, lang: str) -> str:
    """A change in percentage points: +5.9 个百分点, +5.9 pp."""
    if value is None:
        return "—"
    text = fixed(value * 100, 1)  # half up, as every figure; a sign always
    return m("pp", lang, value=text if text.startswith("-") else "+" + text)


def num(value: float | None) -> str:
    return "—" if value is None else two_decimals(value)


def render_json(final: FinalReport) -> str:
    return json.dumps(final.to_dict(), ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------- markdown


def render_markdown(final: FinalReport) -> str:
    from jituan.report.markdown import md, table

    lang = final.report.lang
    label = final.labels.get
    lines = [f"# {md(title(final))}", "", f"**{md(verdict(final.report))}**", ""]
    lines += [f"## {md(m('trend', lang))}", "", md(m("trend-note", lang)), ""]
    for group, trends in final.trends.items():
        lines += [f"### {md(group)}", ""]
        header = [t("subject", lang)] + [label(p, p) for p in final.semesters]
        rows = [
            [tr.subject + (" ★" if tr.rural else "")]
            + [
                f"{pct(r)} ({c[0]}/{c[1]})" if r is not None else "—"
                for r, c in zip(tr.rates, tr.counts, strict=True)
            ]
            for tr in trends
        ]
        lines += table(header, rows)
    lines += [f"## {md(m('never-met', lang))}", ""]
    if final.never_met:
        lines += table(
            [t("target", lang), t("clause", lang), m("evaluated", lang)],
            [[f"{tid} {ttl}", src, n] for tid, ttl, src, n in final.never_met],
        )
    else:
        lines += [md(m("never-met-none", lang)), ""]
    if final.never_met_by:
        lines += [f"## {md(m('never-met-by', lang))}", ""]
        lines += table(
            [t("subject", lang), m("targets", lang)],
            [[k, ", ".join(v)] for k, v in final.never_met_by.items()],
        )
    lines += [f"## {md(m('rural', lang))}", ""]
    lines += _table_or_none(lang,
        [t("school", lang), t("group", lang), m("first", lang), m("rate", lang), m("quality", lang),
         m("last", lang), m("rate", lang), m("quality", lang), m("change", lang)],
        [[r.school, r.group, label(r.first, r.first) if r.first else "—", pct(r.first_rate),
          num(r.first_quality), label(r.last, r.last) if r.last else "—", pct(r.last_rate),
          num(r.last_quality), pp(r.change, lang)] for r in final.rural],
    )  # fmt: skip
    if final.rural_mean_change is not None:
        mean = pp(final.rural_mean_change, lang)
        lines += [f"**{md(m('rural-mean-change', lang, change=mean))}**", ""]
    lines += [f"## {md(m('rotation', lang))}", ""]
    lines += _table_or_none(lang,
        [t("school", lang), t("group", lang), m("teachers", lang), t("period", lang),
         m("total", lang)],
        [[r.school, r.group, r.teachers if r.teachers else "—",
          rotation_periods(r, final),
          f"{r.total}/{r.teachers}" if r.teachers and r.total is not None else "—"]
         for r in final.rotation],
    )  # fmt: skip
    lines += _bundled_markdown(final)
    if final.sheet.issues:
        lines += [f"## {md(score_m('quality-issues', lang))}", ""]
        lines += table(
            [t("where", lang), t("code", lang), t("message", lang)],
            [[where(i), i.code, issue_text(i, lang)] for i in final.sheet.issues],
        )
    lines += [f"<sub>{md(t('generated-by', lang, version=final.report.tool_version))}</sub>"]
    return "\n".join(lines) + "\n"


def _table_or_none(lang: str, head: list[str], rows: list[list]) -> list[str]:
    """A Markdown table, or "none" where it would be a header without rows."""
    from jituan.report.markdown import table

    return table(head, rows) if rows else [t("none", lang), ""]


def _bundled_markdown(final: FinalReport) -> list[str]:
    from jituan.report.markdown import md, table

    lang = final.report.lang
    lines = [f"## {md(m('bundled', lang))}", ""]
    if not final.bundled:
        return lines + [md(m("no-weight", lang)), ""]
    lines += [md(score_notes(final.sheet)[0]), ""]
    header = [score_m("rank", lang), t("subject", lang), t("group", lang), m("kind", lang),
              score_m("own", lang), score_m("rural_mean", lang), score_m("bundled", lang)]  # fmt: skip
    rows = [
        [s.rank or "—", s.subject, s.group or "—", score_m(s.kind, lang), score_value(s, s.own),
         score_value(s, s.rural_mean), score_value(s, s.bundled)]
        for s in final.bundled
    ]  # fmt: skip
    return lines + table(header, rows)


# --------------------------------------------------------------------------- html

PALETTE = ("#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f", "#ad1457", "#5d4037",
           "#9e9d24", "#3949ab", "#c62828")  # fmt: skip


def trend_chart(
    trends: tuple[Trend, ...], semesters: list[str], labels: dict[str, str], lang: str
) -> str:
    """Compliance rate (0–100 %) per semester: a line per school, a thick one for the group."""
    from jituan.report.html import e

    width, height = 760, 250
    left, right, top, bottom = 48, 16, 12, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    n = len(semesters)

    inset = 70  # room for the first and last semester's label

    def x(i: int) -> float:
        span = plot_w - 2 * inset
        return left + inset + (span / 2 if n == 1 else i * span / (n - 1))

    def y(rate: float) -> float:
        return top + (1 - rate) * plot_h

    parts = []
    for tick in (0, 0.25, 0.5, 0.75, 1):
        parts.append(
            f'<line x1="{left}" y1="{y(tick):.1f}" x2="{width - right}" y2="{y(tick):.1f}" '
            f'stroke="#e0e3e7" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="#666">{int(tick * 100)}%</text>'
        )
    for i, p in enumerate(semesters):
        parts.append(
            f'<text x="{x(i):.1f}" y="{height - 12}" font-size="11" text-anchor="middle" '
            f'fill="#444">{e(labels.get(p, p))}</text>'
        )
    for k, tr in enumerate(trends):
        group = tr.scope == "group"
        colour = "#263238" if group else PALETTE[(k - 1) % len(PALETTE)]
        points = [(x(i), y(r)) for i, r in enumerate(tr.rates) if r is not None]
        tip = f"{tr.subject}: " + ", ".join(
            f"{labels.get(p, p)} {pct(r)}" for p, r in zip(semesters, tr.rates, strict=True)
        )
        stroke = 3.5 if group else 1.6
        dash = "" if not tr.rural else ' stroke-dasharray="5 3"'
        line = ""
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            line = (
                f'<polyline points="{path}" fill="none" stroke="{colour}" '
                f'stroke-width="{stroke}"{dash}/>'
            )
        dots = "".join(
            f'<circle cx="{px:.1f}" cy="{py:.1f}" r="{4 if group else 3}" fill="{colour}"/>'
            for px, py in points
        )
        parts.append(f'<g class="series"><title>{e(tip)}</title>{line}{dots}</g>')
    legend = "".join(
        f'<span><span class="chip" style="background:'
        f'{"#263238" if tr.scope == "group" else PALETTE[(k - 1) % len(PALETTE)]};color:#fff">'
        f"{'━' if tr.scope == 'group' else ('┅' if tr.rural else '─')}</span>"
        f"{e(m('group-line', lang) if tr.scope == 'group' else tr.subject)}</span>"
        for k, tr in enumerate(trends)
    )
    return (
        f'<svg class="trend" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{e(m("trend", lang))}" '
        f'font-family="inherit">{"".join(parts)}</svg><p class="legend small">{legend}</p>'
    )


def _html_table(head: list[str], rows: list[list[str]], numeric: set[int] = frozenset()) -> str:
    from jituan.report.html import e

    if not rows:  # a header over nothing: a dash says there is nothing to show
        return '<p class="small">—</p>'
    th = "".join(f"<th>{e(h)}</th>" for h in head)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td class='num'>{e(c)}</td>" if i in numeric else f"<td>{e(c)}</td>"
            for i, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def render_html(final: FinalReport) -> str:
    from jituan.report.html import e, page

    report = final.report
    lang = report.lang
    label = final.labels.get
    semesters = list(final.semesters)
    counts = report.status_counts
    mean_change = final.rural_mean_change
    cards = [
        (t("pass", lang), counts["pass"]),
        (t("fail", lang), counts["fail"]),
        (m("never-met", lang), len(final.never_met)),
        (m("rural", lang) + " · " + m("change", lang), pp(mean_change, lang)),
    ]
    body = [
        f"<h1>{e(title(final))}</h1>",
        f'<p class="verdict {"bad" if report.failing() else "good"}">{e(verdict(report))}</p>',
        '<div class="cards">'
        + "".join(
            f'<div class="card"><div class="n">{e(n)}</div><div class="l">{e(lbl)}</div></div>'
            for lbl, n in cards
        )
        + "</div>",
        f'<section class="panel" id="trend"><h2>{e(m("trend", lang))}</h2>'
        f'<p class="small">{e(m("trend-note", lang))}{"；" if lang == "zh" else "; "}'
        f"{e(m('chart-note', lang))}</p>",
    ]
    for n, (group, trends) in enumerate(final.trends.items(), 1):
        body.append(f'<h3 id="trend-{n}">{e(group)}</h3>')
        if not semesters:
            body.append(f"<p>{e(m('no-semesters', lang))}</p>")
            continue
        body.append(trend_chart(trends, semesters, final.labels, lang))
        rows = [
            [tr.subject + (" ★" if tr.rural else "")]
            + [
                f"{pct(r)} ({c[0]}/{c[1]})" if r is not None else "—"
                for r, c in zip(tr.rates, tr.counts, strict=True)
            ]
            for tr in trends
        ]
        numeric = set(range(1, len(semesters) + 1))
        head = [t("subject", lang)] + [label(p, p) for p in semesters]
        body.append(_html_table(head, rows, numeric))
    body.append("</section>")

    body.append(f'<section class="panel" id="never-met"><h2>{e(m("never-met", lang))}</h2>')
    if final.never_met:
        body.append(
            _html_table(
                [t("target", lang), t("clause", lang), m("evaluated", lang)],
                [[f"{tid} {ttl}", src, str(k)] for tid, ttl, src, k in final.never_met],
                {2},
            )
        )
    else:
        body.append(f"<p>{e(m('never-met-none', lang))}</p>")
    if final.never_met_by:
        body.append(f"<h3>{e(m('never-met-by', lang))}</h3>")
        body.append(
            _html_table(
                [t("subject", lang), m("targets", lang)],
                [[k, ", ".join(v)] for k, v in final.never_met_by.items()],
            )
        )
    body.append("</section>")

    body.append(f'<section class="panel" id="rural"><h2>{e(m("rural", lang))}</h2>')
    body.append(
        _html_table(
            [
                t("school", lang),
                t("group", lang),
                m("first", lang),
                m("rate", lang),
                m("quality", lang),
                m("last", lang),
                m("rate", lang),
                m("quality", lang),
                m("change", lang),
            ],
            [
                [
                    r.school,
                    r.group,
                    label(r.first, r.first) if r.first else "—",
                    pct(r.first_rate),
                    num(r.first_quality),
                    label(r.last, r.last) if r.last else "—",
                    pct(r.last_rate),
                    num(r.last_quality),
                    pp(r.change, lang),
                ]
                for r in final.rural
            ],
            {3, 4, 6, 7, 8},
        )  # fmt: skip
    )
    body.append("</section>")

    body.append(f'<section class="panel" id="rotation"><h2>{e(m("rotation", lang))}</h2>')
    body.append(
        _html_table(
            [
                t("school", lang),
                t("group", lang),
                m("teachers", lang),
                t("period", lang),
                m("total", lang),
            ],
            [
                [
                    r.school,
                    r.group,
                    str(r.teachers or "—"),
                    rotation_periods(r, final),
                    f"{r.total}/{r.teachers}" if r.teachers and r.total is not None else "—",
                ]
                for r in final.rotation
            ],
            {2, 4},
        )  # fmt: skip
    )
    body.append("</section>")

    body.append(f'<section class="panel" id="bundled"><h2>{e(m("bundled", lang))}</h2>')
    if final.bundled:
        body.append(f'<p class="small">{e(score_notes(final.sheet)[0])}</p>')
        body.append(
            _html_table(
                [
                    score_m("rank", lang),
                    t("subject", lang),
                    t("group", lang),
                    m("kind", lang),
                    score_m("own", lang),
                    score_m("rural_mean", lang),
                    score_m("bundled", lang),
                ],
                [
                    [
                        str(s.rank or "—"),
                        s.subject,
                        s.group or "—",
                        score_m(s.kind, lang),
                        score_value(s, s.own),
                        score_value(s, s.rural_mean),
                        score_value(s, s.bundled),
                    ]
                    for s in final.bundled
                ],
                {0, 4, 5, 6},
            )  # fmt: skip
        )
    else:
        body.append(f"<p>{e(m('no-weight', lang))}</p>")
    body.append("</section>")
    if final.sheet.issues:
        body.append(
            f'<section class="panel" id="issues"><h2>{e(score_m("quality-issues", lang))}</h2>'
            + _html_table(
                [t("where", lang), t("code", lang), t("message", lang)],
                [[where(i), i.code, issue_text(i, lang)] for i in final.sheet.issues],
            )
            + "</section>"
        )
    body.append(f'<p class="small">{e(t("generated-by", lang, version=report.tool_version))}</p>')
    heading = title(final)
    return page(heading, "\n".join(body), lang)
