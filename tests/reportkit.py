"""The fixed small ledger the report tests share, with its answers worked out by hand.

Configuration: tests/conftest.py (MINI_GROUPS, MINI_TARGETS). As of 2025-03-31 the first
semester (2024-09-01..2025-01-31) and the agreement deadline (2024-11-30) have passed;
the second semester (212 days from 2025-02-01, 59 elapsed: pace 0.278) and the school
year (365 days, 212 elapsed: pace 0.581) are running.

- forum: east S1 pass (row 2), west S1 fail 0/1, east and west S2 at risk 0/1.
- visits (members, 名师/骨干教师): 东村 S1 3/3 pass (rows 3-5); 东新 and 西村 S1 fail 0/3;
  all three at risk 0/3 in S2.
- lessons: 王老师 S1 16/15 pass (row 7); S2 0/15 at risk.
- rotation (share of teachers, by from_school): 东街 1/40 = 0.025 < 0.05 × 0.581 → at risk;
  东村, 西街, 西村 0 → at risk; 东新 has no headcount → unknown.
- agreement: east pass (row 6), west fail 0/1.

pass 4, fail 4, at_risk 10, on_track 0, unknown 1 (19 results); rows 9: accepted 7,
rejected 2 (row 9 unknown-school, row 10 future-date).
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import MINI_GROUPS, MINI_TARGETS, write_ledger

AS_OF = "2025-03-31"
EVIL = "<script>document.title='pwned'</script>"
ROWS = [
    dict(date="2024-10-10", activity="校长论坛", school="东街小学"),
    dict(
        date="2024-10-12",
        activity="听评课",
        school="东村中心学校",
        from_school="东街小学",
        person="李名师",
        role="名师",
        count=1,
    ),
    dict(
        date="2024-11-12",
        activity="听评课",
        school="东村中心学校",
        from_school="东街小学",
        person="李名师",
        role="名师",
        count=1,
    ),
    dict(
        date="2024-12-12",
        activity="听评课",
        school="东村中心学校",
        from_school="东街小学",
        person="赵骨干",
        role="骨干教师",
        count=1,
    ),
    dict(date="2024-11-01", activity="协议签订", school="东街小学"),
    dict(
        date="2024-12-01",
        activity="听评课",
        school="东村中心学校",
        person="王老师",
        role="教研员",
        count=16,
    ),
    dict(
        date="2025-03-01",
        activity="教师轮岗交流",
        school="东村中心学校",
        from_school="东街小学",
        person="张三",
        role="教师",
    ),
    dict(date="2025-03-05", activity="听评课", school=EVIL, note='=HYPERLINK("x")'),
    dict(date="2025-04-02", activity="校长论坛", school="西街小学"),
]


def setup(folder: Path) -> list[str]:
    """Write the ledger and configuration into ``folder``; the CLI arguments (relative)."""
    (folder / "groups.yaml").write_text(MINI_GROUPS, encoding="utf-8")
    # 王老师's 16 lessons in one day (row 7) stay under this ledger's integrity limit, so
    # the report tests see no integrity flag (tests/test_integrity.py covers those).
    limits = "integrity:\n  max_lessons_per_day: 16\n"
    (folder / "targets.yaml").write_text(MINI_TARGETS + limits, encoding="utf-8")
    write_ledger(folder / "ledger.csv", ROWS)
    return ["ledger.csv", "--groups", "groups.yaml", "--targets", "targets.yaml"]
