"""Generate examples/records.csv: an illustrative activity ledger for the 2024-2025 school year.

Deterministic (random.Random(2025), stdlib + pyyaml only). Reads examples/groups.yaml (the six
groups of the policy, with illustrative headcounts and researchers) and data/targets.yaml
(activity names and aliases), and writes examples/records.csv (UTF-8, no BOM, "\\n" line ends).

    python examples/make_records.py

Periods: semesters 2024-2025-1 (2024-09-01..2025-01-31) and 2024-2025-2 (2025-02-01..
2025-08-31); school year 2024-2025; calendar years 2024 and 2025 (the ledger ends 2025-08-31).
Dates are weekdays outside public holidays, mostly in term time.

The ledger is compliant except for these deliberate failures (what the checker should report):

  1. principal-forum        甘州区北街小学教育集团, 2024-2025-2: actual 0, min 1
  2. master-teacher-visits  甘州区花寨乡中心学校, 2024-2025-1: actual 2, min 3
  3. researcher-lessons     刘晓燕 (beijie), 2024-2025-2: actual 12 lessons, min 15
  4. teacher-rotation       甘州区民族小学, 2024-2025: 1 of 90 teachers = 1.1%, min 5%
                            (needs ceil(0.05 * 90) = 5 distinct teachers)
  5. group-agreement        甘州中学教育集团: agreement signed 2024-12-10, after the
                            2024-11-30 deadline (actual 0 by the deadline, min 1)

and three bad rows appended at the end of the file (not in date order):

  - school 南关学效 (typo of 南关学校): unknown school
  - date 2024-13-45: invalid date
  - activity 植树节: unknown activity
"""

from __future__ import annotations

import csv
import math
import random
from datetime import date, timedelta
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
GROUPS_YAML = HERE / "groups.yaml"
TARGETS_YAML = HERE.parent / "data" / "targets.yaml"
OUT_CSV = HERE / "records.csv"

HEADER = ["日期", "活动类型", "学校", "派出学校", "集团", "姓名", "身份", "数量", "备注"]

# Public holidays (and the Mid-Autumn festival, 2024-09-15..17) kept free of activity.
HOLIDAYS: set[date] = set()
for _start, _end in [
    ("2024-09-15", "2024-09-17"),
    ("2024-10-01", "2024-10-07"),
    ("2025-01-01", "2025-01-01"),
    ("2025-01-28", "2025-02-04"),
    ("2025-04-04", "2025-04-06"),
    ("2025-05-01", "2025-05-05"),
    ("2025-05-31", "2025-06-02"),
]:
    _d, _e = date.fromisoformat(_start), date.fromisoformat(_end)
    while _d <= _e:
        HOLIDAYS.add(_d)
        _d += timedelta(days=1)

# Term time: autumn term 2024-09-02..2025-01-17, spring term 2025-02-17..2025-07-11.
S1 = (date(2024, 9, 2), date(2025, 1, 17))
S2 = (date(2025, 2, 17), date(2025, 7, 11))

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余"
    "杜叶程魏苏吕丁任沈姚卢钟姜崔谭陆范汪廖石金贾韦夏付方白邹孟秦邱侯江尹薛闫段雷龙黎"
    "史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤"
)
# fmt: off
GIVEN = [
    "建国", "丽华", "红梅", "志强", "晓燕", "海燕", "文静", "玉兰", "国庆", "春梅", "秀英", "桂兰",
    "建华", "明", "伟", "芳", "娜", "敏", "静", "磊", "洋", "艳", "勇", "军",
    "杰", "娟", "涛", "超", "霞", "平", "刚", "辉", "鹏", "华", "飞", "鑫",
    "波", "斌", "宇", "浩", "凯", "健", "俊", "帆", "琳", "婷", "倩", "蕾",
    "雪", "丹", "瑞", "欣", "悦", "晨", "阳", "玲", "萍", "兰", "梅", "莉",
    "慧", "颖", "佳", "雯", "璐", "晶", "志刚", "志明", "文博", "文娟", "晓东", "晓梅",
    "海龙", "海军", "永红", "永刚", "小红", "小军", "金花", "玉梅", "春燕", "秋菊", "冬梅", "国强",
    "国华", "立新", "红霞", "淑珍", "德明", "学军", "建军", "卫东", "雪梅", "凤英", "桂芳", "亚楠",
    "子涵", "思远", "雨欣", "浩然", "宏伟", "彦军", "生辉", "成林", "天明", "兴旺",
]
# fmt: on

