"""The final acceptance report (``jituan audit --final``) on the example data and a small
hand-worked ledger; the page in headless Chromium (skipped without it)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests import reportkit
from tests.conftest import EXAMPLES

CHROMIUM = next(
    (shutil.which(n) for n in ("chromium", "chromium-browser") if shutil.which(n)), None
)
EXAMPLE = [EXAMPLES / "records.csv", "--groups", EXAMPLES / "groups.yaml", "--as-of", "2025-08-31"]


def test_final_report_of_the_example_data(cli, tmp_path: Path) -> None:
    out = tmp_path / "final"
    code, stdout, err = cli("audit", *EXAMPLE, "--out", out, "--final", "--lang", "en")
    assert code == 1, err  # the example ledger has honest failures
    assert sorted(p.name for p in out.iterdir()) == ["final.html", "final.json", "final.md"]
    data = json.loads((out / "final.json").read_text(encoding="utf-8"))
    assert data["kind"] == "final" and data["semesters"] == ["2024-2025-1", "2024-2025-2"]
    assert data["programme"] == {"start": "2024-09-01", "end": "2026-12-31"}
    assert len(data["trends"]) == 6
    rural = {r["school"]: r for r in data["rural_first_last"]}
    assert len(rural) == sum(1 for g in data["trends"].values() for t in g if t["rural"])
    assert data["bundling"] == {"weight": None, "configured": False}
    assert data["bundled_scores"] == []
    rotation = data["rotation"]
    assert rotation and all(r["target"] == "teacher-rotation" for r in rotation)
    sent = rotation[0]["periods"][0]
    assert sent["sent"] == round(sent["share"] * rotation[0]["teachers"])
    html = (out / "final.html").read_text(encoding="utf-8")
    assert html.count('<svg class="trend"') == 6 and "<script" not in html
    assert "no bundling weight configured" in html
    md = (out / "final.md").read_text(encoding="utf-8")
    assert "## Rural schools: first and last semester" in md


def test_final_report_hand_worked(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """reportkit's ledger as of 2025-08-31 with a bundling weight: 东村 (rural) passes its
    visits in semester 1 (3/3) and fails semester 2; 西村 fails both."""
    monkeypatch.chdir(tmp_path)
    args = reportkit.setup(tmp_path)
    with open("targets.yaml", "a", encoding="utf-8") as fh:
        fh.write("bundling:\n  weight: 0.25\n")
    code, _, err = cli("audit", *args, "--as-of", "2025-08-31", "--out", "f", "--final")
    data = json.loads(Path("f/final.json").read_text(encoding="utf-8"))
    rural = {r["school"]: r for r in data["rural_first_last"]}
    east = rural["东村中心学校"]
    assert (east["first"]["period"], east["first"]["rate"]) == ("2024-2025-1", 1)
    assert (east["last"]["period"], east["last"]["rate"]) == ("2024-2025-2", 0)
    assert east["change"] == -1
    assert rural["西村中心学校"]["change"] == 0
    assert len(rural) == 2 and data["rural_mean_change"] == -0.5  # (-1 + 0) / 2
    markdown = Path("f/final.md").read_text(encoding="utf-8")
    assert "**rural schools' mean change: -50.0 pp**" in markdown
    assert {n["target"] for n in data["never_met"]} >= {"rotation"}
    assert data["bundling"]["configured"] is True
    assert any(s["period"] == "program" for s in data["bundled_scores"])


def test_final_report_of_one_group(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--group west: the trends, rural schools, rotation and bundled scores are west's
    only, as the results are (east's trends were shown, all "—")."""
    monkeypatch.chdir(tmp_path)
    args = reportkit.setup(tmp_path)
    with open("targets.yaml", "a", encoding="utf-8") as fh:
        fh.write("bundling:\n  weight: 0.25\n")
    cli("audit", *args, "--as-of", "2025-08-31", "--out", "f", "--final", "--group", "west")
    data = json.loads(Path("f/final.json").read_text(encoding="utf-8"))
    assert list(data["trends"]) == ["西区教育集团"]
    assert [r["school"] for r in data["rural_first_last"]] == ["西村中心学校"]
    assert {r["group"] for r in data["rotation"]} <= {"西区教育集团"}
    assert data["bundled_scores"]
    assert {s["group"] or s["subject"] for s in data["bundled_scores"]} == {"西区教育集团"}


