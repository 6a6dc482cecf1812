"""Every --format on the fixed small ledger of tests/reportkit.py (answers worked by hand).

Golden files live in tests/golden/; regenerate them with
``JITUAN_UPDATE_GOLDEN=1 pytest tests/test_report_formats.py`` and review the diff.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

from jituan.report import REPORTERS
from tests import reportkit

GOLDEN = Path(__file__).parent / "golden"
XSD = Path(__file__).parent / "junit-10.xsd"
SUFFIX = {
    "table": "txt",
    "json": "json",
    "csv": "csv",
    "markdown": "md",
    "junit": "xml",
    "github": "txt",
    "html": "html",
}


@pytest.fixture
def run(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Run `check` on the fixed ledger from inside tmp_path (so paths are relative)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "100")
    args = reportkit.setup(tmp_path)

    def go(fmt: str, *extra: str, lang: str = "en") -> tuple[int, str]:
        code, out, err = cli(
            "check", *args, "--as-of", reportkit.AS_OF, "--lang", lang, "--format", fmt, *extra
        )
        assert code == 1, err
        return code, out

    return go


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_every_registered_format_renders(run, fmt: str) -> None:
    code, out = run(fmt)
    assert out.strip()
    assert "Traceback" not in out


@pytest.mark.parametrize(
    ("fmt", "lang"),
    [(f, "en") for f in REPORTERS] + [("html", "zh"), ("markdown", "zh")],
)
def test_golden(run, fmt: str, lang: str) -> None:
    _, out = run(fmt, lang=lang)
    path = GOLDEN / f"check-{lang}.{fmt}.{SUFFIX[fmt]}"
    if os.environ.get("JITUAN_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(out.encode("utf-8"))
    assert path.exists(), f"no golden file {path.name}: run with JITUAN_UPDATE_GOLDEN=1"
    assert out == path.read_bytes().decode("utf-8")


def test_json_summary_worked_by_hand(run) -> None:
    _, out = run("json")
    data = json.loads(out)
    assert data["summary"] == {
        "pass": 4,
        "fail": 4,
        "at_risk": 10,
        "on_track": 0,
        "unknown": 1,
        "exempt": 0,
        "rows": 9,
        "accepted": 7,
        "rejected": 2,
        "blank": 0,
    }
    assert "since_last_audit" not in data


@pytest.mark.parametrize(
    "value",
    [
        {"issues": [{"a": 1, "b": "}, {\n\t"}, {"a": None, "b": "},\n      {"}]},
        {"r": [{"k": "中文", 1: 2.5, None: True}], "e": [], "o": {}, "d": [{}], "n": [[1], {}]},
        [{"a": {"deep": [1, {"x": "}"}]}}, {"b": 2}],
    ],
)
def test_json_fast_encoding_is_the_standard_indented_encoding(value) -> None:
    from jituan.report.json import dumps

    assert dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_csv_has_bom_one_row_per_result_and_json_fields(run) -> None:
    _, out = run("csv")
    assert out.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(out[1:])))
    assert len(rows) == 19
    assert list(rows[0]) == [
        "target",
        "title",
        "source",
        "severity",
        "scope",
        "subject",
        "group",
        "period",
        "period_label",
        "metric",
        "required",
        "actual",
        "status",
        "reason",
    ]
    rotation = next(r for r in rows if r["target"] == "rotation" and r["subject"] == "东街小学")
    assert (rotation["required"], rotation["actual"], rotation["status"]) == (
        "0.05",
        "0.025",
        "at_risk",
    )
    unknown = next(r for r in rows if r["status"] == "unknown")
    assert unknown["subject"] == "东新小学" and unknown["reason"]


def test_csv_output_file_keeps_the_bom(run, tmp_path: Path) -> None:
    run("csv", "--output", "out.csv")
    assert (tmp_path / "out.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_output_dash_is_standard_output(run, tmp_path: Path) -> None:
    """``--output -`` writes to stdout, as ``template`` takes it, not to a file named -."""
    _, out = run("json", "--output", "-")
    assert json.loads(out)["tool"] == "jituan"
    assert not (tmp_path / "-").exists()


def test_csv_neutralises_formulas() -> None:
    from jituan.report.csv_format import neutralise

    for cell in ("=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(cell) == "'" + cell
    assert neutralise("东街小学") == "东街小学"
    assert neutralise(None) == ""
    assert neutralise(0.05) == "0.05" and neutralise(3.0) == "3"


def test_markdown_lists_failing_and_at_risk(run) -> None:
    _, out = run("markdown")
    assert "## Failing (4)" in out
    assert "## At risk (running and behind the pace) (10)" in out
    assert "| agreement 协议 | 五（一） | 西区教育集团 | whole programme | 0/1 | fail |" in out
    # the evil value is escaped, not markup
    assert "<script>" not in out and "\\<script\\>" in out


def test_github_annotations(run) -> None:
    _, out = run("github")
    lines = out.splitlines()
    assert len(lines) == 2 + 4  # two row issues, four failing results
    assert lines[0].startswith("::error file=ledger.csv,line=9,title=jituan unknown-school::")
    assert lines[1].startswith("::error file=ledger.csv,line=10,title=jituan future-date::")
    # a failing result has no row: it goes on line 1 of the first ledger read
    assert (
        sum(line.startswith("::error file=ledger.csv,line=1,title=jituan ") for line in lines) == 4
    )


def test_github_annotation_names_the_workbook_sheet(cli, mini_config, tmp_path) -> None:
    """An annotation has a file and a line but no sheet: a row of sheet 台账2 says so."""
    from openpyxl import Workbook

    groups, targets = mini_config
    book = Workbook()
    book.active.append(["日期", "活动类型", "学校"])
    book.active.append(["2024-10-10", "校长论坛", "东街小学"])
    second = book.create_sheet("台账2")
    second.append(["日期", "活动类型", "学校"])
    second.append(["不是日期", "校长论坛", "东街小学"])
    book.save(tmp_path / "d.xlsx")
    args = ("--groups", groups, "--targets", targets, "--as-of", "2025-08-31")
    _, out, _ = cli("check", tmp_path / "d.xlsx", *args, "--format", "github")
    assert out.splitlines()[0] == (
        f"::error file={tmp_path / 'd.xlsx'},line=2,title=jituan bad-date [台账2]::"
        "[台账2] not a date: 不是日期"
    )


def test_github_escaping() -> None:
    from jituan.report.github import command

    assert command("error", "50%\r\nnext", file="a,b:c.csv", line=3) == (
        "::error file=a%2Cb%3Ac.csv,line=3::50%25%0D%0Anext"
    )
    assert command("warning", "x") == "::warning::x"


def test_control_characters_from_a_ledger_are_spelled_out() -> None:
    """An escape sequence typed into a cell (clear the screen, set the window title) reaches
    the CI log or the Markdown page as text, never as a control character."""
    from jituan.report.common import visible
    from jituan.report.github import command
    from jituan.report.markdown import md

    cell = "\x1b[2J\x1b]0;x\x07南关\x9b\x7f\tend"
    assert visible(cell) == "\\x1b[2J\\x1b]0;x\\x07南关\\x9b\\x7f\tend"
    assert command("error", cell) == "::error::\\x1b[2J\\x1b]0;x\\x07南关\\x9b\\x7f\tend"
    assert md(cell) == "\\x1b\\[2J\\x1b\\]0;x\\x07南关\\x9b\\x7f\tend"


def test_verdict_names_what_else_fails_or_fails_quietly(cli, mini_config, tmp_path) -> None:
    """--strict fails on a duplicate (a warning): the verdict says so. Without --strict, a
    failing warning-level target does not fail the run, and the verdict says it failed."""
    from tests.conftest import write_ledger

    groups, targets = mini_config
    only_forum = targets.read_text(encoding="utf-8").split("  - id: visits")[0]
    targets.write_text(only_forum + "    severity: warning\n", encoding="utf-8")
    row = dict(date="2024-10-10", activity="校长论坛", school="东街小学")
    path = write_ledger(tmp_path / "a.csv", [row, row])
    args = ("check", path, "--groups", groups, "--targets", targets, "--as-of", "2025-08-31")
    code, out, _ = cli(*args, "--strict", "--format", "markdown")
    assert code == 1
    assert "FAIL — 3 failing, 0 at risk, 0 row error(s), 1 row warning(s) (--strict)" in out
    code, out, _ = cli(*args, "--format", "markdown")
    assert code == 0
    assert "PASS — 1 passing, 0 on track, 0 at risk; 3 warning-level target(s) failing" in out
    targets.write_text(  # an error-level target fails too: the verdict tells the two apart
        targets.read_text(encoding="utf-8")
        + only_forum.split("targets:")[1].replace("id: forum", "id: forum2"),
        encoding="utf-8",
    )
    code, out, _ = cli(*args, "--format", "markdown")
    assert code == 1
    assert "FAIL — 6 failing, 0 at risk, 0 row error(s); 3 of the failing are warning-level" in out


def test_verdict_says_an_input_was_not_read_apart_from_row_errors(
    cli, mini_config, tmp_path
) -> None:
    from tests.conftest import write_ledger

    groups, targets = mini_config
    folder = tmp_path / "in"
    folder.mkdir()
    write_ledger(
        folder / "a.csv", [dict(date="2024-10-10", activity="校长论坛", school="东街小学")]
    )
    (folder / "b.csv").write_text('日期,活动类型,学校\n2024-10-12,"校长论坛,东街小学\n', "utf-8")
    args = ("--groups", groups, "--targets", targets, "--as-of", "2025-08-31")
    _, html, _ = cli("check", folder, *args, "--format", "html")
    assert '<div class="n">0</div><div class="l">row errors</div>' in html
    assert '<div class="n">1</div><div class="l">inputs not read</div>' in html
    _, md, _ = cli("check", folder, *args, "--format", "markdown")
    assert "| row errors | 0 |" in md and "| inputs not read | 1 |" in md
    code, out, _ = cli("check", folder, *args)
    assert code == 2
    assert out.rstrip("\n").splitlines()[-1] == (
        "verdict: FAIL — 17 failing, 0 at risk, 0 row error(s); 1 input(s) could not be read "
        "and are left out of the results"
    )


def test_csv_says_its_issues_and_verdict_on_stderr(cli, mini_config, tmp_path) -> None:
    """A CSV report has one row per result: what made the run exit 2 (an input not read)
    or 1 (a rejected row) goes to stderr, errors first, with the verdict last."""
    from tests.conftest import write_ledger

    groups, targets = mini_config
    ok = write_ledger(
        tmp_path / "a.csv",
        [
            dict(date="2024-10-10", activity="校长论坛", school="东街小学"),
            dict(date="2024-10-11", activity="校长论坛", school="东街小雪"),
        ],
    )
    (tmp_path / "b.csv").write_text("日期,学校\n2024-10-12,东街小学\n", "utf-8")
    args = ("--groups", groups, "--targets", targets, "--as-of", "2025-08-31")
    code, out, err = cli("check", ok, tmp_path / "b.csv", *args, "--format", "csv")
    assert code == 2 and out.startswith("\ufeff") and "missing-column" not in out
    lines = err.splitlines()
    assert lines[0].startswith(f"{tmp_path / 'b.csv'}:1: missing-column: missing required")
    assert lines[1].startswith(f"{ok}:3: unknown-school: unknown school: 东街小雪")
    assert lines[2].startswith("verdict: FAIL") and len(lines) == 3


def test_junit_validates_against_the_schema_and_counts(run) -> None:
    xmlschema = pytest.importorskip("xmlschema", reason="pip install -e '.[test]'")
    _, out = run("junit")
    schema = xmlschema.XMLSchema(str(XSD))
    schema.validate(out.encode("utf-8"))
    import xml.etree.ElementTree as ET

    root = ET.fromstring(out.encode("utf-8"))
    assert root.get("tests") == "21"  # 19 results + 2 row issues
    assert root.get("failures") == "6"  # 4 failing results + 2 error rows
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert suites["jituan.rotation"].get("skipped") == "1"
    failure = suites["jituan.agreement"].find("testcase/failure")
    assert failure is not None and "五（一）" in failure.get("message")
    assert "required 1" in failure.get("message") and "actual 0" in failure.get("message")


def test_table_ends_with_the_verdict(run, monkeypatch: pytest.MonkeyPatch) -> None:
    _, out = run("table")
    assert out.rstrip("\n").splitlines()[-1].startswith("verdict: FAIL — 4 failing, 10 at risk")
    monkeypatch.setenv("COLUMNS", "40")  # a narrow pipe: the verdict still is one line
    _, out = run("table")
    assert (
        out.rstrip("\n").splitlines()[-1] == "verdict: FAIL — 4 failing, 10 at risk, 2 row error(s)"
    )


def test_table_under_github_actions_adds_annotations_first(
    run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    _, out = run("table")
    lines = out.rstrip("\n").splitlines()
    assert lines[0].startswith("::error file=ledger.csv,line=9,")
    assert sum(line.startswith(("::error", "::warning", "::notice")) for line in lines) == 6
    assert lines[-1].startswith("verdict: FAIL")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    _, out = run("json")
    assert "::error" not in out


def _runner_commands(log: str) -> list[str]:
    """The lines GitHub's runner takes as workflow commands: after leading white space,
    ``::``, unless commands are stopped (``::stop-commands::TOKEN`` until ``::TOKEN::``)."""
    commands, token = [], None
    for line in log.splitlines():
        line = line.lstrip()
        if token is not None:
            if line == f"::{token}::":
                token = None
        elif line.startswith("::stop-commands::"):
            token = line.removeprefix("::stop-commands::")
        elif line.startswith("::"):
            commands.append(line)
    return commands


def test_table_under_github_actions_starts_no_command_from_data(
    cli, mini_config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long cell wrapped by the table starts a line of its own: a submitter's
    ``::error …`` there would be a command to the runner. Only jituan's annotations are,
    and the verdict stays the last line."""
    from tests.conftest import write_ledger

    groups, targets = mini_config
    forged = "学" * 40 + " ::error file=a.csv,line=1::FORGED"
    row = dict(date="2024-10-10", activity="校长论坛", school=forged)
    write_ledger(tmp_path / "a.csv", [row])
    monkeypatch.chdir(tmp_path)  # the file column as a school's CI shows it
    path = "a.csv"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("COLUMNS", "60")
    args = ("--groups", groups, "--targets", targets, "--as-of", "2025-08-31")
    code, out, _ = cli("check", path, *args)
    assert code == 1
    wrapped = [
        line
        for line in out.splitlines()
        if line.lstrip().startswith("::") != (line.startswith("::"))
    ]
    assert wrapped  # the table did wrap the cell: a line of it starts with ::error
    commands = _runner_commands(out)
    assert len(commands) == sum(line.startswith("::error file=") for line in out.splitlines())
    assert all(",title=jituan " in c for c in commands)
    assert out.rstrip("\n").splitlines()[-1].startswith("verdict: FAIL")
    code, out, _ = cli("check", path, *args, "--output", str(tmp_path / "t.txt"))
    assert "stop-commands" not in (tmp_path / "t.txt").read_text(encoding="utf-8")


