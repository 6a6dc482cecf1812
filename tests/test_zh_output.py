"""Chinese and English output: every word of the tool follows the command's language.

The command's language is ``--lang`` when given, else the locale (conftest's ``cli``
runs under an English locale). Names from the data are never translated; the machine
fields of JSON (``column``, ``line``) stay as they are.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from jituan.config import load_config
from jituan.exemptions import load_exemptions
from tests.conftest import MINI_GROUPS, MINI_TARGETS, write_ledger

AS_OF = "2025-08-31"
XSD = Path(__file__).parent / "junit-10.xsd"
LINE_N = re.compile(r"\bline \d")  # "line 2", not a temporary folder's name

EXEMPTION = """\
exemptions:
  - target: {target}
    subject: 西区教育集团
    periods: [{periods}]
    reason: 集团组建较晚
    approved_by: 区教育局发展中心
    expires: 2025-08-31
"""


@pytest.fixture
def args(mini_config, tmp_path: Path) -> list[object]:
    """check's arguments over a ledger with one forum on National Day and a row without a date."""
    g, t = mini_config
    rows = [
        dict(date="2024-10-01", activity="校长论坛", school="东街小学"),
        dict(date="", activity="校长论坛", school="东街小学"),
    ]
    ledger = write_ledger(tmp_path / "ledger.csv", rows)
    return [ledger, "--groups", g, "--targets", t, "--as-of", AS_OF]


def exemptions(tmp_path: Path, target: str = "forum", periods: str = "2024-2025-1") -> Path:
    path = tmp_path / "ex.yaml"
    path.write_text(EXEMPTION.format(target=target, periods=periods), encoding="utf-8")
    return path


def zh_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")


# ------------------------------------------------------------------ 1. the error prefix


def test_error_prefix_follows_lang_zh_in_an_english_locale(cli, args, tmp_path) -> None:
    ex = exemptions(tmp_path, target="nope")
    code, _, err = cli("check", *args, "--lang", "zh", "--exemptions", ex)
    assert code == 2
    assert err.startswith("jituan: 错误: 配置无效"), err
    code, _, err = cli("check", *args, "--lang=zh", "--exemptions", ex)
    assert err.startswith("jituan: 错误: 配置无效"), err


def test_error_prefix_follows_lang_en_in_a_chinese_locale(cli, args, tmp_path, monkeypatch) -> None:
    zh_locale(monkeypatch)
    ex = exemptions(tmp_path, target="nope")
    code, _, err = cli("check", *args, "--lang", "en", "--exemptions", ex)
    assert code == 2
    assert err.startswith("jituan: error: invalid configuration"), err
    code, _, err = cli("check", *args, "--exemptions", ex)  # no --lang: the locale
    assert err.startswith("jituan: 错误: 配置无效"), err


def test_error_prefix_of_an_error_outside_check_follows_lang(cli, tmp_path) -> None:
    code, _, err = cli("score", tmp_path / "nope.csv", "--lang", "zh")
    assert code == 2
    assert err.startswith("jituan: 错误: "), err


# ------------------------------------------------------------------ 2. --as-of


@pytest.mark.parametrize("command", ["check", "score", "explain"])
def test_bad_as_of_is_said_in_chinese(cli, args, monkeypatch, command) -> None:
    for how in (["--lang", "zh"], []):
        if not how:
            zh_locale(monkeypatch)
        first = ["forum"] if command == "explain" else []
        code, out, err = cli(command, *first, *args, "--as-of", "2025-13-01", *how)
        assert code == 2
        assert "应为 YYYY-MM-DD 格式的日期" in err and "2025-13-01" in err, err
        assert "Invalid value" not in out + err and "expected a date" not in err


def test_bad_as_of_stays_english_in_english(cli, args, monkeypatch) -> None:
    zh_locale(monkeypatch)
    code, _, err = cli("check", *args, "--as-of", "2025-13-01", "--lang", "en")
    assert code == 2
    assert "expected a date as YYYY-MM-DD, got '2025-13-01'" in err


# ------------------------------------------------------------------ 3. "line N"


def test_exemption_error_line_is_chinese(cli, args, tmp_path) -> None:
    ex = exemptions(tmp_path, target="nope")
    _, _, err = cli("check", *args, "--lang", "zh", "--exemptions", ex)
    assert "ex.yaml: 第 2 行: exemptions.0.target: 未知的目标" in err, err
    assert not LINE_N.search(err)
    _, _, err = cli("check", *args, "--lang", "en", "--exemptions", ex)
    assert "ex.yaml: line 2: exemptions.0.target: unknown target" in err, err


