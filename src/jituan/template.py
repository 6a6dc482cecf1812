"""``jituan template``: a blank ledger (台账) to hand out, as CSV or as an Excel workbook.

Both carry the Chinese headers ``check`` accepts (日期, 活动类型, 学校, 派出学校, 集团, 姓名,
身份, 数量, 备注), in the order of the record columns. The CSV is UTF-8 with a BOM so that
Excel on Chinese Windows opens it correctly.

The workbook is what a school is sent:

* sheet 台账: the header row only (frozen, bold, sensible widths), a date format on the
  date column, and drop-down lists (Excel data validation) on 活动类型, 学校, 派出学校,
  集团 and 身份, a whole number from 1 to 100,000 on 数量. There is never an example row here: one left
  in would be counted.
* sheet 填写说明: each column explained, with an example. It is laid out one column per
  row, so no row of it looks like a ledger header to ``check``.
* hidden sheet 名单: the lists the drop-downs read — the activity names and school names
  of the configuration in use (``--groups``/``--targets``), the group names and roles.

openpyxl is imported only when a workbook is written.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from jituan.config import RESEARCHER_ROLE, Config
from jituan.errors import JituanError
from jituan.values import MAX_COUNT

LEDGER_SHEET = "台账"
HELP_SHEET = "填写说明"
LISTS_SHEET = "名单"
#: The template's sheets that are not ledgers (the instruction sheet and the hidden lists).
NON_LEDGER_SHEETS = (HELP_SHEET, LISTS_SHEET)
#: Rows of the ledger sheet that get the drop-downs and formats (Excel extends them when
#: rows are inserted inside the range).
TEMPLATE_ROWS = 2000
ROLES = (RESEARCHER_ROLE, "名师", "学科带头人", "骨干教师", "校长", "教师")
WIDTHS = {
    "date": 12,
    "activity": 22,
    "school": 32,
    "from_school": 32,
    "group": 30,
    "person": 10,
    "role": 12,
    "count": 8,
    "note": 30,
}


@dataclass(frozen=True)
class Column:
    id: str
    header: str  # the Chinese header written in the template
    required: bool


def columns() -> list[Column]:
    """The record columns with the Chinese header the template writes."""
    from jituan.records import COLUMNS

    return [Column(col, headers[1], required) for col, (headers, required) in COLUMNS.items()]


def csv_bytes() -> bytes:
    """The CSV template: UTF-8 with a BOM, the header row only, CRLF line ends."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerow([c.header for c in columns()])
    return buf.getvalue().encode("utf-8-sig")


def _help_rows(config: Config) -> list[tuple[str, str, str, str]]:
    """(column header, required, what to write, example) for the instruction sheet."""
    groups = list(config.groups.values())
    first = groups[0]
    member = next((s for s in config.schools_of(first.id) if not s.lead), None)
    lead = next((s for s in config.schools_of(first.id) if s.lead), None)
    school = (member or lead).name if (member or lead) else ""
    sender = lead.name if lead and member else ""
    activity = next(iter(config.activities.values())).name
    text = {
        "date": ("活动日期，如 2024-10-12（也可写 2024/10/12、2024年10月12日）", "2024-10-12"),
        "activity": (
            f"活动类型：从下拉列表选择（共 {len(config.activities)} 种；名称在隐藏的“名单”页，"
            "右键工作表标签选“取消隐藏”可查看）",
            activity,
        ),
        "school": ("活动所在学校、接收活动的学校：从下拉列表选择完整校名", school),
        "from_school": (
            "派出教师的学校（送教、听评课、轮岗交流等由外校教师参加时填写）",
            sender,
        ),
        "group": ("所属教育集团；填写时须与学校所属集团一致，可不填", first.name),
        "person": ("参加人员姓名；按人数统计的目标（如轮岗交流比例）必须填写", "王某"),
        "role": (
            "人员身份：" + "、".join(ROLES) + " 等；部分目标只计某些身份（如名师送教）",
            "骨干教师",
        ),
        "count": (f"数量：1 至 {MAX_COUNT} 的整数，如听课节数；不填按 1 计", "2"),
        "note": ("备注：任意说明，不参与统计", "送教下乡"),
    }
    return [
        (c.header, "必填" if c.required else "选填", *text[c.id]) for c in columns() if c.id in text
    ]


