"""Exemptions: approved exceptions to the targets (a school closed for rebuilding, a group
formed late), kept in their own YAML file since they change more often than targets.

```yaml
exemptions:
  - target: master-teacher-visits   # a target id, or all
    subject: 甘州区花寨乡中心学校      # a school, group, listed researcher or the district
    periods: [2024-2025-2]           # period ids
    reason: 校舍改造，停课一学期
    approved_by: 区教育局发展中心
    expires: 2025-08-31             # still holds on that day
```

The file is validated like the configuration (pydantic shape, then the names against
the configuration), every problem at once with its line; any error stops the run with
exit 2. :func:`apply_exemptions` is a step after the engine: a matching result gets the
status ``exempt`` and the reason; an expired entry is not applied, and it and an entry
that matched nothing become file-level warnings (``exemption-expired``,
``exemption-unused``) pointing at the entry's line.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from jituan.config import Day
from jituan.i18n import t, translator
from jituan.model import Result, RowIssue
from jituan.textnorm import clean, key, person
from jituan.yaml_source import SourceFile, YamlSyntaxError, read_yaml

if TYPE_CHECKING:
    from jituan.config import Config
    from jituan.validate import Finding

ALL = "all"

# message id → (Chinese, English)
MESSAGES: dict[str, tuple[str, str]] = {
    "unknown-target": (
        "未知的目标“{name}”{hint}（可写目标 id 或 all）",
        "unknown target '{name}'{hint} (a target id, or all)",
    ),
    "unknown-subject": (
        "未知的对象“{name}”{hint}：应为学校、集团、groups.yaml 中列出的教研员或{district}",
        "unknown subject '{name}'{hint}: a school, a group, a researcher listed in "
        "groups.yaml, or {district}",
    ),
    "exemption-unlisted-researcher": (
        "“{name}”不是 groups.yaml 中列出的教研员{hint}：仅当台账中以教研员身份记有此人时适用",
        "'{name}' is not a researcher listed in groups.yaml{hint}: it applies only if the "
        "ledgers record them as a researcher (教研员)",
    ),
    "bad-period": (
        "期间“{name}”不是实施期（{start} – {end}）中的期间{hint}：可写期间 id，如 "
        "2024-2025-1、2024-2025、2025 或 program，或期间名称，如 2024-2025学年第二学期",
        "'{name}' is no period of the programme ({start} – {end}){hint}: write a period "
        "id, such as 2024-2025-1, 2024-2025, 2025 or program, or its name, such as "
        "2024-2025 semester 2",
    ),
    "exemption-wrong-subject": (
        "目标 {target} 按{scope}评价，“{subject}”是{kind}：这一条豁免不会匹配任何结果",
        "target {target} is evaluated per {scope}, and '{subject}' is a {kind}: this "
        "exemption can match no result",
    ),
    "exemption-wrong-period": (
        "目标 {target} 为{kind}评价，“{name}”不是这一类期间：这一期间不会匹配任何结果",
        "target {target} is evaluated {kind}, and '{name}' is not a period of that kind: "
        "this period can match no result",
    ),
    "did-you-mean": ("（是否应为“{name}”？）", " (did you mean '{name}'?)"),
    "exemption-expired": (
        "豁免已于 {expires} 到期，未应用（{target} · {subject}）",
        "exemption expired on {expires} and was not applied ({target} · {subject})",
    ),
    "exemption-unused": (
        "豁免没有匹配任何结果（{target} · {subject} · {periods}）",
        "exemption matches no result ({target} · {subject} · {periods})",
    ),
    "exempt-reason": (
        "{reason}（{approved_by}批准，有效至 {expires}）",
        "{reason} (approved by {approved_by}, until {expires})",
    ),
}


m = translator(MESSAGES)


class _Strict(BaseModel):
    # built when an exemptions file is first read, not on import: most checks have none
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


def _period_id(value: object) -> object:
    """A whole number where a period id is expected is its text: YAML reads the calendar
    year ``2025`` (a period id) as a number."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


class Exemption(_Strict):
    """One approved exception: these results are neither pass nor fail."""

    target: str = Field(min_length=1, description="a target id, or all")
    subject: str = Field(min_length=1, description="a school, group or researcher (name or alias)")
    periods: list[Annotated[str, BeforeValidator(_period_id)]] = Field(
        min_length=1, description="period ids: 2024-2025-1, 2025, program"
    )
    reason: str = Field(min_length=1, description="why, as approved")
    approved_by: str = Field(min_length=1, description="who approved it")
    expires: Day = Field(description="the last day it holds")


class ExemptionsFile(_Strict):
    """The top level of an exemptions file."""

    exemptions: list[Exemption] = Field(description="the approved exemptions")


