"""Periods: ids, labels, ranges, elapsed shares and the vectorised assignment."""

from __future__ import annotations

import datetime as dt

import numpy as np

from jituan.config import load_config
from jituan.periods import Period, assign, evaluated_periods, period_of

D = dt.date


def calendar():
    return load_config().calendar


def test_semesters_tile_the_school_year() -> None:
    sems = evaluated_periods("semester", calendar(), D(2025, 8, 31))
    assert [(p.id, p.start, p.end) for p in sems] == [
        ("2024-2025-1", D(2024, 9, 1), D(2025, 1, 31)),
        ("2024-2025-2", D(2025, 2, 1), D(2025, 8, 31)),
    ]


def test_periods_up_to_as_of_and_calendar_end() -> None:
    cal = calendar()
    assert [p.id for p in evaluated_periods("semester", cal, D(2026, 11, 29))] == [
        "2024-2025-1",
        "2024-2025-2",
        "2025-2026-1",
        "2025-2026-2",
        "2026-2027-1",
    ]
    assert [p.id for p in evaluated_periods("school_year", cal, D(2026, 11, 29))] == [
        "2024-2025",
        "2025-2026",
        "2026-2027",
    ]
    assert [p.id for p in evaluated_periods("year", cal, D(2026, 11, 29))] == [
        "2024",
        "2025",
        "2026",
    ]
    # far past the programme's end: nothing after 2026-12-31 starts
    assert evaluated_periods("year", cal, D(2030, 1, 1))[-1].id == "2026"
    assert evaluated_periods("semester", cal, D(2024, 8, 1)) == []
    assert [p.id for p in evaluated_periods("program", cal, D(2025, 1, 1))] == ["program"]


def test_periods_are_cut_to_the_programme_calendar() -> None:
    """The calendar runs 2024-09-01 … 2026-12-31: the year 2024 starts in September, the
    last semester ends with the programme, and days outside belong to no period."""
    cal = calendar()
    years = evaluated_periods("year", cal, D(2026, 12, 31))
    assert [(p.id, p.start, p.end) for p in years] == [
        ("2024", D(2024, 9, 1), D(2024, 12, 31)),
        ("2025", D(2025, 1, 1), D(2025, 12, 31)),
        ("2026", D(2026, 1, 1), D(2026, 12, 31)),
    ]
    assert years[0].elapsed_share(D(2024, 10, 31)) == 61 / 122
    last = evaluated_periods("semester", cal, D(2026, 12, 31))[-1]
    assert (last.id, last.start, last.end) == ("2026-2027-1", D(2026, 9, 1), D(2026, 12, 31))
    days = np.array(["2024-03-01", "2024-08-31", "2024-09-01", "2027-01-15"], "datetime64[D]")
    assert assign(days, years).tolist() == [-1, -1, 0, -1]


def test_a_record_before_the_programme_counts_for_no_year(cli, tmp_path) -> None:
    """An ethics lecture in March 2024, before the programme, is no 2024 lecture: the group
    fails 2024 with 0, as it fails the agreement signed in August (period program)."""
    from tests.conftest import write_ledger

    rows = [
        dict(date="2024-03-01", activity="师德师风集中宣讲", school="甘州区南华小学"),
        dict(date="2024-08-20", activity="集团化办学协议签订", school="甘州区南华小学"),
    ]
    path = write_ledger(tmp_path / "a.csv", rows)
    code, report = cli.json("check", path, "--as-of", "2025-08-31")
    assert report["summary"]["accepted"] == 2
    group = next(r["group"] for r in report["results"] if r["subject"] == "甘州区南华小学")
    for target, period in (("ethics-lecture", "2024"), ("group-agreement", "program")):
        result = next(
            r
            for r in report["results"]
            if r["target"] == target and r["period"] == period and r["group"] == group
        )
        assert (result["actual"], result["status"]) == (0, "fail"), result


def test_labels() -> None:
    sem = period_of(D(2025, 3, 1), "semester", calendar())
    assert sem is not None and sem.id == "2024-2025-2"
    assert sem.label("zh") == "2024-2025学年第二学期"
    assert sem.label("en") == "2024-2025 semester 2"
    assert Period("2025", "year", D(2025, 1, 1), D(2025, 12, 31)).label("zh") == "2025年"
    assert (
        Period("2024-2025", "school_year", D(2024, 9, 1), D(2025, 8, 31)).label("zh")
        == "2024-2025学年"
    )


def test_elapsed_share_counts_the_as_of_day() -> None:
    p = Period("2024-2025-1", "semester", D(2024, 9, 1), D(2025, 1, 31))  # 153 days
    assert p.days == 153
    assert p.elapsed_share(D(2024, 9, 1)) == 1 / 153
    assert p.elapsed_share(D(2024, 11, 15)) == 76 / 153
    assert p.elapsed_share(D(2025, 3, 1)) == 1.0
    assert p.elapsed_share(D(2024, 8, 1)) == 0.0


def test_assign_is_vectorised_and_marks_outside_dates() -> None:
    periods = evaluated_periods("semester", calendar(), D(2025, 8, 31))
    days = np.array(
        ["2024-08-31", "2024-09-01", "2025-01-31", "2025-02-01", "2025-08-31", "2025-09-01", "NaT"],
        dtype="datetime64[D]",
    )
    assert assign(days, periods).tolist() == [-1, 0, 0, 1, 1, -1, -1]
    assert assign(days, []).tolist() == [-1] * 7


def test_a_calendar_starting_inside_a_semester_is_a_warning(cli, tmp_path) -> None:
    """Periods are cut to the calendar but minimums are not: a calendar from 2024-08-26
    leaves a six-day semester 2023-2024-2 judged at the full minimum; validate says so."""
    from jituan.config import default_path

    targets = tmp_path / "targets.yaml"
    text = default_path("targets.yaml").read_text(encoding="utf-8")
    targets.write_text(text.replace("start: 2024-09-01", "start: 2024-08-26"), encoding="utf-8")
    code, data = cli.json("validate", "--targets", targets)
    [cut] = [f for f in data["findings"] if f["code"] == "calendar-start-cuts"]
    assert (cut["key"], cut["severity"]) == ("calendar.start", "warning")
    assert "2024-08-26" in cut["message"] and "02-01 or 09-01" in cut["message"]
    _, data = cli.json("validate")
    assert not [f for f in data["findings"] if f["code"] == "calendar-start-cuts"]
