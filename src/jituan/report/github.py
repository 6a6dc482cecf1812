"""GitHub Actions workflow commands: an annotation per row issue and failing result.

``::error file=…,line=…,title=…::message`` puts a row issue on the line of the submitted
file in a pull request. A failing result belongs to no one row (a school with no record
fails too): it goes on the first line of the first ledger read, so that it shows on the
submitted files as well as in the run's summary.
Escaping follows GitHub's toolkit: ``%``, CR and LF in the message; also ``:`` and ``,``
in properties.
"""

from __future__ import annotations

import secrets

from jituan.i18n import t
from jituan.model import Report, Result
from jituan.report import RenderOptions
from jituan.report.common import figures, issue_text, visible

LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return visible(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def shielded(text: str) -> str:
    """Printed output holding submitted data (the table), with workflow commands stopped
    around it.

    The runner reads a line of a job's log as a command when it starts, after white
    space, with ``::``; the table wraps a long cell onto a line of its own, so a school
    name or note could start one (``::error …``, ``::add-mask::``). GitHub's own way to
    print such text is ``::stop-commands::`` with a token nobody can guess, and the token
    as a command to resume. The last line (the verdict, which holds no data) stays last,
    outside, so that ``| tail -1`` still gives it.
    """
    body, newline, last = text.rstrip("\n").rpartition("\n")
    if not newline:
        return text
    token = secrets.token_hex(16)
    return f"::stop-commands::{token}\n{body}\n::{token}::\n{last}\n"


def command(level: str, message: str, **properties: object) -> str:
    props = ",".join(
        f"{key}={escape_property(str(value))}"
        for key, value in properties.items()
        if value is not None
    )
    return f"::{level}{' ' + props if props else ''}::{escape_data(message)}"


def _result_line(result: Result, lang: str, file: str | None) -> str:
    level = LEVEL.get(result.severity, "warning")  # a warning-level target → ::warning
    subject = result.subject or "—"
    message = (
        f"{result.title} [{result.source}] — {subject}, {result.period_label or result.period}: "
        f"{t('actual', lang)} {figures(result)} ({t(result.status, lang)})"
    )
    line = 1 if file is not None else None
    return command(level, message, file=file, line=line, title=f"jituan {result.target}")


def render(report: Report, options: RenderOptions) -> str:
    lang = report.lang
    lines = []
    for issue in report.issues:
        lines.append(
            command(
                LEVEL.get(issue.severity, "warning"),
                # an annotation has no place for a workbook's sheet: the message names it
                (f"[{issue.sheet}] " if issue.sheet else "") + issue_text(issue, lang),
                file=issue.file,
                line=issue.row,
                title=f"jituan {issue.code}" + (f" [{issue.sheet}]" if issue.sheet else ""),
            )
        )
    # failing results; with --strict, at-risk results fail the run too
    bad = {"fail", "at_risk"} if report.strict else {"fail"}
    first = report.inputs[0].file if report.inputs else None
    lines.extend(_result_line(r, lang, first) for r in report.results if r.status in bad)
    return "".join(line + "\n" for line in lines)
