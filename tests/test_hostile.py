"""Hostile input: a clear message and a defined exit code, bounded time and memory, never a
traceback. Plus a hypothesis property: any bytes in → exit code in {0, 1, 2}, row totals
add up."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jituan.cli import main

HEAD = "日期,活动类型,学校,派出学校,集团,姓名,身份,数量,备注\n"


def _args(mini_config: tuple[Path, Path]) -> list[object]:
    groups, targets = mini_config
    return ["--groups", groups, "--targets", targets, "--as-of", "2025-08-31"]


def _xlsx_by_hand(path: Path, sheet_xml: str) -> Path:
    """A minimal .xlsx whose one worksheet is ``sheet_xml`` (cells with inline strings)."""
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="台账" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"<sheetData>{sheet_xml}</sheetData></worksheet>"
        ),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in parts.items():
            zf.writestr(name, text)
    return path


def _s(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


HEADER_ROW = '<row r="1">' + _s("A1", "日期") + _s("B1", "活动类型") + _s("C1", "学校") + "</row>"


def test_random_bytes(cli, mini_config, tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes(bytes(range(256)) * 40)
    code, out, err = cli("check", path, *_args(mini_config))
    assert code == 2 and out == "" and str(path) in err and "Traceback" not in err


def test_binary_renamed_csv(cli, mini_config, tmp_path):
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + os.urandom(2000))
    code, out, err = cli("check", path, *_args(mini_config))
    assert code == 2 and str(path) in err
    assert "neither a text table nor an Excel workbook" in err or "cannot be decoded" in err


def test_one_line_of_tens_of_megabytes(cli, mini_config, tmp_path):
    path = tmp_path / "line.csv"
    path.write_bytes(b"x," * 15_000_000)  # 30 MB, no line end, no header
    code, out, err = cli("check", path, *_args(mini_config))
    assert code == 2 and "no ledger header" in err
    assert len(err) < 2000  # the message does not echo the line


def test_a_huge_cell_is_shown_cut(cli, mini_config, tmp_path):
    path = tmp_path / "cell.csv"
    path.write_text(HEAD + "2024-10-10,校长论坛," + "南" * 5_000_000 + "\n", encoding="utf-8")
    code, report = cli.json("check", path, *_args(mini_config))
    [issue] = report["issues"]
    assert issue["code"] == "unknown-school" and issue["row"] == 2
    assert len(issue["value"]) == 201 and issue["value"].endswith("…")


def test_formula_text_in_csv_is_never_evaluated(cli, mini_config, tmp_path):
    path = tmp_path / "f.csv"
    path.write_text(
        HEAD + '2024-10-10,校长论坛,"=HYPERLINK(""http://x"",""东街小学"")"\n', encoding="utf-8"
    )
    code, report = cli.json("check", path, *_args(mini_config))
    [issue] = report["issues"]
    assert issue["code"] == "unknown-school"
    assert issue["value"] == '=HYPERLINK("http://x","东街小学")'


def test_formula_cell_gives_its_cached_value(cli, mini_config, tmp_path):
    formula = (
        '<c r="C2" t="str"><f>HYPERLINK("http://example.invalid","东街小学")</f><v>东街小学</v></c>'
    )
    row = '<row r="2">' + _s("A2", "2024-10-10") + _s("B2", "校长论坛") + formula + "</row>"
    no_cache = '<row r="3">' + _s("A3", "2024-10-11") + _s("B3", "校长论坛")
    no_cache += '<c r="C3" t="str"><f>HYPERLINK("http://example.invalid","西街小学")</f></c></row>'
    path = _xlsx_by_hand(tmp_path / "f.xlsx", HEADER_ROW + row + no_cache)
    code, report = cli.json("check", path, *_args(mini_config))
    assert report["summary"]["accepted"] == 1  # C2 is its cached value, 东街小学
    [issue] = report["issues"]  # C3 has no cached value: empty, never evaluated
    assert (issue["row"], issue["code"], issue["column"]) == (3, "missing-value", "school")


def test_ten_thousand_column_header(cli, mini_config, tmp_path):
    cols = [f"列{i}" for i in range(10_000)]
    cols[5000:5003] = ["日期", "活动类型", "学校"]
    row = [""] * 10_000
    row[5000:5003] = ["2024-10-10", "校长论坛", "东街小学"]
    path = tmp_path / "wide.csv"
    path.write_text(",".join(cols) + "\n" + ",".join(row) + "\n", encoding="utf-8")
    code, report = cli.json("check", path, *_args(mini_config))
    assert report["summary"]["accepted"] == 1 and report["issues"] == []


def test_zip_bomb_renamed_xlsx(cli, mini_config, tmp_path, monkeypatch):
    import jituan.xlsx_guard as xlsx_guard

    monkeypatch.setattr(xlsx_guard, "MAX_UNCOMPRESSED", 4 * 2**20)  # so that the bomb is small
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (8 * 2**20))
    assert path.stat().st_size < 100_000
    code, out, err = cli("check", path, *_args(mini_config))
    assert code == 2 and str(path) in err and "zip bomb" in err


def test_zip_directory_that_understates_a_size(cli, mini_config, tmp_path):
    good = _xlsx_by_hand(tmp_path / "g.xlsx", HEADER_ROW)
    data = bytearray(good.read_bytes())
    # shrink the declared uncompressed size of the worksheet in the central directory
    with zipfile.ZipFile(good) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    cd = data.rfind(b"PK\x01\x02" + bytes(20), 0)  # not precise: patch by searching the name
    name = b"xl/worksheets/sheet1.xml"
    at = data.rfind(name)
    header = at - 46  # central directory file header: name starts at offset 46
    assert data[header : header + 4] == b"PK\x01\x02"
    data[header + 24 : header + 28] = (10).to_bytes(4, "little")
    del cd, info
    bad = tmp_path / "lying.xlsx"
    bad.write_bytes(bytes(data))
    code, out, err = cli("check", bad, *_args(mini_config))
    assert code == 2 and str(bad) in err


def test_sheet_spanning_a_huge_area_is_refused(cli, mini_config, tmp_path):
    far = '<row r="1048576">' + _s("XFD1048576", "x") + "</row>"
    path = _xlsx_by_hand(tmp_path / "far.xlsx", HEADER_ROW + far)
    code, out, err = cli("check", path, *_args(mini_config))
    assert code == 2 and "cells" in err


def test_damaged_workbook(cli, mini_config, tmp_path):
    path = tmp_path / "cut.xlsx"
    whole = _xlsx_by_hand(tmp_path / "whole.xlsx", HEADER_ROW).read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    code, out, err = cli("check", path, *_args(mini_config))
    assert code == 2 and str(path) in err and "Traceback" not in err


def test_yaml_given_as_a_ledger(cli, mini_config, tmp_path):
    groups, _ = mini_config
    code, out, err = cli("check", groups, *_args(mini_config))
    assert code == 2 and str(groups) in err and "--groups" in err


def test_empty_file(cli, mini_config, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    code, out, err = cli("check", path, *_args(mini_config))
    assert code == 2 and "empty" in err


def test_markup_like_values_do_not_break_the_table(cli, mini_config, tmp_path):
    path = tmp_path / "m.csv"
    path.write_text(HEAD + "2024-10-10,[bold]校长论坛[/],[/]东街\n", encoding="utf-8")
    code, out, err = cli("check", path, *_args(mini_config))
    assert code == 1 and "Traceback" not in err
    assert "[/]东街" in out  # shown as written, not read as markup


# --------------------------------------------------------------------------- properties

_ROWS = st.lists(
    st.lists(
        st.sampled_from(
            [
                "",
                "2024-10-10",
                "45577",
                "校长论坛",
                "听评课",
                "东街小学",
                "东小",
                "西街小学",
                "２",
                "-1",
                "x",
                '"',
                ",",
                "\n",
                "教师轮岗交流",
                "教研员",
                "东区教育集团",
            ]
        ),
        max_size=10,
    ),
    max_size=12,
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    data=st.one_of(st.binary(max_size=2000), _ROWS.map(lambda rows: rows)),
    enc=st.sampled_from(["utf-8", "gbk", "utf-16", "utf-8-sig"]),
)
def test_any_input_gives_a_defined_exit_and_totals_add_up(mini_config, tmp_path, capsys, data, enc):
    if isinstance(data, list):
        lines = [HEAD.strip()] + [",".join(r) for r in data]
        raw = "\n".join(lines).encode(enc, errors="replace")
    else:
        raw = data
    path = tmp_path / "ledger.csv"
    path.write_bytes(raw)
    capsys.readouterr()
    code = main(["check", str(path), *map(str, _args(mini_config)), "--format", "json"])
    out, err = capsys.readouterr()
    assert code in (0, 1, 2)
    assert "Traceback" not in err
    if code in (0, 1):
        report = json.loads(out)
        for i in report["inputs"]:
            assert i["rows"] == i["accepted"] + i["rejected"] + i["blank"]
        summary = report["summary"]
        assert summary["rows"] >= summary["accepted"] + summary["rejected"]
    else:
        assert err.startswith("jituan: error: ") and out == ""


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".xls", ".txt"])
@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=600))
def test_any_bytes_under_any_ledger_name(mini_config, tmp_path, capsys, suffix, data):
    path = tmp_path / f"x{suffix}"
    path.write_bytes(b"PK\x03\x04" + data if suffix == ".xlsx" else data)
    capsys.readouterr()
    code = main(["check", str(path), *map(str, _args(mini_config))])
    _, err = capsys.readouterr()
    assert code in (0, 1, 2) and "Traceback" not in err


def test_a_far_cell_that_only_holds_a_format_is_not_an_area(cli, mini_config, tmp_path):
    """Someone once made AF1048576 bold: the empty element has no value, calamine reads
    the sheet as its two rows, and the workbook is an ordinary one, not a refused bomb."""
    far = '<row r="1048575" s="3" customFormat="1"/><row r="1048576"><c r="AF1048576" s="1"/></row>'
    path = _xlsx_by_hand(tmp_path / "styled.xlsx", HEADER_ROW + far)
    code, out, err = cli("check", path, *_args(mini_config))
    assert code != 2 and "cells" not in err, err


@pytest.mark.parametrize("size", [1, 2, 3, 7, 64, 5000])
def test_area_reads_tags_cut_by_chunk_ends(size: int) -> None:
    from jituan.xlsx_guard import _area

    padding = " x='" + "p" * 6000 + "'"  # a tag longer than what a chunk end carries
    xml = (
        b'<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"/></row>'
        b'<row r="2"><x:c r="C2"><v>1</v></x:c><c r="ZZ9" s="2"/></row>'
        + f'<row r="5"><c{padding} r="D5"{padding}><v>2</v></c></row>'.encode()
        + b"</sheetData>"
    )
    chunks = [xml[i : i + size] for i in range(0, len(xml), size)]
    assert _area(chunks) == 5 * 4  # rows to 5, columns to D: ZZ9 holds only a format


@pytest.mark.parametrize(
    "far",
    [
        # a decoy r inside another attribute's value, the real one after it
        '<row r="2000"><c x=" r=\'A1\'" r="XFD2000"><v>1</v></c></row>',
        # a ">" in a value, so that the tag looks like an empty element "/>"
        '<row r="2000"><c r="XFD2000" foo="/>"><v>1</v></c></row>',
        # white space around "=", and a cell with a namespace prefix
        '<row r="2000"><x:c r = "XFD2000"><v>1</v></x:c></row>',
        # cells without r: 16,384 of them in row 2, then one in row 2000
        '<row r="2">' + "<c><v>1</v></c>" * 16_384 + '</row><row r="2000"><c><v>1</v></c></row>',
        # a reference in lower case, which calamine reads as XFD2000
        '<row r="2000"><c r="xfd2000"><v>1</v></c></row>',
        # no space before r
        '<row r="2000"><c s="0"r="XFD2000"><v>1</v></c></row>',
        # a cell without r takes its row element's row, not the last reference's
        '<row r="2000"><c r="XFD1"><v>1</v></c><c><v>2</v></c></row>',
        # a fake row in a comment does not take the next cell back to row 1
        '<row r="1"><c r="XFD1"><v>1</v></c></row>'
        '<row r="2000"><!--<row r="1"/>--><c><v>2</v></c></row>',
    ],
)
def test_a_far_cell_written_in_a_way_the_scan_might_miss_is_still_refused(
    cli, mini_config, tmp_path, far
):
    """Each of these makes calamine allocate 2,000 × 16,384 cells (32 million)."""
    path = _xlsx_by_hand(tmp_path / "far.xlsx", HEADER_ROW + far)
    code, out, err = cli("check", path, *_args(mini_config))
    assert code == 2 and "30000000 cells" in err, err


def test_a_reference_cut_by_a_chunk_end_in_white_space_is_seen(monkeypatch) -> None:
    """`r` then a run of spaces across the scan's chunk end, then `="XFD2000"`."""
    import io

    import jituan.xlsx_guard as guard

    monkeypatch.setattr(guard, "_CHUNK", 1024)
    sheet = (
        '<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="2000"><c r'
        + " " * 3000
        + '="XFD2000"><v>1</v></c></row></sheetData></worksheet>'
    )
    book = io.BytesIO()
    with zipfile.ZipFile(book, "w") as zf:
        zf.writestr("xl/worksheets/sheet1.xml", sheet)
    book.seek(0)
    with pytest.raises(guard.ReadProblem) as err:
        guard.check_xlsx(book)  # type: ignore[arg-type]
    assert err.value.problem.message == "file-too-many-cells"


