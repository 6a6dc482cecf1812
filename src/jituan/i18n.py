"""Labels and messages in Chinese and English.

Only the tool's own words are translated; names from the data (schools, groups,
persons, target titles) are shown as written.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

LANGS = ("zh", "en")

MESSAGES: dict[str, tuple[str, str]] = {
    # row issues
    "missing-value": ("必填列“{column}”为空", "required column '{column}' is empty"),
    "bad-date": ("无法识别的日期：{value}", "not a date: {value}"),
    "future-date": (
        "日期 {value} 晚于核查日期 {as_of}",
        "date {value} is after the as-of date {as_of}",
    ),
    "unknown-activity": ("未知的活动类型：{value}", "unknown activity: {value}"),
    "unknown-school": ("未知的学校：{value}", "unknown school: {value}"),
    "unknown-group": ("未知的集团：{value}", "unknown group: {value}"),
    "group-mismatch": (
        "{school} 不属于 {value}（应为 {expected}）",
        "{school} is not a member of {value} (it belongs to {expected})",
    ),
    "bad-count": (
        "数量应为不小于1的整数：{value}",
        "count must be a whole number of at least 1: {value}",
    ),
    "duplicate": ("与 {first} 重复，只计一次", "repeats {first}; counted once"),
    "bad-rotation": (
        "派出学校与接收学校相同：{value}",
        "teacher rotated from a school to itself: {value}",
    ),
    "cross-group-rotation": (
        "跨集团交流（{from_group} → {to_group}），不计入集团内交流",
        "rotation across groups ({from_group} → {to_group}) does not count as within the group",
    ),
    "suggest": ("是否应为：{suggestion}？", "did you mean {suggestion}?"),
    # reasons for unknown results
    "no-subjects": ("没有可评价的对象：{what}", "no subject to evaluate: {what}"),
    "no-researchers": (
        "配置中未列出教研员，台账中也没有身份为教研员的记录",
        "no researcher is listed in the configuration or recorded with the role 教研员",
    ),
    "no-periods": ("核查日期 {as_of} 前没有已开始的期间", "no period has started by {as_of}"),
    "no-teachers": (
        "未配置专任教师数（teachers）",
        "no full-time teacher headcount (teachers) configured",
    ),
    # statuses
    "pass": ("达标", "pass"),
    "fail": ("未达标", "fail"),
    "at_risk": ("有风险", "at risk"),
    "on_track": ("进行中", "on track"),
    "unknown": ("无法判定", "unknown"),
    "exempt": ("豁免", "exempt"),
    # scopes and kinds
    "district": ("全区", "district"),
    "group": ("集团", "group"),
    "school": ("学校", "school"),
    "researcher": ("教研员", "researcher"),
    "semester": ("每学期", "per semester"),
    "school_year": ("每学年", "per school year"),
    "year": ("每年", "per year"),
    "program": ("实施期内", "once in the programme"),
    "error": ("错误", "error"),
    "warning": ("警告", "warning"),
    "info": ("提示", "info"),
    # table labels
    "title": (
        "{district}集团化办学台账核查（核查日期 {as_of}）",
        "{district} group-schooling check (as of {as_of})",
    ),
    "inputs-line": (
        "读取 {files} 个表，共 {rows} 行：计入 {accepted}，未计入 {rejected}，空行 {blank}",
        "read {files} table(s), {rows} rows: {accepted} accepted, {rejected} rejected, {blank} blank",
    ),
    "summary-by-target": ("按目标汇总", "Summary by target"),
    "summary-by-group": ("按集团汇总", "Summary by group"),
    "problems": ("未达标与有风险", "Failing and at risk"),
    "row-issues": ("台账问题", "Ledger row issues"),
    "target": ("目标", "target"),
    "clause": ("条款", "clause"),
    "period": ("期间", "period"),
    "subject": ("对象", "subject"),
    "progress": ("完成情况", "progress"),
    "status": ("状态", "status"),
    "where": ("位置", "where"),
    "code": ("问题", "code"),
    "message": ("说明", "message"),
    "cadence": ("周期", "cadence"),
    "more-rows": (
        "……另有 {n} 条，完整列表见 --format json",
        "… {n} more, see --format json for all",
    ),
    "unknown-note": ("{n} 项无法判定：{reasons}", "{n} result(s) unknown: {reasons}"),
    "verdict-fail": (
        "结论：未通过 — {fail} 项未达标，{at_risk} 项有风险，{errors} 个错误行",
        "verdict: FAIL — {fail} failing, {at_risk} at risk, {errors} row error(s)",
    ),
    "verdict-pass": (
        "结论：通过 — {passed} 项达标，{on_track} 项进行中，{at_risk} 项有风险",
        "verdict: PASS — {passed} passing, {on_track} on track, {at_risk} at risk",
    ),
    "no-results": ("没有评价结果", "no results"),
    "error-prefix": ("错误", "error"),
}


def detect_lang(env: Mapping[str, str] | None = None) -> str:
    """Chinese when the locale is Chinese (LC_ALL, LC_MESSAGES or LANG starting with zh)."""
    env = os.environ if env is None else env
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def t(message_id: str, lang: str, **values: object) -> str:
    """The message in ``lang`` with its placeholders filled in."""
    zh, en = MESSAGES[message_id]
    return (zh if lang == "zh" else en).format(**values)
