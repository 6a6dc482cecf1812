"""``jituan explain``: a target in words, and which records counted toward a result and why.

The words come from the target's own keys; the records come from the engine's own rules
(:func:`jituan.engine.row_reasons` exposes, per row, the filter it fails, its period
and its subject — the very masks, period assignment and subject keys that
:func:`jituan.engine.evaluate` aggregates), and the headline figure is the engine's
result itself. So ``explain`` cannot disagree with ``check``.

The words for the target itself and the terminal rendering live in
:mod:`jituan.report.explain`; this module holds what counts and why, as data.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jituan.config import RESEARCHER_ROLE, Config, Target
from jituan.errors import UsageError
from jituan.i18n import translator
from jituan.textnorm import person

if TYPE_CHECKING:
    from jituan.model import Result, RowIssue

#: File-level issue codes: an input (file or worksheet) skipped as a whole. ``explain``
#: shows these, as ``check`` does, so a ledger it could not read is never silently missing
#: from an explanation that then looks complete.
FILE_ISSUE_CODES = frozenset(
    {"unreadable", "missing-column", "not-a-ledger", "symlink", "skipped-rows"}
)

# message id → (Chinese, English)
MESSAGES: dict[str, tuple[str, str]] = {
    "whom-district": ("全区整体（{district}）", "the district as a whole ({district})"),
    "whom-group": ("每个集团{types}", "each group{types}"),
    "whom-types": ("（仅 {types} 型）", " (of type {types} only)"),
    "whom-all": ("每所成员学校{types}", "every member school{types}"),
    "whom-members": (
        "除牵头学校外的每所成员学校{types}",
        "every member school except the lead{types}",
    ),
    "whom-lead": ("每个集团的牵头学校{types}", "the lead school of each group{types}"),
    "whom-rural": ("每所农村成员学校{types}", "every rural member school{types}"),
    "whom-researcher": (
        "每位教研员：groups.yaml 中列出的（只计其包片集团学校的记录），以及台账中身份为"
        "教研员的人员（计其全部记录）",
        "each teaching researcher (教研员): those listed in groups.yaml (their records at "
        "schools of the groups that list them) and anyone recorded with the role 教研员 "
        "(their records anywhere)",
    ),
    "none": ("（无）", "(none)"),
    "r-role": (
        "身份“{role}”不在 {roles} 之中",
        "role '{role}' is not one of {roles}",
    ),
    "r-rural": ("{school} 不是农村学校", "{school} is not a rural school"),
    "r-no-from": (
        "未填写派出学校，无法确认为集团内交流",
        "no sending school (派出学校), so not within a group",
    ),
    "r-cross-group": (
        "跨集团：{from_school}（{from_group}）→ {school}（{group}）",
        "cross-group: {from_school} ({from_group}) → {school} ({group})",
    ),
    "r-own-school": (
        "派出学校就是 {school}：本校教师不算到校开展的活动",
        "sent by {school} itself: its own teachers are no visit to it",
    ),
    "r-late": ("晚于截止日期 {deadline}", "after the deadline {deadline}"),
    "r-outside": (
        "不在已评价的期间内（实施期 {start} 至 {end}，核查日期 {as_of}）",
        "in no evaluated period (programme {start} – {end}, as of {as_of})",
    ),
    "r-other-period": ("属于其他期间：{period}", "another period: {period}"),
    "r-no-person": ("未填写姓名", "no person recorded"),
    "r-not-assigned": (
        "{person} 不是 {school} 所在集团的包片教研员",
        "{person} is not assigned to the group of {school}",
    ),
    "r-no-by": ("未填写{column}", "no {column} recorded"),
    "r-no-subject": ("不属于任何评价对象", "belongs to no subject"),
    "r-not-subject": (
        "{subject} 不是本目标的评价对象（{whom}）",
        "{subject} is not a subject of this target ({whom})",
    ),
    "r-other-subject": ("计入其他对象：{subject}", "counts for another subject: {subject}"),
    "r-no-person-metric": (
        "未填写姓名（本目标按人数计）",
        "no person recorded (this target counts persons)",
    ),
    "r-same-person": (
        "{person} 已在 {first} 计入（按人数计，只计一次）",
        "{person} already counted at {first} (persons count once)",
    ),
    "unknown-target": ("未知的目标：{target}{hint}", "unknown target: {target}{hint}"),
    "did-you-mean": ("（是否应为 {name}？）", " (did you mean {name}?)"),
    "known": ("；已知目标：{ids}", "; known targets: {ids}"),
    "unknown-subject": ("--subject：未知的{what}：{name}", "--subject: unknown {what}: {name}"),
    "unknown-period": (
        "--period：本目标没有已评价的期间 {period}；可用：{ids}",
        "--period: this target has no evaluated period {period}; it has: {ids}",
    ),
}


m = translator(MESSAGES)


def _join(items: Sequence[str], lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(items)


def find_target(config: Config, text: str, lang: str) -> Target:
    """The target with this id (or title); a UsageError with the closest ids otherwise."""
    for target in config.targets:
        if text in (target.id, target.title):
            return target
    ids = [t.id for t in config.targets]
    near = difflib.get_close_matches(text, ids, n=1, cutoff=0.5)
    hint = m("did-you-mean", lang, name=near[0]) if near else m("known", lang, ids=", ".join(ids))
    raise UsageError(m("unknown-target", lang, target=text, hint=hint))


def _whom(target: Target, config: Config, lang: str) -> str:
    types = ""
    if target.group_types:
        types = m("whom-types", lang, types="/".join(target.group_types))
    if target.scope == "district":
        return m("whom-district", lang, district=config.district)
    if target.scope == "group":
        return m("whom-group", lang, types=types)
    if target.scope == "school":
        return m(f"whom-{target.school_selection}", lang, types=types)
    return m("whom-researcher", lang)


# --------------------------------------------------------------------------- the records


@dataclass(frozen=True)
class RowStory:
    """One record of the target's activities: counted or not, and why."""

    file: str
    sheet: str | None
    row: int
    date: str
    activity: str
    school: str
    from_school: str
    person: str
    role: str
    count: int
    counted: bool
    reason: str  # why it was left out; for a counted row, the subject and period it counts for
    adds: float  # what it adds to the figure (0 when left out)

    @property
    def where(self) -> str:
        return f"{self.file}{f'[{self.sheet}]' if self.sheet else ''}:{self.row}"  # as check

    @property
    def short_where(self) -> str:
        """The file's name (not its folders), sheet and row: narrow enough for a table."""
        return f"{Path(self.file).name}{f'[{self.sheet}]' if self.sheet else ''}:{self.row}"

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


