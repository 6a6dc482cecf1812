"""`jituan groups` and `jituan targets`: what the configuration holds."""

from __future__ import annotations


def test_groups_table_and_json(cli, mini_config) -> None:
    g, t = mini_config
    code, out, _ = cli("groups", "--groups", g, "--targets", t)
    assert code == 0
    for text in (
        "测试区: 2 groups, 5 member schools",
        "东区教育集团",
        "(east)",
        "alliance",
        "close",
        "东村中心学校",
        "researchers: 王老师",
        "40",
    ):
        assert text in out
    code, data = cli.json("groups", "--groups", g, "--targets", t)
    assert data["district"] == "测试区"
    east = data["groups"][0]
    assert (east["id"], east["type"], east["lead"], east["researchers"]) == (
        "east",
        "alliance",
        "东街小学",
        ["王老师"],
    )
    assert [(m["name"], m["lead"], m["rural"], m["teachers"]) for m in east["members"]] == [
        ("东街小学", True, False, 40),
        ("东村中心学校", False, True, 20),
        ("东新小学", False, False, None),
    ]


def test_groups_in_chinese(cli, mini_config) -> None:
    g, t = mini_config
    code, out, _ = cli("groups", "--groups", g, "--targets", t, "--lang", "zh")
    assert code == 0 and "测试区：2 个集团，5 所成员学校" in out and "联盟型" in out


def test_targets_table_and_json(cli, mini_config) -> None:
    g, t = mini_config
    code, out, _ = cli("targets", "--groups", g, "--targets", t)
    assert code == 0
    for text in (
        "5 targets",
        "forum",
        "四（一）1",
        "school·members",
        "per semester",
        "5%",
        "2024-11-30",
    ):
        assert text in out
    code, data = cli.json("targets", "--groups", g, "--targets", t)
    rows = {x["id"]: x for x in data["targets"]}
    assert list(rows) == ["forum", "visits", "lessons", "rotation", "agreement"]
    assert (
        rows["rotation"]["scope"],
        rows["rotation"]["period"],
        rows["rotation"]["metric"],
        rows["rotation"]["min"],
        rows["rotation"]["severity"],
        rows["rotation"]["source"],
    ) == ("school", "school_year", "share_of_teachers", 0.05, "error", "四（三）2")
    assert rows["agreement"]["deadline"] == "2024-11-30"


def test_groups_on_a_broken_configuration_is_exit_2(cli, mini_config) -> None:
    g, t = mini_config
    g.write_text(
        g.read_text(encoding="utf-8").replace("lead: 西街小学", "lead: 北街小学"), encoding="utf-8"
    )
    code, out, err = cli("groups", "--groups", g, "--targets", t)
    assert code == 2 and "groups.1.lead" in err and "Traceback" not in err


def test_target_ids_stay_whole_in_an_80_column_terminal(cli, monkeypatch) -> None:
    """Ids are what people type into explain and exemptions: the default targets' longest
    (researcher-rural-activity) was cut into researcher-rural-act / ivity."""
    from jituan.config import load_config

    monkeypatch.setenv("COLUMNS", "80")
    for lang in ("en", "zh"):
        code, out, _ = cli("targets", "--lang", lang)
        assert code == 0
        words = out.split()
        assert all(tg.id in words for tg in load_config().targets)


def test_targets_writes_a_share_as_every_report_does(cli, mini_config, monkeypatch) -> None:
    """A minimum of 0.045 is 4.5% (it was rounded to 4%, beside explain's 4.5%)."""
    g, t = mini_config
    t.write_text(t.read_text(encoding="utf-8").replace("min: 0.05", "min: 0.045"), "utf-8")
    monkeypatch.setenv("COLUMNS", "150")
    code, out, _ = cli("targets", "--groups", g, "--targets", t)
    rotation = next(line for line in out.splitlines() if line.strip().startswith("rotation"))
    assert code == 0 and " 4.5% " in rotation, out
