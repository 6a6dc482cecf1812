"""One check run: read the inputs, normalise the rows, evaluate the targets.

This is the library entry point the CLI (and the audit and score commands) call; it
prints nothing and returns a :class:`~jituan.model.Report`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from jituan import __version__
from jituan.beside import Beside
from jituan.config import Config
from jituan.engine import evaluate
from jituan.errors import UsageError
from jituan.exemptions import Exemptions, apply_exemptions
from jituan.i18n import t
from jituan.model import Report, RowIssue
from jituan.periods import evaluated_periods
from jituan.raw_tables import RawTable
from jituan.records import Ledger, normalise
from jituan.sources import collect_tables


def resolve_group(config: Config, name: str | None, lang: str = "en") -> str | None:
    """The id of the group a ``--group`` value names (id, name or alias)."""
    if name is None:
        return None
    group = config.find_group(name)
    if group is None:
        known = ", ".join(f"{g.id} ({g.name})" for g in config.groups.values())
        raise UsageError(t("unknown-group-option", lang, name=name, known=known))
    return group


def check_periods(config: Config, as_of: dt.date, periods: Sequence[str], lang: str) -> None:
    """Refuse a ``--period`` that names no period evaluated on ``as_of`` (before any reading)."""
    kinds = dict.fromkeys(target.period for target in config.targets)
    known = [p.id for kind in kinds for p in evaluated_periods(kind, config.calendar, as_of)]
    unknown = [p for p in dict.fromkeys(periods) if p not in known]
    if unknown:
        raise UsageError(
            t("unknown-period-option", lang, ids=", ".join(unknown), known=", ".join(known))
        )


def _read_and_normalise(
    paths: Sequence[Path], config: Config, as_of: dt.date, lang: str, progress: bool
) -> tuple[Ledger, list[RawTable], list[RowIssue]]:
    tables, file_issues = collect_tables(paths, lang=lang, progress=progress)
    return normalise(tables, config, as_of, lang), tables, file_issues


def _all_issues(
    ledger: Ledger, tables: list[RawTable], file_issues: list[RowIssue], flags: list[RowIssue]
) -> None:
    """The ledger's issues in reading order: files first, then rows by input and row."""
    order = {(tb.file, tb.sheet): i for i, tb in enumerate(tables)}
    row_issues = ledger.issues + flags
    row_issues.sort(key=lambda i: (order.get((i.file, i.sheet), -1), i.row or 0))  # stable
    ledger.issues[:] = file_issues + row_issues


def load_ledger(
    paths: Sequence[Path], config: Config, as_of: dt.date, lang: str, progress: bool = False
) -> Ledger:
    """Read and normalise every ledger under the given paths, integrity flags included."""
    from jituan.integrity import integrity_issues

    ledger, tables, file_issues = _read_and_normalise(paths, config, as_of, lang, progress)
    _all_issues(ledger, tables, file_issues, integrity_issues(ledger.records, tables, config, lang))
    return ledger


def run_check(
    paths: Sequence[Path],
    config: Config,
    as_of: dt.date,
    lang: str,
    periods: Sequence[str] = (),
    group: str | None = None,
    strict: bool = False,
    progress: bool = False,
    exemptions: Exemptions | None = None,
) -> Report:
    """The whole check, as a report (exemptions, when given, applied to the results)."""
    group_id = resolve_group(config, group, lang)
    check_periods(config, as_of, periods, lang)
    from jituan.integrity import integrity_issues

    ledger, tables, file_issues = _read_and_normalise(paths, config, as_of, lang, progress)
    flags = Beside(integrity_issues, ledger.records, tables, config, lang)
    results = evaluate(config, ledger.records, as_of, lang, set(periods) or None, group_id)
    _all_issues(ledger, tables, file_issues, flags.result())
    results, exemption_warnings = apply_exemptions(results, exemptions, config, as_of, lang)
    return Report(
        tool_version=__version__,
        as_of=as_of,
        district=config.district,
        lang=lang,
        results=tuple(results),
        issues=tuple(ledger.issues) + tuple(exemption_warnings),
        inputs=tuple(ledger.inputs),
        strict=strict,
    )