def test_html_escapes_every_value(run) -> None:
    _, out = run("html")
    assert reportkit.EVIL not in out
    assert "&lt;script&gt;document.title=&#x27;pwned&#x27;&lt;/script&gt;" in out
    assert "<script" not in out.lower()
    assert "http://" not in out.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in out


def test_markdown_cadence_is_the_targets_own_when_no_result_has_a_period(
    cli, mini_config, tmp_path
) -> None:
    """Before the first semester starts no target has a period: each gives one result
    without one, and the cadence column still says the target's (it said "once in the
    programme" for every target)."""
    from tests.conftest import write_ledger

    groups, targets = mini_config
    path = write_ledger(tmp_path / "a.csv", [])
    args = ("check", path, "--groups", groups, "--targets", targets, "--format", "markdown")
    _, out, _ = cli(*args, "--as-of", "2024-08-01", "--lang", "en")
    assert "| forum | 四（一）1 | per semester |" in out
    assert "| agreement | 五（一） | once in the programme |" in out


def test_table_grouped_failures_keep_their_progress_bar(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """More than DETAIL_LIMIT failing schools of one target share a row per period and
    status; the row still shows the bar (their one actual against the minimum)."""
    monkeypatch.setenv("COLUMNS", "120")
    ledger = tmp_path / "l.csv"
    ledger.write_text("日期,活动类型,学校\n2024-09-10,校长论坛,甘州区南关学校\n", encoding="utf-8")
    _, out, _ = cli("check", ledger, "--as-of", "2025-01-31", "--lang", "en")
    grouped = [line for line in out.splitlines() if "fail ×" in line]
    assert grouped and all("░░░░░ 0/3" in line for line in grouped), grouped


def test_markdown_says_where_the_issues_left_out_are(cli, tmp_path: Path) -> None:
    """Past the list's limit the page points at the JSON report, which a plain check
    does not write as report.json (only an audit does)."""
    from jituan.report.markdown import MAX_ISSUES

    rows = "".join(
        f"2024-09-{1 + i % 28:02d},无此活动,甘州区南关学校\n" for i in range(MAX_ISSUES + 3)
    )
    ledger = tmp_path / "l.csv"
    ledger.write_text("日期,活动类型,学校\n" + rows, encoding="utf-8")
    _, out, _ = cli(
        "check", ledger, "--as-of", "2025-01-31", "--lang", "en", "--format", "markdown"
    )
    assert "… 3 more: all are in the JSON report (--format json; report.json of an audit)" in out


@pytest.mark.parametrize("fmt", ["table", "markdown", "html"])
def test_a_cut_issue_list_shows_errors_before_notes(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    """205 holiday notes (National Day week) come before the one rejected row: the lists
    that are cut short (30 rows in the terminal, 200 in Markdown) still show the error."""
    monkeypatch.setenv("COLUMNS", "160")
    rows = "".join(f"2024-10-0{1 + i % 7},听评课,甘州区南华小学,P{i},名师\n" for i in range(205))
    ledger = tmp_path / "hol.csv"
    ledger.write_text(
        "日期,活动类型,学校,姓名,身份\n" + rows + "2024-10-12,听评课,南华小学校,王芳,名师\n",
        encoding="utf-8",
    )
    _, out, _ = cli("check", ledger, "--as-of", "2025-08-31", "--lang", "en", "--format", fmt)
    assert "hol.csv:207" in out and "unknown-school" in out


def test_amounts_never_read_as_the_minimum_nor_in_scientific_notation() -> None:
    """50 of 1001 teachers is 4.995%: shown so, not 5% beside a required 5% and a fail;
    a sum of 1,099,989 lessons is written out."""
    from jituan.report.common import amount

    share = "share_of_teachers"
    assert amount(50 / 1001, share, below=0.05) == "4.995%"
    assert amount(0.0499999, share, below=0.05) == "4.99999%"
    assert amount(0.046154, share, below=0.05) == "4.6%"
    assert amount(0.05, share) == amount(0.05, share, below=0.05) == "5%"
    assert amount(0.1, share) == "10%" and amount(0.025, share) == "2.5%"
    assert amount(1099989.0, "sum") == "1099989" and amount(3.0, "count") == "3"
    assert amount(0.0004, share) == "0.04%" and amount(0.0, share) == "0%"


@pytest.mark.parametrize("groups", ["", "examples/groups.yaml"])
def test_the_example_workflow_steps_run_in_bash(tmp_path: Path, groups: str) -> None:
    """examples/ci/jituan.yml's check steps, run by bash as GitHub runs them: the
    configuration may be left empty, and GROUPS (bash's own variable) is not used."""
    import os
    import subprocess

    import yaml

    root = Path(__file__).resolve().parents[1]
    flow = yaml.safe_load((root / "examples" / "ci" / "jituan.yml").read_text(encoding="utf-8"))
    job = flow["jobs"]["check"]
    steps = [s["run"] for s in job["steps"] if "jituan check" in s.get("run", "")]
    assert len(steps) == 2
    summary = tmp_path / "summary.md"
    env = os.environ | job["env"] | {"LEDGERS": "examples/records.csv", "JITUAN_GROUPS": groups}
    env |= {"GITHUB_STEP_SUMMARY": str(summary), "GITHUB_ACTIONS": "true"}
    done = [
        subprocess.run(["bash", "-c", run.replace("jituan check", "jituan check --as-of 2025-08-31")],
                       cwd=root, env=env, capture_output=True, text=True, encoding="utf-8")
        for run in steps
    ]  # fmt: skip
    assert done[0].returncode == 0  # `|| true`: the summary is written whatever the verdict
    assert summary.read_text(encoding="utf-8").startswith(
        "# 甘州区集团化办学台账核查（核查日期 2025-08-31）"
    )
    assert done[1].returncode == 1, done[1].stderr  # the example's honest failures
    assert "::error file=examples/records.csv,line=672" in done[1].stdout


def test_a_share_under_a_minimum_never_reads_as_the_minimum() -> None:
    """0.07 × 100 is 7.000000000000001 in binary: 6.95% of 7% read 7%; 399 of 400 schools
    read 100% coverage (99.8%). Changes in points round half up with a sign."""
    from jituan.report.common import amount
    from jituan.report.final import pp

    share = "share_of_teachers"
    assert amount(0.0695, share, below=0.07) == "6.95%"
    assert amount(0.1395, share, below=0.14) == "13.95%"
    assert amount(0.07, share, below=0.07) == "7%"
    assert amount(399 / 400, share, below=1.0) == "99.8%"
    assert pp(-0.25, "en") == "-25.0 pp" and pp(0.00125, "zh") == "+0.1 个百分点"
