"""Labels and messages in Chinese and English.

Only the tool's own words are translated; names from the data (schools, groups,
persons, target titles) are shown as written.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping

from jituan.columns import COLUMNS

LANGS = ("zh", "en")

MESSAGES: dict[str, tuple[str, str]] = {
    # row issues
    "missing-value": ("必填列“{column}”为空", "required column '{column}' is empty"),
    "missing-value-counts-nothing": (
        "“{column}”为空：本行的活动没有哪个目标能在缺少它时计入此行",
        "'{column}' is empty: no target of this activity can count the row without it",
    ),
    "bad-date": ("无法识别的日期：{value}", "not a date: {value}"),
    "future-date": (
        "日期 {value} 晚于核查日期 {as_of}",
        "date {value} is after the as-of date {as_of}",
    ),
    "unknown-activity": ("未知的活动类型：{value}", "unknown activity: {value}"),
    "unknown-school": ("未知的学校：{value}", "unknown school: {value}"),
    "group-mismatch": (
        "{school} 不属于 {value}（应为 {expected}）",
        "{school} is not a member of {value} (it belongs to {expected})",
    ),
    "bad-count": (
        "数量应为 1 至 100000 的整数：{value}",
        "count must be a whole number from 1 to 100000: {value}",
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
    "too-many-lessons": (
        "{person} 当天听评课 {total} 节，超过上限 {limit} 节（仍计入）",
        "{person} observed {total} lessons on one day, above the limit of {limit} (still counted)",
    ),
    "two-groups-same-day": (
        "{person} 同一天出现在两个集团的学校：{groups}（仍计入）",
        "{person} is recorded at schools of two groups on one day: {groups} (still counted)",
    ),
    "outside-programme": (
        "日期在实施期（{start} 至 {end}）之外：不计入任何周期",
        "dated outside the programme ({start} to {end}): counts toward no period",
    ),
    "unlisted-researcher": (
        "{person} 不是 groups.yaml 列出的教研员（是否应为 {name}？）：按另一位教研员单独评价",
        "{person} is not a researcher listed in groups.yaml (did you mean {name}?): "
        "evaluated as a researcher of their own",
    ),
    "after-deadline": (
        "日期晚于此类活动的截止日期 {deadline}：不计入任何目标",
        "dated after this activity's deadline ({deadline}): counts toward no target",
    ),
    "holiday": ("{day} 是法定节假日（{holiday}）", "{day} is a public holiday ({holiday})"),
    "suggest": ("是否应为：{suggestion}？", "did you mean {suggestion}?"),
    # file-level issues and input messages (readers, sources)
    "file-jituan-report": (
        "这是 jituan 写出的核查报告（report.csv），不是台账，未读取",
        "a report.csv that jituan wrote, not a ledger: not read",
    ),
    "file-no-header": (
        "前 20 行中没有可识别的表头（表头至少需含日期、活动类型、学校中的两列）；首行：{first}",
        "no ledger header in the first 20 rows (a header names at least two of "
        "date/日期, activity/活动类型, school/学校); first row: {first}",
    ),
    "output-is-input": (
        "{output} 是本次读取的输入文件：不会覆盖输入文件，请换一个输出位置",
        "{output} is an input this run reads: inputs are never written to; "
        "write the report somewhere else",
    ),
    "file-empty": ("文件为空", "the file is empty"),
    "file-yaml-ledger": (
        "YAML 文件不是台账（配置文件请用 --groups / --targets 指定）",
        "a YAML file is not a ledger (configuration is given with --groups / --targets)",
    ),
    "file-no-ledger-sheet": (
        "工作簿中没有含可识别表头的工作表",
        "no worksheet of this workbook has a recognisable ledger header",
    ),
    "file-missing-column": (
        "缺少必填列 {missing}；找到的列：{found}",
        "missing required column(s) {missing}; columns found: {found}",
    ),
    "skipped-rows": (
        "第 {first}–{last} 行（{n} 行记录）在第 {header} 行的表头之上，属于上面另一段台账，未读取："
        "请把每段台账放在各自的工作表或文件中，或删去中间重复的表头",
        "rows {first}–{last} ({n} record(s)) lie above the header on row {header}, in another "
        "block of records above it: not read; put each block in a sheet or file of its own, "
        "or remove the repeated header between them",
    ),
    "file-mixed-encoding": (
        "第 {line} 行起不是 UTF-8，而前面是 UTF-8：多半是用另一种编码（如记事本的 ANSI/GBK）追加的行；"
        "请把整个文件另存为同一编码（UTF-8 CSV 或 Excel 工作簿）",
        "not UTF-8 from line {line}, though the text before it is: rows appended in another "
        "encoding (Notepad's ANSI/GBK, say); save the whole file in one encoding (UTF-8 CSV, "
        "or an Excel workbook)",
    ),
    "file-undecodable": (
        "无法按 UTF-8、GB18030/GBK 或 UTF-16 解码，请另存为 UTF-8 CSV 或 Excel 工作簿",
        "cannot be decoded as UTF-8, GB18030/GBK or UTF-16 text; save it as UTF-8 CSV or as an Excel workbook",
    ),
    "file-binary": (
        "既不是文本表格，也不是 Excel 工作簿",
        "neither a text table nor an Excel workbook",
    ),
    "duplicate-column": (
        "表头“{value}”与左边的“{first}”是同一列，只读取“{first}”；请删去或改名其中之一",
        "header '{value}' names the same column as '{first}' to its left: only '{first}' is "
        "read; remove or rename one of them",
    ),
    "file-bad-csv": ("无法解析为 CSV 表格：{detail}", "not a readable CSV table: {detail}"),
    "file-unclosed-quote": (
        '第 {line} 行的引号（"）没有闭合，其后各行被读成了同一个单元格；请补上引号后重新提交',
        'the quote (") opened on line {line} is never closed, so every line after it would be '
        "one cell; close the quote and submit again",
    ),
    "file-too-large": (
        "解压后超过 {limit} MB，拒绝读取（疑似压缩炸弹）",
        "expands to more than {limit} MB; refused (a zip bomb?)",
    ),
    "file-too-many-parts": (
        "压缩包内有 {count} 个部件，超过 {limit} 个，拒绝读取（不是正常的 Excel 工作簿）",
        "holds {count} zip entries, more than {limit}; refused (no Excel workbook has so many)",
    ),
    "file-too-many-cells": (
        "工作表范围超过 {limit} 个单元格，拒绝读取",
        "a worksheet spans more than {limit} cells; refused",
    ),
    "file-bad-workbook": (
        "Excel 工作簿已损坏或无法识别：{detail}",
        "a damaged or unsupported Excel workbook: {detail}",
    ),
    "file-os-error": ("无法读取：{detail}", "cannot read: {detail}"),
    "file-not-regular": (
        "不是普通文件（管道、设备等），未读取",
        "not a regular file (a pipe, a device): not read",
    ),
    "file-vanished": ("读取前文件已不存在", "the file disappeared before it could be read"),
    "file-same-file": (
        "与 {other} 是同一个文件，已在那里读取，不再重复读取",
        "the same file as {other}: read there, not again",
    ),
    "file-symlink": (
        "符号链接，未跟随（只读取文件夹内的文件）",
        "a symbolic link; not followed (only files inside the folder are read)",
    ),
    "folder-no-ledger-read": (
        "文件夹中没有一份可读的台账（见其中各文件的问题）",
        "no ledger in this folder could be read (see its files' issues)",
    ),
    "folder-no-ledger": (
        "文件夹中没有台账（.csv、.tsv、.txt、.xlsx、.xls）",
        "no ledger (.csv, .tsv, .txt, .xlsx, .xls) in this folder",
    ),
    "no-such-path": ("文件或文件夹不存在", "no such file or folder"),
    "reading-files": ("读取台账", "reading ledgers"),
    # values YAML reads but Python cannot hold, in any configuration or exemptions file
    "yaml-not-found": ("文件不存在", "file not found"),
    "yaml-unreadable": ("无法读取：{detail}", "cannot be read: {detail}"),
    "yaml-not-text": (
        "不是文本文件（UTF-8、UTF-16 或 GB18030）；请另存为 UTF-8 编码",
        "not a text file (UTF-8, UTF-16 or GB18030): save it as UTF-8",
    ),
    "yaml-date-no-day": (
        "“{value}”不是有效的日期：{year} 年 {month} 月只有 {days} 天",
        "'{value}' is not a valid date: month {month} of {year} has {days} days",
    ),
    "yaml-date-no-month": (
        "“{value}”不是有效的日期：没有 {month} 月",
        "'{value}' is not a valid date: there is no month {month}",
    ),
    "yaml-date-no-year": (
        "“{value}”不是有效的日期：年份应在 0001 至 9999 之间",
        "'{value}' is not a valid date: years run from 0001 to 9999",
    ),
    "yaml-bad-time": (
        "“{value}”不是有效的日期时间：{detail}",
        "'{value}' is not a valid date and time: {detail}",
    ),
    "yaml-int-too-long": (
        "“{value}”位数过多，不能作为数字",
        "'{value}' has too many digits to be a number",
    ),
    "yaml-fullwidth-colon": (
        "键后用了全角冒号“：”：应写半角冒号加空格“: ”（中文输入法下请切换到英文标点）",
        "a full-width colon (：) after a key: write ': ', an ASCII colon and a space",
    ),
    "yaml-tab": (
        "缩进里有制表符（Tab）：YAML 只能用空格缩进",
        "a tab in the indentation: YAML indents with spaces only",
    ),
    "yaml-duplicate-key": (
        "键“{name}”在同一个映射中出现了两次",
        "key {name!r} appears twice in one mapping",
    ),
    "yaml-bad-typed": (
        "“{value}”不是有效的 {kind} 值（去掉 !!{kind} 标记，或改写这个值）",
        "'{value}' is not a valid {kind} (drop the !!{kind} tag, or write the value again)",
    ),
    "yaml-bad-value": (
        "无法读取的值“{value}”：{detail}",
        "cannot read the value '{value}': {detail}",
    ),
    # reasons for unknown results
    "no-subjects": ("没有可评价的对象：{what}", "no subject to evaluate: {what}"),
    "no-researchers": (
        "配置中未列出教研员，台账中也没有身份为教研员的记录",
        "no researcher is listed in the configuration or recorded with the role 教研员",
    ),
    "no-researchers-in-group": (
        "{group}未列出教研员，台账中该集团学校也没有身份为教研员的记录",
        "no researcher is listed for {group} or recorded with the role 教研员 at its schools",
    ),
    "no-periods": ("核查日期 {as_of} 前没有已开始的期间", "no period has started by {as_of}"),
    "no-teachers": (
        "未配置专任教师数（teachers）",
        "no full-time teacher headcount (teachers) configured",
    ),
    # option values that name nothing
    "unknown-group-option": (
        "--group：没有名为 {name!r} 的集团；可用的集团：{known}",
        "--group: unknown group {name!r}; known groups: {known}",
    ),
    "unknown-period-option": (
        "--period：没有要评价的期间 {ids}；按核查日期可选：{known}",
        "--period: no evaluated period is called {ids}; as of this day the periods are: {known}",
    ),
    # statuses
    "pass": ("达标", "pass"),
    "fail": ("未达标", "fail"),
    "at_risk": ("有风险", "at risk"),
    "on_track": ("进行中", "on track"),
    "unknown": ("无法判定", "unknown"),
    "exempt": ("豁免", "exempt"),
    # narrow column headers for the terminal summaries
    "short-pass": ("达标", "pass"),
    "short-fail": ("未达", "fail"),
    "short-at_risk": ("风险", "risk"),
    "short-on_track": ("进行", "track"),
    "short-unknown": ("未知", "unkn"),
    "short-exempt": ("豁免", "exmp"),
    "exempt-note": ("{n} 项豁免：{reasons}", "{n} result(s) exempt: {reasons}"),
    "exempt-list": ("豁免（不计达标与否）", "Exempt (neither pass nor fail)"),
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
    "summary-by-target-period": ("按目标与期间汇总", "Summary by target and period"),
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
        "结论：未通过 — {fail} 项未达标，{at_risk} 项有风险，{errors} 处行错误",
        "verdict: FAIL — {fail} failing, {at_risk} at risk, {errors} row error(s)",
    ),
    "verdict-pass": (
        "结论：通过 — {passed} 项达标，{on_track} 项进行中，{at_risk} 项有风险",
        "verdict: PASS — {passed} passing, {on_track} on track, {at_risk} at risk",
    ),
    "verdict-strict-warnings": ("，{n} 处行警告（--strict）", ", {n} row warning(s) (--strict)"),
    "verdict-unread": (
        "；{n} 个输入未能读取，结果不含其内容",
        "; {n} input(s) could not be read and are left out of the results",
    ),
    "verdict-fail-warning-level": (
        "；未达标中有 {n} 项为警告级目标（不影响结论）",
        "; {n} of the failing are warning-level (not failing the run)",
    ),
    "verdict-warning-fails": (
        "；另有 {n} 项警告级目标未达标（不影响结论）",
        "; {n} warning-level target(s) failing (not failing the run)",
    ),
    "no-results": ("没有评价结果", "no results"),
    "error-prefix": ("错误", "error"),
    "interrupted": ("已中断", "interrupted"),
    "bad-as-of": (
        "--as-of 应为 YYYY-MM-DD 格式的日期，现为“{value}”",
        "expected a date as YYYY-MM-DD, got {value!r}",
    ),
    # where a problem is in a file, beside its key: "第 2 行" / "line 2"
    "at-line": ("第 {line} 行", "line {line}"),
    # the ledger suite of the JUnit report: one property per input
    "junit-rows": (
        "{rows} 行：计入 {accepted}，未计入 {rejected}，空行 {blank}",
        "{rows} rows, {accepted} accepted, {rejected} rejected, {blank} blank",
    ),
    # reports (markdown, html, junit, github) and the audit
    "summary": ("概况", "Summary"),
    "count": ("数量", "count"),
    "required": ("要求", "required"),
    "actual": ("实际", "actual"),
    "severity": ("级别", "severity"),
    "reason": ("原因", "reason"),
    "failing": ("未达标", "Failing"),
    "at-risk-list": ("有风险（进行中且落后于进度）", "At risk (running and behind the pace)"),
    "none": ("无", "none"),
    "rows-line": (
        "台账 {rows} 行：计入 {accepted}，未计入 {rejected}，空行 {blank}",
        "{rows} ledger rows: {accepted} accepted, {rejected} rejected, {blank} blank",
    ),
    "row-errors": ("行错误", "row errors"),
    "inputs-unread": ("未能读取的输入", "inputs not read"),
    "row-warnings": ("行警告", "row warnings"),
    "ledger-rows": ("台账行", "ledger rows"),
    "since-last-audit": ("自上次核查（{as_of}）以来", "Since the last audit ({as_of})"),
    "became-failing": ("新增未达标", "Became failing"),
    "became-passing": ("转为达标", "Became passing"),
    "new-issues": ("新增台账问题", "New row issues"),
    "resolved-issues": ("已消除的台账问题：{n} 条", "Row issues resolved: {n}"),
    "before": ("上次", "before"),
    "now": ("本次", "now"),
    "new-result": ("（新）", "(new)"),
    "changes-line": (
        "自上次核查（{as_of}）以来：{failing} 项新增未达标，{passing} 项转为达标，"
        "{issues} 条新增台账问题",
        "since the last audit ({as_of}): {failing} became failing, {passing} became passing, "
        "{issues} new row issue(s)",
    ),
    "by-group": ("分集团情况", "By group"),
    "district-wide": ("全区及未分配集团的对象", "District-wide and unassigned subjects"),
    "chart-title": (
        "各目标完成情况（条长为达到要求的比例，虚线为要求）",
        "Progress against each requirement (bar: share of the requirement reached; dashed line: the requirement)",
    ),
    "met-of": ("{n} 个对象中 {met} 个达标", "{met}/{n} met"),
    "met-of-short": ("{met}/{n} 达标", "{met}/{n} met"),
    "grid-title": (
        "学校 × 目标（每格按期间显示 实际/要求）",
        "Schools × targets (each cell: actual/required per period)",
    ),
    "legend": ("图例", "Legend"),
    "generated-by": ("由 jituan {version} 生成", "Generated by jituan {version}"),
    "more-issues": (
        "……另有 {n} 条，完整列表见 JSON 报告（--format json；audit 写出的 report.json）",
        "… {n} more: all are in the JSON report (--format json; report.json of an audit)",
    ),
    "ledger": ("台账", "ledger"),
    "audit-wrote": ("已写入 {path}", "wrote {path}"),
    # --previous of `jituan audit`, and --quality without --final
    "previous-unreadable": (
        "--previous {path}：无法读取：{detail}",
        "--previous {path}: cannot read: {detail}",
    ),
    "previous-not-json": (
        "--previous {path}：不是 JSON 报告（{detail}）",
        "--previous {path}: not a JSON report ({detail})",
    ),
    "previous-not-report": (
        "--previous {path}：不是 jituan 的 report.json：{problem}（应为 `jituan audit` 或 "
        "`jituan check --format json` 写出的对象）",
        "--previous {path}: not a jituan report.json: {problem} (expected the object "
        "written by `jituan audit` or `jituan check --format json`)",
    ),
    "previous-top": ("报告顶层", "the report"),
    "previous-bad-shape": (
        "--previous {path}：报告已损坏，无法与本次核查比较：{problem}",
        "--previous {path}: a damaged report, cannot be compared with: {problem}",
    ),
    "previous-missing-key": ("{where} 缺少键 {key}", "{where} has no key {key}"),
    "previous-bad-value": (
        "{where} 应为 {expected}，实际为 {got}",
        "{where} should be {expected}, not {got}",
    ),
    "out-not-folder": (
        "--out {out}：已存在，且不是文件夹",
        "--out {out}: exists and is not a folder",
    ),
    "out-other-month": (
        "{out}：存放的是 {month} 的核查，本次是 {wanted}；请换一个文件夹（如 reports/{wanted}），"
        "或用 --force 覆盖",
        "{out}: holds the audit of {month}; this one is {wanted}. Use another folder "
        "(e.g. reports/{wanted}), or --force to replace it",
    ),
    "out-unknown-month": (
        "{out}：有 {files}，但没有可读的 report.json 说明是哪个月的核查；请换一个文件夹，"
        "或用 --force 覆盖",
        "{out}: holds {files} but no readable report.json to tell which month they are; "
        "use another folder, or --force to replace them",
    ),
    "out-cannot-create": (
        "--out {out}：无法创建：{detail}",
        "--out {out}: cannot create: {detail}",
    ),
    "out-cannot-write": (
        "{folder}：无法写入报告：{detail}",
        "{folder}: cannot write the reports: {detail}",
    ),
    "previous-after": (
        "--previous {path}：它的核查日期 {previous} 晚于本次 --as-of {as_of}；请给出更早一次的 "
        "report.json",
        "--previous {path}: its date {previous} is after this audit's --as-of {as_of}; give "
        "an earlier report.json",
    ),
    "quality-needs-final": (
        "--quality 只用于 --final（总结验收报告）；月度核查不读取质量评价，"
        "请加上 --final 或去掉 --quality",
        "--quality is only used with --final (the acceptance report); a monthly audit does "
        "not read it: add --final or leave --quality out",
    ),
    "previous-not-final": (
        "--previous 只用于月度核查；总结验收报告（--final）不与上次核查比较，请去掉 --previous",
        "--previous is only used by the monthly audit; the acceptance report (--final) is "
        "compared with no earlier audit: drop --previous",
    ),
}


def detect_lang(env: Mapping[str, str] | None = None) -> str:
    """Chinese when the locale is Chinese (LC_ALL, LC_MESSAGES or LANG starting with zh)."""
    env = os.environ if env is None else env
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


Messages = dict[str, tuple[str, str]]


def translator(table: Messages) -> Callable[..., str]:
    """A ``(message_id, lang, **values) -> str`` function over one table of messages.

    Each feature keeps its own table beside its code (validate, explain, scores …); this
    is the one way any of them is looked up and filled in.
    """

    def translate(message_id: str, lang: str, **values: object) -> str:
        zh, en = table[message_id]
        return (zh if lang == "zh" else en).format(**values)

    return translate


#: The core messages: row issues, statuses and the labels of the terminal report.
t = translator(MESSAGES)


def column_label(column: str, lang: str) -> str:
    """A record column as messages name it: its id in English, its Chinese header in
    Chinese (日期 for ``date``); the ``column`` field of an issue stays the id."""
    if lang != "zh" or column not in COLUMNS:
        return column
    return COLUMNS[column][0][1]
