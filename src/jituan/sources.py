"""Finding ledgers: files and folders given on the command line → raw tables.

A folder is searched recursively, in sorted order, for ``.csv``, ``.tsv``, ``.txt``
(Excel's "Unicode text"), ``.xlsx`` and ``.xls`` files; hidden files and folders (a
leading dot) and Excel's lock files (``~$…``) are skipped. YAML files are never read,
neither as configuration nor as ledgers: a submitter must not be able to change the
targets. Symbolic links inside a folder are not followed (a submission must not make
the checker read, and echo, files outside it): each is reported and skipped. A file
named twice (a folder and a file in it) is read once, where it is first named.

A file that cannot be used becomes a file-level issue (``row`` null) and the run goes
on with the rest:

- ``unreadable`` (error): vanished, no permission, undecodable, binary, a damaged or
  oversized workbook. The run reports the rest and exits 2.
- ``missing-column`` (error): a header was found but a required column is missing.
  Exit 2 as well.
- ``not-a-ledger``: no recognisable header. A warning for a file found in a folder,
  ``info`` for a further sheet of a workbook that holds a ledger, an error (exit 2) for
  a file named on the command line.
- ``symlink`` (warning): a symbolic link inside a folder, not followed.
- ``same-file`` (info): another name of a file read already (a hard link, or a symbolic
  link named on the command line), not read again.

A folder that gives no table (none of its files is a ledger, or it holds none) is an
error-level ``not-a-ledger`` naming the folder, unless one of its files failed with an
error already. When no table at all can be read, the run stops with exit 2 and the
reasons.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from jituan.columns import repeated_headers
from jituan.errors import InputError, UsageError
from jituan.i18n import t
from jituan.model import RowIssue
from jituan.readers import Deferred, Problem, RawTable, ReadProblem, batching, read_path
from jituan.textnorm import path_text
from jituan.values import visible

LEDGER_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xls")


def _hidden(name: str) -> bool:
    return name.startswith((".", "~$"))


def walk(folder: Path, unlisted: list[tuple[Path, OSError]]) -> Iterator[tuple[Path, bool]]:
    """(path, is_link) of every candidate ledger below ``folder``, sorted, links not followed.

    A folder that cannot be listed (no permission, say) goes into ``unlisted``, to be
    reported: the ledgers in it would otherwise be missing without a word.
    """
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as err:
        unlisted.append((folder, err))
        return
    for entry in entries:
        if _hidden(entry.name):
            continue
        path = Path(entry.path)
        if entry.is_symlink():
            if entry.name.lower().endswith(LEDGER_SUFFIXES) or os.path.isdir(entry.path):
                yield path, True
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from walk(path, unlisted)
        elif entry.name.lower().endswith(LEDGER_SUFFIXES):  # a pipe too: reported, not read
            yield path, False


def _read_by_run(paths: Sequence[Path]) -> dict[tuple, str]:
    """How the run reads each file, by :func:`_identity`: "named" (a link named is
    followed) or "found" in a named folder (links there are not), as the first path that
    reaches it says."""
    how: dict[tuple, str] = {}
    for path in paths:
        try:
            if not path.is_dir():
                how.setdefault(_identity(path), "named")
                continue
            for file, is_link in walk(path, []):
                if not is_link:
                    how.setdefault(_identity(file), "found")
        except OSError:  # refused: the reading reports it
            continue
    return how


def refuse_writing_inputs(outputs: Iterable[Path], paths: Sequence[Path], lang: str) -> None:
    """Raise :class:`UsageError` when a report would be written over an input: a file the
    command line names (a ledger, the configuration, exemptions, the quality ledger;
    through a link too), or a ledger found in a folder it names (an
    ``--out`` holding a ledger named report.csv). A file in such a folder that holds no
    ledger (a report written there before) may be replaced."""
    from jituan.readers import holds_ledger

    read: dict[tuple, str] | None = None  # the run's files, listed once, when needed
    for output in outputs:
        # nosuch/../a.csv is a.csv once the writer has made nosuch/
        target = output if os.path.exists(output) else Path(os.path.normpath(output))
        try:
            regular = stat.S_ISREG(os.stat(target).st_mode)  # through a link, as writing
        except OSError:
            continue
        if not regular:
            continue
        if read is None:
            read = _read_by_run(paths)
        how = read.get(_identity(target))
        if how == "named" or (how == "found" and holds_ledger(target)):
            raise UsageError(t("output-is-input", lang, output=path_text(output)))


def _message(problem: Problem, lang: str) -> str:
    values = dict(problem.values)
    if "missing" in values:
        from jituan.columns import COLUMNS

        headers = {c: COLUMNS[c][0][1:] for c in values["missing"]}
        values["missing"] = (  # the header a school writes first, in Chinese
            "、".join(f"{'/'.join(h)}（{c}）" for c, h in headers.items())
            if lang == "zh"
            else "; ".join(f"{c} ({'/'.join(h)})" for c, h in headers.items())
        )
    sep = "、" if lang == "zh" else ", "
    if "found" in values:
        found = [visible(str(c)) for c in values["found"] if str(c).strip()]
        shown = sep.join(c[:40] for c in found[:30])
        more = f"{sep}… (+{len(found) - 30})" if len(found) > 30 else ""
        values["found"] = shown + more or "—"
    if "first" in values:
        cells = [visible(str(c)[:60]) for c in values["first"] if str(c).strip()][:12]
        values["first"] = sep.join(cells) or "—"
    return t(problem.message, lang, **values)


def _issue(file: str, problem: Problem, severity: str, lang: str) -> RowIssue:
    return RowIssue(
        file=file,
        sheet=problem.sheet,
        row=problem.row,
        column=None,
        value=None,
        code=problem.code,
        severity=severity,  # type: ignore[arg-type]
        message=_message(problem, lang),
    )


def _own_report(problem: Problem) -> bool:
    """Whether a file without a ledger header is a report.csv that jituan wrote: an audit
    folder kept inside the data folder it checks would otherwise come back as a warning
    on every later run (and fail it under --strict)."""
    if problem.message != "file-no-header":
        return False
    from jituan.report.csv_format import COLUMNS as REPORT_COLUMNS

    first = problem.values.get("first") or [""]
    return first[0].lstrip("\ufeff").split(",") == list(REPORT_COLUMNS)


def _notes_file(path: Path, problem: Problem) -> bool:
    """Whether a .txt or .tsv found in a folder is no text table at all (binary, or in
    no encoding a ledger uses): a note or a file another program left, not a ledger that
    could not be read, so it does not stop the run. (.csv and workbooks are ledgers by
    name: one that cannot be read is an error.)"""
    return path.suffix.lower() in (".txt", ".tsv") and problem.message in (
        "file-undecodable",
        "file-binary",
    )


def _severity(problem: Problem, direct: bool, has_tables: bool) -> str:
    if problem.code != "not-a-ledger":
        return "error"
    if problem.sheet is not None and has_tables:
        return "info"
    return "error" if direct else "warning"


def _read(path: Path, direct: bool, lang: str) -> tuple[list[RawTable | Deferred], list[RowIssue]]:
    name = path_text(path)
    try:
        tables, problems = read_path(path, name)
    except ReadProblem as err:
        if _own_report(err.problem):  # an audit's report.csv in the folder checked
            own = Problem("not-a-ledger", "file-jituan-report")
            return [], [_issue(name, own, "info", lang)]
        if not direct and _notes_file(path, err.problem):
            notes = Problem("not-a-ledger", err.problem.message, err.problem.values)
            return [], [_issue(name, notes, "warning", lang)]
        return [], [_issue(name, err.problem, _severity(err.problem, direct, False), lang)]
    return tables, [_issue(name, p, _severity(p, direct, bool(tables)), lang) for p in problems]


def _skipped_rows(table: RawTable, lang: str) -> list[RowIssue]:
    """An error for rows above the header that read as another block of records (under
    an earlier header): they are not read, and must not be lost without a word."""
    rows = table.skipped_rows
    if not rows:
        return []
    return [
        RowIssue(
            file=table.file,
            sheet=table.sheet,
            row=rows[0],
            column=None,
            value=None,
            code="skipped-rows",
            severity="error",
            message=t(
                "skipped-rows",
                lang,
                n=len(rows),
                first=rows[0],
                last=rows[-1],
                header=table.header_row,
            ),
        )
    ]


def _repeated_columns(table: RawTable, lang: str) -> list[RowIssue]:
    """A warning for each header cell that names a column already named to its left:
    its cells are not read, which nobody would guess from the result."""
    cells = table.columns
    return [
        RowIssue(
            file=table.file,
            sheet=table.sheet,
            row=table.header_row,
            column=col,
            value=cells[i],
            code="duplicate-column",
            severity="warning",
            message=t("duplicate-column", lang, value=cells[i], first=cells[first]),
        )
        for i, col, first in repeated_headers(cells)
    ]


def _progress(total: int):  # pragma: no cover - only on a terminal
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(stderr=True),
        transient=True,
    )


def _spelled(path: Path | str) -> str:
    """A path as one spelling: absolute, normalised, its folder resolved (data/./a.csv,
    /abs/data/a.csv, a folder reached through a linked parent), the file itself not (a
    link stays a link)."""
    full = os.path.abspath(path)
    folder, name = os.path.split(full)
    return os.path.normcase(os.path.join(os.path.realpath(folder), name))


def _identity(path: Path) -> tuple:
    """What makes two paths the same file: its device and inode (a link, a path written
    another way, a file named beside its folder); the resolved path where those are 0."""
    try:
        st = path.stat()
    except OSError:
        return ("path", str(path))
    if st.st_ino:
        return (st.st_dev, st.st_ino)
    return ("path", os.path.normcase(os.path.realpath(path)))


def _read_once(jobs: list[tuple[Path, bool]]) -> tuple[list[tuple[Path, bool]], list[int | None]]:
    """Each file read once, where it is first named (``check data data/a.csv`` would
    otherwise make every row of a.csv a duplicate of itself): for each job, the index of
    the job that reads its file, or None for that job. A file named directly anywhere is
    read as named directly (its missing header is then an error, not a warning)."""
    first: dict[tuple, int] = {}
    same_as: list[int | None] = []
    out = list(jobs)
    for k, (file, direct) in enumerate(jobs):
        key = _identity(file)
        if key in first:
            reader = first[key]
            same_as.append(reader)
            out[reader] = (out[reader][0], out[reader][1] or direct)
        else:
            first[key] = k
            same_as.append(None)
    return out, same_as


def _kind(path: Path, lang: str) -> str:
    """ "folder", "file" (anything else that exists) or "missing"; a path the system
    refuses to look at (no permission on a folder above it, a name too long) stops the
    run with its reason, as a missing one does."""
    try:
        if path.is_dir():
            return "folder"
        return "file" if path.exists() or path.is_symlink() else "missing"
    except OSError as err:
        raise InputError(
            f"{path_text(path)}: {t('file-os-error', lang, detail=err.strerror or err)}"
        ) from err


def collect_tables(
    paths: Sequence[Path], lang: str = "en", progress: bool = False
) -> tuple[list[RawTable], list[RowIssue]]:
    """Raw tables of every ledger under ``paths`` and issues for files that were skipped."""
    jobs: list[tuple[Path, bool]] = []  # (file, named directly)
    issues: list[RowIssue] = []
    folders: list[tuple[Path, int, int]] = []  # (folder, its first job, its number of jobs)
    # a link is said once, and not at all when it is named on the command line (and read)
    kinds = [_kind(p, lang) for p in paths]
    links_said = {_spelled(p) for p, kind in zip(paths, kinds, strict=True) if kind != "folder"}
    unlisted: list[tuple[Path, OSError]] = []
    for path, kind in zip(paths, kinds, strict=True):
        if kind == "folder":
            first = len(jobs)
            for file, is_link in walk(path, unlisted):
                if is_link:
                    spelled = _spelled(file)
                    if spelled not in links_said:
                        links_said.add(spelled)
                        link = Problem("symlink", "file-symlink")
                        issues.append(_issue(path_text(file), link, "warning", lang))
                else:
                    jobs.append((file, False))
            folders.append((path, first, len(jobs) - first))
        elif path.suffix.lower() in (".yaml", ".yml") or kind == "file":
            jobs.append((path, True))
        else:
            raise InputError(f"{path_text(path)}: {t('no-such-path', lang)}")
    for folder, err in unlisted:
        detail = err.strerror or str(err)
        problem = Problem("unreadable", "file-os-error", {"detail": detail})
        issues.append(_issue(path_text(folder), problem, "error", lang))

    jobs, same_as = _read_once(jobs)
    show = progress and len(jobs) > 1 and sys.stderr.isatty()
    bar = _progress(len(jobs)) if show else None
    task = bar.add_task(t("reading-files", lang), total=len(jobs)) if bar else None
    outcomes = []
    if bar:
        bar.start()
    try:
        with batching() as batch:  # small files are parsed together, after the loop
            for k, (file, direct) in enumerate(jobs):
                outcomes.append(_read(file, direct, lang) if same_as[k] is None else ([], []))
                if bar is not None and task is not None:
                    bar.advance(task)
            batch.parse()
    finally:
        if bar:
            bar.stop()
    tables: list[RawTable] = []
    settled = []  # whether each job gave a table, or an error that exits 2 already
    names_said: set[str] = set()  # other names of a file read already, each said once
    for k, ((file, direct), (got, problems)) in enumerate(zip(jobs, outcomes, strict=True)):
        if same_as[k] is not None:  # read already, where it was first named
            settled.append(settled[same_as[k]])
            reader = path_text(jobs[same_as[k]][0])
            name = _spelled(file)  # the same path written another way is no other name
            if name != _spelled(reader) and name not in names_said:
                names_said.add(name)
                same = Problem("same-file", "file-same-file", {"other": reader})
                issues.append(_issue(path_text(file), same, "info", lang))
            continue
        if got and isinstance(got[0], Deferred):
            if got[0].table is not None:
                got = [got[0].table]
            else:  # its batch was refused: read it on its own, as always
                got, problems = _read(file, direct, lang)
        tables.extend(got)  # type: ignore[arg-type]
        # a table, an error (exit 2 already), or a file known not to be a ledger (a
        # report jituan wrote): the folder is not one "with no ledger at all" because of it
        settled.append(
            bool(got)
            or any(i.severity == "error" for i in problems)
            or any(i.severity == "info" and i.sheet is None for i in problems)
        )
        issues.extend(problems)
        for table in got:
            issues.extend(_repeated_columns(table, lang))  # type: ignore[arg-type]
            issues.extend(_skipped_rows(table, lang))  # type: ignore[arg-type]
    said = {folder for folder, _ in unlisted}
    for folder, first, count in folders:
        if folder in said:  # its reason is given already
            continue
        if not any(settled[first : first + count]):  # a folder with no ledger at all: exit 2
            if not tables and not count:
                raise InputError(f"{path_text(folder)}: {t('folder-no-ledger', lang)}")
            message = "folder-no-ledger" if not count else "folder-no-ledger-read"
            issues.append(
                _issue(path_text(folder), Problem("not-a-ledger", message), "error", lang)
            )
    if not tables:
        reasons = [i for i in issues if i.code != "symlink"] or issues
        raise InputError(
            "\n".join(f"{i.file}{f' [{i.sheet}]' if i.sheet else ''}: {i.message}" for i in reasons)
            or t("folder-no-ledger", lang)
        )
    return tables, issues
