"""Compliance and quality scores and the bundled evaluation (捆绑考核, 四（六）2).

Statistics only; :mod:`jituan.report.scores` formats them.

**Compliance rate** of a school for a period = passed ÷ evaluated results of
error-level targets whose subject is the school, where *evaluated* means every status
but ``unknown`` and ``exempt`` (a running period's ``at_risk`` and ``on_track`` are
evaluated and not passed). A group's rate pools its own duties (scope group) and its
schools' results. Per period id (2024-2025-1, 2024-2025, 2025: each target's own period
kind) and ``program``: every period pooled.

**Quality score**: from the quality ledger (``--quality``); a group's is the mean of its
schools'; ``program`` is the mean of a school's period scores.

**Bundled score** of a receiving school (``bundling.into``: the lead school unless it is
rural, and/or the urban, i.e. not rural, members) = (1 − w) × own + w × the mean of its group's rural
members' own scores for the same kind and period (members without a score left out).
Everyone else, groups included, has bundled = own; so has everyone when ``weight`` is
null, when the group has no rural member, or when no rural member has a score.

**Rank**: within the district, per kind, period and scope (schools among schools,
groups among groups), by bundled score, highest first; ties share a rank (1, 2, 2, 4).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

from jituan.model import InputSummary, Result, RowIssue, number

if TYPE_CHECKING:
    from jituan.config import Bundling, Config
    from jituan.quality import QualityScore

Kind = Literal["quality", "compliance"]
KINDS: tuple[Kind, ...] = ("compliance", "quality")
PROGRAM = "program"
NOT_EVALUATED = frozenset({"unknown", "exempt"})
#: Scores equal to this many decimals tie.
TIE_DIGITS = 9


@dataclass(frozen=True)
class Score:
    """One subject's score of one kind for one period."""

    kind: Kind
    subject: str
    scope: Literal["school", "group"]
    group: str | None  # the group's name
    period: str
    own: float | None
    rural_mean: float | None
    bundled: float | None
    rank: int | None = None
    receives: bool = False  # a receiving school of a group with a rural mean, weight set
    passed: int | None = None  # compliance only
    evaluated: int | None = None

    def to_dict(self) -> dict[str, Any]:
        def n(value: float | None) -> int | float | None:
            return None if value is None else number(value)

        return {
            "kind": self.kind,
            "subject": self.subject,
            "scope": self.scope,
            "group": self.group,
            "period": self.period,
            "own": n(self.own),
            "rural_mean": n(self.rural_mean),
            "bundled": n(self.bundled),
            "rank": self.rank,
        }


@dataclass(frozen=True)
class ScoreSheet:
    """Everything ``jituan score`` reports."""

    tool_version: str
    as_of: dt.date
    district: str
    lang: str
    weight: float | None
    into: tuple[str, ...]
    scores: tuple[Score, ...]
    no_rural: tuple[str, ...]  # names of groups without a rural member
    quality_given: bool
    issues: tuple[RowIssue, ...] = ()  # the quality ledger's, the exemptions', inputs not read
    #: the activity ledgers' row issues, as check reports them (counted in the notes)
    ledger_issues: tuple[RowIssue, ...] = ()
    inputs: tuple[InputSummary, ...] = ()
    quality_inputs: tuple[InputSummary, ...] = ()
    periods: dict[str, str] = field(default_factory=dict)  # id → label

    def to_dict(self) -> dict[str, Any]:
        return {
            "tool": "jituan",
            "version": self.tool_version,
            "as_of": self.as_of.isoformat(),
            "bundling": {
                "weight": self.weight,
                "from": "rural",
                "into": list(self.into),
                "configured": self.weight is not None,
                "formula": "bundled = (1 - weight) * own + weight * rural_mean",
                "groups_without_rural_member": list(self.no_rural),
            },
            "quality_given": self.quality_given,
            "scores": [s.to_dict() for s in self.scores],
            "inputs": [i.to_dict() for i in (*self.inputs, *self.quality_inputs)],
            "issues": [i.to_dict() for i in (*self.ledger_issues, *self.issues)],
        }


