"""``jituan audit``: the monthly audit, four reports written into one folder.

The logic (rendering, atomic writes, the month guard, the diff with a previous audit)
lives in :mod:`jituan.audit`; this module only parses the options and prints.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from jituan.errors import UsageError
from jituan.help_text import h
from jituan.i18n import detect_lang, t
from jituan.options import (
    AsOfOpt,
    ExemptionsOpt,
    GroupOpt,
    GroupsOpt,
    LangOpt,
    LedgersArg,
    StrictOpt,
    TargetsOpt,
    parse_as_of,
)


def audit_command(
    paths: LedgersArg,
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            help=h(
                "Folder for report.json/.md/.csv/.html (created if missing).",
                "report.json/.md/.csv/.html 的输出文件夹（不存在则创建）。",
            ),
        ),
    ],
    groups: GroupsOpt = None,
    targets: TargetsOpt = None,
    as_of: AsOfOpt = None,
    previous: Annotated[
        Path | None,
        typer.Option(
            "--previous",
            help=h(
                "A former audit's report.json: adds 'since last audit'.",
                "上次核查的 report.json：加上“与上次相比”。",
            ),
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help=h("Replace another month's reports in --out.", "覆盖 --out 中其他月份的报告。"),
        ),
    ] = False,
    group: GroupOpt = None,
    lang: LangOpt = None,
    strict: StrictOpt = False,
    exemptions: ExemptionsOpt = None,
    final: Annotated[
        bool,
        typer.Option(
            "--final",
            help=h(
                "The final acceptance report (总结验收): final.json/.md/.html of the programme.",
                "总结验收报告：整个实施期的 final.json/.md/.html。",
            ),
        ),
    ] = False,
    quality: Annotated[
        Path | None,
        typer.Option(
            "--quality",
            help=h(
                "With --final: a quality ledger (学校, 期间, 得分).",
                "与 --final 同用：质量评价台账（学校、期间、得分）。",
            ),
        ),
    ] = None,
) -> None:
    """Monthly audit: write report.json, .md, .csv and .html into --out (exit codes as check).

    With --final: the whole programme's acceptance report (final.json, .md, .html).
    """
    from jituan.audit import (
        FILES,
        FINAL_FILES,
        AuditError,
        check_folder,
        load_previous,
        write_audit,
    )
    from jituan.checker import run_check
    from jituan.config import load_config
    from jituan.exemptions import load_exemptions
    from jituan.report.common import verdict
    from jituan.sources import refuse_writing_inputs

    language = lang.value if lang else detect_lang()
    _check_final_options(quality, previous, final, language)
    day = parse_as_of(as_of, language)
    written_files = FINAL_FILES if final else FILES
    named = [*paths, *(p for p in (groups, targets, exemptions, quality) if p is not None)]
    refuse_writing_inputs([out / name for name in written_files], named, language)
    if final:
        _final(paths, out, groups, targets, day, group, language, strict, exemptions, quality)
    check_folder(out, day, force, language)  # before the work, so a refusal is quick
    former = load_previous(previous, language) if previous is not None else None
    if former is not None and former["as_of"] > day.isoformat():  # a script took the wrong one
        raise AuditError(
            t("previous-after", language, path=previous, previous=former["as_of"], as_of=day)
        )
    config = load_config(groups, targets, lang=language)
    exempt = load_exemptions(exemptions, config, language) if exemptions else None
    report = run_check(paths, config, day, language, (), group, strict, exemptions=exempt)
    report, written = write_audit(report, out, force, former)
    lines = [t("audit-wrote", language, path=path) for path in written]
    if report.changes is not None:
        c = report.changes
        lines.append(
            t(
                "changes-line",
                language,
                as_of=c.previous_as_of or "?",
                failing=len(c.became_failing),
                passing=len(c.became_passing),
                issues=len(c.new_issues),
            )
        )
    lines.append(verdict(report))
    sys.stdout.write("".join(line + "\n" for line in lines))
    sys.stdout.flush()
    raise typer.Exit(report.exit_code)


def _check_final_options(
    quality: Path | None, previous: Path | None, final: bool, language: str
) -> None:
    """Refuse ``--quality`` without ``--final`` and ``--previous`` with it: only the
    acceptance report reads the one and only the monthly audit the other, and a report
    that quietly dropped either would look as if it had been used."""
    if quality is not None and not final:
        raise UsageError(t("quality-needs-final", language))
    if previous is not None and final:
        raise UsageError(t("previous-not-final", language))


def _final(
    paths: list[Path],
    out: Path,
    groups: Path | None,
    targets: Path | None,
    day: dt.date,
    group: str | None,
    language: str,
    strict: bool,
    exemptions: Path | None,
    quality: Path | None,
) -> None:
    """``audit --final``: the acceptance report of the whole programme, then exit."""
    from jituan.audit import write_final
    from jituan.checker import resolve_group, run_check
    from jituan.config import load_config
    from jituan.exemptions import load_exemptions
    from jituan.final import build_final
    from jituan.quality import read_quality
    from jituan.report.common import issue_text, verdict, where
    from jituan.scores import build

    config = load_config(groups, targets, lang=language)
    exempt = load_exemptions(exemptions, config, language) if exemptions else None
    ledger = read_quality(quality, config, language) if quality is not None else None
    report = run_check(paths, config, day, language, (), group, strict, exemptions=exempt)
    sheet = build(
        report.results,
        ledger.scores if ledger else None,
        config,
        tool_version=report.tool_version,
        as_of=day,
        lang=language,
        issues=ledger.issues if ledger else (),
        quality_inputs=ledger.inputs if ledger else (),
    )
    only = resolve_group(config, group, language) if group else None
    # exit codes and verdict as check: a quality row with an error (or, with --strict, a
    # warning) is a rejected input row like a ledger's
    judged = replace(report, issues=(*report.issues, *sheet.issues))
    written = write_final(build_final(judged, sheet, config, only), out)
    lines = [f"{where(i)}: {issue_text(i, language)}" for i in sheet.issues]  # the quality's
    lines += [t("audit-wrote", language, path=path) for path in written]
    lines.append(verdict(judged))
    sys.stdout.write("".join(line + "\n" for line in lines))
    sys.stdout.flush()
    raise typer.Exit(judged.exit_code)
