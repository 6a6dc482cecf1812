"""The terminal text of ``jituan explain``: the target in words, then the records.

Split out of :mod:`jituan.explain`, which decides what counted toward a result and why;
this module only puts that into words and tables (rich, imported when rendering), like
:mod:`jituan.report.scores` does for :mod:`jituan.scores`.
"""

from __future__ import annotations

import io
from pathlib import PurePath
from typing import TYPE_CHECKING

from jituan.config import Config, Target
from jituan.explain import Explanation, RowStory, _join, _whom
from jituan.i18n import translator
from jituan.report.common import amount, where

if TYPE_CHECKING:
    from rich.console import Console

# message id → (Chinese, English)
MESSAGES: dict[str, tuple[str, str]] = {
    "clause": ("条款", "clause"),
    "severity": ("级别", "severity"),
    "what": ("计入什么", "what counts"),
    "whom": ("评价谁", "for whom"),
    "measure": ("如何计量", "measured as"),
    "required": ("要求", "required"),
    "sev-error": (
        "错误：未达标则核查不通过（退出码 1）",
        "error: a failure fails the run (exit 1)",
    ),
    "sev-warning": (
        "警告：未达标只在 --strict 时使核查不通过",
        "warning: a failure fails the run only with --strict",
    ),
    "records-of": ("活动类型为 {names} 的记录", "records of {names}"),
    "roles": ("，且身份为 {roles} 之一", ", made by a person whose role (身份) is {roles}"),
    "rural-only": ("，且仅限农村学校（rural）", ", at rural schools only"),
    "within-group": (
        "，且派出学校与活动学校属于同一集团",
        ", where the sending school (派出学校) and the school are in the same group",
    ),
    "visitors-from-group": (
        "，且派出学校（填写时）须为本集团的另一所学校（本校教师不算到校）",
        ", where the sending school (派出学校), when given, is another school of the "
        "school's group (its own teachers are no visit)",
    ),
    "by-from": (
        "；每条记录计入派出学校（派出学校列），而非活动学校",
        "; each record counts for the sending school (派出学校 column), not where it took place",
    ),
    "by-school": ("；每条记录计入学校列中的学校", "; each record counts for the school in 学校"),
    "n-school": ("；当前配置中共 {n} 所", "; {n} in this configuration"),
    "n-group": ("；当前配置中共 {n} 个集团", "; {n} in this configuration"),
    "m-count": ("记录条数", "the number of records"),
    "m-sum": ("数量（节数）列之和", "the sum of the count column (数量/节数)"),
    "m-distinct": ("不同人员（姓名）的人数", "the number of distinct persons (姓名)"),
    "m-share": (
        "不同人员（姓名）人数 ÷ 该校专任教师数（teachers）",
        "distinct persons (姓名) ÷ the school's full-time teachers (teachers)",
    ),
    "p-semester": (
        "每学期（第一学期自 {first} 起，第二学期自 {second} 起）",
        "per semester (the first from {first}, the second from {second})",
    ),
    "p-school_year": ("每学年（自 {first} 起）", "per school year (from {first})"),
    "p-year": ("每个自然年", "per calendar year"),
    "p-program": ("整个实施期（{start} 至 {end}）", "over the whole programme ({start} – {end})"),
    "deadline": ("，截止 {deadline}", ", by {deadline}"),
    "at-least": ("至少 {min}，{period}", "at least {min} {period}"),
    "subject-line": ("对象：{subject}　期间：{period}", "subject: {subject}   period: {period}"),
    "any-subject": ("（全部对象）", "(every subject)"),
    "any-period": ("（全部已评价期间）", "(every evaluated period)"),
    "result-line": (
        "结果：{actual} / {required}，{status}{reason}",
        "result: {actual} of {required}, {status}{reason}",
    ),
    "not-evaluated": (
        "注意：{subject} 不是本目标的评价对象（{whom}）",
        "note: {subject} is not a subject of this target ({whom})",
    ),
    "counted": ("计入（{n}）", "Counted ({n})"),
    "left-out": ("未计入（{n}）", "Left out ({n})"),
    "none": ("（无）", "(none)"),
    "row": ("行", "row"),
    "date": ("日期", "date"),
    "record": ("记录", "record"),
    "why": ("原因", "why"),
    "for": ("计入", "counts for"),
    "adds": ("增加", "adds"),
    "other-subjects": (
        "另有 {n} 条同类活动记录属于其他对象，未列出",
        "{n} more record(s) of these activities are about other subjects and are not shown",
    ),
    "misnamed": (
        "其中 {n} 行的学校名疑似写错（最接近的是本对象的学校），未被接受：请核对改正，"
        "改正后若属本目标的活动与期间即可计入",
        "of them, {n} row(s) name a school that is likely this subject's, misspelt, and "
        "were not accepted: check and correct them; they count once corrected if their "
        "activity and period are this target's",
    ),
    "rejected": (
        "另有 {n} 行在读取时未被接受（台账问题），不在上表中；用 jituan check 查看",
        "{n} more row(s) were not accepted when reading (row issues) and are not above; "
        "see jituan check",
    ),
    "inputs-skipped": ("未读取的输入（{n}）", "Inputs skipped ({n})"),
    "inputs-not-read": (
        "{n} 个输入无法读取，以上记录与结果均不含其中的内容；请修正后重新运行（退出码 2）",
        "{n} input(s) could not be read: the records and results above leave them out; "
        "fix them and run again (exit 2)",
    ),
}


