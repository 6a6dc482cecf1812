"""A workbook named on the command line, parsed while the command is still starting.

Reading a large .xlsx is mostly calamine parsing its XML, which it does without holding
the GIL; meanwhile the command imports pyarrow, numpy and pydantic and loads the
configuration (0.2 s). So the check starts the first workbook it is given, in a second
thread, before any of that; the reader (:func:`jituan.excel.read_workbook`) takes the
opened book over when it gets to that file. Only one workbook is read ahead, and only
its first sheet with cells, so memory stays what reading it in turn would take.

Whatever goes wrong while reading ahead (a zip bomb, a broken file) is raised again
when the reader takes the book, so the file gets the same issue as before.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path

from jituan.beside import Beside
from jituan.excel import OpenBook

_AHEAD: dict[str, tuple[str, Beside[OpenBook]]] = {}  # path as given → (kind, job)


def _kind(path: Path) -> str | None:
    """ "xlsx" or "xls" when ``path`` is a workbook file, else None (without raising)."""
    from jituan.readers import file_kind

    try:
        if not path.is_file():
            return None
        with path.open("rb") as fh:
            kind = file_kind(fh.read(8), path)
    except OSError:
        return None
    return kind if kind in ("xlsx", "xls") else None


def _open(path: Path, kind: str) -> OpenBook:
    return OpenBook(path, kind).parse_ahead()


@contextlib.contextmanager
def reading_ahead(paths: Sequence[Path]) -> Iterator[None]:
    """While in effect, the first workbook among ``paths`` (files named directly, not
    folders) is being opened in a second thread for :func:`take`."""
    started = None
    for path in paths:
        kind = _kind(path)
        if kind is not None:
            started = str(path)
            _AHEAD[started] = (kind, Beside(_open, path, kind))
            break
    try:
        yield
    finally:
        if started is not None:  # not taken: the command stopped before reading it
            _AHEAD.pop(started, None)


def take(path: Path, kind: str) -> OpenBook | None:
    """The book opened ahead for ``path`` (raising what opening it raised), or None."""
    got = _AHEAD.pop(str(path), None)
    if got is None or got[0] != kind:
        return None
    return got[1].result()
