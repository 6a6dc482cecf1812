"""Authoring commands: validate, template, groups, targets, explain, schema.

:func:`register` adds them to the typer app of :mod:`jituan.cli`. This module does not
import :mod:`jituan.cli` (nor pandas): ``validate``, ``groups`` and ``targets`` start
fast; the shared options come from :mod:`jituan.options`.
"""

from __future__ import annotations

import enum
import io
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from jituan.errors import UsageError
from jituan.help_text import h
from jituan.i18n import detect_lang, translator
from jituan.options import AsOfOpt, GroupsOpt, Lang, LangOpt, TargetsOpt

if TYPE_CHECKING:
    from jituan.config import Config


class OutFormat(str, enum.Enum):
    table = "table"
    json = "json"


class TemplateFormat(str, enum.Enum):
    csv = "csv"
    xlsx = "xlsx"


FormatOpt = Annotated[OutFormat, typer.Option("--format", help=h("Output format.", "输出格式。"))]

# message id → (Chinese, English)
MESSAGES: dict[str, tuple[str, str]] = {
    "clean": ("配置有效：没有发现问题", "configuration is valid: no problems found"),
    "summary": ("{errors} 个错误，{warnings} 个警告", "{errors} error(s), {warnings} warning(s)"),
    "valid-with-warnings": (
        "配置可用（没有错误）：警告不影响核查，--strict 时退出码为 1",
        "the configuration is usable (no errors): warnings never stop a check; "
        "with --strict they exit 1",
    ),
    "invalid": (
        "配置无效：请先修正错误，jituan check 在修正前不会运行",
        "the configuration is invalid: jituan check will not run until the errors are fixed",
    ),
    "no-headcounts": (
        "说明：政策未给出各校专任教师数，此配置没有 teachers，按专任教师比例计的目标（如默认的"
        "轮岗交流 5%）在补充 teachers 之前均为“无法判定”；这是预期的警告（示例见 "
        "examples/groups.yaml）",
        "note: the policy gives no headcounts (专任教师数) and this configuration has no "
        "teachers:, so a share-of-teachers target (such as the shipped teacher rotation, 5%) "
        "is 'unknown' everywhere until they are added; these warnings are expected (see "
        "examples/groups.yaml)",
    ),
    "coverage": (
        "覆盖率：{covered}/{listed} 所学校已加入集团（{share}）",
        "coverage: {covered} of {listed} schools are in a group ({share})",
    ),
    "coverage-missing": (
        "未加入集团的学校：{names}",
        "schools in no group: {names}",
    ),
    "empty-coverage": (
        "覆盖率：groups.yaml 的 schools 名单是空的，无法计算（请列出全区学校）",
        "coverage: the schools: list of groups.yaml is empty, so coverage is not measured "
        "(list every school of the district there)",
    ),
    "no-coverage": (
        "覆盖率：groups.yaml 顶部没有 schools 名单，无法计算（可列出全区学校）",
        "coverage: groups.yaml has no schools: list, so coverage is not measured "
        "(list every school of the district there)",
    ),
    "where": ("位置", "where"),
    "key": ("键", "key"),
    "severity": ("级别", "level"),
    "scope-period": ("对象/周期", "whom/when"),
    "message": ("说明", "message"),
    "error": ("错误", "error"),
    "warning": ("警告", "warning"),
    "groups-title": (
        "{district}：{n} 个集团，{schools} 所成员学校",
        "{district}: {n} groups, {schools} member schools",
    ),
    "group": ("集团", "group"),
    "type": ("类型", "type"),
    "close": ("紧密型", "close"),
    "alliance": ("联盟型", "alliance"),
    "school": ("学校", "school"),
    "lead": ("牵头", "lead"),
    "rural": ("农村", "rural"),
    "teachers": ("专任教师", "teachers"),
    "researchers": ("教研员：{names}", "researchers: {names}"),
    "targets-title": ("{n} 个目标", "{n} targets"),
    "target": ("目标", "target"),
    "scope": ("对象", "scope"),
    "period": ("周期", "period"),
    "metric": ("计量", "metric"),
    "min": ("最低", "min"),
    "clause": ("条款", "clause"),
    "m-count": ("条数", "count"),
    "m-sum": ("合计", "sum"),
    "m-distinct_persons": ("人数", "persons"),
    "m-share_of_teachers": ("教师占比", "share"),
    "s-all": ("全部", "all"),
    "s-members": ("成员校", "members"),
    "s-lead": ("牵头校", "lead"),
    "s-rural": ("农村校", "rural"),
    "wrote": ("已写入 {path}", "wrote {path}"),
    "xlsx-stdout": (
        "--output -：Excel 模板不能写到标准输出，请给出文件名",
        "--output -: an Excel template cannot go to standard output; give a file name",
    ),
    "bad-suffix": (
        "--output：{path} 的扩展名与 --format {fmt} 不符",
        "--output: {path} does not end in .{fmt} (--format {fmt})",
    ),
    "schema-wrote": (
        "已写入 {n} 个 JSON Schema：{paths}",
        "wrote {n} JSON Schema file(s): {paths}",
    ),
}


