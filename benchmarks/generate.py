"""Generate realistic synthetic ledgers for the shipped configuration, of any size.

What a district's ledgers look like, at any size, deterministic for a seed:

- **People.** Every school has a staff pool (names stable per school, roles stable per
  person: one 校长, a few 名师/学科带头人, more 骨干教师, the rest 教师). Pools hold a few
  dozen people at district sizes and grow with the number of rows, so that a person's
  workload stays plausible (about one row every fourth school day) however many rows
  are asked for. About ten teaching researchers (教研员), each assigned to one group,
  roam the rural schools of that group, a visit every other school day.
- **Activities**, weighted as ledgers record them: lesson observation (听评课) is the
  most common, forums and agreements rare. Teachers visit schools of their own group
  (a few percent go to another group); lessons observed per visit are 1-4; rotations go
  to another school of the same group, a few across groups.
- **Dates** on school days across the programme (weekdays in term time, not public
  holidays, a few on a Saturday), written 2024-10-12, 2024/10/12 or 2024年10月12日.
- **Names as people write them**: full names, aliases, half-width brackets, a stray
  space; the group column filled in sometimes.
- **About 1% bad rows** of the kinds the checker reports (unknown or misspelt school,
  unreadable or future date, bad count, empty required cell, unknown activity, a group
  that is not the school's, a rotation to the same school), about 0.3% exact duplicates
  of a row entered shortly before, and a few blank lines (Excel's trailing ,,,,).
- Ten columns, the tenth (记录人) one the checker does not know.

    python benchmarks/generate.py csv 1000000 benchmarks/data/1m.csv
    python benchmarks/generate.py folder 1000 benchmarks/data/folder --rows 100
    python benchmarks/generate.py xlsx 100000 benchmarks/data/100k.xlsx
"""

from __future__ import annotations

import argparse
import datetime as dt
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
HEADER = ["日期", "活动类型", "学校", "派出学校", "集团", "姓名", "身份", "数量", "备注", "记录人"]
#: The last day a generated row is dated (benchmarks run with --as-of 2026-11-29).
LAST_DAY = dt.date(2026, 11, 27)
FIRST_DAY = dt.date(2024, 9, 2)
SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余"
    "于杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = list(
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅琳燕晨鹏宇浩然婷雪志建国文斌丹萍"
)
#: Public holidays (法定节假日) in term time, 2024-2026, and the school vacations.
HOLIDAYS = [
    ("2024-09-15", "2024-09-17"),
    ("2024-10-01", "2024-10-07"),
    ("2025-01-01", "2025-01-01"),
    ("2025-04-04", "2025-04-06"),
    ("2025-05-01", "2025-05-05"),
    ("2025-05-31", "2025-06-02"),
    ("2025-10-01", "2025-10-08"),
    ("2026-01-01", "2026-01-03"),
    ("2026-04-04", "2026-04-06"),
    ("2026-05-01", "2026-05-05"),
    ("2026-06-19", "2026-06-21"),
    ("2026-09-25", "2026-09-27"),
    ("2026-10-01", "2026-10-07"),
]
VACATIONS = [
    ("2025-01-11", "2025-02-16"),
    ("2025-07-12", "2025-08-31"),
    ("2026-01-17", "2026-02-28"),
    ("2026-07-11", "2026-08-31"),
]
ROLE_SHARES = {"名师": 0.04, "学科带头人": 0.06, "骨干教师": 0.15}  # the rest: 教师
#: (activity id, share of the rows where a teacher visits another school)
VISIT_ACTIVITIES = {"lesson_observation": 0.6, "open_class": 0.25, "seminar": 0.15}
LOCAL_ACTIVITIES = {
    "lesson_observation": 0.5,
    "open_class": 0.18,
    "seminar": 0.14,
    "culture_event": 0.05,
    "labour_practice": 0.05,
    "sports_event": 0.04,
    "club_show": 0.04,
}
GROUP_ACTIVITIES = {
    "ethics_warning": 0.22,
    "ethics_four_party": 0.22,
    "ethics_lecture": 0.14,
    "ethics_honours_report": 0.12,
    "committee_meeting": 0.12,
    "principal_forum": 0.1,
    "research_plan": 0.05,
    "group_agreement": 0.03,
}
RESEARCHER_ACTIVITIES = {
    "lesson_observation": 0.7,
    "research_guidance": 0.25,
    "rural_research_activity": 0.05,
}
#: Share of teachers' rows that are rotations (the rest: visits and activities at home).
#: Group, district and researchers' rows are a number per period, not a share of the
#: ledger (see Plan.shares).
ROTATION_SHARE = 0.03
#: Share of teachers' rows that are a second activity of the person on the same day.
SAME_DAY_SHARE = 0.01
CROSS_GROUP_VISIT = 0.03
CROSS_GROUP_ROTATION = 0.05
NOTES = ["", "", "", "", "集团活动记录", "已上传照片", "线上", "补录"]
BAD_SCHOOLS = ["南关学效", "甘州区北街小学校", "不存在的学校", "甘州区第九小学"]
BAD_DATES = ["2024-13-45", "明天", "2025/02/30", "2025-9", "待定"]
BAD_COUNTS = ["两节", "-1", "1.5", "0"]
BAD_ACTIVITIES = ["家访", "集体备课会", "其他"]