def _mean(values: Iterable[float]) -> float | None:
    items = list(values)
    return sum(items) / len(items) if items else None


def compliance_counts(
    results: Sequence[Result], config: Config
) -> dict[tuple[str, str], dict[str, tuple[int, int]]]:
    """(scope, key) → period → (passed, evaluated); key: a school's name or a group's id.

    Only error-level targets of scope school or group; ``program`` pools every period.
    """
    group_of_name = {g.name: g.id for g in config.groups.values()}
    counts: dict[tuple[str, str], dict[str, list[int]]] = defaultdict(
        lambda: defaultdict(lambda: [0, 0])
    )
    for r in results:
        if r.severity != "error" or r.status in NOT_EVALUATED or not r.period:
            continue
        keys: list[tuple[str, str]] = []
        if r.scope == "school" and r.subject in config.schools:
            keys.append(("school", r.subject))
            keys.append(("group", config.schools[r.subject].group))
        elif r.scope == "group" and r.subject in group_of_name:
            keys.append(("group", group_of_name[r.subject]))
        for k in keys:
            for period in {r.period, PROGRAM}:
                cell = counts[k][period]
                cell[0] += r.status == "pass"
                cell[1] += 1
    return {k: {p: (c[0], c[1]) for p, c in v.items()} for k, v in counts.items()}


def _receives(school: Any, bundling: Bundling) -> bool:
    """Whether a school's bundled score takes in the rural mean: a rural school never does
    (its own score is part of that mean), even when it leads the group."""
    if school.rural:
        return False
    return "lead" in bundling.into if school.lead else "urban" in bundling.into


def _kind_scores(
    kind: Kind,
    own_school: dict[str, dict[str, float]],
    own_group: dict[str, dict[str, float]],
    periods: list[str],
    config: Config,
    counts: dict[tuple[str, str], dict[str, tuple[int, int]]] | None = None,
) -> list[Score]:
    """The school and group scores of one kind, bundled, in configuration order.

    Only subjects with an own score for the period (a school whose results there are all
    unknown or exempt has no compliance rate for it).
    """
    bundling = config.targets_file.bundling
    weight = bundling.weight
    out: list[Score] = []
    for period in periods:
        for g in config.groups.values():
            members = config.schools_of(g.id)
            rural = [
                own_school[s.name][period]
                for s in members
                if s.rural and period in own_school.get(s.name, {})
            ]
            rural_mean = _mean(rural)
            for s in members:
                own = own_school.get(s.name, {}).get(period)
                if own is None:
                    continue
                receives = (
                    weight is not None
                    and rural_mean is not None
                    and own is not None
                    and _receives(s, bundling)
                )
                bundled = (1 - weight) * own + weight * rural_mean if receives else own  # type: ignore[operator]
                passed, evaluated = (counts or {}).get(("school", s.name), {}).get(period, (0, 0))
                out.append(
                    Score(
                        kind,
                        s.name,
                        "school",
                        g.name,
                        period,
                        own,
                        rural_mean,
                        bundled,
                        receives=receives,
                        passed=passed if counts is not None else None,
                        evaluated=evaluated if counts is not None else None,
                    )  # fmt: skip
                )
            own = own_group.get(g.id, {}).get(period)
            if own is None:
                continue
            passed, evaluated = (counts or {}).get(("group", g.id), {}).get(period, (0, 0))
            out.append(
                Score(
                    kind,
                    g.name,
                    "group",
                    g.name,
                    period,
                    own,
                    rural_mean,
                    own,
                    passed=passed if counts is not None else None,
                    evaluated=evaluated if counts is not None else None,
                )  # fmt: skip
            )
    return out


