"""The batch pages rendered by a real browser: the HTML index of a folder of reports and the
statistics page, as ``test_html_chromium.py`` does for one report.

Headless Chromium (networking off) loads each page: the screenshot is not blank, the PDF is A4,
and the DOM shows an institution name made of markup as text, with nothing injected. CI
installs chromium and must run these; they skip only on a developer machine without it.
"""

from __future__ import annotations

import re
import shutil

import pytest
from cli_helpers import examples, run, write
from test_html_chromium import BROWSER, EVIL, chromium, png_rows

pytestmark = pytest.mark.skipif(
    BROWSER is None and not __import__("os").environ.get("CI"),
    reason="chromium is not installed (apt-get install chromium); CI always runs this test",
)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    batch = root / "batch"
    batch.mkdir()
    for ex in examples():
        shutil.copy(ex, batch / ex.name)
    write(
        batch / "evil.toml",
        examples()[0].read_text("utf-8").split("[institution]")[0]
        + f'[institution]\nname = "{EVIL}"\nownership = "public"\nnew_build = true\n',
    )
    write(batch / "zz_broken.toml", 'schema_version = 1\nequipment = "pet_ct"\n[institution\n')
    out = root / "out"
    p = run("check", str(batch), "--format", "html", "-o", f"{out}/", "--lang", "zh")
    assert p.returncode == 2 and (out / "index.html").exists(), p.stderr
    p = run("stats", str(batch), "--format", "html", "-o", str(out / "stats.html"), "--lang", "zh")
    assert p.returncode == 2 and (out / "stats.html").exists(), p.stderr
    return out


@pytest.mark.parametrize("page", ["index.html", "stats.html"])
def test_screenshot_has_content(site, page):
    shot = site / f"{page}.png"
    p = chromium(f"--screenshot={shot.name}", "--window-size=1240,1754", (site / page).as_uri(), cwd=site)
    assert shot.exists(), p.stderr[-2000:]
    width, height, rows = png_rows(shot, 400)
    channels = len(rows[0]) // width
    dark = sum(
        1 for row in rows for i in range(0, len(row), channels) if row[i] + row[i + 1] + row[i + 2] < 300
    )
    assert dark > 2000, f"the top of {page} is blank ({dark} dark pixels)"
    if page == "stats.html":
        # the bars: pixels of the not-met red and the met green are drawn, not only text
        colours = {bytes(row[i : i + 3]) for row in rows for i in range(0, len(row), channels)}
        assert bytes.fromhex("bfe3c8") in colours, "green (met) bar segments are drawn"


@pytest.mark.parametrize("page", ["index.html", "stats.html"])
def test_prints_on_a4(site, page):
    pdf = site / f"{page}.pdf"
    p = chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf.name}", (site / page).as_uri(), cwd=site)
    assert pdf.exists(), p.stderr[-2000:]
    sizes = set(re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf.read_bytes()))
    assert sizes and all(abs(float(w) - 595) < 2 and abs(float(h) - 842) < 2 for w, h in sizes), sizes


def test_index_dom_lists_every_report_and_injects_nothing(site):
    dom = chromium("--dump-dom", (site / "index.html").as_uri(), cwd=site).stdout
    assert "&lt;script&gt;alert(1)&lt;/script&gt; [bold]x[/bold]" in dom, dom[:2000]
    assert "<script" not in dom and "<bold>" not in dom
    links = re.findall(r'<a href="([^"]+)">', dom)
    assert sorted(links) == sorted(
        f.name for f in site.glob("*.html") if f.name not in ("index.html", "stats.html")
    )
    assert dom.index("zz_broken.toml") < dom.index("华康医学影像诊断中心") < dom.index("明德国际医院")


def test_stats_dom_draws_bars_with_numbers(site):
    dom = chromium("--dump-dom", (site / "stats.html").as_uri(), cwd=site).stdout
    assert "<script" not in dom
    bars = re.findall(
        r'<span class="(met|not_met|unknown|exempt|not_applicable)" style="width:[\d.]+%"[^>]*>(\d+)</span>',
        dom,
    )
    assert bars and all(int(n) > 0 for _, n in bars), "every bar segment carries its number"
