"""Configuration values that used to crash jituan with a traceback: each is now exit 2
with the file, the line and the value named (README: "any configuration problem gives
exit 2 and a clear message ... never a traceback")."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from jituan.config import Calendar
from jituan.periods import all_periods
from tests.conftest import MINI_GROUPS, MINI_TARGETS, write_ledger

AS_OF = "2025-08-31"
LEDGER_ROW = {"date": "2024-10-12", "activity": "校长论坛", "school": "东街小学"}

EXEMPTIONS = """\
exemptions:
  - target: forum
    subject: 东区教育集团
    periods: [2024-2025-2]
    reason: 集团组建较晚
    approved_by: 区教育局
    expires: {expires}
"""


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """The mini configuration and a one-row ledger, to be spoilt one value at a time."""
    monkeypatch.setenv("COLUMNS", "1000")  # one finding a line, as the assertions read them
    paths = {
        "groups": tmp_path / "groups.yaml",
        "targets": tmp_path / "targets.yaml",
        "ledger": tmp_path / "ledger.csv",
    }
    paths["groups"].write_text(MINI_GROUPS, encoding="utf-8")
    paths["targets"].write_text(MINI_TARGETS, encoding="utf-8")
    write_ledger(paths["ledger"], [LEDGER_ROW])
    return paths


def spoil(path: Path, old: str, new: str) -> Path:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def line_of(path: Path, fragment: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, text in enumerate(lines, 1) if fragment in text)


def config_args(files: dict[str, Path]) -> list[object]:
    return ["--groups", files["groups"], "--targets", files["targets"]]


def every_command(files: dict[str, Path], tmp_path: Path) -> list[list[object]]:
    """validate, check, score and audit --final: they must agree on a configuration."""
    ledger = [files["ledger"], *config_args(files), "--as-of", AS_OF]
    return [
        ["validate", *config_args(files)],
        ["check", *ledger],
        ["score", *ledger],
        ["audit", *ledger, "--out", tmp_path / "reports", "--final"],
    ]


def assert_refused(cli, args: list[object], *expected: str) -> str:
    code, out, err = cli(*args)
    text = out + err
    assert code == 2, text
    assert "Traceback" not in text
    for part in expected:
        assert part in text, f"{part!r} not in:\n{text}"
    return text


# --------------------------------------------------------------------------- 1. dates


def test_impossible_date_in_targets_names_value_and_line(cli, files, tmp_path) -> None:
    spoil(files["targets"], "start: 2024-09-01", "start: 2024-09-31")
    where = f"{files['targets']}:{line_of(files['targets'], '2024-09-31')}"
    for args in every_command(files, tmp_path):
        expected = (where,) if args[0] == "validate" else (str(files["targets"]),)
        assert_refused(cli, args, *expected, "calendar.start", "'2024-09-31' is not a valid date")


def test_impossible_dates_are_listed_with_every_other_problem(cli, files) -> None:
    """Two dates that are none, and a target naming an unknown activity: validate lists
    all three at once (it used to stop at the first date), each date once."""
    spoil(files["targets"], "start: 2024-09-01", "start: 2024-09-31")
    spoil(files["targets"], "deadline: 2024-11-30", "deadline: 2024-11-31")
    spoil(files["targets"], "activities: [principal_forum]", "activities: [principal_forun]")
    code, out, _ = cli("validate", *config_args(files))
    assert code == 2
    errors = [line for line in out.splitlines() if "  error  " in line]
    assert len(errors) == 3, out
    assert "calendar.start  error  '2024-09-31' is not a valid date" in errors[0]
    assert "unknown activity 'principal_forun'" in out
    assert "'2024-11-31' is not a valid date" in out


@pytest.mark.parametrize(
    ("spoilt", "key"),
    [
        ("        aliases: [东小]\n        2024-09-31: x\n", "groups.0.members.0"),  # a key
        ("        aliases: [东小, &d 2024-09-31, *d]\n", "groups.0.members.0.aliases.1"),
    ],
)
def test_an_impossible_date_as_a_key_or_an_alias_is_named_once(cli, files, spoilt, key) -> None:
    """A refused key is constructed twice (the duplicate-key check, then the mapping), and
    an alias again: each is the value's own finding, once, not "unconstructable node"."""
    spoil(files["groups"], "        aliases: [东小]\n", spoilt)
    code, out, _ = cli("validate", *config_args(files))
    assert code == 2 and "unconstructable" not in out, out
    dates = [line for line in out.splitlines() if "is not a valid date" in line]
    assert len(dates) == 1 and f"  {key}  " in dates[0], out


