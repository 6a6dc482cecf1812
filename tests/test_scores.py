"""Scores and the bundled evaluation (捆绑考核), worked by hand.

Configuration: conftest's MINI_GROUPS (east: 东街 lead, 东村 rural, 东新 urban; west:
西街 lead, 西村 rural) plus a group ``north`` with no rural member (北街 lead, 北新).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from jituan.config import load_config
from jituan.model import Result
from jituan.scores import Score, compliance_scores, rank
from tests.conftest import MINI_GROUPS, MINI_TARGETS, write_ledger

NORTH = """\
  - id: north
    name: 北区教育集团
    type: alliance
    lead: 北街小学
    members:
      - name: 北街小学
      - name: 北新小学
"""
S1 = "2024-2025-1"


def config(tmp_path: Path, weight: str = "null", into: str = "[lead, urban]"):
    groups, targets = tmp_path / "groups.yaml", tmp_path / "targets.yaml"
    groups.write_text(MINI_GROUPS + NORTH, encoding="utf-8")
    targets.write_text(
        MINI_TARGETS + f"bundling:\n  weight: {weight}\n  from: rural\n  into: {into}\n",
        encoding="utf-8",
    )
    return load_config(groups, targets)


def result(subject: str, status: str, period: str = S1, scope: str = "school", **kw) -> Result:
    return Result(
        target=kw.get("target", "visits"),
        title="t",
        source="s",
        severity=kw.get("severity", "error"),
        scope=scope,
        subject=subject,
        group=None,
        period=period,
        period_label=period,
        metric="count",
        required=1,
        actual=0,
        status=status,  # type: ignore[arg-type]
    )


RESULTS = [
    # 东街: pass, fail; unknown, exempt and a warning-level failure are left out → 1/2
    result("东街小学", "pass"),
    result("东街小学", "fail"),
    result("东街小学", "unknown"),
    result("东街小学", "exempt"),
    result("东街小学", "fail", severity="warning"),
    # 东村 (rural): 2/2; 东新: a failure and a running at-risk result → 0/2
    result("东村中心学校", "pass"),
    result("东村中心学校", "pass"),
    result("东新小学", "fail"),
    result("东新小学", "at_risk"),
    # east's own duty: 1/1 → the group pools 1 + 1 + 2 + 0 = 4 of 1 + 2 + 2 + 2 = 7
    result("东区教育集团", "pass", scope="group", target="forum"),
    # a school-year result of 东街: program pools it with the semester's → 2/3
    result("东街小学", "pass", period="2024-2025"),
    # a researcher's and the district's results never count toward a school or group
    result("王老师", "fail", scope="researcher"),
]


def pick(scores: list[Score], subject: str, period: str = S1, kind: str = "compliance") -> Score:
    [found] = [s for s in scores if (s.subject, s.period, s.kind) == (subject, period, kind)]
    return found


def test_compliance_rate_hand_worked(tmp_path: Path) -> None:
    scores = rank(compliance_scores(RESULTS, config(tmp_path)))
    east = pick(scores, "东街小学")
    assert (east.passed, east.evaluated, east.own) == (1, 2, 0.5)
    assert pick(scores, "东村中心学校").own == 1.0
    assert pick(scores, "东新小学").own == 0.0
    group = pick(scores, "东区教育集团")
    assert (group.scope, group.passed, group.evaluated) == ("group", 4, 7)
    assert group.own == pytest.approx(4 / 7)
    program = pick(scores, "东街小学", "program")
    assert (program.passed, program.evaluated) == (2, 3)
    # schools with nothing evaluated have no rate (no row): west's and north's
    assert not [s for s in scores if s.subject in ("西街小学", "北街小学")]
    assert not [s for s in scores if s.subject == "王老师"]


def test_no_weight_bundled_equals_own(tmp_path: Path) -> None:
    scores = rank(compliance_scores(RESULTS, config(tmp_path)))
    for s in scores:
        assert s.bundled == s.own and not s.receives
    # the rural mean is still shown: east's only rural member, 东村
    assert pick(scores, "东街小学").rural_mean == 1.0


def test_bundled_formula_with_a_weight(tmp_path: Path) -> None:
    scores = rank(compliance_scores(RESULTS, config(tmp_path, weight="0.5")))
    lead, urban, rural = (pick(scores, n) for n in ("东街小学", "东新小学", "东村中心学校"))
    assert lead.bundled == pytest.approx(0.5 * 0.5 + 0.5 * 1.0)  # 0.75
    assert urban.bundled == pytest.approx(0.5 * 0.0 + 0.5 * 1.0)  # 0.5
    assert rural.bundled == 1.0 and not rural.receives  # rural schools receive nothing
    assert [rural.rank, lead.rank, urban.rank] == [1, 2, 3]
    program = pick(scores, "东街小学", "program")
    assert program.bundled == pytest.approx(0.5 * 2 / 3 + 0.5 * 1.0)
    group = pick(scores, "东区教育集团")
    assert group.bundled == group.own  # groups receive nothing


def test_into_lead_only(tmp_path: Path) -> None:
    scores = rank(compliance_scores(RESULTS, config(tmp_path, weight="0.5", into="[lead]")))
    assert pick(scores, "东街小学").bundled == pytest.approx(0.75)
    assert pick(scores, "东新小学").bundled == 0.0


def test_rank_ties_share_a_rank() -> None:
    def s(subject: str, bundled: float | None, scope: str = "school", period: str = S1) -> Score:
        return Score("quality", subject, scope, None, period, bundled, None, bundled)  # type: ignore[arg-type]

    scores = rank(
        [
            s("a", 5),
            s("b", 7),
            s("c", 7),
            s("d", 3),
            s("e", None),
            s("f", 0.1 + 0.2),  # float noise does not break a tie
            s("g", 0.3),
            s("G", 9, scope="group"),  # groups rank among groups
            s("h", 1, period="program"),  # each period apart
        ]
    )
    assert [x.rank for x in scores] == [3, 1, 1, 4, None, 5, 5, 1, 1]


QUALITY = [
    ["学校", "期间", "得分"],
    ["东街小学", S1, "90"],
    ["东村中心学校", S1, "70"],
    ["东新小学", "2024-2025学年第一学期", "80"],  # a period label works too
    ["西街小学", S1, "85"],
    ["西村中心学校", S1, "60"],
    ["北街小学", S1, "88"],
    ["北新小学", S1, "80"],
    ["", "", ""],  # blank
    ["东街小校", S1, "91"],  # unknown school, with a suggestion
    ["西街小学", S1, "优"],  # bad score
    ["西街小学", "2024-2025-3", "85"],  # bad period
    ["东村中心学校", S1, "70"],  # duplicate: taken once, warning
    ["东新小学", S1, "81"],  # conflicting: not taken, error
    ["北新小学", S1, ""],  # missing value
]


#: The issues of QUALITY under its title line: (row, code, severity).
_QUALITY_ISSUES = [
    (11, "unknown-school", "error"),
    (12, "bad-score", "error"),
    (13, "bad-period", "error"),
    (14, "duplicate", "warning"),
    (15, "conflicting-score", "error"),
    (16, "missing-value", "error"),
]


@pytest.fixture
def score_setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.chdir(tmp_path)
    config(tmp_path, weight="0.2")
    with open("quality.csv", "w", encoding="gb18030", newline="") as fh:  # Excel's CSV
        fh.write("\n".join(",".join(r) for r in [["质量评价结果"], *QUALITY]) + "\n")
    write_ledger(
        Path("ledger.csv"), [dict(date="2024-10-10", activity="校长论坛", school="东街小学")]
    )
    return ["ledger.csv", "--groups", "groups.yaml", "--targets", "targets.yaml",
            "--as-of", "2025-08-31", "--quality", "quality.csv"]  # fmt: skip


def test_score_command_quality_hand_worked(cli, score_setup) -> None:
    code, data = cli.json("score", *score_setup)
    assert code == 0
    quality = {(s["subject"], s["period"]): s for s in data["scores"] if s["kind"] == "quality"}
    assert set(data["scores"][0]) == {
        "kind", "subject", "scope", "group", "period", "own", "rural_mean", "bundled", "rank"
    }  # fmt: skip
    expected = {  # subject: (own, rural mean, bundled, rank) with weight 0.2
        "东街小学": (90, 70, 86, 2),  # 0.8 × 90 + 0.2 × 70
        "东新小学": (80, 70, 78, 5),  # 0.8 × 80 + 0.2 × 70
        "东村中心学校": (70, 70, 70, 6),
        "西街小学": (85, 60, 80, 3),  # 0.8 × 85 + 0.2 × 60
        "西村中心学校": (60, 60, 60, 7),
        "北街小学": (88, None, 88, 1),  # no rural member: no rural mean, bundled = own
        "北新小学": (80, None, 80, 3),  # ties with 西街: 3, 3, then 5
    }
    for subject, (own, mean, bundled, rank_) in expected.items():
        s = quality[(subject, S1)]
        assert (s["own"], s["rural_mean"], s["bundled"], s["rank"]) == (own, mean, bundled, rank_)
        assert quality[(subject, "program")]["own"] == own
    groups = {k[0]: v for k, v in quality.items() if v["scope"] == "group" and k[1] == S1}
    assert {g: (v["own"], v["rank"]) for g, v in groups.items()} == {
        "东区教育集团": (80, 2),
        "西区教育集团": (72.5, 3),
        "北区教育集团": (84, 1),
    }
    assert groups["东区教育集团"]["bundled"] == 80
    issues = [(i["row"], i["code"], i["severity"]) for i in data["issues"]]
    assert issues == _QUALITY_ISSUES
    assert data["issues"][0]["suggestion"] == "东街小学"
    [quality_input] = [i for i in data["inputs"] if i["file"] == "quality.csv"]
    assert quality_input == {
        "file": "quality.csv", "sheet": None, "rows": 14, "accepted": 7, "rejected": 6,
        "blank": 1, "encoding": "gb18030",
    }  # fmt: skip
    assert data["bundling"]["weight"] == 0.2 and data["bundling"]["configured"] is True
    assert data["bundling"]["groups_without_rural_member"] == ["北区教育集团"]


def test_quality_messages_name_the_column_by_its_chinese_header(cli, score_setup) -> None:
    _, data = cli.json("score", *score_setup, "--lang", "zh")
    [missing] = [i for i in data["issues"] if i["code"] == "missing-value"]
    assert missing["column"] in ("school", "period", "score")
    assert (
        missing["message"]
        == f"必填列“{dict(school='学校', period='期间', score='得分')[missing['column']]}”为空"
    )


def test_score_quality_from_a_workbook_equals_the_csv(cli, score_setup) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "质量"
    for row in [["质量评价结果"], *QUALITY]:  # scores as numbers where they are numbers
        book.active.append([int(c) if c.isdigit() else (c or None) for c in row])
    book.create_sheet("空表")
    book.save("quality.xlsx")
    _, from_csv = cli.json("score", *score_setup)
    code, from_book = cli.json("score", *score_setup[:-1], "quality.xlsx")
    assert code == 0
    assert from_book["scores"] == from_csv["scores"]
    issues = [(i["sheet"], i["row"], i["code"]) for i in from_book["issues"]]
    assert issues == [("质量", r, c) for r, c, _ in _QUALITY_ISSUES]
    [quality_input] = [i for i in from_book["inputs"] if i["file"] == "quality.xlsx"]
    assert (quality_input["sheet"], quality_input["accepted"], quality_input["rejected"]) == (
        "质量",
        7,
        6,
    )


def test_score_without_weight_says_so(cli, score_setup) -> None:
    Path("targets.yaml").write_text(MINI_TARGETS, encoding="utf-8")  # no bundling: section
    code, out, _ = cli("score", *score_setup)
    assert code == 0
    assert "No bundling weight is configured" in out
    code, data = cli.json("score", *score_setup)
    assert data["bundling"]["configured"] is False
    assert all(s["bundled"] == s["own"] for s in data["scores"])
    _, _, err = cli("score", *score_setup, "--format", "csv")
    assert "No bundling weight is configured" in err
    no_weight, no_rural = data["notes"][:2]
    assert no_weight.startswith("No bundling weight is configured")
    assert no_weight.endswith("bundled = (1 − weight) × own + weight × the group's rural mean")
    assert no_rural == "groups with no rural member: 北区教育集团 (no rural mean; bundled = own)"


@pytest.mark.parametrize("fmt", ["table", "csv", "html"])
def test_score_formats_show_the_formula_or_the_figures(cli, score_setup, fmt: str) -> None:
    code, out, err = cli("score", *score_setup, "--format", fmt)
    assert code == 0, err
    if fmt == "csv":
        assert out.startswith("\ufeffkind,subject,scope,group,period,own,rural_mean,bundled,rank")
        assert "quality,东街小学,school,东区教育集团,2024-2025-1,90,70,86,2" in out
        # the CSV holds figures only; the formula, the notes and the quality file's
        # problems are said on stderr
        assert "(1 − 0.2) × own + 0.2 ×" in err and "北区教育集团" in err
        assert "quality.csv:11: " in err and "quality.csv:16: " in err
    else:
        assert "0.8 × own" not in out  # the weight is shown as configured: (1 − 0.2)
        assert "(1 − 0.2) × own + 0.2 ×" in out or "(1 − 0.2) ×" in out
        assert "北区教育集团" in out


def test_score_cannot_run_exits_2(cli, score_setup) -> None:
    code, _, err = cli("score", "ledger.csv", "--quality", "missing.csv")
    assert code == 2 and "missing.csv" in err
    Path("bad.csv").write_text("名称,分值\n东街小学,90\n", encoding="utf-8")
    code, _, err = cli("score", *score_setup[:-1], "bad.csv")
    assert code == 2 and "学校/school" in err and "Traceback" not in err
    Path("partial.csv").write_text("学校,得分\n东街小学,90\n", encoding="utf-8")
    code, _, err = cli("score", *score_setup[:-1], "partial.csv")
    assert code == 2 and "missing column(s) period" in err


def test_score_as_of_in_json(cli, score_setup) -> None:
    _, data = cli.json("score", *score_setup)
    assert data["as_of"] == "2025-08-31"
    assert json.dumps(data)  # serialisable
    assert dt.date.fromisoformat(data["as_of"])


def test_a_rural_lead_school_receives_nothing(tmp_path: Path) -> None:
    """A rural lead school's own score is part of the rural mean: it is not bundled with it
    (it was: 丙乡 got 0.8 × 1 + 0.2 × 0.5 = 0.9), as no rural school is."""
    groups, targets = tmp_path / "groups.yaml", tmp_path / "targets.yaml"
    groups.write_text(
        MINI_GROUPS.replace("    lead: 东街小学", "    lead: 东村中心学校"), encoding="utf-8"
    )
    targets.write_text(
        MINI_TARGETS + "bundling:\n  weight: 0.2\n  from: rural\n  into: [lead, urban]\n",
        encoding="utf-8",
    )
    scores = rank(compliance_scores(RESULTS, load_config(groups, targets)))
    rural_lead = pick(scores, "东村中心学校")
    assert (rural_lead.own, rural_lead.bundled, rural_lead.receives) == (1.0, 1.0, False)
    urban = pick(scores, "东新小学")  # still receives: 0.8 × 0 + 0.2 × 1 (东村's own)
    assert urban.receives and urban.bundled == pytest.approx(0.2)


def test_quality_header_naming_a_column_twice_is_a_warning(cli, score_setup) -> None:
    """学校 and 学校名称 are one column: only the first is read, and a warning on the header
    row says so, as for an activity ledger."""
    Path("quality.csv").write_text(
        "学校,学校名称,期间,得分\n东街小学,西街小学,2024-2025-1,90\n", encoding="utf-8"
    )
    code, data = cli.json("score", *score_setup, "--lang", "en")
    assert code == 0
    [issue] = data["issues"]
    assert (issue["row"], issue["code"], issue["severity"], issue["value"]) == (
        1,
        "duplicate-column",
        "warning",
        "学校名称",
    )
    quality = {
        (s["subject"], s["period"]): s["own"] for s in data["scores"] if s["kind"] == "quality"
    }
    assert quality[("东街小学", S1)] == 90  # the first 学校 column is read


def test_a_weight_received_by_nobody_says_so(cli, score_setup) -> None:
    text = Path("targets.yaml").read_text(encoding="utf-8")
    Path("targets.yaml").write_text(
        text.replace("into: [lead, urban]", "into: []"), encoding="utf-8"
    )
    code, data = cli.json("score", *score_setup, "--lang", "en")
    assert code == 0
    assert "received by: nobody (into is empty)" in data["notes"][0]
    assert all(s["bundled"] == s["own"] for s in data["scores"])


def test_score_says_what_the_activity_ledgers_left_out(cli, score_setup) -> None:
    """Two rows check rejects (an unknown school, a bad date) count toward no score: the
    notes say so in every format, and the JSON issues carry them as check reports them."""
    with open(score_setup[0], "a", encoding="utf-8", newline="") as fh:
        fh.write("2024-10-12,校长论坛,东街小学校,,,,,,\n2024-13-01,校长论坛,东街小学,,,,,,\n")
    code, out, _ = cli("score", *score_setup, "--lang", "en")
    assert code == 0
    assert "rows accepted, 2 rejected; 2 row issue(s) (2 error(s))" in out
    code, out, _ = cli("score", *score_setup, "--format", "json")
    codes = [(i["code"], i["row"]) for i in json.loads(out)["issues"]]
    assert ("unknown-school", codes[0][1]) == codes[0] and codes[1][0] == "bad-date"
    assert codes[1][1] == codes[0][1] + 1


def test_a_score_is_a_number_from_0_to_a_million() -> None:
    """1e308 was taken, and two of them made a group's mean infinite: JSON with Infinity."""
    from jituan.quality import _score

    assert [_score(v) for v in ("0", "86.5", "1000000", "1e6")] == [0, 86.5, 1e6, 1e6]
    assert [_score(v) for v in ("1e308", "1000000.5", "inf", "nan", "-1", "优")] == [None] * 6


