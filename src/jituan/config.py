"""Configuration: pydantic models for groups.yaml and targets.yaml, loading and lookups.

The whole configuration is validated once, at load, and every problem becomes one
:class:`~jituan.errors.ConfigError` that names the file, the line, the key and what
was expected. After loading, :class:`Config` answers the questions the checker asks
(which school is this name, which group is it in, is it rural) in O(1).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from jituan.errors import ConfigError
from jituan.textnorm import clean, key

GroupType = Literal["close", "alliance"]
Scope = Literal["district", "group", "school", "researcher"]
PeriodKind = Literal["semester", "school_year", "year", "program"]
Metric = Literal["count", "sum", "distinct_persons", "share_of_teachers"]
SchoolSelection = Literal["all", "members", "lead", "rural"]

_MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")

#: Role words people write, folded onto the Chinese role the targets use.
ROLE_ALIASES: dict[str, str] = {
    "researcher": "教研员",
    "teaching researcher": "教研员",
    "master teacher": "名师",
    "master_teacher": "名师",
    "subject leader": "学科带头人",
    "subject_leader": "学科带头人",
    "key teacher": "骨干教师",
    "key_teacher": "骨干教师",
    "principal": "校长",
    "teacher": "教师",
}
RESEARCHER_ROLE = "教研员"


def normalise_role(text: str) -> str:
    """A role as the targets spell it (English role words map to the Chinese ones)."""
    cleaned = clean(text)
    return ROLE_ALIASES.get(cleaned.casefold(), cleaned)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Member(_Strict):
    """One member school (or one division of a school, such as （初中部）)."""

    name: str = Field(min_length=1)
    rural: bool = False
    teachers: int | None = Field(default=None, gt=0, description="full-time teachers (专任教师数)")
    aliases: list[str] = Field(default_factory=list)


class Group(_Strict):
    """An education group (教育集团): a lead school and its members."""

    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_-]*$", description="short ascii id")
    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    type: GroupType
    lead: str
    researchers: list[str] = Field(default_factory=list)
    members: list[Member] = Field(min_length=1)

    @field_validator("members", mode="before")
    @classmethod
    def _bare_names(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"name": m} if isinstance(m, str) else m for m in value]
        return value

    @model_validator(mode="after")
    def _lead_is_member(self) -> Group:
        names = {key(m.name) for m in self.members}
        if key(self.lead) not in names:
            raise ValueError(f"lead school {self.lead!r} is not one of the group's members")
        return self


class GroupsFile(_Strict):
    """The top level of groups.yaml."""

    district: str = Field(min_length=1)
    schools: list[str] | None = Field(
        default=None, description="every school of the district, for the coverage figure"
    )
    groups: list[Group] = Field(min_length=1)


class Calendar(_Strict):
    """The school calendar and the range of the evaluated programme."""

    first_semester_starts: str = Field(description="MM-DD; the school year starts with it")
    second_semester_starts: str = Field(description="MM-DD")
    start: dt.date
    end: dt.date

    @field_validator("first_semester_starts", "second_semester_starts")
    @classmethod
    def _month_day(cls, value: str) -> str:
        match = _MONTH_DAY.match(value)
        if not match:
            raise ValueError('expected a month and day as "MM-DD", such as "09-01"')
        try:
            dt.date(2000, int(match[1]), int(match[2]))
        except ValueError as err:
            raise ValueError(f"{value!r} is not a day of the year") from err
        return value

    @model_validator(mode="after")
    def _ordered(self) -> Calendar:
        if self.end < self.start:
            raise ValueError("calendar end is before its start")
        if self.first_semester_starts == self.second_semester_starts:
            raise ValueError("the two semesters cannot start on the same day")
        return self

    def month_day(self, which: Literal[1, 2]) -> tuple[int, int]:
        text = self.first_semester_starts if which == 1 else self.second_semester_starts
        month, day = text.split("-")
        return int(month), int(day)


class Activity(_Strict):
    """A kind of activity a ledger row can record."""

    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_-]*$")
    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)


class Target(_Strict):
    """One countable duty of the policy."""

    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_-]*$")
    title: str = Field(min_length=1)
    source: str = Field(min_length=1, description="the policy clause, e.g. 四（一）1")
    activities: list[str] = Field(min_length=1)
    scope: Scope
    schools: SchoolSelection | None = None
    group_types: list[GroupType] | None = None
    period: PeriodKind
    deadline: dt.date | None = None
    metric: Metric = "count"
    by: Literal["school", "from_school"] = "school"
    roles: list[str] = Field(default_factory=list)
    rural_only: bool = False
    within_group: bool = False
    min: float = Field(gt=0)
    severity: Literal["error", "warning"] = "error"

    @field_validator("roles")
    @classmethod
    def _roles(cls, value: list[str]) -> list[str]:
        return [normalise_role(r) for r in value]

    @model_validator(mode="after")
    def _consistent(self) -> Target:
        if self.schools is not None and self.scope != "school":
            raise ValueError(f"'schools' only applies to scope school, not {self.scope}")
        if self.deadline is not None and self.period != "program":
            raise ValueError("'deadline' only applies to period program")
        if self.metric == "share_of_teachers":
            if self.scope != "school":
                raise ValueError("metric share_of_teachers needs scope school")
            if self.min > 1:
                raise ValueError("share_of_teachers takes a fraction as min, such as 0.05")
        elif self.metric in ("count", "sum", "distinct_persons") and self.min != int(self.min):
            raise ValueError(f"metric {self.metric} takes a whole number as min")
        return self

    @property
    def school_selection(self) -> SchoolSelection:
        return self.schools or "all"


class TargetsFile(_Strict):
    """The top level of targets.yaml."""

    calendar: Calendar
    activities: list[Activity] = Field(min_length=1)
    targets: list[Target] = Field(min_length=1)


# --------------------------------------------------------------------------- loading


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses a key given twice in one mapping (PyYAML keeps the last)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            name = self.construct_object(key_node, deep=deep)
            if name in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {name!r} appears twice in one mapping", key_node.start_mark
                )
            seen[name] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)


def _line_of(node: yaml.Node | None, loc: Iterable[Any]) -> int | None:
    """The 1-based line of the YAML node at a pydantic error location."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == part:
                    node = value_node
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                return line
            node = node.value[part]
        else:
            return line
        line = node.start_mark.line + 1
    return line