@pytest.mark.parametrize(
    ("value", "said"),
    [("!!bool maybe", "district  error  'maybe' is not a valid bool"), ("!!timestamp hi", "'hi' is not a valid "
      "timestamp"), ("!!int abc", "'abc' is not a valid int"), ('!!int ""', "is not a valid int"),
     ("!!bool 2024-09-30", "'2024-09-30' is not a valid bool"),
     ("!!set ab", "invalid YAML: expected a mapping"),
     ("!!map [a, b]", "invalid YAML: expected a mapping")],
)  # fmt: skip
def test_a_tagged_value_it_cannot_take_is_a_finding(cli, files, value, said) -> None:
    """An explicit tag on a value it cannot take failed inside PyYAML with a KeyError or an
    AttributeError: a traceback. It is a finding naming the value and the tag."""
    spoil(files["groups"], "district: 测试区", f"district: {value}")
    code, out, err = cli("validate", *config_args(files))
    assert code == 2 and "Traceback" not in err
    assert said in " ".join(out.split("\n")), out


def test_impossible_date_is_explained_in_chinese(cli, files, monkeypatch) -> None:
    spoil(files["targets"], "start: 2024-09-01", "start: 2024-09-31")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    line = line_of(files["targets"], "2024-09-31")
    assert_refused(
        cli,
        ["check", files["ledger"], *config_args(files), "--as-of", AS_OF],
        f"第 {line} 行: calendar.start",
        "“2024-09-31”不是有效的日期：2024 年 9 月只有 30 天",
    )


def test_impossible_date_in_groups(cli, files) -> None:
    spoil(files["groups"], "district: 测试区", "district: 2024-02-30")
    assert_refused(
        cli,
        ["validate", *config_args(files)],
        f"{files['groups']}:1",
        "'2024-02-30' is not a valid date: month 2 of 2024 has 29 days",
    )


def test_impossible_date_in_exemptions(cli, files, tmp_path) -> None:
    path = tmp_path / "exemptions.yaml"
    path.write_text(EXEMPTIONS.format(expires="2025-02-30"), encoding="utf-8")
    expected = (f"{path}: line 7: exemptions.0.expires", "'2025-02-30' is not a valid date")
    ledger = [files["ledger"], *config_args(files), "--as-of", AS_OF, "--exemptions", path]
    for args in (["check", *ledger], ["score", *ledger]):
        assert_refused(cli, args, *expected)
    assert_refused(
        cli, ["validate", *config_args(files), "--exemptions", path], f"{path}:7", expected[1]
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0000-01-01", "years run from 0001 to 9999"),
        ("2024-13-01", "there is no month 13"),
        ("2024-09-01 25:00:00", "is not a valid date and time"),
        ("2024-09-01T10:00:00+25:00", "is not a valid date and time"),
    ],
)
def test_other_timestamps_python_cannot_hold(cli, files, value: str, message: str) -> None:
    spoil(files["targets"], "start: 2024-09-01", f"start: {value}")
    line = line_of(files["targets"], value)
    assert_refused(
        cli, ["validate", *config_args(files)], f"{files['targets']}:{line}", value, message
    )


def test_year_10000_is_a_string_the_shape_check_refuses(cli, files) -> None:
    spoil(files["targets"], "end: 2025-08-31", "end: 10000-01-01")
    assert_refused(cli, ["validate", *config_args(files)], "calendar.end", "10000-01-01")


def test_integer_of_too_many_digits(cli, files) -> None:
    spoil(files["targets"], "min: 15\n", "min: 1" + "0" * 5000 + "\n")
    line = line_of(files["targets"], "min: 1000")
    assert_refused(
        cli,
        ["validate", *config_args(files)],
        f"{files['targets']}:{line}",
        "targets.2.min",
        "has too many digits to be a number",
    )


def test_unhashable_key_names_its_line(cli, files) -> None:
    spoil(files["groups"], "district: 测试区\n", "district: 测试区\n? [a, b]\n: 1\n")
    assert_refused(cli, ["validate", *config_args(files)], f"{files['groups']}:2", "unhashable")