@dataclass
class Explanation:
    """Which records of a target's activities counted toward (subject, period), and why not."""

    target: Target
    subject: str | None  # display name
    period: str | None  # period id
    period_label: str | None
    results: list[Result] = field(default_factory=list)
    rows: list[RowStory] = field(default_factory=list)
    not_a_subject: bool = False
    rejected_rows: int = 0
    #: rejected rows whose school is the subject's (or one of its group's) misspelt: an
    #: unknown school whose closest known name is it — often why a school fell short
    misnamed: list[RowIssue] = field(default_factory=list)
    other_subjects: int = 0  # records of the target's activities about other subjects, not shown
    input_problems: list[RowIssue] = field(default_factory=list)  # inputs skipped, and why

    @property
    def input_errors(self) -> list[RowIssue]:
        """The inputs that could not be read: as in ``check``, they make the run exit 2."""
        from jituan.model import INPUT_ERROR_CODES

        return [
            i for i in self.input_problems if i.severity == "error" and i.code in INPUT_ERROR_CODES
        ]

    @property
    def counted(self) -> list[RowStory]:
        return [r for r in self.rows if r.counted]

    @property
    def left_out(self) -> list[RowStory]:
        return [r for r in self.rows if not r.counted]


def resolve_subject(target: Target, config: Config, text: str | None, lang: str) -> tuple[str, str]:
    """(subject key as the engine groups by, display name) of a ``--subject`` value."""
    if target.scope == "district":
        return "district", config.district
    if text is None:
        raise ValueError("no subject")
    if target.scope == "group":
        gid = config.find_group(text)
        if gid is None:
            raise UsageError(m("unknown-subject", lang, what=m_what("group", lang), name=text))
        return gid, config.groups[gid].name
    if target.scope == "school":
        name = config.find_school(text)
        if name is None:
            near = difflib.get_close_matches(text, list(config.schools), n=1, cutoff=0.5)
            hint = m("did-you-mean", lang, name=near[0]) if near else ""
            what = m_what("school", lang)
            raise UsageError(m("unknown-subject", lang, what=what, name=text) + hint)
        return name, name
    name = person(text)  # 张　三 is 张三, as in a ledger's 姓名
    return name, name


