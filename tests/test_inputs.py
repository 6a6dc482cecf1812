"""Real submissions: folders, encodings, Excel, values, duplicates across files, rotations,
and every row accounted for. Expected values are worked out by hand from the tiny
configuration in tests/conftest.py (east: 东街小学 lead with 40 teachers, 东村中心学校,
东新小学; west: 西街小学, 西村中心学校).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook

from jituan.records import parse_count, parse_date
from tests.conftest import HEADER, write_ledger

FIXTURES = Path(__file__).parent / "fixtures" / "inputs"
AS_OF = "2025-08-31"
ZH = ["日期", "活动类型", "学校", "派出学校", "集团", "姓名", "身份", "数量", "备注"]


def _config(mini_config: tuple[Path, Path]) -> list[object]:
    groups, targets = mini_config
    return ["--groups", groups, "--targets", targets, "--as-of", AS_OF]


def _totals_add_up(report: dict) -> None:
    for i in [*report["inputs"], report["summary"]]:
        assert i["rows"] == i["accepted"] + i["rejected"] + i["blank"], i


# --------------------------------------------------------------------------- the folder


def test_submission_folder_gives_the_same_results_as_the_clean_csv(cli, mini_config, tmp_path):
    folder = tmp_path / "submission"
    shutil.copytree(FIXTURES / "submission", folder)
    code_clean, clean = cli.json("check", FIXTURES / "clean.csv", *_config(mini_config))
    code_folder, sub = cli.json("check", folder, *_config(mini_config))
    assert code_clean == code_folder == 1  # row errors and failing targets in both
    assert sub["results"] == clean["results"]
    assert sub["summary"] == clean["summary"]
    # 12 records + 1 blank line; 2 rejected (an unknown school, a bad date)
    assert clean["summary"] | {} == clean["summary"]
    assert (clean["summary"]["rows"], clean["summary"]["accepted"]) == (13, 10)
    assert (clean["summary"]["rejected"], clean["summary"]["blank"]) == (2, 1)
    got = {(Path(i["file"]).name, i["sheet"]): i for i in sub["inputs"]}
    assert {k: (v["rows"], v["accepted"], v["rejected"], v["blank"]) for k, v in got.items()} == {
        ("a_utf8.csv", None): (3, 3, 0, 0),
        ("b_gbk.csv", None): (4, 3, 0, 1),
        ("c_unicode.txt", None): (2, 2, 0, 0),
        ("d_book.xlsx", "第一学期"): (2, 1, 1, 0),
        ("d_book.xlsx", "第二学期"): (2, 1, 1, 0),
    }
    assert got[("a_utf8.csv", None)]["encoding"] == "utf-8"
    assert got[("b_gbk.csv", None)]["encoding"] == "gb18030"
    assert got[("c_unicode.txt", None)]["encoding"] == "utf-16"
    assert got[("d_book.xlsx", "第一学期")]["encoding"] is None
    # Issues point at the row and sheet a spreadsheet shows: the header of 第一学期 is
    # row 2 (below a merged title), that of 第二学期 row 3 (a title and an empty row).
    where = {(Path(i["file"]).name, i["sheet"], i["row"], i["code"]) for i in sub["issues"]}
    assert where == {
        ("d_book.xlsx", "第一学期", 4, "unknown-school"),
        ("d_book.xlsx", "第二学期", 5, "bad-date"),
        ("c_unicode.txt", None, 3, "cross-group-rotation"),
    }
    _totals_add_up(sub)


def test_inputs_are_byte_for_byte_unchanged(cli, mini_config, tmp_path):
    folder = tmp_path / "submission"
    shutil.copytree(FIXTURES / "submission", folder)
    files = sorted(p for p in folder.rglob("*") if p.is_file())

    def digest() -> dict[Path, tuple[str, float]]:
        return {p: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime) for p in files}

    before = digest()
    cli("check", folder, *_config(mini_config))
    cli("check", folder, *_config(mini_config), "--format", "json")
    assert digest() == before


def test_folder_skips_hidden_lock_yaml_and_reports_links_and_non_ledgers(
    cli, mini_config, tmp_path
):
    folder = tmp_path / "in"
    (folder / ".git").mkdir(parents=True)
    write_ledger(
        folder / "ok.csv", [dict(date="2024-10-10", activity="校长论坛", school="东街小学")]
    )
    write_ledger(folder / ".hidden.csv", [dict(date="2024-10-10", activity="x", school="y")])
    write_ledger(folder / ".git" / "x.csv", [dict(date="2024-10-10", activity="x", school="y")])
    (folder / "~$ok.xlsx").write_bytes(b"lock")
    (folder / "targets.yaml").write_text("targets: []\n", encoding="utf-8")  # never read
    (folder / "readme.txt").write_text("请按模板填写\n", encoding="utf-8")
    outside = tmp_path / "secret.csv"
    write_ledger(outside, [dict(date="2024-10-10", activity="x", school="东街小学")])
    (folder / "link.csv").symlink_to(outside)
    code, report = cli.json("check", folder, *_config(mini_config))
    assert [Path(i["file"]).name for i in report["inputs"]] == ["ok.csv"]
    file_issues = {
        (Path(i["file"]).name, i["code"], i["severity"], i["row"]) for i in report["issues"]
    }
    assert file_issues == {
        ("link.csv", "symlink", "warning", None),
        ("readme.txt", "not-a-ledger", "warning", None),
    }
    assert code == 1  # targets fail; warnings about files do not make it 2


def test_a_pipe_or_device_is_reported_not_read(cli, mini_config, tmp_path):
    """A named pipe would block the open until something writes to it, a device may never
    end: each is an unreadable input (exit 2), in a folder or named, and the run goes on."""
    import os

    folder = tmp_path / "in"
    folder.mkdir()
    write_ledger(
        folder / "ok.csv", [dict(date="2024-10-10", activity="校长论坛", school="东街小学")]
    )
    os.mkfifo(folder / "pipe.csv")
    code, report = cli.json("check", folder, "/dev/zero", *_config(mini_config))
    assert code == 2
    assert [Path(i["file"]).name for i in report["inputs"]] == ["ok.csv"]
    assert {(Path(i["file"]).name, i["code"], i["message"]) for i in report["issues"]} == {
        (name, "unreadable", "not a regular file (a pipe, a device): not read")
        for name in ("pipe.csv", "zero")
    }


def test_an_empty_path_is_a_usage_error(cli, mini_config, tmp_path, monkeypatch):
    """``Path("")`` is the current folder: it must not be searched for an empty argument."""
    monkeypatch.chdir(tmp_path)
    code, out, err = cli("check", "", *_config(mini_config))
    assert code == 2 and out == "" and "an empty path names no ledger" in err


def test_folder_without_ledger_is_exit_2(cli, mini_config, tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    (folder / "groups.yaml").write_text("groups: []\n", encoding="utf-8")
    code, out, err = cli("check", folder, *_config(mini_config))
    assert code == 2 and out == ""
    assert str(folder) in err and "no ledger" in err


def test_a_folder_without_ledger_beside_other_inputs_is_exit_2_and_the_rest_reported(
    cli, mini_config, tmp_path
):
    """ "A folder with no ledger at all is exit 2" whatever else is named: the folder is an
    error-level not-a-ledger issue and the other inputs are still checked (an empty
    folder stopped the whole run; a folder of notes was a warning, exit 1)."""
    ok = write_ledger(
        tmp_path / "ok.csv", [dict(date="2024-10-10", activity="校长论坛", school="东街小学")]
    )
    (tmp_path / "empty").mkdir()
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "x.csv").write_text("foo,bar\n", encoding="utf-8")
    for folder, message in [
        ("empty", "no ledger (.csv, .tsv, .txt, .xlsx, .xls) in this folder"),
        ("notes", "no ledger in this folder could be read (see its files' issues)"),
    ]:
        code, report = cli.json("check", ok, tmp_path / folder, *_config(mini_config))
        assert code == 2
        assert [i["file"] for i in report["inputs"]] == [str(ok)]
        assert (str(tmp_path / folder), "not-a-ledger", "error", None, message) in {
            (i["file"], i["code"], i["severity"], i["row"], i["message"]) for i in report["issues"]
        }


def test_folder_of_non_ledgers_is_exit_2(cli, mini_config, tmp_path):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "notes.csv").write_text("说明,内容\n请填写,台账\n", encoding="utf-8")
    code, out, err = cli("check", folder, *_config(mini_config))
    assert code == 2 and "notes.csv" in err and "no ledger header" in err


def test_missing_column_in_a_folder_is_reported_with_the_rest_and_exit_2(
    cli, mini_config, tmp_path
):
    folder = tmp_path / "in"
    folder.mkdir()
    write_ledger(
        folder / "a.csv", [dict(date="2024-10-10", activity="校长论坛", school="东街小学")]
    )
    (folder / "b.csv").write_text(
        "台账\n日期,活动类型,姓名\n2024-10-10,校长论坛,张\n", encoding="utf-8"
    )
    code, report = cli.json("check", folder, *_config(mini_config))
    assert code == 2
    assert report["summary"]["accepted"] == 1
    [issue] = [i for i in report["issues"] if i["code"] == "missing-column"]
    assert Path(issue["file"]).name == "b.csv" and issue["row"] == 2  # the header's line
    assert (
        "school (学校/活动学校)" in issue["message"] and "日期, 活动类型, 姓名" in issue["message"]
    )


def test_file_vanishing_mid_run_is_reported_and_the_rest_still_reported(
    cli, mini_config, tmp_path, monkeypatch
):
    import jituan.sources as sources

    folder = tmp_path / "in"
    folder.mkdir()
    write_ledger(
        folder / "a.csv", [dict(date="2024-10-10", activity="校长论坛", school="东街小学")]
    )
    write_ledger(
        folder / "b.csv", [dict(date="2024-10-11", activity="校长论坛", school="西街小学")]
    )
    real = sources.read_path

    def vanishing(path: Path, name: str | None = None):
        if path.name == "a.csv":
            path.unlink()  # gone between listing the folder and reading it
        return real(path, name)

    monkeypatch.setattr(sources, "read_path", vanishing)
    code, report = cli.json("check", folder, *_config(mini_config))
    assert code == 2
    assert [Path(i["file"]).name for i in report["inputs"]] == ["b.csv"]
    [issue] = [i for i in report["issues"] if i["code"] == "unreadable"]
    assert Path(issue["file"]).name == "a.csv" and issue["severity"] == "error"
    assert "disappeared" in issue["message"]


def test_several_paths_and_a_missing_one(cli, mini_config, tmp_path):
    a = write_ledger(
        tmp_path / "a.csv", [dict(date="2024-10-10", activity="校长论坛", school="东街小学")]
    )
    code, report = cli.json("check", a, tmp_path / "." / "a.csv", *_config(mini_config))
    # the same file named twice is read once: its row is not a duplicate of itself
    assert report["issues"] == [] and len(report["inputs"]) == 1
    assert report["summary"]["rows"] == report["summary"]["accepted"] == 1
    code, out, err = cli("check", a, tmp_path / "nope.csv", *_config(mini_config))
    assert code == 2 and "nope.csv" in err and "no such file" in err


def test_a_file_named_beside_its_folder_is_read_once(cli, mini_config, tmp_path):
    """``check data data/b.csv``: b.csv is read once, where the folder lists it, and as
    a file named directly (a missing header is an error, exit 2, not a folder's warning)."""
    data = tmp_path / "data"
    data.mkdir()
    row = dict(date="2024-10-10", activity="校长论坛", school="东街小学")
    write_ledger(data / "a.csv", [row])
    write_ledger(data / "b.csv", [row | {"date": "2024-10-11"}])
    code, report = cli.json("check", data, data / "b.csv", *_config(mini_config))
    assert [Path(i["file"]).name for i in report["inputs"]] == ["a.csv", "b.csv"]
    assert report["issues"] == [] and report["summary"]["accepted"] == 2
    (data / "c.csv").write_text("只是一段说明\n", encoding="utf-8")
    code, report = cli.json("check", data, data / "c.csv", *_config(mini_config))
    [issue] = [i for i in report["issues"] if i["code"] == "not-a-ledger"]
    assert Path(issue["file"]).name == "c.csv" and issue["severity"] == "error"
    assert code == 2 and report["summary"]["accepted"] == 2


def test_a_hard_link_is_read_once_and_said_and_a_link_once(cli, mini_config, tmp_path):
    """b.csv is a hard link to a.csv: read once, and b.csv gets an info note rather than
    vanishing; a symbolic link in a folder named twice is reported once."""
    import os

    data = tmp_path / "data"
    data.mkdir()
    write_ledger(data / "a.csv", [dict(date="2024-10-10", activity="校长论坛", school="东街小学")])
    os.link(data / "a.csv", data / "b.csv")
    (data / "c.csv").symlink_to(data / "a.csv")
    code, report = cli.json("check", data, data, *_config(mini_config))
    assert [Path(i["file"]).name for i in report["inputs"]] == ["a.csv"]
    got = [(Path(i["file"]).name, i["code"], i["severity"]) for i in report["issues"]]
    assert got == [("c.csv", "symlink", "warning"), ("b.csv", "same-file", "info")]
    assert (
        report["issues"][1]["message"]
        == f"the same file as {data / 'a.csv'}: read there, not again"
    )
    code, report = cli.json("check", data / "c.csv", data, *_config(mini_config))
    assert [i["code"] for i in report["issues"]] == ["same-file", "same-file"]  # read as c.csv
    # the same folder, or the link, written another way: no other name, no link skipped
    again = tmp_path / "data" / ".." / "data"
    code, report = cli.json("check", data, again, os.path.join(str(data), ".", "c.csv"),
                            *_config(mini_config))  # fmt: skip
    got = [(Path(i["file"]).name, i["code"]) for i in report["issues"]]
    assert got == [("b.csv", "same-file"), ("c.csv", "same-file")], got  # c.csv → a.csv


# --------------------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    ("encoding", "reported"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("gbk", "gb18030"),
        ("gb18030", "gb18030"),
        ("utf-16", "utf-16"),
    ],
)
@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
def test_encodings_and_delimiters(cli, mini_config, tmp_path, encoding, reported, delimiter):
    rows = [
        ZH,
        ["2024-10-10", "校长论坛", "东街小学（本部）", "", "", "张三", "", "", "备注；说明"],
    ]
    text = "\r\n".join(delimiter.join(r) for r in rows) + "\r\n"
    if delimiter == ";":
        text = text.replace("备注；说明", "备注")
    path = tmp_path / "ledger.csv"
    path.write_bytes(text.encode(encoding))
    code, report = cli.json("check", path, *_config(mini_config))
    [summary] = report["inputs"]
    assert summary["encoding"] == reported
    assert summary["rows"] == 1
    [issue] = report["issues"]  # 东街小学（本部） is no school: the name came through intact
    assert issue["code"] == "unknown-school" and issue["value"] == "东街小学(本部)"
    assert issue["row"] == 2 and issue["suggestion"] == "东街小学"