FORUM_TOPICS = [
    "集团一体化管理经验交流",
    "新课标背景下的学校管理",
    "家校共育与学校治理",
    "城乡学校协同发展路径",
    "双减背景下作业管理",
    "教师队伍建设与激励",
]
SUBJECTS = ["语文", "数学", "英语", "科学", "道德与法治", "音乐", "美术", "体育", "信息科技"]
VISITOR_ROLES = ["名师", "学科带头人", "骨干教师", "骨干教师", "学科带头人", "名师", "骨干教师"]
SEC_SUBJECTS = ["语文", "数学", "英语", "物理", "化学", "生物", "历史", "地理", "道德与法治"]


class Ledger:
    def __init__(self, groups_cfg: dict, targets_cfg: dict, rng: random.Random) -> None:
        self.rng = rng
        self.groups = groups_cfg["groups"]
        self.act_name = {a["id"]: a["name"] for a in targets_cfg["activities"]}
        self.act_aliases = {
            a["id"]: list(a.get("aliases") or []) for a in targets_cfg["activities"]
        }
        self.school_aliases: dict[str, list[str]] = {}
        self.rows: list[dict[str, str]] = []
        self.used_names: set[str] = set()
        for g in self.groups:
            self.used_names.update(g.get("researchers") or [])
            for m in g["members"]:
                m = {"name": m} if isinstance(m, str) else m
                self.school_aliases[m["name"]] = list(m.get("aliases") or [])

    # -- helpers -----------------------------------------------------------------------
    def person(self) -> str:
        """A new, unique, plausible Chinese name."""
        while True:
            name = self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)
            if name not in self.used_names:
                self.used_names.add(name)
                return name

    def day(self, start: date, end: date, avoid_mid_feb: bool = True) -> date:
        """A random weekday in [start, end], not a holiday."""
        days = []
        d = start
        while d <= end:
            if (
                d.weekday() < 5
                and d not in HOLIDAYS
                and not (avoid_mid_feb and d.month == 2 and d.day <= 15)
            ):
                days.append(d)
            d += timedelta(days=1)
        return self.rng.choice(days)

    def activity(self, act_id: str, alias_rate: float = 0.12) -> str:
        aliases = self.act_aliases[act_id]
        if aliases and self.rng.random() < alias_rate:
            return self.rng.choice(aliases)
        return self.act_name[act_id]

    def school(self, name: str, alias_rate: float = 0.08) -> str:
        aliases = self.school_aliases.get(name) or []
        if aliases and self.rng.random() < alias_rate:
            return self.rng.choice(aliases)
        return name

    def group_cell(self, group: dict) -> str:
        """The group column is filled on about half of the rows (sometimes with an alias)."""
        if self.rng.random() < 0.5:
            return ""
        aliases = group.get("aliases") or []
        if aliases and self.rng.random() < 0.1:
            return self.rng.choice(aliases)
        return group["name"]

    def add(
        self,
        when: date,
        act_id: str,
        school: str,
        group: dict,
        *,
        from_school: str = "",
        person: str = "",
        role: str = "",
        count: int | None = None,
        note: str = "",
    ) -> None:
        self.rows.append(
            {
                "日期": when.isoformat(),
                "活动类型": self.activity(act_id),
                "学校": self.school(school),
                "派出学校": self.school(from_school) if from_school else "",
                "集团": self.group_cell(group),
                "姓名": person,
                "身份": role,
                "数量": "" if count is None else str(count),
                "备注": note,
            }
        )


def members_of(group: dict) -> list[dict]:
    return [{"name": m} if isinstance(m, str) else m for m in group["members"]]