def m_what(what: str, lang: str) -> str:
    return {"group": ("集团", "group"), "school": ("学校", "school")}[what][lang != "zh"]


def explain_records(
    target: Target,
    config: Config,
    paths: Sequence[Path],
    as_of: dt.date,
    lang: str,
    subject: str | None = None,
    period: str | None = None,
) -> Explanation:
    """Read the ledgers and tell, record by record, what counted toward the target."""
    from jituan.checker import load_ledger
    from jituan.engine import evaluate, row_reasons, subjects_for
    from jituan.periods import evaluated_periods

    kind_periods = evaluated_periods(target.period, config.calendar, as_of)
    labels = {p.id: p.label(lang) for p in kind_periods}
    if period is not None and period not in labels:
        raise UsageError(
            m("unknown-period", lang, period=period, ids=", ".join(labels) or m("none", lang))
        )
    subject_key: str | None = None
    subject_name: str | None = None
    if subject is not None or target.scope == "district":
        subject_key, subject_name = resolve_subject(target, config, subject, lang)

    ledger = load_ledger(paths, config, as_of, lang)
    frame = ledger.frame
    reasons = row_reasons(target, config, frame, as_of)
    subjects = subjects_for(target, config, ledger.records)
    names = {s.key: s.name for s in subjects}
    out = Explanation(
        target,
        subject_name,
        period,
        labels.get(period) if period else None,
        rejected_rows=sum(i.rejected for i in ledger.inputs),
        input_problems=input_problems(ledger.issues),
    )
    if subject_key is not None:
        out.not_a_subject = subject_key not in names
        out.misnamed = _misnamed(target, config, subject_key, ledger.issues)
    results = [
        r
        for r in evaluate(config, ledger.records, as_of, lang, {period} if period else None)
        if r.target == target.id and (subject_name is None or r.subject == subject_name)
    ]
    out.results = results

    groups = {g.id: g.name for g in config.groups.values()}
    files = [(i.file, i.sheet) for i in ledger.inputs]
    persons = target.metric in ("distinct_persons", "share_of_teachers")
    first_seen: dict[tuple[str, str, str], str] = {}
    for index, why_row in reasons.iterrows():
        row = frame.loc[index]
        why = {  # pandas may hold a missing period or subject as NaN
            "filter": why_row["filter"] if isinstance(why_row["filter"], str) else None,
            "period": why_row["period"] if isinstance(why_row["period"], str) else None,
            "late": bool(why_row["late"]),
            "subject": why_row["subject"] if isinstance(why_row["subject"], str) else None,
        }
        if subject_key is not None and not (
            why["subject"] == subject_key
            or (target.scope == "researcher" and row["person"] == subject_key)
        ):
            out.other_subjects += 1  # about another subject: not what was asked
            continue
        file, sheet = files[int(row["_input"])]
        date = str(row["date"])[:10]
        place = f"{file}:{int(row['_row'])}"
        text = _left_out(target, config, row, why, lang, as_of, labels, groups, names)
        if text is None and period is not None and why["period"] != period:
            text = m("r-other-period", lang, period=labels.get(why["period"], why["period"]))
        if text is None and subject_key is not None and why["subject"] != subject_key:
            other = names.get(why["subject"], why["subject"])
            text = m("r-other-subject", lang, subject=other)
        adds = 0.0
        if text is None:
            if persons:
                seen = (why["subject"], why["period"], row["person"])
                if row["person"] == "":
                    text = m("r-no-person-metric", lang)
                elif seen in first_seen:
                    text = m("r-same-person", lang, person=row["person"], first=first_seen[seen])
                else:
                    first_seen[seen] = place
                    adds = 1.0
            else:
                adds = float(row["count"]) if target.metric == "sum" else 1.0
        counted = text is None
        if counted:
            text = _adds(target, adds, row["person"], lang)
            if subject_key is None or period is None:
                where = f"{names.get(why['subject'], why['subject'])} · {labels[why['period']]}"
                text = f"{where} {text}"
        out.rows.append(
            RowStory(
                file=file,
                sheet=sheet,
                row=int(row["_row"]),
                date=date,
                activity=config.activities[row["activity"]].name,
                school=_text(row["school"]),
                from_school=_text(row["from_school"]),
                person=str(row["person"]),
                role=str(row["role"]),
                count=int(row["count"]),
                counted=counted,
                reason=text,
                adds=adds,
            )
        )
    return out


