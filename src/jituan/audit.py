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
import errno
import json
import os
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from jituan.errors import JituanError
from jituan.i18n import t
from jituan.model import STATUSES, Changes, Report, StatusChange
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


def load_previous(path: Path, lang: str = "en") -> dict[str, Any]:
    """A former audit's report.json, checked enough to be compared with.

    Every key the comparison reads is checked here, where the file is read, so that a
    damaged or hand-edited report stops the audit with the file and the faulty key named
    (exit 2) instead of a traceback deep in :func:`changes_since`.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as err:
        raise AuditError(
            t("previous-unreadable", lang, path=path, detail=err.strerror or err)
        ) from err
    except (UnicodeDecodeError, ValueError, RecursionError) as err:  # JSONDecodeError too
        raise AuditError(t("previous-not-json", lang, path=path, detail=err)) from err
    not_report = _report_problem(data, lang)
    if not_report is not None:
        raise AuditError(t("previous-not-report", lang, path=path, problem=not_report))
    problem = _items_problem(data, lang)
    if problem is not None:
        raise AuditError(t("previous-bad-shape", lang, path=path, problem=problem))
    return data


#: What ``changes_since`` reads from a previous report: key → (allowed type, null allowed).
_TOP_KEYS: dict[str, tuple[type, bool]] = {
    "tool": (str, False),
    "as_of": (str, False),
    "results": (list, False),
    "issues": (list, False),
}
_RESULT_KEYS: dict[str, tuple[type, bool]] = {
    "target": (str, False),
    "subject": (str, False),
    "period": (str, False),
    "status": (str, False),
}
_ISSUE_KEYS: dict[str, tuple[type, bool]] = {
    "file": (str, False),
    "sheet": (str, True),
    "row": (int, True),
    "code": (str, False),
}


def _report_problem(data: Any, lang: str) -> str | None:
    """Why a loaded JSON value is not a jituan report at all (None when it is one)."""
    problem = _item_problem(t("previous-top", lang), "", data, _TOP_KEYS, lang)
    if problem is not None:
        return problem
    if data["tool"] != "jituan":
        got = _shown(data["tool"])
        return t("previous-bad-value", lang, where="tool", expected='"jituan"', got=got)
    if not _is_date(data["as_of"]):
        return t(
            "previous-bad-value",
            lang,
            where="as_of",
            expected="YYYY-MM-DD",
            got=_shown(data["as_of"]),
        )
    return None


def _items_problem(data: dict[str, Any], lang: str) -> str | None:
    """The first result or issue of a report that the comparison could not read."""
    for section, keys in (("results", _RESULT_KEYS), ("issues", _ISSUE_KEYS)):
        for index, item in enumerate(data[section]):
            where = f"{section}[{index}]"
            problem = _item_problem(where, f"{where}.", item, keys, lang)
            if problem is not None:
                return problem
            if section == "results" and item["status"] not in STATUSES:
                return t(
                    "previous-bad-value",
                    lang,
                    where=f"{where}.status",
                    expected=" | ".join(f'"{s}"' for s in STATUSES),
                    got=_shown(item["status"]),
                )
    return None


def _item_problem(
    where: str, prefix: str, item: Any, keys: dict[str, tuple[type, bool]], lang: str
) -> str | None:
    """What is wrong with one JSON object and the keys it must hold, if anything.

    ``where`` names the object in a message, ``prefix`` goes before a key's name
    (``results[3].`` for a result, nothing at the top of the report).
    """
    if not isinstance(item, dict):
        return t("previous-bad-value", lang, where=where, expected="object", got=_kind(item))
    for key, (kind, nullable) in keys.items():
        if key not in item:
            return t("previous-missing-key", lang, where=where, key=key)
        value = item[key]
        if value is None and nullable:
            continue
        if not isinstance(value, kind) or isinstance(value, bool):  # JSON true is not a row
            expected = _TYPE_NAMES[kind] + (" | null" if nullable else "")
            return t(
                "previous-bad-value",
                lang,
                where=prefix + key,
                expected=expected,
                got=_kind(value),
            )
    return None


_TYPE_NAMES = {str: "string", int: "integer", list: "array"}


def _kind(value: Any) -> str:
    """The JSON name of a value's type, as a reader of the file would call it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    names = {str: "string", int: "integer", float: "number", list: "array", dict: "object"}
    return names.get(type(value), type(value).__name__)


