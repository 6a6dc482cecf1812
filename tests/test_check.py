"""`jituan check` end to end on small hand-made ledgers whose answers were worked out by hand.

The tiny configuration (tests/conftest.py): group east (alliance; lead 东街小学 40 teachers,
东村中心学校 rural 20, 东新小学 no headcount; researcher 王老师) and group west (close; lead
西街小学 30, 西村中心学校 rural 10). Calendar 2024-09-01 .. 2025-08-31.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import HEADER, write_ledger

F, L, R, A = "校长论坛", "听评课", "教师轮岗交流", "协议签订"

ROWS = [
    # forum: east S1 and S2 (the second through the alias 东小), west S1 only
    dict(date="2024-10-10", activity=F, school="东街小学"),
    dict(date="2024-10-11", activity=F, school="西街小学"),
    dict(date="2025-03-01", activity=F, school="东小"),
    # visits to 东村 (3 by 名师) and 东新 (1 by 骨干教师, 1 by a plain 教师 that does not count)
    dict(date="2024-10-08", activity=L, school="东村中心学校", person="甲", role="名师"),
    dict(date="2024-10-09", activity=L, school="东村中心学校", person="乙", role="名师"),
    dict(date="2024-10-10", activity=L, school="东村中心学校", person="丙", role="名师"),
    dict(date="2024-11-01", activity="听课", school="东新小学", person="丁", role="骨干教师"),
    dict(date="2024-11-02", activity=L, school="东新小学", person="戊", role="教师"),
    # researcher 王老师: 8 + 7 lessons at rural 东村 count; 东街 is not rural; 西村 is not his group
    dict(
        date="2024-12-01",
        activity=L,
        school="东村中心学校",
        person="王老师",
        role="教研员",
        count=8,
    ),
    dict(
        date="2024-12-02",
        activity=L,
        school="东村中心学校",
        person="王老师",
        role="教研员",
        count=7,
    ),
    dict(date="2024-12-03", activity=L, school="东街小学", person="王老师", role="教研员", count=6),
    dict(
        date="2024-12-04",
        activity=L,
        school="西村中心学校",
        person="王老师",
        role="教研员",
        count=4,
    ),
    # an unlisted researcher found in the records: evaluated too, at any school
    dict(
        date="2024-12-05",
        activity=L,
        school="西村中心学校",
        person="李老师",
        role="教研员",
        count=3,
    ),
    # rotation: 东街 sends 2 of 40 within the group (5%), 1 across groups (warning, not counted);
    # 东村 sends 1 of 20 (5%)
    dict(date="2024-09-05", activity=R, school="东村中心学校", from_school="东街小学", person="己"),
    dict(date="2024-09-05", activity=R, school="东村中心学校", from_school="东街小学", person="庚"),
    dict(date="2024-09-06", activity=R, school="西村中心学校", from_school="东街小学", person="辛"),
    dict(date="2024-09-07", activity=R, school="东新小学", from_school="东村中心学校", person="壬"),
    # agreement: east in time, west after the 2024-11-30 deadline
    dict(date="2024-11-20", activity=A, school="东街小学"),
    dict(date="2024-12-05", activity=A, school="西街小学"),
]

BAD_ROWS = [
    dict(date="2024-10-12", activity=F, school="东街小雪"),  # unknown-school
    dict(date="2024-02-30", activity=F, school="东街小学"),  # bad-date
    dict(date="2025-09-02", activity=F, school="东街小学"),  # future-date (as of 2025-08-31)
    dict(date="2024-10-13", activity="", school="东街小学"),  # missing-value
    dict(date="2024-10-14", activity=L, school="东新小学", count="0"),  # bad-count
    dict(date="2024-10-15", activity=F, school="东街小学", group="西区教育集团"),  # group-mismatch
    dict(date="2024-10-10", activity=F, school="东街小学"),  # duplicate of the first row
    dict(date="2024-10-16", activity="植树", school="东街小学"),  # unknown-activity
]


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    return write_ledger(tmp_path / "records.csv", ROWS + BAD_ROWS)


def results_by_key(data: dict) -> dict[tuple[str, str, str], tuple[float, str]]:
    return {
        (r["target"], r["subject"], r["period"]): (r["actual"], r["status"])
        for r in data["results"]
    }


def test_ended_periods_hand_worked(cli, mini_config, ledger) -> None:
    g, t = mini_config
    code, data = cli.json("check", ledger, "--groups", g, "--targets", t, "--as-of", "2025-08-31")
    assert code == 1
    got = results_by_key(data)
    s1, s2, sy = "2024-2025-1", "2024-2025-2", "2024-2025"
    assert got == {
        ("forum", "东区教育集团", s1): (1, "pass"),
        ("forum", "西区教育集团", s1): (1, "pass"),
        ("forum", "东区教育集团", s2): (1, "pass"),
        ("forum", "西区教育集团", s2): (0, "fail"),
        ("visits", "东村中心学校", s1): (3, "pass"),
        ("visits", "东新小学", s1): (1, "fail"),
        ("visits", "西村中心学校", s1): (0, "fail"),
        ("visits", "东村中心学校", s2): (0, "fail"),
        ("visits", "东新小学", s2): (0, "fail"),
        ("visits", "西村中心学校", s2): (0, "fail"),
        ("lessons", "王老师", s1): (15, "pass"),
        ("lessons", "王老师", s2): (0, "fail"),
        ("lessons", "李老师", s1): (3, "fail"),
        ("lessons", "李老师", s2): (0, "fail"),
        ("rotation", "东街小学", sy): (0.05, "pass"),
        ("rotation", "东村中心学校", sy): (0.05, "pass"),
        ("rotation", "东新小学", sy): (0, "unknown"),
        ("rotation", "西街小学", sy): (0, "fail"),
        ("rotation", "西村中心学校", sy): (0, "fail"),
        ("agreement", "东区教育集团", "program"): (1, "pass"),
        ("agreement", "西区教育集团", "program"): (0, "fail"),
    }
    assert data["summary"] == {
        "pass": 8,
        "fail": 12,
        "at_risk": 0,
        "on_track": 0,
        "unknown": 1,
        "exempt": 0,
        "rows": 27,
        "accepted": 19,
        "rejected": 8,
        "blank": 0,
    }
    assert data["inputs"][0]["rows"] == 27 and data["inputs"][0]["blank"] == 0
    unknown = next(r for r in data["results"] if r["status"] == "unknown")
    assert "teachers" in unknown["reason"]
    share = next(r for r in data["results"] if r["subject"] == "东街小学")
    assert share["required"] == 0.05 and share["metric"] == "share_of_teachers"
    group_of = {r["subject"]: r["group"] for r in data["results"]}
    assert group_of["东新小学"] == "东区教育集团" and group_of["王老师"] == "东区教育集团"
    assert group_of["李老师"] is None


def test_row_issues_have_codes_rows_and_suggestions(cli, mini_config, ledger) -> None:
    g, t = mini_config
    _, data = cli.json("check", ledger, "--groups", g, "--targets", t, "--as-of", "2025-08-31")
    first_bad = len(ROWS) + 2  # header is row 1
    got = [(i["row"], i["code"], i["column"], i["severity"]) for i in data["issues"]]
    assert got == [
        (17, "cross-group-rotation", "from_school", "warning"),  # ROWS[15]: header row 1 + 16
        (20, "after-deadline", "date", "warning"),  # ROWS[18]: west's late agreement
        (first_bad, "unknown-school", "school", "error"),
        (first_bad + 1, "bad-date", "date", "error"),
        (first_bad + 2, "future-date", "date", "error"),
        (first_bad + 3, "missing-value", "activity", "error"),
        (first_bad + 4, "bad-count", "count", "error"),
        (first_bad + 5, "group-mismatch", "group", "error"),
        (first_bad + 6, "duplicate", "activity", "warning"),
        (first_bad + 7, "unknown-activity", "activity", "error"),
    ]
    by_code = {i["code"]: i for i in data["issues"]}
    assert by_code["unknown-school"]["value"] == "东街小雪"
    assert by_code["unknown-school"]["suggestion"] == "东街小学"
    assert "did you mean 东街小学?" in by_code["unknown-school"]["message"]
    assert by_code["duplicate"]["message"].endswith("records.csv:2; counted once")
    assert by_code["group-mismatch"]["message"] == (
        "东街小学 is not a member of 西区教育集团 (it belongs to 东区教育集团)"
    )
    assert all(i["file"].endswith("records.csv") and i["sheet"] is None for i in data["issues"])


def test_a_share_without_headcount_is_unknown_with_no_share_shown(
    cli, mini_config, tmp_path
) -> None:
    """东新小学 has no teachers: two of its teachers rotated are no share of anything, so
    the unknown result's actual is 0, not 2 beside a required 0.05 (shown as 200%/5%)."""
    g, t = mini_config
    rows = [
        dict(date="2024-09-05", activity=R, school="东村中心学校", from_school="东新小学", person=p)
        for p in ("甲", "乙")
    ]
    path = write_ledger(tmp_path / "r.csv", rows)
    _, data = cli.json("check", path, "--groups", g, "--targets", t, "--as-of", "2025-08-31")
    [east_new] = [
        r for r in data["results"] if r["target"] == "rotation" and r["subject"] == "东新小学"
    ]
    assert (east_new["required"], east_new["actual"], east_new["status"]) == (0.05, 0, "unknown")
    assert east_new["reason"] == "no full-time teacher headcount (teachers) configured"