def test_figures_round_half_up_as_people_do() -> None:
    """四舍五入: 77.625 is 77.63 (an f-string gave 77.62, the float's binary value rounded
    to even), 0.12345 of compliance is 12.3%, a change of -0.125 is -0.13."""
    from jituan.report.common import fixed, percent, two_decimals

    assert [two_decimals(v) for v in (77.625, 80.0, 86.5, 0.005)] == ["77.63", "80", "86.5", "0.01"]
    assert [percent(v) for v in (0.12345, 0.75, 0.00049)] == ["12.3%", "75.0%", "0.0%"]
    assert fixed(-0.125, 2) == "-0.13" and fixed(2.675, 2) == "2.68"


def test_a_quality_ledger_with_cr_cr_lf_line_ends_has_its_rows_where_they_are(
    cli, score_setup
) -> None:
    """\\r\\r\\n is one line end in the quality ledger too: 2 rows, the bad score on row 3."""
    Path("q2.csv").write_bytes(
        "学校,期间,得分\r\r\n东街小学,2024-2025-1,90\r\r\n西街小学,2024-2025-1,优\r\r\n".encode()
    )
    args = [*score_setup[:-1], "q2.csv", "--format", "json"]
    code, out, _ = cli("score", *args)
    report = json.loads(out)
    [quality] = [i for i in report["inputs"] if i["file"] == "q2.csv"]
    assert (quality["rows"], quality["blank"]) == (2, 0)
    assert [(i["row"], i["code"]) for i in report["issues"] if i["file"] == "q2.csv"] == [
        (3, "bad-score")
    ]
