"""Exemptions: applied, expired, unused; the file validated like the configuration.

Configuration: conftest's MINI_GROUPS with only the ``forum`` target (one principal forum
per group per semester). The ledger holds east's two forums, so as of 2025-08-31 west
fails both semesters (2024-2025-1, 2024-2025-2) and nothing else fails.
"""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from jituan.config import load_config
from jituan.exemptions import apply_exemptions, load_exemptions
from jituan.model import Result
from tests.conftest import MINI_GROUPS, MINI_TARGETS, write_ledger

AS_OF = "2025-08-31"
FORUM_ONLY = MINI_TARGETS.split("  - id: visits")[0]
ROWS = [
    dict(date="2024-10-10", activity="校长论坛", school="东街小学"),
    dict(date="2025-03-10", activity="校长论坛", school="东街小学"),
]
ENTRY = """\
  - target: {target}
    subject: {subject}
    periods: [{periods}]
    reason: 集团组建较晚
    approved_by: 区教育局发展中心
    expires: {expires}
"""


def entry(
    target: str = "forum",
    subject: str = "西区教育集团",
    periods: str = "2024-2025-1",
    expires: str = "2025-08-31",
) -> str:
    return ENTRY.format(target=target, subject=subject, periods=periods, expires=expires)


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.chdir(tmp_path)
    Path("groups.yaml").write_text(MINI_GROUPS, encoding="utf-8")
    Path("targets.yaml").write_text(FORUM_ONLY, encoding="utf-8")
    write_ledger(Path("ledger.csv"), ROWS)
    return ["ledger.csv", "--groups", "groups.yaml", "--targets", "targets.yaml", "--as-of", AS_OF]


def write(entries: str, name: str = "exemptions.yaml") -> str:
    Path(name).write_text("exemptions:\n" + entries, encoding="utf-8")
    return name


def by_key(data: dict) -> dict[tuple[str, str], dict]:
    return {(r["subject"], r["period"]): r for r in data["results"]}


def test_without_exemptions_west_fails_both_semesters(cli, setup) -> None:
    code, data = cli.json("check", *setup)
    assert code == 1
    assert data["summary"]["fail"] == 2 and data["summary"]["exempt"] == 0


def test_applied_exemption_is_neither_pass_nor_fail(cli, setup) -> None:
    path = write(entry(subject="west", periods="2024-2025-1, 2024-2025-2"))  # the id
    code, data = cli.json("check", *setup, "--exemptions", path)
    assert code == 0  # the only failures are exempt: the run passes
    west = by_key(data)
    for period in ("2024-2025-1", "2024-2025-2"):
        result = west[("西区教育集团", period)]
        assert result["status"] == "exempt"
        assert result["actual"] == 0  # the figure is still shown
        assert result["reason"].startswith("集团组建较晚 (approved by 区教育局发展中心")
    s = data["summary"]
    assert (s["pass"], s["fail"], s["exempt"]) == (2, 0, 2)
    assert data["issues"] == []


def test_exemption_on_its_expiry_day_still_holds(cli, setup) -> None:
    path = write(entry(expires=AS_OF))
    _, data = cli.json("check", *setup, "--exemptions", path)
    assert by_key(data)[("西区教育集团", "2024-2025-1")]["status"] == "exempt"


def test_expired_exemption_is_not_applied_and_warns(cli, setup) -> None:
    path = write(entry(expires="2025-08-30"))
    code, data = cli.json("check", *setup, "--exemptions", path)
    assert code == 1
    assert by_key(data)[("西区教育集团", "2024-2025-1")]["status"] == "fail"
    [issue] = data["issues"]
    assert issue["code"] == "exemption-expired" and issue["severity"] == "warning"
    assert (issue["file"], issue["row"]) == (path, 2)  # the entry's line
    assert "2025-08-30" in issue["message"]
    code, _, _ = cli("check", *setup, "--exemptions", path, "--strict")
    assert code == 1


