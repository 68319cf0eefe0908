"""The HTML report rendered by a real browser, not only read as a string.

Headless Chromium loads the file with networking off and: takes an A4-sized screenshot
(which must not be blank), prints it to PDF (which must be A4 and hold the institution's
name, checked with pdftotext when installed), and dumps the DOM (which must show a name
full of markup as text, with no element injected). CI installs chromium (.ci/run), and
there this test must run: it skips only on a developer machine without Chromium.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import tempfile
import zlib
from pathlib import Path

import pytest
from cli_helpers import examples, run, write

EVIL = "<script>alert(1)</script> [bold]x[/bold]"
BROWSER = next((b for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None)

pytestmark = pytest.mark.skipif(
    BROWSER is None and not os.environ.get("CI"),
    reason="chromium is not installed (apt-get install chromium); CI always runs this test",
)


def chromium(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    assert BROWSER is not None, "CI must have chromium: see .ci/run"
    profile = tempfile.mkdtemp(prefix="medequip-chromium-")
    try:
        return subprocess.run(
            [
                BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                f"--user-data-dir={profile}", *args,
            ],
            cwd=cwd, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def png_rows(path: Path, max_rows: int) -> tuple[int, int, list[bytes]]:
    """Width, height and the first ``max_rows`` unfiltered rows of an 8-bit RGB(A) PNG."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    width = height = channels = 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and color in (2, 6), (depth, color)
            channels = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    stride = width * channels
    raw = zlib.decompressobj().decompress(idat, (stride + 1) * max_rows)
    rows: list[bytes] = []
    prev = bytearray(stride)
    for r in range(min(max_rows, len(raw) // (stride + 1))):
        ftype, line = raw[r * (stride + 1)], bytearray(raw[r * (stride + 1) + 1 : (r + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = prev[i]
            c = prev[i - channels] if i >= channels else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 255
            elif ftype == 2:
                line[i] = (line[i] + b) & 255
            elif ftype == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, rows


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    folder = tmp_path_factory.mktemp("html")
    profile = write(
        folder / "evil.toml",
        examples()[0].read_text("utf-8").split("[institution]")[0]
        + f'[institution]\nname = "{EVIL}"\nownership = "public"\nnew_build = true\n',
    )
    p = run("check", str(profile), "--format", "html", "--lang", "zh", "-o", str(folder / "report.html"))
    assert p.returncode in (0, 1, 3), p.stderr
    return folder


def test_screenshot_is_an_a4_page_with_content(rendered):
    p = chromium(
        "--screenshot=shot.png", "--window-size=1240,1754", (rendered / "report.html").as_uri(), cwd=rendered
    )
    shot = rendered / "shot.png"
    assert shot.exists(), p.stderr[-2000:]
    width, height, rows = png_rows(shot, 260)
    assert (width, height) == (1240, 1754)
    channels = len(rows[0]) // width
    dark = sum(
        1 for row in rows for i in range(0, len(row), channels) if row[i] + row[i + 1] + row[i + 2] < 300
    )
    assert dark > 2000, f"the top of the page is blank ({dark} dark pixels)"


def test_dom_shows_the_name_as_text_and_injects_nothing(rendered):
    p = chromium("--dump-dom", (rendered / "report.html").as_uri(), cwd=rendered)
    dom = p.stdout
    assert "<h1>&lt;script&gt;alert(1)&lt;/script&gt; [bold]x[/bold]</h1>" in dom, dom[:2000]
    assert "<script" not in dom
    assert "<b>" not in dom and "<bold>" not in dom


def test_prints_to_a4_pdf_with_the_text(rendered):
    p = chromium(
        "--no-pdf-header-footer",
        "--print-to-pdf=report.pdf",
        (rendered / "report.html").as_uri(),
        cwd=rendered,
    )
    pdf = rendered / "report.pdf"
    assert pdf.exists(), p.stderr[-2000:]
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    sizes = {m for m in __import__("re").findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)}
    assert sizes and all(abs(float(w) - 595) < 2 and abs(float(h) - 842) < 2 for w, h in sizes), (
        sizes
    )  # A4 in points
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, timeout=60
        ).stdout
        assert "<script>alert(1)</script>" in text
        assert "证明材料清单" in text and "逐条结论" in text
