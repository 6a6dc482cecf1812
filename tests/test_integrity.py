"""Integrity flags: warnings (or info) on rows that look impossible; the rows stay counted."""

from __future__ import annotations

from tests.conftest import write_ledger

L, F = "听评课", "校长论坛"


def test_flags_on_hand_made_rows(cli, mini_config, tmp_path) -> None:
    g, t = mini_config
    rows = [
        # 王老师 observes 5 + 4 = 9 lessons on 2024-12-02: above 8, both rows flagged
        dict(
            date="2024-12-02",
            activity=L,
            school="东村中心学校",
            person="王老师",
            role="教研员",
            count=5,
        ),
        dict(
            date="2024-12-02",
            activity=L,
            school="东新小学",
            person="王老师",
            role="教研员",
            count=4,
        ),
        # exactly 8 on another day: not flagged
        dict(
            date="2024-12-03",
            activity=L,
            school="东村中心学校",
            person="王老师",
            role="教研员",
            count=8,
        ),
        # 甲 at an east school and a west school on one day
        dict(date="2024-10-09", activity=L, school="东村中心学校", person="甲", role="名师"),
        dict(date="2024-10-09", activity=L, school="西村中心学校", person="甲", role="名师"),
        # National Day 2024-10-01 is a holiday; 2024-10-12 is a make-up working Saturday
        dict(date="2024-10-01", activity=F, school="东街小学"),
        dict(date="2024-10-12", activity=F, school="西街小学"),
    ]
    path = write_ledger(tmp_path / "r.csv", rows)
    code, data = cli.json("check", path, "--groups", g, "--targets", t, "--as-of", "2025-08-31")
    flags = [(i["row"], i["code"], i["severity"]) for i in data["issues"]]
    assert flags == [
        (2, "too-many-lessons", "warning"),
        (3, "too-many-lessons", "warning"),
        (5, "two-groups-same-day", "warning"),
        (6, "two-groups-same-day", "warning"),
        (7, "holiday", "info"),
    ]
    assert data["summary"]["accepted"] == 7 and data["summary"]["rejected"] == 0
    lessons = {
        (r["subject"], r["period"]): r["actual"]
        for r in data["results"]
        if r["target"] == "lessons"
    }
    assert lessons[("王老师", "2024-2025-1")] == 13  # flagged rows still count: 5 + 8 at rural 东村
    messages = {i["code"]: i["message"] for i in data["issues"]}
    assert "9 lessons" in messages["too-many-lessons"]
    assert "东区教育集团、西区教育集团" in messages["two-groups-same-day"]
    assert "National Day" in messages["holiday"]


def test_info_never_changes_the_exit_code(cli, mini_config, tmp_path) -> None:
    g, t = mini_config
    rows = [
        dict(date=d, activity=F, school=s)
        for d in ("2024-10-01", "2025-03-03")
        for s in ("东街小学", "西街小学")
    ]
    path = write_ledger(tmp_path / "r.csv", rows)
    t.write_text(t.read_text(encoding="utf-8").split("  - id: visits")[0], encoding="utf-8")
    code, data = cli.json(
        "check", path, "--groups", g, "--targets", t, "--as-of", "2025-08-31", "--strict"
    )
    assert [i["code"] for i in data["issues"]] == ["holiday", "holiday"]
    assert code == 0


def test_a_record_outside_the_programme_is_flagged_and_counts_nothing(
    cli, mini_config, tmp_path
) -> None:
    """The mini calendar runs 2024-09-01 to 2025-08-31: a forum of 2024-08-30 (last school
    year) and one of 2025-09-02 (after the end) are accepted, counted toward no period, and
    each is flagged so that the school learns why; 2024-09-01 and 2025-08-31 are inside."""
    g, t = mini_config
    dates = ["2024-08-30", "2024-09-01", "2025-08-31", "2025-09-02"]
    rows = [dict(date=d, activity=F, school="东街小学") for d in dates]
    path = write_ledger(tmp_path / "r.csv", rows)
    _, data = cli.json("check", path, "--groups", g, "--targets", t, "--as-of", "2025-09-30")
    assert [(i["row"], i["code"], i["severity"], i["value"]) for i in data["issues"]] == [
        (2, "outside-programme", "warning", "2024-08-30"),
        (5, "outside-programme", "warning", "2025-09-02"),
    ]
    assert data["issues"][0]["message"] == (
        "dated outside the programme (2024-09-01 to 2025-08-31): counts toward no period"
    )
    assert data["summary"]["accepted"] == 4
    forum = {
        r["period"]: r["actual"]
        for r in data["results"]
        if r["target"] == "forum" and r["subject"] == "东区教育集团"
    }
    assert forum == {"2024-2025-1": 1, "2024-2025-2": 1}  # the two inside, one each


def test_an_agreement_after_its_deadline_is_flagged_and_counts_nothing(
    cli, mini_config, tmp_path
) -> None:
    """协议签订 counts only toward the agreement duty, due 2024-11-30: one signed on the
    deadline counts, one of 2024-12-01 is accepted but counts toward nothing, and is
    flagged so that the group learns why (a forum on that day is not)."""
    g, t = mini_config
    rows = [
        dict(date="2024-11-30", activity="协议签订", school="东街小学"),
        dict(date="2024-12-01", activity="协议签订", school="西街小学"),
        dict(date="2024-12-02", activity=F, school="西街小学"),
    ]
    path = write_ledger(tmp_path / "r.csv", rows)
    code, data = cli.json("check", path, "--groups", g, "--targets", t, "--as-of", "2025-01-31")
    assert [(i["row"], i["code"], i["severity"], i["value"]) for i in data["issues"]] == [
        (3, "after-deadline", "warning", "2024-12-01")
    ]
    assert data["issues"][0]["message"] == (
        "dated after this activity's deadline (2024-11-30): counts toward no target"
    )
    assert data["summary"]["accepted"] == 3
    agreement = {r["subject"]: r["actual"] for r in data["results"] if r["target"] == "agreement"}
    assert agreement == {"东区教育集团": 1, "西区教育集团": 0}
    _, zh = cli.json("check", path, "--groups", g, "--targets", t, "--as-of", "2025-01-31",
                     "--lang", "zh")  # fmt: skip
    assert zh["issues"][0]["message"] == "日期晚于此类活动的截止日期 2024-11-30：不计入任何目标"


def test_a_researcher_name_close_to_a_listed_one_is_noted_once(cli, mini_config, tmp_path):
    """王老帅 (a typo of the listed 王老师) is evaluated as a researcher of their own: a
    note says so at their first row; 李四, a 教研员 like no listed one, gets none."""
    g, t = mini_config
    rows = [
        dict(date=d, activity=L, school="东村中心学校", person=p, role="教研员", count=2)
        for d, p in (("2024-10-10", "王老帅"), ("2024-10-10", "李四"), ("2024-10-11", "王老帅"))
    ]  # fmt: skip
    path = write_ledger(tmp_path / "r.csv", rows)
    _, data = cli.json("check", path, "--groups", g, "--targets", t, "--as-of", "2025-01-31")
    notes = [(i["row"], i["code"], i["severity"], i["column"], i["value"]) for i in data["issues"]]
    assert notes == [(2, "unlisted-researcher", "info", "person", "王老帅")]
    assert data["issues"][0]["message"] == (
        "王老帅 is not a researcher listed in groups.yaml (did you mean 王老师?): "
        "evaluated as a researcher of their own"
    )
    subjects = {r["subject"] for r in data["results"] if r["target"] == "lessons"}
    assert subjects == {"王老师", "王老帅", "李四"}  # as before: the note changes no figure