m = translator(MESSAGES)


# --------------------------------------------------------------------------- in words


def describe(target: Target, config: Config, lang: str) -> list[tuple[str, str]]:
    """The target in words: (label, text) lines."""
    from jituan.engine import subjects_for

    names = [
        f"{config.activities[a].name} ({a})" if a in config.activities else a
        for a in target.activities
    ]
    what = m("records-of", lang, names=_join(names, lang))
    if target.roles:
        what += m("roles", lang, roles=_join(target.roles, lang))
    if target.rural_only:
        what += m("rural-only", lang)
    if target.within_group:
        what += m("within-group", lang)
    if target.visitors_from_group:
        what += m("visitors-from-group", lang)
    if target.scope in ("group", "school"):
        what += m("by-from" if target.by == "from_school" else "by-school", lang)
    whom = _whom(target, config, lang)
    if target.scope in ("group", "school"):
        whom += m(f"n-{target.scope}", lang, n=len(subjects_for(target, config, None)))
    cal = config.calendar
    period = m(
        f"p-{target.period}",
        lang,
        first=cal.first_semester_starts,
        second=cal.second_semester_starts,
        start=cal.start,
        end=cal.end,
    )
    if target.deadline:
        period += m("deadline", lang, deadline=target.deadline)
    measure = {
        "count": "m-count",
        "sum": "m-sum",
        "distinct_persons": "m-distinct",
        "share_of_teachers": "m-share",
    }[target.metric]
    return [
        (m("clause", lang), target.source),
        (m("what", lang), what),
        (m("whom", lang), whom),
        (m("measure", lang), m(measure, lang)),
        (
            m("required", lang),
            m("at-least", lang, min=amount(target.min, target.metric), period=period),
        ),
        (m("severity", lang), m(f"sev-{target.severity}", lang)),
    ]


# --------------------------------------------------------------------------- rendering


