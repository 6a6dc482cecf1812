"""The fast paths give the same answers as the slow, obvious computation; startup stays light.

The checker works on dictionary codes, integer keys and bincounts (see records.py and
engine.py). This test generates a realistic ledger with the benchmark generator and
recomputes every result with plain Python loops over the CSV rows: which rows are
accepted, then for each target × subject × period the count, sum or distinct persons.
Actual values and statuses must be identical. Timings are measured by
``benchmarks/run.py``, never asserted here.
"""

from __future__ import annotations

import csv
import datetime as dt
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from jituan.columns import COLUMNS, REQUIRED, header_columns
from jituan.config import RESEARCHER_ROLE, load_config, normalise_role
from jituan.periods import evaluated_periods
from jituan.records import parse_count, parse_date
from jituan.textnorm import clean

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2026, 3, 20)  # inside a semester, so at_risk and on_track occur too


@pytest.fixture(scope="module")
def generate():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import generate
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    return generate


def accepted_rows(path: Path, config) -> tuple[list[dict], Counter]:
    """The rows the checker must accept, decided row by row."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    mapping = header_columns(rows[0])
    index = {col: rows[0].index(h) for h, col in mapping.items()}
    tally: Counter = Counter()
    out, seen = [], set()
    for number, raw in enumerate(rows[1:], start=2):  # the header is line 1
        tally["rows"] += 1
        cell = {
            c: clean(raw[index[c]]) if c in index and index[c] < len(raw) else "" for c in COLUMNS
        }
        if all(v == "" for v in cell.values()):
            tally["blank"] += 1
            continue
        day = parse_date(cell["date"])
        activity = config.find_activity(cell["activity"])
        school = config.find_school(cell["school"])
        from_school = config.find_school(cell["from_school"])
        count = parse_count(cell["count"])
        bad = any(cell[c] == "" for c in REQUIRED)
        bad |= cell["date"] != "" and (day is None or day > AS_OF)
        bad |= cell["activity"] != "" and activity is None
        bad |= cell["school"] != "" and school is None
        bad |= cell["from_school"] != "" and from_school is None
        if cell["group"] != "" and school is not None:
            bad |= config.find_group(cell["group"]) != config.schools[school].group
        bad |= count is None
        if activity == "teacher_rotation" and from_school is not None:
            bad |= from_school == school
        if bad:
            tally["rejected"] += 1
            continue
        key = (day, activity, school, from_school, cell["person"])
        if key in seen:  # a duplicate: counted once
            tally["rejected"] += 1
            continue
        seen.add(key)
        tally["accepted"] += 1
        out.append(
            {
                "date": day,
                "activity": activity,
                "school": school,
                "from_school": from_school,
                "person": cell["person"],
                "role": normalise_role(cell["role"]),
                "count": count,
                "row": number,
            }
        )
    return out, tally


def subjects(target, config, rows) -> list[tuple[str, str, int | None]]:
    """(key, name shown, teachers) of every subject of a target."""
    groups = [
        g
        for g in config.groups.values()
        if target.group_types is None or g.type in target.group_types
    ]
    if target.scope == "district":
        return [("district", config.district, None)]
    if target.scope == "group":
        return [(g.id, g.name, None) for g in groups]
    if target.scope == "school":
        out = []
        for g in groups:
            for s in config.schools.values():
                pick = target.school_selection
                if s.group == g.id and (
                    pick == "all"
                    or (pick == "lead" and s.lead)
                    or (pick == "members" and not s.lead)
                    or (pick == "rural" and s.rural)
                ):
                    out.append((s.name, s.name, s.teachers))
        return out
    names = list(config.researchers)
    for r in rows:
        if r["role"] == RESEARCHER_ROLE and r["person"] != "" and r["person"] not in names:
            names.append(r["person"])
    return [(n, n, None) for n in names]


def counts_toward(target, config, row, key) -> bool:
    """Whether a row passes the target's filters and belongs to the subject ``key``."""
    group_of = {n: s.group for n, s in config.schools.items()}
    if row["activity"] not in target.activities:
        return False
    if target.roles and row["role"] not in target.roles:
        return False
    if target.rural_only and not config.schools[row["school"]].rural:
        return False
    if target.within_group and (
        row["from_school"] is None or group_of[row["from_school"]] != group_of[row["school"]]
    ):
        return False
    if (
        target.visitors_from_group
        and row["from_school"] is not None
        and (
            row["from_school"] == row["school"]
            or group_of[row["from_school"]] != group_of[row["school"]]
        )
    ):
        return False
    if target.scope == "district":
        return True
    if target.scope == "group":
        place = row["school"] if target.by == "school" else row["from_school"]
        return place is not None and group_of[place] == key
    if target.scope == "school":
        return row[target.by] == key
    person = row["person"]
    if person != key or person == "":
        return False
    return person not in config.researchers or group_of[row["school"]] in config.researchers[person]