def test_unused_exemption_warns_with_its_line(cli, setup) -> None:
    # forum is a group duty: no result has the school 东街小学 as its subject.
    path = write(entry(subject="东街小学") + entry())
    code, data = cli.json("check", *setup, "--exemptions", path)
    [issue] = data["issues"]
    assert issue["code"] == "exemption-unused" and issue["row"] == 2
    assert by_key(data)[("西区教育集团", "2024-2025-1")]["status"] == "exempt"
    assert code == 1  # west's second semester still fails


def test_target_all_and_a_school_subject(tmp_path: Path) -> None:
    groups, targets = tmp_path / "g.yaml", tmp_path / "t.yaml"
    groups.write_text(MINI_GROUPS, encoding="utf-8")
    targets.write_text(MINI_TARGETS, encoding="utf-8")
    config = load_config(groups, targets)
    (tmp_path / "e.yaml").write_text(
        "exemptions:\n" + entry(target="all", subject="东村中心学校", periods="2024-2025-1"),
        encoding="utf-8",
    )
    exemptions = load_exemptions(tmp_path / "e.yaml", config)

    def result(target: str, subject: str, period: str) -> Result:
        return Result(target, "t", "s", "error", "school", subject, "东区教育集团", period,
                      period, "count", 3, 0, "fail")  # fmt: skip

    results = [
        result("visits", "东村中心学校", "2024-2025-1"),
        result("rotation", "东村中心学校", "2024-2025-1"),
        result("visits", "东村中心学校", "2024-2025-2"),
        result("visits", "东新小学", "2024-2025-1"),
    ]
    out, warnings = apply_exemptions(results, exemptions, config, dt.date(2025, 3, 1))
    assert [r.status for r in out] == ["exempt", "exempt", "fail", "fail"]
    assert warnings == []
    assert results[0].status == "fail"  # the input is not changed


def test_a_researcher_subject_is_read_as_a_ledger_reads_names(tmp_path: Path) -> None:
    """王　老师 (padded with a full-width space, as spreadsheets line names up) is the
    listed researcher 王老师 in an exemption, as in a ledger's 姓名."""
    from jituan.exemptions import resolve_subject

    groups, targets = tmp_path / "g.yaml", tmp_path / "t.yaml"
    groups.write_text(MINI_GROUPS, encoding="utf-8")
    targets.write_text(MINI_TARGETS, encoding="utf-8")
    config = load_config(groups, targets)
    assert resolve_subject("王　老师", config) == resolve_subject(" 王老师", config) == "王老师"
    assert resolve_subject("王老", config) is None


def test_junit_skips_exempt_results_with_the_reason(cli, setup) -> None:
    path = write(entry())
    code, out, _ = cli("check", *setup, "--exemptions", path, "--format", "junit")
    root = ET.fromstring(out)
    skipped = [c for c in root.iter("testcase") if c.find("skipped") is not None]
    [case] = skipped
    assert "西区教育集团" in case.get("name")
    assert case.find("skipped").get("message").startswith("集团组建较晚")


@pytest.mark.parametrize("fmt", ["table", "markdown", "html", "csv"])
def test_every_format_shows_exempt(cli, setup, fmt: str) -> None:
    path = write(entry())
    code, out, err = cli("check", *setup, "--exemptions", path, "--format", fmt)
    assert code == 1, err
    assert "exempt" in out and "集团组建较晚" in out


def test_invalid_file_exits_2_with_file_and_line(cli, setup) -> None:
    text = entry().replace("    expires:", "    approved:  x\n    expires:")
    path = write(text + entry(target="froum", subject="北区集团", periods="2024-2025-3"))
    code, out, err = cli("check", *setup, "--exemptions", path)
    assert code == 2 and out == ""
    assert "Traceback" not in err
    assert "exemptions.yaml: line 7: exemptions.0.approved: unknown key 'approved'" in err
    code, out, err = cli("check", *setup, "--exemptions", write(entry(expires="soon")))
    assert code == 2 and "exemptions.0.expires" in err and "line 7" in err
    # a moment, not a day: said as the file writes it, not as Python's repr
    code, out, err = cli(
        "check", *setup, "--exemptions", write(entry(expires="2025-08-31T10:00:00"))
    )
    assert code == 2 and "expected a date without a time" in err, err
    assert "(got 2025-08-31 10:00:00)" in err and "datetime.datetime" not in err
    code, out, err = cli(
        "check", *setup, "--lang", "zh", "--exemptions", write(entry(expires="2025-08-31 10:00:00"))
    )
    assert "应为日期，不能带时间（现为 2025-08-31 10:00:00）" in err, err


