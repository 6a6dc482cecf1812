"""Reporters: one small module per output format, each a function returning a string.

:data:`REPORTERS` is the single source of truth for the formats; the CLI takes its
``--format`` choices from it and alone writes the string out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from jituan.model import Report


@dataclass(frozen=True)
class RenderOptions:
    """How a reporter should render: colour (terminals only) and the width to fit."""

    color: bool = False
    width: int = 100


Reporter = Callable[[Report, RenderOptions], str]


def _table(report: Report, options: RenderOptions) -> str:
    from jituan.report.table import render

    return render(report, options)


def _json(report: Report, options: RenderOptions) -> str:
    from jituan.report.json import render

    return render(report, options)


def _csv(report: Report, options: RenderOptions) -> str:
    from jituan.report.csv_format import render

    return render(report, options)


def _markdown(report: Report, options: RenderOptions) -> str:
    from jituan.report.markdown import render

    return render(report, options)


def _junit(report: Report, options: RenderOptions) -> str:
    from jituan.report.junit import render

    return render(report, options)


def _github(report: Report, options: RenderOptions) -> str:
    from jituan.report.github import render

    return render(report, options)


def _html(report: Report, options: RenderOptions) -> str:
    from jituan.report.html import render

    return render(report, options)


#: format name → reporter. Modules are imported when used, so startup stays light.
REPORTERS: dict[str, Reporter] = {
    "table": _table,
    "json": _json,
    "csv": _csv,
    "markdown": _markdown,
    "junit": _junit,
    "github": _github,
    "html": _html,
}
