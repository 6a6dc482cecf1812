"""`validate`: every finding on a small broken YAML, with the file, line and key worked out by hand.

Line numbers count from the first line of the mini files in conftest (``district: 测试区``
and ``calendar:`` are line 1).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from jituan.validate import Finding, validate_paths
from tests.conftest import MINI_GROUPS, MINI_TARGETS

#: The mini configuration's one honest warning: 东新小学 has no teachers, and the rotation
#: target (share_of_teachers, every school) covers it.
MINI_WARNING = ("targets.3.metric", "missing-teachers-some")


def _write(
    tmp_path: Path, groups: str = MINI_GROUPS, targets: str = MINI_TARGETS
) -> tuple[Path, Path]:
    g, t = tmp_path / "groups.yaml", tmp_path / "targets.yaml"
    g.write_text(groups, encoding="utf-8")
    t.write_text(targets, encoding="utf-8")
    return g, t


def findings(
    tmp_path: Path, groups: str = MINI_GROUPS, targets: str = MINI_TARGETS
) -> list[Finding]:
    g, t = _write(tmp_path, groups, targets)
    return validate_paths(g, t).findings


def brief(found: list[Finding]) -> list[tuple[str, int | None, str, str, str]]:
    """(file name, line, key, severity, code) of each finding, without the mini warning."""
    return [
        (Path(f.file).name, f.line, f.key, f.severity, f.code)
        for f in found
        if (f.key, f.code) != MINI_WARNING
    ]


def replace(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def test_mini_configuration_has_only_its_headcount_warning(tmp_path: Path) -> None:
    found = findings(tmp_path)
    assert [
        (f.file.endswith("targets.yaml"), f.line, f.key, f.severity, f.code) for f in found
    ] == [(True, 48, "targets.3.metric", "warning", "missing-teachers-some")]
    assert "东新小学" in found[0].message and "东街小学" not in found[0].message


def test_researchers_of_groups_without_a_rural_school_are_a_warning(tmp_path: Path) -> None:
    """王老师 is listed by 东区 alone: with 东村中心学校 not rural, the lessons target (rural
    schools only) can never be met for them; listed by 西区 too (rural 西村), it can."""
    no_rural = replace(MINI_GROUPS, "      - name: 东村中心学校\n        rural: true\n",
                       "      - name: 东村中心学校\n")  # fmt: skip
    found = findings(tmp_path, groups=no_rural)
    lessons = MINI_TARGETS.splitlines().index("    rural_only: true") + 1
    assert brief(found) == [
        ("targets.yaml", lessons, "targets.2.rural_only", "warning", "researchers-no-rural")
    ]
    assert found[0].message.startswith("王老师: the groups that list them have no rural school")
    both = replace(
        no_rural, "    lead: 西街小学\n", "    lead: 西街小学\n    researchers: [王　老师]\n"
    )
    assert brief(findings(tmp_path, groups=both)) == []


def test_lead_not_a_member(tmp_path: Path) -> None:
    found = findings(tmp_path, groups=replace(MINI_GROUPS, "lead: 西街小学", "lead: 北街小学"))
    assert brief(found) == [("groups.yaml", 20, "groups.1.lead", "error", "lead-not-member")]
    assert "'北街小学'" in found[0].message
    # an alias is not the member's name: said so, with the name to write
    found = findings(tmp_path, groups=replace(MINI_GROUPS, "lead: 东街小学", "lead: 东小"))
    assert brief(found) == [("groups.yaml", 7, "groups.0.lead", "error", "lead-not-member")]
    assert "write the member's name" in found[0].message and "东街小学" in found[0].message


def test_school_in_two_groups_but_a_division_is_another_school(tmp_path: Path) -> None:
    groups = MINI_GROUPS + "      - name: 东新小学\n      - name: 东街小学（初中部）\n"
    found = findings(tmp_path, groups=groups)
    # line 27 is the new `- name: 东新小学` of the west group (its third member)
    assert brief(found) == [
        ("groups.yaml", 27, "groups.1.members.2", "error", "school-in-two-groups")
    ]
    assert "东区教育集团" in found[0].message and "line 16" in found[0].message
    # the same school twice in one group
    groups = replace(
        MINI_GROUPS, "      - name: 东新小学\n", "      - name: 东新小学\n      - 东新小学\n"
    )
    assert brief(findings(tmp_path, groups=groups)) == [
        ("groups.yaml", 17, "groups.0.members.3", "error", "duplicate-member")
    ]


def test_duplicate_ids_of_groups_activities_and_targets(tmp_path: Path) -> None:
    groups = replace(MINI_GROUPS, "  - id: west", "  - id: east")
    targets = replace(MINI_TARGETS, "  - id: group_agreement", "  - id: teacher_rotation")
    targets = replace(targets, "  - id: rotation", "  - id: forum")
    found = findings(tmp_path, groups=groups, targets=targets)
    assert brief(found) == [
        ("groups.yaml", 17, "groups.1.id", "error", "duplicate-id"),
        ("targets.yaml", 14, "activities.3.id", "error", "duplicate-id"),
        ("targets.yaml", 42, "targets.3.id", "error", "duplicate-id"),
        # the renamed activity: the agreement target now names an activity that is gone
        ("targets.yaml", 55, "targets.4.activities.0", "error", "unknown-activity"),
    ]
    assert "first at line 3" in found[0].message
    assert "first at line 12" in found[1].message
    assert "first at line 17" in found[2].message


def test_a_repeated_activity_id_has_its_names_checked_still(tmp_path: Path) -> None:
    """Every problem at once: an activity entry with a repeated id whose alias is another
    activity's name is two errors, not the first alone."""
    targets = replace(
        MINI_TARGETS,
        "  - id: group_agreement\n    name: 协议签订\n",
        "  - id: group_agreement\n    name: 协议签订\n"
        "  - id: principal_forum\n    name: 论坛二\n    aliases: [听评课]\n",
    )
    found = findings(tmp_path, targets=targets)
    assert [(f.key, f.code) for f in found if f.severity == "error"] == [
        ("activities.4.id", "duplicate-id"),
        ("activities.4.aliases.0", "name-clash"),
    ]
    assert "'听评课' already names lesson_observation" in found[1].message