def build(ledger: Ledger) -> None:
    rng = ledger.rng
    semesters = {"2024-2025-1": S1, "2024-2025-2": S2}

    for g in ledger.groups:
        gid, lead = g["id"], g["lead"]
        members = members_of(g)
        names = [m["name"] for m in members]
        rural = [m["name"] for m in members if m.get("rural")]
        city = [n for n in names if n not in rural]
        others = [n for n in names if n != lead]
        secondary = gid == "zhongxue"
        subjects = SEC_SUBJECTS if secondary else SUBJECTS
        principal = ledger.person()

        # Visiting master teachers: most from the lead school, some from other city members.
        visitors = []
        for i in range(7):
            home = lead if i < 5 or len(city) < 2 else rng.choice([c for c in city if c != lead])
            visitors.append((ledger.person(), VISITOR_ROLES[i], home, rng.choice(subjects)))

        # group-agreement: October-November 2024 (甘州中学教育集团 late: failure 5).
        when = (
            date(2024, 12, 10)
            if gid == "ganzhou"
            else ledger.day(date(2024, 10, 14), date(2024, 11, 22))
        )
        ledger.add(
            when,
            "group_agreement",
            lead,
            g,
            person=principal,
            role="校长",
            note="牵头学校与各成员学校签订集团化办学协议",
        )

        # research-plan: lead school, September 2024.
        ledger.add(
            ledger.day(date(2024, 9, 9), date(2024, 9, 27)),
            "research_plan",
            lead,
            g,
            note="2024-2025学年集团教研计划",
        )

        # joint-activity: one or two per school year.
        kinds = ["sports_event", "culture_event", "club_show", "labour_practice"]
        for act in rng.sample(kinds, rng.randint(1, 2)):
            host = rng.choice(rural) if act == "labour_practice" and rural else rng.choice(names)
            window = (
                (date(2024, 10, 14), date(2024, 11, 29))
                if rng.random() < 0.5
                else (date(2025, 4, 14), date(2025, 6, 20))
            )
            ledger.add(ledger.day(*window), act, host, g, note="集团内联合组织")

        # ethics-lecture and ethics-honours-report: once in each calendar year.
        for window in [
            (date(2024, 9, 9), date(2024, 12, 20)),
            (date(2025, 3, 3), date(2025, 6, 27)),
        ]:
            ledger.add(
                ledger.day(*window), "ethics_lecture", lead, g, note="集团内部师德师风集中宣讲"
            )
            ledger.add(
                ledger.day(*window), "ethics_honours_report", rng.choice([lead, lead, *city]), g
            )

        for sem, (start, end) in semesters.items():
            # ethics-warning and ethics-four-party: once per semester.
            ledger.add(ledger.day(start, end), "ethics_warning", rng.choice(names), g)
            ledger.add(
                ledger.day(start + timedelta(days=60), end),
                "ethics_four_party",
                lead,
                g,
                note="学校、教师、学生、家长四方评价",
            )

            # principal-forum: once per semester (北街 misses 2024-2025-2: failure 1).
            if not (gid == "beijie" and sem == "2024-2025-2"):
                ledger.add(
                    ledger.day(start + timedelta(days=14), end - timedelta(days=14)),
                    "principal_forum",
                    rng.choice([lead, lead, *others]),
                    g,
                    person=principal,
                    role="校长",
                    note="主题：" + rng.choice(FORUM_TOPICS),
                )

            # committee-meeting (alliance groups): one or two per semester; the first after
            # the committee is set up in October 2024.
            if g["type"] == "alliance":
                first = date(2024, 10, 14) if sem == "2024-2025-1" else start
                for _ in range(rng.randint(1, 2)):
                    ledger.add(
                        ledger.day(first, end),
                        "committee_meeting",
                        lead,
                        g,
                        person=principal,
                        role="校长",
                        note="联校管理委员会主任召集",
                    )

            # master-teacher-visits: at least 3 per member school (花寨 gets 2 in S1: failure 2).
            for school in others:
                n = rng.choice([3, 3, 4, 4, 5])
                if school == "甘州区花寨乡中心学校" and sem == "2024-2025-1":
                    n = 2
                for _ in range(n):
                    person, role, home, subject = rng.choice(
                        [v for v in visitors if v[2] != school]
                    )
                    act = rng.choice(["lesson_observation", "open_class", "seminar"])
                    count = rng.choice([1, 2, 2, 3]) if act == "lesson_observation" else None
                    note = {
                        "lesson_observation": f"{subject}课堂听评",
                        "open_class": f"{subject}示范公开课",
                        "seminar": f"{subject}学科专题研讨",
                    }[act]
                    ledger.add(
                        ledger.day(start, end),
                        act,
                        school,
                        g,
                        from_school=home,
                        person=person,
                        role=role,
                        count=count,
                        note=note,
                    )

        # teacher-rotation: ceil(5%) distinct teachers per school, September 2024 or February
        # 2025, to another school of the same group (民族小学 sends 1: failure 4).
        for m in members:
            school, teachers = m["name"], m["teachers"]
            need = math.ceil(0.05 * teachers)
            if school == "甘州区民族小学":
                need = 1
            # rural schools send teachers to the city schools; city schools to the rural
            # schools; groups without rural members exchange among all their members
            if school in rural:
                targets = [c for c in city if c != school]
            elif rural:
                targets = rural
            else:
                targets = [n for n in names if n != school]
            for i in range(need):
                window = (
                    (date(2024, 9, 2), date(2024, 9, 6))
                    if i % 3 != 2
                    else (date(2025, 2, 10), date(2025, 2, 21))
                )
                role = "骨干教师" if rng.random() < 0.3 else "教师"
                ledger.add(
                    ledger.day(*window, avoid_mid_feb=False),
                    "teacher_rotation",
                    rng.choice(targets),
                    g,
                    from_school=school,
                    person=ledger.person(),
                    role=role,
                    note=rng.choice(["点对点交流一学年", "交流轮岗", "送教走教"])
                    if role == "教师"
                    else "骨干教师柔性流动",
                )

        # Researchers (教研员) of the group: lessons, guidance and the rural quality activity.
        researchers = g.get("researchers") or []
        for k, researcher in enumerate(researchers):
            # split the rural schools between the researchers of a group (包片)
            patch = rural[k :: len(researchers)] if rural else []
            if not patch:
                continue
            for sem, (start, end) in semesters.items():
                if researcher == "刘晓燕" and sem == "2024-2025-2":
                    counts = [3, 2, 2, 3, 2]  # 12 lessons: failure 3
                else:
                    counts = [rng.randint(2, 4) for _ in range(rng.randint(5, 6))]
                    while sum(counts) < 16:
                        i = rng.randrange(len(counts))
                        counts[i] = min(4, counts[i] + 1)
                for c in counts:
                    ledger.add(
                        ledger.day(start, end),
                        "lesson_observation",
                        rng.choice(patch),
                        g,
                        person=researcher,
                        role="教研员",
                        count=c,
                        note=f"包片听评课，{rng.choice(subjects)}",
                    )
                for _ in range(rng.randint(2, 3)):
                    ledger.add(
                        ledger.day(start, end),
                        "research_guidance",
                        rng.choice(patch),
                        g,
                        person=researcher,
                        role="教研员",
                        note=rng.choice(
                            ["作业设计指导", "课程实施方案指导", "集体备课指导", "薄弱学科提升指导"]
                        ),
                    )
            for window in [
                (date(2024, 10, 14), date(2024, 12, 20)),
                (date(2025, 3, 10), date(2025, 6, 20)),
            ]:
                ledger.add(
                    ledger.day(*window),
                    "rural_research_activity",
                    rng.choice(patch),
                    g,
                    person=researcher,
                    role="教研员",
                    note="提升乡村教育质量主题教研",
                )

    # bureau-evaluation: the district bureau evaluates every group once per semester.
    for start, end in [
        (date(2025, 1, 6), date(2025, 1, 15)),
        (date(2025, 6, 16), date(2025, 7, 4)),
    ]:
        for g in ledger.groups:
            ledger.add(ledger.day(start, end), "bureau_evaluation", g["lead"], g, note="区教育局")