def test_every_problem_of_an_entry_is_listed_at_once(cli, setup) -> None:
    """A misspelt key, a date that is none and an unknown target in one entry: all three
    are listed (a shape error, or a bad date, used to hide the names' problems)."""
    text = entry(target="froum", expires="2025-02-30").replace("reason:", "reasn:")
    code, out, err = cli("check", *setup, "--exemptions", write(text))
    assert code == 2 and out == ""
    assert "exemptions.0.expires" in err and "'2025-02-30' is not a valid date" in err
    assert "unknown key 'reasn'" in err and "exemptions.0.reason" in err  # missing
    assert "unknown target 'froum'" in err
    code, out, err = cli("check", *setup, "--exemptions", write(entry(subject="2025-02-30")))
    assert code == 2 and "'2025-02-30' is not a valid date" in err
    assert "unknown subject" not in err  # the value's own finding says it, once
    aliased = entry(subject="&s 2025-02-30") + entry(subject="*s", periods="2024-2025-2")
    code, out, err = cli("check", *setup, "--exemptions", write(aliased))
    assert code == 2 and "unknown subject" not in err, err
    assert "line 3: exemptions.0.subject: '2025-02-30' is not a valid date" in err


def test_validate_checks_names_against_the_configuration(cli, setup) -> None:
    path = write(entry(target="froum", subject="北区集团", periods="2024-2025-3, program"))
    code, data = cli.json(
        "validate", "--groups", "groups.yaml", "--targets", "targets.yaml", "--exemptions", path
    )
    assert code == 2
    found = {(f["line"], f["key"], f["code"]) for f in data["findings"]}
    assert found == {
        (2, "exemptions.0.target", "unknown-target"),
        (3, "exemptions.0.subject", "unknown-subject"),
        (4, "exemptions.0.periods.0", "bad-period"),
    }
    good = write(entry(), "good.yaml")
    code, data = cli.json(
        "validate", "--groups", "groups.yaml", "--targets", "targets.yaml", "--exemptions", good
    )
    assert code == 0 and data["errors"] == 0


def test_validate_warns_of_entries_that_can_match_no_result(cli, setup) -> None:
    """forum is evaluated per group and per semester: a school as its subject, or a
    calendar year among its periods, can match nothing (check would only say so as
    exemption-unused, month after month)."""
    path = write(entry(subject="东街小学") + entry(periods="2024-2025-1, 2025, program"))
    code, data = cli.json(
        "validate", "--groups", "groups.yaml", "--targets", "targets.yaml", "--exemptions",
        path, "--lang", "en",
    )  # fmt: skip
    assert code == 0 and data["errors"] == 0
    found = [(f["line"], f["key"], f["severity"], f["message"]) for f in data["findings"]]
    assert found == [
        (3, "exemptions.0.subject", "warning",
         "target forum is evaluated per group, and '东街小学' is a school: this exemption "
         "can match no result"),
        (10, "exemptions.1.periods.1", "warning",
         "target forum is evaluated per semester, and '2025' is not a period of that kind: "
         "this period can match no result"),
        (10, "exemptions.1.periods.2", "warning",
         "target forum is evaluated per semester, and 'program' is not a period of that "
         "kind: this period can match no result"),
    ]  # fmt: skip