def test_alias_pointing_at_two_schools_or_naming_another(tmp_path: Path) -> None:
    groups = replace(
        MINI_GROUPS,
        "      - name: 西街小学\n        teachers: 30\n",
        "      - name: 西街小学\n        teachers: 30\n        aliases: [东小, 东新小学]\n",
    )
    found = findings(tmp_path, groups=groups)
    assert brief(found) == [
        ("groups.yaml", 24, "groups.1.members.0.aliases.0", "error", "alias-two-schools"),
        ("groups.yaml", 24, "groups.1.members.0.aliases.1", "error", "alias-is-school-name"),
    ]
    assert "东街小学" in found[0].message and "西街小学" in found[0].message
    assert "东新小学" in found[1].message


def test_target_naming_an_unknown_activity(tmp_path: Path) -> None:
    targets = replace(MINI_TARGETS, "activities: [principal_forum]", "activities: [forum_x, 听课]")
    found = findings(tmp_path, targets=targets)
    assert brief(found) == [
        ("targets.yaml", 20, "targets.0.activities.0", "error", "unknown-activity"),
        ("targets.yaml", 20, "targets.0.activities.1", "error", "unknown-activity"),
    ]
    assert "'forum_x'" in found[0].message
    assert "write the activity id 'lesson_observation'" in found[1].message


def test_target_naming_an_unknown_scope(tmp_path: Path) -> None:
    targets = replace(
        MINI_TARGETS, "[principal_forum]\n    scope: group\n", "[principal_forum]\n    scope: grp\n"
    )
    found = findings(tmp_path, targets=targets)
    assert brief(found) == [("targets.yaml", 21, "targets.0.scope", "error", "invalid-value")]
    assert "'grp'" in found[0].message and "'group'" in found[0].message


def test_target_naming_an_unknown_period(tmp_path: Path) -> None:
    targets = replace(
        MINI_TARGETS,
        "    scope: researcher\n    period: semester\n",
        "    scope: researcher\n    period: month\n",
    )
    found = findings(tmp_path, targets=targets)
    assert brief(found) == [("targets.yaml", 38, "targets.2.period", "error", "invalid-value")]
    assert "'month'" in found[0].message and "'semester'" in found[0].message


