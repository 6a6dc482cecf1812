"""The final acceptance report (总结验收, 五（四）): the whole programme in one view.

Statistics only (``jituan audit --final`` writes them with :mod:`jituan.report.final`):

- per group and school the compliance rate semester by semester (the semester-period
  scores of :mod:`jituan.scores`: semester targets only, so that one semester is
  compared with the next on the same duties), for a trend chart;
- the targets never met: by nobody (no ``pass`` anywhere), and per school or group
  (evaluated at least once, never passed);
- the rural schools' first and last semesters side by side (compliance, and quality
  when a quality ledger is given);
- teacher rotation (targets measured as a share of teachers) against headcounts;
- the bundled scores of the whole programme (only when a weight is configured).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from jituan.config import Config
from jituan.model import Report, Result, number
from jituan.scores import NOT_EVALUATED, PROGRAM, Score, ScoreSheet


def is_semester(period: str) -> bool:
    return len(period.split("-")) == 3


@dataclass(frozen=True)
class Trend:
    """One subject's compliance rate per semester (None: nothing evaluated)."""

    subject: str
    scope: str
    group: str
    rural: bool
    rates: tuple[float | None, ...]
    counts: tuple[tuple[int, int], ...]  # (passed, evaluated) per semester

    def to_dict(self, semesters: list[str]) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "scope": self.scope,
            "group": self.group,
            "rural": self.rural,
            "semesters": [
                {
                    "period": p,
                    "rate": None if r is None else number(r),
                    "passed": c[0],
                    "evaluated": c[1],
                }
                for p, r, c in zip(semesters, self.rates, self.counts, strict=True)
            ],
        }


@dataclass(frozen=True)
class RuralChange:
    """A rural school's first and last semester with a compliance rate."""

    school: str
    group: str
    first: str | None
    last: str | None
    first_rate: float | None
    last_rate: float | None
    first_quality: float | None = None
    last_quality: float | None = None

    @property
    def change(self) -> float | None:
        """Last semester's rate less the first's; None without two semesters rated (a
        school exempt from all but one has no change to show, not a change of 0)."""
        if self.first_rate is None or self.last_rate is None or self.first == self.last:
            return None
        return self.last_rate - self.first_rate

    def to_dict(self) -> dict[str, Any]:
        def n(v: float | None) -> Any:
            return None if v is None else number(v)

        return {
            "school": self.school,
            "group": self.group,
            "first": {
                "period": self.first,
                "rate": n(self.first_rate),
                "quality": n(self.first_quality),
            },
            "last": {
                "period": self.last,
                "rate": n(self.last_rate),
                "quality": n(self.last_quality),
            },
            "change": n(self.change),
        }


@dataclass(frozen=True)
class Rotation:
    """A school's teachers sent on rotation per period of a share-of-teachers target."""

    target: str
    school: str
    group: str
    teachers: int | None
    periods: tuple[tuple[str, int | None, float, str], ...]  # (period, sent, share, status)
    minimum: float | None = None  # the target's min (a share), for showing shares honestly

    @property
    def total(self) -> int | None:
        sent = [p[1] for p in self.periods]
        return None if any(s is None for s in sent) else sum(s or 0 for s in sent)

    def to_dict(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "school": self.school,
            "group": self.group,
            "teachers": self.teachers,
            "total_sent": self.total,
            "periods": [
                {"period": p, "sent": sent, "share": number(share), "status": status}
                for p, sent, share, status in self.periods
            ],
        }


@dataclass(frozen=True)
class FinalReport:
    report: Report
    sheet: ScoreSheet
    programme: tuple[str, str]  # first and last day
    semesters: tuple[str, ...]
    labels: dict[str, str]
    trends: dict[str, tuple[Trend, ...]]  # group name → the group's trend then its schools'
    never_met: tuple[tuple[str, str, str, int], ...]  # (target, title, source, evaluated)
    never_met_by: dict[str, tuple[str, ...]]  # subject → target ids
    rural: tuple[RuralChange, ...]
    rotation: tuple[Rotation, ...]
    bundled: tuple[Score, ...]  # program scores, when a weight is configured

    @property
    def rural_mean_change(self) -> float | None:
        """The mean change of the rural schools' rate, first to last semester (the
        headline of 总结验收: how much the rural schools improved); None without any."""
        changes = [r.change for r in self.rural if r.change is not None]
        return sum(changes) / len(changes) if changes else None

    def to_dict(self) -> dict[str, Any]:
        semesters = list(self.semesters)
        mean = self.rural_mean_change
        return {
            "tool": "jituan",
            "version": self.report.tool_version,
            "kind": "final",
            "as_of": self.report.as_of.isoformat(),
            "programme": {"start": self.programme[0], "end": self.programme[1]},
            "summary": self.report.to_dict()["summary"],
            "semesters": semesters,
            "trends": {
                g: [t.to_dict(semesters) for t in items] for g, items in self.trends.items()
            },
            "never_met": [
                {"target": t, "title": title, "source": s, "evaluated": n}
                for t, title, s, n in self.never_met
            ],
            "never_met_by_subject": {k: list(v) for k, v in self.never_met_by.items()},
            "rural_first_last": [r.to_dict() for r in self.rural],
            "rural_mean_change": None if mean is None else number(mean),
            "rotation": [r.to_dict() for r in self.rotation],
            "bundling": {"weight": self.sheet.weight, "configured": self.sheet.weight is not None},
            "bundled_scores": [s.to_dict() for s in self.bundled],
            "issues": [i.to_dict() for i in self.sheet.issues],  # the quality ledger's
        }


