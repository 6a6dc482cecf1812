"""Evaluation: targets × subjects × periods → results.

Subjects come from the configuration (plus researchers found in the records), never
from the records alone, so a school with no rows fails with 0 instead of vanishing.
Each target is one filtered group-by over the accepted rows; nothing loops over rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from jituan.config import Config, PeriodKind, Target
from jituan.i18n import t
from jituan.ledger import Coded, Records, distinct, researchers_in
from jituan.model import Result, Status
from jituan.periods import Period, assign, evaluated_periods

if TYPE_CHECKING:
    import pandas as pd

EPSILON = 1e-9


@dataclass(frozen=True)
class Subject:
    """Who a target is evaluated for: the key records are grouped by, and names to show."""

    key: str
    name: str
    group: str | None  # group name, for display
    teachers: int | None = None


def _of_types(config: Config, group: str, target: Target) -> bool:
    """Whether a group is of a type the target applies to (``group_types``)."""
    found = config.groups.get(group)
    return found is None or target.group_types is None or found.type in target.group_types


def subjects_for(
    target: Target, config: Config, records: Records | None, only_group: str | None = None
) -> list[Subject]:
    """The subjects a target applies to, in configuration order (``records`` None: as if
    there were no records)."""
    groups = [
        g
        for g in config.groups.values()
        if (target.group_types is None or g.type in target.group_types)
        and (only_group is None or g.id == only_group)
    ]
    if target.scope == "district":
        return [] if only_group else [Subject("district", config.district, None)]
    if target.scope == "group":
        return [Subject(g.id, g.name, g.name) for g in groups]
    if target.scope == "school":
        selection = target.school_selection
        out = []
        for g in groups:
            for s in config.schools_of(g.id):
                if (
                    selection == "all"
                    or (selection == "lead" and s.lead)
                    or (selection == "members" and not s.lead)
                    or (selection == "rural" and s.rural)
                ):
                    out.append(Subject(s.name, s.name, g.name, s.teachers))
        return out
    names = list(config.researchers)
    found = researchers_in(records) if records is not None else []
    names += [p for p in found if p not in config.researchers]
    if only_group is not None:
        in_group: set[str] = set()
        if records is not None:
            groups = records.school_group
            mask = groups.isin([only_group])
            in_group = {records.person.values[c] for c in distinct(records.person.codes[mask])}
        names = [
            n
            for n in names
            if only_group in config.researchers.get(n, ())
            or (n not in config.researchers and n in in_group)
        ]

    def group_of(name: str) -> str | None:
        """The group a researcher's results are shown under: the one a run is narrowed to
        (--group) when it lists them, else the first that does; None when none does."""
        listing = config.researchers.get(name, ())
        if not listing:
            return None
        return config.groups[only_group if only_group in listing else listing[0]].name

    return [Subject(n, n, group_of(n)) for n in names]


#: The row filters of a target, in the order ``explain`` reports the first one a row fails.
FILTERS = ("activity", "role", "rural", "within_group", "visitors_from_group")


def _filter_masks(target: Target, frame: pd.DataFrame) -> dict[str, pd.Series]:
    """One boolean mask per filter the target applies (a row counts only if all hold)."""
    masks = {"activity": frame["activity"].isin(target.activities)}
    if target.roles:
        masks["role"] = frame["role"].isin(target.roles)
    if target.rural_only:
        masks["rural"] = frame["rural"].astype(bool)
    if target.within_group:
        masks["within_group"] = frame["from_group"].notna() & (
            frame["from_group"] == frame["school_group"]
        )
    if target.visitors_from_group:
        masks["visitors_from_group"] = frame["from_school"].isna() | (
            (frame["from_school"] != frame["school"])
            & (frame["from_group"] == frame["school_group"])
        )
    return masks


def _positions(target: Target, records: Records) -> np.ndarray:
    """Positions of the rows that pass every filter of the target (the same filters as
    :func:`_filter_masks`, on codes: each a lookup per distinct value)."""
    mask = records.activity.isin(target.activities)
    if target.roles:
        mask &= records.role.isin(target.roles)
    if target.rural_only:
        mask &= records.rural
    if target.within_group:
        mask &= (records.from_group.codes >= 0) & (
            records.from_group.codes == records.school_group.codes
        )
    if target.visitors_from_group:  # no sending school: counted, as nothing says otherwise
        sender = records.from_school.codes
        mask &= (sender < 0) | (
            (sender != records.school.codes)
            & (records.from_group.codes == records.school_group.codes)
        )
    return np.flatnonzero(mask)


def _period_index(
    target: Target, row_days: np.ndarray, kind_periods: list[Period]
) -> tuple[np.ndarray, np.ndarray]:
    """Each row's index into ``kind_periods`` (-1: none) and whether it is after the deadline."""
    idx = assign(row_days, kind_periods)
    late = np.zeros(len(row_days), dtype=bool)
    if target.deadline is not None:
        late = row_days > np.datetime64(target.deadline, "D")
        idx = np.where(late, -1, idx)
    return idx, late