def test_schools_with_a_scope_that_has_no_schools(tmp_path: Path) -> None:
    targets = replace(
        MINI_TARGETS,
        "    scope: group\n    period: semester\n",
        "    scope: group\n    schools: rural\n    period: semester\n",
    )
    found = findings(tmp_path, targets=targets)
    assert brief(found) == [
        ("targets.yaml", 22, "targets.0.schools", "error", "schools-without-school-scope")
    ]


def test_share_of_teachers_with_a_scope_that_has_no_schools(tmp_path: Path) -> None:
    targets = replace(
        MINI_TARGETS,
        "    scope: school\n    period: school_year\n",
        "    scope: group\n    period: school_year\n",
    )
    found = findings(tmp_path, targets=targets)
    assert brief(found) == [
        ("targets.yaml", 48, "targets.3.metric", "error", "share-without-school-scope")
    ]
    # and no headcount warning for a target that has no schools
    assert all(f.code != "missing-teachers-some" for f in found)


def test_missing_headcounts_are_a_warning_naming_the_schools(tmp_path: Path) -> None:
    groups = replace(MINI_GROUPS, "        teachers: 10\n", "")  # 西村中心学校 too
    found = findings(tmp_path, groups=groups)
    assert [(f.line, f.key, f.severity, f.code) for f in found] == [
        (48, "targets.3.metric", "warning", "missing-teachers-some")
    ]
    assert "2 school(s)" in found[0].message
    assert "东新小学, 西村中心学校" in found[0].message
    # when no school it covers has one, it says so, and still names them
    bare = "\n".join(line for line in MINI_GROUPS.splitlines() if "teachers:" not in line) + "\n"
    found = findings(tmp_path, groups=bare)
    assert [(f.key, f.code) for f in found] == [("targets.3.metric", "missing-teachers-all")]
    assert "none of the 5 schools" in found[0].message
    assert found[0].message.endswith(": 东街小学, 东村中心学校, 东新小学, 西街小学, 西村中心学校")


def test_deadline_outside_the_calendar_or_without_program(tmp_path: Path) -> None:
    targets = replace(MINI_TARGETS, "deadline: 2024-11-30", "deadline: 2025-09-30")
    found = findings(tmp_path, targets=targets)
    assert brief(found) == [
        ("targets.yaml", 58, "targets.4.deadline", "error", "deadline-outside-calendar")
    ]
    (error,) = [f for f in found if f.severity == "error"]
    assert "2025-09-30" in error.message and "2024-09-01 – 2025-08-31" in error.message
    targets = replace(MINI_TARGETS, "    period: program\n", "    period: semester\n")
    assert brief(findings(tmp_path, targets=targets)) == [
        ("targets.yaml", 58, "targets.4.deadline", "error", "deadline-not-program")
    ]


def test_semesters_that_do_not_tile_the_year(tmp_path: Path) -> None:
    same = replace(
        MINI_TARGETS, 'second_semester_starts: "02-01"', 'second_semester_starts: "09-01"'
    )
    found = findings(tmp_path, targets=same)
    assert brief(found) == [
        ("targets.yaml", 3, "calendar.second_semester_starts", "error", "semesters-same-start")
    ]
    leap = replace(
        MINI_TARGETS, 'second_semester_starts: "02-01"', 'second_semester_starts: "02-29"'
    )
    assert brief(findings(tmp_path, targets=leap)) == [
        ("targets.yaml", 3, "calendar.second_semester_starts", "error", "semester-leap-day")
    ]
    not_a_day = replace(
        MINI_TARGETS, 'first_semester_starts: "09-01"', 'first_semester_starts: "09-31"'
    )
    found = findings(tmp_path, targets=not_a_day)
    assert brief(found) == [
        ("targets.yaml", 2, "calendar.first_semester_starts", "error", "invalid-value")
    ]
    assert "not a day of the year" in found[0].message
    backwards = replace(MINI_TARGETS, "  end: 2025-08-31", "  end: 2024-08-31")
    assert brief(findings(tmp_path, targets=backwards)) == [
        ("targets.yaml", 5, "calendar.end", "error", "calendar-range")
    ]