@dataclass(frozen=True)
class School:
    name: str
    group: int
    rural: bool
    lead: bool
    written: tuple[str, ...]  # how ledgers write the name


@dataclass(frozen=True)
class Plan:
    """Everything fixed for a seed and a total size: schools, staff, researchers, days."""

    schools: list[School]
    groups: list[dict]
    activities: dict[str, tuple[str, ...]]  # id → written names (name first)
    staff_start: np.ndarray  # school → first index into the staff arrays
    staff_size: np.ndarray
    staff_name: np.ndarray
    staff_role: np.ndarray
    researchers: list[tuple[str, int, list[int]]]  # name, group, rural school indexes
    shares: dict[str, float]  # kind → share of rows, for the kinds of a fixed number
    days: np.ndarray  # school days (datetime64[D])
    holidays: np.ndarray  # a few rows fall on these
    saturdays: np.ndarray


def _written(name: str, aliases: list[str]) -> tuple[str, ...]:
    out = [name, name, name, *aliases]
    if "（" in name:
        out.append(name.replace("（", "(").replace("）", ")"))
    if len(name) > 4:
        out.append(name[:3] + " " + name[3:])  # a stray space, as typed by hand
    return tuple(out)


def _days(ranges: list[tuple[str, str]]) -> set[dt.date]:
    out = set()
    for a, b in ranges:
        day, end = dt.date.fromisoformat(a), dt.date.fromisoformat(b)
        while day <= end:
            out.add(day)
            day += dt.timedelta(days=1)
    return out


def _names(rng: np.random.Generator, n: int) -> list[str]:
    """``n`` distinct Chinese names (surname + one or two characters)."""
    pool = [s + a for s in SURNAMES for a in GIVEN]
    pool += [s + a + b for s in SURNAMES for a in GIVEN for b in GIVEN if a != b]
    picked = rng.choice(len(pool), size=n, replace=False)
    return [pool[i] for i in picked]