def _subject_keys(target: Target, rows: pd.DataFrame, config: Config) -> pd.Series:
    """The subject key of each row; NA where the row belongs to no subject."""
    import pandas as pd

    by = rows[target.by]
    if target.scope == "district":
        return pd.Series("district", index=rows.index)
    if target.scope == "group":
        return rows["school_group" if target.by == "school" else "from_group"]
    if target.scope == "school":
        return by
    # researcher: the person's rows at schools of the groups that list them
    assigned = pd.DataFrame(
        [(n, g) for n, gs in config.researchers.items() for g in gs], columns=["person", "group"]
    )
    listed = rows["person"].isin(config.researchers.keys())
    ok = ~listed
    if len(assigned):
        pairs = pd.MultiIndex.from_frame(assigned)
        ok |= pd.MultiIndex.from_arrays([rows["person"], rows["school_group"]]).isin(pairs)
    return rows["person"].where(ok & (rows["person"] != ""))


def _key_codes(
    target: Target, records: Records, pos: np.ndarray, config: Config
) -> tuple[np.ndarray, list]:
    """The subject key of each row at ``pos`` as a code (-1: no subject) and the keys.

    The same keys as :func:`_subject_keys`, computed on codes rather than on strings.
    """
    if target.scope == "district":
        return np.zeros(len(pos), dtype=np.int64), ["district"]
    if target.scope in ("group", "school"):
        if target.scope == "group":
            column = "school_group" if target.by == "school" else "from_group"
        else:
            column = target.by
        coded: Coded = getattr(records, column)
        return coded.codes[pos], coded.values
    # researcher: the person's rows at schools of the groups that list them
    names, group_ids = records.person.values, records.school_group.values
    person, group = records.person.codes[pos], records.school_group.codes[pos]
    listed = np.array([n in config.researchers for n in names] + [False])
    ok = ~listed[person]
    allowed = {(n, g) for n, gs in config.researchers.items() for g in gs}
    pairs = [
        (i, j)
        for i, n in enumerate(names)
        if n in config.researchers
        for j, g in enumerate(group_ids)
        if (n, g) in allowed
    ]
    if pairs:
        width = len(group_ids) + 1
        ok |= np.isin(
            person.astype(np.int64) * width + group + 1, [i * width + j + 1 for i, j in pairs]
        )
    empty = np.array([n == "" for n in names] + [True])
    return np.where(ok & ~empty[person] & (person >= 0), person, -1), names


