"""`jituan audit`: four files written atomically, the month guard, and --previous.

The ledger and its hand-worked answers: tests/reportkit.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests import reportkit

FILES = ["report.csv", "report.html", "report.json", "report.md"]


@pytest.fixture
def audit(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    args = reportkit.setup(tmp_path)

    def go(out: str, as_of: str, *extra: str) -> tuple[int, str, str]:
        return cli("audit", *args, "--out", out, "--as-of", as_of, "--lang", "en", *extra)

    return go


def test_writes_the_four_files(audit, tmp_path: Path) -> None:
    code, out, err = audit("reports/2025-03", "2025-03-31")
    assert code == 1, err  # exit codes as check: four failing results
    folder = tmp_path / "reports" / "2025-03"
    assert sorted(p.name for p in folder.iterdir()) == FILES  # no temporary file left
    data = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    assert data["as_of"] == "2025-03-31"
    assert data["summary"]["fail"] == 4 and data["summary"]["at_risk"] == 10
    assert (folder / "report.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert "## Failing (4)" in (folder / "report.md").read_text(encoding="utf-8")
    assert (folder / "report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    lines = out.splitlines()
    assert lines[0] == "wrote reports/2025-03/report.json"
    assert lines[-1] == "verdict: FAIL — 4 failing, 10 at risk, 2 row error(s)"


def test_same_month_is_replaced_another_month_is_refused(audit, tmp_path: Path) -> None:
    assert audit("out", "2025-03-31")[0] == 1
    assert audit("out", "2025-03-15")[0] == 1  # the same month: replaced
    before = (tmp_path / "out" / "report.json").read_bytes()
    code, out, err = audit("out", "2025-04-30")
    assert code == 2
    assert "holds the audit of 2025-03; this one is 2025-04" in err
    assert "Traceback" not in err
    assert (tmp_path / "out" / "report.json").read_bytes() == before
    code, _, err = audit("out", "2025-04-30", "--force")
    assert code == 1, err
    data = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert data["as_of"] == "2025-04-30"


def test_month_guard_in_chinese_and_a_report_resaved_with_a_bom(audit, tmp_path: Path) -> None:
    """The refusal follows --lang; a report.json re-saved by Notepad (a byte-order mark)
    still tells the folder's month, as --previous already read it."""
    assert audit("out", "2025-03-31")[0] == 1
    code, _, err = audit("out", "2025-04-30", "--lang", "zh")
    assert code == 2 and "存放的是 2025-03 的核查，本次是 2025-04" in err
    report = tmp_path / "out" / "report.json"
    report.write_bytes(b"\xef\xbb\xbf" + report.read_bytes())
    assert audit("out", "2025-03-31")[0] == 1  # the same month: replaced, not refused
    code, _, err = audit("out", "2025-04-30")
    assert code == 2 and "holds the audit of 2025-03" in err


def test_a_previous_report_dated_after_as_of_is_refused(audit, tmp_path: Path) -> None:
    """A script that picks the newest folder after a re-run must not compare backwards."""
    assert audit("reports/2025-05", "2025-05-31")[0] == 1
    code, _, err = audit(
        "reports/2025-03", "2025-03-31", "--previous", "reports/2025-05/report.json"
    )
    assert code == 2
    assert "its date 2025-05-31 is after this audit's --as-of 2025-03-31" in err
    assert not (tmp_path / "reports" / "2025-03").exists()
    previous = ("--previous", "reports/2025-05/report.json")
    assert audit("reports/2025-05b", "2025-05-31", *previous)[0] == 1  # the same day: fine
    # a date written another way (Python reads 20250331 as a day too) is a damaged report,
    # not a later one: compared as text, "20250331" is after "2025-04-30"
    report = tmp_path / "reports" / "2025-05" / "report.json"
    report.write_text(
        report.read_text(encoding="utf-8").replace('"2025-05-31"', '"20250331"', 1),
        encoding="utf-8",
    )
    code, _, err = audit("reports/2025-04", "2025-04-30", *previous)
    assert code == 2 and "as_of" in err and "YYYY-MM-DD" in err and "after" not in err, err


