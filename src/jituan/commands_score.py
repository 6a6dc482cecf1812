"""``jituan score``: compliance and quality scores, bundled (捆绑考核) and ranked.

The statistics live in :mod:`jituan.scores`, the formats in :mod:`jituan.report.scores`;
this module parses the options, runs the check and prints. Exit 0, or 2 when it cannot
run (a bad option, configuration, exemptions or quality file, an unreadable ledger).
"""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Annotated

import typer

from jituan.help_text import h
from jituan.i18n import detect_lang
from jituan.options import (
    AsOfOpt,
    ExemptionsOpt,
    GroupsOpt,
    LangOpt,
    LedgersArg,
    OutputOpt,
    TargetsOpt,
    parse_as_of,
    to_stdout,
    write_output,
)


class ScoreFormat(str, enum.Enum):
    table = "table"
    json = "json"
    csv = "csv"
    html = "html"


def score_command(
    paths: LedgersArg,
    quality: Annotated[
        Path | None,
        typer.Option(
            "--quality",
            help=h(
                "Quality-evaluation ledger: 学校, 期间, 得分 (CSV, Excel).",
                "质量评价台账：学校、期间、得分（CSV、Excel）。",
            ),
        ),
    ] = None,
    exemptions: ExemptionsOpt = None,
    groups: GroupsOpt = None,
    targets: TargetsOpt = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = None,
    fmt: Annotated[
        ScoreFormat, typer.Option("--format", help=h("Output format.", "输出格式。"))
    ] = ScoreFormat.table,
    output: OutputOpt = None,
) -> None:
    """Compliance and quality scores per school and group, bundled (捆绑考核) and ranked."""
    from rich.console import Console

    from jituan.checker import run_check
    from jituan.config import load_config
    from jituan.exemptions import load_exemptions
    from jituan.quality import read_quality
    from jituan.report.scores import FORMATS
    from jituan.scores import build
    from jituan.sources import refuse_writing_inputs

    language = lang.value if lang else detect_lang()
    day = parse_as_of(as_of, language)
    config = load_config(groups, targets, lang=language)
    exempt = load_exemptions(exemptions, config, language) if exemptions else None
    if not to_stdout(output):  # nor the quality ledger: it is an input too
        named = [*paths, *(p for p in (quality, groups, targets, exemptions) if p is not None)]
        refuse_writing_inputs([output], named, language)  # type: ignore[list-item]
    ledger = read_quality(quality, config, language) if quality is not None else None
    report = run_check(paths, config, day, language, exemptions=exempt)
    exemption_file = exempt.source.name if exempt else None
    # the exemptions' warnings and the inputs not read are said with the quality's; the
    # ledgers' row issues apart
    side, ledger_issues = [], []
    for issue in report.issues:
        apart = issue.file == exemption_file or issue in report.input_errors
        (side if apart else ledger_issues).append(issue)
    sheet = build(
        report.results,
        ledger.scores if ledger else None,
        config,
        tool_version=report.tool_version,
        as_of=day,
        lang=language,
        issues=[*(ledger.issues if ledger else []), *side],
        ledger_issues=ledger_issues,
        inputs=report.inputs,
        quality_inputs=ledger.inputs if ledger else (),
    )
    render = FORMATS[fmt.value]
    if fmt is ScoreFormat.table:
        to_terminal = to_stdout(output) and sys.stdout.isatty()
        text = render(sheet, width=Console().width, color=to_terminal)
    else:
        text = render(sheet)
    write_output(text, output)
    if fmt is ScoreFormat.csv:  # a CSV has no place for sentences: they go to stderr
        from jituan.report.common import issue_text, where
        from jituan.report.scores import notes

        lines = [*notes(sheet), *(f"{where(i)}: {issue_text(i, language)}" for i in sheet.issues)]
        sys.stderr.write("".join(f"{line}\n" for line in lines))
    raise typer.Exit(2 if report.input_errors else 0)