def test_configuration_and_yaml_error_lines_are_chinese(cli, args, mini_config) -> None:
    g, t = mini_config
    t.write_text(MINI_TARGETS.replace("scope: group\n", "scope: grp\n", 1), encoding="utf-8")
    _, _, err = cli("check", *args, "--lang", "zh")
    assert ": 第 21 行: targets.0.scope: " in err and not LINE_N.search(err), err
    g.write_text(MINI_GROUPS + "district: 又一个\n", encoding="utf-8")  # a key twice
    _, _, err = cli("check", *args, "--lang", "zh")
    assert ": 第 " in err and "不是有效的 YAML：键“district”在同一个映射中出现了两次" in err, err
    assert not LINE_N.search(err) and "appears twice" not in err
    _, _, err = cli("check", *args, "--lang", "en")
    assert ": line " in err and "key 'district' appears twice in one mapping" in err, err


def test_validate_json_findings_keep_their_fields(cli, mini_config) -> None:
    g, t = mini_config
    t.write_text(MINI_TARGETS.replace("scope: group\n", "scope: grp\n", 1), encoding="utf-8")
    _, data = cli.json("validate", "--groups", g, "--targets", t, "--lang", "zh")
    finding = data["findings"][0]
    assert set(finding) == {"file", "line", "key", "severity", "message", "code"}
    assert finding["line"] == 21 and finding["severity"] == "error"


# ------------------------------------------------------------------ 4. periods: [2025]


def test_a_calendar_year_written_as_a_number_is_a_period_id(cli, args, tmp_path) -> None:
    ex = exemptions(tmp_path, periods="2025")
    config = load_config(args[2], args[4])
    assert load_exemptions(ex, config, "zh").entries[0].periods == ["2025"]
    code, data = cli.json("check", *args, "--lang", "zh", "--exemptions", ex)
    assert code != 2, data
    assert "exemption-unused" in {i["code"] for i in data["issues"]}  # read, matched nothing
    ex = exemptions(tmp_path, periods="2024-2025-1, 2025")
    assert cli("check", *args, "--exemptions", ex)[0] != 2


def test_pydantic_messages_of_an_exemptions_file_are_chinese(cli, args, tmp_path) -> None:
    ex = tmp_path / "ex.yaml"
    ex.write_text(
        "exemptions:\n  - target: forum\n    subject: 1\n    periods: 2025\n"
        "    reason: x\n    expires: soon\n    extra: 1\n",
        encoding="utf-8",
    )
    _, _, err = cli("check", *args, "--lang", "zh", "--exemptions", ex)
    assert "exemptions.0.subject: 取值无效：应为文本（现为 1）" in err, err
    assert "exemptions.0.periods: 取值无效：应为列表" in err
    assert "缺少必填键 approved_by" in err
    assert "exemptions.0.expires: 取值无效：应为日期" in err
    assert "未知的键 extra" in err
    assert "Input should" not in err
    _, _, err = cli("check", *args, "--lang", "en", "--exemptions", ex)
    assert "Input should be a valid string (got 1)" in err


def test_pydantic_choice_message_of_the_configuration_is_chinese(cli, args, mini_config) -> None:
    _, t = mini_config
    t.write_text(MINI_TARGETS.replace("scope: group\n", "scope: grp\n", 1), encoding="utf-8")
    _, _, err = cli("check", *args, "--lang", "zh")
    assert "取值无效：应为 'district'、'group'、'school'、'researcher' 之一（现为 'grp'）" in err


# ------------------------------------------------------------------ 5. holidays


def test_holiday_is_named_in_the_language(cli, args) -> None:
    _, data = cli.json("check", *args, "--lang", "zh")
    (holiday,) = [i for i in data["issues"] if i["code"] == "holiday"]
    assert holiday["message"] == "2024-10-01 是法定节假日（国庆节）"
    _, data = cli.json("check", *args, "--lang", "en")
    (holiday,) = [i for i in data["issues"] if i["code"] == "holiday"]
    assert holiday["message"] == "2024-10-01 is a public holiday (National Day)"


# ------------------------------------------------------------------ 6. JUnit


def test_junit_ledger_suite_is_chinese(cli, args) -> None:
    _, out, _ = cli("check", *args, "--lang", "zh", "--format", "junit")
    root = ET.fromstring(out.encode("utf-8"))
    suite = next(s for s in root.iter("testsuite") if s.get("name") == "jituan.ledger")
    rows = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert rows["rows:" + str(args[0])] == "2 行：计入 1，未计入 1，空行 0"
    texts = [e.text or "" for e in suite.iter() if e.tag in ("failure", "system-out")]
    assert any(text.endswith("\n日期 = 2024-10-01") for text in texts), texts
    assert not any("date = " in text for text in texts)
    xmlschema = pytest.importorskip("xmlschema", reason="pip install -e '.[test]'")
    xmlschema.XMLSchema(str(XSD)).validate(out.encode("utf-8"))


