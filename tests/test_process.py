"""The console script's process settings (jituan.process): sized from the files named, and
a run under them gives the same report as ``main()`` in this process, which makes none."""

from __future__ import annotations

import json
import subprocess
import sys

from jituan import process
from tests.conftest import HEADER


def test_memory_made_ready_is_sized_from_the_files_named(tmp_path, monkeypatch):
    monkeypatch.setattr(process, "_WARM_AT_LEAST", 1000)
    big = tmp_path / "big.csv"
    big.write_bytes(b"x" * 10_000)
    small = tmp_path / "small.csv"
    small.write_bytes(b"x" * 600)
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "inside.csv").write_bytes(b"x" * 20_000)
    args = ["--as-of", "2025-08-31", str(big), str(small), str(folder), str(tmp_path / "none")]
    assert process._warm_size(args) == int(10_600 * 1.5)  # files only, not folders
    assert process._warm_size([str(small)]) == 0  # 900 bytes: too little to be worth a thread
    monkeypatch.setattr(process, "WARM_AT_MOST", 12_000)
    assert process._warm_size(args) == 12_000


def test_the_console_script_under_its_settings_reports_as_main_does(cli, mini_config, tmp_path):
    groups, targets = mini_config
    path = tmp_path / "ledger.csv"
    rows = (f"2024-10-10,听评课,东村中心学校,东街小学,,教师{i},名师,1,\n" for i in range(150_000))
    path.write_text(",".join(HEADER) + "\n" + "".join(rows), encoding="utf-8")
    assert process._warm_size([str(path)]) > 0  # large enough for every setting
    args = ["--groups", groups, "--targets", targets, "--as-of", "2025-08-31", "--format", "json"]
    done = subprocess.run(
        [sys.executable, "-m", "jituan", "check", path, *args], capture_output=True, text=True
    )
    code, here = cli.json("check", path, *args[:-2])
    assert (done.returncode, done.stderr) == (code, "")
    there = json.loads(done.stdout)
    assert there == here
    assert (there["summary"]["rows"], there["summary"]["accepted"]) == (150_000, 150_000)
