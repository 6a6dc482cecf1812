"""`jituan validate` on the command line, the shipped configuration, and `check` running it first."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import MINI_GROUPS, MINI_TARGETS, write_ledger


def _write(
    tmp_path: Path, groups: str = MINI_GROUPS, targets: str = MINI_TARGETS
) -> tuple[Path, Path]:
    g, t = tmp_path / "groups.yaml", tmp_path / "targets.yaml"
    g.write_text(groups, encoding="utf-8")
    t.write_text(targets, encoding="utf-8")
    return g, t


def test_shipped_configuration_validates_with_only_the_headcount_warning(cli) -> None:
    code, out, err = cli("validate")
    assert code == 0, out + err
    lines = [line for line in out.splitlines() if "warning" in line and "targets.yaml" in line]
    assert len(lines) == 1 and "teachers" in out
    assert "the policy gives no headcounts" in out  # said plainly
    assert "0 error(s), 1 warning(s)" in out
    code, data = cli.json("validate")
    assert data["valid"] and data["errors"] == 0
    assert [(f["key"], f["code"]) for f in data["findings"]] == [
        ("targets.10.metric", "missing-teachers-all")
    ]
    assert data["headcounts_missing"] is True and data["coverage"] is None
    # the example configuration has illustrative headcounts: clean
    code, data = cli.json("validate", "--groups", "examples/groups.yaml")
    assert code == 0 and data["findings"] == []


def test_exit_codes_clean_warnings_strict_errors(cli, tmp_path: Path) -> None:
    g, t = _write(tmp_path)  # one warning: 东新小学 has no teachers
    assert cli("validate", "--groups", g, "--targets", t)[0] == 0
    assert cli("validate", "--groups", g, "--targets", t, "--strict")[0] == 1
    clean = MINI_GROUPS.replace(
        "      - name: 东新小学\n", "      - name: 东新小学\n        teachers: 25\n"
    )
    g, t = _write(tmp_path, groups=clean)
    code, out, _ = cli("validate", "--groups", g, "--targets", t, "--strict")
    assert code == 0 and "no problems found" in out
    g, t = _write(tmp_path, groups=MINI_GROUPS.replace("lead: 西街小学", "lead: 北街小学"))
    code, out, _ = cli("validate", "--groups", g, "--targets", t)
    assert code == 2
    assert f"{g}:20" in out and "groups.1.lead" in out and "北街小学" in out


def test_check_runs_the_same_validation_first(cli, tmp_path: Path) -> None:
    groups = MINI_GROUPS.replace("lead: 西街小学", "lead: 北街小学")
    targets = MINI_TARGETS.replace("[principal_forum]", "[forum_x]")
    g, t = _write(tmp_path, groups, targets)
    ledger = write_ledger(
        tmp_path / "r.csv", [dict(date="2024-10-10", activity="校长论坛", school="东街小学")]
    )
    code, out, err = cli("check", ledger, "--groups", g, "--targets", t, "--as-of", "2025-08-31")
    assert code == 2 and out == ""
    assert "invalid configuration (2 error(s)" in err
    assert f"{g}: line 20: groups.1.lead" in err  # both files' problems, at once
    assert f"{t}: line 20: targets.0.activities.0" in err
    assert "Traceback" not in err
    # warnings (东新小学's missing headcount) never stop a check
    g, t = _write(tmp_path)
    code, data = cli.json("check", ledger, "--groups", g, "--targets", t, "--as-of", "2025-08-31")
    assert code in (0, 1) and data["summary"]["accepted"] == 1


def test_coverage_figure_and_schools_in_no_group(cli, tmp_path: Path) -> None:
    groups = MINI_GROUPS.replace(
        "district: 测试区\n",
        "district: 测试区\nschools:\n  - 东街小学\n  - 东村中心学校\n  - 东新小学\n  - 西街小学\n"
        "  - 西村中心学校\n  - 北中学\n  - 南街小学\n",
    )
    # 北中学 is covered by its division 北中学（初中部）, a member of the west group
    groups += "      - name: 北中学（初中部）\n        teachers: 12\n"
    # a member not in the list
    groups += "      - name: 西新小学\n        teachers: 12\n"
    g, t = _write(tmp_path, groups=groups)
    code, data = cli.json("validate", "--groups", g, "--targets", t)
    assert data["coverage"] == {
        "listed": 7,
        "covered": 6,
        "share": 0.8571,
        "uncovered": ["南街小学"],
    }
    found = [(f["line"], f["key"], f["severity"], f["code"]) for f in data["findings"]]
    assert (9, "schools.6", "warning", "not-in-any-group") in found
    assert (37, "groups.1.members.3.name", "warning", "member-not-listed") in found
    code, out, _ = cli("validate", "--groups", g, "--targets", t)
    assert "coverage: 6 of 7 schools are in a group (85.7%)" in out
    assert "schools in no group: 南街小学" in out


def test_validate_is_in_chinese_on_request(cli, tmp_path: Path) -> None:
    g, t = _write(tmp_path, groups=MINI_GROUPS.replace("lead: 西街小学", "lead: 北街小学"))
    code, out, _ = cli("validate", "--groups", g, "--targets", t, "--lang", "zh")
    assert code == 2 and "牵头学校“北街小学”不是本集团的成员" in out and "1 个错误" in out


def test_missing_file_is_exit_2_without_traceback(cli, tmp_path: Path) -> None:
    code, out, err = cli("validate", "--groups", tmp_path / "nope.yaml")
    assert code == 2 and "file not found" in err and "Traceback" not in err


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["--version"],
        ["validate"],
        ["groups"],
        ["targets"],
        ["groups", "--format", "json"],
    ],
)
def test_light_commands_do_not_import_pandas(argv: list[str]) -> None:
    code = (
        "import sys, io, contextlib\n"
        "from jituan.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main({argv!r})\n"
        "print(json.dumps('pandas' in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", "import json\n" + code],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) is False


def test_an_empty_schools_list_is_not_full_coverage(cli, tmp_path: Path) -> None:
    """schools: [] measures nothing: it is said so, not "0 of 0 schools (100%)"."""
    g, t = _write(
        tmp_path,
        groups=MINI_GROUPS.replace("district: 测试区\n", "district: 测试区\nschools: []\n"),
    )
    code, out, _ = cli("validate", "--groups", g, "--targets", t, "--lang", "en")
    assert code == 0
    assert "(100%)" not in out
    assert "the schools: list of groups.yaml is empty, so coverage is not measured" in out
    code, data = cli.json("validate", "--groups", g, "--targets", t)
    assert data["coverage"] == {"listed": 0, "covered": 0, "share": None, "uncovered": []}