@dataclass(frozen=True)
class SourceFile:
    """A parsed YAML file: its display name, its data and its node tree (for line numbers)."""

    name: str
    data: Any
    node: yaml.Node | None

    def line(self, loc: Iterable[Any]) -> int | None:
        return _line_of(self.node, loc)

    def where(self, loc: tuple[Any, ...]) -> str:
        line = self.line(loc)
        path = ".".join(str(p) for p in loc) or "(top level)"
        return f"line {line}: {path}" if line else path


def read_yaml(path: Path | str, text: str | None = None) -> SourceFile:
    """Parse one YAML file with a safe loader; any problem is a ConfigError naming the line."""
    name = str(path)
    if text is None:
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except FileNotFoundError as err:
            raise ConfigError(name, ["file not found"]) from err
        except (OSError, UnicodeDecodeError) as err:
            raise ConfigError(name, [f"cannot be read: {err}"]) from err
    loader = _UniqueKeyLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(err, "problem", None) or str(err)
        raise ConfigError(name, [f"{where}invalid YAML: {problem}"]) from err
    finally:
        loader.dispose()
    return SourceFile(name, data, node)


def _validate(model: type[BaseModel], source: SourceFile) -> Any:
    if not isinstance(source.data, dict):
        raise ConfigError(source.name, ["expected a mapping of keys at the top level"])
    try:
        return model.model_validate(source.data)
    except ValidationError as err:
        problems = []
        for e in err.errors():
            loc = tuple(e["loc"])
            problems.append(f"{source.where(loc)}: {e['msg']}")
        raise ConfigError(source.name, problems) from None


def default_path(name: str) -> Path:
    """The embedded default file: inside the installed package, or data/ in a source tree."""
    packaged = resources.files("jituan").joinpath("data", name)
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "data" / name


# --------------------------------------------------------------------------- lookups


@dataclass(frozen=True)
class School:
    """A member school as the checker sees it."""

    name: str
    group: str  # group id
    rural: bool
    lead: bool
    teachers: int | None