def test_junit_ledger_suite_stays_english(cli, args) -> None:
    _, out, _ = cli("check", *args, "--lang", "en", "--format", "junit")
    assert 'value="2 rows, 1 accepted, 1 rejected, 0 blank"' in out
    assert "\ndate = 2024-10-01" in out


# ------------------------------------------------------------------ 7. column names


def test_missing_value_names_the_chinese_header(cli, args) -> None:
    _, data = cli.json("check", *args, "--lang", "zh")
    (missing,) = [i for i in data["issues"] if i["code"] == "missing-value"]
    assert missing["message"] == "必填列“日期”为空"
    assert missing["column"] == "date"
    _, data = cli.json("check", *args, "--lang", "en")
    (missing,) = [i for i in data["issues"] if i["code"] == "missing-value"]
    assert missing["message"] == "required column 'date' is empty"


def test_missing_rotation_cells_name_their_chinese_headers(cli, mini_config, tmp_path) -> None:
    g, t = mini_config
    row = dict(date="2024-10-10", activity="教师轮岗交流", school="东街小学")
    ledger = write_ledger(tmp_path / "r.csv", [row])
    _, data = cli.json("check", ledger, "--groups", g, "--targets", t, "--lang", "zh")
    messages = {i["column"]: i["message"] for i in data["issues"]}
    assert messages == {
        "from_school": "“派出学校”为空：本行的活动没有哪个目标能在缺少它时计入此行",
        "person": "“姓名”为空：本行的活动没有哪个目标能在缺少它时计入此行",
    }


# ------------------------------------------------------------------ 8. the table's periods


def test_table_shows_period_labels(cli, args) -> None:
    _, out, _ = cli("check", *args, "--lang", "zh")
    failing = out.split("未达标与有风险", 1)[1]
    assert "整个实施期" in failing and "2024-2025学年第一学期" in failing
    assert " program " not in failing and "2024-2025-1 " not in failing
    _, out, _ = cli("check", *args, "--lang", "en")
    failing = out.split("Failing and at risk", 1)[1]
    assert "whole programme" in failing and " program " not in failing


def test_json_keeps_the_machine_fields(cli, args) -> None:
    _, data = cli.json("check", *args, "--lang", "zh")
    assert {r["period"] for r in data["results"]} >= {"program", "2024-2025-1"}


def test_a_missing_configuration_or_exemptions_file_is_said_in_the_language(
    cli, args, tmp_path
) -> None:
    missing = tmp_path / "nope.yaml"
    for option in ("--groups", "--targets", "--exemptions"):
        code, _, err = cli("check", *args, option, missing, "--lang", "zh")
        assert (code, err) == (2, f"jituan: 错误: {missing}: 文件不存在\n")
        code, _, err = cli("check", *args, option, missing, "--lang", "en")
        assert (code, err) == (2, f"jituan: error: {missing}: file not found\n")


def test_a_missing_column_is_named_in_chinese_first(cli, args, tmp_path) -> None:
    """缺少必填列 活动类型/活动（activity）, the found headers joined with 、."""
    bad = tmp_path / "nocol.csv"
    bad.write_text("日期,学校,姓名\n2024-10-10,东街小学,甲\n", encoding="utf-8")
    code, _, err = cli("check", bad, *args[1:], "--lang", "zh")
    assert code == 2
    assert "缺少必填列 活动类型/活动（activity）；找到的列：日期、学校、姓名" in err, err
    _, _, err = cli("check", bad, *args[1:], "--lang", "en")
    assert (
        "missing required column(s) activity (活动类型/活动); columns found: 日期, 学校, 姓名"
        in err
    )


@pytest.mark.parametrize(
    ("text", "zh", "en"),
    [
        ("district: 测试区\ngroups:\n\t- id: a\n", "缩进里有制表符（Tab）：YAML 只能用空格缩进",
         "a tab in the indentation: YAML indents with spaces only"),
        ("district: 测试区\ngroups:\n  - id: a\n    name: x: y\n",
         "这里不能再写“键: 值”：请检查缩进，或给含冒号的值加引号（mapping values are not allowed",
         "mapping values are not allowed"),
    ],
)  # fmt: skip
def test_the_usual_yaml_mistakes_are_said_in_chinese(cli, tmp_path, text, zh, en) -> None:
    """A tab in the indentation, a colon in a value: the parser's English alone told the
    bureau's staff nothing."""
    path = tmp_path / "groups.yaml"
    path.write_text(text, encoding="utf-8")
    code, out, _ = cli("validate", "--groups", path, "--lang", "zh")
    assert code == 2 and zh.replace(" ", "") in "".join(out.split()), out
    _, out, _ = cli("validate", "--groups", path, "--lang", "en")
    assert en in " ".join(out.split()), out


