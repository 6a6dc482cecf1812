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
from jituan.model import Report
from jituan.records import Ledger, normalise
from jituan.sources import collect_tables


def resolve_group(config: Config, name: str | None) -> str | None:
    """The id of the group a ``--group`` value names (id, name or alias)."""
    if name is None:
        return None
    group = config.find_group(name)
    if group is None:
        known = ", ".join(f"{g.id} ({g.name})" for g in config.groups.values())
        raise UsageError(f"--group: unknown group {name!r}; known groups: {known}")
    return group


def load_ledger(
    paths: Sequence[Path], config: Config, as_of: dt.date, lang: str, progress: bool = False
) -> Ledger:
    """Read and normalise every ledger under the given paths."""
    from jituan.integrity import integrity_issues

    tables, file_issues = collect_tables(paths, lang=lang, progress=progress)
    ledger = normalise(tables, config, as_of, lang)
    order = {(tb.file, tb.sheet): i for i, tb in enumerate(tables)}
    row_issues = ledger.issues + integrity_issues(ledger.frame, tables, config, lang)
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
    group_id = resolve_group(config, group)
    ledger = load_ledger(paths, config, as_of, lang, progress)
    period_ids = set(periods) or None
    results = evaluate(config, ledger.frame, as_of, lang, period_ids, group_id)
    if period_ids:
        seen = {r.period for r in results}
        unknown = sorted(period_ids - seen)
        if unknown:
            raise UsageError(
                f"--period: no evaluated period is called {', '.join(unknown)} "
                f"(ids look like 2024-2025-1, 2024-2025, 2025 or program)"
            )
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
