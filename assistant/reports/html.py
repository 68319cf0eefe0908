"""The HTML report: one self-contained file to print on A4 and file with an application.

No scripts, no fonts or images from anywhere (a Content-Security-Policy forbids loading
anything), CSS inline with an ``@page`` rule for A4. Every string that comes from a profile or
a ruleset passes through :func:`e` (``html.escape``), so an institution called
``<script>...`` is printed, never run. Rendered from the same dict as every other format.
"""

from __future__ import annotations

import html

from ..core.text.i18n import STATUS
from ..core.text.messages import tr, word
from .checklist import claim_text, groups, has_evidence, how, item_title
from .checklist import t as ct
from .labels import CJK_FONT_STACK, institution_name, label

CSS = """
@page {
  size: A4; margin: 16mm 14mm 18mm 14mm;
  @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; color: #666; }
}
* { box-sizing: border-box; }
html { background: #fff; color: #111; }
body {
  margin: 0 auto; max-width: 182mm; padding: 10mm 0 14mm;
  font-family: @CJK_FONTS@;
  font-size: 10.5pt; line-height: 1.5; overflow-wrap: anywhere;
  -webkit-print-color-adjust: exact; print-color-adjust: exact;
}
h1 { font-size: 19pt; margin: 0 0 1mm; line-height: 1.25; }
h2 { font-size: 13pt; margin: 7mm 0 2.5mm; padding-bottom: 1mm; border-bottom: 1.5pt solid #1f3b5a; color: #1f3b5a; break-after: avoid; }
h3 { font-size: 11pt; margin: 0 0 1.5mm; break-after: avoid; }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.88em; }
.kicker { margin: 0 0 1mm; font-size: 9pt; letter-spacing: 0.04em; color: #555; text-transform: uppercase; }
.equipment { margin: 0 0 3mm; font-size: 12pt; color: #333; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 0.6mm 5mm; margin: 0; font-size: 9pt; color: #333; }
dl.meta dt { font-weight: 600; color: #555; }
dl.meta dd { margin: 0; }
header { border-bottom: 0.75pt solid #bbb; padding-bottom: 3mm; }
.note { margin: 3mm 0 0; padding: 2mm 3mm; border-left: 3pt solid #c77700; background: #fff6e5; }
.overall { font-size: 13pt; margin: 0 0 2mm; }
table { width: 100%; border-collapse: collapse; font-size: 9.5pt; }
th, td { text-align: left; vertical-align: top; padding: 1.2mm 2mm; border-bottom: 0.5pt solid #ccc; }
th { background: #eef2f6; font-weight: 600; }
tr { break-inside: avoid; }
table.counts { width: auto; margin-bottom: 3mm; }
table.counts td, table.counts th { text-align: center; min-width: 18mm; }
.badge { display: inline-block; padding: 0 2mm; border-radius: 2mm; font-size: 8.5pt; font-weight: 600; white-space: nowrap; border: 0.5pt solid currentColor; }
.met { color: #17612b; } .badge.met { background: #e3f4e7; }
.not_met { color: #a3161a; } .badge.not_met { background: #fde5e5; }
.exempt { color: #0d5c72; } .badge.exempt { background: #e0f2f7; }
.not_applicable { color: #666; } .badge.not_applicable { background: #f1f1f1; }
.unknown { color: #8a5a00; } .badge.unknown { background: #fff1d6; }
.compliant { color: #17612b; } .not_compliant { color: #a3161a; } .incomplete { color: #8a5a00; }
.clause { margin: 0 0 4mm; padding: 2.5mm 3mm 1.5mm; border: 0.5pt solid #d4d9de; border-left: 3pt solid #999; break-inside: avoid; }
.clause.s-met { border-left-color: #2e8b47; } .clause.s-not_met { border-left-color: #c62828; }
.clause.s-exempt { border-left-color: #1b8aa5; } .clause.s-unknown { border-left-color: #d99400; }
.clause.s-not_applicable { border-left-color: #aaa; }
.clause blockquote { margin: 0 0 1.5mm; padding: 0 0 0 3mm; border-left: 1pt solid #ccc; color: #333; font-size: 9.5pt; }
.clause ul, .checklist ul { margin: 0 0 1.5mm; padding-left: 5mm; }
.clause p { margin: 0 0 1.5mm; }
.muted { color: #666; }
.item { margin: 0 0 3mm; break-inside: avoid; }
.item h4 { font-size: 10pt; margin: 0 0 1mm; }
ul.docs { list-style: none; padding-left: 1mm; }
ul.docs li::before { content: "\\2610"; display: inline-block; width: 5mm; }
.claims { font-size: 9pt; color: #333; }
footer { margin-top: 8mm; padding-top: 2mm; border-top: 0.5pt solid #bbb; font-size: 8.5pt; color: #555; }
article + article { break-before: page; margin-top: 12mm; }
@media print { body { max-width: none; padding: 0; } article + article { margin-top: 0; } }
""".replace("@CJK_FONTS@", CJK_FONT_STACK)


