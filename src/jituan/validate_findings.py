"""Findings of the configuration files and the machinery that makes them.

Split out of :mod:`jituan.validate` so that the groups.yaml checks
(:mod:`jituan.validate_groups`), the targets.yaml checks (:mod:`jituan.validate_targets`)
and the exemptions file (:mod:`jituan.exemptions`) all report the same way: a
:class:`Finding` with file, line, key and severity, made by one :class:`_Collector`
from one message table, so message ids stay unique and texts are said once. The
pydantic shape check (:func:`_shape`) lives here too, because every file runs it first.
"""

from __future__ import annotations

import datetime as dt
import difflib
import types
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from jituan.i18n import t, translator
from jituan.yaml_source import SourceFile, YamlSyntaxError, YamlValueError

Level = Literal["error", "warning"]

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
    "not-finite": (
        "应为有限的数（现为 {value}）：.inf、.nan 或大到无法表示的数不能用在这里",
        "expected a finite number (got {value}): .inf, .nan and numbers too large to hold "
        "cannot be used here",
    ),
    "bool-not-number": (
        "应为数字，不能是 true/false（现为 {value}）",
        "expected a number, not true/false (got {value})",
    ),
    "blank": (
        "不能为空白（只有空格，现为 {value}）",
        "must not be blank (only spaces, got {value})",
    ),
    "empty": ("不能为空（现为 {value}）", "must not be empty (got {value})"),
    "day-not-number": (
        "应为日期，如 2025-06-30，不能是数字（现为 {value}）",
        "expected a date such as 2025-06-30, not a number (got {value})",
    ),
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
    "researchers-no-rural": (
        "{names}：列出他们的集团没有农村学校，此目标只计农村学校，永远无法达标",
        "{names}: the groups that list them have no rural school, and this target counts "
        "rural schools only, so it can never be met for them",
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
    "calendar-start-cuts": (
        "实施期从 {start} 开始，不是学期的第一天（{days}）：它所在的学期和学年只剩其余的天数，"
        "却仍按完整的最低要求评价",
        "the calendar starts on {start}, not on the first day of a semester ({days}): the "
        "semester and school year it starts in keep only their remaining days, yet are judged "
        "against the full minimum",
    ),
    "calendar-years": (
        "实施期的日期 {day} 不在 {low}–{high} 年之内：请检查年份是否写错",
        "the calendar's date {day} is outside the years {low}–{high}: check the year for a typo",
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
        "填写 teachers 之前，本目标均无法判定：{names}",
        "none of the {n} schools this target covers has a teachers headcount (专任教师数); "
        "it is unknown for all of them until teachers: is given per member in {file}: "
        "{names}",
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
    "fullwidth-key": (
        "“{name}”像是用全角冒号“：”写的键 {key}，现被读作学校名：应写“{key}: …”（半角冒号加空格）",
        "'{name}' looks like the key {key} written with a full-width colon (：), and is read "
        "as a school's name: write '{key}: …' (an ASCII colon and a space)",
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
    #: the language of ``message``, so that :meth:`render` says "line" in it too; not data
    lang: str = field(default="en", repr=False, compare=False)

    def render(self, severity: bool = True, lang: str | None = None) -> str:
        """``file: line N: key: severity: message`` (the severity left out on request);
        in Chinese ``file: 第 N 行: key: 错误: message``."""
        lang = lang or self.lang
        parts = [self.file]
        if self.line:
            parts.append(t("at-line", lang, line=self.line))
        if self.key:
            parts.append(self.key)
        if severity:
            parts.append(t(self.severity, lang))
        return ": ".join([*parts, self.message])

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        del data["lang"]  # the machine fields only
        return data


def yaml_finding(err: YamlSyntaxError, lang: str) -> Finding:
    """A file YAML cannot read (or a value it reads and Python cannot hold) as a finding,
    so that it is listed, in the user's language, like every other problem."""
    if isinstance(err, YamlValueError):
        text = err.message(lang)
    else:
        text = msg("invalid-yaml", lang, problem=err.problem_text(lang))
    return Finding(err.file, err.line, err.key, "error", text, err.code, lang)


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


#: Values in messages are cut to this many characters (an int of 400 digits says no more).
_SHOWN = 60


def _shown(value: Any) -> str:
    """A value as the YAML file has it: quoted text, a date or a moment as written there
    (2025-08-31 10:00:00, not datetime.datetime(2025, 8, 31, 10, 0))."""
    if isinstance(value, (dt.date, dt.time)):  # datetime is a date
        text = value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    else:
        text = repr(value)
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "…"


def _close(word: str, choices: Iterable[str]) -> str | None:
    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return found[0] if found else None


class _Collector:
    """Findings for one file, with the line of each key path; the values YAML read but
    could not hold come first, each once."""

    def __init__(self, source: SourceFile, lang: str, out: list[Finding]) -> None:
        self.source, self.lang, self.out = source, lang, out
        out.extend(yaml_finding(err, lang) for err in source.refused)

    def line(self, loc: tuple[Any, ...]) -> int | None:
        return self.source.line(loc)

    def add(
        self, loc: tuple[Any, ...], code: str, severity: Level = "error", **values: object
    ) -> None:
        self.add_text(loc, code, severity, msg(code, self.lang, **values))

    def add_text(self, loc: tuple[Any, ...], code: str, severity: Level, text: str) -> None:
        """A finding whose message is already said (by another module's messages)."""
        where = ".".join(str(p) for p in loc)
        if self.source.refused and where in self.source.refused_keys:
            return  # a value YAML could not hold: its own finding says what is wrong
        self.out.append(
            Finding(self.source.name, self.line(loc), where, severity, text, code, self.lang)
        )

    def first_id(
        self, seen: dict[str, tuple[Any, ...]], value: str, loc: tuple[Any, ...], what: str
    ) -> bool:
        """Record an id at ``loc``; True when it is new. A repeat is a ``duplicate-id``
        finding that names the line of the first (groups, activities and targets alike)."""
        if value in seen:
            self.add(
                loc,
                "duplicate-id",
                what=msg(what, self.lang),
                id=value,
                first=self.line(seen[value]),
            )
            return False
        seen[value] = loc
        return True


# --------------------------------------------------------------------------- shape


#: pydantic error types said in our own words (both languages) rather than pydantic's.
_OWN_WORDS = {
    "finite_number": "not-finite",
    "bool_not_number": "bool-not-number",
    "blank": "blank",
    "empty": "empty",
    "day_not_number": "day-not-number",
}


#: pydantic's messages for the common error types, in Chinese (the English ones are
#: pydantic's own); filled in from the error's ``ctx``.
_PYDANTIC_ZH = {
    "string_type": "应为文本",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数，不能有小数部分",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "list_type": "应为列表（如 [a, b]，或每行一项“- a”）",
    "dict_type": "应为键值映射",
    "model_type": "应为键值映射",
    "model_attributes_type": "应为键值映射",
    "date_type": "应为日期，如 2025-08-31",
    "date_parsing": "应为日期，如 2025-08-31",
    "date_from_datetime_parsing": "应为日期，如 2025-08-31",
    "date_from_datetime_inexact": "应为日期，不能带时间",
    "too_short": "至少应有 {min_length} 项",
    "too_long": "至多只能有 {max_length} 项",
    "string_too_short": "至少应有 {min_length} 个字符",
    "string_too_long": "至多只能有 {max_length} 个字符",
    "string_pattern_mismatch": "应符合格式 {pattern}",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "应不小于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "应不大于 {le}",
    "literal_error": "应为 {expected} 之一",
    "enum": "应为 {expected} 之一",
}


#: pydantic's English messages that say too little to someone editing YAML by hand.
_PYDANTIC_EN = {
    "date_from_datetime_inexact": "expected a date without a time, such as 2025-08-31",
}


def _pydantic_text(error: Any, lang: str) -> str:
    """A pydantic error's message in ``lang``: ours in Chinese for the common types,
    pydantic's own otherwise (and for a validator's own words)."""
    text = error["msg"].removeprefix("Value error, ")
    template = (_PYDANTIC_ZH if lang == "zh" else _PYDANTIC_EN).get(error["type"])
    if template is None:
        return text
    ctx = {k: str(v) for k, v in (error.get("ctx") or {}).items()}
    if "expected" in ctx:  # "'a', 'b' or 'c'" → 'a'、'b'、'c'
        ctx["expected"] = ctx["expected"].replace(" or ", "、").replace(", ", "、")
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return text


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
            elif kind in _OWN_WORDS:
                c.add(loc, _OWN_WORDS[kind], value=_shown(e.get("input")))
            else:
                text = _pydantic_text(e, lang)
                value = e.get("input")
                got = msg("got", lang, value=_shown(value)) if _scalar(value) else ""
                c.add(loc, "invalid-value", msg=text, got=got)
        return False
    return True
