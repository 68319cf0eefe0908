"""``check DIR --format html -o OUTDIR/``: the index page of a folder of HTML reports.

One row per profile: status (a word on a coloured badge, never colour alone), institution,
equipment, the profile file and a link to its report; sorted by status, worst first (errors,
not compliant, incomplete, compliant), then by institution name, then by file. Like every
medequip page it is one self-contained file: no script, nothing loaded, prints on A4.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from ..core.text.i18n import OVERALL, Words
from ..core.text.messages import word
from .labels import CJK_FONT_STACK

ORDER = {"error": 0, "not_compliant": 1, "incomplete": 2, "compliant": 3}
T = Words(
    {
        "title": "index.title",
        "status": "index.status",
        "institution": "index.institution",
        "equipment": "index.equipment",
        "source": "index.source",
        "report": "index.report",
        "open": "index.open",
        "none": "index.none",
    }
)

CSS = """
@page { size: A4; margin: 14mm 12mm 16mm 12mm; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 186mm; padding: 8mm 0; color: #111; background: #fff;
  font-family: @CJK_FONTS@;
  font-size: 10pt; line-height: 1.45; overflow-wrap: anywhere;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
h1 { font-size: 17pt; margin: 0 0 2mm; }
p.totals { margin: 0 0 4mm; color: #333; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; vertical-align: top; padding: 1.2mm 2mm; border-bottom: 0.5pt solid #ccc; }
th { background: #eef2f6; }
tr { break-inside: avoid; }
.badge { display: inline-block; padding: 0 2mm; border-radius: 2mm; font-size: 8.5pt; font-weight: 600;
  white-space: nowrap; border: 0.5pt solid currentColor; }
.compliant { color: #17612b; background: #e3f4e7; } .not_compliant { color: #a3161a; background: #fde5e5; }
.incomplete { color: #8a5a00; background: #fff1d6; } .error { color: #444; background: #eee; }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.88em; }
.muted { color: #666; }
.link { white-space: nowrap; }
""".replace("@CJK_FONTS@", CJK_FONT_STACK)


@dataclass(frozen=True)
class Entry:
    source: str
    status: str  # compliant | not_compliant | incomplete | error
    institution: str = ""
    equipment: str = ""
    href: str | None = None  # the report's file name in the same folder
    error: str | None = None


def _e(v: object) -> str:
    """Escaped for HTML, with control and direction characters (a file name's ESC or
    U+202E) shown as escapes, as on a terminal."""
    from ..core.text.sanitize import escape

    return html.escape(escape(str(v)), quote=True)


def sort_key(e: Entry) -> tuple:
    return (ORDER.get(e.status, 9), e.institution or "\uffff", e.source)


def index_html(entries: list[Entry], lang: str, version: str) -> str:
    entries = sorted(entries, key=sort_key)
    t = {k: m.get(lang) for k, m in T.items()}
    counts = {s: sum(1 for e in entries if e.status == s) for s in ORDER}
    words = {**{s: m.get(lang) for s, m in OVERALL.items()}, "error": word("index.error", lang)}
    sep = word("punct.comma", lang)
    totals = sep.join(
        f"{words[s]} {counts[s]}" for s in ("compliant", "not_compliant", "incomplete", "error")
    )
    rows = []
    for e in entries:
        name = _e(e.institution) if e.institution else f'<span class="muted">{_e(t["none"])}</span>'
        if e.status == "error":
            name = _e(e.error or "")
        link = f'<a href="{_e(e.href)}">{_e(t["open"])}</a>' if e.href else ""
        rows.append(
            f'<tr><td><span class="badge {e.status}">{_e(words[e.status])}</span></td>'
            f"<td>{name}</td><td>{_e(e.equipment)}</td><td><code>{_e(e.source)}</code></td>"
            f'<td class="link">{link}</td></tr>'
        )
    return f"""<!DOCTYPE html>
<html lang="{"zh-CN" if lang == "zh" else "en"}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="generator" content="medequip {_e(version)}">
<title>{_e(t["title"])}</title>
<style>{CSS}</style>
</head>
<body>
<h1>{_e(t["title"])}</h1>
<p class="totals">{_e(totals)}</p>
<table>
<thead><tr><th>{_e(t["status"])}</th><th>{_e(t["institution"])}</th><th>{_e(t["equipment"])}</th><th>{_e(t["source"])}</th><th class="link">{_e(t["report"])}</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
</body>
</html>
"""


def report_names(sources: list[str], limit: int = 255, ext: str = ".html") -> list[str]:
    """A file name per source: its stem + ``ext`` (.html), numbered when two names collide (after
    unsafe characters became ``_``, and ignoring case), never ``index.html`` (taken by the
    index), and at most ``limit`` bytes (the folder's name limit: a stem is shortened,
    never split inside a character)."""
    import re
    from pathlib import PurePath

    from ..core.io.atomic import cut_utf8

    taken = {"index.html"}
    out = []
    for s in sources:
        stem = "stdin" if s == "-" else PurePath(s).stem
        stem = re.sub(r"[^\w.\-]+", "_", stem).strip("._") or "profile"
        raw = stem.encode("utf-8")
        n = 1
        while True:
            tail = ext if n == 1 else f"-{n}{ext}"
            name = cut_utf8(raw, limit - len(tail)).decode("utf-8") + tail
            if name.lower() not in taken:
                break
            n += 1
        taken.add(name.lower())
        out.append(name)
    return out
