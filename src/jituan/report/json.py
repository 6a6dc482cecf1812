"""The JSON format: one object, stable for scripts (see the README for its keys)."""

from __future__ import annotations

import json

from jituan.model import Report
from jituan.report import RenderOptions


def render(report: Report, options: RenderOptions) -> str:
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"
