"""Configuration: pydantic models for groups.yaml and targets.yaml, loading and lookups.

The models describe the *shape* of each file (keys, types, allowed values); every rule
that relates one key to another (a lead school is a member, a deadline lies in the
calendar, an alias names one school...) lives in :mod:`jituan.validate`, the one
validation that both ``jituan validate`` and :func:`load_config` (hence ``check``) run.
It collects every problem at once; errors become one :class:`~jituan.errors.ConfigError`
listing them all, each with file, line and key, while warnings (a missing headcount)
never stop a load. After loading, :class:`Config` answers the questions the checker
asks (which school is this name, which group is it in, is it rural) in O(1). The YAML
itself is read by :mod:`jituan.yaml_source`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from jituan.textnorm import key, person
from jituan.yaml_source import SourceFile

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
    cleaned = person(text)
    return ROLE_ALIASES.get(cleaned.casefold(), cleaned)


def _not_blank(value: Any) -> Any:
    """An empty name, or one of spaces only, would match nothing in a ledger (or, as an
    alias, every empty cell)."""
    if isinstance(value, str) and not value:
        raise PydanticCustomError("empty", "must not be empty")
    if isinstance(value, str) and not value.strip():
        raise PydanticCustomError("blank", "must not be blank (only spaces)")
    return value


def _not_bool(value: Any) -> Any:
    """pydantic's lax mode reads ``true`` as 1: in a count or a limit it is a typo."""
    if isinstance(value, bool):
        raise PydanticCustomError("bool_not_number", "expected a number, not true/false")
    return value


#: A name or text that must say something (not empty, not spaces only); the JSON Schema
#: stays a plain string.
Name = Annotated[str, BeforeValidator(_not_blank)]


def _not_number_day(value: Any) -> Any:
    """YAML reads ``deadline: 0`` as a number, and pydantic's lax mode takes a number, or
    text of one ("0", "20250630"), for a Unix time (1970-01-01): a day must be written as
    one."""
    if isinstance(value, (int, float)) or (
        isinstance(value, str) and _NUMBER_TEXT.fullmatch(value) is not None
    ):
        raise PydanticCustomError("day_not_number", "expected a date such as 2025-06-30")
    return value


_NUMBER_TEXT = re.compile(r"\s*[+-]?\d+(?:\.\d*)?\s*")


#: A calendar day, written as a date (2025-06-30), never as a number.
Day = Annotated[dt.date, BeforeValidator(_not_number_day)]


class _Strict(BaseModel):
    # allow_inf_nan: `.inf`, `.nan` and 1e400 are typos in a minimum or a limit, never numbers
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Member(_Strict):
    """One member school (or one division of a school, such as （初中部）)."""

    name: Name = Field(min_length=1, description="the school's full name, as the policy writes it")
    rural: bool = Field(default=False, description="a rural (乡/镇) school")
    teachers: int | None = Field(default=None, gt=0, description="full-time teachers (专任教师数)")
    aliases: list[Name] = Field(
        default_factory=list, description="other names ledgers use for this school"
    )

    _teachers = field_validator("teachers", mode="before")(_not_bool)


def _bare_name_schema(schema: dict[str, Any]) -> None:
    """A member may be a bare name (see Group._bare_names): say so to editors too."""
    schema["items"] = {"anyOf": [{"type": "string", "minLength": 1}, schema["items"]]}


class Group(_Strict):
    """An education group (教育集团): a lead school and its members."""

    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_-]*$", description="short ascii id, unique")
    name: Name = Field(min_length=1, description="the group's full name")
    aliases: list[Name] = Field(default_factory=list, description="other names of the group")
    type: GroupType = Field(description="close (紧密型) or alliance (联盟型)")
    lead: Name = Field(description="the lead school (牵头学校): one of the members' names")
    researchers: list[Name] = Field(
        default_factory=list, description="teaching researchers (教研员) assigned to the group"
    )
    members: list[Member] = Field(
        min_length=1,
        description="member schools: a bare name, or a mapping with name, rural, teachers, aliases",
        json_schema_extra=lambda schema: _bare_name_schema(schema),
    )

    @field_validator("members", mode="before")
    @classmethod
    def _bare_names(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"name": m} if isinstance(m, str) else m for m in value]
        return value


class GroupsFile(_Strict):
    """The top level of groups.yaml."""

    district: Name = Field(min_length=1, description="the district's name, e.g. 甘州区")
    schools: list[Name] | None = Field(
        default=None,
        description="every school of the district (optional), for the coverage figure",
    )
    groups: list[Group] = Field(min_length=1, description="the education groups")