def test_counted_notes_and_headings_use_full_width_brackets(cli, args, monkeypatch) -> None:
    """未配置专任教师数（teachers）, with full-width brackets, in the table's note of unknown
    results; its one reason gets no count of its own (the note's says it)."""
    monkeypatch.setenv("COLUMNS", "200")
    _, out, _ = cli("check", *args, "--lang", "zh")
    [note] = [line for line in out.splitlines() if "无法判定：" in line]
    assert note.strip() == "1 项无法判定：未配置专任教师数（teachers）", out


@pytest.mark.parametrize(
    ("text", "line", "zh"),
    [
        ('district: "测试区\ngroups:\n  - id: a\n    name: b\n', 1, "引号没有闭合"),
        ("district: 测试区\ngroups:\n  - id: a\n    aliases: [x, y\n", 4, "方括号 [ ] 没有闭合"),
    ],
)
def test_an_unclosed_quote_or_bracket_is_named_at_its_line(cli, tmp_path, text, line, zh) -> None:
    """libyaml reports where the file ended; the quote or bracket left open is what the
    editor must find."""
    path = tmp_path / "groups.yaml"
    path.write_text(text, encoding="utf-8")
    code, out, _ = cli("validate", "--groups", path, "--lang", "zh")
    assert code == 2 and f"groups.yaml:{line} " in out and zh in out, out


@pytest.mark.parametrize(
    ("text", "line", "zh"),
    [  # a comma missing inside a list written over lines: the line at fault, not the "["
        ('district: 测试区\nschools: [\n  "甲小学",\n  "乙小学"\n  "丙小学",\n  "丁小学"\n]\n'
         "groups: []\n", 5, "方括号 [ ] 没有闭合，或其中少了逗号"),
        ('district: 测试区\ngroups:\n  - id: a\n    name: "甲\\q集团"\n', 4,
         "双引号内有无法识别的转义"),  # the quote is closed: an escape, not a quote
        ("district: 测试区\ngroups:\n  - id: a\n    type: %close\t#x\n", 4, "不能开头的字符"),
        # a full-width colon typed with a Chinese input method: its own line, and said
        ("district: 测试区\ngroups:\n  - id: a\n    type：close\n    name: b\n", 4,
         "键后用了全角冒号“：”"),
        ("district：测试区\ngroups:\n  - id: a\n", 1, "键后用了全角冒号“：”"),
        ("# 区\ndistrict：测试区  # 区名\n\ngroups:\n  - id: a\n", 2, "键后用了全角冒号“：”"),
        # a full-width colon in a comment, or in an alias, is no key: the mistake below is
        ("district: 测试区\ngroups:\n  - id: a  # 注：甲\n    name: b c: d\n", 4, "这里不能再写"),
        ("district: 测试区\ngroups:\n  - id: a\n    aliases:\n      - 南华：本部\n    name: b c: d\n",
         6, "这里不能再写"),
    ],
)  # fmt: skip
def test_yaml_hints_name_the_right_line_and_mistake(cli, tmp_path, text, line, zh) -> None:
    path = tmp_path / "groups.yaml"
    path.write_text(text, encoding="utf-8")
    code, out, _ = cli("validate", "--groups", path, "--lang", "zh")
    assert code == 2 and f"groups.yaml:{line} " in out and zh in out, out


def test_chinese_punctuation_in_headings_and_figures(cli, args, tmp_path, monkeypatch) -> None:
    """（2024-2025-1） beside a semester's name in score's headings, and no id beside a
    name that shows it; 学年：7（…，…） in the final report's rotation column."""
    monkeypatch.setenv("COLUMNS", "200")
    _, out, _ = cli("score", *args, "--lang", "zh")
    assert "达标率 · 2024-2025学年第一学期（2024-2025-1）" in out
    assert (
        "达标率 · 2024-2025学年\n" in out.replace(" \n", "\n") or "达标率 · 2024-2025学年 " in out
    )
    assert "(2024-2025-1)" not in out and "(program)" not in out
    code, _, err = cli("audit", *args, "--lang", "zh", "--final", "--out", tmp_path / "f")
    markdown = (tmp_path / "f" / "final.md").read_text(encoding="utf-8")
    assert "2024-2025学年：" in markdown and "（" in markdown.split("2024-2025学年：", 1)[1][:12]