def bad_rows(ledger: Ledger) -> list[dict[str, str]]:
    nanguan = next(g for g in ledger.groups if g["id"] == "nanguan")
    row = dict.fromkeys(HEADER, "")
    return [
        {
            **row,
            "日期": "2024-11-12",
            "活动类型": "公开课",
            "学校": "南关学效",
            "派出学校": "甘州区南关学校",
            "姓名": "赵文博",
            "身份": "骨干教师",
            "备注": "学校名称笔误",
        },
        {
            **row,
            "日期": "2024-13-45",
            "活动类型": "师德警示教育",
            "学校": "甘州区北街小学",
            "集团": "甘州区北街小学教育集团",
        },
        {
            **row,
            "日期": "2025-03-12",
            "活动类型": "植树节",
            "学校": nanguan["lead"],
            "集团": nanguan["name"],
            "备注": "全校植树活动",
        },
    ]


def main() -> None:
    with GROUPS_YAML.open(encoding="utf-8") as fh:
        groups_cfg = yaml.safe_load(fh)
    with TARGETS_YAML.open(encoding="utf-8") as fh:
        targets_cfg = yaml.safe_load(fh)

    ledger = Ledger(groups_cfg, targets_cfg, random.Random(2025))
    build(ledger)
    rows = sorted(ledger.rows, key=lambda r: r["日期"])  # stable: same-day rows keep their order
    rows += bad_rows(ledger)

    with OUT_CSV.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=HEADER, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {OUT_CSV}")


if __name__ == "__main__":
    main()