class Calendar(_Strict):
    """The school calendar and the range of the evaluated programme."""

    first_semester_starts: str = Field(
        description='第一学期 start, "MM-DD"; the school year starts with it'
    )
    second_semester_starts: str = Field(description='第二学期 start, "MM-DD"')
    start: Day = Field(description="first day of the evaluated programme")
    end: Day = Field(description="last day of the evaluated programme")

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

    def month_day(self, which: Literal[1, 2]) -> tuple[int, int]:
        text = self.first_semester_starts if which == 1 else self.second_semester_starts
        month, day = text.split("-")
        return int(month), int(day)


class Activity(_Strict):
    """A kind of activity a ledger row can record."""

    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_-]*$", description="short ascii id, unique")
    name: Name = Field(min_length=1, description="the Chinese name ledgers write")
    aliases: list[Name] = Field(default_factory=list, description="other names ledgers write")


class Target(_Strict):
    """One countable duty of the policy."""

    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_-]*$", description="short ascii id, unique")
    title: Name = Field(min_length=1, description="the duty in the policy's words")
    source: Name = Field(min_length=1, description="the policy clause, e.g. 四（一）1")
    activities: list[Name] = Field(
        min_length=1, description="activity ids (from activities:) whose records count"
    )
    scope: Scope = Field(description="who it is evaluated for")
    schools: SchoolSelection | None = Field(
        default=None,
        description="scope school only: all | members (not the lead) | lead | rural",
    )
    group_types: list[GroupType] | None = Field(
        default=None, description="only groups of these types (default all)"
    )
    period: PeriodKind = Field(description="the period the minimum applies to")
    deadline: Day | None = Field(
        default=None, description="period program only: the day by which it must be met"
    )
    metric: Metric = Field(default="count", description="what is measured")
    by: Literal["school", "from_school"] = Field(
        default="school", description="the column that ties a record to a school"
    )
    roles: list[Name] = Field(
        default_factory=list, description="only records whose role is one of these"
    )
    rural_only: bool = Field(default=False, description="only records whose school is rural")
    within_group: bool = Field(
        default=False, description="only records whose from_school and school are in one group"
    )
    visitors_from_group: bool = Field(
        default=False,
        description="only records whose from_school, when given, is another school of the "
        "school's group (a visit, not the school's own teachers)",
    )
    min: float = Field(gt=0, description="the minimum; share_of_teachers takes a fraction: 0.05")
    severity: Literal["error", "warning"] = Field(
        default="error", description="whether a failure fails the run"
    )

    _min = field_validator("min", mode="before")(_not_bool)

    @field_validator("roles")
    @classmethod
    def _roles(cls, value: list[str]) -> list[str]:
        return [normalise_role(r) for r in value]

    @property
    def school_selection(self) -> SchoolSelection:
        return self.schools or "all"


class Integrity(_Strict):
    """Limits of the integrity flags (过程督查): rows beyond them are flagged, still counted."""

    max_lessons_per_day: int = Field(
        default=8, gt=0, description="lessons one person observes a day"
    )
    lesson_activities: list[Name] = Field(
        default_factory=lambda: ["lesson_observation"],
        description="activities whose count column holds lessons observed",
    )

    _limit = field_validator("max_lessons_per_day", mode="before")(_not_bool)


class Bundling(_Strict):
    """Bundled evaluation (捆绑考核, 四（六）2): rural members' scores counted into others'.

    A receiving school's bundled score = (1 − weight) × its own + weight × the mean of its
    group's rural members' scores. The policy says 按一定比例 and gives no number, so
    ``weight`` is null by default: every bundled score then equals the school's own.
    """

    model_config = ConfigDict(
        extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False
    )

    weight: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="the share of the rural mean in a receiving school's score (0–1); "
        "null: not configured, bundled equals own",
    )
    _weight = field_validator("weight", mode="before")(_not_bool)
    from_: Literal["rural"] = Field(
        default="rural", alias="from", description="whose scores are bundled in: rural members"
    )
    into: list[Literal["lead", "urban"]] = Field(
        default_factory=lambda: ["lead", "urban"],
        description="who receives them: the lead school and/or the urban (not rural) members",
    )


class TargetsFile(_Strict):
    """The top level of targets.yaml."""

    calendar: Calendar = Field(description="the school calendar and the programme's range")
    activities: list[Activity] = Field(
        min_length=1, description="the catalogue of activity types a ledger row can record"
    )
    targets: list[Target] = Field(min_length=1, description="the countable duties")
    integrity: Integrity = Field(
        default_factory=Integrity, description="limits of the integrity flags (过程督查)"
    )
    bundling: Bundling = Field(
        default_factory=Bundling, description="bundled evaluation (捆绑考核, 四（六）2)"
    )