def workbook_bytes(config: Config, today: dt.date | None = None) -> bytes:
    """The .xlsx template for a configuration."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    cols = columns()
    letter = {c.id: get_column_letter(i + 1) for i, c in enumerate(cols)}
    last = TEMPLATE_ROWS + 1

    book = Workbook()
    ledger = book.active
    ledger.title = LEDGER_SHEET
    ledger.append([c.header for c in cols])
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for i, c in enumerate(cols, start=1):
        cell = ledger.cell(row=1, column=i)
        cell.font = Font(bold=True, color="C00000") if c.required else bold
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center")
        ledger.column_dimensions[letter[c.id]].width = WIDTHS.get(c.id, 14)
    ledger.freeze_panes = "A2"
    # the column style applies to every cell typed into the column, without creating cells
    ledger.column_dimensions[letter["date"]].number_format = "yyyy-mm-dd"
    ledger.column_dimensions[letter["count"]].number_format = "0"

    # hidden lists for the drop-downs
    lists = book.create_sheet(LISTS_SHEET)
    values = {
        "A": [a.name for a in config.activities.values()],
        "B": list(config.schools),
        "C": [g.name for g in config.groups.values()],
        "D": list(dict.fromkeys([*ROLES, *(r for tg in config.targets for r in tg.roles)])),
    }
    for col, items in values.items():
        for row, item in enumerate(items, start=1):
            lists[f"{col}{row}"] = item
        lists.column_dimensions[col].width = 32
    lists.sheet_state = "hidden"

    def source(col: str) -> str:
        return f"'{LISTS_SHEET}'!${col}$1:${col}${max(1, len(values[col]))}"

    def add(dv: DataValidation, *col_ids: str) -> None:
        for c in col_ids:
            dv.add(f"{letter[c]}2:{letter[c]}{last}")
        ledger.add_data_validation(dv)

    def listed(col: str, title: str, strict: bool) -> DataValidation:
        return DataValidation(
            type="list",
            formula1=source(col),
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="stop" if strict else "information",
            errorTitle=title,
            error="请从下拉列表中选择" if strict else "不在常用列表中，请确认",
            promptTitle=title,
            prompt="从下拉列表选择",
            showInputMessage=True,
        )

    add(listed("A", "活动类型", True), "activity")
    add(listed("B", "学校", True), "school", "from_school")
    add(listed("C", "集团", True), "group")
    add(listed("D", "身份", False), "role")
    add(
        DataValidation(
            type="whole",
            operator="between",
            formula1="1",
            formula2=str(MAX_COUNT),
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="数量",
            error=f"数量应为 1 至 {MAX_COUNT} 的整数",
        ),
        "count",
    )
    add(
        DataValidation(
            type="date",
            operator="between",
            formula1="DATE(2000,1,1)",
            formula2="DATE(2099,12,31)",
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle="日期",
            error="请填写日期，如 2024-10-12",
        ),
        "date",
    )

    # the instruction sheet: one row per column, never a ledger header
    guide = book.create_sheet(HELP_SHEET, 1)
    guide.append(["填写说明（每行一条活动记录；请勿修改“台账”页第一行的表头）"])
    guide["A1"].font = Font(bold=True, size=12)
    guide.append(
        [
            f"本模板按 {config.district} 的集团与活动配置生成"
            f"（{(today or dt.date.today()).isoformat()}）；示例只在本页，不会被统计。"
        ]
    )
    guide.append([])
    guide.append(["列", "必填/选填", "填写说明", "示例"])
    for cell in guide[4]:
        cell.font = bold
        cell.fill = fill
    for row in _help_rows(config):
        guide.append(list(row))
    for col, width in zip("ABCD", (12, 10, 70, 30), strict=True):
        guide.column_dimensions[col].width = width
    for row in guide.iter_rows(min_row=5):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    book.active = 0

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_template(fmt: str, output: Path | None, config: Config | None) -> Path | None:
    """Write the template; returns the path written, or None when the CSV went to stdout."""
    import sys

    data = csv_bytes() if fmt == "csv" else workbook_bytes(config)  # type: ignore[arg-type]
    if output is None:
        sys.stdout.flush()
        if hasattr(sys.stdout, "buffer"):
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(data.decode("utf-8-sig"))
        return None
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(data)
    except OSError as err:
        raise JituanError(f"{output}: cannot write: {err.strerror or err}") from err
    return output