def _aggregate(
    target: Target, records: Records, pos: np.ndarray, period_idx: np.ndarray, config: Config
) -> dict:
    """(subject key, period index) → metric value, for keys and periods with rows.

    One pass of integer arithmetic over the target's rows: a subject-and-period number
    per row, counted (count), weighted by the count column (sum), or counted once per
    person (distinct_persons, share_of_teachers).
    """
    keys, names = _key_codes(target, records, pos, config)
    valid = (keys >= 0) & (period_idx >= 0)
    periods = int(period_idx.max()) + 1 if len(period_idx) else 1
    cell = keys.astype(np.int64) * periods + period_idx
    if target.metric == "count":
        cell = cell[valid]
        values = np.bincount(cell, minlength=len(names) * periods) if len(cell) else None
    elif target.metric == "sum":
        counts = records.count[pos][valid]
        cell = cell[valid]
        values = (
            np.bincount(cell, weights=counts, minlength=len(names) * periods) if len(cell) else None
        )
    else:  # distinct_persons, share_of_teachers
        person_names = records.person.values
        person = records.person.codes[pos]
        empty = np.array([n == "" for n in person_names] + [True])
        valid &= ~empty[person] & (person >= 0)
        pairs = distinct(cell[valid] * (len(person_names) + 1) + person[valid])
        cell = pairs // (len(person_names) + 1)
        values = np.bincount(cell, minlength=len(names) * periods) if len(cell) else None
    if values is None:
        return {}
    found = np.flatnonzero(values)
    return dict(
        zip(
            [(names[c // periods], c % periods) for c in found.tolist()],
            values[found].tolist(),
            strict=True,
        )
    )


def _status(actual: float, required: float, period: Period, end: dt.date, as_of: dt.date) -> Status:
    met = actual + EPSILON >= required
    if as_of >= end:
        return "pass" if met else "fail"
    if met:
        return "pass"
    span = Period(period.id, period.kind, period.start, end)
    return "at_risk" if actual + EPSILON < required * span.elapsed_share(as_of) else "on_track"


def evaluate(
    config: Config,
    records: Records,
    as_of: dt.date,
    lang: str,
    period_ids: set[str] | None = None,
    only_group: str | None = None,
) -> list[Result]:
    """Every target for every subject and evaluated period."""
    periods: dict[PeriodKind, list[Period]] = {}
    days = records.day
    results: list[Result] = []
    for target in config.targets:
        if target.period not in periods:
            periods[target.period] = evaluated_periods(target.period, config.calendar, as_of)
        kind_periods = periods[target.period]
        chosen = [
            (i, p) for i, p in enumerate(kind_periods) if not period_ids or p.id in period_ids
        ]
        subjects = subjects_for(target, config, records, only_group)

        def result(
            subject: str,
            group: str | None,
            period: Period | None,
            actual: float,
            status: Status,
            reason: str | None,
            target: Target = target,
        ) -> Result:
            return Result(
                target=target.id,
                title=target.title,
                source=target.source,
                severity=target.severity,
                scope=target.scope,
                subject=subject,
                group=group,
                period=period.id if period else "",
                period_label=period.label(lang) if period else "",
                metric=target.metric,
                required=target.min,
                actual=actual,
                status=status,
                reason=reason,
                cadence=target.period,
            )

        if not subjects:
            if target.scope == "researcher" and only_group:
                group_name = config.groups[only_group].name
                reason = t("no-researchers-in-group", lang, group=group_name)
            elif target.scope == "researcher":
                reason = t("no-researchers", lang)
            else:
                reason = t("no-subjects", lang, what=t(target.scope, lang))
            if target.scope == "district" and only_group:
                continue  # a group-level run leaves the district's own duties out
            if only_group and target.group_types and not _of_types(config, only_group, target):
                continue  # nor duties of another type of group (an alliance's committee)
            if chosen or not period_ids:  # one result says it, whatever the periods
                results.append(result("", None, None, 0, "unknown", reason))
            continue
        if not chosen:
            if not period_ids:
                reason = t("no-periods", lang, as_of=as_of.isoformat())
                results.extend(
                    result(s.name, s.group, None, 0, "unknown", reason) for s in subjects
                )
            continue

        pos = _positions(target, records)
        idx, _ = _period_index(target, days[pos], kind_periods)
        values = _aggregate(target, records, pos, idx, config)
        for i, period in chosen:
            end = target.deadline or period.end
            for s in subjects:
                value = float(values.get((s.key, i), 0))
                if target.metric == "share_of_teachers":
                    if not s.teachers:  # no share without a headcount (not persons as one)
                        reason = t("no-teachers", lang)
                        results.append(result(s.name, s.group, period, 0, "unknown", reason))
                        continue
                    value = round(value / s.teachers, 6)
                status = _status(value, target.min, period, end, as_of)
                results.append(result(s.name, s.group, period, value, status, None))
    return results


def row_reasons(
    target: Target, config: Config, frame: pd.DataFrame, as_of: dt.date
) -> pd.DataFrame:
    """Why each record of the target's activities counts or not, by the engine's own rules.

    One row per record of ``frame`` whose activity is one of the target's (same index),
    with ``filter`` (the first filter of :data:`FILTERS` it fails, None when it passes),
    ``period`` (the evaluated period id it falls in, None when none), ``late`` (after the
    deadline) and ``subject`` (the subject key it counts for, None when none). A row
    counts toward (subject, period) exactly when its filter is None, it is not late and
    its period and subject are those: what :func:`evaluate` aggregates.
    """
    import pandas as pd

    rows = frame.loc[frame["activity"].isin(target.activities)]
    masks = _filter_masks(target, rows)
    failed = pd.Series(None, index=rows.index, dtype=object)
    for name in FILTERS:
        if name in masks:
            failed = failed.where(failed.notna() | masks[name].astype(bool), name)
    kind_periods = evaluated_periods(target.period, config.calendar, as_of)
    row_days = rows["date"].to_numpy(dtype="datetime64[D]")
    idx, late = _period_index(target, row_days, kind_periods)
    ids = np.array([p.id for p in kind_periods] + [None], dtype=object)
    keys = _subject_keys(target, rows, config)
    return pd.DataFrame(
        {
            "filter": failed,
            "period": ids[np.where(idx >= 0, idx, len(kind_periods))],
            "late": late,
            "subject": keys.astype(object).where(keys.notna(), None),
        },
        index=rows.index,
    )