def rank(scores: Sequence[Score]) -> list[Score]:
    """Scores with their rank per kind, period and scope (bundled, highest first, 1 2 2 4)."""
    ranked: dict[int, int] = {}
    pools: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for i, s in enumerate(scores):
        if s.bundled is not None:
            pools[(s.kind, s.period, s.scope)].append(i)
    for members in pools.values():
        members.sort(key=lambda i: -round(scores[i].bundled or 0.0, TIE_DIGITS))
        previous: float | None = None
        for position, i in enumerate(members, 1):
            value = round(scores[i].bundled or 0.0, TIE_DIGITS)
            if value != previous:
                current, previous = position, value
            ranked[i] = current
    return [replace(s, rank=ranked.get(i)) for i, s in enumerate(scores)]


def _period_order(ids: Iterable[str]) -> list[str]:
    """Semesters, school years and years by their start, ``program`` last."""

    def sort_key(pid: str) -> tuple[int, str, int]:
        if pid == PROGRAM:
            return (9999, "", 9)
        parts = pid.split("-")
        return (int(parts[0]), pid, len(parts)) if parts[0].isdigit() else (9998, pid, 0)

    return sorted(set(ids), key=sort_key)


def compliance_scores(results: Sequence[Result], config: Config) -> list[Score]:
    """Compliance rates of every school and group, bundled (not ranked)."""
    counts = compliance_counts(results, config)
    own_school: dict[str, dict[str, float]] = defaultdict(dict)
    own_group: dict[str, dict[str, float]] = defaultdict(dict)
    for (scope, k), periods in counts.items():
        for period, (passed, evaluated) in periods.items():
            if evaluated:
                (own_school if scope == "school" else own_group)[k][period] = passed / evaluated
    periods = _period_order(p for v in counts.values() for p in v)
    return _kind_scores("compliance", own_school, own_group, periods, config, counts)


def quality_scores(quality: Sequence[QualityScore], config: Config) -> list[Score]:
    """Quality scores of every school with one, their groups' means, bundled (not ranked)."""
    own_school: dict[str, dict[str, float]] = defaultdict(dict)
    for q in quality:
        own_school[q.school][q.period] = q.score
    for periods in own_school.values():
        mean = _mean(periods.values())
        if mean is not None:
            periods[PROGRAM] = mean
    own_group: dict[str, dict[str, float]] = defaultdict(dict)
    periods = _period_order(p for v in own_school.values() for p in v)
    for g in config.groups.values():
        for period in periods:
            mean = _mean(
                own_school[s.name][period]
                for s in config.schools_of(g.id)
                if period in own_school.get(s.name, {})
            )
            if mean is not None:
                own_group[g.id][period] = mean
    return _kind_scores("quality", own_school, own_group, periods, config)


def build(
    results: Sequence[Result],
    quality: Sequence[QualityScore] | None,
    config: Config,
    *,
    tool_version: str,
    as_of: dt.date,
    lang: str,
    issues: Sequence[RowIssue] = (),
    ledger_issues: Sequence[RowIssue] = (),
    inputs: Sequence[InputSummary] = (),
    quality_inputs: Sequence[InputSummary] = (),
) -> ScoreSheet:
    """The score sheet: compliance (and quality when given) scores, bundled and ranked."""
    scores = compliance_scores(results, config)
    if quality is not None:
        scores += quality_scores(quality, config)
    labels = {r.period: r.period_label for r in results if r.period}
    from jituan.periods import evaluated_periods

    for kind in ("semester", "school_year", "year", "program"):
        for p in evaluated_periods(kind, config.calendar, config.calendar.end):
            labels.setdefault(p.id, p.label(lang))
    no_rural = tuple(
        g.name for g in config.groups.values() if not any(s.rural for s in config.schools_of(g.id))
    )
    bundling = config.targets_file.bundling
    return ScoreSheet(
        tool_version=tool_version,
        as_of=as_of,
        district=config.district,
        lang=lang,
        weight=bundling.weight,
        into=tuple(bundling.into),
        scores=tuple(rank(scores)),
        no_rural=no_rural,
        quality_given=quality is not None,
        issues=tuple(issues),
        ledger_issues=tuple(ledger_issues),
        inputs=tuple(inputs),
        quality_inputs=tuple(quality_inputs),
        periods=labels,
    )