def test_running_periods_at_risk_and_on_track(cli, mini_config, tmp_path) -> None:
    """As of 2024-11-15, 76 of semester 1's 153 days and 76 of the school year's 365 have passed."""
    g, t = mini_config
    rows = [
        dict(date="2024-10-10", activity=F, school="东街小学"),
        dict(date="2024-10-08", activity=L, school="东村中心学校", person="甲", role="名师"),
        dict(date="2024-10-09", activity=L, school="东村中心学校", person="乙", role="名师"),
        dict(date="2024-11-01", activity=L, school="东新小学", person="丁", role="骨干教师"),
        dict(
            date="2024-09-05",
            activity=R,
            school="东村中心学校",
            from_school="东街小学",
            person="己",
        ),
    ]
    path = write_ledger(tmp_path / "r.csv", rows)
    code, data = cli.json("check", path, "--groups", g, "--targets", t, "--as-of", "2024-11-15")
    got = results_by_key(data)
    s1 = "2024-2025-1"
    assert got[("forum", "东区教育集团", s1)] == (1, "pass")
    assert got[("forum", "西区教育集团", s1)] == (0, "at_risk")  # 0 < 1 × 76/153
    assert got[("visits", "东村中心学校", s1)] == (2, "on_track")  # 2 ≥ 3 × 76/153 = 1.49
    assert got[("visits", "东新小学", s1)] == (1, "at_risk")  # 1 < 1.49
    assert got[("lessons", "王老师", s1)] == (0, "at_risk")
    assert got[("rotation", "东街小学", "2024-2025")] == (0.025, "on_track")  # ≥ 0.05 × 76/365
    assert got[("rotation", "东村中心学校", "2024-2025")] == (0, "at_risk")
    # the deadline is the period's end: 76 of 91 days have passed
    assert got[("agreement", "西区教育集团", "program")] == (0, "at_risk")
    assert not any(p.startswith("2024-2025-2") for _, _, p in got)  # not started yet
    assert code == 0  # nothing has failed yet and no row is in error