def e(value: object) -> str:
    """Escape any text for HTML element content and attribute values; control characters
    (a file name's escape sequence) are shown as escapes too, so a report printed to a
    terminal cannot drive it."""
    from ..core.text.sanitize import escape

    return html.escape(escape(str(value)), quote=True)


def _colon(lang: str) -> str:
    return word("punct.colon", lang)


def _lang_attr(lang: str) -> str:
    return "zh-CN" if lang == "zh" else "en"


def document(title: str, articles: list[str], lang: str, version: str) -> str:
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{_lang_attr(lang)}">\n<head>\n<meta charset="utf-8">\n'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="medequip {e(version)}">\n'
        f"<title>{e(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        + "\n".join(articles)
        + "</body>\n</html>\n"
    )


def _badge(status: str, text: str) -> str:
    return f'<span class="badge {e(status)}">{e(text)}</span>'


def _header(report: dict, lang: str, kicker: str) -> str:
    rs = report["ruleset"]
    rows = [
        (label("equipment", lang), f"{e(report['equipment_name'])} (<code>{e(report['equipment'])}</code>)"),
        (
            label("ruleset", lang),
            f"{e(rs['title'])} (<code>{e(rs['id'])}</code>, {e(label('edition', lang))} {e(rs['edition'])})",
        ),
        ("sha256", f"<code>{e(rs['sha256'])}</code>"),
        (label("date", lang), e(report["date"])),
        (
            label("profile", lang),
            f"{e(report['source'])} (sha256 <code>{e(report['profile_sha256'][:16])}</code>)",
        ),
    ]
    meta = "".join(f"<dt>{e(k)}</dt><dd>{v}</dd>" for k, v in rows)
    out = [
        "<header>",
        f'<p class="kicker">{e(kicker)}</p>',
        f"<h1>{e(institution_name(report, lang))}</h1>",
        f'<p class="equipment">{e(report["equipment_name"])}</p>',
        f'<dl class="meta">{meta}</dl>',
        "</header>",
    ]
    if report.get("edition_note"):
        out.append(f'<p class="note" role="note">{e(report["edition_note"])}</p>')
    return "\n".join(out)


def _summary(report: dict, lang: str) -> str:
    c = report["counts"]
    order = ("met", "not_met", "exempt", "not_applicable", "unknown")
    head = "".join(f'<th class="{s}">{e(STATUS[s].get(lang))}</th>' for s in order)
    cells = "".join(f'<td class="{s}">{int(c.get(s, 0))}</td>' for s in order)
    rows = []
    for r in report["rules"]:
        level = (
            ""
            if r["level"] == "required"
            else f' <span class="muted">({e(label("level_advisory", lang))})</span>'
        )
        rows.append(
            f"<tr><td>{e(r['clause'])}{level}</td><td><code>{e(r['id'])}</code></td>"
            f"<td>{e(r['heading'])}</td><td>{_badge(r['status'], r['status_label'])}</td></tr>"
        )
    return (
        f'<section class="summary">\n<h2>{e(label("summary", lang))}</h2>\n'
        f'<p class="overall">{e(label("overall", lang))}{_colon(lang)}<strong class="{e(report["status"])}">{e(report["status_label"])}</strong></p>\n'
        f'<table class="counts"><tr>{head}</tr><tr>{cells}</tr></table>\n'
        f"<table><tr><th>{e(label('clause', lang))}</th><th>{e(label('id', lang))}</th><th>{e(label('heading', lang))}</th>"
        f"<th>{e(label('status', lang))}</th></tr>\n" + "\n".join(rows) + "\n</table>\n</section>"
    )