m = translator(MESSAGES)


def _lang(lang: Lang | None) -> str:
    return lang.value if lang else detect_lang()


def _console(buf: io.StringIO) -> Any:
    from rich.console import Console

    width = Console().width  # the terminal's, or $COLUMNS, or 80
    color = sys.stdout.isatty()
    return Console(
        file=buf,
        width=width,
        color_system="standard" if color else None,
        highlight=False,
        soft_wrap=False,
    )


def _out(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def _json(data: Any) -> None:
    _out(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


# --------------------------------------------------------------------------- validate


def validate_command(
    groups: GroupsOpt = None,
    targets: TargetsOpt = None,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict", help=h("Warnings fail too (exit 1).", "警告也判为不通过（退出码 1）。")
        ),
    ] = False,
    fmt: FormatOpt = OutFormat.table,
    lang: LangOpt = None,
    exemptions: Annotated[
        Path | None,
        typer.Option(
            "--exemptions",
            help=h("Also check this exemptions file against them.", "同时检查此豁免清单。"),
        ),
    ] = None,
) -> None:
    """Check groups.yaml and targets.yaml alone and list every problem at once."""
    from jituan.validate import Validation, validate_paths

    language = _lang(lang)
    result = validate_paths(groups, targets, lang=language)
    if exemptions is not None:
        from jituan.exemptions import validation_findings

        config = None if result.errors else _load(groups, targets, language)
        extra = validation_findings(exemptions, config, language)
        result = Validation(result.findings + extra, result.coverage, result.headcounts_missing)
    errors, warnings = result.errors, result.warnings
    code = 2 if errors else (1 if warnings and strict else 0)
    if fmt is OutFormat.json:
        _json(
            {
                "valid": not errors,
                "errors": len(errors),
                "warnings": len(warnings),
                "coverage": result.coverage.to_dict() if result.coverage else None,
                "headcounts_missing": result.headcounts_missing,
                "findings": [f.to_dict() for f in result.findings],
            }
        )
        raise typer.Exit(code)

    from rich.text import Text

    from jituan.report.common import amount

    buf = io.StringIO()
    console = _console(buf)
    for f in result.findings:
        style = "bold red" if f.severity == "error" else "yellow"
        line = Text()
        line.append(f.file + (f":{f.line}" if f.line else ""), style="bold")
        if f.key:
            line.append(f"  {f.key}", style="cyan")
        line.append(f"  {m(f.severity, language)}", style=style)
        line.append(f"  {f.message}")
        console.print(line)
    if result.coverage is not None and not result.coverage.listed:
        console.print(Text(m("empty-coverage", language), style="dim"))
    elif result.coverage is not None:
        cov = result.coverage
        console.print(
            Text(
                m(
                    "coverage",
                    language,
                    covered=cov.covered,
                    listed=cov.listed,
                    # 399 of 400 is 99.75%, never 100% with a school in no group
                    share=amount(cov.share, "share_of_teachers", below=1.0),
                )
            )
        )
        if cov.uncovered:
            sep = "、" if language == "zh" else ", "
            console.print(Text(m("coverage-missing", language, names=sep.join(cov.uncovered))))
    else:
        console.print(Text(m("no-coverage", language), style="dim"))
    teacher_warnings = [f for f in warnings if f.code.startswith("missing-teachers")]
    if result.headcounts_missing and teacher_warnings:
        console.print(Text(m("no-headcounts", language), style="dim"))
    if not result.findings:
        console.print(Text(m("clean", language), style="green"))
    else:
        console.print(
            Text(
                m("summary", language, errors=len(errors), warnings=len(warnings))
                + ("  " if language == "en" else "，")
                + m("invalid" if errors else "valid-with-warnings", language),
                style="bold red" if errors else "yellow",
            )
        )
    _out(buf.getvalue())
    raise typer.Exit(code)


# --------------------------------------------------------------------------- groups / targets


def _load(groups: Path | None, targets: Path | None, language: str) -> Config:
    from jituan.config import load_config

    return load_config(groups, targets, lang=language)


