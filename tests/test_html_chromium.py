"""The HTML report in a real browser: headless Chromium (Debian's ``chromium``).

Nothing is installed here: without Chromium the tests are skipped (``.ci/run`` installs
it). The page is loaded from a file, its DOM after load is dumped, and a screenshot is
saved under pytest's tmp_path (look at it when changing the page).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests import reportkit
from tests.conftest import EXAMPLES

CHROMIUM = next(
    (shutil.which(n) for n in ("chromium", "chromium-browser") if shutil.which(n)), None
)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium not installed (apt-get install chromium)"
)


def chromium(page: Path, profile: Path, *args: str) -> str:
    command = [
        str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", f"--user-data-dir={profile}", *args, page.as_uri(),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def render(cli, tmp_path: Path, args: list[str], lang: str = "zh") -> tuple[Path, dict]:
    page = tmp_path / "report.html"
    code, _, err = cli("check", *args, "--lang", lang, "--format", "html", "--output", page)
    assert code in (0, 1), err
    code, data = cli.json("check", *args, "--lang", lang)
    return page, data


def test_example_report_renders(cli, tmp_path: Path) -> None:
    args = [EXAMPLES / "records.csv", "--groups", EXAMPLES / "groups.yaml", "--as-of", "2025-08-31"]
    page, data = render(cli, tmp_path, args)
    dom = chromium(page, tmp_path / "profile", "--dump-dom")
    s = data["summary"]
    assert "<title>甘州区集团化办学台账核查（核查日期 2025-08-31）</title>" in dom
    for figure, label in ((s["fail"], "未达标"), (s["pass"], "达标"), (s["rows"], "台账行")):
        assert f'<div class="n">{figure}</div><div class="l">{label}</div>' in dom
    for group in {r["group"] for r in data["results"] if r["group"]}:
        assert f"<h2>{group}</h2>" in dom
    assert dom.count("<svg") >= 6  # one chart per group at least
    shot = tmp_path / "report.png"
    chromium(page, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1280,2000")
    assert shot.stat().st_size > 10_000


def test_no_script_runs(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A ledger value and a target title holding markup render as text."""
    monkeypatch.chdir(tmp_path)
    args = reportkit.setup(tmp_path)
    targets = (tmp_path / "targets.yaml").read_text(encoding="utf-8")
    evil_title = "<img src=x onerror=\"document.title='pwned'\">每学期1次校长论坛"
    targets = targets.replace(
        "title: 每学期1次校长论坛", f"title: '{evil_title.replace(chr(39), chr(39) * 2)}'"
    )
    (tmp_path / "targets.yaml").write_text(targets, encoding="utf-8")
    page, data = render(cli, tmp_path, [*args, "--as-of", reportkit.AS_OF], lang="en")
    assert any(r["title"] == evil_title for r in data["results"])
    dom = chromium(page, tmp_path / "profile", "--dump-dom")
    assert "<title>测试区 group-schooling check (as of 2025-03-31)</title>" in dom
    assert "pwned</title>" not in dom
    assert "<script" not in dom.lower() and "<img" not in dom.lower()
    assert "&lt;script&gt;document.title='pwned'&lt;/script&gt;" in dom
    assert "&lt;img src=x onerror=\"document.title='pwned'\"&gt;每学期1次校长论坛" in dom
    assert data["summary"]["fail"] == 4
