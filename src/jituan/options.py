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


class Lang(str, enum.Enum):
    zh = "zh"
    en = "en"


GroupsOpt = Annotated[
    Path | None,
    typer.Option("--groups", help="groups.yaml to use instead of the embedded default."),
]
TargetsOpt = Annotated[
    Path | None,
    typer.Option("--targets", help="targets.yaml to use instead of the embedded default."),
]
AsOfOpt = Annotated[
    str | None, typer.Option("--as-of", help="Evaluate as on this day (YYYY-MM-DD); default today.")
]
ExemptionsOpt = Annotated[
    Path | None,
    typer.Option("--exemptions", help="A YAML file of approved exemptions (see the README)."),
]
LangOpt = Annotated[
    Lang | None,
    typer.Option(
        "--lang", help="Language of labels and messages; default from LANG (zh… → Chinese)."
    ),
]
GroupOpt = Annotated[str | None, typer.Option("--group", help="Only this group (id or name).")]


def parse_as_of(value: str | None) -> dt.date:
    """``--as-of``: a YYYY-MM-DD day, default today."""
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"expected a date as YYYY-MM-DD, got {value!r}") from None


def write_output(text: str, output: Path | None) -> None:
    """Write a rendered report to a file, or to stdout."""
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    except OSError as err:
        raise JituanError(f"{output}: cannot write: {err.strerror or err}") from err