def plan(total_rows: int, seed: int = 1) -> Plan:
    rng = np.random.default_rng([seed, 0])
    groups = yaml.safe_load((ROOT / "data" / "groups.yaml").read_text(encoding="utf-8"))["groups"]
    targets = yaml.safe_load((ROOT / "data" / "targets.yaml").read_text(encoding="utf-8"))
    schools = []
    for gi, g in enumerate(groups):
        for m in g["members"]:
            m = {"name": m} if isinstance(m, str) else m
            written = _written(m["name"], m.get("aliases", []))
            schools.append(
                School(m["name"], gi, m.get("rural", False), m["name"] == g["lead"], written)
            )
    activities = {
        a["id"]: (a["name"], a["name"], *a.get("aliases", [])) for a in targets["activities"]
    }
    # staff: a few dozen per school, more when many rows are asked for
    school_days = 430
    per_school = max(24, int(np.ceil(total_rows / len(schools) / (school_days * 0.25))))
    sizes = rng.integers(per_school, per_school * 2, len(schools))
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    researchers_n = 10
    names = _names(rng, int(sizes.sum()) + researchers_n)
    roles = np.full(int(sizes.sum()), "教师", dtype=object)
    draw = rng.random(len(roles))
    edge = 0.0
    for role, share in ROLE_SHARES.items():
        roles[(draw >= edge) & (draw < edge + share)] = role
        edge += share
    roles[starts] = "校长"  # the first of each pool leads the school
    rural_groups = [
        gi for gi in range(len(groups)) if any(s.rural and s.group == gi for s in schools)
    ]
    researchers = []
    for j in range(researchers_n):
        gi = rural_groups[j % len(rural_groups)]
        rural = [i for i, s in enumerate(schools) if s.group == gi and s.rural]
        researchers.append((names[-researchers_n + j], gi, rural))
    # a researcher records about one visit every other school day, a group a few meetings and
    # events a month, the bureau one evaluation a semester: however large the ledger
    rows = max(total_rows, 1)
    shares = {
        "researcher": min(0.04, researchers_n * school_days * 0.5 / rows),
        "group": min(0.05, len(groups) * 120 / rows),
        "district": min(0.005, 10 / rows),
    }
    off = _days(HOLIDAYS) | _days(VACATIONS)
    all_days = [FIRST_DAY + dt.timedelta(days=i) for i in range((LAST_DAY - FIRST_DAY).days + 1)]
    days = [d for d in all_days if d.weekday() < 5 and d not in off]
    holidays = sorted(_days(HOLIDAYS) & set(all_days))
    saturdays = [d for d in all_days if d.weekday() == 5 and d not in off]
    return Plan(
        schools,
        groups,
        activities,
        starts,
        sizes,
        np.array(names[:-researchers_n], dtype=object),
        roles,
        researchers,
        shares,
        np.array(days, dtype="datetime64[D]"),
        np.array(holidays, dtype="datetime64[D]"),
        np.array(saturdays, dtype="datetime64[D]"),
    )


def _pick(rng: np.random.Generator, weights: dict[str, float], n: int) -> np.ndarray:
    keys = list(weights)
    p = np.array(list(weights.values()), dtype=float)
    return np.array(keys, dtype=object)[rng.choice(len(keys), size=n, p=p / p.sum())]


def _write_names(
    rng: np.random.Generator, options: list[tuple[str, ...]], which: np.ndarray
) -> np.ndarray:
    """A written form of each chosen name (its full name more often than an alias)."""
    out = np.empty(len(which), dtype=object)
    for i, forms in enumerate(options):
        at = np.flatnonzero(which == i)
        if len(at):
            out[at] = np.array(forms, dtype=object)[rng.integers(0, len(forms), len(at))]
    return out


def _other_school(
    rng: np.random.Generator, p: Plan, school: np.ndarray, same_group: np.ndarray
) -> np.ndarray:
    """Another school for each row: of the same group where ``same_group``, else of another."""
    group_of = np.array([s.group for s in p.schools])
    out = np.empty(len(school), dtype=np.int64)
    for gi in range(len(p.groups)):
        members = np.flatnonzero(group_of == gi)
        others = np.flatnonzero(group_of != gi)
        for same, pool in ((True, members), (False, others)):
            at = np.flatnonzero((group_of[school] == gi) & (same_group == same))
            if len(at):
                out[at] = pool[rng.integers(0, len(pool), len(at))]
    # a visit to one's own school is not a visit: move it to the next member
    clash = np.flatnonzero(out == school)
    for i in clash:
        members = np.flatnonzero(group_of == group_of[school[i]])
        out[i] = members[(np.searchsorted(members, school[i]) + 1) % len(members)]
    return out