def test_utf16_without_bom(cli, mini_config, tmp_path):
    text = "\t".join(ZH) + "\r\n" + "2024-10-10\t校长论坛\t东街小学\r\n"
    path = tmp_path / "u.txt"
    path.write_bytes(text.encode("utf-16-le"))
    code, report = cli.json("check", path, *_config(mini_config))
    assert report["inputs"][0]["encoding"] == "utf-16-le"
    assert report["summary"]["accepted"] == 1


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_of_mostly_chinese_text(cli, mini_config, tmp_path, encoding):
    """Chinese names leave zero bytes in only about a third of the character pairs."""
    rows = "".join(
        f"2024-10-{day}\t校长论坛\t东街小学\t东村中心学校\t东区教育集团\t欧阳明远\t校长\t\t集团化办学活动记录已上传照片\r\n"
        for day in range(10, 20)
    )
    path = tmp_path / "u.txt"
    path.write_bytes(("\t".join(ZH) + "\r\n" + rows).encode(encoding))
    code, report = cli.json("check", path, *_config(mini_config))
    assert report["inputs"][0]["encoding"] == encoding
    assert report["summary"]["accepted"] == 10


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_with_yi_and_full_width_spaces(cli, mini_config, tmp_path, encoding):
    """一 (U+4E00) and the full-width space (U+3000) put a zero byte on the other side of
    the pair: 第一节 and names padded as 张　三 are everyday ledger text."""
    rows = "".join(
        f"2024-10-{day}\t听评课\t东村中心学校\t张　三\t名师\t\t\t第一节　一一\r\n"
        for day in range(10, 13)
    )
    header = "\t".join(["日期", "活动类型", "学校", "姓名", "身份", "数量", "集团", "备注"])
    path = tmp_path / "u.txt"
    path.write_bytes((header + "\r\n" + rows).encode(encoding))
    _, report = cli.json("check", path, *_config(mini_config))
    assert report["inputs"][0]["encoding"] == encoding
    assert report["summary"]["accepted"] == 3


