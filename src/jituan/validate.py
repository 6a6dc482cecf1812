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

What "the semesters do not tile the year" means here: semesters start on a month-day
("MM-DD") and each runs until the other starts, so two different starts always cover
the year without gaps or overlaps. They fail to tile when both start on the same day
(one semester would be empty or the whole year), when a start is not a day of the year
(the model rejects it), or when a semester starts on 02-29, a day three years in four
lack.

Coverage (二（一）, every school of the district in a group): the optional ``schools:``
list of groups.yaml names the district's schools. A listed school is covered when a
member's name or alias matches it (after :func:`jituan.textnorm.key`), or when a
*division* of it is a member: 张掖市第一中学 is covered by 张掖市第一中学（初中部）. List
the divisions themselves to count them separately.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import types
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from jituan.config import (
    GroupsFile,
    SourceFile,
    TargetsFile,
    YamlSyntaxError,
    default_path,
    read_yaml,
)
from jituan.errors import ConfigError, JituanError
from jituan.i18n import translator
from jituan.textnorm import clean, key

Level = Literal["error", "warning"]

#: The scopes, periods and metrics the engine knows (the models' Literals, as sets).
SCOPES = ("district", "group", "school", "researcher")
PERIODS = ("semester", "school_year", "year", "program")
WHOLE_METRICS = ("count", "sum", "distinct_persons")
_MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")
#: A division suffix, on a key (NFKC turns （初中部） into (初中部)).
_DIVISION = re.compile(r"\([^()]*部\)$")