def test_strict_makes_at_risk_fail(cli, mini_config, tmp_path) -> None:
    g, t = mini_config
    path = write_ledger(
        tmp_path / "r.csv", [dict(date="2024-10-10", activity=F, school="东街小学")]
    )
    code, _, _ = cli("check", path, "--groups", g, "--targets", t, "--as-of", "2024-11-15")
    assert code == 0
    code, out, _ = cli(
        "check", path, "--groups", g, "--targets", t, "--as-of", "2024-11-15", "--strict"
    )
    assert code == 1
    assert out.strip().splitlines()[-1].startswith("verdict: FAIL")


def test_empty_ledger_fails_every_subject_with_zero(cli, mini_config, tmp_path) -> None:
    g, t = mini_config
    path = write_ledger(tmp_path / "empty.csv", [])
    code, data = cli.json("check", path, "--groups", g, "--targets", t, "--as-of", "2025-08-31")
    assert code == 1
    forum = [r for r in data["results"] if r["target"] == "forum"]
    assert [(r["subject"], r["actual"], r["status"]) for r in forum] == [
        ("东区教育集团", 0, "fail"),
        ("西区教育集团", 0, "fail"),
        ("东区教育集团", 0, "fail"),
        ("西区教育集团", 0, "fail"),
    ]
    lessons = [r for r in data["results"] if r["target"] == "lessons"]
    assert {(r["subject"], r["status"]) for r in lessons} == {("王老师", "fail")}
    assert data["summary"]["pass"] == 0