def test_undecodable_file_is_one_clear_message(cli, mini_config, tmp_path):
    path = tmp_path / "big5.csv"
    path.write_bytes("日期,活动类型,学校\n".encode() + b"\x80\xff\x80\xff,\xff\xfe\x80\n")
    code, out, err = cli("check", path, *_config(mini_config))
    assert code == 2 and out == ""
    # a UTF-8 header, then bytes that are text in no encoding: said from the line on
    assert err.count("\n") == 1 and str(path) in err and "not UTF-8 from line 2" in err


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_a_quote_never_closed_is_reported_not_swallowing_the_rows_after_it(
    cli, mini_config, tmp_path, encoding
):
    """A quoted note on line 4 that is never closed would make the two rows after it one
    cell; the file is refused, naming the line (a note spanning lines, closed, comes first
    and still counts as one row)."""
    lines = [
        ",".join(ZH),
        '2024-10-09,校长论坛,东街小学,,,,,,"第一行',
        '第二行"',
        '2024-10-10,校长论坛,东街小学,,,,,,"一师一优课',
        "2024-10-11,校长论坛,东街小学,,,,,,x",
        "2024-10-12,校长论坛,东街小学,,,,,,y",
    ]
    path = tmp_path / "a.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    code, out, err = cli("check", path, *_config(mini_config))
    assert code == 2 and out == ""
    assert f'{path}: the quote (") opened on line 4 is never closed' in err
    folder = tmp_path / "folder"
    folder.mkdir()
    path.rename(folder / "a.csv")
    write_ledger(
        folder / "b.csv", [dict(date="2024-10-10", activity="校长论坛", school="东街小学")]
    )
    code, report = cli.json("check", folder, *_config(mini_config))
    assert code == 2 and report["summary"]["accepted"] == 1
    assert [(i["code"], i["file"]) for i in report["issues"]] == [
        ("unreadable", str(folder / "a.csv"))
    ]


def test_quoted_cells_spanning_lines_and_doubled_quotes_are_read_as_written(
    cli, mini_config, tmp_path
):
    body = "".join(
        f'2024-10-{day},校长论坛,东街小学,,,,,,"说明\n""第二行"",含逗号"\n' for day in (9, 10, 11)
    )
    path = tmp_path / "a.csv"
    path.write_text(",".join(ZH) + "\n" + body, encoding="utf-8")
    code, report = cli.json("check", path, *_config(mini_config))
    assert report["summary"]["rows"] == 3 and report["summary"]["accepted"] == 3
    assert report["issues"] == []


def test_stray_byte_in_a_column_jituan_does_not_read_keeps_the_file_utf8(
    cli, mini_config, tmp_path
):
    # 附件 is not read: one byte there that is not UTF-8 must not make the whole file
    # decode as GB18030 (which would garble the school names in the columns that are read)
    path = tmp_path / "stray.csv"
    path.write_bytes("日期,活动类型,学校,附件\n2024-10-10,校长论坛,东街小学,".encode() + b"\xff\n")
    code, report = cli.json("check", path, *_config(mini_config))
    assert report["inputs"][0]["encoding"] == "utf-8"
    assert report["summary"]["accepted"] == 1 and report["issues"] == []


def test_a_mapped_large_file_reads_as_a_copied_one(cli, mini_config, tmp_path, monkeypatch):
    import jituan.readers

    path = tmp_path / "big.csv"
    shutil.copy(FIXTURES / "clean.csv", path)
    code, copied = cli.json("check", path, *_config(mini_config))
    monkeypatch.setattr(jituan.readers, "MAP_SIZE", 1)  # every file is mapped
    code_mapped, mapped = cli.json("check", path, *_config(mini_config))
    assert code == code_mapped
    assert mapped == copied and mapped["summary"]["accepted"] == 10
    assert path.read_bytes() == (FIXTURES / "clean.csv").read_bytes()


# --------------------------------------------------------------------------- Excel


def _xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_excel_sheets_title_rows_dates_and_notes_sheet(cli, mini_config, tmp_path):
    path = _xlsx(
        tmp_path / "台账.xlsx",
        {
            "填表说明": [["请在“台账”表中填写"], ["日期请写成 2024-10-12"]],
            "台账": [
                ["甘州区集团化办学台账"],
                [None],
                [*ZH, None, None],  # trailing empty columns
                [dt.datetime(2024, 10, 10), "校长论坛", "东街小学"],
                [45580, "校长论坛", "西街小学"],  # a serial day number: 2024-10-15
                [None, None, None],
                ["2024年10月12日", "听评课", "东村中心学校", "东街小学", None, "甲", "名师", 2.0],
                [
                    dt.datetime(2024, 10, 13, 9, 30),
                    "听评课",
                    "东村中心学校",
                    None,
                    None,
                    "乙",
                    "名师",
                    1.5,
                ],
            ],
            "空表": [],
        },
    )
    code, report = cli.json("check", path, *_config(mini_config))
    assert code == 1
    [summary] = report["inputs"]
    assert (summary["sheet"], summary["rows"], summary["accepted"], summary["rejected"]) == (
        "台账",
        5,
        3,
        1,
    )
    assert summary["blank"] == 1
    issues = [
        (i["sheet"], i["row"], i["code"], i["severity"], i["value"]) for i in report["issues"]
    ]
    # the instructions sheet (填表说明) is recognised by its name and passes without a note
    assert issues == [("台账", 8, "bad-count", "error", "1.5")]
    forum = {
        (r["subject"], r["period"]): r["actual"]
        for r in report["results"]
        if r["target"] == "forum"
    }
    assert (
        forum[("东区教育集团", "2024-2025-1")] == 1 and forum[("西区教育集团", "2024-2025-1")] == 1
    )


def test_workbook_columns_wanted_only_and_ragged_rows_padded():
    from jituan.excel import _columns

    rows = [["2024-10-10", "听评课", "东街小学"], ["2024-10-11", "校长论坛", "西街小学"]]
    assert _columns(rows, [0, 2]) == [["2024-10-10", "2024-10-11"], ["东街小学", "西街小学"]]
    assert _columns([["a", "b", "c"], ["d"]], [0, 2]) == [["a", "d"], ["c", ""]]
    assert _columns([], [0, 1]) == [[], []]


def test_legacy_xls_workbook_title_row_dates_counts_and_blank_row(cli, mini_config):
    # book.xls (BIFF8, written by make_book_xls.py): a title line, then the header on row
    # 2; rows 3-7 are a date cell, a Chinese text date, a blank row, a date cell with no
    # count, and an unknown school
    code, report = cli.json("check", FIXTURES / "book.xls", *_config(mini_config))
    assert code == 1
    (summary,) = report["inputs"]
    assert (summary["sheet"], summary["rows"], summary["accepted"]) == ("台账", 5, 3)
    assert (summary["rejected"], summary["blank"]) == (1, 1)
    assert [(i["row"], i["code"], i["value"]) for i in report["issues"]] == [
        (7, "unknown-school", "不存在小学")
    ]
    visits = {
        (r["subject"], r["period"]): r["actual"]
        for r in report["results"]
        if r["target"] == "visits"
    }
    assert visits[("东村中心学校", "2024-2025-1")] == 2  # the date cell and the text date
    assert visits[("东新小学", "2024-2025-1")] == 1


def test_excel_without_a_ledger_sheet_is_exit_2(cli, mini_config, tmp_path):
    path = _xlsx(tmp_path / "notes.xlsx", {"说明": [["这里没有台账"]]})
    code, out, err = cli("check", path, *_config(mini_config))
    assert code == 2 and "notes.xlsx" in err and "no worksheet" in err


def test_workbook_renamed_csv_is_read_as_a_workbook(cli, mini_config, tmp_path):
    path = _xlsx(tmp_path / "x.xlsx", {"S": [ZH, ["2024-10-10", "校长论坛", "东街小学"]]})
    renamed = path.rename(tmp_path / "x.csv")
    code, report = cli.json("check", renamed, *_config(mini_config))
    assert report["inputs"][0]["sheet"] == "S" and report["summary"]["accepted"] == 1


# --------------------------------------------------------------------------- values


