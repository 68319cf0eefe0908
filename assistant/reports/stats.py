"""``medequip stats``: per-clause statistics of a batch as text, Markdown, HTML, JSON or CSV.

All five render the dict of :func:`table.statistics`. The HTML page draws its bars with
plain HTML and CSS (a stacked bar of ``<span>`` widths per clause), has no script and loads
nothing (a Content-Security-Policy says so), and prints on A4. Every bar segment has its
number written next to it, so nothing is said by colour alone.
"""

from __future__ import annotations

import html
import json
from typing import Any

from ..core.text.messages import word
from .labels import CJK_FONT_STACK
from .table import STATUSES, stat_label, totals_line


def _heading(c: dict[str, Any], lang: str) -> str:
    adv = "" if c["level"] == "required" else f" ({stat_label('level_advisory', lang)})"
    return f"{c['heading']}{adv}"


def to_json(stats: dict[str, Any]) -> str:
    return json.dumps(stats, ensure_ascii=False, indent=2) + "\n"


def to_text(stats: dict[str, Any], lang: str) -> str:
    from .labels import plain

    out = [totals_line(stats, lang), ""]
    heads = [stat_label(s, lang) for s in STATUSES]
    out.append("\t".join([stat_label("clause", lang), *heads, stat_label("heading", lang)]))
    for c in stats["clauses"]:
        nums = [str(c[s]) for s in STATUSES]
        out.append("\t".join([f"{c['id']} {c['clause']}", *nums, _heading(c, lang)]))
    out += ["", stat_label("shortfall", lang) + word("punct.colon_bare", lang)]
    if not stats["shortfalls"]:
        out.append("  " + stat_label("none", lang))
    for s in stats["shortfalls"]:
        out.append(f"  {s['profiles']}\t{s['label']}\t({', '.join(s['rules'])})")
    return plain("\n".join(out) + "\n")


def to_markdown(stats: dict[str, Any], lang: str) -> str:
    from .labels import md

    out = [f"# {stat_label('title', lang)}", "", md(totals_line(stats, lang)), ""]
    out += [f"## {stat_label('per_clause', lang)}", ""]
    heads = [stat_label(s, lang) for s in STATUSES]
    out.append("| " + " | ".join([stat_label("clause", lang), stat_label("heading", lang), *heads]) + " |")
    out.append("|---|---|" + "---:|" * len(STATUSES))
    for c in stats["clauses"]:
        nums = [str(c[s]) for s in STATUSES]
        out.append(f"| `{c['id']}` {md(c['clause'])} | {md(_heading(c, lang))} | " + " | ".join(nums) + " |")
    out += ["", f"## {stat_label('shortfall', lang)}", ""]
    if not stats["shortfalls"]:
        out.append(stat_label("none", lang))
    else:
        out.append(
            f"| {stat_label('requirement', lang)} | {stat_label('rules', lang)} | {stat_label('profiles', lang)} |"
        )
        out.append("|---|---|---:|")
        for s in stats["shortfalls"]:
            rules = ", ".join(f"`{r}`" for r in s["rules"])
            out.append(f"| {md(s['label'])} | {rules} | {s['profiles']} |")
    return "\n".join(out) + "\n"


CSS = """
@page { size: A4; margin: 14mm 12mm 16mm 12mm; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 186mm; padding: 8mm 0; color: #111; background: #fff;
  font-family: @CJK_FONTS@;
  font-size: 9.5pt; line-height: 1.4; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
h1 { font-size: 17pt; margin: 0 0 2mm; }
h2 { font-size: 12pt; margin: 6mm 0 2mm; color: #1f3b5a; border-bottom: 1pt solid #1f3b5a; break-after: avoid; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; vertical-align: top; padding: 1mm 1.5mm; border-bottom: 0.5pt solid #ccc; }
th { background: #eef2f6; }
tr { break-inside: avoid; }
td.n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.bar { display: flex; width: 100%; min-width: 40mm; height: 4.2mm; border: 0.5pt solid #999; background: #fafafa; }
.bar span { display: block; height: 100%; overflow: hidden; font-size: 7pt; line-height: 4.2mm;
  text-align: center; white-space: nowrap; }
.met { background: #bfe3c8; } .not_met { background: #f4b4b4; } .unknown { background: #ffe0a3; }
.exempt { background: #b9e1ec; } .not_applicable { background: #e2e2e2; }
.legend span { display: inline-block; margin-right: 4mm; padding: 0 1.5mm; border: 0.5pt solid #999; }
.hbar { display: inline-block; height: 3mm; background: #c62828; vertical-align: middle; }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.9em; }
""".replace("@CJK_FONTS@", CJK_FONT_STACK)