def test_reports_of_unknown_month_are_refused(audit, tmp_path: Path) -> None:
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "report.html").write_text("<p>someone's report</p>", encoding="utf-8")
    code, _, err = audit("old", "2025-03-31")
    assert code == 2 and "no readable report.json" in err
    assert (tmp_path / "old" / "report.html").read_text(encoding="utf-8").startswith("<p>")


def test_a_report_json_too_deep_to_read_is_an_unknown_month(audit, tmp_path: Path) -> None:
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "report.json").write_text("[" * 100_000, encoding="utf-8")
    code, _, err = audit("old", "2025-03-31")
    assert code == 2 and "no readable report.json" in err and "Traceback" not in err


def test_a_folder_that_cannot_be_entered_is_refused(
    audit, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder with read but no search permission: asking whether its files exist
    fails (tests run as root here, where permissions do not apply, so it is simulated)."""
    (tmp_path / "locked").mkdir()
    real = Path.exists

    def exists(self: Path, *args, **kwargs) -> bool:
        if self.parent.name == "locked":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "exists", exists)
    code, _, err = audit("locked", "2025-03-31")
    assert code == 2 and "Traceback" not in err
    assert "locked: cannot write the reports: Permission denied" in err


def test_out_must_be_a_folder(audit, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    code, _, err = audit("file", "2025-03-31")
    assert code == 2 and "not a folder" in err


@pytest.mark.parametrize(
    ("content", "message"),
    [("{not json", "not a JSON report"), ('{"tool": "other"}', "not a jituan report.json")],
)
def test_previous_must_be_a_report(audit, tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "prev.json").write_text(content, encoding="utf-8")
    code, _, err = audit("out", "2025-03-31", "--previous", "prev.json")
    assert code == 2 and message in err
    code, _, err = audit("out", "2025-03-31", "--previous", "missing.json")
    assert code == 2 and "cannot read" in err


def test_since_last_audit(audit, tmp_path: Path) -> None:
    """2024-11-15 → 2025-03-31, worked by hand.

    On 2024-11-15 semester 1 is 76/153 days in (pace 0.497) and the agreement's span to
    its deadline 76/91 (0.835); rows dated after it are future-date errors.
    - became failing: forum west S1 (at risk → fail), visits 东新 S1 and 西村 S1 (at risk
      → fail), agreement west (at risk → fail)
    - became passing: visits 东村 S1 (2/3, on track → 3/3), lessons 王老师 S1 (0, at risk
      → 16)
    - new row issues: a row added since (row 11, bad count); rows 9 (unknown-school, and
      future-date then) and 10 (future-date) were reported already
    - resolved: the future-date issues of rows 5, 7, 8 and 9
    """
    assert audit("reports/2024-11", "2024-11-15")[0] == 1
    with (tmp_path / "ledger.csv").open("a", encoding="utf-8") as fh:
        fh.write("2025-03-10,校长论坛,西街小学,,,,,zero,\n")
    code, out, err = audit(
        "reports/2025-03", "2025-03-31", "--previous", "reports/2024-11/report.json"
    )
    assert code == 1, err
    data = json.loads((tmp_path / "reports/2025-03/report.json").read_text(encoding="utf-8"))
    since = data["since_last_audit"]
    assert since["previous_as_of"] == "2024-11-15"
    failing = {(c["target"], c["subject"], c["previous_status"]) for c in since["became_failing"]}
    assert failing == {
        ("forum", "西区教育集团", "at_risk"),
        ("visits", "东新小学", "at_risk"),
        ("visits", "西村中心学校", "at_risk"),
        ("agreement", "西区教育集团", "at_risk"),
    }
    passing = {(c["target"], c["subject"], c["previous_status"]) for c in since["became_passing"]}
    assert passing == {("visits", "东村中心学校", "on_track"), ("lessons", "王老师", "at_risk")}
    assert [(i["row"], i["code"]) for i in since["new_issues"]] == [(11, "bad-count")]
    assert since["resolved_issues"] == 4
    assert out.splitlines()[-2] == (
        "since the last audit (2024-11-15): 4 became failing, 2 became passing, 1 new row issue(s)"
    )
    md = (tmp_path / "reports/2025-03/report.md").read_text(encoding="utf-8")
    assert "## Since the last audit (2024-11-15)" in md
    assert "### Became failing (4)" in md and "### Became passing (2)" in md
    html = (tmp_path / "reports/2025-03/report.html").read_text(encoding="utf-8")
    assert "Since the last audit (2024-11-15)" in html


def test_help_does_not_import_pandas() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from jituan.cli import main; main(['audit', '--help']); "
        "print('pandas' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip().endswith("False")


def test_an_audit_folder_inside_the_checked_folder_is_not_a_ledger_warning(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second monthly run over a folder that holds the first run's reports: their
    report.csv is said to be jituan's own (info), not a warning that --strict fails on."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "l.csv").write_text(
        "日期,活动类型,学校\n2024-09-10,校长论坛,甘州区南关学校\n", encoding="utf-8"
    )
    args = ("audit", "data", "--as-of", "2025-01-31", "--lang", "en", "--strict")
    cli(*args, "--out", "data/reports/2025-01")
    cli(*args, "--out", "data/reports/2025-01")
    report = json.loads((tmp_path / "data/reports/2025-01/report.json").read_text("utf-8"))
    own = [i for i in report["issues"] if i["file"].endswith("report.csv")]
    assert [(i["code"], i["severity"]) for i in own] == [("not-a-ledger", "info")]
    assert own[0]["message"] == "a report.csv that jituan wrote, not a ledger: not read"
    assert not [i for i in report["issues"] if i["severity"] == "warning"]


def test_monthly_audits_kept_inside_the_data_folder(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each month's reports in data/reports/: the next month's report.csv note is not a
    "new row issue" since the last audit, and a folder holding only reports (data/reports
    named on its own) is not a folder "with no ledger at all" (exit 2)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "l.csv").write_text(
        "日期,活动类型,学校\n2024-09-10,校长论坛,甘州区南关学校\n", encoding="utf-8"
    )
    base = ("audit", "data", "--lang", "en")
    cli(*base, "--out", "data/reports/2025-01", "--as-of", "2025-01-31")
    cli(
        *base,
        "--out",
        "data/reports/2025-02",
        "--as-of",
        "2025-02-28",
        "--previous",
        "data/reports/2025-01/report.json",
    )
    report = json.loads((tmp_path / "data/reports/2025-02/report.json").read_text("utf-8"))
    assert report["since_last_audit"]["new_issues"] == []
    code, _, _ = cli("check", "data/l.csv", "data/reports", "--as-of", "2025-02-28")
    assert code == 1  # failing targets; the reports folder is no error


def test_a_folder_in_a_reports_place_leaves_the_former_reports_whole(audit, tmp_path) -> None:
    """report.csv turned into a folder: the run stops before moving any report in, so the
    folder never holds reports of two runs side by side."""
    assert audit("reports/2025-04", "2025-04-10")[0] == 1
    folder = tmp_path / "reports" / "2025-04"
    (folder / "report.csv").unlink()
    (folder / "report.csv").mkdir()
    (folder / "report.csv" / "x").write_text("x", encoding="utf-8")
    before = {n: (folder / n).read_bytes() for n in ("report.json", "report.md", "report.html")}
    code, _, err = audit("reports/2025-04", "2025-04-20")
    assert code == 2 and "Traceback" not in err, err
    assert {n: (folder / n).read_bytes() for n in before} == before
    assert sorted(p.name for p in folder.iterdir()) == FILES  # no temporary file left
