"""The one validation of groups.yaml and targets.yaml, collecting every problem at once.

:func:`validate` is what ``jituan validate`` prints and what :func:`jituan.config.load_config`
(hence ``jituan check``) runs first. It never stops at the first problem:

* the pydantic models check the shape (keys, types, allowed values); all their errors
  become findings with the line and key of the YAML node;
* the cross-checks that relate keys to each other run on the raw YAML data, so they run
  even when the shape is wrong somewhere else in the file (a partial model would lose a
  whole group for one bad headcount).

Each :class:`Finding` names the file, the line (1-based), the key (a dotted path such as
``groups.2.members.0.name``, indexes from 0) and a severity. Errors make the
configuration unusable; warnings (a headcount the policy does not give, a school in no
group) are said but never stop a check.

The checks themselves live beside it: :mod:`jituan.validate_findings` (the Finding, the
collector, the message table and the shape check), :mod:`jituan.validate_groups`
(groups.yaml and coverage of the district's schools) and :mod:`jituan.validate_targets`
(targets.yaml, including what "the semesters do not tile the year" means). This
module reads the files, runs the checks in order and keeps the names other modules
import (``Finding``, ``InvalidConfig``, ``validate`` ...).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jituan.config import GroupsFile, TargetsFile, default_path
from jituan.errors import ConfigError, JituanError
from jituan.validate_findings import MESSAGES as MESSAGES
from jituan.validate_findings import (
    Finding,
    _close,
    _Collector,
    _shape,
    _texts,
    msg,
    yaml_finding,
)
from jituan.validate_findings import Level as Level
from jituan.validate_groups import Coverage, _check_groups, _coverage, _School
from jituan.validate_targets import PERIODS as PERIODS
from jituan.validate_targets import SCOPES as SCOPES
from jituan.validate_targets import WHOLE_METRICS as WHOLE_METRICS
from jituan.validate_targets import _check_activities, _check_calendar, _check_targets
from jituan.yaml_source import SourceFile, YamlSyntaxError, read_yaml


class InvalidConfig(ConfigError):
    """The configuration has error-level findings: all of them, in one message."""

    def __init__(self, findings: list[Finding], lang: str = "en") -> None:
        self.findings = findings
        self.file = findings[0].file if findings else ""
        self.problems = [f.render(severity=False) for f in findings]
        head = (
            f"配置无效（{len(findings)} 个错误，详见 jituan validate）："
            if lang == "zh"
            else f"invalid configuration ({len(findings)} error(s); see jituan validate):"
        )
        JituanError.__init__(self, "\n".join([head, *(f"  {p}" for p in self.problems)]))


# --------------------------------------------------------------------------- reading


def read_sources(
    groups: Path | str | None, targets: Path | str | None, *, lang: str = "en"
) -> tuple[SourceFile | None, SourceFile | None, list[Finding]]:
    """Both files parsed (the embedded defaults where a path is None).

    A file that cannot be parsed is None, with a finding; a file that does not exist or
    cannot be read at all is a ConfigError (exit 2) at once.
    """
    out: list[SourceFile | None] = []
    findings: list[Finding] = []
    for path, name in ((groups, "groups.yaml"), (targets, "targets.yaml")):
        try:
            out.append(read_yaml(path or default_path(name), lang=lang))
        except YamlSyntaxError as err:
            out.append(None)
            findings.append(yaml_finding(err, lang))
    return out[0], out[1], findings


# --------------------------------------------------------------------------- entry points


@dataclass(frozen=True)
class Validation:
    """What ``jituan validate`` reports: the findings and the coverage figure."""

    findings: list[Finding]
    coverage: Coverage | None
    headcounts_missing: bool  # no member school has a teachers headcount at all

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]


def check_sources(
    groups_src: SourceFile | None, targets_src: SourceFile | None, *, lang: str = "en"
) -> Validation:
    """Every finding of both files (a file that could not be parsed is None), plus coverage."""
    findings: list[Finding] = []
    groups: list[tuple[int, dict]] | None = None
    schools: list[_School] | None = None
    coverage = None
    if groups_src is not None:
        gc = _Collector(groups_src, lang, findings)
        if not isinstance(groups_src.data, dict):
            gc.add((), "not-a-mapping")
        else:
            _shape(GroupsFile, gc)
            groups, schools = _check_groups(gc)
            coverage = _coverage(gc, schools)
    if targets_src is not None:
        tc = _Collector(targets_src, lang, findings)
        if not isinstance(targets_src.data, dict):
            tc.add((), "not-a-mapping")
        else:
            _shape(TargetsFile, tc)
            calendar = _check_calendar(tc)
            activity_ids, activity_names = _check_activities(tc)
            integrity = targets_src.data.get("integrity")
            if isinstance(integrity, dict) and activity_ids:
                for i, name in _texts(integrity.get("lesson_activities")):
                    if name not in activity_ids:
                        near = _close(name, activity_ids)
                        tc.add(
                            ("integrity", "lesson_activities", i),
                            "unknown-activity",
                            name=name,
                            hint=msg("did-you-mean", lang, name=near) if near else "",
                            known=", ".join(sorted(activity_ids)),
                        )
            _check_targets(
                tc,
                calendar,
                activity_ids,
                activity_names,
                groups,
                schools,
                groups_src.name if groups_src else "groups.yaml",
            )
    order = {name: i for i, name in enumerate(s.name for s in (groups_src, targets_src) if s)}
    findings.sort(key=lambda f: (order.get(f.file, 9), f.line or 0))
    headcounts_missing = bool(schools) and all(
        isinstance(s.teachers, bool) or not isinstance(s.teachers, int) for s in schools or []
    )
    return Validation(findings, coverage, headcounts_missing)


def validate(
    groups_src: SourceFile | None, targets_src: SourceFile | None, *, lang: str = "en"
) -> list[Finding]:
    """Every problem of the two files at once, in file and line order."""
    return check_sources(groups_src, targets_src, lang=lang).findings


def validate_paths(
    groups: Path | str | None = None, targets: Path | str | None = None, *, lang: str = "en"
) -> Validation:
    """Read and validate both files (the embedded defaults where a path is None)."""
    groups_src, targets_src, read_findings = read_sources(groups, targets, lang=lang)
    result = check_sources(groups_src, targets_src, lang=lang)
    return Validation(read_findings + result.findings, result.coverage, result.headcounts_missing)
