"""The cross-checks of targets.yaml: calendar, activities and each target.

Split out of :mod:`jituan.validate`, which runs them on the raw YAML data after the
shape check, given what :mod:`jituan.validate_groups` could read of groups.yaml (a
target that selects no school is only a warning when the groups are known).

What "the semesters do not tile the year" means here: semesters start on a month-day
("MM-DD") and each runs until the other starts, so two different starts always cover
the year without gaps or overlaps. They fail to tile when both start on the same day
(one semester would be empty or the whole year), when a start is not a day of the year
(the model rejects it), or when a semester starts on 02-29, a day three years in four
lack.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from jituan.textnorm import key, person
from jituan.validate_findings import _close, _Collector, _entries, _text, _texts, msg
from jituan.validate_groups import _School

#: The scopes, periods and metrics the engine knows (the models' Literals, as sets).
SCOPES = ("district", "group", "school", "researcher")
PERIODS = ("semester", "school_year", "year", "program")
WHOLE_METRICS = ("count", "sum", "distinct_persons")
_MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")
#: The years a programme's calendar may span: those of the dates a ledger can hold
#: (spreadsheet serial days run 2000–2099). A year such as 9999 is a typo, and the
#: school years around the calendar's ends must still be days Python can count.
CALENDAR_YEARS = (2000, 2099)


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
    """A finite number, or None: the shape check reports booleans, .inf, .nan and 1e400."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        number = float(value)
    except OverflowError:  # an int beyond any float
        return None
    return number if math.isfinite(number) else None


def _in_years(day: dt.date) -> bool:
    return CALENDAR_YEARS[0] <= day.year <= CALENDAR_YEARS[1]


def _real_days(starts: dict[str, str]) -> bool:
    """Whether both semester starts are days of every year (not 09-31, not 02-29)."""
    try:
        return len(starts) == 2 and all(
            dt.date(2001, *map(int, d.split("-"))) for d in starts.values()
        )
    except ValueError:
        return False


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
    outside = [(n, d) for n, d in (("start", start), ("end", end)) if d and not _in_years(d)]
    for name, day in outside:
        c.add(
            ("calendar", name),
            "calendar-years",
            day=day,
            low=CALENDAR_YEARS[0],
            high=CALENDAR_YEARS[1],
        )
    if outside:
        return None, None
    if start and end and end < start:
        c.add(("calendar", "end"), "calendar-range", start=start, end=end)
        return None, None
    if start and _real_days(starts) and start.strftime("%m-%d") not in starts.values():
        # periods are cut to the calendar, but their minimums are not: the semester (and
        # school year) it starts in are judged over their remaining days in full
        first = sorted(starts.values())
        c.add(
            ("calendar", "start"),
            "calendar-start-cuts",
            "warning",
            start=start,
            days="、".join(first) if c.lang == "zh" else " or ".join(first),
        )
    return start, end


def _check_activities(c: _Collector) -> tuple[set[str], dict[str, str]]:
    """Activity ids, and every name/alias key → id (for hints)."""
    lang = c.lang
    ids: dict[str, tuple[Any, ...]] = {}
    names: dict[str, tuple[str, tuple[Any, ...]]] = {}
    for ai, a in _entries(c.source.data, "activities"):
        aloc = ("activities", ai)
        aid = _text(a.get("id"))
        texts = [(_text(a.get("name")), (*aloc, "name"))]
        if aid is not None and c.first_id(ids, aid, (*aloc, "id"), "activity"):
            texts.insert(0, (aid, (*aloc, "id")))  # a repeated id: its names are checked still
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


def _researchers_without_rural(groups: list[tuple[int, dict]], schools: list[_School]) -> list[str]:
    """Researchers listed only by groups that have no rural member school: a target that
    counts their work at rural schools alone can never be met for them."""
    rural_groups = {s.group for s in schools if s.rural is True}
    where: dict[str, bool] = {}  # researcher → some group listing them has a rural school
    for gi, group in groups:
        for _, name in _texts(group.get("researchers")):
            who = person(name)
            where[who] = where.get(who, False) or gi in rural_groups
    return [name for name, rural in where.items() if not rural]


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
            c.first_id(ids, tid, (*tloc, "id"), "target")
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
        if scope == "researcher" and tg.get("rural_only") is True and groups and schools:
            stranded = _researchers_without_rural(groups, schools)
            if stranded:
                sep = "、" if lang == "zh" else ", "
                c.add(
                    (*tloc, "rural_only"),
                    "researchers-no-rural",
                    "warning",
                    names=sep.join(stranded),
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
            names = ("、" if lang == "zh" else ", ").join(missing)
            if missing and len(missing) == len(covered):
                c.add(
                    (*tloc, "metric"),
                    "missing-teachers-all",
                    "warning",
                    n=len(covered),
                    file=groups_file,
                    names=names,
                )
            elif missing:
                c.add(
                    (*tloc, "metric"),
                    "missing-teachers-some",
                    "warning",
                    n=len(missing),
                    names=names,
                )