def test_no_researcher_at_all_is_unknown_not_pass(cli, mini_config, tmp_path) -> None:
    g, t = mini_config
    g.write_text(
        g.read_text(encoding="utf-8").replace("    researchers: [王老师]\n", ""), encoding="utf-8"
    )
    path = write_ledger(
        tmp_path / "r.csv", [dict(date="2024-10-10", activity=F, school="东街小学")]
    )
    _, data = cli.json("check", path, "--groups", g, "--targets", t, "--as-of", "2025-08-31")
    lessons = [r for r in data["results"] if r["target"] == "lessons"]
    # one result for the target says why it cannot be judged, never a pass
    assert [(r["subject"], r["period"], r["status"], r["actual"]) for r in lessons] == [
        ("", "", "unknown", 0)
    ]
    assert "researcher" in lessons[0]["reason"]
    # the table's summary counts it too, on a line of its own (no period: "—")
    _, out, _ = cli("check", path, "--groups", g, "--targets", t, "--as-of", "2025-08-31")
    [line] = [x for x in out.splitlines() if x.strip().startswith("lessons")]
    assert line.split()[1:] == ["—", "·", "·", "·", "·", "1"]


def test_period_and_group_filters(cli, mini_config, ledger) -> None:
    g, t = mini_config
    _, data = cli.json(
        "check",
        ledger,
        "--groups",
        g,
        "--targets",
        t,
        "--as-of",
        "2025-08-31",
        "--period",
        "2024-2025-2",
        "--group",
        "东集团",
    )
    assert {r["period"] for r in data["results"]} == {"2024-2025-2"}
    assert {r["subject"] for r in data["results"]} == {
        "东区教育集团",
        "东村中心学校",
        "东新小学",
        "王老师",
    }
    code, _, err = cli("check", ledger, "--groups", g, "--targets", t, "--period", "2031-2032-1")
    assert code == 2 and "2031-2032-1" in err
    code, _, err = cli("check", ledger, "--groups", g, "--targets", t, "--group", "北区")
    assert code == 2 and "unknown group '北区'" in err


def test_no_researcher_under_a_group_says_it_of_that_group(cli, mini_config, tmp_path) -> None:
    """王老师 is east's researcher: --group west has none, and the reason says so of west
    rather than of the whole configuration (which does list one)."""
    g, t = mini_config
    row = dict(date="2024-10-10", activity="校长论坛", school="西街小学")
    ledger = write_ledger(tmp_path / "a.csv", [row])
    args = ("--groups", g, "--targets", t, "--as-of", "2025-08-31", "--group", "west")
    _, data = cli.json("check", ledger, *args)
    (lessons,) = [r for r in data["results"] if r["target"] == "lessons"]
    assert lessons["status"] == "unknown" and lessons["subject"] == ""
    assert lessons["reason"] == (
        "no researcher is listed for 西区教育集团 or recorded with the role 教研员 at its schools"
    )
    _, data = cli.json("check", ledger, *args, "--lang", "zh")
    (lessons,) = [r for r in data["results"] if r["target"] == "lessons"]
    assert lessons["reason"].startswith("西区教育集团未列出教研员")
    _, out, _ = cli("check", ledger, *args, "--format", "junit")
    import xml.etree.ElementTree as ET

    cases = ET.fromstring(out.encode("utf-8")).iter("testcase")
    (case,) = [c for c in cases if c.get("classname") == "jituan.lessons"]
    assert case.get("name") == "—"  # no subject, no period: not "— · "


