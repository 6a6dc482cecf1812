"""`jituan template`: the CSV and the Excel ledger a school is sent, filled in and checked."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from jituan.template import HELP_SHEET, LEDGER_SHEET, LISTS_SHEET

HEADERS = ["日期", "活动类型", "学校", "派出学校", "集团", "姓名", "身份", "数量", "备注"]


def test_csv_template_is_utf8_with_bom_and_the_chinese_headers(cli, tmp_path: Path) -> None:
    out = tmp_path / "t.csv"
    code, _, err = cli("template", "--format", "csv", "--output", out)
    assert code == 0 and str(out) in err
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data[3:].decode("utf-8") == ",".join(HEADERS) + "\r\n"
    # the format follows the suffix when --format is not given
    code, _, _ = cli("template", "--output", tmp_path / "u.csv")
    assert code == 0 and (tmp_path / "u.csv").read_bytes() == data


def test_template_options_that_make_no_sense_are_exit_2(cli, tmp_path: Path) -> None:
    code, _, err = cli("template", "--format", "xlsx", "--output", "-")
    assert code == 2 and "standard output" in err
    code, _, err = cli("template", "--format", "csv", "--output", tmp_path / "t.xlsx")
    assert code == 2 and "does not end in .csv" in err


def _workbook(cli, tmp_path: Path, *args: object):
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "ledger.xlsx"
    code, _, err = cli("template", "--output", path, *args)
    assert code == 0, err
    return path, openpyxl.load_workbook(path)


def test_xlsx_template_layout(cli, tmp_path: Path, mini_config) -> None:
    g, t = mini_config
    _, book = _workbook(cli, tmp_path, "--groups", g, "--targets", t)
    assert book.sheetnames == [LEDGER_SHEET, HELP_SHEET, LISTS_SHEET]
    ledger, guide, lists = book[LEDGER_SHEET], book[HELP_SHEET], book[LISTS_SHEET]
    assert book.active.title == LEDGER_SHEET
    assert [c.value for c in ledger[1]] == HEADERS
    assert ledger.max_row == 1  # never an example row that would be counted if left in
    assert ledger.freeze_panes == "A2"
    assert ledger.column_dimensions["A"].number_format == "yyyy-mm-dd"
    assert ledger.column_dimensions["C"].width >= 20
    assert lists.sheet_state == "hidden" and guide.sheet_state == "visible"
    # the lists are the configuration's: --groups/--targets honoured
    assert [c.value for c in lists["A"] if c.value] == [
        "校长论坛",
        "听评课",
        "教师轮岗交流",
        "协议签订",
    ]
    assert [c.value for c in lists["B"] if c.value] == [
        "东街小学",
        "东村中心学校",
        "东新小学",
        "西街小学",
        "西村中心学校",
    ]
    assert [c.value for c in lists["C"] if c.value] == ["东区教育集团", "西区教育集团"]
    rules = {str(dv.sqref): (dv.type, dv.formula1) for dv in ledger.data_validations.dataValidation}
    assert rules["B2:B2001"] == ("list", f"'{LISTS_SHEET}'!$A$1:$A$4")
    assert rules["C2:C2001 D2:D2001"] == ("list", f"'{LISTS_SHEET}'!$B$1:$B$5")
    assert rules["E2:E2001"] == ("list", f"'{LISTS_SHEET}'!$C$1:$C$2")
    assert rules["H2:H2001"][0] == "whole" and rules["A2:A2001"][0] == "date"
    [count] = [dv for dv in ledger.data_validations.dataValidation if dv.type == "whole"]
    assert (count.operator, count.formula1, count.formula2) == ("between", "1", "100000")
    # the instruction sheet explains every column, with an example
    explained = {row[0]: row for row in guide.iter_rows(min_row=5, values_only=True)}
    assert list(explained) == HEADERS
    assert all(row[2] and row[3] for h, row in explained.items() if h != "派出学校")
    assert explained["日期"][1] == "必填" and explained["备注"][1] == "选填"


def test_filled_xlsx_template_passes_check_and_its_rows_count(
    cli, tmp_path: Path, mini_config
) -> None:
    g, t = mini_config
    path, book = _workbook(cli, tmp_path, "--groups", g, "--targets", t)
    ledger = book[LEDGER_SHEET]
    # what a school types: real dates, names from the drop-downs, a number
    ledger.append(
        [
            dt.date(2024, 10, 12),
            "校长论坛",
            "东街小学",
            None,
            "东区教育集团",
            "李校长",
            "校长",
            None,
            None,
        ]
    )
    ledger.append(
        [dt.date(2024, 11, 5), "听评课", "东新小学", "东街小学", None, "张老师", "名师", 2, "送教"]
    )
    ledger.append([dt.date(2025, 3, 3), "校长论坛", "西街小学", None, None, None, None, None, None])
    book.save(path)
    code, data = cli.json("check", path, "--groups", g, "--targets", t, "--as-of", "2025-08-31")
    # the reading stage: no issue at all; the template's instruction and hidden list
    # sheets are recognised as not being ledgers and pass without a note
    assert data["issues"] == []
    assert data["inputs"] == [
        {
            "file": str(path),
            "sheet": LEDGER_SHEET,
            "rows": 3,
            "accepted": 3,
            "rejected": 0,
            "blank": 0,
            "encoding": None,
        }
    ]
    forum = {
        (r["subject"], r["period"]): r["actual"] for r in data["results"] if r["target"] == "forum"
    }
    assert forum[("东区教育集团", "2024-2025-1")] == 1
    assert forum[("西区教育集团", "2024-2025-2")] == 1
    visits = {
        (r["subject"], r["period"]): r["actual"] for r in data["results"] if r["target"] == "visits"
    }
    assert visits[("东新小学", "2024-2025-1")] == 1