@dataclass(frozen=True)
class Exemptions:
    """A validated exemptions file: its entries and where each one is written."""

    source: SourceFile
    entries: tuple[Exemption, ...]

    def line(self, index: int) -> int | None:
        return self.source.line(("exemptions", index))


def resolve_subject(text: str, config: Config) -> str | None:
    """The subject name results carry for a school, group, listed researcher or district."""
    school = config.find_school(text)
    if school is not None:
        return school
    group = config.find_group(text)
    if group is not None:
        return config.groups[group].name
    name = person(text)  # 王　老师 is 王老师, as in a ledger's 姓名
    if name in config.researchers:
        return name
    if key(text) == key(config.district):
        return config.district
    return None


def period_names(config: Config) -> dict[str, str]:
    """Every period of the programme, of every kind, by its id and its labels (see
    :func:`jituan.periods.period_names`), and a semester's with its number in digits
    (2024-2025学年第2学期): name → id."""
    from jituan.periods import period_names as names_of

    out = names_of(config.calendar, ("semester", "school_year", "year", "program"))
    for name, pid in list(out.items()):
        digits = name.replace("第一学期", "第1学期").replace("第二学期", "第2学期")
        out.setdefault(digits, pid)
    return out


def _period_ids(names: dict[str, str]) -> dict[str, str]:
    """The matching key of every name of a period (:func:`period_names`) → its id."""
    return {key(name): pid for name, pid in names.items()}


def _close(word: str, choices: Iterable[str], lang: str) -> str:
    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.5)
    return m("did-you-mean", lang, name=found[0]) if found else ""


def check_exemptions(source: SourceFile, config: Config | None, lang: str = "en") -> list[Finding]:
    """Every problem of an exemptions file: its shape, and (given a configuration) names."""
    from jituan.validate import _Collector, _shape
    from jituan.validate_findings import Level

    findings: list[Finding] = []
    c = _Collector(source, lang, findings)
    if not isinstance(source.data, dict):
        c.add((), "not-a-mapping")
        return findings
    _shape(ExemptionsFile, c)
    if config is None:
        return findings
    targets = [t.id for t in config.targets]
    subjects = [*config.schools, *(g.name for g in config.groups.values()), *config.researchers]
    names = period_names(config)
    periods = _period_ids(names)
    start, end = config.calendar.start.isoformat(), config.calendar.end.isoformat()

    def add(loc: tuple, code: str, level: Level = "error", **values: object) -> None:
        c.add_text(loc, code, level, m(code, lang, **values))

    by_id = {t.id: t for t in config.targets}

    # names are checked even where the shape is not right (a misspelt key elsewhere in
    # an entry), so that every problem is listed at once
    for i, entry in enumerate(_raw_entries(source.data)):
        loc = ("exemptions", i)
        target_id, subject_name = _text(entry.get("target")), _text(entry.get("subject"))
        if target_id is not None and target_id != ALL and target_id not in targets:
            hint = _close(target_id, targets, lang)
            add((*loc, "target"), "unknown-target", name=target_id, hint=hint)
        subject = resolve_subject(subject_name, config) if subject_name is not None else None
        target = by_id.get(target_id) if target_id is not None else None
        if subject_name is not None and subject is None:
            hint = _close(clean(subject_name), subjects, lang)
            if target is not None and target.scope == "researcher":  # one the ledgers name
                add(
                    (*loc, "subject"),
                    "exemption-unlisted-researcher",
                    "warning",
                    name=subject_name,
                    hint=hint,
                )
            else:
                add(
                    (*loc, "subject"),
                    "unknown-subject",
                    name=subject_name,
                    hint=hint,
                    district=config.district,
                )
        kind = _subject_kind(subject, config) if subject is not None else None
        if target is not None and kind is not None and kind != target.scope:
            add(
                (*loc, "subject"),
                "exemption-wrong-subject",
                "warning",
                target=target.id,
                scope=t(target.scope, lang),
                subject=subject_name,
                kind=t(kind, lang),
            )
        raw_periods = entry.get("periods")
        for j, raw in enumerate(raw_periods if isinstance(raw_periods, list) else ()):
            period = _period_id(raw)
            if not isinstance(period, str):
                continue  # not a period id at all: the shape's finding says so
            period_id = periods.get(key(period))
            if period_id is None:
                hint = _close(period, names, lang)
                add(
                    (*loc, "periods", j),
                    "bad-period",
                    name=period,
                    hint=hint,
                    start=start,
                    end=end,
                )
            elif target is not None and period_kind(period_id) != target.period:
                add(
                    (*loc, "periods", j),
                    "exemption-wrong-period",
                    "warning",
                    target=target.id,
                    kind=t(target.period, lang),
                    name=period,
                )
    return findings