def status(actual: float, required: float, start: dt.date, end: dt.date) -> str:
    met = actual + 1e-9 >= required
    if end <= AS_OF:
        return "pass" if met else "fail"
    if met:
        return "pass"
    share = (
        0.0 if start > AS_OF else min(1.0, ((AS_OF - start).days + 1) / ((end - start).days + 1))
    )
    return "at_risk" if actual + 1e-9 < required * share else "on_track"


def expected_results(config, rows) -> dict[tuple[str, str, str], tuple[float, str]]:
    out = {}
    for target in config.targets:
        for period in evaluated_periods(target.period, config.calendar, AS_OF):
            end = target.deadline or period.end
            for key, name, teachers in subjects(target, config, rows):
                counted = [
                    r
                    for r in rows
                    if period.start <= r["date"] <= period.end
                    and (target.deadline is None or r["date"] <= target.deadline)
                    and counts_toward(target, config, r, key)
                ]
                if target.metric == "count":
                    actual = float(len(counted))
                elif target.metric == "sum":
                    actual = float(sum(r["count"] for r in counted))
                else:
                    actual = float(len({r["person"] for r in counted if r["person"] != ""}))
                if target.metric == "share_of_teachers":
                    if not teachers:
                        out[(target.id, name, period.id)] = (actual, "unknown")
                        continue
                    actual = round(actual / teachers, 6)
                out[(target.id, name, period.id)] = (
                    actual,
                    status(actual, target.min, period.start, end),
                )
    return out


def test_report_equals_the_obvious_computation(generate, cli, tmp_path) -> None:
    path = tmp_path / "ledger.csv"
    generate.write_csv(path, 12_000, seed=7)
    groups = ROOT / "examples" / "groups.yaml"  # headcounts and listed researchers
    config = load_config(groups)
    rows, tally = accepted_rows(path, config)

    _, report = cli.json("check", path, "--groups", groups, "--as-of", AS_OF.isoformat())

    summary = report["summary"]
    assert (summary["rows"], summary["accepted"], summary["rejected"]) == (
        tally["rows"],
        tally["accepted"],
        tally["rejected"],
    )
    assert report["inputs"][0]["blank"] == tally["blank"]
    got = {
        (r["target"], r["subject"], r["period"]): (float(r["actual"]), r["status"])
        for r in report["results"]
    }
    want = expected_results(config, rows)
    assert got == want
    statuses = Counter(s for _, s in want.values())
    assert statuses["pass"] and statuses["fail"] and statuses["at_risk"]  # a real test
    assert tally["rejected"] and tally["blank"]  # rows after AS_OF are future-date too


