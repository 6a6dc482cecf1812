"""Inputs that cannot be used are never silently dropped by `explain` or `audit`.

- `explain` lists every ledger it skipped (file and reason, as `check` reports them) and
  exits 2 as `check` does for an unreadable input, still explaining the readable ones.
- `audit --previous` with a damaged report stops with exit 2, naming the file and the
  faulty key, never a traceback.
- `audit --quality` without `--final` is a usage error (exit 2), not silently ignored.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests import reportkit
from tests.conftest import HEADER, write_ledger

AS_OF = "2025-08-31"

# --------------------------------------------------------------------------- explain


def _good(tmp_path: Path) -> Path:
    """One record that counts for 东新小学 toward `visits` in semester 1."""
    row = dict(
        date="2024-10-10",
        activity="听评课",
        school="东新小学",
        from_school="东街小学",
        person="甲",
        role="名师",
    )
    return write_ledger(tmp_path / "good.csv", [row])


def _binary(tmp_path: Path) -> Path:
    path = tmp_path / "binary.csv"
    path.write_bytes(bytes(range(256)) * 2)
    return path


def _undecodable(tmp_path: Path) -> Path:
    path = tmp_path / "junk.csv"
    path.write_bytes(random.Random(7).randbytes(300))  # what `head -c 300 /dev/urandom` gives
    return path


def _missing_column(tmp_path: Path) -> Path:
    header = [h for h in HEADER if h != "school"]
    row = dict(date="2024-10-11", activity="听评课", person="乙", role="名师")
    return write_ledger(tmp_path / "no_school.csv", [row], header=header)


def _truncated_xlsx(tmp_path: Path) -> Path:
    from openpyxl import Workbook

    path = tmp_path / "cut.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for day in range(1, 29):
        sheet.append([f"2024-10-{day:02d}", "听评课", "东新小学", "东街小学", "", "甲", "名师"])
    book.save(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _not_a_ledger(tmp_path: Path) -> Path:
    path = tmp_path / "notes.csv"
    path.write_text("会议纪要\n第一项,第二项\n", encoding="utf-8")
    return path


BROKEN: dict[str, Callable[[Path], Path]] = {
    "binary": _binary,
    "undecodable": _undecodable,
    "missing-column": _missing_column,
    "truncated-xlsx": _truncated_xlsx,
    "not-a-ledger": _not_a_ledger,
}

HEADING = {"en": "Inputs skipped (1)", "zh": "未读取的输入（1）"}
NOT_READ = {"en": "1 input(s) could not be read", "zh": "1 个输入无法读取"}
COUNTED = {"en": "Counted (1)", "zh": "计入（1）"}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("kind", list(BROKEN))
def test_explain_reports_an_unreadable_ledger_like_check(
    cli, mini_config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str, lang: str
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    g, t = mini_config
    bad, good = BROKEN[kind](tmp_path), _good(tmp_path)
    args = (bad, good, "--groups", g, "--targets", t, "--as-of", AS_OF, "--lang", lang)
    check_code, report = cli.json("check", *args)
    problems = [i for i in report["issues"] if i["file"] == str(bad)]
    assert check_code == 2 and problems, problems

    code, out, err = cli("explain", "visits", *args, "--subject", "东新小学")
    assert code == check_code, err
    assert "Traceback" not in out + err
    assert HEADING[lang] in out and NOT_READ[lang] in out
    for problem in problems:  # the file, its code and check's own message for it
        assert f"{bad}" in out and problem["code"] in out and problem["message"] in out
    assert COUNTED[lang] in out and "good.csv:2" in out  # the readable ledger, explained


def test_explain_lists_every_skipped_input(cli, mini_config, tmp_path: Path) -> None:
    g, t = mini_config
    bad = [_binary(tmp_path), _missing_column(tmp_path), _not_a_ledger(tmp_path)]
    code, out, err = cli(
        "explain", "visits", *bad, _good(tmp_path), "--groups", g, "--targets", t,
        "--as-of", AS_OF, "--lang", "en",
    )  # fmt: skip
    assert code == 2 and "Traceback" not in err
    assert "Inputs skipped (3)" in out and "3 input(s) could not be read" in out
    for path in bad:
        assert str(path) in out


def test_explain_shows_a_skipped_file_of_a_folder_without_failing(
    cli, mini_config, tmp_path: Path
) -> None:
    """A non-ledger found in a folder is a warning for check (exit not 2): explain agrees."""
    g, t = mini_config
    folder = tmp_path / "submitted"
    folder.mkdir()
    _good(folder)
    _not_a_ledger(folder)
    code, out, err = cli(
        "explain", "visits", folder, "--groups", g, "--targets", t, "--as-of", AS_OF,
        "--lang", "en",
    )  # fmt: skip
    assert code == 0, err
    assert "Inputs skipped (1)" in out and "notes.csv" in out and "warning not-a-ledger" in out
    assert "could not be read" not in out


def test_explain_of_readable_ledgers_has_no_skipped_section(
    cli, mini_config, tmp_path: Path
) -> None:
    g, t = mini_config
    args = ("--groups", g, "--targets", t, "--as-of", AS_OF, "--lang", "en")
    code, out, _ = cli("explain", "visits", _good(tmp_path), *args)
    assert code == 0 and "Inputs skipped" not in out


# --------------------------------------------------------------------------- audit --previous


@pytest.fixture
def audit(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Run `jituan audit` on the report kit's ledger, from ``tmp_path``."""
    monkeypatch.chdir(tmp_path)
    args = reportkit.setup(tmp_path)
    code, _, err = cli(
        "check", *args, "--as-of", "2025-03-31", "--format", "json", "--output", "prev.json"
    )
    assert code in (0, 1), err

    def go(*extra: str, lang: str = "en") -> tuple[int, str, str]:
        return cli("audit", *args, "--out", "out", "--as-of", AS_OF, "--lang", lang, *extra)

    return go