def test_missing_or_broken_file_exits_2(cli, setup) -> None:
    code, _, err = cli("check", *setup, "--exemptions", "nope.yaml")
    assert code == 2 and "nope.yaml: file not found" in err
    Path("bad.yaml").write_text("exemptions: [\n", encoding="utf-8")
    code, _, err = cli("check", *setup, "--exemptions", "bad.yaml")
    assert code == 2 and "bad.yaml" in err and "Traceback" not in err


def test_audit_takes_exemptions(cli, setup) -> None:
    path = write(entry())
    code, out, err = cli("audit", *setup, "--out", "reports", "--exemptions", path)
    assert code == 1, err
    data = json.loads(Path("reports/report.json").read_text(encoding="utf-8"))
    assert data["summary"]["exempt"] == 1
    assert "集团组建较晚" in Path("reports/report.html").read_text(encoding="utf-8")


def test_a_researcher_the_ledgers_name_can_be_exempted(
    cli, mini_config, tmp_path, monkeypatch
) -> None:
    """李研 is in no groups.yaml, but a ledger records them as 教研员, so check evaluates
    them (and fails them, 3 of 15 lessons): an entry for the researcher's target exempts
    that result, with a warning that the name is not listed. A misspelt name matches no
    result: unused. For a school's target, an unknown name stays an error (exit 2)."""
    monkeypatch.chdir(tmp_path)  # the conftest's groups.yaml and targets.yaml are here
    row = dict(date="2024-10-10", activity="听评课", school="东村中心学校", person="李研")
    write_ledger(Path("ledger.csv"), [row | dict(role="教研员", count="3")])
    args = ["ledger.csv", "--groups", "groups.yaml", "--targets", "targets.yaml", "--as-of", AS_OF]
    code, report = cli.json("check", *args)
    [before] = [
        r for r in report["results"] if r["subject"] == "李研" and r["period"] == "2024-2025-1"
    ]
    assert (before["target"], before["actual"], before["status"]) == ("lessons", 3, "fail")
    write(entry("lessons", "李研") + entry("lessons", "李岩"))
    code, report = cli.json("check", *args, "--exemptions", "exemptions.yaml")
    [after] = [
        r for r in report["results"] if r["subject"] == "李研" and r["period"] == "2024-2025-1"
    ]
    assert after["status"] == "exempt"
    codes = [(i["code"], i["row"]) for i in report["issues"] if i["file"] == "exemptions.yaml"]
    assert codes == [("exemption-unused", 8)]
    code, out, err = cli(
        "validate",
        "--groups",
        "groups.yaml",
        "--targets",
        "targets.yaml",
        "--exemptions",
        "exemptions.yaml",
        "--format",
        "json",
    )
    found = [
        (f["code"], f["severity"])
        for f in json.loads(out)["findings"]
        if f["file"] == "exemptions.yaml"
    ]
    assert found == [("exemption-unlisted-researcher", "warning")] * 2
    write(entry("visits", "李研"))
    code, out, err = cli("check", *args, "--exemptions", "exemptions.yaml")
    assert code == 2 and "unknown subject '李研'" in err


def test_a_period_may_be_written_by_its_name(cli, setup) -> None:
    """2024-2025学年第一学期, as the quality ledger takes it, is the period 2024-2025-1: west's
    forum that semester is exempt. A misspelt name gets the right name as a hint, not the
    school year's id."""
    path = write(entry(periods="2024-2025学年第一学期"))
    code, report = cli.json("check", *setup, "--exemptions", path)
    west = {r["period"]: r["status"] for r in report["results"] if r["subject"] == "西区教育集团"}
    assert west == {"2024-2025-1": "exempt", "2024-2025-2": "fail"}
    code, report = cli.json(
        "check", *setup, "--exemptions", write(entry(periods="2024-2025学年第1学期"))
    )
    assert [r["status"] for r in report["results"] if r["subject"] == "西区教育集团"][0] == "exempt"
    path = write(entry(periods="2024-2025学年第一学"))
    code, out, err = cli("check", *setup, "--exemptions", path, "--lang", "zh")
    assert code == 2 and "是否应为“2024-2025学年第一学期”" in err, err