def render(
    target: Target,
    config: Config,
    lang: str,
    explanation: Explanation | None = None,
    width: int = 100,
    color: bool = False,
) -> str:
    """The explanation as text for a terminal."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from jituan.i18n import t

    buf = io.StringIO()
    console = Console(
        file=buf, width=width, color_system="standard" if color else None, highlight=False
    )
    console.print(Text(f"{target.id} · {target.title}", style="bold"))
    lines = Table.grid(padding=(0, 2))
    lines.add_column(style="dim", no_wrap=True)
    lines.add_column(overflow="fold")  # Chinese has no spaces to wrap at: fold, never cut
    for label, text in describe(target, config, lang):
        lines.add_row(Text(label), Text(text))  # Text: a [ in a name is no rich markup
    console.print(lines)
    if explanation is None:
        return buf.getvalue()

    e = explanation
    console.print()
    console.print(
        Text(
            m(
                "subject-line",
                lang,
                subject=e.subject or m("any-subject", lang),
                period=e.period_label or m("any-period", lang),
            ),
            style="bold",
        )
    )
    if e.not_a_subject:
        console.print(
            Text(
                m("not-evaluated", lang, subject=e.subject, whom=_whom(target, config, lang)),
                style="yellow",
            )
        )
    if e.subject is not None and e.period is not None:
        for r in e.results:
            reason = f" ({r.reason})" if r.reason else ""
            console.print(
                Text(
                    m(
                        "result-line",
                        lang,
                        actual=amount(r.actual, target.metric, below=r.required),
                        required=amount(r.required, target.metric),
                        status=t(r.status, lang),
                        reason=reason,
                    )
                )
            )

    def table(title: str, rows: list[RowStory], last: str) -> Table:
        tb = Table(
            title=title, box=box.SIMPLE_HEAD, title_justify="left", show_lines=False, expand=True
        )
        tb.add_column(m("row", lang), no_wrap=True)
        tb.add_column(m("date", lang), no_wrap=True)
        tb.add_column(m("record", lang), ratio=3, overflow="fold")
        tb.add_column(last, ratio=2, overflow="fold")
        files = {r.file for r in rows}
        # a file's name alone when it tells the files apart (s1/台账.csv and s2/台账.csv:
        # the paths as given)
        short = len({PurePath(f).name for f in files}) == len(files)
        for r in rows:
            record = f"{r.activity} · {r.school}"
            if r.from_school:
                record += f" ← {r.from_school}"
            if r.person or r.role:
                record += f" · {r.person}{f' ({r.role})' if r.role else ''}"
            if r.count != 1:
                record += f" ×{r.count}"
            place = r.short_where if short else r.where
            # Text, not str: submitted names are no rich markup ([/] would stop the run)
            tb.add_row(Text(place), Text(r.date), Text(record), Text(r.reason))
        if not rows:
            tb.add_row("", "", Text(m("none", lang)), "")
        return tb

    both = e.subject is not None and e.period is not None
    console.print(
        table(m("counted", lang, n=len(e.counted)), e.counted, m("adds" if both else "for", lang))
    )
    console.print(table(m("left-out", lang, n=len(e.left_out)), e.left_out, m("why", lang)))
    if e.other_subjects:
        console.print(Text(m("other-subjects", lang, n=e.other_subjects), style="dim"))
    if e.rejected_rows:
        console.print(Text(m("rejected", lang, n=e.rejected_rows), style="dim"))
    if e.misnamed:
        console.print(Text(m("misnamed", lang, n=len(e.misnamed)), style="bold yellow"))
        for issue in e.misnamed:
            line = Text("  ")
            line.append(where(issue), style="bold")
            line.append(f"  {issue.value} → {issue.suggestion}")
            console.print(line, soft_wrap=True)
    _print_input_problems(console, e, lang)
    return buf.getvalue()


def _print_input_problems(console: Console, e: Explanation, lang: str) -> None:
    """The inputs that were skipped, last, so that a reader who trusts the tables above
    sees which ledgers they leave out (``check`` lists the same file-level issues).

    Lines are never wrapped, so a file's path stays whole and can be searched for.
    """
    from rich.text import Text

    from jituan.i18n import t

    if not e.input_problems:
        return
    console.print()
    console.print(Text(m("inputs-skipped", lang, n=len(e.input_problems)), style="bold"))
    for issue in e.input_problems:
        style = "bold red" if issue.severity == "error" else "yellow"
        line = Text("  ")
        line.append(where(issue), style="bold")
        line.append(f"  {t(issue.severity, lang)} {issue.code}", style=style)
        line.append(f"  {issue.message}")
        console.print(line, soft_wrap=True)
    if e.input_errors:
        text = m("inputs-not-read", lang, n=len(e.input_errors))
        console.print(Text(text, style="bold red"), soft_wrap=True)