def _set(section: str, key: str, value: Any) -> Callable[[dict], Any]:
    def damage(report: dict) -> dict:
        report[section][0][key] = value
        return report

    return damage


def _drop(key: str, section: str | None = None) -> Callable[[dict], Any]:
    def damage(report: dict) -> dict:
        del (report[section][0] if section else report)[key]
        return report

    return damage


def _replace_first(section: str, value: Any) -> Callable[[dict], Any]:
    def damage(report: dict) -> dict:
        report[section][0] = value
        return report

    return damage


DAMAGED: dict[str, tuple[Callable[[dict], Any], str]] = {
    # the tester's two: a list and an object where the comparison needs a hashable value
    "issue-row-list": (
        lambda r: _replace_first(
            "issues", {"file": "x", "sheet": None, "row": [1], "code": "duplicate"}
        )(r),
        "issues[0].row should be integer | null, not array",
    ),  # fmt: skip
    "issue-sheet-object": (_set("issues", "sheet", {}), "issues[0].sheet should be string"),
    "issue-row-boolean": (_set("issues", "row", True), "issues[0].row should be integer"),
    "issue-without-code": (_drop("code", "issues"), "issues[0] has no key code"),
    "issue-not-an-object": (_replace_first("issues", "x"), "issues[0] should be object"),
    "result-status-number": (_set("results", "status", 3), "results[0].status should be string"),
    # a status no report holds: the HTML page's badges looked it up and raised KeyError
    "result-status-unknown": (
        _set("results", "status", "FAIL"),
        'results[0].status should be "pass" | "fail"',
    ),
    "result-target-list": (_set("results", "target", ["a"]), "results[0].target should be"),
    "result-null": (_replace_first("results", None), "results[0] should be object, not null"),
    "result-without-period": (_drop("period", "results"), "results[0] has no key period"),
    "a-json-list": (lambda r: [r], "not a jituan report.json: the report should be object"),
    "no-results": (_drop("results"), "the report has no key results"),
    "results-an-object": (lambda r: r | {"results": {}}, "results should be array, not object"),
    "no-as-of": (_drop("as_of"), "the report has no key as_of"),
    "as-of-not-a-date": (lambda r: r | {"as_of": "last month"}, "as_of should be YYYY-MM-DD"),
    "another-tool": (lambda r: r | {"tool": "other"}, 'tool should be "jituan", not "other"'),
    "not-json": (lambda r: b"{not json", "not a JSON report"),
    "not-utf8": (lambda r: b'{"tool": "\xff\xfe\xfa"}', "not a JSON report"),
    "too-deep": (lambda r: b"[" * 100_000, "not a JSON report"),
}


@pytest.mark.parametrize("case", list(DAMAGED))
def test_a_damaged_previous_report_is_a_clear_error(audit, tmp_path: Path, case: str) -> None:
    damage, message = DAMAGED[case]
    previous = tmp_path / "prev.json"
    report = json.loads(previous.read_text(encoding="utf-8"))
    assert report["issues"] and report["results"]  # so that every damage has a target
    damaged = damage(report)
    raw = damaged if isinstance(damaged, bytes) else json.dumps(damaged).encode()
    previous.write_bytes(raw)
    code, _, err = audit("--previous", "prev.json")
    assert code == 2
    assert "Traceback" not in err
    assert "--previous prev.json" in err and message in err, err
    assert not (tmp_path / "out").exists()  # refused before anything is written


def test_a_damaged_previous_report_in_chinese(audit, tmp_path: Path) -> None:
    previous = tmp_path / "prev.json"
    report = json.loads(previous.read_text(encoding="utf-8"))
    report["issues"][0]["sheet"] = {}
    previous.write_text(json.dumps(report), encoding="utf-8")
    code, _, err = audit("--previous", "prev.json", lang="zh")
    assert code == 2 and "Traceback" not in err
    assert "--previous prev.json：报告已损坏" in err and "issues[0].sheet 应为" in err


def test_an_intact_previous_report_still_compares(audit) -> None:
    code, out, err = audit("--previous", "prev.json")
    assert code in (0, 1), err
    assert "since the last audit (2025-03-31)" in out


# --------------------------------------------------------------------------- audit --quality


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "--previous is only used by the monthly audit"),
        ("zh", "--previous 只用于月度核查"),
    ],
)
def test_previous_with_final_is_a_usage_error(audit, tmp_path: Path, lang: str, message: str):
    """The acceptance report compares with no earlier audit: a --previous it quietly
    dropped (even one that does not exist) would look as if it had been used."""
    code, out, err = audit("--final", "--previous", "no-such.json", lang=lang)
    assert code == 2 and "Traceback" not in err
    assert message in err and not out
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "--quality is only used with --final"),
        ("zh", "--quality 只用于 --final"),
    ],
)
def test_quality_without_final_is_a_usage_error(
    audit, tmp_path: Path, lang: str, message: str
) -> None:
    (tmp_path / "q.csv").write_text("学校,期间,得分\n东新小学,2024-2025-1,80\n", encoding="utf-8")
    code, out, err = audit("--quality", "q.csv", lang=lang)
    assert code == 2 and "Traceback" not in err
    assert message in err and not out
    assert not (tmp_path / "out").exists()
