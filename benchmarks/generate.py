"""Generate realistic synthetic ledgers for the shipped configuration, of any size.

Dates across the programme, Chinese names written as people write them (full names,
aliases, stray spaces, full-width brackets), a small share of bad rows (unknown
schools, bad dates, bad counts, duplicates), ten columns. Deterministic for a seed.

    python benchmarks/generate.py csv 1000000 benchmarks/data/1m.csv
    python benchmarks/generate.py folder 1000 benchmarks/data/folder --rows 100
    python benchmarks/generate.py xlsx 100000 benchmarks/data/100k.xlsx
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
HEADER = ["日期", "活动类型", "学校", "派出学校", "集团", "姓名", "身份", "数量", "备注", "记录人"]
ROLES = ["名师", "学科带头人", "骨干教师", "教研员", "教师", "校长"]
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华")
BAD_SCHOOLS = ["南关学效", "甘州区北街小学校", "不存在的学校"]
BAD_DATES = ["2024-13-45", "明天", "2025/02/30"]
BAD_COUNTS = ["两节", "-1", "1.5"]


def vocabulary() -> dict[str, list[str]]:
    """Names from the shipped configuration, with the aliases people write."""
    groups = yaml.safe_load((ROOT / "data" / "groups.yaml").read_text(encoding="utf-8"))
    targets = yaml.safe_load((ROOT / "data" / "targets.yaml").read_text(encoding="utf-8"))
    schools, group_names = [], []  # group_names[i] is the group of schools[i]
    for g in groups["groups"]:
        for m in g["members"]:
            m = {"name": m} if isinstance(m, str) else m
            names = [
                m["name"],
                *m.get("aliases", []),
                m["name"].replace("（", "(").replace("）", ")"),
            ]
            schools.extend(names)
            group_names.extend([g["name"]] * len(names))
    activities = []
    for a in targets["activities"]:
        activities.append(a["name"])
        activities.extend(a.get("aliases", []))
    return {"schools": schools, "groups": group_names, "activities": activities}


def frame_columns(rows: int, seed: int) -> list[np.ndarray]:
    """The ten columns of ``rows`` ledger rows, as arrays of text."""
    rng = np.random.default_rng(seed)
    vocab = vocabulary()
    start = dt.date(2024, 9, 1)
    days = (dt.date(2026, 11, 29) - start).days + 1
    all_dates = np.array(
        [(start + dt.timedelta(days=int(i))).isoformat() for i in range(days)], dtype=object
    )
    dates = all_dates[rng.integers(0, days, rows)]
    schools = np.array(vocab["schools"], dtype=object)
    which = rng.integers(0, len(schools), rows)
    school = schools[which]
    from_school = np.where(rng.random(rows) < 0.3, schools[rng.integers(0, len(schools), rows)], "")
    activity = np.array(vocab["activities"], dtype=object)[
        rng.integers(0, len(vocab["activities"]), rows)
    ]
    group = np.where(rng.random(rows) < 0.1, np.array(vocab["groups"], dtype=object)[which], "")
    people = np.array(
        [s + a + b for s in SURNAMES for a in GIVEN for b in ("", *GIVEN[:5])], dtype=object
    )
    person = people[rng.integers(0, len(people), rows)]
    role = np.array(ROLES, dtype=object)[rng.integers(0, len(ROLES), rows)]
    count = np.where(
        rng.random(rows) < 0.5, "", rng.integers(1, 6, rows).astype(str).astype(object)
    )
    note = np.where(rng.random(rows) < 0.2, "集团活动记录", "")
    recorder = people[rng.integers(0, 50, rows)]
    # about 1% of rows are bad in one way or another
    bad = rng.random(rows)
    school = np.where(
        bad < 0.003, np.array(BAD_SCHOOLS, dtype=object)[rng.integers(0, 3, rows)], school
    )
    dates = np.where(
        (bad >= 0.003) & (bad < 0.006),
        np.array(BAD_DATES, dtype=object)[rng.integers(0, 3, rows)],
        dates,
    )
    count = np.where(
        (bad >= 0.006) & (bad < 0.008),
        np.array(BAD_COUNTS, dtype=object)[rng.integers(0, 3, rows)],
        count,
    )
    cols = [dates, activity, school, from_school, group, person, role, count, note, recorder]
    dup = np.flatnonzero((bad >= 0.008) & (bad < 0.01))
    dup = dup[dup > 0]
    for c in cols:  # an exact repeat of the row above
        c[dup] = c[dup - 1]
    return cols


def write_csv(path: Path, rows: int, seed: int = 1, chunk: int = 500_000) -> None:
    """Write a UTF-8 CSV ledger, in chunks so that 10M rows fit in memory."""
    import pandas as pd

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(",".join(HEADER) + "\n")
        for i, begin in enumerate(range(0, rows, chunk)):
            n = min(chunk, rows - begin)
            cols = frame_columns(n, seed + i)
            pd.DataFrame(dict(zip(HEADER, cols, strict=True))).to_csv(fh, header=False, index=False)


def write_folder(path: Path, files: int, rows: int, seed: int = 1) -> None:
    """A folder of many small ledgers, one per school and month, as schools submit them."""
    for i in range(files):
        write_csv(path / f"school{i // 12:03d}" / f"month{i % 12:02d}.csv", rows, seed + i)


def write_xlsx(path: Path, rows: int, seed: int = 1) -> None:
    """An Excel ledger with a title row above the header."""
    from openpyxl import Workbook

    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("台账")
    ws.append(["2024-2026 集团化办学活动台账"])
    ws.append(HEADER)
    cols = frame_columns(rows, seed)
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