def test_minimum_fits_the_metric(tmp_path: Path) -> None:
    targets = replace(MINI_TARGETS, "    min: 0.05\n", "    min: 5\n")
    targets = replace(targets, "    min: 3\n", "    min: 2.5\n")
    assert brief(findings(tmp_path, targets=targets)) == [
        ("targets.yaml", 32, "targets.1.min", "error", "whole-min"),
        ("targets.yaml", 51, "targets.3.min", "error", "share-min-fraction"),
    ]


def test_every_problem_at_once_even_when_the_shape_is_wrong(tmp_path: Path) -> None:
    """pydantic's errors (all of them) and the cross-checks come out together."""
    groups = replace(MINI_GROUPS, "        teachers: 40\n", "        teachers: many\n")
    groups = replace(groups, "    type: close\n", "    type: tight\n")
    groups = replace(groups, "lead: 西街小学", "lead: 北街小学")
    targets = replace(MINI_TARGETS, "semester\n    min: 1\n", "semester\n    min: lots\n")
    targets = replace(
        targets, "[principal_forum]\n    scope: group\n", "[principal_forum]\n    scop: group\n"
    )
    targets = replace(targets, "activities: [teacher_rotation]", "activities: [rotation_x]")
    found = findings(tmp_path, groups=groups, targets=targets)
    assert brief(found) == [
        ("groups.yaml", 11, "groups.0.members.0.teachers", "error", "invalid-value"),
        ("groups.yaml", 19, "groups.1.type", "error", "invalid-value"),
        ("groups.yaml", 20, "groups.1.lead", "error", "lead-not-member"),
        ("targets.yaml", 17, "targets.0.scope", "error", "missing-key"),  # line of the target
        ("targets.yaml", 21, "targets.0.scop", "error", "unknown-key"),
        ("targets.yaml", 23, "targets.0.min", "error", "invalid-value"),
        ("targets.yaml", 45, "targets.3.activities.0", "error", "unknown-activity"),
    ]
    by_key = {f.key: f.message for f in found}
    assert "'many'" in by_key["groups.0.members.0.teachers"]
    assert by_key["targets.0.scope"] == "missing required key 'scope'"
    assert "did you mean 'scope'?" in by_key["targets.0.scop"]


def test_invalid_yaml_in_one_file_does_not_hide_the_other(tmp_path: Path) -> None:
    groups = MINI_GROUPS + "  - id: [oops\n"
    targets = replace(MINI_TARGETS, "[principal_forum]", "[forum_x]")
    found = findings(tmp_path, groups=groups, targets=targets)
    assert [(Path(f.file).name, f.code) for f in found] == [
        ("groups.yaml", "invalid-yaml"),
        ("targets.yaml", "unknown-activity"),
    ]
    assert found[0].line is not None
    g, t = _write(tmp_path, groups="- just\n- a list\n")
    assert [(f.line, f.key, f.code) for f in validate_paths(g, t).findings] == [
        (1, "", "not-a-mapping")
    ]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_findings_speak_both_languages(tmp_path: Path, lang: str) -> None:
    g, t = _write(tmp_path, groups=replace(MINI_GROUPS, "lead: 西街小学", "lead: 北街小学"))
    (found,) = [f for f in validate_paths(g, t, lang=lang).findings if f.severity == "error"]
    assert ("牵头学校" in found.message) == (lang == "zh")
    assert "北街小学" in found.message


def test_integrity_limits_name_known_activities(tmp_path: Path) -> None:
    targets = MINI_TARGETS + "integrity:\n  lesson_activities: [lesson_observaton]\n"
    found = findings(tmp_path, targets=targets)
    assert brief(found) == [
        ("targets.yaml", 61, "integrity.lesson_activities.0", "error", "unknown-activity")
    ]
    assert "did you mean 'lesson_observation'?" in found[-1].message


def test_a_member_written_with_a_full_width_colon_is_a_warning(tmp_path: Path) -> None:
    """- name：东新小学 (a Chinese input method's colon) is read by YAML as a school named
    so, in silence: validate says what it looks like."""
    groups = replace(MINI_GROUPS, "      - name: 东新小学\n", "      - name：东新小学\n")
    found = findings(tmp_path, groups=groups)
    hits = [f for f in found if f.code == "fullwidth-key"]
    assert [(f.key, f.severity) for f in hits] == [("groups.0.members.2.name", "warning")]
    assert "'name：东新小学' looks like the key name" in hits[0].message