@dataclass
class Config:
    """The validated configuration with the indexes the checker needs."""

    groups_file: GroupsFile
    targets_file: TargetsFile
    groups_source: SourceFile
    targets_source: SourceFile
    schools: dict[str, School] = field(default_factory=dict)
    school_index: dict[str, str] = field(default_factory=dict)
    group_index: dict[str, str] = field(default_factory=dict)
    activity_index: dict[str, str] = field(default_factory=dict)

    @property
    def district(self) -> str:
        return self.groups_file.district

    @property
    def calendar(self) -> Calendar:
        return self.targets_file.calendar

    @property
    def targets(self) -> list[Target]:
        return self.targets_file.targets

    @cached_property
    def groups(self) -> dict[str, Group]:
        return {g.id: g for g in self.groups_file.groups}

    @cached_property
    def activities(self) -> dict[str, Activity]:
        return {a.id: a for a in self.targets_file.activities}

    @cached_property
    def researchers(self) -> dict[str, list[str]]:
        """Researcher name → ids of the groups that list them (包片包抓)."""
        out: dict[str, list[str]] = {}
        for g in self.groups_file.groups:
            for name in g.researchers:
                out.setdefault(clean(name), []).append(g.id)
        return out

    def find_school(self, text: str) -> str | None:
        return self.school_index.get(key(text))

    def find_group(self, text: str) -> str | None:
        return self.group_index.get(key(text))

    def find_activity(self, text: str) -> str | None:
        return self.activity_index.get(key(text))

    def schools_of(self, group_id: str) -> list[School]:
        return [s for s in self.schools.values() if s.group == group_id]


def _build(groups_src: SourceFile, targets_src: SourceFile) -> Config:
    gfile: GroupsFile = _validate(GroupsFile, groups_src)
    tfile: TargetsFile = _validate(TargetsFile, targets_src)
    cfg = Config(gfile, tfile, groups_src, targets_src)
    g_problems: list[str] = []
    t_problems: list[str] = []

    def index(table: dict[str, str], text: str, value: str, what: str, loc: tuple) -> None:
        """Add one name to a lookup; a name that already means something else is a problem."""
        k = key(text)
        if k in table and table[k] != value:
            src, problems = (
                (targets_src, t_problems) if what == "activity" else (groups_src, g_problems)
            )
            problems.append(f"{src.where(loc)}: {what} name {text!r} already names {table[k]!r}")
        table[k] = value

    for gi, g in enumerate(gfile.groups):
        if g.id in cfg.group_index.values():
            g_problems.append(
                f"{groups_src.where(('groups', gi, 'id'))}: duplicate group id {g.id!r}"
            )
        for text, loc in [(g.id, "id"), (g.name, "name"), *((a, "aliases") for a in g.aliases)]:
            index(cfg.group_index, text, g.id, "group", ("groups", gi, loc))
        for mi, m in enumerate(g.members):
            name = m.name.strip()  # shown as written: data names are never altered
            loc = ("groups", gi, "members", mi)
            if name in cfg.schools:
                other = cfg.groups[cfg.schools[name].group].name
                g_problems.append(
                    f"{groups_src.where(loc)}: school {name!r} is already a member of {other!r}"
                )
                continue
            cfg.schools[name] = School(
                name=name,
                group=g.id,
                rural=m.rural,
                lead=key(m.name) == key(g.lead),
                teachers=m.teachers,
            )
            for text in [m.name, *m.aliases]:
                index(cfg.school_index, text, name, "school", loc)
    for ai, a in enumerate(tfile.activities):
        for text in [a.id, a.name, *a.aliases]:
            index(cfg.activity_index, text, a.id, "activity", ("activities", ai))
    seen_targets: set[str] = set()
    for ti, t in enumerate(tfile.targets):
        if t.id in seen_targets:
            t_problems.append(
                f"{targets_src.where(('targets', ti, 'id'))}: duplicate target id {t.id!r}"
            )
        seen_targets.add(t.id)
        for a in t.activities:
            if a not in cfg.activities:
                t_problems.append(
                    f"{targets_src.where(('targets', ti, 'activities'))}: unknown activity {a!r} "
                    f"(known: {', '.join(cfg.activities)})"
                )
        if t.deadline is not None and not (
            tfile.calendar.start <= t.deadline <= tfile.calendar.end
        ):
            t_problems.append(
                f"{targets_src.where(('targets', ti, 'deadline'))}: deadline {t.deadline} is outside "
                f"the calendar {tfile.calendar.start} – {tfile.calendar.end}"
            )
    if g_problems:
        raise ConfigError(groups_src.name, g_problems)
    if t_problems:
        raise ConfigError(targets_src.name, t_problems)
    return cfg


def load_config(groups: Path | str | None = None, targets: Path | str | None = None) -> Config:
    """Load and validate both files (the embedded defaults where a path is None)."""
    groups_src = read_yaml(groups or default_path("groups.yaml"))
    targets_src = read_yaml(targets or default_path("targets.yaml"))
    return _build(groups_src, targets_src)
