"""The default configuration (data/groups.yaml) names every school of the policy.

The expected names below are copied from section 三 (组建情况) of 甘州区“集团化”办学实施方案
(征求意见稿). When the policy text is available next to the repository it is also checked
that every hard-coded name really occurs in it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

GROUPS_YAML = Path(__file__).parents[1] / "data" / "groups.yaml"
POLICY_TXT = Path(__file__).parents[2] / "shared" / "000_9e498aecb0619faa.txt"

# group id -> (group name, type, lead school, members in policy order)
POLICY_GROUPS: dict[str, tuple[str, str, str, list[str]]] = {
    "ganquan": (
        "甘州区甘泉街小学教育集团",
        "close",
        "甘州区甘泉街小学",
        ["甘州区甘泉街小学", "甘州区南华小学", "甘州区新墩镇中心学校"],
    ),
    "zhongxue": (
        "中学教育集团",
        "alliance",
        "张掖市第二中学",
        [
            "张掖市第二中学",
            "张掖市北辰中学",
            "张掖市职业技术教育中心",
            "张掖市第四中学",
            "张掖育才中学",
            "金安苑学校（初中部）",
            "张掖市第一中学（初中部）",
            "甘州中学（初中部）",
            "甘州区思源实验学校（初中部）",
            "甘州区大成学校（初中部）",
        ],
    ),
    "ganzhou": (
        "甘州中学教育集团",
        "alliance",
        "甘州区甘州中学（小学部）",
        [
            "甘州区甘州中学（小学部）",
            "甘州区大成学校（小学部）",
            "甘州区思源实验学校（小学部）",
            "张掖市第一中学（小学部）",
            "甘州区金安苑学校（小学部）",
        ],
    ),
    "nanguan": (
        "甘州区南关学校教育集团",
        "alliance",
        "甘州区南关学校",
        [
            "甘州区南关学校",
            "甘州区劳动街小学",
            "甘州区前进小学",
            "甘州区长安镇中心学校",
            "甘州区大满镇中心学校",
            "甘州区小满镇中心学校",
            "甘州区龙渠乡中心学校",
            "甘州区安阳乡中心学校",
            "甘州区花寨乡中心学校",
        ],
    ),
    "qingniandongjie": (
        "甘州区青年东街小学教育集团",
        "alliance",
        "甘州区青年东街小学",
        [
            "甘州区青年东街小学",
            "甘州区青西小学",
            "甘州区民族小学",
            "甘州区碱滩镇中心学校",
            "甘州区上秦镇中心学校",
            "甘州区党寨镇中心学校",
            "甘州区梁家墩镇中心学校",
        ],
    ),
    "beijie": (
        "甘州区北街小学教育集团",
        "alliance",
        "甘州区北街小学",
        [
            "甘州区北街小学",
            "甘州区西街小学",
            "甘州区马神庙街小学",  # broken across two lines in the policy text
            "甘州区靖安乡中心学校",
            "甘州区三闸镇中心学校",
            "甘州区沙井镇中心学校",
            "甘州区乌江镇中心学校",
            "甘州区甘浚镇中心学校",
            "甘州区明永镇中心学校",
        ],
    ),
}

POLICY_MEMBER_COUNTS = {
    "ganquan": 3,
    "zhongxue": 10,
    "ganzhou": 5,
    "nanguan": 9,
    "qingniandongjie": 7,
    "beijie": 9,
}

RURAL_RE = re.compile(r"[乡镇]中心学校$")


def _member_name(member: str | dict) -> str:
    return member if isinstance(member, str) else member["name"]


def _member_rural(member: str | dict) -> bool:
    return False if isinstance(member, str) else bool(member.get("rural", False))


def _member_aliases(member: str | dict) -> list[str]:
    return [] if isinstance(member, str) else list(member.get("aliases") or [])


@pytest.fixture(scope="module")
def config() -> dict:
    with GROUPS_YAML.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@pytest.fixture(scope="module")
def groups(config: dict) -> dict[str, dict]:
    return {g["id"]: g for g in config["groups"]}


def test_schema_comment_is_first_line() -> None:
    first = GROUPS_YAML.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schema/groups.schema.json"


def test_hard_coded_expectations_are_consistent() -> None:
    counts = {gid: len(members) for gid, (_, _, _, members) in POLICY_GROUPS.items()}
    assert counts == POLICY_MEMBER_COUNTS
    assert sum(counts.values()) == 43
    all_members = [m for _, _, _, members in POLICY_GROUPS.values() for m in members]
    assert len(set(all_members)) == 43
    assert sum(bool(RURAL_RE.search(m)) for m in all_members) == 17


def test_district(config: dict) -> None:
    assert config["district"] == "甘州区"


def test_group_ids_names_types(groups: dict[str, dict]) -> None:
    assert list(groups) == list(POLICY_GROUPS)
    for gid, (name, gtype, _, _) in POLICY_GROUPS.items():
        assert groups[gid]["name"] == name
        assert groups[gid]["type"] == gtype


def test_members_match_policy(config: dict) -> None:
    actual = [(g["id"], _member_name(m)) for g in config["groups"] for m in g["members"]]
    expected = [(gid, m) for gid, (_, _, _, members) in POLICY_GROUPS.items() for m in members]
    assert len(actual) == 43
    assert len(set(actual)) == 43, "a member is listed twice"
    assert set(actual) == set(expected)
    # a school (or division) belongs to exactly one group
    names = [m for _, m in actual]
    assert len(set(names)) == len(names)


def test_leads(groups: dict[str, dict]) -> None:
    for gid, (_, _, lead, _) in POLICY_GROUPS.items():
        group = groups[gid]
        assert group["lead"] == lead
        assert lead in [_member_name(m) for m in group["members"]]


def test_rural_flags(config: dict) -> None:
    rural = {_member_name(m) for g in config["groups"] for m in g["members"] if _member_rural(m)}
    expected = {
        m for _, _, _, members in POLICY_GROUPS.values() for m in members if RURAL_RE.search(m)
    }
    assert len(expected) == 17
    assert rural == expected


def test_no_headcounts_or_researchers(config: dict) -> None:
    for g in config["groups"]:
        assert "researchers" not in g
        for m in g["members"]:
            assert isinstance(m, str) or "teachers" not in m


def test_school_aliases_unique(config: dict) -> None:
    names = {_member_name(m) for g in config["groups"] for m in g["members"]}
    seen: dict[str, str] = {}
    for g in config["groups"]:
        for m in g["members"]:
            owner = _member_name(m)
            for alias in _member_aliases(m):
                assert alias != owner, f"{owner}: alias repeats the name"
                assert alias not in names, f"{owner}: alias {alias} is another school's name"
                assert alias not in seen, f"alias {alias} used by {seen[alias]} and {owner}"
                seen[alias] = owner


def test_group_aliases_unique(config: dict) -> None:
    names = {g["name"] for g in config["groups"]}
    seen: dict[str, str] = {}
    for g in config["groups"]:
        for alias in g.get("aliases") or []:
            assert alias not in names, f"{g['id']}: alias {alias} is a group name"
            assert alias not in seen, f"alias {alias} used by {seen[alias]} and {g['id']}"
            seen[alias] = g["id"]


@pytest.mark.skipif(not POLICY_TXT.exists(), reason="policy text not available")
def test_names_occur_in_policy_text() -> None:
    # drop line breaks, spaces and markdown emphasis ("甘州区马神\n\n庙街小学", "**牵头学校：**")
    text = re.sub(r"[\s*]+", "", POLICY_TXT.read_text(encoding="utf-8"))
    for name, _, lead, members in POLICY_GROUPS.values():
        # the heading carries the policy's own member count, e.g. "甘州区南关学校教育集团（9所）"
        assert f"{name}（{len(members)}所）" in text, name
        assert f"牵头学校：{lead}" in text, lead
        for member in members:
            assert member in text, member