def _slots(
    rng: np.random.Generator, people: int, days: int, n: int, part: int, parts: int
) -> tuple[np.ndarray, np.ndarray]:
    """``n`` distinct (person, day) pairs, disjoint between the parts of one ledger.

    A person records at most one row a day this way (a second activity the same day is
    added on purpose, see frame_columns), so exact repeats are only the intended ones.
    """
    per_part = people * days // parts
    k = rng.choice(per_part, size=min(n, per_part), replace=False)
    if n > per_part:  # more rows than person-days: some people do two things a day
        k = np.concatenate([k, rng.integers(0, per_part, n - per_part)])
    slot = k * parts + part
    return slot // days, slot % days


def frame_columns(rows: int, seed: int, p: Plan, part: int = 0, parts: int = 1) -> list[np.ndarray]:
    """The ten columns of ``rows`` ledger rows (part ``part`` of ``parts``), as text arrays."""
    rng = np.random.default_rng([seed, part + 1])
    n = rows
    group_of = np.array([s.group for s in p.schools])
    kind = np.full(n, "staff", dtype=object)
    draw, edge = rng.random(n), 0.0
    for name, share in p.shares.items():
        kind[(draw >= edge) & (draw < edge + share)] = name
        edge += share

    staff = np.flatnonzero(kind == "staff")
    member = np.zeros(n, dtype=np.int64)
    day_index = rng.integers(0, len(p.days), n)
    member[staff], day_index[staff] = _slots(
        rng, len(p.staff_name), len(p.days), len(staff), part, parts
    )
    home = np.searchsorted(p.staff_start, member, side="right") - 1  # the person's school
    others = np.flatnonzero(kind != "staff")  # group, district, researcher rows
    home[others] = rng.integers(0, len(p.schools), len(others))
    person = p.staff_name[member].copy()
    role = p.staff_role[member].copy()
    # the better-known teachers visit other schools more often than they stay
    strong = np.isin(role, ["名师", "学科带头人", "骨干教师"])
    r = rng.random(n)
    staff_kind = np.where(r < np.where(strong, 0.7, 0.35), "visit", "local")
    staff_kind = np.where(r > 1 - ROTATION_SHARE, "rotation", staff_kind)
    kind[staff] = staff_kind[staff]
    school = home.copy()
    from_school = np.full(n, -1, dtype=np.int64)
    activity = np.empty(n, dtype=object)

    visit = kind == "visit"
    activity[visit] = _pick(rng, VISIT_ACTIVITIES, int(visit.sum()))
    same = rng.random(n) >= CROSS_GROUP_VISIT
    school[visit] = _other_school(rng, p, home[visit], same[visit])
    from_school[visit] = home[visit]

    local = kind == "local"
    activity[local] = _pick(rng, LOCAL_ACTIVITIES, int(local.sum()))

    rotation = kind == "rotation"
    activity[rotation] = "teacher_rotation"
    same = rng.random(n) >= CROSS_GROUP_ROTATION
    school[rotation] = _other_school(rng, p, home[rotation], same[rotation])
    from_school[rotation] = home[rotation]

    group_rows = kind == "group"
    activity[group_rows] = _pick(rng, GROUP_ACTIVITIES, int(group_rows.sum()))
    leads = np.array(
        [
            next(i for i, s in enumerate(p.schools) if s.group == g and s.lead)
            for g in range(len(p.groups))
        ]
    )
    at_lead = group_rows & (rng.random(n) < 0.7)
    school[at_lead] = leads[group_of[home[at_lead]]]
    principal = p.staff_start[school[group_rows]]
    person[group_rows] = p.staff_name[principal]
    role[group_rows] = "校长"

    district = kind == "district"
    activity[district] = "bureau_evaluation"
    person[district] = ""
    role[district] = ""

    researcher = kind == "researcher"
    r = np.full(n, -1, dtype=np.int64)
    at = np.flatnonzero(researcher)
    r[at], day_index[at] = _slots(rng, len(p.researchers), len(p.days), len(at), part, parts)
    activity[researcher] = _pick(rng, RESEARCHER_ACTIVITIES, int(researcher.sum()))
    for j, (name, _g, rural) in enumerate(p.researchers):
        at = np.flatnonzero(researcher & (r == j))
        school[at] = np.array(rural)[rng.integers(0, len(rural), len(at))]
        person[at] = name
        role[at] = "教研员"

    # a second activity of the same person on the same day (another school of the group,
    # or, now and then, of another group: the integrity check flags those)
    again = np.flatnonzero((kind[1:] == "visit") & (rng.random(n - 1) < SAME_DAY_SHARE)) + 1
    again = again[kind[again - 1] != "researcher"]
    person[again], role[again] = person[again - 1], role[again - 1]
    day_index[again] = day_index[again - 1]
    from_school[again] = home[again - 1]
    school[again] = _other_school(rng, p, home[again - 1], rng.random(len(again)) >= 0.1)
    activity[again] = np.where(activity[again - 1] == "seminar", "open_class", "seminar")

    # dates: school days, a few Saturdays and public holidays; agreements come early
    day = p.days[day_index]
    odd = rng.random(n)
    day = np.where(odd < 0.02, p.saturdays[rng.integers(0, len(p.saturdays), n)], day)
    day = np.where(odd > 0.9995, p.holidays[rng.integers(0, len(p.holidays), n)], day)
    early = activity == "group_agreement"
    day[early] = p.days[rng.integers(0, 40, int(early.sum()))]
    iso = day.astype(str).astype(object)
    form = rng.random(n)
    dates = iso.copy()
    slash = form < 0.1
    dates[slash] = np.char.replace(iso[slash].astype(str), "-", "/").astype(object)
    chinese = (form >= 0.1) & (form < 0.14)
    ymd = iso[chinese].astype(str)
    dates[chinese] = np.array(
        [f"{s[:4]}年{int(s[5:7])}月{int(s[8:10])}日" for s in ymd], dtype=object
    )

    lessons = activity == "lesson_observation"
    count = np.full(n, "", dtype=object)
    count[lessons] = rng.integers(1, 5, int(lessons.sum())).astype(str).astype(object)
    one = ~lessons & (rng.random(n) < 0.2)
    count[one] = "1"

    written_school = _write_names(rng, [s.written for s in p.schools], school)
    written_from = np.where(
        from_school >= 0,
        _write_names(rng, [s.written for s in p.schools], np.maximum(from_school, 0)),
        "",
    )
    act_ids = list(p.activities)
    act_index = np.array([act_ids.index(a) for a in activity])
    written_activity = _write_names(rng, [p.activities[a] for a in act_ids], act_index)
    group_names = [(g["name"], g["name"], *g.get("aliases", [])) for g in p.groups]
    with_group = rng.random(n) < 0.3
    group = np.where(with_group, _write_names(rng, group_names, group_of[school]), "")
    note = np.array(NOTES, dtype=object)[rng.integers(0, len(NOTES), n)]
    recorder = p.staff_name[p.staff_start[home]]

    # about 1% bad rows, one fault each
    bad = rng.random(n)
    kinds = [
        (0.002, "school", BAD_SCHOOLS),
        (0.002, "date", BAD_DATES),
        (0.0015, "count", BAD_COUNTS),
        (0.001, "missing", None),
        (0.001, "activity", BAD_ACTIVITIES),
        (0.001, "group", None),
        (0.0005, "future", None),
        (0.0005, "rotation", None),
    ]
    edge = 0.0
    for share, what, values in kinds:
        at = np.flatnonzero((bad >= edge) & (bad < edge + share))
        edge += share
        if not len(at):
            continue
        pick = rng.integers(0, 1000, len(at))
        if what == "school":
            written_school[at] = np.array(values, dtype=object)[pick % len(values)]
        elif what == "date":
            dates[at] = np.array(values, dtype=object)[pick % len(values)]
        elif what == "count":
            count[at] = np.array(values, dtype=object)[pick % len(values)]
        elif what == "missing":
            for k, column in enumerate((written_school, written_activity, dates)):
                column[at[k::3]] = ""
        elif what == "activity":
            written_activity[at] = np.array(values, dtype=object)[pick % len(values)]
        elif what == "group":
            wrong = (group_of[school[at]] + 1 + pick % (len(p.groups) - 1)) % len(p.groups)
            group[at] = np.array([p.groups[g]["name"] for g in wrong], dtype=object)
        elif what == "future":
            dates[at] = "2027-03-0" + (1 + pick % 9).astype(str).astype(object)
        elif what == "rotation":
            written_activity[at] = "教师轮岗交流"
            written_from[at] = written_school[at]
    cols = [
        dates,
        written_activity,
        written_school,
        written_from,
        group,
        person,
        role,
        count,
        note,
        recorder,
    ]
    # about 0.3% exact repeats of a row entered shortly before
    dup = np.flatnonzero((bad >= edge) & (bad < edge + 0.003))
    source = dup - rng.integers(1, 50, len(dup))
    keep = source >= 0
    dup, source = dup[keep], source[keep]
    for c in cols:
        c[dup] = c[source]
    # and a few blank lines (Excel's trailing ,,,,,)
    blank = np.flatnonzero((bad >= edge + 0.003) & (bad < edge + 0.0032))
    for c in cols:
        c[blank] = ""
    return cols