@pytest.mark.parametrize(
    "text",
    [
        "2024-10-12",
        "2024/10/12",
        "2024.10.12",
        "2024年10月12日",
        "20241012",
        "2024-10-12 09:30",
        "2024/10/12 9:30:00",
        "2024-10-12T09:30",
        "2024-10-12 23:59:59",
        "2024年10月12日 0:00",
        "45577",
        "45577.375",
    ],
)
def test_dates(text):
    assert parse_date(text) == dt.date(2024, 10, 12)


@pytest.mark.parametrize(
    "text",
    [
        "2024-13-01",
        "2024-02-30",
        "12/10/2024",
        "上周五",
        "36525",
        "73051",
        "2024",
        "",
        "2024-10-12 25:61",  # a time that is no moment of the day
        "2024-10-12 24:00",
        "2024年10月12日 9:60",
    ],
)
def test_not_dates(text):
    assert parse_date(text) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2", 2),
        ("2.0", 2),
        ("", 1),
        ("10", 10),
        ("+3", 3),
        ("100000", 100_000),
        ("0100000", 100_000),
    ],
)
def test_counts(text, value):
    assert parse_count(text) == value


@pytest.mark.parametrize(
    "text",
    ["两节", "-1", "1.5", "0", "2节", "0.0", "000", "100001", "9223372036854775808", "9" * 4000],
)
def test_bad_counts(text):
    assert parse_count(text) is None


def test_count_beyond_any_sum_is_a_bad_count_not_a_crash(cli, mini_config, tmp_path):
    """A pasted 19-digit number in 数量 (CSV text, or an Excel number cell) is one
    bad-count row; the other row still counts."""
    rows = [
        dict(
            date="2024-10-10", activity="校长论坛", school="东街小学", count="9223372036854775808"
        ),
        dict(date="2024-10-11", activity="校长论坛", school="东街小学", count="2"),
    ]
    code, report = cli.json("check", write_ledger(tmp_path / "a.csv", rows), *_config(mini_config))
    assert [(i["code"], i["row"]) for i in report["issues"]] == [("bad-count", 2)]
    assert report["summary"]["accepted"] == 1 and report["summary"]["rejected"] == 1
    book = Workbook()
    book.active.append(ZH)
    book.active.append(
        [dt.date(2024, 10, 10), "校长论坛", "东街小学", None, None, None, None, 1e20]
    )
    book.save(tmp_path / "b.xlsx")
    code, report = cli.json("check", tmp_path / "b.xlsx", *_config(mini_config))
    assert [(i["code"], i["value"]) for i in report["issues"]] == [
        ("bad-count", "100000000000000000000")
    ]


def test_full_width_count_and_bracket_names(cli, mini_config, tmp_path):
    rows = [dict(date="２０２４－１０－１０", activity="校长 论坛", school="东街 小学", count="２")]
    path = write_ledger(tmp_path / "a.csv", rows)
    code, report = cli.json("check", path, *_config(mini_config))
    assert report["summary"]["accepted"] == 1 and report["issues"] == []


# --------------------------------------------------------------------------- every code


def test_a_name_with_an_invisible_character_is_the_same_person(cli, mini_config, tmp_path):
    """张三 written with a Hangul filler or a direction mark in it is no second visitor:
    the rows are duplicates, and the visits stay 1 (not 3, a pass)."""
    rows = [
        HEADER,
        *(
            ["2024-10-10", "听评课", "东村中心学校", "东街小学", "", name, "名师"]
            for name in ("张三", "张\u3164三", "张\u202d三")
        ),
    ]
    path = tmp_path / "ledger.csv"
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    _, report = cli.json("check", path, *_config(mini_config), "--period", "2024-2025-1")
    assert [(i["row"], i["code"]) for i in report["issues"]] == [(3, "duplicate"), (4, "duplicate")]
    (visits,) = [
        r for r in report["results"] if r["target"] == "visits" and r["subject"] == "东村中心学校"
    ]
    assert (visits["actual"], visits["status"]) == (1, "fail")


def test_a_rejected_rotation_is_not_said_to_be_counted(cli, mini_config, tmp_path):
    """cross-group-rotation reads "counted, but not toward within-group targets": a row
    rejected for another reason (dated after --as-of, no 姓名) gets its own error alone."""
    rows = [
        HEADER,
        ["2025-09-10", "教师轮岗交流", "西村中心学校", "东街小学", "", "乙"],  # 2 future-date
        ["2024-09-10", "教师轮岗交流", "西村中心学校", "东街小学", "", ""],  # 3 no person
        ["2024-09-10", "教师轮岗交流", "西村中心学校", "东街小学", "", "丙"],  # 4 counted
    ]
    path = tmp_path / "ledger.csv"
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    _, report = cli.json("check", path, *_config(mini_config))
    assert [(i["row"], i["code"]) for i in report["issues"]] == [
        (2, "future-date"),
        (3, "missing-value"),
        (4, "cross-group-rotation"),
    ]


def test_rotation_checks_follow_the_share_target_not_an_activity_id(cli, mini_config, tmp_path):
    """A bureau's catalogue may call its rotation otherwise (id rot, 轮岗): the activity a
    share_of_teachers target counts is a rotation, checked for a school sending to itself
    and for a rotation across groups, as teacher_rotation is in the shipped one."""
    groups, targets = mini_config
    text = targets.read_text(encoding="utf-8")
    assert "teacher_rotation" in text and "教师轮岗交流" in text
    targets.write_text(
        text.replace("teacher_rotation", "rot").replace("教师轮岗交流", "轮岗"), encoding="utf-8"
    )
    lines = [
        HEADER,
        ["2024-09-10", "轮岗", "东街小学", "东小"],  # 2 bad-rotation (alias of itself)
        ["2024-09-10", "轮岗", "西村中心学校", "东街小学", "", "乙"],  # 3 cross-group
        ["2024-09-10", "轮岗", "东村中心学校", "东街小学", "", "丙"],  # 4 counted
    ]
    path = tmp_path / "ledger.csv"
    path.write_text("\n".join(",".join(r) for r in lines) + "\n", encoding="utf-8")
    code, report = cli.json("check", path, *_config(mini_config))
    got = [(i["row"], i["code"], i["severity"]) for i in report["issues"]]
    assert got == [(2, "bad-rotation", "error"), (3, "cross-group-rotation", "warning")]


def test_every_row_issue_code_with_the_spreadsheet_row(cli, mini_config, tmp_path):
    """A title line above the header: the header is row 2, the first record row 3."""
    lines = [
        ["2024-2025学年第一学期台账"],
        HEADER,
        ["2024-10-10", "校长论坛", "", "", "", "", "", "", ""],  # 3 missing-value
        ["2024-13-40", "校长论坛", "东街小学"],  # 4 bad-date
        ["2025-09-01", "校长论坛", "东街小学"],  # 5 future-date
        ["2024-10-10", "校长会", "东街小学"],  # 6 unknown-activity
        ["2024-10-10", "校长论坛", "东街小学校"],  # 7 unknown-school
        ["2024-10-10", "校长论坛", "东街小学", "", "西区教育集团"],  # 8 group-mismatch
        ["2024-10-10", "校长论坛", "东街小学", "", "北区集团"],  # 9 group-mismatch (no such group)
        ["2024-10-11", "听评课", "东村中心学校", "", "", "甲", "名师", "两节"],  # 10 bad-count
        ["2024-10-12", "听评课", "东村中心学校", "", "", "甲", "名师", "-1"],  # 11 bad-count
        ["2024-09-10", "教师轮岗交流", "东街小学", "东小"],  # 12 bad-rotation (alias of itself)
        ["2024-09-10", "教师轮岗交流", "西村中心学校", "东街小学", "", "乙"],  # 13 cross-group
        ["2024-10-10", "校长论坛", "东街小学"],  # 14 counted
        [],  # 15 blank
        ["2024/10/10", "principal_forum", "东街 小学"],  # 16 duplicate of 14
    ]
    path = tmp_path / "ledger.csv"
    path.write_text("\n".join(",".join(r) for r in lines) + "\n", encoding="utf-8")
    code, report = cli.json("check", path, *_config(mini_config))
    assert code == 1
    got = [(i["row"], i["code"], i["column"], i["severity"]) for i in report["issues"]]
    assert got == [
        (3, "missing-value", "school", "error"),
        (4, "bad-date", "date", "error"),
        (5, "future-date", "date", "error"),
        (6, "unknown-activity", "activity", "error"),
        (7, "unknown-school", "school", "error"),
        (8, "group-mismatch", "group", "error"),
        (9, "group-mismatch", "group", "error"),
        (10, "bad-count", "count", "error"),
        (11, "bad-count", "count", "error"),
        (12, "bad-rotation", "from_school", "error"),
        (13, "cross-group-rotation", "from_school", "warning"),
        (16, "duplicate", "activity", "warning"),
    ]
    by_row = {i["row"]: i for i in report["issues"]}
    assert by_row[4]["message"] == "not a date: 2024-13-40"
    assert by_row[7]["suggestion"] == "东街小学"
    assert by_row[7]["message"] == "unknown school: 东街小学校; did you mean 东街小学?"
    assert by_row[16]["message"] == f"repeats {path}:14; counted once"
    [summary] = report["inputs"]
    # 14 rows: 2 accepted (13 and 14), 11 rejected (3..12 and the duplicate 16), 1 blank
    assert (summary["rows"], summary["accepted"], summary["rejected"], summary["blank"]) == (
        14,
        2,
        11,
        1,
    )