def _never_met(results: tuple[Result, ...]) -> tuple[tuple, dict[str, tuple[str, ...]]]:
    evaluated: dict[str, int] = defaultdict(int)
    passed: set[str] = set()
    meta: dict[str, Result] = {}
    by_subject: dict[tuple[str, str], bool] = {}
    for r in results:
        if r.status in NOT_EVALUATED:
            continue
        meta.setdefault(r.target, r)
        evaluated[r.target] += 1
        if r.status == "pass":
            passed.add(r.target)
        if r.scope in ("school", "group"):
            k = (r.subject, r.target)
            by_subject[k] = by_subject.get(k, False) or r.status == "pass"
    never = tuple(
        (t, meta[t].title, meta[t].source, n) for t, n in evaluated.items() if t not in passed
    )
    per: dict[str, list[str]] = defaultdict(list)
    for (subject, target), ok in by_subject.items():
        if not ok:
            per[subject].append(target)
    return never, {k: tuple(v) for k, v in per.items()}


def build_final(
    report: Report, sheet: ScoreSheet, config: Config, only_group: str | None = None
) -> FinalReport:
    """The acceptance report; ``only_group`` (a group id, from ``--group``) keeps that
    group's trends, rural schools, rotation and bundled scores only, as the results are."""
    groups = [g for g in config.groups.values() if only_group in (None, g.id)]
    names = {g.name for g in groups}
    compliance = [s for s in sheet.scores if s.kind == "compliance"]
    semesters = sorted({s.period for s in compliance if is_semester(s.period)})
    index = {(s.scope, s.subject, s.period): s for s in compliance}
    trends: dict[str, tuple[Trend, ...]] = {}
    for g in groups:
        subjects = [("group", g.name, False)] + [
            ("school", s.name, s.rural) for s in config.schools_of(g.id)
        ]
        items = []
        for scope, name, rural in subjects:
            cells = [index.get((scope, name, p)) for p in semesters]
            items.append(
                Trend(
                    name,
                    scope,
                    g.name,
                    rural,
                    tuple(c.own if c else None for c in cells),
                    tuple((c.passed or 0, c.evaluated or 0) if c else (0, 0) for c in cells),
                )
            )
        trends[g.name] = tuple(items)

    quality = {
        (s.subject, s.period): s.own
        for s in sheet.scores
        if s.kind == "quality" and s.scope == "school"
    }
    rural = []
    for school in config.schools.values():
        if not school.rural or config.groups[school.group].name not in names:
            continue
        rated = [
            (p, index[("school", school.name, p)].own)
            for p in semesters
            if ("school", school.name, p) in index
        ]
        first, last = (rated[0], rated[-1]) if rated else ((None, None), (None, None))
        rural.append(
            RuralChange(
                school.name,
                config.groups[school.group].name,
                first[0],
                last[0],
                first[1],
                last[1],
                quality.get((school.name, first[0] or "")),
                quality.get((school.name, last[0] or "")),
            )
        )

    shares = [t for t in config.targets if t.metric == "share_of_teachers" and t.scope == "school"]
    rotation = []
    for target in shares:
        rows: dict[str, list[Result]] = defaultdict(list)
        for r in report.results:
            if r.target == target.id and r.period:
                rows[r.subject].append(r)
        for name, results in rows.items():
            school = config.schools.get(name)
            if school is None or config.groups[school.group].name not in names:
                continue
            teachers = school.teachers
            rotation.append(
                Rotation(
                    target.id,
                    name,
                    config.groups[school.group].name,
                    teachers,
                    tuple(
                        (
                            r.period,
                            round(r.actual * teachers) if teachers else None,
                            r.actual,
                            r.status,
                        )
                        for r in sorted(results, key=lambda r: r.period)
                    ),
                    target.min,
                )
            )

    never, never_by = _never_met(report.results)
    bundled = tuple(
        s
        for s in sheet.scores
        if s.period == PROGRAM and sheet.weight is not None and (s.group or s.subject) in names
    )
    return FinalReport(
        report=report,
        sheet=sheet,
        programme=(config.calendar.start.isoformat(), config.calendar.end.isoformat()),
        semesters=tuple(semesters),
        labels=dict(sheet.periods),
        trends=trends,
        never_met=never,
        never_met_by=never_by,
        rural=tuple(rural),
        rotation=tuple(rotation),
        bundled=bundled,
    )