# message id → (Chinese, English)
MESSAGES: dict[str, tuple[str, str]] = {
    "invalid-yaml": ("不是有效的 YAML：{problem}", "invalid YAML: {problem}"),
    "unreadable": ("{problem}", "{problem}"),
    "not-a-mapping": ("顶层应为键值映射", "expected a mapping of keys at the top level"),
    "missing-key": ("缺少必填键 {name}", "missing required key '{name}'"),
    "unknown-key": (
        "未知的键 {name}{hint}；可用的键：{allowed}",
        "unknown key '{name}'{hint}; allowed keys: {allowed}",
    ),
    "invalid-value": ("取值无效：{msg}{got}", "{msg}{got}"),
    "duplicate-id": (
        "{what} id “{id}” 重复（第一次出现在第 {first} 行）",
        "duplicate {what} id '{id}' (first at line {first})",
    ),
    "lead-not-member": (
        "牵头学校“{lead}”不是本集团的成员{hint}",
        "lead school '{lead}' is not one of the group's members{hint}",
    ),
    "duplicate-member": (
        "学校“{name}”在本集团中出现两次（第 {first} 行）",
        "school '{name}' is listed twice in this group (line {first})",
    ),
    "school-in-two-groups": (
        "学校“{name}”已是{other}的成员（第 {first} 行）；一所学校只能属于一个集团"
        "（（初中部）等学部视为不同的学校）",
        "school '{name}' is already a member of {other} (line {first}); a school can be in "
        "one group only (a division such as （初中部） is a different school)",
    ),
    "alias-is-school-name": (
        "“{school}”的别名“{alias}”是另一所学校“{other}”的名称",
        "alias '{alias}' of {school} is the name of another school, {other}",
    ),
    "alias-two-schools": (
        "别名“{alias}”同时指向两所学校：“{other}”和“{school}”",
        "alias '{alias}' points at two schools: {other} and {school}",
    ),
    "name-clash": (
        "{what}名称“{text}”已指向“{other}”（第 {first} 行）",
        "{what} name '{text}' already names {other} (line {first})",
    ),
    "unknown-activity": (
        "未知的活动类型“{name}”{hint}；已知的活动 id：{known}",
        "unknown activity '{name}'{hint}; known activity ids: {known}",
    ),
    "schools-without-school-scope": (
        "schools 只适用于 scope: school；scope {scope} 没有学校可选",
        "'schools' only applies to scope school; scope {scope} has no schools to select",
    ),
    "share-without-school-scope": (
        "metric share_of_teachers 按学校的专任教师数计算，需要 scope: school；scope {scope} 没有学校",
        "metric share_of_teachers divides by a school's teachers and needs scope school; "
        "scope {scope} has no schools",
    ),
    "share-min-fraction": (
        "share_of_teachers 的 min 应为比例，如 0.05（现为 {min}）",
        "share_of_teachers takes a fraction as min, such as 0.05 (not {min})",
    ),
    "whole-min": (
        "metric {metric} 的 min 应为整数（现为 {min}）",
        "metric {metric} takes a whole number as min (not {min})",
    ),
    "deadline-not-program": (
        "deadline 只适用于 period: program（现为 {period}）",
        "'deadline' only applies to period program (not {period})",
    ),
    "deadline-outside-calendar": (
        "截止日期 {deadline} 不在实施期 {start} – {end} 之内",
        "deadline {deadline} is outside the calendar {start} – {end}",
    ),
    "calendar-range": (
        "实施期结束日 {end} 早于开始日 {start}",
        "the calendar's end {end} is before its start {start}",
    ),
    "semesters-same-start": (
        "两个学期都从 {day} 开始：学期不能覆盖全年",
        "both semesters start on {day}: the semesters do not tile the year",
    ),
    "semester-leap-day": (
        "学期不能从 02-29 开始：平年没有这一天，学期不能覆盖全年",
        "a semester cannot start on 02-29: three years in four lack that day, so the "
        "semesters would not tile the year",
    ),
    "missing-teachers-some": (
        "{n} 所学校未配置专任教师数（teachers），本目标对其无法判定：{names}",
        "{n} school(s) this target covers have no teachers headcount (专任教师数), so it "
        "is unknown for them: {names}",
    ),
    "missing-teachers-all": (
        "本目标涉及的 {n} 所学校都未配置专任教师数（teachers），在 {file} 中为每所成员学校"
        "填写 teachers 之前，本目标均无法判定",
        "none of the {n} schools this target covers has a teachers headcount (专任教师数); "
        "it is unknown for all of them until teachers: is given per member in {file}",
    ),
    "no-subjects": (
        "本目标没有可评价的对象：{why}",
        "this target has no subject to evaluate: {why}",
    ),
    "no-group-of-type": ("没有类型为 {types} 的集团", "no group is of type {types}"),
    "no-school-selected": (
        "没有符合 schools: {selection} 的学校",
        "no member school matches schools: {selection}",
    ),
    "not-in-any-group": (
        "学校“{name}”不属于任何集团（二（一）要求全覆盖）",
        "school '{name}' is in no group (二（一） asks for every school)",
    ),
    "member-not-listed": (
        "成员学校“{name}”不在顶部的 schools 名单中",
        "member school '{name}' is not in the schools: list at the top",
    ),
    "listed-twice": (
        "学校“{name}”在 schools 名单中出现两次（第 {first} 行）",
        "school '{name}' is listed twice in schools: (line {first})",
    ),
    "did-you-mean": ("（是否应为“{name}”？）", " (did you mean '{name}'?)"),
    "use-member-name": (
        "（它是成员“{name}”的别名，请写成员的名称）",
        " (it is an alias of the member {name}: write the member's name)",
    ),
    "use-id": ("（请写活动 id“{id}”）", " (write the activity id '{id}')"),
    "got": ("（现为 {value}）", " (got {value})"),
    # what
    "group": ("集团", "group"),
    "activity": ("活动类型", "activity"),
    "target": ("目标", "target"),
    "school": ("学校", "school"),
}


msg = translator(MESSAGES)


@dataclass(frozen=True)
class Finding:
    """One problem of the configuration, where it is and how bad it is."""

    file: str
    line: int | None
    key: str
    severity: Level
    message: str
    code: str = "invalid-value"

    def render(self, severity: bool = True) -> str:
        """``file: line N: key: severity: message`` (the severity left out on request)."""
        parts = [self.file]
        if self.line:
            parts.append(f"line {self.line}")
        if self.key:
            parts.append(self.key)
        if severity:
            parts.append(self.severity)
        return ": ".join([*parts, self.message])

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


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


