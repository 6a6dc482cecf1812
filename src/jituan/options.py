"""Command-line options shared by every command, declared once.

Command modules import their options from here (never from :mod:`jituan.cli`, which
imports them to register the commands), so each option reads the same everywhere.
"""

from __future__ import annotations

import datetime as dt
import enum
import sys
from pathlib import Path
from typing import Annotated

import typer

from jituan.errors import JituanError
from jituan.help_text import h, lang_from_argv
from jituan.i18n import detect_lang, t


class Lang(str, enum.Enum):
    zh = "zh"
    en = "en"


GroupsOpt = Annotated[
    Path | None,
    typer.Option(
        "--groups",
        help=h(
            "groups.yaml to use instead of the embedded default.",
            "代替内置默认配置的 groups.yaml。",
        ),
    ),
]
TargetsOpt = Annotated[
    Path | None,
    typer.Option(
        "--targets",
        help=h(
            "targets.yaml to use instead of the embedded default.",
            "代替内置默认配置的 targets.yaml。",
        ),
    ),
]


def _ledger_path(value: str) -> Path:
    """A ledger path as given; an empty one is refused (``Path("")`` is the current
    folder, which would be searched in its stead)."""
    if not value.strip():
        raise typer.BadParameter(h("an empty path names no ledger", "空路径不指向任何台账"))
    return Path(value)


LedgersArg = Annotated[
    list[Path],
    typer.Argument(
        help=h("Ledger files (CSV, Excel) or folders.", "台账文件（CSV、Excel）或文件夹。"),
        parser=_ledger_path,
    ),
]
StrictOpt = Annotated[
    bool,
    typer.Option(
        "--strict",
        help=h(
            "At-risk results and warnings fail the run too.", "有风险的结果和警告也判为不通过。"
        ),
    ),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        help=h("Write the report here (-: standard output).", "报告写入此文件（-：标准输出）。"),
    ),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help=h(
            "Evaluate as on this day (YYYY-MM-DD); default today.",
            "按此日期核查（YYYY-MM-DD），默认今天。",
        ),
    ),
]
ExemptionsOpt = Annotated[
    Path | None,
    typer.Option(
        "--exemptions",
        help=h(
            "A YAML file of approved exemptions (see the README).",
            "经批准的豁免清单（YAML，见 README）。",
        ),
    ),
]
LangOpt = Annotated[
    Lang | None,
    typer.Option(
        "--lang",
        help=h(
            "Language of labels and messages; default from LANG (zh… → Chinese).",
            "标签与消息的语言；默认随 LANG（zh… 为中文）。",
        ),
    ),
]
GroupOpt = Annotated[
    str | None,
    typer.Option(
        "--group",
        help=h("Only this group (id, name or alias).", "只看此集团（id、名称或别名）。"),
    ),
]


class _BadDate(typer.BadParameter):
    """A bad ``--as-of``: a usage error (exit 2) said in the command's language."""

    def __init__(self, value: str, lang: str) -> None:
        super().__init__(t("bad-as-of", lang, value=value))
        self.lang = lang

    def format_message(self) -> str:
        if self.lang == "zh":
            return f"取值无效：{self.message}"
        return super().format_message()


#: The ``--lang`` of the command line being run, set by :func:`jituan.cli.main` before
#: the command starts, for messages made before (or without) the command's own language.
_COMMAND_LINE: dict[str, str | None] = {"lang": None}


def set_command_line(args: list[str]) -> None:
    """Remember the ``--lang`` of the command line about to run."""
    _COMMAND_LINE["lang"] = lang_from_argv(args)


def command_lang(lang: str | None = None) -> str:
    """The language of the running command's messages: ``lang`` when the command knows
    it, else the ``--lang`` of its command line, else the locale."""
    return lang or _COMMAND_LINE["lang"] or detect_lang()


def parse_as_of(value: str | None, lang: str | None = None) -> dt.date:
    """``--as-of``: a YYYY-MM-DD day, default today."""
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _BadDate(value, command_lang(lang)) from None


def to_stdout(output: Path | None) -> bool:
    """Whether ``--output`` names standard output: not given, or ``-`` (as ``template``
    takes it)."""
    return output is None or str(output) == "-"


def write_output(text: str, output: Path | None) -> None:
    """Write a rendered report to a file, or to stdout (see :func:`to_stdout`)."""
    if to_stdout(output):
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    except OSError as err:
        raise JituanError(f"{output}: cannot write: {err.strerror or err}") from err