@pytest.mark.parametrize("chunk", [7, 64, 1000, 1024])
@pytest.mark.parametrize(
    "far",
    [
        # a ">" inside a value just before a chunk's end, the reference after it
        '<row r="2000"><c s="0" x=">" r="XFD2000"><v>1</v></c></row>',
        # a tag over 4 KB whose r is followed by a long run of white space
        '<row r="2000"><c x="' + "p" * 5000 + '" r' + " " * 200 + '="XFD2000"><v>1</v></c></row>',
    ],
)
def test_far_cells_cut_by_chunk_ends_are_seen(monkeypatch, chunk: int, far: str) -> None:
    import io

    import jituan.xlsx_guard as guard

    monkeypatch.setattr(guard, "_CHUNK", chunk)
    for pad in range(0, chunk, max(chunk // 7, 1)):  # every place of the chunk's end
        sheet = f'<worksheet><sheetData><!--{"x" * pad}--><row r="1"><c r="A1"><v>1</v></c></row>'
        book = io.BytesIO()
        with zipfile.ZipFile(book, "w") as zf:
            zf.writestr("xl/worksheets/sheet1.xml", sheet + far + "</sheetData></worksheet>")
        book.seek(0)
        with pytest.raises(guard.ReadProblem) as err:
            guard.check_xlsx(book)  # type: ignore[arg-type]
        assert err.value.problem.message == "file-too-many-cells", pad


def test_a_wide_ledger_with_a_far_formatted_cell_is_read(cli, mini_config, tmp_path):
    """29 columns of data, and AF1048576 made bold: the far cell holds no value."""
    head = "".join(_s(f"{chr(68 + i)}1", f"x{i}") for i in range(23))  # D1 … Z1
    head += "".join(_s(f"A{chr(65 + i)}1", f"y{i}") for i in range(3))  # AA1 … AC1
    header = HEADER_ROW.replace("</row>", head + "</row>")
    row = '<row r="2">' + _s("A2", "2024-10-10") + _s("B2", "校长论坛") + _s("C2", "东街小学")
    far = '<row r="1048576" spans="32:32"><c r="AF1048576" s="1"/></row>'
    path = _xlsx_by_hand(tmp_path / "wide.xlsx", header + row + "</row>" + far)
    code, report = cli.json("check", path, *_args(mini_config), "--format", "json")
    assert [(i["rows"], i["accepted"]) for i in report["inputs"]] == [(1, 1)]


def test_a_gbk_file_name_is_shown_as_chinese_in_every_report(cli, mini_config, tmp_path):
    """A zip made on Chinese Windows, unpacked on Linux, keeps GBK file names: reports are
    UTF-8, so the name is read as GB18030 instead of crashing the writer."""
    folder = tmp_path / "收到"
    folder.mkdir()
    raw = os.fsencode(folder) + b"/" + "南关台账.csv".encode("gbk")
    try:
        fd = os.open(raw, os.O_WRONLY | os.O_CREAT, 0o644)
    except OSError:  # pragma: no cover - a file system that refuses such names
        pytest.skip("the file system refuses non-UTF-8 names")
    os.write(fd, (HEAD + "2024-13-45,校长论坛,东街小学,,,,,,\n").encode("utf-8"))
    os.close(fd)
    out = tmp_path / "report.json"
    code, _, err = cli("check", folder, *_args(mini_config), "--format", "json", "--output", out)
    assert code == 1, err
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["inputs"][0]["file"] == f"{folder}/南关台账.csv"
    assert [(i["file"], i["row"], i["code"]) for i in report["issues"]] == [
        (f"{folder}/南关台账.csv", 2, "bad-date")
    ]
    code, _, err = cli("audit", folder, *_args(mini_config), "--out", tmp_path / "audit")
    assert code == 1, err
    assert "南关台账.csv" in (tmp_path / "audit" / "report.md").read_text(encoding="utf-8")


def test_a_path_the_system_refuses_to_look_at_is_a_clear_message(cli, mini_config, tmp_path):
    """A name too long for the file system (errno 36) ends with its reason and exit 2."""
    long = tmp_path / ("x" * 300)
    ledger = tmp_path / "a.csv"
    ledger.write_text(HEAD + "2024-10-10,校长论坛,东街小学,,,,,,\n", encoding="utf-8")
    for args in (
        ["check", f"{long}.csv"],
        ["check", long],
        ["score", f"{long}.csv"],
        ["score", ledger, "--quality", f"{long}.csv"],
        ["audit", ledger, "--out", long],
        ["audit", ledger, "--out", long, "--final"],
    ):
        code, out, err = cli(*args, *_args(mini_config))
        assert code == 2, (args, err)
        assert "Traceback" not in err and "too long" in err, (args, err)


def test_a_folder_that_cannot_be_listed_is_reported(cli, mini_config, tmp_path, monkeypatch):
    """Its ledgers would be missing without a word: the folder is an unreadable input,
    with why, beside the report of the rest."""
    (tmp_path / "data" / "locked").mkdir(parents=True)
    ledger = tmp_path / "data" / "a.csv"
    ledger.write_text(HEAD + "2024-10-10,校长论坛,东街小学,,,,,,\n", encoding="utf-8")
    real = os.scandir

    def scandir(path):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    code, report = cli.json("check", tmp_path / "data", *_args(mini_config))
    assert code == 2  # as for an unreadable file: rows may be missing
    assert report["summary"]["accepted"] == 1
    assert [(i["file"], i["code"], i["severity"]) for i in report["issues"]] == [
        (str(tmp_path / "data" / "locked"), "unreadable", "error")
    ]
    assert "Permission denied" in report["issues"][0]["message"]
    code, out, err = cli("check", tmp_path / "data" / "locked", *_args(mini_config))
    assert code == 2 and "Permission denied" in err, err


@pytest.mark.parametrize("size", [512, 2048, 4096, 5120])
def test_a_truncated_xls_is_a_damaged_workbook(cli, mini_config, tmp_path, size):
    """calamine panics in its Rust code on some truncations (a BaseException, which
    ``except Exception`` missed): the file is damaged, the run exits 2 with why."""
    book = Path(__file__).parent / "fixtures" / "inputs" / "book.xls"
    path = tmp_path / "cut.xls"
    path.write_bytes(book.read_bytes()[:size])
    code, out, err = cli("check", path, *_args(mini_config))
    assert code == 2, err
    assert "Traceback" not in err and "damaged" in err, err


def test_an_xlsx_whose_compressed_part_is_damaged_is_a_damaged_workbook(cli, mini_config, tmp_path):
    """Bytes flipped inside a worksheet's deflated data: zlib's error was a traceback."""
    good = _xlsx_by_hand(tmp_path / "good.xlsx", HEADER_ROW)
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    name_len, extra_len = (
        int.from_bytes(data[info.header_offset + 26 : info.header_offset + 28], "little"),
        int.from_bytes(data[info.header_offset + 28 : info.header_offset + 30], "little"),
    )
    start = info.header_offset + 30 + name_len + extra_len
    data[start : start + 4] = b"\xff" * 4
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(bytes(data))
    code, out, err = cli("check", path, *_args(mini_config))
    assert code == 2, err
    assert "Traceback" not in err and "damaged" in err, err


def test_a_zip_of_too_many_entries_is_refused_for_that(cli, mini_config, tmp_path, monkeypatch):
    """Not as 'expands to more than 512 MB' (it expands to a few bytes)."""
    import jituan.xlsx_guard as guard

    monkeypatch.setattr(guard, "MAX_ZIP_ENTRIES", 50)
    path = tmp_path / "many.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        for i in range(51):
            zf.writestr(f"x{i}.xml", "<a/>")
    code, out, err = cli("check", path, *_args(mini_config))
    assert code == 2 and "holds 51 zip entries, more than 50" in err, err


def test_a_control_character_in_a_cell_is_escaped_not_echoed(cli, mini_config, tmp_path):
    """A submission holding ESC [31m in a school cell: the row is an unknown school whose
    value is written \\x1b[31m…, so no terminal or CI log is coloured or cleared by it;
    one such character in a small ledger does not make it binary."""
    path = tmp_path / "esc.csv"
    path.write_text(
        HEAD.split("\n")[0] + "\n2024-10-12,校长论坛,\x1b[2J红色学校,,,,,,\n", encoding="utf-8"
    )
    code, out, err = cli("check", path, *_args(mini_config))
    assert code == 1 and "\x1b" not in out + err
    assert "\\x1b[2J红色学校" in out
    code, report = cli.json("check", path, *_args(mini_config))
    assert [(i["code"], i["value"]) for i in report["issues"]] == [
        ("unknown-school", "\\x1b[2J红色学校")
    ]


def test_a_gbk_named_exemptions_file_is_named_in_chinese(cli, mini_config, tmp_path, monkeypatch):
    """Its warnings name it: the JSON (written to a file) and the audit must not crash."""
    monkeypatch.chdir(tmp_path)
    ledger = tmp_path / "a.csv"
    ledger.write_text(HEAD + "2024-10-10,校长论坛,东街小学,,,,,,\n", encoding="utf-8")
    entry = (
        "exemptions:\n  - target: forum\n    subject: 西区教育集团\n    periods: [2024-2025-1]\n"
        "    reason: 迟建\n    approved_by: 局\n    expires: 2024-12-31\n"
    )
    raw = "豁免.yaml".encode("gbk")
    try:
        fd = os.open(raw, os.O_WRONLY | os.O_CREAT, 0o644)
    except OSError:  # pragma: no cover - a file system that refuses such names
        pytest.skip("the file system refuses non-UTF-8 names")
    os.write(fd, entry.encode("utf-8"))
    os.close(fd)
    name = os.fsdecode(raw)
    args = [ledger, *_args(mini_config), "--exemptions", name]
    code, _, err = cli("check", *args, "--format", "json", "--output", "o.json")
    assert code == 1, err
    report = json.loads((tmp_path / "o.json").read_text(encoding="utf-8"))
    assert [(i["file"], i["code"]) for i in report["issues"]] == [
        ("豁免.yaml", "exemption-expired")
    ]
    code, _, err = cli("audit", *args, "--out", "out")
    assert code == 1 and "Traceback" not in err, err


def test_no_control_character_from_a_submission_reaches_the_terminal(cli, mini_config, tmp_path):
    """ESC in a researcher's name (a result's subject, an integrity flag's message), in a
    file's name and in the quality ledger: written as \\x1b in every output."""
    folder = tmp_path / "d"
    folder.mkdir()
    rows = "".join(f"2024-10-10,听评课,东村中心学校,,,王\x1b[2J某,教研员,{n},\n" for n in (5, 6))
    (folder / "a\x1bc.csv").write_text(
        HEAD + rows + "2024-13-01,听评课,东街小学,,,,,,\n", encoding="utf-8"
    )
    quality = tmp_path / "q.csv"
    quality.write_text("学校,期间,得分\n东街小学\x1b[2J,2024-2025-1,80\n", encoding="utf-8")
    outputs = []
    for args in (
        ["check", folder],
        ["check", folder, "--format", "csv"],
        ["score", folder, "--quality", quality],
        ["explain", "lessons", folder],
    ):
        code, out, err = cli(*args, *_args(mini_config))
        assert code in (0, 1), (args, err)
        outputs.append(out + err)
    assert not any("\x1b" in text for text in outputs)
    assert "王\\x1b[2J某" in outputs[0] and "a\\x1bc.csv" in outputs[0]
    assert "东街小学\\x1b[2J" in outputs[2]


def test_a_line_break_in_a_file_name_starts_no_line_of_its_own(cli, mini_config, tmp_path):
    """A file named a⏎::warning title=x::injected⏎.csv: its name is written with \\n, so
    no line of the table (or of a CI log) is a workflow command the submitter wrote."""
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "a\n::warning title=x::injected\n.csv").write_text(
        HEAD + "2024-13-01,校长论坛,东街小学,,,,,,\n", encoding="utf-8"
    )
    for fmt in ("table", "github", "csv"):
        code, out, err = cli("check", folder, *_args(mini_config), "--format", fmt)
        assert code == 1, err
        lines = (out + err).splitlines()
        assert not any(line.lstrip().startswith("::warning title=x") for line in lines), fmt
    assert "a\\n::warning title=x::injected\\n.csv" in out + err