@dataclass(frozen=True)
class Coverage:
    """Schools in a group ÷ schools listed in groups.yaml's ``schools:``."""

    listed: int
    covered: int
    uncovered: tuple[str, ...]

    @property
    def share(self) -> float:
        return self.covered / self.listed if self.listed else 1.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "listed": self.listed,
            "covered": self.covered,
            "share": round(self.share, 4),
            "uncovered": list(self.uncovered),
        }


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
            out.append(read_yaml(path or default_path(name)))
        except YamlSyntaxError as err:
            out.append(None)
            findings.append(
                Finding(
                    err.file,
                    err.line,
                    "",
                    "error",
                    msg("invalid-yaml", lang, problem=err.problem),
                    "invalid-yaml",
                )
            )
    return out[0], out[1], findings


# --------------------------------------------------------------------------- helpers


def _text(value: Any) -> str | None:
    """A non-empty string value, or None."""
    return value if isinstance(value, str) and value.strip() else None


def _texts(value: Any) -> list[tuple[int, str]]:
    """The non-empty strings of a list value, with their index."""
    if not isinstance(value, list):
        return []
    return [(i, v) for i, v in enumerate(value) if _text(v)]


def _entries(data: Any, name: str) -> list[tuple[int, dict]]:
    """The mapping entries of a list under ``name`` of a mapping, with their index."""
    value = data.get(name) if isinstance(data, dict) else None
    if not isinstance(value, list):
        return []
    return [(i, v) for i, v in enumerate(value) if isinstance(v, dict)]


def _members(group: dict) -> list[tuple[int, dict]]:
    """Members as mappings (a bare name is ``{"name": ...}``), as the model reads them."""
    value = group.get("members")
    if not isinstance(value, list):
        return []
    out = []
    for i, m in enumerate(value):
        if isinstance(m, str):
            out.append((i, {"name": m}))
        elif isinstance(m, dict):
            out.append((i, m))
    return out


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _strip_optional(tp: Any) -> Any:
    if get_origin(tp) in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return tp


def _model_at(model: type[BaseModel], loc: Iterable[Any]) -> type[BaseModel] | None:
    """The model class at a location of the data (for the keys an unknown key could be)."""
    tp: Any = model
    for part in loc:
        tp = _strip_optional(tp)
        if isinstance(part, int):
            if get_origin(tp) is not list:
                return None
            tp = get_args(tp)[0]
        elif isinstance(tp, type) and issubclass(tp, BaseModel) and part in tp.model_fields:
            tp = tp.model_fields[part].annotation
        else:
            return None
    tp = _strip_optional(tp)
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def _scalar(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool, dt.date)) or value is None


def _close(word: str, choices: Iterable[str]) -> str | None:
    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return found[0] if found else None


class _Collector:
    """Findings for one file, with the line of each key path."""

    def __init__(self, source: SourceFile, lang: str, out: list[Finding]) -> None:
        self.source, self.lang, self.out = source, lang, out

    def line(self, loc: tuple[Any, ...]) -> int | None:
        return self.source.line(loc)

    def add(
        self, loc: tuple[Any, ...], code: str, severity: Level = "error", **values: object
    ) -> None:
        self.out.append(
            Finding(
                self.source.name,
                self.line(loc),
                ".".join(str(p) for p in loc),
                severity,
                msg(code, self.lang, **values),
                code,
            )
        )


# --------------------------------------------------------------------------- shape


def _shape(model: type[BaseModel], c: _Collector) -> bool:
    """The pydantic errors of one file as findings; True when the shape is valid."""
    try:
        model.model_validate(c.source.data)
    except ValidationError as err:
        lang = c.lang
        for e in err.errors():
            loc = tuple(e["loc"])
            kind = e["type"]
            if kind == "missing":
                c.add(loc, "missing-key", name=loc[-1] if loc else "?")
            elif kind == "extra_forbidden":
                owner = _model_at(model, loc[:-1])
                fields = owner.model_fields.items() if owner else ()
                allowed = [f.alias or n for n, f in fields]  # bundling's `from`
                near = _close(str(loc[-1]), allowed)
                c.add(
                    loc,
                    "unknown-key",
                    name=loc[-1],
                    hint=msg("did-you-mean", lang, name=near) if near else "",
                    allowed=", ".join(allowed) or "-",
                )
            else:
                text = e["msg"].removeprefix("Value error, ")
                value = e.get("input")
                got = msg("got", lang, value=repr(value)) if _scalar(value) else ""
                c.add(loc, "invalid-value", msg=text, got=got)
        return False
    return True


