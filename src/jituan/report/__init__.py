"""Reporters: one small module per output format, each a function returning a string.

:data:`REPORTERS` is the single source of truth for the formats; the CLI takes its
``--format`` choices from it and alone writes the string out.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from jituan.model import Report


@dataclass(frozen=True)
class RenderOptions:
    """How a reporter should render: colour (terminals only) and the width to fit."""

    color: bool = False
    width: int = 100


Reporter = Callable[[Report, RenderOptions], str]


def _lazy(module: str) -> Reporter:
    """The ``render`` function of ``jituan.report.<module>``, imported on first use so that
    startup stays light (``--help`` and ``--version`` load no reporter)."""

    def render(report: Report, options: RenderOptions) -> str:
        return importlib.import_module(f"jituan.report.{module}").render(report, options)

    render.__name__ = f"render_{module}"
    return render


#: format name → reporter.
REPORTERS: dict[str, Reporter] = {
    "table": _lazy("table"),
    "json": _lazy("json"),
    "csv": _lazy("csv_format"),
    "markdown": _lazy("markdown"),
    "junit": _lazy("junit"),
    "github": _lazy("github"),
    "html": _lazy("html"),
}