# --------------------------------------------------------------------------- loading


def default_path(name: str) -> Path:
    """The embedded default file: inside the installed package, or data/ in a source tree."""
    here = Path(__file__).resolve().parent  # not importlib.resources: 10 ms of imports
    packaged = here / "data" / name
    return packaged if packaged.is_file() else here.parents[1] / "data" / name


# --------------------------------------------------------------------------- lookups


@dataclass(frozen=True)
class School:
    """A member school as the checker sees it."""

    name: str
    group: str  # group id
    rural: bool
    lead: bool
    teachers: int | None


def _cells_needed_by(target: Target) -> frozenset[str]:
    """The optional columns a row needs filled to count toward ``target``: the sending
    school when it counts by it, the person when it counts persons or is a researcher's,
    the role when only some roles count."""
    needs = {"from_school"} if target.by == "from_school" else set()
    if target.scope == "researcher" or target.metric in ("distinct_persons", "share_of_teachers"):
        needs.add("person")
    if target.roles:
        needs.add("role")
    return frozenset(needs)


def none_can_count(needs: list[frozenset[str]], empty: frozenset[str]) -> bool:
    """Whether every target (given by the cells it needs) lacks a cell left ``empty``;
    False when there is no target at all (see :meth:`Config.counts_nothing`)."""
    return bool(needs) and all(need & empty for need in needs)


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
    def cell_needs(self) -> dict[str, tuple[frozenset[str], ...]]:
        """Activity id → for each target that counts the activity, the optional columns a
        row must fill to count toward it (see :meth:`counts_nothing`)."""
        return {
            activity: tuple(_cells_needed_by(t) for t in self.targets if activity in t.activities)
            for activity in self.activities
        }

    def counts_nothing(self, activity: str, empty: frozenset[str], role: str = "") -> bool:
        """Whether a row of ``activity`` with the columns ``empty`` left empty counts toward
        no target at all (a rotation without 派出学校 or 姓名; a researcher's lesson without
        姓名, which the master-teacher target does not take from a 教研员): it is then
        reported rather than accepted in silence. Only the targets that take the row's
        ``role`` (normalised; empty: the role is one of the empty cells) are asked; a row
        that none of them would count, whatever it filled in, is never such a row."""
        needs = self.cells_needed(activity, role)
        return none_can_count(needs, empty)

    def cells_needed(self, activity: str, role: str = "") -> list[frozenset[str]]:
        """For each target that counts ``activity`` from a row of ``role`` (any role when
        empty), the optional columns the row must fill to count toward it."""
        return [
            _cells_needed_by(t)
            for t in self.targets
            if activity in t.activities and (not role or not t.roles or role in t.roles)
        ]

    @cached_property
    def researchers(self) -> dict[str, list[str]]:
        """Researcher name → ids of the groups that list them (包片包抓)."""
        out: dict[str, list[str]] = {}
        for g in self.groups_file.groups:
            for name in g.researchers:
                out.setdefault(person(name), []).append(g.id)
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
    """The Config of two files that :func:`jituan.validate.validate` found free of errors."""
    gfile = GroupsFile.model_validate(groups_src.data)
    tfile = TargetsFile.model_validate(targets_src.data)
    cfg = Config(gfile, tfile, groups_src, targets_src)
    for g in gfile.groups:
        for text in [g.id, g.name, *g.aliases]:
            cfg.group_index[key(text)] = g.id
        for m in g.members:
            name = m.name.strip()  # shown as written: data names are never altered
            cfg.schools[name] = School(
                name=name,
                group=g.id,
                rural=m.rural,
                lead=key(m.name) == key(g.lead),
                teachers=m.teachers,
            )
            for text in [m.name, *m.aliases]:
                cfg.school_index[key(text)] = name
    for a in tfile.activities:
        for text in [a.id, a.name, *a.aliases]:
            cfg.activity_index[key(text)] = a.id
    return cfg


def load_config(
    groups: Path | str | None = None, targets: Path | str | None = None, *, lang: str = "en"
) -> Config:
    """Load and validate both files (the embedded defaults where a path is None).

    Runs the same validation as ``jituan validate``: any error-level finding, in either
    file, raises one ConfigError that lists them all; warnings do not stop the load.
    """
    from jituan.validate import InvalidConfig, read_sources, validate

    groups_src, targets_src, findings = read_sources(groups, targets, lang=lang)
    findings += validate(groups_src, targets_src, lang=lang)
    errors = [f for f in findings if f.severity == "error"]
    if errors or groups_src is None or targets_src is None:
        raise InvalidConfig(errors, lang=lang)
    return _build(groups_src, targets_src)