def _raw_entries(data: object) -> list[dict]:
    """The entries of the file as written (not a mapping: an empty one, never checked)."""
    entries = data.get("exemptions") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return []
    return [e if isinstance(e, dict) else {} for e in entries]


def _text(value: object) -> str | None:
    """A name as the model reads it (a non-empty str), or None."""
    return value if isinstance(value, str) and value else None


def _subject_kind(subject: str, config: Config) -> str:
    """school, group, researcher or district: what results of which scope name it."""
    if subject in config.schools:
        return "school"
    if subject in {g.name for g in config.groups.values()}:
        return "group"
    return "district" if subject == config.district else "researcher"


def period_kind(period: str) -> str:
    """The kind of a period id: program, 2024-2025-1 (semester), 2024-2025 (school year),
    2025 (year)."""
    if period == "program":
        return "program"
    return {3: "semester", 2: "school_year"}.get(len(period.split("-")), "year")


def read_exemptions(path: Path | str, lang: str = "en") -> SourceFile:
    """The parsed file; a ConfigError (exit 2) when missing, unreadable or not YAML."""
    return read_yaml(path, lang=lang)


def load_exemptions(path: Path | str, config: Config, lang: str = "en") -> Exemptions:
    """Read and validate an exemptions file; any error raises one InvalidConfig listing all."""
    from jituan.validate import InvalidConfig
    from jituan.validate_findings import yaml_finding

    try:
        source = read_exemptions(path, lang)
    except YamlSyntaxError as err:  # listed like every other problem, in the user's language
        raise InvalidConfig([yaml_finding(err, lang)], lang=lang) from err
    errors = [f for f in check_exemptions(source, config, lang) if f.severity == "error"]
    if errors:
        raise InvalidConfig(errors, lang=lang)
    parsed = ExemptionsFile.model_validate(source.data)
    return Exemptions(source, tuple(parsed.exemptions))


def apply_exemptions(
    results: Sequence[Result],
    exemptions: Exemptions | None,
    config: Config,
    as_of: dt.date,
    lang: str = "en",
) -> tuple[list[Result], list[RowIssue]]:
    """Results with the exempted ones set to ``exempt``, and warnings about the entries.

    An entry applies to the results of its target (or all), its subject and its periods
    while ``as_of`` is on or before ``expires``. An expired entry is not applied and is
    a warning (``exemption-expired``); an entry that matched nothing is a warning too
    (``exemption-unused``). Both point at the entry's line in the file.
    """
    if exemptions is None:
        return list(results), []
    out = list(results)
    warnings: list[RowIssue] = []
    scopes = {t.id: t.scope for t in config.targets}
    names = _period_ids(period_names(config))
    for i, entry in enumerate(exemptions.entries):
        subject = resolve_subject(entry.subject, config)
        if subject is None and scopes.get(entry.target) == "researcher":
            subject = person(entry.subject)  # a 教研员 the ledgers name, not groups.yaml
        values = {
            "target": entry.target,
            "subject": entry.subject,
            "periods": ", ".join(entry.periods),
            "expires": entry.expires.isoformat(),
        }
        if as_of > entry.expires:
            warnings.append(_warning(exemptions, i, "exemption-expired", lang, values))
            continue
        wanted = {names.get(key(p), p) for p in entry.periods}  # a label is its id
        reason = m(
            "exempt-reason",
            lang,
            reason=entry.reason,
            approved_by=entry.approved_by,
            expires=entry.expires.isoformat(),
        )
        used = False
        for n, r in enumerate(out):
            if (
                (entry.target == ALL or r.target == entry.target)
                and subject is not None
                and r.subject == subject
                and r.period in wanted
            ):
                used = True
                if r.status != "exempt":  # the first entry that applies gives the reason
                    out[n] = replace(r, status="exempt", reason=reason)
        if not used:
            warnings.append(_warning(exemptions, i, "exemption-unused", lang, values))
    return out, warnings


def _warning(
    exemptions: Exemptions, index: int, code: str, lang: str, values: dict[str, str]
) -> RowIssue:
    return RowIssue(
        file=exemptions.source.name,
        row=exemptions.line(index),
        column=None,
        value=None,
        code=code,
        severity="warning",
        message=m(code, lang, **values),
    )


def validation_findings(path: Path, config: Config | None, lang: str) -> list[Finding]:
    """What ``jituan validate --exemptions`` adds: the file's findings (a YAML syntax error too)."""
    from jituan.validate_findings import yaml_finding

    try:
        source = read_exemptions(path, lang)
    except YamlSyntaxError as err:
        return [yaml_finding(err, lang)]
    return check_exemptions(source, config, lang)
