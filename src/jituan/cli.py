"""The command line: the only module that prints and exits.

``main(argv) -> int`` runs a command and returns its exit code, so tests call it
directly; ``run()`` is the console-script entry point. Heavy libraries (pandas) are
imported inside the commands that need them, so ``--help`` and ``--version`` start fast.
"""

from __future__ import annotations

import enum
import os
import sys
from typing import Annotated

import typer

from jituan import __version__
from jituan.commands_audit import audit_command
from jituan.commands_authoring import register as register_authoring
from jituan.commands_score import score_command
from jituan.errors import JituanError
from jituan.help_text import h, localise_panels
from jituan.i18n import detect_lang, t
from jituan.options import (
    AsOfOpt,
    ExemptionsOpt,
    GroupOpt,
    GroupsOpt,
    LangOpt,
    LedgersArg,
    OutputOpt,
    StrictOpt,
    TargetsOpt,
    command_lang,
    parse_as_of,
    set_command_line,
    to_stdout,
    write_output,
)
from jituan.report import REPORTERS

localise_panels()  # typer's panel titles in the help's language

app = typer.Typer(
    name="jituan",
    help=h(
        "jituan (集团): check education-group ledgers (台账) against the group-schooling policy.",
        "jituan（集团）：按“集团化”办学实施方案核查教育集团的台账。",
    ),
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"jituan {__version__}")
        raise typer.Exit(0)


@app.callback(
    help=h(
        "jituan (集团): check education-group ledgers (台账) against the policy's targets.",
        "jituan（集团）：按实施方案的目标核查教育集团的台账。",
    )
)
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help=h("Show the version.", "显示版本。")
        ),
    ] = False,
) -> None:
    """jituan (集团): check education-group ledgers (台账) against the policy's targets."""


#: The --format choices, taken from the one registry of reporters.
Format = enum.Enum("Format", {name: name for name in REPORTERS}, type=str)  # type: ignore[misc]


@app.command(
    help=h(
        "Check ledgers against the targets and print pass/fail tables.",
        "按目标核查台账，列出达标与未达标。",
    )
)
def check(
    paths: LedgersArg,
    groups: GroupsOpt = None,
    targets: TargetsOpt = None,
    as_of: AsOfOpt = None,
    period: Annotated[
        list[str] | None,
        typer.Option(
            "--period",
            help=h(
                "Only this period id (repeatable): 2024-2025-1, 2025, …",
                "只看此期间（可重复）：2024-2025-1、2025 …",
            ),
        ),
    ] = None,
    group: GroupOpt = None,
    fmt: Annotated[
        Format, typer.Option("--format", help=h("Output format.", "输出格式。"))
    ] = Format("table"),
    output: OutputOpt = None,
    lang: LangOpt = None,
    strict: StrictOpt = False,
    exemptions: ExemptionsOpt = None,
) -> None:
    """Check ledgers against the targets and print pass/fail tables."""
    from jituan.checker import run_check
    from jituan.config import load_config
    from jituan.exemptions import load_exemptions
    from jituan.report import RenderOptions
    from jituan.sources import refuse_writing_inputs

    language = lang.value if lang else detect_lang()
    day = parse_as_of(as_of, language)
    config = load_config(groups, targets, lang=language)
    exempt = load_exemptions(exemptions, config, language) if exemptions else None
    if not to_stdout(output):
        named = [*paths, *(p for p in (groups, targets, exemptions) if p is not None)]
        refuse_writing_inputs([output], named, language)  # type: ignore[list-item]
    to_terminal = to_stdout(output) and sys.stdout.isatty()
    report = run_check(
        paths,
        config,
        day,
        language,
        period or (),
        group,
        strict,
        progress=to_terminal and fmt.value == "table",
        exemptions=exempt,
    )
    width = 100  # only the table fits a width: the terminal's, or $COLUMNS, or 80
    if fmt.value == "table":
        from rich.console import Console

        width = Console().width
    text = REPORTERS[fmt.value](report, RenderOptions(color=to_terminal, width=width))
    if fmt.value == "table" and os.environ.get("GITHUB_ACTIONS") == "true":
        from jituan.report.github import shielded

        # Under GitHub Actions, annotations too (as linters there do): first, so that
        # the verdict stays the last line; no line of the table can be a command.
        sys.stdout.write(REPORTERS["github"](report, RenderOptions()))
        if to_stdout(output):
            text = shielded(text)
    write_output(text, output)
    if fmt.value == "csv":  # one row per result: the issues and the verdict go to stderr
        from jituan.report.common import side_notes

        sys.stderr.write(side_notes(report))
    raise typer.Exit(report.exit_code)


app.command(
    "audit",
    help=h(
        "Monthly audit: write report.json, .md, .csv and .html into --out (exit codes as "
        "check).\n\nWith --final: the whole programme's acceptance report (final.json, .md, "
        ".html).",
        "月度核查：把 report.json、.md、.csv、.html 写入 --out（退出码同 check）。\n\n"
        "加 --final：整个实施期的总结验收报告（final.json、.md、.html）。",
    ),
)(audit_command)
app.command(
    "score",
    help=h(
        "Compliance and quality scores per school and group, bundled (捆绑考核) and ranked.",
        "各学校、集团的达标与质量得分，捆绑考核并排名。",
    ),
)(score_command)


def _error(message: str, lang: str) -> None:
    sys.stderr.write(f"jituan: {t('error-prefix', lang)}: {message}\n")


def main(argv: list[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: sys.argv[1:]) and return the exit code.

    Typer runs in standalone mode, so usage errors print its own message and exit 2;
    errors the user can cause inside a command are :class:`JituanError`.
    """
    args = sys.argv[1:] if argv is None else list(argv)
    set_command_line(args)  # errors before the command knows its language speak --lang
    try:
        app(args=args, prog_name="jituan")
    except SystemExit as done:
        code = done.code
        return code if isinstance(code, int) else (0 if code is None else 2)
    except JituanError as err:
        lang = command_lang()
        _error(str(err), lang)
        return err.exit_code
    except KeyboardInterrupt:
        lang = command_lang()
        _error(t("interrupted", lang), lang)
        return 130
    return 0


#: Commands that read ledgers (the others start and end in a blink).
LEDGER_COMMANDS = frozenset({"check", "audit", "score", "explain"})


def run() -> None:
    """Console-script entry point."""
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    ledger = bool(sys.argv[1:2]) and sys.argv[1] in LEDGER_COMMANDS
    if ledger:
        from jituan.process import tune_for_ledgers

        tune_for_ledgers(sys.argv[2:])  # settings of the process: made here, not in main()
    code = main()
    if ledger:
        _exit_now(code)
    sys.exit(code)


def _exit_now(code: int) -> None:
    """End the process without tearing down the interpreter: freeing a million rows'
    arrays and every module one object at a time costs 0.05 s that nobody waits for.
    Output is flushed first; the commands leave no file open and register nothing to run
    at exit."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        sys.exit(code)  # a closed or broken stream: let the interpreter report as usual
    os._exit(code)


register_authoring(app)  # validate, template, groups, targets, explain, schema