def test_duplicate_across_files_names_both_places(cli, mini_config, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    row = dict(date="2024-10-10", activity="校长论坛", school="东街小学", person="张")
    write_ledger(
        folder / "a.csv", [dict(date="2024-10-09", activity="校长论坛", school="东街小学"), row]
    )
    _xlsx(
        folder / "b.xlsx",
        {"十月": [["标题"], ZH, ["2024-10-10", "校长论坛", "东街小学", "", "", "张"]]},
    )
    code, report = cli.json("check", folder, *_config(mini_config))
    [issue] = report["issues"]
    assert (Path(issue["file"]).name, issue["sheet"], issue["row"], issue["code"]) == (
        "b.xlsx",
        "十月",
        3,
        "duplicate",
    )
    assert issue["message"] == f"repeats {folder / 'a.csv'}:3; counted once"
    assert report["summary"]["accepted"] == 2 and report["summary"]["rejected"] == 1
    forum = [
        r for r in report["results"] if r["target"] == "forum" and r["subject"] == "东区教育集团"
    ]
    assert forum[0]["actual"] == 2  # 10-09 and 10-10, the repeat counted once


def test_cross_group_rotation_does_not_count_within_the_group(cli, mini_config, tmp_path):
    rows = [
        dict(
            date="2024-09-10",
            activity="教师轮岗交流",
            school="东村中心学校",
            from_school="东街小学",
            person="甲",
        ),
        dict(
            date="2024-09-10",
            activity="教师轮岗交流",
            school="西村中心学校",
            from_school="东街小学",
            person="乙",
        ),
    ]
    path = write_ledger(tmp_path / "a.csv", rows)
    code, report = cli.json("check", path, *_config(mini_config))
    [issue] = report["issues"]
    assert (issue["row"], issue["code"], issue["severity"]) == (
        3,
        "cross-group-rotation",
        "warning",
    )
    assert report["summary"]["accepted"] == 2  # a warning sits on an accepted row
    [rotation] = [
        r for r in report["results"] if r["target"] == "rotation" and r["subject"] == "东街小学"
    ]
    assert rotation["actual"] == 0.025  # 1 within-group rotation ÷ 40 teachers, not 2 ÷ 40


def test_a_row_is_uncountable_only_when_no_target_of_its_activity_can_count_it(
    cli, mini_config, tmp_path
):
    """The rotation share needs 派出学校 and 姓名. A second rotation target counted by the
    receiving school needs neither, so a rotation without both still counts there: no
    issue. Counted by the sending school instead, it needs 派出学校, which the row lacks:
    no target can count the row, and both empty cells are named."""
    groups, targets = mini_config
    extra = """  - id: received
    title: 接收交流教师
    source: 四（三）2
    activities: [teacher_rotation]
    scope: school
    period: school_year
    min: 1
"""
    by_sender = extra.replace("received", "sent").replace("接收", "派出") + (
        "    by: from_school\n"
    )
    row = dict(date="2024-09-10", activity="教师轮岗交流", school="东村中心学校")
    path = write_ledger(tmp_path / "a.csv", [row])
    base = targets.read_text(encoding="utf-8")

    def issues(added: str) -> list[tuple[str, str]]:
        targets.write_text(base + added, encoding="utf-8")
        _, report = cli.json("check", path, *_config(mini_config))
        return [(i["code"], i["column"]) for i in report["issues"]]

    assert issues("") == [("missing-value", "from_school"), ("missing-value", "person")]
    assert issues(extra) == []  # the receiving school's target counts it
    assert issues(by_sender) == [("missing-value", "from_school"), ("missing-value", "person")]


def test_a_lesson_the_role_keeps_from_every_target_it_could_count_for_is_flagged(cli, tmp_path):
    """The shipped targets: 听评课 counts toward the master-teacher visits (名师, 学科带头人,
    骨干教师) and toward the researcher's lessons (needs 姓名). A 教研员's lesson without
    姓名 counts toward neither; a 名师's does (visits), and so does one without 身份 that
    names its teacher (a researcher may be listed); one with neither cell counts nothing."""
    ledger = tmp_path / "a.csv"
    ledger.write_text(
        "日期,活动类型,学校,姓名,身份,节数\n"
        "2024-10-08,听评课,甘州区长安镇中心学校,,教研员,5\n"
        "2024-10-09,听评课,甘州区长安镇中心学校,,名师,\n"
        "2024-10-10,听评课,甘州区长安镇中心学校,,,\n"
        "2024-10-11,听评课,甘州区长安镇中心学校,李四,,\n",
        encoding="utf-8",
    )
    _, report = cli.json("check", ledger, "--as-of", "2025-01-31", "--lang", "en")
    assert [(i["row"], i["code"], i["column"]) for i in report["issues"]] == [
        (2, "missing-value", "person"),
        (4, "missing-value", "person"),
        (4, "missing-value", "role"),
    ]
    assert report["issues"][0]["message"] == (
        "'person' is empty: no target of this activity can count the row without it"
    )
    assert (report["summary"]["accepted"], report["summary"]["rejected"]) == (2, 2)


def test_a_column_named_twice_is_a_warning_naming_both_headers(cli, mini_config, tmp_path):
    """学校 and 活动学校 are one column: the second is not read, and a warning on the header
    row (row 2, below a title) says so; in a workbook sheet too. The rows still count."""
    lines = ["2024 台账", "日期,活动类型,学校,活动学校", "2024-10-10,校长论坛,东街小学,西街小学"]
    path = tmp_path / "a.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    book = Workbook()
    for line in lines:
        book.active.append(line.split(","))
    book.save(tmp_path / "b.xlsx")
    for ledger, sheet in ((path, None), (tmp_path / "b.xlsx", book.active.title)):
        code, report = cli.json("check", ledger, *_config(mini_config))
        assert [
            (i["row"], i["sheet"], i["code"], i["severity"], i["column"], i["value"])
            for i in report["issues"]
        ] == [(2, sheet, "duplicate-column", "warning", "school", "活动学校")]
        assert "only '学校' is read" in report["issues"][0]["message"]
        assert report["summary"]["accepted"] == 1


def test_a_row_no_target_can_count_is_reported_not_accepted_in_silence(cli, mini_config, tmp_path):
    """Every target of a rotation counts persons by their sending school: a rotation row
    without 派出学校 or 姓名 counts toward nothing, so it is a missing-value error. A lesson
    observed by nobody named still counts for the school's visits: no issue."""
    rows = [
        dict(date="2024-09-10", activity="教师轮岗交流", school="东村中心学校", person="甲"),
        dict(
            date="2024-09-11",
            activity="教师轮岗交流",
            school="东村中心学校",
            from_school="东街小学",
        ),
        dict(date="2024-09-12", activity="听评课", school="东村中心学校", role="名师"),
    ]
    code, report = cli.json("check", write_ledger(tmp_path / "a.csv", rows), *_config(mini_config))
    assert [(i["row"], i["code"], i["column"]) for i in report["issues"]] == [
        (2, "missing-value", "from_school"),
        (3, "missing-value", "person"),
    ]
    assert report["summary"]["accepted"] == 1 and report["summary"]["rejected"] == 2
    assert code == 1


def test_a_name_padded_with_a_space_is_one_person(cli, mini_config, tmp_path):
    """张　三 (two-character names padded to line up, as spreadsheets often are) is 张三: one
    rotated teacher, not two; the listed researcher 王 老师 is 王老师, whose 9 lessons at
    the rural school add up; a role written 名 师 is 名师. Zhang San keeps its space."""
    rotate = dict(activity="教师轮岗交流", school="东村中心学校", from_school="东街小学")
    observe = dict(activity="听评课", school="东村中心学校", role="教研员")
    rows = [
        dict(date="2024-09-10", person="张三", **rotate),
        dict(date="2024-09-11", person="张\u3000三", **rotate),
        dict(date="2024-09-12", person="Zhang San", **rotate),
        dict(date="2024-10-10", person="王 老师", count="4", **observe),
        dict(date="2024-10-11", person="王老师", count="5", **observe),
        *(
            dict(date=f"2024-10-{day}", activity="听评课", school="东村中心学校", role="名 师")
            for day in (14, 15, 16)
        ),
    ]
    code, report = cli.json("check", write_ledger(tmp_path / "a.csv", rows), *_config(mini_config))
    assert report["issues"] == []

    def actual(target: str, subject: str) -> float:
        """The figure of the school year, or of its first semester."""
        [r] = [
            r
            for r in report["results"]
            if (r["target"], r["subject"]) == (target, subject)
            and r["period"] in ("2024-2025", "2024-2025-1")
        ]
        return r["actual"]

    assert actual("rotation", "东街小学") == 0.05  # 张三 and Zhang San: 2 ÷ 40
    assert actual("lessons", "王老师") == 9
    assert [r["subject"] for r in report["results"] if r["target"] == "lessons"] == [
        "王老师",
        "王老师",
    ]  # two semesters, one researcher: no 王 老师 beside
    assert actual("visits", "东村中心学校") == 3


def test_table_report_shows_file_issues(cli, mini_config, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    write_ledger(
        folder / "a.csv", [dict(date="2024-10-10", activity="校长论坛", school="东街小学")]
    )
    (folder / "b.csv").write_bytes(b"\x00\x01\x02binary\xff" * 50)
    code, out, err = cli("check", folder, *_config(mini_config))
    assert code == 2 and "b.csv" in out and "unreadable" in out


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_lines_ended_by_cr_alone_are_read(cli, mini_config, tmp_path, encoding):
    """Excel's "CSV (Macintosh)" ends lines with CR alone: each is a row, numbered as a
    spreadsheet shows it."""
    text = (
        '日期,活动类型,学校,备注\r2024-10-10,校长论坛,东街小学,"第一节\n第二节"\r'
        "2024-10-11,校长论坛,东街小字,x\r"
    )
    path = tmp_path / "mac.csv"
    path.write_bytes(text.encode(encoding))
    _, report = cli.json("check", path, *_config(mini_config))
    assert [(i["rows"], i["accepted"], i["rejected"]) for i in report["inputs"]] == [(2, 1, 1)]
    assert [(i["row"], i["code"]) for i in report["issues"]] == [(3, "unknown-school")]


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
@pytest.mark.parametrize(
    ("head", "bad_row"),
    [
        ('日期,活动类型,学校,"备注\n说明"\n', 3),  # a header cell over two lines
        ('"2024-2025学年\n听评课台账",,\n日期,活动类型,学校\n', 4),  # a title over two
        ('"日期\n",活动类型,学校\n', 3),  # a header cell with a line end in it
    ],
)
def test_quoted_line_ends_above_the_rows_keep_row_numbers(
    cli, mini_config, tmp_path, encoding, head, bad_row
):
    """A title or header cell written over two lines (in quotes) is one row, as the
    spreadsheet shows it: no phantom row, and the rows keep their numbers."""
    body = "2024-10-10,校长论坛,东街小学\n2024-10-11,校长论坛,东街小字\n"
    if head.startswith('日期,活动类型,学校,"'):
        body = body.replace("\n", ",x\n")
    path = tmp_path / "two-line.csv"
    path.write_bytes((head + body).encode(encoding))
    _, report = cli.json("check", path, *_config(mini_config))
    assert [(i["rows"], i["accepted"], i["rejected"]) for i in report["inputs"]] == [(2, 1, 1)]
    assert [(i["row"], i["code"]) for i in report["issues"]] == [(bad_row, "unknown-school")]


def test_head_records_follow_the_parsers_quoting() -> None:
    from jituan.csv_reader import _head_records

    text = 'a,"b\n""c""\n",d\n5" tall,x\n"open,never\nclosed\n"备注\nx,"y"\n'
    lines = [
        'a,"b\n""c""\n",d',  # a quoted cell over lines, doubled quotes inside
        '5" tall,x',  # a quote inside a cell is a character, not quoting
        '"open,never',  # never closed: a character of its line, which ends the record
        "closed",
        '"备注',  # "closed" by the quote opening a later cell: not a cell end, not quoting
        'x,"y"',
    ]
    assert [line for _, line in _head_records(text, 0, ",")] == lines
    data = text.encode("utf-8")
    ends = [end for end, _ in _head_records(data, 0, ",")]
    assert ends == [len("".join(f"{line}\n" for line in lines[: i + 1]).encode()) for i in range(6)]


def test_a_header_over_two_rows_with_merged_cells(cli, mini_config, tmp_path):
    """日期 merged down over two header rows, 活动类型 and 学校 under a merged 活动信息,
    姓名 and 身份 under 人员: the second row is the header, each empty cell taking the
    text above it, and the rows keep their numbers (a workbook and its CSV alike)."""
    title = ["2024-2025学年听评课台账", "", "", "", ""]
    top = ["日期", "活动信息", "", "人员", ""]
    under = ["", "活动类型", "学校", "姓名", "身份"]
    rows = [
        ["2024-10-10", "听评课", "东村中心学校", "甲", "名师"],
        ["2024-10-11", "听评课", "东村中心学校", "乙", ""],
        ["2024-10-12", "听评课", "东村中心学校", "丙", "名师"],
    ]
    book = Workbook()
    sheet = book.active
    for row in [title, top, under, *rows]:
        sheet.append(row)
    sheet.merge_cells("A1:E1")
    sheet.merge_cells("A2:A3")
    sheet.merge_cells("B2:C2")
    sheet.merge_cells("D2:E2")
    book.save(tmp_path / "two-rows.xlsx")
    csv_path = tmp_path / "two-rows.csv"
    csv_path.write_text(
        "".join(
            ",".join(r) + "\n"
            for r in [title, top, under, rows[0], rows[1][:2] + ["东村中心学字", "乙", ""], rows[2]]
        ),
        encoding="utf-8",
    )
    _, book_report = cli.json("check", tmp_path / "two-rows.xlsx", *_config(mini_config))
    assert [(i["rows"], i["accepted"], i["rejected"]) for i in book_report["inputs"]] == [(3, 3, 0)]
    assert book_report["issues"] == []
    _, csv_report = cli.json("check", csv_path, *_config(mini_config))
    assert [(i["row"], i["code"]) for i in csv_report["issues"]] == [(5, "unknown-school")]
    visits = {
        r["subject"]: r["actual"]
        for r in book_report["results"]
        if r["target"] == "visits" and r["period"] == "2024-2025-1"
    }
    assert visits["东村中心学校"] == 2  # the two 名师 lessons; 乙 names no role


@pytest.mark.parametrize(
    ("head", "rows"),
    [
        ('日期,活动类型,学校,"备注\n', 2),  # a header cell whose quote is never closed
        ('"2024年集团活动台账\n日期,活动类型,学校,备注\n', 2),  # a title's stray quote
        ("x" * 1_400_000 + "\n日期,活动类型,学校,备注\n", 2),  # a title over a megabyte
        # the stray quote "closed" by the last cell of a row below, near or far
        ('日期,活动类型,学校,"备注\n' + "2024-10-09,校长论坛,东街小学,x\n" * 10, 12),
    ],
)
def test_a_stray_quote_or_a_long_title_above_the_rows_loses_none(
    cli, mini_config, tmp_path, head, rows
):
    """The record-aware header search must not let a quote that closes no cell swallow
    the rows below (they were lost without an issue), nor miss a header below a title
    over a megabyte long."""
    body = '2024-10-10,校长论坛,东街小学,x\n2024-10-11,校长论坛,西街小学,x"\n'
    path = tmp_path / "a.csv"
    path.write_text(head + body, encoding="utf-8")
    _, report = cli.json("check", path, *_config(mini_config))
    [summary] = report["inputs"]
    assert (summary["rows"], summary["accepted"] + summary["rejected"]) == (rows, rows)
    assert {i["code"] for i in report["issues"]} <= {"duplicate"}


def test_every_sheet_with_a_ledger_header_is_a_ledger_hidden_or_instructions(
    cli, mini_config, tmp_path
):
    """Issue 3: every sheet with a recognisable header is a ledger. A 填写说明 sheet and a
    hidden 名单 sheet, each with the header and a row, beside the 台账 sheet: both read
    (their rows were dropped in silence)."""
    book = Workbook()
    book.active.title = "台账"
    book.active.append(["日期", "活动类型", "学校"])
    for title, row in (("填写说明", "东街小学"), ("名单", "西街小学")):
        sheet = book.create_sheet(title)
        sheet.append(["日期", "活动类型", "学校"])
        sheet.append(["2024-10-12", "校长论坛", row])
    book["名单"].sheet_state = "hidden"
    path = tmp_path / "book.xlsx"
    book.save(path)
    _, report = cli.json("check", path, *_config(mini_config))
    assert [(i["sheet"], i["rows"]) for i in report["inputs"]] == [
        ("台账", 0),
        ("填写说明", 1),
        ("名单", 1),
    ]
    assert report["summary"]["accepted"] == 2 and report["issues"] == []


def test_a_two_row_header_wins_a_tie_with_its_second_row(cli, mini_config, tmp_path):
    """日期 merged down over two rows, and 活动日期 further right in the second: the second
    row alone names as many columns, but the header is the two rows read as one (日期 is
    the date), and 活动日期 is the column named twice."""
    path = tmp_path / "two.csv"
    path.write_text(
        "日期,活动信息,,,\n,活动类型,学校,身份,活动日期\n2024-10-12,校长论坛,东街小学,名师,同上\n",
        encoding="utf-8",
    )
    _, report = cli.json("check", path, *_config(mini_config))
    assert report["summary"]["accepted"] == 1
    assert [(i["row"], i["code"], i["value"]) for i in report["issues"]] == [
        (2, "duplicate-column", "活动日期")
    ]


def test_a_folder_reached_through_a_linked_parent_is_the_same_folder(
    cli, mini_config, tmp_path, monkeypatch
):
    """In a folder reached through a link (as /tmp on macOS), `data` and the absolute path
    through the link are one folder: no file is "another name" of itself."""
    real = tmp_path / "real" / "data"
    real.mkdir(parents=True)
    write_ledger(real / "a.csv", [dict(date="2024-10-10", activity="校长论坛", school="东街小学")])
    (tmp_path / "lnk").symlink_to(tmp_path / "real")
    monkeypatch.chdir(tmp_path / "lnk")
    code, report = cli.json("check", "data", tmp_path / "lnk" / "data", *_config(mini_config))
    assert report["issues"] == [] and len(report["inputs"]) == 1


def test_a_report_is_never_written_over_a_ledger_the_run_reads(cli, mini_config, tmp_path):
    """--output naming a ledger (directly, or under a folder read), --out holding a ledger
    named report.csv: refused with exit 2, the ledger byte for byte unchanged. A report
    jituan wrote itself may be replaced (it is not read as a ledger)."""
    data = tmp_path / "data"
    data.mkdir()
    ledger = write_ledger(
        data / "a.csv", [dict(date="2024-10-10", activity="校长论坛", school="东街小学")]
    )
    before = ledger.read_bytes()
    quality = data / "q.txt"
    quality.write_text("学校,期间,得分\n东街小学,2024-2025-1,90\n", encoding="utf-8")
    for args in (
        ["check", ledger, "--output", ledger],
        ["check", data, "--output", tmp_path / "data" / ".." / "data" / "a.csv"],
        ["score", ledger, "--output", ledger],
        ["score", ledger, "--quality", quality, "--output", quality],
    ):
        code, out, err = cli(*args, *_config(mini_config))
        assert code == 2 and "never written to" in err, (args, err)
    (data / "report.csv").write_bytes(before)  # a ledger that happens to be named so
    code, out, err = cli("audit", data, "--out", data, "--force", *_config(mini_config))
    assert code == 2 and "report.csv" in err, err
    assert ledger.read_bytes() == before and (data / "report.csv").read_bytes() == before
    assert quality.read_text(encoding="utf-8").startswith("学校,期间,得分")
    # through a link: a symbolic link to the ledger, a hard link to one in the folder, a
    # ledger without a suffix named directly
    (tmp_path / "link.csv").symlink_to(ledger)
    os.link(ledger, tmp_path / "hard.csv")
    bare = tmp_path / "ledger"
    bare.write_bytes(before)
    for args in (
        ["check", ledger, "--output", tmp_path / "link.csv"],
        ["check", data, "--output", tmp_path / "hard.csv"],
        ["check", bare, "--output", bare],
    ):
        code, out, err = cli(*args, *_config(mini_config))
        assert code == 2 and "never written to" in err, (args, err)
    assert ledger.read_bytes() == before and bare.read_bytes() == before
    # the configuration and exemptions named, and a path through a folder not yet made
    groups, targets = mini_config
    config_text = groups.read_bytes()
    for args in (
        ["check", ledger, "--output", groups],
        ["score", ledger, "--output", targets],
        ["check", data, "--output", data / "nosuch" / ".." / "a.csv"],
    ):
        code, out, err = cli(*args, *_config(mini_config))
        assert code == 2 and "never written to" in err, (args, err)
    assert groups.read_bytes() == config_text and ledger.read_bytes() == before
    assert not (data / "nosuch").exists()
    # reports written into the folder checked (no ledger in them) are replaced run after run
    (data / "report.csv").unlink()
    for fmt, name in (("markdown", "report.txt"), ("github", "notes.txt")):
        for _ in range(2):
            code, out, err = cli(
                "check", data, "--format", fmt, "--output", data / name, *_config(mini_config)
            )
            assert code in (0, 1), err
    for _ in range(2):
        code, out, err = cli(
            "score", data, "--format", "csv", "--output", data / "s.csv", *_config(mini_config)
        )
        assert code == 0, err
    for _ in range(2):
        code, out, err = cli(
            "check", data, "--format", "csv", "--output", data / "r.csv", *_config(mini_config)
        )
        assert code in (0, 1), err
    for _ in range(2):
        code, out, err = cli("audit", data, "--out", data, *_config(mini_config))
        assert code in (0, 1), err


def test_a_workbook_named_as_the_other_kind_is_read_by_what_it_is(cli, mini_config, tmp_path):
    """An .xls saved with an .xlsx name, and an .xlsx with an .xls name (both common in
    submissions): read from their bytes, as a .csv holding a workbook already was."""
    legacy = tmp_path / "legacy.xlsx"
    shutil.copy(FIXTURES / "book.xls", legacy)
    code, report = cli.json("check", legacy, *_config(mini_config))
    assert [(i["sheet"], i["rows"], i["accepted"]) for i in report["inputs"]] == [("台账", 5, 3)]
    book = Workbook()
    book.active.append(["日期", "活动类型", "学校"])
    book.active.append(["2024-10-12", "校长论坛", "东街小学"])
    modern = tmp_path / "modern.xls"
    book.save(modern)
    code, report = cli.json("check", modern, *_config(mini_config))
    assert [(i["rows"], i["accepted"]) for i in report["inputs"]] == [(1, 1)]


def test_a_note_in_a_folder_that_is_no_text_table_does_not_stop_the_run(cli, mini_config, tmp_path):
    """A .txt in Latin-1 or a binary .tsv beside the ledgers is a note, not a ledger: a
    warning, and the rest is checked (it made the whole run exit 2). A .csv that cannot be
    decoded is a ledger that could not be read: still exit 2."""
    folder = tmp_path / "data"
    folder.mkdir()
    write_ledger(
        folder / "a.csv", [dict(date="2024-10-10", activity="校长论坛", school="东街小学")]
    )
    (folder / "notes.txt").write_bytes(
        "Notes from the café meeting\n".encode("latin-1") + b"\xff\xfe\x01"
    )
    (folder / "dump.tsv").write_bytes(bytes(range(256)) * 4)
    code, report = cli.json("check", folder, *_config(mini_config))
    assert code != 2
    assert [(Path(i["file"]).name, i["code"], i["severity"]) for i in report["issues"]] == [
        ("dump.tsv", "not-a-ledger", "warning"),
        ("notes.txt", "not-a-ledger", "warning"),
    ]
    (folder / "b.csv").write_bytes(bytes(range(256)) * 4)
    code, report = cli.json("check", folder, *_config(mini_config))
    assert code == 2


def test_big5_read_as_gb18030_is_one_clear_message_not_garbage_names(cli, mini_config, tmp_path):
    """GB18030 reads almost any bytes: a Big5 ledger came out as garbage names failing as
    unknown schools. Private-use characters give it away (a GBK ledger with one 造字 in
    a name among many is still read)."""
    big5 = tmp_path / "big5.csv"
    big5.write_bytes(
        "date,activity,school,person\r\n2024-10-12,校長論壇,南關學校,李四\r\n".encode("big5")
    )
    code, out, err = cli("check", big5, *_config(mini_config))
    assert code == 2 and "cannot be decoded as UTF-8, GB18030/GBK or UTF-16" in err, err
    rare = tmp_path / "rare.csv"
    made = "\ue000"  # a 造字 (user-defined character) in one name
    rows = "".join(
        f"2024-10-{d:02d},校长论坛,东街小学,张三{made if d == 1 else '丰'}\r\n"
        for d in range(1, 31)
    )
    rare.write_bytes(("日期,活动类型,学校,姓名\r\n" + rows * 2).encode("gb18030"))
    code, report = cli.json("check", rare, *_config(mini_config))
    assert report["inputs"][0]["encoding"] == "gb18030" and report["summary"]["rows"] == 60
    # the 造字 in the name of every row, and in a three-row ledger: still read
    every = "".join(
        f"2024-10-{d:02d},听评课,东村中心学校,王{made}华,教研员,2\r\n" for d in range(8, 31)
    )
    rare.write_bytes(("日期,活动类型,学校,姓名,身份,数量\r\n" + every).encode("gb18030"))
    code, report = cli.json("check", rare, *_config(mini_config))
    assert report["summary"]["accepted"] == 23
    short = f"2024-10-12,校长论坛,东街小学,张三\r\n2024-10-13,校长论坛,东街小学,李{made}\r\n"
    rare.write_bytes(("日期,活动类型,学校,姓名\r\n" + short).encode("gb18030"))
    code, report = cli.json("check", rare, *_config(mini_config))
    assert report["summary"]["accepted"] == 2
    # a longer Big5 ledger is refused too
    trad = "日期,活動類型,學校\r\n2024-10-12,師德師風集中宣講,東街小學\r\n2024-10-13,教師輪崗交流,東村中心學校\r\n"
    big5.write_bytes(trad.encode("big5"))
    code, out, err = cli("check", big5, *_config(mini_config))
    assert code == 2 and "cannot be decoded" in err, err


def test_a_line_ended_by_cr_alone_among_lf_lines_ends_there(cli, mini_config, tmp_path):
    """One line saved by another editor (CR alone) among LF lines: the header on it is
    found, as Excel and pyarrow split there too; a title line so ended as well (GBK)."""
    path = tmp_path / "cr.csv"
    path.write_bytes(
        "日期,活动类型,学校\r2024-10-12,校长论坛,东街小学\n2024-10-13,校长论坛,东街小校\n".encode()
    )
    code, report = cli.json("check", path, *_config(mini_config))
    assert report["summary"]["rows"] == 2
    assert [(i["row"], i["code"]) for i in report["issues"]] == [(3, "unknown-school")]
    path.write_bytes("台账\r日期,活动类型,学校\r\n2024-10-12,校长论坛,东街小学\r\n".encode("gbk"))
    code, report = cli.json("check", path, *_config(mini_config))
    assert (report["summary"]["rows"], report["summary"]["accepted"]) == (1, 1)


def test_rows_appended_in_gbk_to_a_utf8_file_are_one_clear_message(cli, mini_config, tmp_path):
    """A UTF-8 ledger with a row appended by Notepad in GBK: read as GB18030 its UTF-8 rows
    were garbage names failing as unknown schools; it is refused, naming the line."""
    path = tmp_path / "mixed.csv"
    path.write_bytes(
        "日期,活动类型,学校\n2024-10-12,校长论坛,东街小学\n".encode()
        + "2024-10-13,校长论坛,东村中心学校\n".encode("gbk")
    )
    code, out, err = cli("check", path, *_config(mini_config))
    assert code == 2 and "not UTF-8 from line 3" in err, err
    # a GBK file throughout is still GBK
    path.write_bytes("日期,活动类型,学校\n2024-10-12,校长论坛,东街小学\n".encode("gbk"))
    code, report = cli.json("check", path, *_config(mini_config))
    assert report["inputs"][0]["encoding"] == "gb18030" and report["summary"]["accepted"] == 1


def test_rows_above_a_later_fuller_header_are_said_not_dropped(cli, mini_config, tmp_path):
    """A November block (日期, 活动类型, 学校) stacked above a December block with one more
    column: the fuller header further down is the ledger's (its rows keep their columns),
    and the November rows, dropped in silence as title rows, are an error naming them. A
    form-like title row naming the columns, above a real header, is still a title."""
    text = (
        "日期,活动类型,学校\n2024-11-04,校长论坛,东街小校\n2024-11-05,校长论坛,东街小学\n"
        "日期,活动类型,学校,姓名\n2024-12-02,校长论坛,西街小学,甲\n"
    )
    (tmp_path / "two.csv").write_text(text, encoding="utf-8")
    book = Workbook()
    for line in text.splitlines():
        book.active.append(line.split(","))
    book.save(tmp_path / "two.xlsx")
    for name in ("two.csv", "two.xlsx"):
        code, report = cli.json("check", tmp_path / name, *_config(mini_config))
        assert code == 1 and (report["summary"]["rows"], report["summary"]["accepted"]) == (1, 1)
        assert [(i["row"], i["code"], i["severity"]) for i in report["issues"]] == [
            (2, "skipped-rows", "error")
        ], name
        assert (
            "rows 2–3 (2 record(s)) lie above the header on row 4" in report["issues"][0]["message"]
        )
    # records whose dates are no dates are records all the same: said, not dropped
    odd = "台账\n日期,活动类型,学校\n2024年10月,校长论坛,东街小学\n10月12日,校长论坛,东街小学\n,校长论坛,\n"
    (tmp_path / "odd.csv").write_text(odd + text.split("\n", 3)[3], encoding="utf-8")
    code, report = cli.json("check", tmp_path / "odd.csv", *_config(mini_config))
    assert [(i["row"], i["code"]) for i in report["issues"]] == [(3, "skipped-rows")]
    assert "rows 3–5 (3 record(s))" in report["issues"][0]["message"]
    form = (
        "听评课台账\n学校,东街小学,日期,2024年10月,活动,听评课\n填表人：张三,,,,,\n"
        "日期,活动类型,学校,姓名,身份,节数\n2024-10-12,校长论坛,东街小学,李四,名师,2\n"
    )
    (tmp_path / "form.csv").write_text(form, encoding="utf-8")
    code, report = cli.json("check", tmp_path / "form.csv", *_config(mini_config))
    assert report["summary"]["accepted"] == 1 and report["issues"] == []


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_cr_cr_lf_line_ends_are_one_line_end_on_every_path(cli, mini_config, tmp_path, encoding):
    """\\r\\r\\n, as Python's csv module writes on Windows without newline="": one line end,
    the same rows and row numbers in UTF-8 and GBK, and with a ragged row."""
    lines = [
        "台账",
        "日期,活动类型,学校",
        "2024-10-12,校长论坛,东街小校",
        "2024-10-13,校长论坛,东街小学,多",
    ]
    path = tmp_path / "crcr.csv"
    path.write_bytes("\r\r\n".join(lines).encode(encoding) + b"\r\r\n")
    code, report = cli.json("check", path, *_config(mini_config))
    summary = report["summary"]
    assert (summary["rows"], summary["accepted"], summary["blank"]) == (2, 1, 0)
    assert [(i["row"], i["code"]) for i in report["issues"]] == [(3, "unknown-school")]


def test_a_gbk_ledger_whose_names_are_also_utf8_bytes_is_gbk(cli, mini_config, tmp_path):
    """钱雪梅 and 校 in GBK happen to be valid UTF-8 (Latin and Greek letters): not a UTF-8
    file with rows appended in GBK, but a GBK file."""
    path = tmp_path / "g.csv"
    text = "date,person,role,activity,school\n2024-10-12,钱雪梅,校长,principal_forum,东街小学\n"
    path.write_bytes(text.encode("gbk"))
    code, report = cli.json("check", path, *_config(mini_config))
    assert report["inputs"][0]["encoding"] == "gb18030" and report["summary"]["accepted"] == 1