def test_group_filter_leaves_out_duties_of_another_type_of_group(cli, mini_config, ledger) -> None:
    """A duty of alliance groups only (east is an alliance, west close-type): --group west
    leaves it out, as it leaves the district's duties out, instead of an unknown result;
    --group east keeps it, and the whole run judges east alone for it."""
    g, t = mini_config
    t.write_text(
        t.read_text(encoding="utf-8")
        + """  - id: committee
    title: 联盟集团理事会
    source: 三（二）
    activities: [principal_forum]
    scope: group
    group_types: [alliance]
    period: semester
    min: 1
""",
        encoding="utf-8",
    )

    def committee(*extra: str) -> list[str]:
        args = ("--groups", g, "--targets", t, "--as-of", "2025-08-31", *extra)
        _, data = cli.json("check", ledger, *args)
        return sorted({r["subject"] for r in data["results"] if r["target"] == "committee"})

    assert committee() == ["东区教育集团"]
    assert committee("--group", "east") == ["东区教育集团"]
    assert committee("--group", "west") == []


def test_chinese_headers_and_labels(cli, mini_config, tmp_path, monkeypatch) -> None:
    g, t = mini_config
    zh = ["日期", "活动类型", "学校", "派出学校", "集团", "姓名", "身份", "节数", "备注"]
    path = write_ledger(tmp_path / "r.csv", ROWS[:3], header=zh)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    code, out, _ = cli("check", path, "--groups", g, "--targets", t, "--as-of", "2025-08-31")
    assert "按目标与期间汇总" in out and "未达标" in out
    assert out.strip().splitlines()[-1].startswith("结论：未通过")
    _, data = cli.json("check", path, "--groups", g, "--targets", t, "--as-of", "2025-08-31")
    assert data["results"][0]["period_label"] == "2024-2025学年第一学期"
    _, data = cli.json(
        "check", path, "--groups", g, "--targets", t, "--as-of", "2025-08-31", "--lang", "en"
    )
    assert data["results"][0]["period_label"] == "2024-2025 semester 1"


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["nope.csv"], "no such file"),
        (["--as-of", "2025-13-01"], "YYYY-MM-DD"),
        (["--format", "pdf"], "pdf"),
    ],
)
def test_cannot_run_is_exit_2(cli, mini_config, ledger, args, needle) -> None:
    g, t = mini_config
    paths = [] if args[0] == "nope.csv" else [ledger]
    code, out, err = cli("check", *paths, *args, "--groups", g, "--targets", t)
    assert code == 2
    assert needle in (out + err)
    assert "Traceback" not in out + err


def test_missing_column_names_it_and_lists_found(cli, mini_config, tmp_path) -> None:
    g, t = mini_config
    path = tmp_path / "r.csv"
    path.write_text("日期,学校,姓名\n2024-10-10,东街小学,甲\n", encoding="utf-8")
    code, _, err = cli("check", path, "--groups", g, "--targets", t)
    assert code == 2
    assert "activity" in err and "活动类型" in err and "columns found: 日期, 学校, 姓名" in err


def test_invalid_configuration_is_exit_2(cli, mini_config, ledger) -> None:
    g, t = mini_config
    t.write_text(
        t.read_text(encoding="utf-8").replace("period: semester", "period: weekly", 1),
        encoding="utf-8",
    )
    code, _, err = cli("check", ledger, "--groups", g, "--targets", t)
    assert code == 2 and str(t) in err and "period" in err and "line" in err


def test_version(cli) -> None:
    code, out, _ = cli("--version")
    assert code == 0 and out.startswith("jituan ")


