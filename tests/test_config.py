"""Configuration loading: the embedded default, lookups, and errors that name file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from jituan.config import load_config
from jituan.errors import ConfigError
from tests.conftest import MINI_GROUPS, MINI_TARGETS


def test_default_configuration_loads_with_every_member() -> None:
    cfg = load_config()
    assert cfg.district == "甘州区"
    assert len(cfg.groups) == 6
    assert len(cfg.schools) == 43
    assert sum(s.rural for s in cfg.schools.values()) == 17
    assert sum(s.lead for s in cfg.schools.values()) == 6
    assert {t.source for t in cfg.targets} >= {
        "四（一）1",
        "四（二）2",
        "四（三）1",
        "四（三）2",
        "四（四）2",
        "五（一）",
        "五（三）",
        "三（二）1",
    }


def test_names_match_through_aliases_and_normalisation() -> None:
    cfg = load_config()
    assert cfg.find_school("南关学校") == "甘州区南关学校"
    assert cfg.find_school(" 甘州区南关 学校 ") == "甘州区南关学校"
    # half-width brackets are the same school as the policy's full-width ones
    assert cfg.find_school("张掖市第一中学(初中部)") == "张掖市第一中学（初中部）"
    assert cfg.find_school("张掖市第一中学（小学部）") == "张掖市第一中学（小学部）"
    assert (
        cfg.schools["张掖市第一中学（初中部）"].group
        != cfg.schools["张掖市第一中学（小学部）"].group
    )
    assert cfg.find_school("南关学效") is None
    assert cfg.find_activity("校长论坛") == "principal_forum"
    assert cfg.find_activity("principal_forum") == "principal_forum"
    assert cfg.find_group("nanguan") == cfg.find_group("甘州区南关学校教育集团") == "nanguan"


def _write(
    tmp_path: Path, groups: str = MINI_GROUPS, targets: str = MINI_TARGETS
) -> tuple[Path, Path]:
    g, t = tmp_path / "g.yaml", tmp_path / "t.yaml"
    g.write_text(groups, encoding="utf-8")
    t.write_text(targets, encoding="utf-8")
    return g, t


def test_error_names_file_line_and_key(tmp_path: Path) -> None:
    bad = MINI_TARGETS.replace("    metric: sum\n", "    metric: total\n")
    g, t = _write(tmp_path, targets=bad)
    line = bad.splitlines().index("    metric: total") + 1
    with pytest.raises(ConfigError) as err:
        load_config(g, t)
    text = str(err.value)
    assert str(t) in text and f"line {line}" in text and "targets.2.metric" in text


def test_lead_must_be_a_member(tmp_path: Path) -> None:
    g, t = _write(tmp_path, groups=MINI_GROUPS.replace("lead: 西街小学", "lead: 北街小学"))
    with pytest.raises(
        ConfigError, match="lead school '北街小学' is not one of the group's members"
    ):
        load_config(g, t)


def test_unknown_activity_and_yaml_syntax(tmp_path: Path) -> None:
    g, t = _write(tmp_path, targets=MINI_TARGETS.replace("[principal_forum]", "[forum_x]"))
    with pytest.raises(ConfigError, match="unknown activity 'forum_x'"):
        load_config(g, t)
    g, t = _write(tmp_path, groups=MINI_GROUPS + "  - id: [oops\n")
    with pytest.raises(ConfigError, match=r"line \d+: invalid YAML"):
        load_config(g, t)


def test_duplicate_keys_and_missing_file(tmp_path: Path) -> None:
    g, t = _write(
        tmp_path,
        groups=MINI_GROUPS.replace("district: 测试区\n", "district: 测试区\ndistrict: 二区\n"),
    )
    with pytest.raises(ConfigError, match="line 2: invalid YAML: key 'district' appears twice"):
        load_config(g, t)
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "nope.yaml", t)


def test_schools_key_only_with_school_scope(tmp_path: Path) -> None:
    bad = MINI_TARGETS.replace(
        "    scope: group\n    period: semester\n",
        "    scope: group\n    schools: rural\n    period: semester\n",
        1,
    )
    g, t = _write(tmp_path, targets=bad)
    with pytest.raises(ConfigError, match="'schools' only applies to scope school"):
        load_config(g, t)