# --------------------------------------------------------------------------- groups.yaml


@dataclass
class _School:
    name: str
    group: int  # index of its group
    loc: tuple[Any, ...]
    rural: bool
    teachers: Any
    lead: bool
    aliases: list[tuple[int, str]]


def _check_groups(c: _Collector) -> tuple[list[tuple[int, dict]], list[_School]]:
    """Cross-checks of groups.yaml; returns the groups and member schools it could read."""
    data = c.source.data
    lang = c.lang
    groups = _entries(data, "groups")
    group_ids: dict[str, tuple[Any, ...]] = {}
    group_names: dict[str, tuple[int, tuple[Any, ...]]] = {}
    schools: list[_School] = []
    by_key: dict[str, _School] = {}

    for gi, g in groups:
        gloc = ("groups", gi)
        gid = _text(g.get("id"))
        names = [(_text(g.get("name")), (*gloc, "name"))]
        if gid is not None:
            if gid in group_ids:
                c.add(
                    (*gloc, "id"),
                    "duplicate-id",
                    what=msg("group", lang),
                    id=gid,
                    first=c.line(group_ids[gid]),
                )
            else:
                group_ids[gid] = (*gloc, "id")
                names.insert(0, (gid, (*gloc, "id")))
        names += [(a, (*gloc, "aliases", ai)) for ai, a in _texts(g.get("aliases"))]
        for text, loc in names:
            if text is None:
                continue
            k = key(text)
            if k in group_names and group_names[k][0] != gi:
                other_gi, other_loc = group_names[k]
                other = dict(groups)[other_gi]
                c.add(
                    loc,
                    "name-clash",
                    what=msg("group", lang),
                    text=text,
                    other=other.get("name") or other.get("id"),
                    first=c.line(other_loc),
                )
            else:
                group_names.setdefault(k, (gi, loc))

        lead = _text(g.get("lead"))
        member_keys: dict[str, str] = {}
        alias_of: dict[str, str] = {}
        for mi, m in _members(g):
            mloc = (*gloc, "members", mi)
            name = _text(m.get("name"))
            aliases = _texts(m.get("aliases"))
            if name is None:
                continue
            k = key(name)
            for _, a in aliases:
                alias_of.setdefault(key(a), name.strip())
            if k in by_key:
                first = by_key[k]
                if first.group == gi:
                    c.add(mloc, "duplicate-member", name=name.strip(), first=c.line(first.loc))
                else:
                    other = dict(groups)[first.group]
                    c.add(
                        mloc,
                        "school-in-two-groups",
                        name=name.strip(),
                        other=other.get("name") or other.get("id"),
                        first=c.line(first.loc),
                    )
                continue
            member_keys[k] = name.strip()
            school = _School(
                name=name.strip(),
                group=gi,
                loc=mloc,
                rural=m.get("rural") is True,
                teachers=m.get("teachers"),
                lead=lead is not None and key(lead) == k,
                aliases=aliases,
            )
            schools.append(school)
            by_key[k] = school
        if lead is not None and member_keys and key(lead) not in member_keys:
            hint = ""
            if key(lead) in alias_of:
                hint = msg("use-member-name", lang, name=alias_of[key(lead)])
            c.add((*gloc, "lead"), "lead-not-member", lead=clean(lead), hint=hint)

    # aliases, once every school's name is known
    alias_owner: dict[str, _School] = {}
    for s in schools:
        for ai, alias in s.aliases:
            k = key(alias)
            loc = (*s.loc, "aliases", ai)
            named = by_key.get(k)
            if named is not None and named is not s:
                c.add(loc, "alias-is-school-name", alias=alias, school=s.name, other=named.name)
            elif k in alias_owner and alias_owner[k] is not s:
                c.add(
                    loc, "alias-two-schools", alias=alias, school=s.name, other=alias_owner[k].name
                )
            else:
                alias_owner.setdefault(k, s)
    return groups, schools


def _undivided(k: str) -> str:
    return _DIVISION.sub("", k)