def _misnamed(
    target: Target, config: Config, subject_key: str, issues: Sequence[RowIssue]
) -> list[RowIssue]:
    """The unknown-school rows (in the column the target goes by) whose suggested school
    is the subject, or one of the subject group's schools."""
    if target.scope == "school":
        schools = {subject_key}
    elif target.scope == "group" and subject_key in config.groups:
        schools = {s.name for s in config.schools_of(subject_key)}
    else:
        return []
    return [
        i
        for i in issues
        if i.code == "unknown-school" and i.column == target.by and i.suggestion in schools
    ]


def input_problems(issues: Sequence[RowIssue]) -> list[RowIssue]:
    """The file-level issues among a ledger's issues: inputs skipped, with the reason.

    Info-level ones (a workbook's further sheets without a ledger, such as the template's
    helper sheets) are left out: the workbook itself was read, so nothing is missing.
    """
    return [i for i in issues if i.code in FILE_ISSUE_CODES and i.severity != "info"]


def _adds(target: Target, adds: float, person: str, lang: str) -> str:
    """What a counted record adds to the figure: +1, +3 (lessons), or the person counted."""
    if target.metric in ("distinct_persons", "share_of_teachers"):
        return f"+1 ({person})" if lang == "en" else f"+1（{person}）"
    return f"+{adds:g}"


def _text(value: Any) -> str:
    if value is None:
        return ""
    try:
        import pandas as pd

        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


def _left_out(
    target: Target,
    config: Config,
    row: Any,
    why: Any,
    lang: str,
    as_of: dt.date,
    labels: dict[str, str],
    groups: dict[str, str],
    names: dict[str, str],
) -> str | None:
    """Why a row does not count for any subject or period (None when it counts somewhere)."""
    school, from_school = _text(row["school"]), _text(row["from_school"])
    failed = why["filter"]
    if failed == "role":
        return m("r-role", lang, role=row["role"] or "-", roles=_join(target.roles, lang))
    if failed == "rural":
        return m("r-rural", lang, school=school)
    if failed in ("within_group", "visitors_from_group"):
        if failed == "within_group" and not from_school:
            return m("r-no-from", lang)
        if failed == "visitors_from_group" and from_school == school:
            return m("r-own-school", lang, school=school)
        return m(
            "r-cross-group",
            lang,
            from_school=from_school,
            from_group=groups.get(_text(row["from_group"]), "?"),
            school=school,
            group=groups.get(_text(row["school_group"]), "?"),
        )
    if why["late"]:
        return m("r-late", lang, deadline=target.deadline)
    if why["period"] is None:
        cal = config.calendar
        return m("r-outside", lang, start=cal.start, end=cal.end, as_of=as_of)
    if why["subject"] is None:
        if target.scope == "researcher":
            if not row["person"]:
                return m("r-no-person", lang)
            return m("r-not-assigned", lang, person=row["person"], school=school)
        if target.by == "from_school" and not from_school:
            return m("r-no-by", lang, column="派出学校" if lang == "zh" else "sending school")
        return m("r-no-subject", lang)
    if why["subject"] not in names:
        if target.scope == "researcher":
            # neither listed in groups.yaml nor recorded as 教研员: not a researcher subject
            return m("r-role", lang, role=row["role"] or "-", roles=RESEARCHER_ROLE)
        return m("r-not-subject", lang, subject=why["subject"], whom=_whom(target, config, lang))
    return None