def _frame(cols: list[np.ndarray]):
    import pandas as pd

    return pd.DataFrame(dict(zip(HEADER, cols, strict=True)))


def write_csv(path: Path, rows: int, seed: int = 1, chunk: int = 500_000) -> None:
    """Write a UTF-8 CSV ledger, in chunks so that 10M rows fit in memory."""
    path.parent.mkdir(parents=True, exist_ok=True)
    p = plan(rows, seed)
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(",".join(HEADER) + "\n")
        starts = range(0, rows, chunk)
        for i, begin in enumerate(starts):
            n = min(chunk, rows - begin)
            cols = frame_columns(n, seed, p, i, len(starts))
            _frame(cols).to_csv(fh, header=False, index=False)


def write_folder(path: Path, files: int, rows: int, seed: int = 1) -> None:
    """A folder of ``files`` ledgers of ``rows`` rows: each school's submissions, in date order."""
    total = files * rows
    p = plan(total, seed)
    frame = _frame(frame_columns(total, seed, p))
    # file by school of the recorder, then by date: what each school hands in
    order = np.lexsort((frame["日期"].to_numpy(dtype=str), frame["记录人"].to_numpy(dtype=str)))
    frame = frame.iloc[order].reset_index(drop=True)
    for i in range(files):
        part = frame.iloc[i * rows : (i + 1) * rows]
        name = unicodedata.normalize("NFKC", str(part["记录人"].iloc[0]))
        target = path / f"{i // 10:03d}" / f"{i:04d}-{name}.csv"
        target.parent.mkdir(parents=True, exist_ok=True)
        part.to_csv(target, index=False)


def write_xlsx(path: Path, rows: int, seed: int = 1) -> None:
    """An Excel ledger with a title row above the header."""
    from openpyxl import Workbook

    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("台账")
    ws.append(["2024-2026 集团化办学活动台账"])
    ws.append(HEADER)
    cols = frame_columns(rows, seed, plan(rows, seed))
    for row in zip(*cols, strict=True):
        ws.append(list(row))
    wb.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("kind", choices=["csv", "folder", "xlsx"])
    parser.add_argument("n", type=int, help="rows (csv, xlsx) or files (folder)")
    parser.add_argument("out", type=Path)
    parser.add_argument("--rows", type=int, default=100, help="rows per file (folder)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.kind == "csv":
        write_csv(args.out, args.n, args.seed)
    elif args.kind == "folder":
        write_folder(args.out, args.n, args.rows, args.seed)
    else:
        write_xlsx(args.out, args.n, args.seed)


if __name__ == "__main__":
    main()