def expected_flags(config, rows) -> set[tuple[int, str]]:
    """(row, code) of every integrity flag, by person-day, looked up row by row."""
    import chinese_calendar

    rules = config.targets_file.integrity
    by_day: dict[tuple, list[dict]] = {}
    for r in rows:
        if r["person"] != "":
            by_day.setdefault((r["person"], r["date"]), []).append(r)
    flags = set()
    for day_rows in by_day.values():
        lessons = [r for r in day_rows if r["activity"] in rules.lesson_activities]
        if sum(r["count"] for r in lessons) > rules.max_lessons_per_day:
            flags |= {(r["row"], "too-many-lessons") for r in lessons}
        if len({config.schools[r["school"]].group for r in day_rows}) > 1:
            flags |= {(r["row"], "two-groups-same-day") for r in day_rows}
    for r in rows:
        off, name = chinese_calendar.get_holiday_detail(r["date"])
        if off and name:
            flags.add((r["row"], "holiday"))
    return flags


def test_integrity_flags_equal_the_obvious_computation(generate, cli, tmp_path) -> None:
    path = tmp_path / "ledger.csv"
    generate.write_csv(path, 30_000, seed=11)
    config = load_config(ROOT / "examples" / "groups.yaml")
    # and one teacher observing 3 × 4 lessons on one day, at three schools of one group
    group = next(iter(config.groups.values()))
    schools = [s for s, school in config.schools.items() if school.group == group.id][:3]
    with path.open("a", encoding="utf-8", newline="") as fh:
        for school in schools:
            fh.write(f"2025-11-12,听评课,{school},,,测试甲,教师,4,,\n")
    rows, _ = accepted_rows(path, config)
    groups = ROOT / "examples" / "groups.yaml"
    _, report = cli.json("check", path, "--groups", groups, "--as-of", AS_OF.isoformat())
    codes = {"too-many-lessons", "two-groups-same-day", "holiday"}
    got = {(i["row"], i["code"]) for i in report["issues"] if i["code"] in codes}
    want = expected_flags(config, rows)
    assert got == want
    assert {code for _, code in want} == codes  # every flag occurs: a real test


@pytest.mark.parametrize("argv", [["--version"], ["--help"]])
def test_startup_imports_no_data_libraries(argv: list[str]) -> None:
    code = (
        "import sys, io, contextlib\n"
        "from jituan.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main({argv!r})\n"
        "print(sorted(m for m in ('pandas', 'pyarrow', 'numpy') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_duplicate_search_matches_a_dictionary_of_first_rows():
    """The sort-and-hash duplicate search against the obvious loop, on keys from a few
    values (every row a repeat) to 2**60 (almost none, and hash collisions among them)."""
    import numpy as np

    from jituan.duplicates import repeats

    rng = np.random.default_rng(5)
    for high in (3, 100, 10**6, 2**60):
        for n in (0, 1, 2, 50, 5000):
            keys = rng.integers(0, high, n, dtype=np.int64)
            if n > 2 and high == 2**60:
                keys[rng.integers(0, n, 5)] = keys[rng.integers(0, n, 5)]
            first: dict[int, int] = {}
            expected = []
            for i, k in enumerate(keys.tolist()):
                if k in first:
                    expected.append((i, first[k]))
                else:
                    first[k] = i
            later, earliest = repeats(keys)
            assert sorted(zip(later.tolist(), earliest.tolist(), strict=True)) == expected


def test_row_issues_made_fast_are_the_dataclass_s():
    import dataclasses

    from jituan.model import RowIssue
    from jituan.records import _row_issue

    fast = _row_issue("a.csv", "台账", 7, "school", "unknown-school", "error", "某校", "文", None)
    slow = RowIssue(
        file="a.csv",
        sheet="台账",
        row=7,
        column="school",
        value="某校",
        code="unknown-school",
        severity="error",
        message="文",
        suggestion=None,
    )
    assert fast == slow and hash(fast) == hash(slow) and repr(fast) == repr(slow)
    assert list(vars(fast)) == [f.name for f in dataclasses.fields(RowIssue)]
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.row = 8  # type: ignore[misc]
