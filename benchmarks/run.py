"""Time `jituan check` against reading the same input, side by side in one run.

Each measurement is a whole process; the two processes of a pair run alternately, and
the figures quoted are medians and ratios from the same run, because these machines are
shared and noisy. Peak memory is each child's maximum resident set (``os.wait4``).

    python benchmarks/run.py                  # 100k, 1M, folder, xlsx, startup
    python benchmarks/run.py --sizes 100k 1m 10m --repeat 5
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
sys.path.insert(0, str(HERE))
import generate  # noqa: E402

PY = sys.executable
AS_OF = "2026-11-29"
SIZES = {"100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}


def jituan(*args: str) -> list[str]:
    return [PY, "-m", "jituan", *args]


def measure(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode not in (0, 1):
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err}")
    return elapsed, usage.ru_maxrss / 1024


def pair(name: str, base: list[str], ours: list[str], repeat: int) -> dict[str, float]:
    """Run the two commands alternately ``repeat`` times; medians and ratios."""
    b_t, b_m, o_t, o_m = [], [], [], []
    for _ in range(repeat):
        t, m = measure(base)
        b_t.append(t)
        b_m.append(m)
        t, m = measure(ours)
        o_t.append(t)
        o_m.append(m)
    row = {
        "base_s": statistics.median(b_t),
        "ours_s": statistics.median(o_t),
        "base_mib": statistics.median(b_m),
        "ours_mib": statistics.median(o_m),
    }
    row["time_ratio"] = row["ours_s"] / row["base_s"]
    row["mem_ratio"] = row["ours_mib"] / row["base_mib"]
    print(
        f"{name:<34} {row['base_s']:8.2f}s {row['ours_s']:8.2f}s {row['time_ratio']:7.2f}x"
        f" {row['base_mib']:8.0f} {row['ours_mib']:8.0f} {row['mem_ratio']:6.2f}x",
        flush=True,
    )
    return row


def ensure(path: Path, make) -> Path:
    if not path.exists():
        print(f"generating {path.relative_to(HERE)} …", flush=True)
        make()
    return path


def compile_bytecode() -> None:
    """Compile jituan's modules to bytecode, as ``pip install .`` does when it installs them.

    An editable install (``pip install -e``) leaves that to the first import, and where
    PYTHONDONTWRITEBYTECODE is set (as on these machines) every run would compile all of
    jituan's modules from source again: 0.05 s that an installed jituan never spends.
    """
    import compileall
    import importlib.util

    spec = importlib.util.find_spec("jituan")
    for folder in spec.submodule_search_locations if spec else []:
        compileall.compile_dir(folder, quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", nargs="*", default=["100k", "1m"], choices=list(SIZES))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip", nargs="*", default=[], choices=["folder", "xlsx", "startup"])
    args = parser.parse_args()
    compile_bytecode()
    check = ["check", "--as-of", AS_OF, "--format", "json", "--output", os.devnull]
    print(
        f"{'case':<34} {'baseline':>9} {'jituan':>9} {'ratio':>8} {'base MiB':>8} {'MiB':>8} {'mem':>7}"
    )
    results: dict[str, dict[str, float]] = {}
    for size in args.sizes:
        path = ensure(
            DATA / f"{size}.csv", lambda s=size: generate.write_csv(DATA / f"{s}.csv", SIZES[s])
        )
        results[size] = pair(
            f"check {size} rows vs pandas.read_csv",
            [PY, "-c", f"import pandas; pandas.read_csv({str(path)!r})"],
            jituan(*check, str(path)),
            args.repeat,
        )
    if "1m" in results and "10m" in results:
        print(
            f"{'10M ÷ 1M check time':<34} {results['10m']['ours_s'] / results['1m']['ours_s']:8.2f}x"
        )
    if "folder" not in args.skip:
        folder = ensure(DATA / "folder", lambda: generate.write_folder(DATA / "folder", 1000, 100))
        loop = (
            "import pandas, pathlib\n"
            f"for p in sorted(pathlib.Path({str(folder)!r}).rglob('*.csv')): pandas.read_csv(p)"
        )
        pair(
            "check folder 1000×100 vs pandas loop",
            [PY, "-c", loop],
            jituan(*check, str(folder)),
            args.repeat,
        )
    if "xlsx" not in args.skip:
        xlsx = ensure(DATA / "100k.xlsx", lambda: generate.write_xlsx(DATA / "100k.xlsx", 100_000))
        read = (
            "import python_calamine as c\n"
            f"wb = c.CalamineWorkbook.from_path({str(xlsx)!r})\n"
            "[wb.get_sheet_by_name(n).to_python() for n in wb.sheet_names]"
        )
        pair(
            "check 100k .xlsx vs calamine", [PY, "-c", read], jituan(*check, str(xlsx)), args.repeat
        )
    if "startup" not in args.skip:
        pair(
            "jituan --version vs import typer",
            [PY, "-c", "import typer"],
            jituan("--version"),
            max(args.repeat, 5),
        )


if __name__ == "__main__":
    main()