def _e(v: object) -> str:
    return html.escape(str(v), quote=True)


def _bar(c: dict[str, Any]) -> str:
    total = c["profiles"] or 1
    parts = []
    for s in STATUSES:
        n = c[s]
        if n:
            pct = 100 * n / total
            parts.append(f'<span class="{s}" style="width:{pct:.2f}%" title="{n}">{n}</span>')
    return f'<div class="bar">{"".join(parts)}</div>'


def to_html(stats: dict[str, Any], lang: str) -> str:
    from .. import __version__

    title = stat_label("title", lang)
    heads = "".join(f'<th class="n">{_e(stat_label(s, lang))}</th>' for s in STATUSES)
    legend = "".join(f'<span class="{s}">{_e(stat_label(s, lang))}</span>' for s in STATUSES)
    rows = []
    for c in stats["clauses"]:
        nums = "".join(f'<td class="n">{c[s]}</td>' for s in STATUSES)
        rows.append(
            f"<tr><td><code>{_e(c['id'])}</code> {_e(c['clause'])}<br>{_e(_heading(c, lang))}</td>"
            f"<td>{_bar(c)}</td>{nums}</tr>"
        )
    most = max((s["profiles"] for s in stats["shortfalls"]), default=1)
    short_rows = [
        f"<tr><td>{_e(s['label'])}</td><td>{_e(', '.join(s['rules']))}</td>"
        f'<td class="n"><span class="hbar" style="width:{30 * s["profiles"] / most:.1f}mm"></span> '
        f"{s['profiles']}</td></tr>"
        for s in stats["shortfalls"]
    ]
    short = (
        f"<table><thead><tr><th>{_e(stat_label('requirement', lang))}</th><th>{_e(stat_label('rules', lang))}</th>"
        f'<th class="n">{_e(stat_label("profiles", lang))}</th></tr></thead><tbody>{"".join(short_rows)}</tbody></table>'
        if short_rows
        else f"<p>{_e(stat_label('none', lang))}</p>"
    )
    return f"""<!DOCTYPE html>
<html lang="{"zh-CN" if lang == "zh" else "en"}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="generator" content="medequip {_e(__version__)}">
<title>{_e(title)}</title>
<style>{CSS}</style>
</head>
<body>
<h1>{_e(title)}</h1>
<p class="totals">{_e(totals_line(stats, lang))}</p>
<h2>{_e(stat_label("per_clause", lang))}</h2>
<p class="legend">{legend}</p>
<table class="clauses"><thead><tr><th>{_e(stat_label("clause", lang))}</th><th style="width:38%"></th>{heads}</tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table>
<h2>{_e(stat_label("shortfall", lang))}</h2>
{short}
</body>
</html>
"""


def to_csv(stats: dict[str, Any], lang: str) -> str:
    from .csv import to_csv as write

    head = [stat_label("clause", lang), "id", stat_label("heading", lang), "equipment"]
    head += [stat_label(s, lang) for s in STATUSES] + [stat_label("profiles", lang)]
    body = [
        [c["clause"], c["id"], _heading(c, lang), c["equipment"], *(c[s] for s in STATUSES), c["profiles"]]
        for c in stats["clauses"]
    ]
    return write([head, *body])


def render(stats: dict[str, Any], fmt: str, lang: str) -> str:
    if fmt == "json":
        return to_json(stats)
    if fmt == "markdown":
        return to_markdown(stats, lang)
    if fmt == "html":
        return to_html(stats, lang)
    if fmt == "csv":
        return to_csv(stats, lang)
    return to_text(stats, lang)