def test_final_report_lists_the_quality_ledgers_problems(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A quality row for an unknown school, a second score for one school and semester,
    and a period outside the programme: score reports them, and so does --final, on the
    terminal, in final.json, final.md and final.html (they vanished from all four)."""
    monkeypatch.chdir(tmp_path)
    args = reportkit.setup(tmp_path)
    Path("q.csv").write_text(
        "学校,期间,得分\n东村中心学校,2024-2025-1,80\n北村学校,2024-2025-1,70\n"
        "东村中心学校,2024-2025-1,81\n西村中心学校,2023-2024-1,90\n",
        encoding="utf-8",
    )
    final = ("audit", *args, "--as-of", "2025-08-31", "--out", "f", "--final", "--quality")
    code, out, err = cli(*final, "q.csv", "--lang", "en")
    codes = [(3, "unknown-school"), (4, "conflicting-score"), (5, "bad-period")]
    data = json.loads(Path("f/final.json").read_text(encoding="utf-8"))
    assert [(i["row"], i["code"]) for i in data["issues"]] == codes
    assert out.splitlines()[0].startswith("q.csv:3: unknown school: 北村学校")
    md = Path("f/final.md").read_text(encoding="utf-8")
    assert "## Issues (activity ledgers, quality ledger, exemptions)" in md and "q.csv:5" in md
    html = Path("f/final.html").read_text(encoding="utf-8")
    assert 'id="issues"' in html and "conflicting-score" in html
    cli(*final, "q.csv", "--lang", "zh")
    md = Path("f/final.md").read_text(encoding="utf-8")
    assert "## 问题（活动台账、质量评价台账、豁免）" in md and " pp" not in md and "个百分点" in md
    # exit codes and the verdict as check: the quality file's three rejected rows are
    # row errors, as a ledger's (1 without it)
    assert "1 row error(s)" in cli(*final[:-1], "--lang", "en")[1].splitlines()[-1]
    assert "4 row error(s)" in out.splitlines()[-1] and code == 1
    cli(*final, "q.csv", "--lang", "en")  # and the pages say the same verdict
    assert "4 row error(s)" in Path("f/final.md").read_text(encoding="utf-8")


@pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium not installed (apt-get install chromium)"
)
def test_final_report_in_chromium(cli, tmp_path: Path) -> None:
    from tests.test_html_chromium import chromium

    out = tmp_path / "final"
    cli("audit", *EXAMPLE, "--out", out, "--final", "--lang", "zh")
    data = json.loads((out / "final.json").read_text(encoding="utf-8"))
    page = out / "final.html"
    dom = chromium(page, tmp_path / "profile", "--dump-dom")
    s = data["summary"]
    assert (
        "<title>甘州区集团化办学总结验收报告（2024-09-01 – 2026-12-31，核查日期 2025-08-31）</title>"
        in dom
    )
    assert f'<div class="n">{s["pass"]}</div><div class="l">达标</div>' in dom
    assert f'<div class="n">{s["fail"]}</div><div class="l">未达标</div>' in dom
    for group in data["trends"]:
        assert f">{group}</h3>" in dom
    assert dom.count('<svg class="trend"') == 6
    assert "2024-2025学年第一学期" in dom and "农村学校：首末学期对比" in dom
    shot = tmp_path / "final.png"
    chromium(page, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1280,2400")
    assert shot.stat().st_size > 10_000


def test_sections_with_nothing_to_show_say_none(cli, tmp_path: Path, monkeypatch) -> None:
    """No share target and no rural school in the selection: the rotation and rural
    sections say none rather than showing a table header over no rows."""
    monkeypatch.chdir(tmp_path)
    args = reportkit.setup(tmp_path)
    text = Path("targets.yaml").read_text(encoding="utf-8")
    Path("targets.yaml").write_text(
        text.replace("metric: share_of_teachers", "metric: distinct_persons").replace(
            "min: 0.05", "min: 1"
        ),
        encoding="utf-8",
    )
    cli("audit", *args, "--as-of", "2025-08-31", "--out", "f", "--final", "--lang", "en")
    md = Path("f/final.md").read_text(encoding="utf-8")
    section = md.split("## Teacher rotation against headcounts")[1].split("##")[0]
    assert section.strip() == "none"


def test_final_rotation_share_under_the_minimum_keeps_its_decimals(cli, tmp_path, mini_config):
    """东村中心学校 (20 teachers, raised to 1001 here) sends 50: 4.995%, a fail, which the
    rotation table must not round to the 5% it misses."""
    from tests.conftest import write_ledger

    g, t = mini_config
    g.write_text(g.read_text(encoding="utf-8").replace("teachers: 20", "teachers: 1001"), "utf-8")
    rows = [
        dict(date="2024-10-10", activity="教师轮岗交流", school="东新小学",
             from_school="东村中心学校", person=f"教师{i}")
        for i in range(50)
    ]  # fmt: skip
    ledger = write_ledger(tmp_path / "r.csv", rows)
    args = ("--groups", g, "--targets", t, "--as-of", "2025-08-31", "--lang", "en")
    cli("audit", ledger, *args, "--out", tmp_path / "f", "--final")
    md = (tmp_path / "f" / "final.md").read_text(encoding="utf-8")
    assert "50 (4.995%, fail)" in md, md


def test_one_semester_rated_is_no_change(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As of 2025-01-31 a rural school has one semester rated: its first and last are the
    same, so it has no change (null), not a change of 0 pulling the mean; the Markdown has
    no chart, and says nothing of a thick line."""
    monkeypatch.chdir(tmp_path)
    args = reportkit.setup(tmp_path)
    code, _, err = cli("audit", *args, "--as-of", "2025-01-31", "--out", "f", "--final")
    data = json.loads(Path("f/final.json").read_text(encoding="utf-8"))
    assert {r["first"]["period"] for r in data["rural_first_last"]} == {"2024-2025-1"}
    assert all(r["change"] is None for r in data["rural_first_last"])
    assert data["rural_mean_change"] is None
    assert "thick line" not in Path("f/final.md").read_text(encoding="utf-8")
