"""Finding ledgers: files and folders given on the command line → raw tables.

Configuration YAML files found among submitted records are never read as
configuration; a submitter must not be able to change the targets.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from jituan.errors import InputError
from jituan.model import RowIssue
from jituan.readers import RawTable, read_path

LEDGER_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xls")


def collect_tables(
    paths: Sequence[Path], lang: str = "en", progress: bool = False
) -> tuple[list[RawTable], list[RowIssue]]:
    """Raw tables of every ledger under ``paths`` and issues for files that were skipped."""
    tables: list[RawTable] = []
    issues: list[RowIssue] = []
    for path in paths:
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.suffix.lower() in LEDGER_SUFFIXES)
            if not files:
                raise InputError(f"{path}: no ledger (.csv, .xlsx, .xls) in this folder")
            for f in files:
                tables.extend(read_path(f))
        else:
            tables.extend(read_path(path))
    return tables, issues