def groups_command(
    groups: GroupsOpt = None,
    targets: TargetsOpt = None,
    fmt: FormatOpt = OutFormat.table,
    lang: LangOpt = None,
) -> None:
    """The groups, their lead, members, rural flags and headcounts."""
    language = _lang(lang)
    config = _load(groups, targets, language)
    if fmt is OutFormat.json:
        _json(
            {
                "district": config.district,
                "schools": config.groups_file.schools,
                "groups": [
                    {
                        "id": g.id,
                        "name": g.name,
                        "aliases": g.aliases,
                        "type": g.type,
                        "lead": g.lead,
                        "researchers": g.researchers,
                        "members": [
                            m_.model_dump(mode="json")
                            | {"lead": config.schools[config.find_school(m_.name) or ""].lead}
                            for m_ in g.members
                        ],
                    }
                    for g in config.groups.values()
                ],
            }
        )
        return

    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(
        title=m(
            "groups-title",
            language,
            district=config.district,
            n=len(config.groups),
            schools=len(config.schools),
        ),
        box=box.SIMPLE_HEAD,
        title_justify="left",
    )
    table.add_column(m("group", language), ratio=2, overflow="fold")
    table.add_column(m("type", language), no_wrap=True)
    table.add_column(m("school", language), ratio=3, overflow="fold")
    table.add_column(m("lead", language), justify="center", no_wrap=True)
    table.add_column(m("rural", language), justify="center", no_wrap=True)
    table.add_column(m("teachers", language), justify="right", no_wrap=True)
    for g in config.groups.values():
        schools = config.schools_of(g.id)
        label = f"{g.name}\n({g.id})"
        if g.researchers:
            label += "\n" + m("researchers", language, names="、".join(g.researchers))
        for i, s in enumerate(schools):
            table.add_row(  # Text: a [ in a name is no rich markup
                Text(label if i == 0 else ""),
                m(g.type, language) if i == 0 else "",
                Text(s.name),
                "✓" if s.lead else "",
                "✓" if s.rural else "",
                str(s.teachers) if s.teachers else "-",
                end_section=i == len(schools) - 1,
            )
    buf = io.StringIO()
    _console(buf).print(table)
    _out(buf.getvalue())


def targets_command(
    groups: GroupsOpt = None,
    targets: TargetsOpt = None,
    fmt: FormatOpt = OutFormat.table,
    lang: LangOpt = None,
) -> None:
    """The targets: scope, period, metric, minimum, severity and clause."""
    from jituan.i18n import t
    from jituan.report.common import amount

    language = _lang(lang)
    config = _load(groups, targets, language)
    if fmt is OutFormat.json:
        _json({"targets": [tg.model_dump(mode="json") for tg in config.targets]})
        return

    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(
        title=m("targets-title", language, n=len(config.targets)),
        box=box.SIMPLE_HEAD,
        title_justify="left",
        expand=True,
    )
    # the ids are what people type (explain, exemptions): never cut in two (with a ratio,
    # rich takes width as the least the column gets)
    widest = max((len(tg.id) for tg in config.targets), default=0)
    table.add_column(m("target", language), ratio=4, overflow="fold", width=widest)
    table.add_column(m("scope-period", language), max_width=16, overflow="fold")
    table.add_column(m("metric", language), no_wrap=True)
    table.add_column(m("min", language), justify="right", no_wrap=True)
    table.add_column(m("severity", language), no_wrap=True)
    table.add_column(m("clause", language), no_wrap=True)
    for tg in config.targets:
        scope = t(tg.scope, language)
        if tg.scope == "school" and tg.schools:
            scope += f"·{m(f's-{tg.schools}', language)}"
        if tg.group_types:
            scope += f" [{'/'.join(tg.group_types)}]"
        period = t(tg.period, language)
        if tg.deadline:
            period += f" ≤ {tg.deadline}"
        minimum = amount(tg.min, tg.metric)  # as every report writes it (4.5%, not 4%)
        style = "yellow" if tg.severity == "warning" else ""
        table.add_row(
            Text.assemble((tg.id, "bold"), "\n", tg.title),
            f"{scope}\n{period}",
            m(f"m-{tg.metric}", language),
            minimum,
            m(tg.severity, language),
            Text(tg.source),
            style=style,
        )
    buf = io.StringIO()
    _console(buf).print(table)
    _out(buf.getvalue())


# --------------------------------------------------------------------------- template


def template_command(
    fmt: Annotated[
        TemplateFormat | None,
        typer.Option(
            "--format",
            help=h(
                "csv or xlsx; default from --output's suffix, else xlsx.",
                "csv 或 xlsx；默认按 --output 的扩展名，否则为 xlsx。",
            ),
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            help=h(
                "Write here (default 台账模板.xlsx or .csv; '-' for CSV on stdout).",
                "写入此文件（默认 台账模板.xlsx 或 .csv；“-” 表示以 CSV 写到标准输出）。",
            ),
        ),
    ] = None,
    groups: GroupsOpt = None,
    targets: TargetsOpt = None,
    lang: LangOpt = None,
) -> None:
    """Write a blank ledger with the Chinese headers (an .xlsx with drop-down lists)."""
    from jituan.template import write_template

    language = _lang(lang)
    to_stdout = output is not None and str(output) == "-"
    if fmt is None:
        suffix = output.suffix.lower() if output is not None and not to_stdout else ""
        fmt = TemplateFormat.csv if suffix == ".csv" or to_stdout else TemplateFormat.xlsx
    if to_stdout and fmt is TemplateFormat.xlsx:
        raise UsageError(m("xlsx-stdout", language))
    if output is not None and not to_stdout and output.suffix.lower() != f".{fmt.value}":
        raise UsageError(m("bad-suffix", language, path=output, fmt=fmt.value))
    if output is None:
        output = Path(f"台账模板.{fmt.value}")
    config = _load(groups, targets, language) if fmt is TemplateFormat.xlsx else None
    written = write_template(fmt.value, None if to_stdout else output, config)
    if written is not None:
        sys.stderr.write(m("wrote", language, path=written) + "\n")


