"""The monthly audit: one check run written as four reports into a folder.

``report.json``, ``report.md``, ``report.csv`` and ``report.html`` are all rendered in
memory first, then each is written to a temporary file in the folder and moved into
place with :func:`os.replace`, so an interrupted run never leaves half a file.
``report.json`` is moved first: it is what tells which month a folder holds.

**Which month a folder holds.** The month (YYYY-MM) of the ``as_of`` stored in the
folder's ``report.json``. Writing an audit of another month into it is refused unless
``--force``; re-running the same month replaces the reports. A folder that holds
report files but no readable ``report.json`` is refused too (its month is unknown).

**Since the last audit** (``--previous``, a former ``report.json``): results are matched
by (target, subject, period) and row issues by (file, sheet, row, code). A result
*became failing* when it is ``fail`` now and was not before (or did not exist); it
*became passing* when it is ``pass`` now and was something else before. File names are
compared as written, so run the audits from the same folder with the same paths.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from jituan.errors import JituanError
from jituan.model import Changes, Report, StatusChange
from jituan.report import REPORTERS, RenderOptions

#: file name → format, in the order they are moved into place.
FILES = {
    "report.json": "json",
    "report.md": "markdown",
    "report.csv": "csv",
    "report.html": "html",
}


class AuditError(JituanError):
    """The audit cannot write its folder or read its previous report."""


def load_previous(path: Path) -> dict[str, Any]:
    """A former audit's report.json, checked enough to be compared with."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as err:
        raise AuditError(f"--previous {path}: cannot read: {err.strerror or err}") from err
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise AuditError(f"--previous {path}: not a JSON report ({err})") from err
    if (
        not isinstance(data, dict)
        or data.get("tool") != "jituan"
        or not isinstance(data.get("results"), list)
        or not isinstance(data.get("issues"), list)
    ):
        raise AuditError(
            f"--previous {path}: not a jituan report.json (expected the object written by "
            "`jituan audit` or `jituan check --format json`)"
        )
    return data


def _result_key(item: dict[str, Any]) -> tuple[str, str, str]:
    return (str(item.get("target")), str(item.get("subject")), str(item.get("period")))


def _issue_key(item: dict[str, Any]) -> tuple[Any, ...]:
    return (item.get("file"), item.get("sheet"), item.get("row"), item.get("code"))


def changes_since(report: Report, previous: dict[str, Any]) -> Changes:
    """What changed between a previous report (as loaded JSON) and this one."""
    before = {_result_key(r): r.get("status") for r in previous["results"] if isinstance(r, dict)}
    became_failing, became_passing = [], []
    for r in report.results:
        old = before.get((r.target, r.subject, r.period))
        if r.status == "fail" and old != "fail":
            became_failing.append(StatusChange(r, old))
        elif r.status == "pass" and old is not None and old != "pass":
            became_passing.append(StatusChange(r, old))
    old_issues = {_issue_key(i) for i in previous["issues"] if isinstance(i, dict)}
    new_issues = tuple(i for i in report.issues if _issue_key(i.to_dict()) not in old_issues)
    current = {_issue_key(i.to_dict()) for i in report.issues}
    as_of = previous.get("as_of")
    return Changes(
        previous_as_of=str(as_of) if as_of is not None else None,
        became_failing=tuple(became_failing),
        became_passing=tuple(became_passing),
        new_issues=new_issues,
        resolved_issues=len(old_issues - current),
    )


def folder_month(out: Path) -> str | None:
    """The month (YYYY-MM) of the audit in ``out``, None when it holds none.

    Raises AuditError when it holds report files whose month cannot be told.
    """
    existing = [name for name in FILES if (out / name).exists()]
    if not existing:
        return None
    try:
        data = json.loads((out / "report.json").read_text(encoding="utf-8"))
        return dt.date.fromisoformat(data["as_of"]).strftime("%Y-%m")
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise AuditError(
            f"{out}: holds {', '.join(existing)} but no readable report.json to tell which "
            "month they are; use another folder, or --force to replace them"
        ) from err


def check_folder(out: Path, as_of: dt.date, force: bool) -> None:
    """Refuse to overwrite another month's reports unless forced."""
    if out.exists() and not out.is_dir():
        raise AuditError(f"--out {out}: exists and is not a folder")
    if force or not out.exists():
        return
    month = folder_month(out)
    wanted = as_of.strftime("%Y-%m")
    if month is not None and month != wanted:
        raise AuditError(
            f"{out}: holds the audit of {month}; this one is {wanted}. Use another folder "
            "(e.g. reports/" + wanted + "), or --force to replace it"
        )


def write_atomically(files: dict[Path, str]) -> None:
    """Write each text to a temporary file beside its target, then move them into place."""
    temps: list[tuple[Path, Path]] = []
    umask = os.umask(0)  # mkstemp makes owner-only files; reports are ordinary files
    os.umask(umask)
    folder = next(iter(files)).parent if files else Path(".")
    try:
        for path, text in files.items():
            fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            temps.append((Path(name), path))
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(name, 0o666 & ~umask)
        for temp, path in temps:
            os.replace(temp, path)
    except OSError as err:
        raise AuditError(f"{folder}: cannot write the reports: {err.strerror or err}") from err
    finally:
        for temp, _ in temps:
            with contextlib.suppress(OSError):
                temp.unlink()


#: the final acceptance report (``--final``): file name → format
FINAL_FILES = {"final.json": "json", "final.md": "markdown", "final.html": "html"}


def write_final(final: Any, out: Path) -> list[Path]:
    """Write the final acceptance report (a :class:`jituan.final.FinalReport`) into ``out``.

    Its files have their own names, so a folder may hold a monthly audit too; re-running
    replaces them (the acceptance report is re-made until the programme is closed).
    """
    from jituan.report import final as formats

    if out.exists() and not out.is_dir():
        raise AuditError(f"--out {out}: exists and is not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise AuditError(f"--out {out}: cannot create: {err.strerror or err}") from err
    render = {
        "json": formats.render_json,
        "markdown": formats.render_markdown,
        "html": formats.render_html,
    }
    files = {out / name: render[fmt](final) for name, fmt in FINAL_FILES.items()}
    write_atomically(files)
    return list(files)


def write_audit(
    report: Report,
    out: Path,
    force: bool = False,
    previous: dict[str, Any] | None = None,
) -> tuple[Report, list[Path]]:
    """Render the four reports and write them into ``out``; return the report and paths."""
    check_folder(out, report.as_of, force)
    if previous is not None:
        report = replace(report, changes=changes_since(report, previous))
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise AuditError(f"--out {out}: cannot create: {err.strerror or err}") from err
    options = RenderOptions(color=False, width=100)
    files = {out / name: REPORTERS[fmt](report, options) for name, fmt in FILES.items()}
    write_atomically(files)
    return report, list(files)
