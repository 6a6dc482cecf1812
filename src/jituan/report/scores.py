"""The formats of ``jituan score``: table, json, csv and html over one ScoreSheet.

Each renderer only formats: the figures come from :mod:`jituan.scores`. Every format
states the formula, whether a weight is configured, what a compliance rate counts and
which groups have no rural member.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Callable

from jituan.i18n import t, translator
from jituan.scores import KINDS, Score, ScoreSheet

MESSAGES: dict[str, tuple[str, str]] = {
    "title": (
        "{district}集团化办学考核得分与捆绑考核（核查日期 {as_of}）",
        "{district} scores and bundled evaluation (as of {as_of})",
    ),
    "formula": (
        "捆绑得分 = (1 − {w}) × 本校得分 + {w} × 本集团农村成员校平均分（接受方：{into}；"
        "计入方：农村成员校；其余学校与集团的捆绑得分等于本身得分）",
        "bundled = (1 − {w}) × own + {w} × the group's rural mean (received by: {into}; "
        "from: the rural members; every other school and the groups: bundled = own)",
    ),
    "no-weight": (
        "未配置捆绑比例：targets.yaml 中 bundling.weight 为 null（四（六）2 只规定“按一定比例”，"
        "未给出数值），因此所有捆绑得分等于本校得分。公式：捆绑得分 = (1 − 比例) × 本校得分 + "
        "比例 × 本集团农村成员校平均分",
        "No bundling weight is configured: bundling.weight is null in targets.yaml (四（六）2 "
        "says 按一定比例 and gives no number), so every bundled score equals the school's own. "
        "Formula: bundled = (1 − weight) × own + weight × the group's rural mean",
    ),
    "no-rural": (
        "没有农村成员校的集团：{groups}（农村平均分为空，捆绑得分等于本校得分）",
        "groups with no rural member: {groups} (no rural mean; bundled = own)",
    ),
    "compliance-def": (
        "达标率 = 达标结果 ÷ 已评价的错误级目标结果（学校：本校的结果；集团：集团自身与成员校的"
        "结果）；“无法判定”和“豁免”的结果不计入；进行中期间的“有风险”“进行中”计为已评价、未达标；"
        "program 为整个实施期合计",
        "compliance rate = passed ÷ evaluated results of error-level targets (a school: its own; "
        "a group: its own duties and its schools'); unknown and exempt results are left out; "
        "at-risk and on-track results of running periods count as evaluated, not passed; "
        "program pools the whole programme",
    ),
    "quality-def": (
        "质量得分来自 --quality 台账；集团为成员校平均分；program 为各期间得分的平均",
        "quality scores come from the --quality ledger; a group's is its schools' mean; "
        "program is the mean of a school's period scores",
    ),
    "no-quality": (
        "未提供质量评价台账（--quality）：只计算达标率",
        "no quality ledger given (--quality): compliance rates only",
    ),
    "rank-def": (
        "名次：全区内按类别、期间与对象类型（学校/集团）以捆绑得分从高到低排列，并列同名次（1、2、2、4）",
        "rank: within the district per kind, period and scope (schools, groups), by the "
        "bundled score, highest first; ties share a rank (1, 2, 2, 4)",
    ),
    "compliance": ("达标率", "Compliance rate"),
    "quality": ("质量评价得分", "Quality score"),
    "rank": ("名次", "rank"),
    "own": ("本校得分", "own"),
    "rural_mean": ("农村平均", "rural mean"),
    "bundled": ("捆绑得分", "bundled"),
    "whole-group": ("（集团合计）", "(group total)"),
    "lead": ("牵头学校", "the lead school"),
    "urban": ("城区成员校", "the urban members"),
    "nobody": ("无（into 为空）", "nobody (into is empty)"),
    "receives": ("接受捆绑", "receives"),
    "quality-issues": (
        "问题（活动台账、质量评价台账、豁免）",
        "Issues (activity ledgers, quality ledger, exemptions)",
    ),
    "ledger-issues": (
        "活动台账：计入 {accepted} 行，未计入 {rejected} 行；行问题 {n} 处（其中错误 {errors} 处），"
        "未计入的行不计入得分，详见 jituan check",
        "activity ledgers: {accepted} rows accepted, {rejected} rejected; {n} row issue(s) "
        "({errors} error(s)); rejected rows count toward no score: see jituan check",
    ),
}


m = translator(MESSAGES)


def notes(sheet: ScoreSheet) -> list[str]:
    """The sentences every format shows: formula or no weight, definitions, gaps."""
    lang = sheet.lang
    sep = "、" if lang == "zh" else ", "
    out = []
    if sheet.weight is None:
        out.append(m("no-weight", lang))
    else:
        into = sep.join(m(i, lang) for i in sheet.into) or m("nobody", lang)
        out.append(m("formula", lang, w=f"{sheet.weight:g}", into=into))
    if sheet.no_rural:
        out.append(m("no-rural", lang, groups=sep.join(sheet.no_rural)))
    out.append(m("compliance-def", lang))
    out.append(m("quality-def", lang) if sheet.quality_given else m("no-quality", lang))
    out.append(m("rank-def", lang))
    rejected = sum(i.rejected for i in sheet.inputs)
    if rejected or sheet.ledger_issues:
        errors = sum(1 for i in sheet.ledger_issues if i.severity == "error")
        accepted = sum(i.accepted for i in sheet.inputs)
        out.append(
            m(
                "ledger-issues",
                lang,
                accepted=accepted,
                rejected=rejected,
                n=len(sheet.ledger_issues),
                errors=errors,
            )
        )
    return out


def value(score: Score, which: float | None) -> str:
    """A score as people read it: a percentage for compliance, two decimals for quality."""
    if which is None:
        return "—"
    from jituan.report.common import percent, two_decimals

    if score.kind == "compliance":
        return percent(which)
    return two_decimals(which)


def own_text(score: Score) -> str:
    text = value(score, score.own)
    if score.kind == "compliance" and score.evaluated is not None:
        text += f" ({score.passed}/{score.evaluated})"
    return text


def sections(sheet: ScoreSheet) -> list[tuple[str, str, list[Score]]]:
    """(kind, period, scores) in report order: kind, then period, schools then groups."""
    grouped: dict[tuple[str, str], list[Score]] = defaultdict(list)
    for s in sheet.scores:
        grouped[(s.kind, s.period)].append(s)
    out = []
    for kind in KINDS:
        periods = [p for (k, p) in grouped if k == kind]
        for period in periods:
            rows = grouped[(kind, period)]
            rows.sort(key=lambda s: (s.scope != "school", s.rank is None, s.rank or 0))
            out.append((kind, period, rows))
    return out


def heading(sheet: ScoreSheet, kind: str, period: str) -> str:
    """Kind and period, with the period's id beside its name (the JSON's key) where the
    name does not show it: 达标率 · 2024-2025学年第一学期（2024-2025-1）, 整个实施期."""
    from jituan.report.common import counted

    label = sheet.periods.get(period, period)
    title = f"{m(kind, sheet.lang)} · {label}"
    return title if period in label or period == "program" else counted(title, period, sheet.lang)


def columns(lang: str) -> list[str]:
    return [
        m("rank", lang),
        t("subject", lang),
        t("group", lang),
        m("own", lang),
        m("rural_mean", lang),
        m("bundled", lang),
    ]


def cells(score: Score, lang: str) -> list[str]:
    bundled = value(score, score.bundled) + (" *" if score.receives else "")
    return [
        str(score.rank) if score.rank is not None else "—",
        score.subject,
        (score.group or "—") if score.scope == "school" else m("whole-group", lang),
        own_text(score),
        value(score, score.rural_mean),
        bundled,
    ]


# --------------------------------------------------------------------------- formats


def render_json(sheet: ScoreSheet) -> str:
    data = sheet.to_dict()
    data["notes"] = notes(sheet)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


CSV_COLUMNS = (
    "kind",
    "subject",
    "scope",
    "group",
    "period",
    "own",
    "rural_mean",
    "bundled",
    "rank",
)


def render_csv(sheet: ScoreSheet) -> str:
    from jituan.report.csv_format import BOM, neutralise

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for s in sheet.scores:
        row = s.to_dict()
        writer.writerow([neutralise(row[c]) for c in CSV_COLUMNS])
    return BOM + out.getvalue()


def render_table(sheet: ScoreSheet, width: int = 100, color: bool = False) -> str:
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    lang = sheet.lang
    buf = io.StringIO()
    console = Console(
        file=buf,
        width=width,
        force_terminal=color,
        no_color=not color,
        highlight=False,
        emoji=False,
    )
    console.print(
        Text(m("title", lang, district=sheet.district, as_of=sheet.as_of.isoformat()), style="bold")
    )
    for note in notes(sheet):
        console.print(Text("· " + note))
    for kind, period, rows in sections(sheet):
        table = Table(
            title=heading(sheet, kind, period),
            box=box.SIMPLE_HEAD,
            title_justify="left",
            pad_edge=False,
        )
        for i, name in enumerate(columns(lang)):
            if i in (0, 3, 4, 5):
                table.add_column(name, justify="right", no_wrap=True)
            else:
                table.add_column(name, overflow="fold")
        for n, s in enumerate(rows):
            if s.scope == "group" and n and rows[n - 1].scope == "school":
                table.add_section()
            table.add_row(*(Text(c) for c in cells(s, lang)))
        console.print(table)
    if sheet.issues:
        table = Table(title=m("quality-issues", lang), box=box.SIMPLE_HEAD, title_justify="left")
        table.add_column(t("where", lang), overflow="fold")
        table.add_column(t("code", lang), no_wrap=True)
        table.add_column(t("message", lang), overflow="fold")
        from jituan.report.common import where

        for issue in sheet.issues:
            table.add_row(Text(where(issue)), Text(issue.code), Text(issue.message))
        console.print(table)
    return buf.getvalue()


def render_html(sheet: ScoreSheet) -> str:
    from jituan.report.common import issue_text, where
    from jituan.report.html import CSS, e

    lang = sheet.lang
    title = m("title", lang, district=sheet.district, as_of=sheet.as_of.isoformat())
    body = [f"<h1>{e(title)}</h1>"]
    body.append(
        '<section class="panel" id="notes"><ul>'
        + "".join(f"<li>{e(n)}</li>" for n in notes(sheet))
        + "</ul></section>"
    )
    head = "".join(f"<th>{e(c)}</th>" for c in columns(lang))
    for kind, period, rows in sections(sheet):
        trs = []
        for s in rows:
            tds = cells(s, lang)
            trs.append(
                "<tr>"
                + "".join(
                    f"<td class='num'>{e(c)}</td>" if i in (0, 3, 4, 5) else f"<td>{e(c)}</td>"
                    for i, c in enumerate(tds)
                )
                + "</tr>"
            )
        body.append(
            f'<section class="panel" id="{e(kind)}-{e(period)}"><h2>{e(heading(sheet, kind, period))}</h2>'
            f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(trs)}</tbody></table></section>"
        )
    if sheet.issues:
        rows = "".join(
            f"<tr><td>{e(where(i))}</td><td>{e(i.code)}</td><td>{e(issue_text(i, lang))}</td></tr>"
            for i in sheet.issues
        )
        body.append(
            f'<section class="panel" id="issues"><h2>{e(m("quality-issues", lang))}</h2>'
            f"<table><tbody>{rows}</tbody></table></section>"
        )
    body.append(f'<p class="small">{e(t("generated-by", lang, version=sheet.tool_version))}</p>')
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}">\n<head>\n<meta charset="utf-8">\n'
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n"
        f"<title>{e(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
        + "\n".join(body)
        + "\n</main>\n</body>\n</html>\n"
    )


#: format name → renderer (width, colour for the terminal only)
FORMATS: dict[str, Callable[..., str]] = {
    "table": render_table,
    "json": render_json,
    "csv": render_csv,
    "html": render_html,
}
