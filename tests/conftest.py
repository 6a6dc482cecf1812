"""Shared fixtures: small ledgers and configurations written by hand, and the CLI runner."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from jituan.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
HEADER = ["date", "activity", "school", "from_school", "group", "person", "role", "count", "note"]

#: A tiny configuration: two groups, one rural school, one listed researcher.
MINI_GROUPS = """\
district: 测试区
groups:
  - id: east
    name: 东区教育集团
    aliases: [东集团]
    type: alliance
    lead: 东街小学
    researchers: [王老师]
    members:
      - name: 东街小学
        teachers: 40
        aliases: [东小]
      - name: 东村中心学校
        rural: true
        teachers: 20
      - name: 东新小学
  - id: west
    name: 西区教育集团
    type: close
    lead: 西街小学
    members:
      - name: 西街小学
        teachers: 30
      - name: 西村中心学校
        rural: true
        teachers: 10
"""

MINI_TARGETS = """\
calendar:
  first_semester_starts: "09-01"
  second_semester_starts: "02-01"
  start: 2024-09-01
  end: 2025-08-31
activities:
  - id: principal_forum
    name: 校长论坛
  - id: lesson_observation
    name: 听评课
    aliases: [听课]
  - id: teacher_rotation
    name: 教师轮岗交流
  - id: group_agreement
    name: 协议签订
targets:
  - id: forum
    title: 每学期1次校长论坛
    source: 四（一）1
    activities: [principal_forum]
    scope: group
    period: semester
    min: 1
  - id: visits
    title: 成员校每学期听评课不少于3次
    source: 四（二）2
    activities: [lesson_observation]
    scope: school
    schools: members
    period: semester
    roles: [名师, 骨干教师]
    min: 3
  - id: lessons
    title: 教研员每学期听评课不少于15节
    source: 四（二）2
    activities: [lesson_observation]
    scope: researcher
    period: semester
    metric: sum
    rural_only: true
    min: 15
  - id: rotation
    title: 每学年交流不少于5%
    source: 四（三）2
    activities: [teacher_rotation]
    scope: school
    period: school_year
    metric: share_of_teachers
    by: from_school
    within_group: true
    min: 0.05
  - id: agreement
    title: 协议
    source: 五（一）
    activities: [group_agreement]
    scope: group
    period: program
    deadline: 2024-11-30
    min: 1
"""


@pytest.fixture
def mini_config(tmp_path: Path) -> tuple[Path, Path]:
    """Paths of the tiny groups.yaml and targets.yaml."""
    groups, targets = tmp_path / "groups.yaml", tmp_path / "targets.yaml"
    groups.write_text(MINI_GROUPS, encoding="utf-8")
    targets.write_text(MINI_TARGETS, encoding="utf-8")
    return groups, targets


def write_ledger(
    path: Path, rows: list[dict[str, object]], header: list[str] = HEADER, encoding: str = "utf-8"
) -> Path:
    """Write rows (dicts keyed by column id) as a CSV ledger with the given header."""
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.get(h, "") for h in HEADER])
    return path


class CLI:
    """Runs ``jituan`` in-process through :func:`jituan.cli.main`."""

    def __init__(self, capsys: pytest.CaptureFixture[str]) -> None:
        self.capsys = capsys

    def __call__(self, *args: object) -> tuple[int, str, str]:
        self.capsys.readouterr()
        code = main([str(a) for a in args])
        out, err = self.capsys.readouterr()
        return code, out, err

    def json(self, *args: object) -> tuple[int, dict]:
        code, out, err = self(*args, "--format", "json")
        assert out, f"no output (exit {code}): {err}"
        return code, json.loads(out)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> CLI:
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return CLI(capsys)