# --------------------------------------------------------------------------- 2. non-finite


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan", "1.0e+400", "1" + "0" * 400])
def test_non_finite_minimum_is_refused_by_every_command(cli, files, tmp_path, value) -> None:
    spoil(files["targets"], "min: 15\n", f"min: {value}\n")
    line = line_of(files["targets"], f"min: {value}")
    for args in every_command(files, tmp_path):
        text = assert_refused(cli, args, str(files["targets"]), "targets.2.min")
        assert f"{files['targets']}:{line}" in text or f"line {line}" in text


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("    min: 0.05\n", "    min: .nan\n", "targets.3.min"),
        ("targets:\n", "integrity:\n  max_lessons_per_day: .inf\ntargets:\n", "max_lessons"),
        ("targets:\n", "bundling:\n  weight: .nan\ntargets:\n", "bundling.weight"),
    ],
)
def test_every_number_of_the_configuration_is_finite(cli, files, old, new, key) -> None:
    spoil(files["targets"], old, new)
    text = assert_refused(cli, ["validate", *config_args(files)], key)
    assert "expected a finite number" in text


def test_non_finite_message_in_chinese(cli, files, monkeypatch) -> None:
    spoil(files["targets"], "min: 15\n", "min: .inf\n")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert_refused(cli, ["validate", *config_args(files)], "应为有限的数（现为 inf）")


# --------------------------------------------------------------------------- 3. calendar range


@pytest.mark.parametrize("end", ["9999-12-31", "9998-12-31", "2100-01-01"])
def test_calendar_far_in_the_future_is_refused_by_every_command(
    cli, files, tmp_path, end: str
) -> None:
    spoil(files["targets"], "end: 2025-08-31", f"end: {end}")
    line = line_of(files["targets"], f"end: {end}")
    for args in every_command(files, tmp_path):
        text = assert_refused(cli, args, str(files["targets"]), "calendar.end", end, "2000–2099")
        assert f"{files['targets']}:{line}" in text or f"line {line}" in text


def test_calendar_start_before_2000_is_refused(cli, files, monkeypatch) -> None:
    spoil(files["targets"], "start: 2024-09-01", "start: 0001-09-01")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert_refused(
        cli, ["validate", *config_args(files)], "calendar.start", "0001-09-01", "2000–2099 年"
    )


def test_periods_near_the_end_of_the_date_range_do_not_crash() -> None:
    calendar = Calendar(
        first_semester_starts="09-01",
        second_semester_starts="02-01",
        start=dt.date(9997, 9, 1),
        end=dt.date(9999, 12, 31),
    )
    periods = all_periods("semester", calendar, 9997, 10000)
    assert periods[-1].end == dt.date(9999, 8, 31)
    assert all_periods("year", calendar, 0, 1)[0].id == "1"


# --------------------------------------------------------------------------- 4. groups.yaml


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("      - name: 东新小学\n", '      - name: "   "\n', "groups.0.members.2.name"),
        ("      - name: 东新小学\n", '      - "   "\n', "groups.0.members.2.name"),
        ("aliases: [东小]", 'aliases: ["  "]', "groups.0.members.0.aliases.0"),
        ("    name: 东区教育集团\n", '    name: " "\n', "groups.0.name"),
    ],
)
def test_blank_names_are_refused(cli, files, old: str, new: str, key: str) -> None:
    _name_refused(cli, files, "groups", old, new, key, "must not be blank")


def _name_refused(cli, files, which: str, old: str, new: str, key: str, message: str) -> None:
    """``validate`` refuses the spoilt value, naming the file's line, the key and why."""
    spoil(files[which], old, new)
    line = line_of(files[which], new.strip().splitlines()[0])
    assert_refused(cli, ["validate", *config_args(files)], f"{files[which]}:{line}", key, message)


def test_boolean_headcount_is_not_a_number(cli, files, monkeypatch) -> None:
    spoil(files["groups"], "teachers: 40", "teachers: true")
    line = line_of(files["groups"], "teachers: true")
    assert_refused(
        cli,
        ["check", files["ledger"], *config_args(files), "--as-of", AS_OF],
        f"{files['groups']}: line {line}: groups.0.members.0.teachers",
        "expected a number, not true/false",
    )
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert_refused(cli, ["validate", *config_args(files)], "应为数字，不能是 true/false")


def test_a_quoted_headcount_is_read_by_validate_as_by_check(cli, files) -> None:
    """teachers: "40" is 40 for the shares check computes, so validate does not warn that
    the headcounts are missing: its findings are those of the unquoted file."""
    code, plain, _ = cli("validate", *config_args(files), "--format", "json")
    for n in (40, 20, 30, 10):
        spoil(files["groups"], f"teachers: {n}\n", f'teachers: "{n}"\n')
    code_quoted, quoted, _ = cli("validate", *config_args(files), "--format", "json")
    assert (code_quoted, quoted) == (code, plain)
    _, report = cli.json("check", files["ledger"], *config_args(files), "--as-of", AS_OF)
    rotation = {r["subject"]: r["status"] for r in report["results"] if r["target"] == "rotation"}
    assert rotation["东街小学"] == "fail" and rotation["东新小学"] == "unknown"