def test_header_order_and_unknown_extra_columns_do_not_matter(cli, mini_config, tmp_path) -> None:
    g, t = mini_config
    path = tmp_path / "r.csv"
    path.write_text(
        "学校,备注,活动类型,其他,日期\n东街小学,,校长论坛,x,2024-10-10\n", encoding="utf-8"
    )
    code, data = cli.json("check", path, "--groups", g, "--targets", t, "--as-of", "2025-08-31")
    assert results_by_key(data)[("forum", "东区教育集团", "2024-2025-1")] == (1, "pass")
    assert HEADER[0] == "date"


def test_version_fast_path_says_what_the_cli_says(cli) -> None:
    """`jituan --version` answers before typer is imported; the words are the same."""
    import subprocess
    import sys

    _, out, _ = cli("--version")
    fast = subprocess.run(
        [sys.executable, "-m", "jituan", "--version"], capture_output=True, text=True, check=True
    )
    from jituan import __version__

    assert fast.stdout == out == f"jituan {__version__}\n"


def test_an_unknown_activity_is_suggested_from_ids_and_aliases_too(cli, tmp_path) -> None:
    """A ledger that writes the activity's id with a typo (principal_forun) is offered the
    name ledgers write, as one that misspells the Chinese name is."""
    ledger = tmp_path / "a.csv"
    ledger.write_text(
        "日期,活动类型,学校\n"
        "2024-10-12,principal_forun,甘州区南关学校\n"
        "2024-10-12,校长论谈,甘州区南关学校\n",
        encoding="utf-8",
    )
    _, out, _ = cli("check", ledger, "--as-of", "2025-01-31", "--format", "json")
    got = [(i["row"], i["code"], i["suggestion"]) for i in json.loads(out)["issues"]]
    assert got == [(2, "unknown-activity", "校长论坛"), (3, "unknown-activity", "校长论坛")]


def test_the_pre_commit_hook_checks_the_whole_folder(cli, mini_config, tmp_path, monkeypatch):
    """The hook runs `jituan check` on the data folder (its default args, `.`), not on the
    changed files: a school whose records lie in an unchanged file must not fail with 0."""
    import yaml

    root = Path(__file__).resolve().parents[1]
    [hook] = yaml.safe_load((root / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert (hook["id"], hook["pass_filenames"], hook["args"]) == ("jituan-check", False, ["."])
    assert hook["entry"] == "jituan check"
    assert re.search(hook["files"], "data/台账.XLSX") and not re.search(hook["files"], "a.yaml")
    g, t = mini_config
    monkeypatch.chdir(tmp_path)
    write_ledger(tmp_path / "a.csv", [dict(date="2024-10-10", activity=F, school="东街小学")])
    write_ledger(tmp_path / "b.csv", [dict(date="2024-10-11", activity=F, school="西街小学")])
    args = [*hook["entry"].split()[1:], *hook["args"], "--groups", g, "--targets", t]
    _, data = cli.json(*args, "--as-of", "2025-01-31", "--period", "2024-2025-1")
    forum = {r["subject"]: r["status"] for r in data["results"] if r["target"] == "forum"}
    assert forum == {"东区教育集团": "pass", "西区教育集团": "pass"}


def test_a_researcher_of_two_groups_is_shown_under_the_group_a_run_is_narrowed_to(
    cli, mini_config, tmp_path
) -> None:
    """王老师 is listed by both groups: a run narrowed to the west shows their results
    under the west (the summary by group had an east row in a west-only run); an
    unnarrowed run shows them under the first group that lists them."""
    groups, targets = mini_config
    text = groups.read_text(encoding="utf-8").replace(
        "    lead: 西街小学\n", "    lead: 西街小学\n    researchers: [王老师]\n"
    )
    groups.write_text(text, encoding="utf-8")
    ledger = write_ledger(tmp_path / "l.csv", [])
    base = ["check", ledger, "--groups", groups, "--targets", targets, "--as-of", "2025-08-31"]
    _, report = cli.json(*base, "--group", "west")
    assert {r["group"] for r in report["results"] if r["scope"] == "researcher"} == {"西区教育集团"}
    assert {r["group"] for r in report["results"]} == {"西区教育集团"}
    _, report = cli.json(*base)
    assert {r["group"] for r in report["results"] if r["scope"] == "researcher"} == {"东区教育集团"}