def _coverage(c: _Collector, schools: list[_School]) -> Coverage | None:
    data = c.source.data
    listed = _texts(data.get("schools")) if isinstance(data, dict) else []
    if not isinstance(data, dict) or not isinstance(data.get("schools"), list):
        return None
    member_keys: dict[str, _School] = {}
    for s in schools:
        for text in [s.name, *(a for _, a in s.aliases)]:
            member_keys.setdefault(key(text), s)
    whole_keys: set[str] = {_undivided(k) for k in member_keys}
    seen: dict[str, int] = {}
    covered = 0
    uncovered: list[str] = []
    listed_keys: set[str] = set()
    for i, name in listed:
        k = key(name)
        loc = ("schools", i)
        if k in seen:
            c.add(
                loc,
                "listed-twice",
                "warning",
                name=name.strip(),
                first=c.line(("schools", seen[k])),
            )
            continue
        seen[k] = i
        listed_keys.add(k)
        if k in member_keys or k in whole_keys:
            covered += 1
        else:
            uncovered.append(name.strip())
            c.add(loc, "not-in-any-group", "warning", name=name.strip())
    for s in schools:
        keys = {key(t) for t in [s.name, *(a for _, a in s.aliases)]}
        if not (keys | {_undivided(k) for k in keys}) & listed_keys:
            c.add((*s.loc, "name"), "member-not-listed", "warning", name=s.name)
    return Coverage(len(seen), covered, tuple(uncovered))


# --------------------------------------------------------------------------- targets.yaml


def _check_calendar(c: _Collector) -> tuple[dt.date | None, dt.date | None]:
    cal = c.source.data.get("calendar") if isinstance(c.source.data, dict) else None
    if not isinstance(cal, dict):
        return None, None
    starts = {}
    for name in ("first_semester_starts", "second_semester_starts"):
        value = cal.get(name)
        if isinstance(value, str) and _MONTH_DAY.match(value.strip()):
            starts[name] = value.strip()
            if value.strip() == "02-29":
                c.add(("calendar", name), "semester-leap-day")
    if len(starts) == 2 and starts["first_semester_starts"] == starts["second_semester_starts"]:
        c.add(
            ("calendar", "second_semester_starts"),
            "semesters-same-start",
            day=starts["second_semester_starts"],
        )
    start, end = _date(cal.get("start")), _date(cal.get("end"))
    if start and end and end < start:
        c.add(("calendar", "end"), "calendar-range", start=start, end=end)
        return None, None
    return start, end


def _check_activities(c: _Collector) -> tuple[set[str], dict[str, str]]:
    """Activity ids, and every name/alias key → id (for hints)."""
    lang = c.lang
    ids: dict[str, tuple[Any, ...]] = {}
    names: dict[str, tuple[str, tuple[Any, ...]]] = {}
    for ai, a in _entries(c.source.data, "activities"):
        aloc = ("activities", ai)
        aid = _text(a.get("id"))
        if aid is not None:
            if aid in ids:
                c.add(
                    (*aloc, "id"),
                    "duplicate-id",
                    what=msg("activity", lang),
                    id=aid,
                    first=c.line(ids[aid]),
                )
                continue
            ids[aid] = (*aloc, "id")
        texts = [(aid, (*aloc, "id")), (_text(a.get("name")), (*aloc, "name"))]
        texts += [(t, (*aloc, "aliases", i)) for i, t in _texts(a.get("aliases"))]
        for text, loc in texts:
            if text is None or aid is None:
                continue
            k = key(text)
            if k in names and names[k][0] != aid:
                c.add(
                    loc,
                    "name-clash",
                    what=msg("activity", lang),
                    text=text,
                    other=names[k][0],
                    first=c.line(names[k][1]),
                )
            else:
                names.setdefault(k, (aid, loc))
    return set(ids), {k: v[0] for k, v in names.items()}


def _covered_schools(
    target: dict, groups: list[tuple[int, dict]], schools: list[_School]
) -> list[_School] | None:
    """The member schools a scope-school target covers (None when it cannot be told)."""
    types_ = target.get("group_types")
    if types_ is not None and not isinstance(types_, list):
        return None
    kinds = {gi: g.get("type") for gi, g in groups}
    selection = target.get("schools") or "all"
    if selection not in ("all", "members", "lead", "rural"):
        return None
    return [
        s
        for s in schools
        if (types_ is None or kinds.get(s.group) in types_)
        and (
            selection == "all"
            or (selection == "lead" and s.lead)
            or (selection == "members" and not s.lead)
            or (selection == "rural" and s.rural)
        )
    ]