# --------------------------------------------------------------------------- explain


def explain_command(
    target: Annotated[
        str,
        typer.Argument(
            help=h(
                "A target id, such as master-teacher-visits.", "目标 id，如 master-teacher-visits。"
            )
        ),
    ],
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help=h(
                "Ledger files or folders: show which records counted and why not.",
                "台账文件或文件夹：列出哪些记录计入、哪些没有及原因。",
            )
        ),
    ] = None,
    subject: Annotated[
        str | None,
        typer.Option(
            "--subject",
            help=h(
                "The school, group or researcher (name or alias).",
                "学校、集团或教研员（名称或别名）。",
            ),
        ),
    ] = None,
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            help=h("One period id, such as 2024-2025-1.", "一个期间 id，如 2024-2025-1。"),
        ),
    ] = None,
    as_of: AsOfOpt = None,
    groups: GroupsOpt = None,
    targets: TargetsOpt = None,
    lang: LangOpt = None,
) -> None:
    """A target in words; with PATH, which records counted toward it and which did not, why."""
    from jituan.explain import explain_records, find_target
    from jituan.options import parse_as_of
    from jituan.report.explain import render

    language = _lang(lang)
    day = parse_as_of(as_of, language)
    config = _load(groups, targets, language)
    tg = find_target(config, target, language)
    explanation = None
    if paths:
        explanation = explain_records(tg, config, paths, day, language, subject, period)
    from rich.console import Console

    width = Console().width
    _out(render(tg, config, language, explanation, width=width, color=sys.stdout.isatty()))
    if explanation is not None and explanation.input_errors:
        raise typer.Exit(2)  # as check: an input that could not be read is never a success


# --------------------------------------------------------------------------- schema


def schema_command(
    output_dir: Annotated[
        Path | None,
        typer.Option(
            "--output-dir",
            help=h(
                "Write the schema files here (default: schema/).",
                "schema 文件写入此文件夹（默认 schema/）。",
            ),
        ),
    ] = None,
    lang: LangOpt = None,
) -> None:
    """Write the JSON Schema of groups.yaml and targets.yaml, for editors' completion."""
    from jituan.schema import default_dir, write_schemas

    language = _lang(lang)
    written = write_schemas(output_dir or default_dir())
    sys.stderr.write(
        m("schema-wrote", language, n=len(written), paths=", ".join(map(str, written))) + "\n"
    )


def register(app: typer.Typer) -> None:
    """Add the authoring commands to the CLI."""
    helps = {
        "validate": h(
            "Check groups.yaml and targets.yaml alone and list every problem at once.",
            "单独检查 groups.yaml 与 targets.yaml，一次列出全部问题。",
        ),
        "template": h(
            "Write a blank ledger with the Chinese headers (an .xlsx with drop-down lists).",
            "生成空白台账（中文表头；.xlsx 带下拉列表）。",
        ),
        "groups": h(
            "The groups, their lead, members, rural flags and headcounts.",
            "各集团的牵头校、成员校、农村学校与专任教师数。",
        ),
        "targets": h(
            "The targets: scope, period, metric, minimum, severity and clause.",
            "各目标的对象、周期、计量、最低要求、级别与条款。",
        ),
        "explain": h(
            "A target in words; with PATH, which records counted toward it and which did not, why.",
            "用文字说明一个目标；给出台账时，列出哪些记录计入、哪些没有及原因。",
        ),
        "schema": h(
            "Write the JSON Schema of groups.yaml and targets.yaml, for editors' completion.",
            "生成 groups.yaml 与 targets.yaml 的 JSON Schema，供编辑器补全。",
        ),
    }
    app.command("validate", help=helps["validate"])(validate_command)
    app.command("template", help=helps["template"])(template_command)
    app.command("groups", help=helps["groups"])(groups_command)
    app.command("targets", help=helps["targets"])(targets_command)
    app.command("explain", help=helps["explain"])(explain_command)
    app.command("schema", help=helps["schema"])(schema_command)