def test_boolean_minimum_is_not_a_number(cli, files) -> None:
    spoil(files["targets"], "min: 15\n", "min: true\n")
    assert_refused(
        cli, ["validate", *config_args(files)], "targets.2.min", "expected a number, not true/false"
    )


@pytest.mark.parametrize(
    ("which", "old", "new", "key"),
    [
        ("groups", "    lead: 东街小学\n", "    lead: ''\n", "groups.0.lead"),
        ("groups", "aliases: [东小]", "aliases: ['']", "groups.0.members.0.aliases.0"),
        ("targets", "activities: [principal_forum]", "activities: ['']", "activities.0"),
        ("targets", "roles: [名师, 骨干教师]", "roles: ['', 名师]", "roles.0"),
    ],
)
def test_empty_names_are_refused(cli, files, which: str, old: str, new: str, key: str) -> None:
    """'' slipped past the blank check: an empty lead left the group without one, an empty
    alias matched every empty cell, an empty activity or role counted nothing."""
    _name_refused(cli, files, which, old, new, key, "must not be empty (got '')")


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("  end: 2025-08-31", "  end: 0", "calendar.end"),
        ("  start: 2024-09-01", "  start: 86400", "calendar.start"),
        ("    deadline: 2024-11-30", "    deadline: 0", "targets.4.deadline"),
        ("    deadline: 2024-11-30", '    deadline: "0"', "targets.4.deadline"),
        ("    deadline: 2024-11-30", '    deadline: "20241130"', "targets.4.deadline"),
    ],
)
def test_a_day_written_as_a_number_is_refused_by_every_command(
    cli, files, tmp_path, old: str, new: str, key: str
) -> None:
    """pydantic's lax mode read 0 as the Unix time 1970-01-01: validate passed and check
    evaluated periods from 1969."""
    spoil(files["targets"], old, new)
    for args in every_command(files, tmp_path):
        assert_refused(cli, args, key, "expected a date such as 2025-06-30, not a number")


def test_an_exemption_expiring_on_a_number_is_refused(cli, files, tmp_path) -> None:
    path = tmp_path / "exemptions.yaml"
    path.write_text(EXEMPTIONS.format(expires="0"), encoding="utf-8")
    ledger = [files["ledger"], *config_args(files), "--as-of", AS_OF, "--exemptions", path]
    assert_refused(cli, ["check", *ledger], "exemptions.0.expires", "not a number (got 0)")


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-8-sig"])
def test_a_configuration_saved_by_notepad_is_read(cli, files, encoding: str) -> None:
    """Notepad on Chinese Windows saves "ANSI" (GB18030) or "Unicode" (UTF-16 with a
    byte-order mark): the files read as their UTF-8 originals, findings and all."""
    spoil(files["targets"], "activities: [principal_forum]", "activities: [principal_forun]")
    for which in ("groups", "targets"):
        text = files[which].read_text(encoding="utf-8")
        files[which].write_bytes(text.encode(encoding))
    line = MINI_TARGETS.splitlines().index("    activities: [principal_forum]") + 1
    assert_refused(
        cli,
        ["validate", *config_args(files), "--lang", "en"],
        f"{files['targets']}:{line}",
        "unknown activity 'principal_forun'",
    )


def test_a_configuration_that_is_not_text_is_said_so(cli, files) -> None:
    files["groups"].write_bytes(b"groups:\n  - id: \x81\x30\xff\xfe\x00")
    assert_refused(
        cli,
        ["validate", *config_args(files), "--lang", "en"],
        f"{files['groups']}: not a text file (UTF-8, UTF-16 or GB18030): save it as UTF-8",
    )


def test_aliases_of_aliases_around_a_refused_value_end_quickly(cli, files) -> None:
    """Seven levels of ten aliases each around 2024-09-31 took a minute and 2.4 GB to name
    the value at each path; a node is now walked into twice at most."""
    text = files["groups"].read_text(encoding="utf-8") + "a0: &a0 2024-09-31\n"
    for k in range(1, 8):
        text += f"a{k}: &a{k} [{', '.join([f'*a{k - 1}'] * 10)}]\n"
    files["groups"].write_text(text, encoding="utf-8")
    code, out, _ = cli("validate", *config_args(files))
    assert code == 2 and "'2024-09-31' is not a valid date" in out
