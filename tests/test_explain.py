"""`jituan explain`: a target in words, and record by record what counted and why not.

The records and reasons below are worked out by hand on the mini configuration; the
figure explain shows is the engine's own result, and the counted records add up to it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from jituan.config import load_config
from jituan.explain import explain_records, find_target
from tests.conftest import ROOT, write_ledger

AS_OF = dt.date(2025, 8, 31)
L, R = "听评课", "教师轮岗交流"


def test_target_in_words_both_languages(cli, mini_config) -> None:
    g, t = mini_config
    code, out, _ = cli("explain", "visits", "--groups", g, "--targets", t)
    assert code == 0
    for text in (
        "visits · 成员校每学期听评课不少于3次",
        "四（二）2",
        "听评课 (lesson_observation)",
        "名师",
        "骨干教师",
        "every member school except the lead",
        "3 in this configuration",
        "at least 3 per semester",
        "the first from 09-01",
    ):
        assert text in out, text
    code, out, _ = cli("explain", "rotation", "--groups", g, "--targets", t, "--lang", "zh")
    for text in ("派出学校", "同一集团", "专任教师数", "至少 5%", "每学年"):
        assert text in out, text
    code, _, err = cli("explain", "visit", "--groups", g, "--targets", t)
    assert code == 2 and "did you mean visits?" in err
    code, out, _ = cli("explain", "rotation", "--groups", g, "--targets", t, "--lang", "zh")
    assert "而非活动学校" in "".join(out.split()), out  # folded at 80 columns, not cut
    code, out, _ = cli("explain", "master-teacher-visits", "--lang", "en")
    assert "when given, is another school of the school's group" in " ".join(out.split())


def _ledger(tmp_path: Path) -> Path:
    rows = [
        # 2: counts for 东新小学 in semester 1
        dict(
            date="2024-10-10",
            activity=L,
            school="东新小学",
            from_school="东街小学",
            person="甲",
            role="名师",
        ),
        # 3: a role the target does not take
        dict(date="2024-10-11", activity=L, school="东新小学", person="乙", role="教师"),
        # 4: semester 2
        dict(date="2025-03-10", activity=L, school="东新小学", person="丙", role="骨干教师"),
        # 5: another school
        dict(date="2024-10-12", activity=L, school="东村中心学校", person="甲", role="名师"),
        # 6: counts, with a count of 2 (the metric counts records, not lessons)
        dict(
            date="2024-11-01", activity=L, school="东新小学", person="丁", role="骨干教师", count=2
        ),
        # 7: another activity: not one of the target's, never listed
        dict(date="2024-11-02", activity="校长论坛", school="东新小学"),
        # 8: before the programme starts
        dict(date="2024-08-20", activity=L, school="东新小学", person="甲", role="名师"),
    ]
    return write_ledger(tmp_path / "r.csv", rows)


def test_records_counted_and_left_out_with_reasons(mini_config, tmp_path: Path) -> None:
    g, t = mini_config
    cfg = load_config(g, t)
    target = find_target(cfg, "visits", "en")
    e = explain_records(target, cfg, [_ledger(tmp_path)], AS_OF, "en", "东新小学", "2024-2025-1")
    assert [(r.row, r.counted) for r in e.rows] == [
        (2, True),
        (3, False),
        (4, False),
        (6, True),
        (8, False),
    ]
    why = {r.row: r.reason for r in e.left_out}
    assert why[3] == "role '教师' is not one of 名师, 骨干教师"
    assert why[4] == "another period: 2024-2025 semester 2"
    assert why[8].startswith("in no evaluated period")
    assert e.other_subjects == 1  # row 5, at 东村中心学校
    (result,) = e.results  # the engine's own result
    assert (result.subject, result.period, result.actual, result.status) == (
        "东新小学",
        "2024-2025-1",
        2,
        "fail",
    )
    assert sum(r.adds for r in e.counted) == result.actual


def test_within_group_and_distinct_persons(mini_config, tmp_path: Path) -> None:
    g, t = mini_config
    rows = [
        # 2: 东街小学 sends 甲 to 东新小学 (same group): counts for 东街小学
        dict(date="2024-09-10", activity=R, school="东新小学", from_school="东街小学", person="甲"),
        # 3: 甲 again: a person counts once
        dict(
            date="2024-10-10",
            activity=R,
            school="东村中心学校",
            from_school="东街小学",
            person="甲",
        ),
        # 4: cross-group: 东街小学 → 西街小学
        dict(date="2024-09-11", activity=R, school="西街小学", from_school="东街小学", person="乙"),
        # 5: no person: rejected when read (missing-value), since every target of a
        # rotation counts persons
        dict(date="2024-09-12", activity=R, school="东新小学", from_school="东街小学"),
    ]
    ledger = write_ledger(tmp_path / "r.csv", rows)
    cfg = load_config(g, t)
    target = find_target(cfg, "rotation", "en")
    e = explain_records(target, cfg, [ledger], AS_OF, "en", "东小", "2024-2025")
    assert e.subject == "东街小学"
    assert [(r.row, r.counted, r.adds) for r in e.rows] == [
        (2, True, 1.0),
        (3, False, 0.0),
        (4, False, 0.0),
    ]
    assert e.rejected_rows == 1
    why = {r.row: r.reason for r in e.left_out}
    assert why[3] == "甲 already counted at " + str(ledger) + ":2 (persons count once)"
    assert why[4] == "cross-group: 东街小学 (东区教育集团) → 西街小学 (西区教育集团)"
    (result,) = e.results
    assert result.actual == pytest.approx(1 / 40)  # 1 person of 40 teachers


def test_master_teacher_visits_come_from_another_school_of_the_group(tmp_path: Path) -> None:
    """The shipped master-teacher-visits (四（二）2, "到成员学校"): a visit from the lead,
    or one whose sending school is left blank, counts at 南华小学; its own 骨干教师, or a
    名师 from a school of another group, is no visit to it (3 rows: 2 counted, a fail)."""
    rows = [
        dict(date="2024-10-10", activity="公开课", school="甘州区南华小学",
             from_school="甘州区甘泉街小学", person="甲", role="名师"),
        dict(date="2024-10-11", activity="公开课", school="甘州区南华小学",
             from_school="甘州区南华小学", person="乙", role="骨干教师"),
        dict(date="2024-10-12", activity="公开课", school="甘州区南华小学",
             from_school="甘州区北街小学", person="丙", role="名师"),
        dict(date="2024-10-13", activity="听评课", school="甘州区南华小学", person="丁",
             role="学科带头人"),
    ]  # fmt: skip
    ledger = write_ledger(tmp_path / "r.csv", rows)
    cfg = load_config(None, None)
    target = find_target(cfg, "master-teacher-visits", "en")
    e = explain_records(target, cfg, [ledger], AS_OF, "en", "南华小学", "2024-2025-1")
    assert [(r.row, r.counted) for r in e.rows] == [(2, True), (3, False), (4, False), (5, True)]
    why = {r.row: r.reason for r in e.left_out}
    assert why[3] == "sent by 甘州区南华小学 itself: its own teachers are no visit to it"
    assert why[4] == (
        "cross-group: 甘州区北街小学 (甘州区北街小学教育集团) → 甘州区南华小学 (甘州区甘泉街小学教育集团)"
    )
    (result,) = e.results
    assert (result.actual, result.status) == (2, "fail")


def test_researcher_records_outside_the_assigned_groups(mini_config, tmp_path: Path) -> None:
    g, t = mini_config
    rows = [
        # 王老师 is listed for the east group: 东村 counts (rural), 西村 is not his group
        dict(
            date="2024-10-10",
            activity=L,
            school="东村中心学校",
            person="王老师",
            role="教研员",
            count=5,
        ),
        dict(
            date="2024-10-11",
            activity=L,
            school="西村中心学校",
            person="王老师",
            role="教研员",
            count=4,
        ),
        dict(
            date="2024-10-12",
            activity=L,
            school="东街小学",
            person="王老师",
            role="教研员",
            count=3,
        ),
    ]
    ledger = write_ledger(tmp_path / "r.csv", rows)
    cfg = load_config(g, t)
    target = find_target(cfg, "lessons", "en")
    e = explain_records(target, cfg, [ledger], AS_OF, "en", "王　老师", "2024-2025-1")
    assert e.subject == "王老师"  # padded as spreadsheets pad names: the same person
    assert [(r.row, r.counted, r.adds) for r in e.rows] == [
        (2, True, 5.0),
        (3, False, 0.0),
        (4, False, 0.0),
    ]
    why = {r.row: r.reason for r in e.left_out}
    assert why[3] == "王老师 is not assigned to the group of 西村中心学校"
    assert why[4] == "东街小学 is not a rural school"
    assert e.results[0].actual == 5


def test_explain_cli_options(
    cli, mini_config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    g, t = mini_config
    ledger = _ledger(tmp_path)
    args = ("--groups", g, "--targets", t, "--as-of", "2025-08-31")
    code, _, err = cli("explain", "visits", ledger, "--subject", "南校", *args)
    assert code == 2 and "unknown school: 南校" in err
    code, _, err = cli("explain", "visits", ledger, "--period", "2030-1", *args)
    assert code == 2 and "2024-2025-1, 2024-2025-2" in err
    code, _, err = cli(
        "explain", "visits", ledger, "--as-of", "soon", "--groups", g, "--targets", t
    )
    assert code == 2 and "Traceback" not in err
    # without --subject: every record of the target's activities, with the subject it counts for
    code, out, _ = cli("explain", "visits", ledger, *args)
    assert code == 0 and "东村中心学校 · 2024-2025 semester 1 +1" in out


def test_explain_on_the_example(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """The issue's own command: names the records that counted and those that did not."""
    monkeypatch.setenv("COLUMNS", "200")  # one line per record, for the assertions
    code, out, err = cli(
        "explain",
        "master-teacher-visits",
        ROOT / "examples" / "records.csv",
        "--groups",
        ROOT / "examples" / "groups.yaml",
        "--subject",
        "甘州区花寨乡中心学校",
        "--period",
        "2024-2025-1",
        "--as-of",
        "2025-08-31",
    )
    assert code == 0, err
    assert "result: 2 of 3, fail" in out
    assert "Counted (2)" in out and "records.csv:245" in out and "records.csv:364" in out
    assert "Left out (7)" in out
    assert "role '教研员' is not one of" in out and "another period" in out