def _clause(r: dict, lang: str) -> str:
    level = (
        ""
        if r["level"] == "required"
        else f' <span class="muted">({e(label("level_advisory", lang))})</span>'
    )
    out = [
        f'<section class="clause s-{e(r["status"])}" id="{e(r["id"])}">',
        f"<h3>{e(r['clause'])} <code>{e(r['id'])}</code> {e(r['heading'])}{level} {_badge(r['status'], r['status_label'])}</h3>",
        f"<blockquote>{e(r['text'])}</blockquote>",
        f"<p><strong>{e(label('reason', lang))}{_colon(lang)}</strong>{e(r['reason'])}</p>",
    ]
    c = _colon(lang)
    extra = [f"{e(label('shortfall', lang))}{c}{e(s)}" for s in r["shortfall"]]
    extra += [f"{e(label('advice', lang))}{c}{e(a)}" for a in r["advice"]]
    extra += [
        f"{e(label('waived_by', lang))}{c}{e(w['clause'])} <code>{e(w['exemption'])}</code> {e(w['label'])}"
        for w in r["waived_by"]
    ]
    extra += [
        f"{e(p['name'])}{c}{_badge(p['status'], STATUS[p['status']].get(lang))} {e(p['reason'])}"
        for p in r.get("persons", [])
    ]
    if extra:
        out.append("<ul>" + "".join(f"<li>{x}</li>" for x in extra) + "</ul>")
    if r.get("differs"):
        from ..core.rules.variant import difference_lines

        lines = difference_lines(r["differs"], lang, "")
        out.append('<p class="differs">' + "<br>".join(e(x.strip()) for x in lines) + "</p>")
    out.append("</section>")
    return "\n".join(out)


def _people(report: dict, lang: str) -> str:
    if not report["people"]:
        return ""
    rows = []
    for p in report["people"]:
        status = "met" if p["qualified"] else "not_met" if p["qualified"] is False else "unknown"
        lacks = "".join(f"<li>{e(x)}</li>" for x in p["lacks"])
        rows.append(
            f'<tr><td>{e(p["name"])}</td><td>{e(p["role_label"])}</td><td class="{status}">{e(p["route"])}'
            + (f"<ul>{lacks}</ul>" if lacks else "")
            + "</td></tr>"
        )
    return (
        f'<section class="people">\n<h2>{e(label("people", lang))}</h2>\n<table>'
        + "\n".join(rows)
        + "</table>\n</section>"
    )


def _set_aside(report: dict, lang: str) -> str:
    """Answers kept in the profile but not used: listed as such, apart from every verdict."""
    if not report.get("set_aside"):
        return ""
    rows = "".join(f"<tr><td>{e(c['label'])}</td><td>{e(c['answer'])}</td></tr>" for c in report["set_aside"])
    return (
        f'<section class="set-aside">\n<h2>{e(label("set_aside", lang))}</h2>\n'
        f'<p class="muted">{e(label("set_aside_note", lang))}</p>\n<table>{rows}</table>\n</section>'
    )


