"""One check run: read the inputs, normalise the rows, evaluate the targets.

This is the library entry point the CLI (and the audit and score commands) call; it
prints nothing and returns a :class:`~jituan.model.Report`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from jituan import __version__
from jituan.config import Config
from jituan.engine import evaluate
from jituan.errors import UsageError
from jituan.exemptions import Exemptions, apply_exemptions
from jituan.i18n import t
from jituan.model import Report
from jituan.periods import evaluated_periods
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


def load_ledger(
    paths: Sequence[Path], config: Config, as_of: dt.date, lang: str, progress: bool = False
) -> Ledger:
    """Read and normalise every ledger under the given paths."""
    from jituan.integrity import integrity_issues

    tables, file_issues = collect_tables(paths, lang=lang, progress=progress)
    ledger = normalise(tables, config, as_of, lang)
    order = {(tb.file, tb.sheet): i for i, tb in enumerate(tables)}
    row_issues = ledger.issues + integrity_issues(ledger.records, tables, config, lang)
    row_issues.sort(key=lambda i: (order.get((i.file, i.sheet), -1), i.row or 0))  # stable
    ledger.issues[:] = file_issues + row_issues
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
    ledger = load_ledger(paths, config, as_of, lang, progress)
    results = evaluate(config, ledger.records, as_of, lang, set(periods) or None, group_id)
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