def _shown(text: str) -> str:
    """A value from the file as JSON writes it, cut short: it may be anything."""
    shown = json.dumps(text, ensure_ascii=False)
    return shown if len(shown) <= 60 else shown[:59] + "…"


def _is_date(text: str) -> bool:
    """Whether a report's as_of is a day as jituan writes it: YYYY-MM-DD (Python 3.11's
    fromisoformat also takes 20250331, which then compares wrongly as text)."""
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


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
    new_issues = tuple(
        i
        for i in report.issues
        if _issue_key(i.to_dict()) not in old_issues
        and not (i.severity == "info" and i.row is None)  # a note on a file, not a row
    )
    current = {_issue_key(i.to_dict()) for i in report.issues}
    as_of = previous.get("as_of")
    return Changes(
        previous_as_of=str(as_of) if as_of is not None else None,
        became_failing=tuple(became_failing),
        became_passing=tuple(became_passing),
        new_issues=new_issues,
        resolved_issues=len(old_issues - current),
    )


def folder_month(out: Path, lang: str = "en") -> str | None:
    """The month (YYYY-MM) of the audit in ``out``, None when it holds none.

    Raises AuditError when it holds report files whose month cannot be told.
    """
    try:
        existing = [name for name in FILES if (out / name).exists()]
    except OSError as err:  # a folder that can be listed but not entered
        raise AuditError(
            t("out-cannot-write", lang, folder=out, detail=err.strerror or err)
        ) from err
    if not existing:
        return None
    try:
        data = json.loads((out / "report.json").read_text(encoding="utf-8-sig"))
        return dt.date.fromisoformat(data["as_of"]).strftime("%Y-%m")
    except (OSError, ValueError, KeyError, TypeError, RecursionError) as err:
        raise AuditError(t("out-unknown-month", lang, out=out, files=", ".join(existing))) from err


def _existing_folder(out: Path, lang: str) -> bool:
    """Whether ``--out`` is a folder already (False: it does not exist); anything else
    there, or a path the system refuses to look at, stops the audit with why."""
    try:
        exists, is_dir = out.exists(), out.is_dir()
    except OSError as err:  # a name too long, no permission on a folder above it
        raise AuditError(t("out-cannot-create", lang, out=out, detail=err.strerror or err)) from err
    if exists and not is_dir:
        raise AuditError(t("out-not-folder", lang, out=out))
    return exists


def check_folder(out: Path, as_of: dt.date, force: bool, lang: str = "en") -> None:
    """Refuse to overwrite another month's reports unless forced."""
    if force or not _existing_folder(out, lang):
        return
    month = folder_month(out, lang)
    wanted = as_of.strftime("%Y-%m")
    if month is not None and month != wanted:
        raise AuditError(t("out-other-month", lang, out=out, month=month, wanted=wanted))


def _make(out: Path, lang: str) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise AuditError(t("out-cannot-create", lang, out=out, detail=err.strerror or err)) from err


def write_atomically(files: dict[Path, str], lang: str = "en") -> None:
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
        # a folder in a report's place would stop the moves halfway, leaving reports of
        # two runs side by side: refused before any is moved
        for _, path in temps:
            if path.is_dir():
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        for temp, path in temps:
            os.replace(temp, path)
    except OSError as err:
        raise AuditError(
            t("out-cannot-write", lang, folder=folder, detail=err.strerror or err)
        ) from err
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

    lang = final.report.lang
    _existing_folder(out, lang)
    _make(out, lang)
    render = {
        "json": formats.render_json,
        "markdown": formats.render_markdown,
        "html": formats.render_html,
    }
    files = {out / name: render[fmt](final) for name, fmt in FINAL_FILES.items()}
    write_atomically(files, lang)
    return list(files)


def write_audit(
    report: Report,
    out: Path,
    force: bool = False,
    previous: dict[str, Any] | None = None,
) -> tuple[Report, list[Path]]:
    """Render the four reports and write them into ``out``; return the report and paths."""
    check_folder(out, report.as_of, force, report.lang)
    if previous is not None:
        report = replace(report, changes=changes_since(report, previous))
    _make(out, report.lang)
    options = RenderOptions(color=False, width=100)
    files = {out / name: REPORTERS[fmt](report, options) for name, fmt in FILES.items()}
    write_atomically(files, report.lang)
    return report, list(files)