def checklist_section(report: dict, lang: str, heading: str = "h2") -> str:
    sub = "h3" if heading == "h2" else "h2"
    out = [
        f'<section class="checklist">\n<{heading}>{e(ct("title", lang))}</{heading}>',
        f'<p class="muted">{e(ct("intro", lang))}'
        + (f" {e(how(lang))}" if has_evidence(report) else "")
        + "</p>",
    ]
    found = groups(report, lang)
    if not found:
        out.append(f"<p>{e(ct('empty', lang))}</p>")
    for title, items in found:
        out.append(f"<{sub}>{e(title)}</{sub}>")
        for item in items:
            status = f" {_badge(item['status'], item['status_label'])}" if item["kind"] == "rule" else ""
            name = (
                item_title(item, lang)
                if item["kind"] == "exemption"
                else f"{item['clause']} {item['id']} {item['heading']}"
            )
            out.append(f'<div class="item"><h4>{e(name)}{status}</h4>')
            if item["documents"]:
                out.append(
                    '<ul class="docs">' + "".join(f"<li>{e(d)}</li>" for d in item["documents"]) + "</ul>"
                )
            else:
                out.append(f'<p class="muted">{e(ct("none", lang))}</p>')
            if item["claims"]:
                claims = "".join(f"<li>{e(claim_text(c, lang))}</li>" for c in item["claims"])
                out.append(
                    f'<div class="claims">{e(ct("claims", lang))}{_colon(lang)}<ul>{claims}</ul></div>'
                )
            if "attached" in item:
                out.append(_attached(item, lang))
            out.append("</div>")
    out.append("</section>")
    return "\n".join(out)


_ATTACHED_CLASS = {"attached": "met", "missing": "not_met", "changed": "unknown"}
_FILE_CLASS = {"ok": "met", "missing": "not_met", "changed": "unknown"}


def _attached(item: dict, lang: str) -> str:
    """The files attached to a checklist item, each with its state (``attached.py``)."""
    from .attached import TEXT, size_text

    a = item["attached"]
    head = (
        f'<div class="claims attached">{e(TEXT["evidence"].get(lang))}{_colon(lang)}'
        f"{_badge(_ATTACHED_CLASS[a['status']], a['status_label'])}"
    )
    if not a["files"]:
        return head + "</div>"
    rows = "".join(
        f"<li><code>{e(f['path'])}</code> ({e(size_text(f['size'], lang))}) "
        f"{_badge(_FILE_CLASS[f['state']], f['state_label'])}"
        + (f" {e(f['note'])}" if f.get("note") else "")
        + "</li>"
        for f in a["files"]
    )
    return head + f"<ul>{rows}</ul></div>"


def _footer(report: dict, lang: str) -> str:
    return f"<footer>{e(tr('reports.html.footer', lang))} medequip {e(report['tool']['version'])} · {e(report['date'])}</footer>"


def article(report: dict, lang: str) -> str:
    parts = [
        "<article>",
        _header(report, lang, label("title", lang)),
        _summary(report, lang),
        f'<section class="clauses">\n<h2>{e(label("clauses", lang))}</h2>',
        *(_clause(r, lang) for r in report["rules"]),
        "</section>",
        _people(report, lang),
        _set_aside(report, lang),
        checklist_section(report, lang),
        _footer(report, lang),
        "</article>\n",
    ]
    return "\n".join(p for p in parts if p)


def _title(reports: list[dict], lang: str, what: str) -> str:
    if len(reports) == 1:
        r = reports[0]
        return f"{institution_name(r, lang)} · {r['equipment_name']} · {what}"
    return f"medequip · {what} ({len(reports)})"


def to_html(reports: list[dict], lang: str) -> str:
    """One HTML document for one or more reports (each starts on a new page)."""
    return assemble(
        [article(r, lang) for r in reports], title_of(reports[0], lang) if len(reports) == 1 else "", lang
    )


def title_of(report: dict, lang: str) -> str:
    """The title of a document holding this report alone."""
    return _title([report], lang, label("title", lang))


def assemble(articles: list[str], single_title: str, lang: str) -> str:
    """The document of these articles (made apart, in a batch's workers): titled by its one
    report (``single_title``), or by the number of reports."""
    from .. import __version__

    what = label("title", lang)
    title = single_title if len(articles) == 1 else f"medequip · {what} ({len(articles)})"
    return document(title, articles, lang, __version__)


def checklist_document(reports: list[dict], lang: str) -> str:
    from .. import __version__

    arts = [
        "<article>\n"
        + _header(r, lang, ct("title", lang))
        + "\n"
        + checklist_section(r, lang)
        + "\n"
        + _footer(r, lang)
        + "\n</article>\n"
        for r in reports
    ]
    return document(_title(reports, lang, ct("title", lang)), arts, lang, __version__)