def _check_targets(
    c: _Collector,
    calendar: tuple[dt.date | None, dt.date | None],
    activity_ids: set[str],
    activity_names: dict[str, str],
    groups: list[tuple[int, dict]] | None,
    schools: list[_School] | None,
    groups_file: str,
) -> None:
    lang = c.lang
    ids: dict[str, tuple[Any, ...]] = {}
    for ti, tg in _entries(c.source.data, "targets"):
        tloc = ("targets", ti)
        tid = _text(tg.get("id"))
        if tid is not None:
            if tid in ids:
                c.add(
                    (*tloc, "id"),
                    "duplicate-id",
                    what=msg("target", lang),
                    id=tid,
                    first=c.line(ids[tid]),
                )
            else:
                ids[tid] = (*tloc, "id")
        if activity_ids:
            for i, name in _texts(tg.get("activities")):
                if name in activity_ids:
                    continue
                by_name = activity_names.get(key(name))
                near = _close(name, activity_ids)
                hint = (
                    msg("use-id", lang, id=by_name)
                    if by_name
                    else msg("did-you-mean", lang, name=near)
                    if near
                    else ""
                )
                c.add(
                    (*tloc, "activities", i),
                    "unknown-activity",
                    name=name,
                    hint=hint,
                    known=", ".join(sorted(activity_ids)),
                )
        scope = tg.get("scope")
        scope = scope if scope in SCOPES else None
        metric = tg.get("metric", "count")
        period = tg.get("period")
        if scope is not None and scope != "school":
            if tg.get("schools") is not None:
                c.add((*tloc, "schools"), "schools-without-school-scope", scope=scope)
            if metric == "share_of_teachers":
                c.add((*tloc, "metric"), "share-without-school-scope", scope=scope)
        minimum = _number(tg.get("min"))
        if minimum is not None and minimum > 0:
            if metric == "share_of_teachers" and minimum > 1:
                c.add((*tloc, "min"), "share-min-fraction", min=tg.get("min"))
            elif metric in WHOLE_METRICS and minimum != int(minimum):
                c.add((*tloc, "min"), "whole-min", metric=metric, min=tg.get("min"))
        deadline = _date(tg.get("deadline")) if tg.get("deadline") is not None else None
        if tg.get("deadline") is not None and period in PERIODS and period != "program":
            c.add((*tloc, "deadline"), "deadline-not-program", period=period)
        start, end = calendar
        if deadline and start and end and not start <= deadline <= end:
            c.add(
                (*tloc, "deadline"),
                "deadline-outside-calendar",
                deadline=deadline,
                start=start,
                end=end,
            )
        if groups is None or schools is None or scope not in ("group", "school"):
            continue
        types_ = tg.get("group_types")
        if (
            isinstance(types_, list)
            and groups
            and not any(g.get("type") in types_ for _, g in groups)
        ):
            why = msg("no-group-of-type", lang, types=", ".join(map(str, types_)))
            c.add((*tloc, "group_types"), "no-subjects", "warning", why=why)
            continue
        if scope != "school":
            continue
        covered = _covered_schools(tg, groups, schools)
        if covered is None or not schools:
            continue
        if not covered:
            why = msg("no-school-selected", lang, selection=tg.get("schools") or "all")
            c.add((*tloc, "schools"), "no-subjects", "warning", why=why)
            continue
        if metric == "share_of_teachers":
            missing = [
                s.name
                for s in covered
                if isinstance(s.teachers, bool) or not isinstance(s.teachers, int)
            ]
            if missing and len(missing) == len(covered):
                c.add(
                    (*tloc, "metric"),
                    "missing-teachers-all",
                    "warning",
                    n=len(covered),
                    file=groups_file,
                )
            elif missing:
                c.add(
                    (*tloc, "metric"),
                    "missing-teachers-some",
                    "warning",
                    n=len(missing),
                    names=("、" if lang == "zh" else ", ").join(missing),
                )


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