def test_records_of_two_files_of_one_name_are_told_apart(
    cli, mini_config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """s1/台账.csv and s2/台账.csv: each record is named by its path, not by 台账.csv:2."""
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.chdir(tmp_path)
    g, t = mini_config
    for folder, day in (("s1", "2024-10-10"), ("s2", "2024-10-11")):
        (tmp_path / folder).mkdir()
        write_ledger(
            tmp_path / folder / "台账.csv",
            [dict(date=day, activity="听评课", school="东村中心学校", person="甲", role="名师")],
        )
    code, out, _ = cli(
        "explain", "visits", ".", "--groups", g, "--targets", t, "--as-of", "2025-08-31"
    )
    assert code == 0
    assert "s1/台账.csv:2" in out and "s2/台账.csv:2" in out


def test_names_that_look_like_rich_markup_are_shown_as_written(cli, mini_config, tmp_path) -> None:
    """A person named [/] stopped explain with rich's MarkupError (a traceback), and a file
    named [#f00]c.csv lost its name: submitted text is shown as written."""
    g, t = mini_config
    path = tmp_path / "[#f00]c.csv"
    path.write_text(
        "date,activity,school,person\n2024-10-12,校长论坛,东街小学,[/]\n", encoding="utf-8"
    )
    args = ["--groups", g, "--targets", t, "--as-of", "2025-08-31"]
    code, out, err = cli(
        "explain", "forum", path, "--subject", "东区教育集团", "--period", "2024-2025-1", *args
    )
    assert code == 0 and "Traceback" not in err, err
    assert "[#f00]c.csv:2" in out and "校长论坛 · 东街小学 · [/]" in out


def test_a_misspelt_school_is_named_as_why_it_fell_short(cli, mini_config, tmp_path) -> None:
    """东新小学 has 2 visits of 3 counted and a third written 东新小校: explain names that
    row (the unknown school whose closest name is the subject) as what to correct; an
    unknown --subject gets the closest school as a hint."""
    g, t = mini_config
    rows = [
        dict(
            date=f"2024-10-1{d}",
            activity="听评课",
            school=s,
            from_school="东街小学",
            person=p,
            role="名师",
        )
        for d, s, p in ((1, "东新小学", "甲"), (2, "东新小学", "乙"), (3, "东新小校", "丙"))
    ]
    path = write_ledger(tmp_path / "v.csv", rows)
    args = ["--groups", g, "--targets", t, "--as-of", "2025-08-31"]
    code, out, err = cli(
        "explain", "visits", path, "--subject", "东新小学", "--period", "2024-2025-1", *args
    )
    assert code == 0, err
    text = " ".join(out.split())
    assert "1 row(s) name a school that is likely this subject's" in text
    assert "they count once corrected if their activity and period are this target's" in text
    assert f"{path}:4  东新小校 → 东新小学" in out
    code, out, err = cli("explain", "visits", path, "--subject", "东新小", *args)
    assert code == 2 and "did you mean 东新小学?" in err, err
