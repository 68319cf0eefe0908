"""The report and the checklist as Word documents (``--format docx``): the self-assessment
table a hospital files, clause by clause (clause number, requirement, status, the facts
behind it, the evidence attached), on A4.

Chinese must render in Word, WPS and LibreOffice on machines set up in either language, so
every style names its fonts explicitly, never through the theme: a Latin font for
``w:ascii``/``w:hAnsi`` and a Chinese one for ``w:eastAsia`` (宋体 for the body, 黑体 for the
headings: the fonts every Chinese Windows and WPS has; elsewhere the viewer substitutes a CJK
font it has). The clause table's header row is marked ``w:tblHeader`` so that it repeats on
every page. The bytes are the same for the same report (fixed zip timestamps and document
dates), so a filed document can be compared with a fresh one.

python-docx (and lxml under it) is imported only when a document is made.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from ..core.text.i18n import Words
from ..core.text.messages import tr
from .checklist import claim_text, groups
from .checklist import t as ct
from .labels import colon, counts_line, institution_name, label, plain, ruleset_line

LATIN_BODY = "Times New Roman"
LATIN_HEADING = "Arial"
CJK_BODY = "宋体"  # SimSun
CJK_HEADING = "黑体"  # SimHei

TEXT = Words(
    {
        "title": "reports.docx.text.title",
        "table": "reports.docx.text.table",
        "clause": "reports.docx.text.clause",
        "requirement": "reports.docx.text.requirement",
        "status": "reports.docx.text.status",
        "facts": "reports.docx.text.facts",
        "evidence": "reports.docx.text.evidence",
        "documents": "reports.docx.text.documents",
        "not_attached": "reports.docx.text.not_attached",
        "not_needed": "reports.docx.text.not_needed",
        "unanswered": "reports.docx.text.unanswered",
        "footer": "reports.docx.text.footer",
    }
)

# Column widths in centimetres; they add up to the text width of A4 with 18 mm margins.
REPORT_COLUMNS = (("clause", 2.3), ("requirement", 5.5), ("status", 3.2), ("facts", 3.6), ("evidence", 2.8))
CHECKLIST_COLUMNS = (("clause", 2.3), ("documents", 5.5), ("status", 2.4), ("facts", 4.0), ("evidence", 3.2))
MARGIN_MM = 18

# Every entry of the zip gets this time: the same report gives the same bytes.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def tx(key: str, lang: str) -> str:
    return TEXT[key].get(lang)


# --- the evidence attached to a clause ------------------------------------------------------


def attached(report: dict, rule_id: str) -> list[dict] | None:
    """The files attached to clause ``rule_id``, as the report's checklist records them
    (``item["attached"]["files"]``: path, size, sha256, note, state_label), or None when the
    clause is not on the checklist (it does not apply, or is waived: nothing to prove). A
    report made without evidence records reads as nothing attached."""
    for item in report.get("checklist", ()):
        if item.get("id") == rule_id and item.get("kind") == "rule":
            return list((item.get("attached") or {}).get("files", ()))
    return None


def _size(n: int) -> str:
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} B"


def evidence_lines(files: list[dict] | None, lang: str) -> list[str]:
    """What the evidence column says: each file (path, size, the start of its SHA-256, its
    state and note), "none attached", or a dash for a clause with nothing to prove."""
    if files is None:
        return [tx("not_needed", lang)]
    if not files:
        return [tx("not_attached", lang)]
    out = []
    for f in files:
        line = tr("reports.docx.text", lang, f_path=f["path"], size_f_size=_size(f["size"]))
        if f.get("state_label"):
            line += f" · {f['state_label']}"
        line += f"\nSHA-256 {f['sha256'][:16]}…"
        if f.get("note"):
            line += f"\n{f['note']}"
        out.append(line)
    return out


# --- the document -----------------------------------------------------------------------------


def _fonts(rpr_parent, latin: str, east_asia: str) -> None:
    """Name the fonts of a style (or of the document defaults) explicitly: ``w:ascii`` and
    ``w:hAnsi`` Latin, ``w:eastAsia`` Chinese, and no theme font (a theme attribute would
    win over the names in Word)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = rpr_parent.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_parent.append(rpr)
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        if attr.endswith("Theme"):
            del fonts.attrib[attr]
    for key, name in (("ascii", latin), ("hAnsi", latin), ("eastAsia", east_asia), ("cs", latin)):
        fonts.set(qn(f"w:{key}"), name)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def _new_document(lang: str, title: str, date: str):
    import datetime as dt

    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(MARGIN_MM))
    styles = doc.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    if defaults is not None and defaults.find(qn("w:rPrDefault")) is not None:
        _fonts(defaults.find(qn("w:rPrDefault")), LATIN_BODY, CJK_BODY)
    normal = styles["Normal"]
    normal.font.size = Pt(10.5)  # 五号, the size of Chinese official documents' body text
    _fonts(normal.element, LATIN_BODY, CJK_BODY)
    for name in ("Title", "Heading 1", "Heading 2", "Table Grid"):
        if name in [s.name for s in styles]:
            style = styles[name]
            heading = name != "Table Grid"
            _fonts(
                style.element, LATIN_HEADING if heading else LATIN_BODY, CJK_HEADING if heading else CJK_BODY
            )
    props = doc.core_properties
    props.title = title
    props.author = "medequip"
    props.last_modified_by = "medequip"
    props.language = "zh-CN" if lang == "zh" else "en"
    try:
        day = dt.datetime.fromisoformat(date).replace(tzinfo=dt.UTC)
    except ValueError:
        day = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    props.created = props.modified = day
    props.revision = 1
    return doc


def _text(s: Any) -> str:
    """Text a document may hold: control characters (never in a profile, possible in a
    custom ruleset) shown as U+FFFD, as on a terminal."""
    return plain(str(s))


def _cell(cell, lines: list[str], bold_first: bool = False, size: float = 9) -> None:
    from docx.shared import Pt

    cell.text = ""
    para = cell.paragraphs[0]
    for i, line in enumerate(lines):
        if i:
            para = cell.add_paragraph()
        run = para.add_run(_text(line))
        run.font.size = Pt(size)
        run.bold = bold_first and i == 0


def _repeat_header(row) -> None:
    """Mark ``row`` as the table's header row: Word, WPS and LibreOffice repeat it at the top
    of every page the table runs onto (``w:tblHeader``); it never splits either."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    trpr = row._tr.get_or_add_trPr()
    for tag in ("w:cantSplit", "w:tblHeader"):
        el = OxmlElement(tag)
        el.set(qn("w:val"), "true")
        trpr.append(el)


def _shade(cell, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def _table(doc, columns: tuple[tuple[str, float], ...], rows: list[list[list[str]]], lang: str):
    """A bordered table with a repeated header row; each row a list of cells, each cell a
    list of paragraphs (the first in bold in the first two columns)."""
    from docx.shared import Cm

    table = doc.add_table(rows=1, cols=len(columns))
    table.style = doc.styles["Table Grid"]
    table.autofit = False
    header = table.rows[0]
    _repeat_header(header)
    for cell, (key, width) in zip(header.cells, columns, strict=True):
        _cell(cell, [tx(key, lang)], bold_first=True, size=9.5)
        _shade(cell, "E8EEF4")
        cell.width = Cm(width)
    for values in rows:
        cells = table.add_row().cells
        for i, (cell, lines, (_, width)) in enumerate(zip(cells, values, columns, strict=True)):
            _cell(cell, lines, bold_first=i < 3)
            cell.width = Cm(width)
    for col, (_, width) in zip(table.columns, columns, strict=True):
        col.width = Cm(width)
    return table


def _head(doc, report: dict, lang: str, title: str) -> None:
    c = colon(lang)
    doc.add_heading(_text(title), level=0)
    doc.add_paragraph(_text(f"{institution_name(report, lang)} — {report['equipment_name']}"))
    rows = [
        (label("institution", lang), institution_name(report, lang)),
        (label("equipment", lang), f"{report['equipment_name']} ({report['equipment']})"),
        (label("ruleset", lang), ruleset_line(report, lang)),
        (label("date", lang), report["date"]),
        (label("profile", lang), f"{report['source']} (sha256 {report['profile_sha256'][:16]})"),
        (
            label("overall", lang),
            tr(
                "reports.docx.text_3",
                lang,
                report_status_label=report["status_label"],
                counts_line_report_lang=counts_line(report, lang),
            ),
        ),
    ]
    for key, value in rows:
        para = doc.add_paragraph()
        para.add_run(_text(f"{key}{c}")).bold = True
        para.add_run(_text(value))
    if report.get("edition_note"):
        doc.add_paragraph(_text(f"! {report['edition_note']}"))


def _facts(claims: list[dict], lang: str, asked: list[str] | None = None) -> list[str]:
    """What the profile says for a clause: its answers, and "not answered" only for facts
    still asked (``asked``; None: every fact read). A fact never asked because it cannot
    matter (the new-build half of a clause, for an existing hospital) is left out."""
    shown = [c for c in claims if c["value"] is not None or asked is None or c["fact"] in asked]
    return [claim_text(c, lang) for c in shown] or [tx("not_needed", lang)]


def _report_row(report: dict, r: dict, lang: str) -> list[list[str]]:
    level = (
        ""
        if r["level"] == "required"
        else tr("reports.docx.text_2", lang, label_level_advisory_lan=label("level_advisory", lang))
    )
    # A met clause's reason restates the facts beside it; any other verdict says why.
    said = "" if r["status"] == "met" else r["reason"]
    reason = [said] if said else []
    # the shortfall is often the reason itself, or its end: each thing said once
    more = [s for s in (*r["shortfall"], *r["advice"]) if s and s not in said]
    status = [r["status_label"] + level, *reason, *more]
    status += [f"{label('waived_by', lang)}{colon(lang)}{w['clause']} {w['label']}" for w in r["waived_by"]]
    return [
        [r["clause"], r["id"]],
        [r["heading"], r["text"]],
        status,
        _facts(r["claims"], lang, r["missing"]),
        evidence_lines(attached(report, r["id"]), lang),
    ]


def _people(doc, report: dict, lang: str) -> None:
    if not report["people"]:
        return
    doc.add_heading(_text(label("people", lang)), level=1)
    for p in report["people"]:
        doc.add_paragraph(
            _text(tr("reports.docx.person", lang, name=p["name"], role=p["role_label"], route=p["route"])),
            style="List Bullet",
        )
        for lack in p["lacks"]:
            doc.add_paragraph(_text(lack), style="List Bullet 2")


def _set_aside(doc, report: dict, lang: str) -> None:
    if not report.get("set_aside"):
        return
    doc.add_heading(_text(label("set_aside", lang)), level=1)
    doc.add_paragraph(_text(label("set_aside_note", lang)))
    for c in report["set_aside"]:
        doc.add_paragraph(_text(f"{c['label']}{colon(lang)}{c['answer']}"), style="List Bullet")


def _footer(doc, lang: str) -> None:
    from docx.shared import Pt

    para = doc.add_paragraph()
    run = para.add_run(tx("footer", lang))
    run.font.size = Pt(8.5)


def _add_report(doc, report: dict, lang: str) -> None:
    _head(doc, report, lang, tx("title", lang))
    doc.add_heading(_text(tx("table", lang)), level=1)
    _table(doc, REPORT_COLUMNS, [_report_row(report, r, lang) for r in report["rules"]], lang)
    _people(doc, report, lang)
    _set_aside(doc, report, lang)
    _footer(doc, lang)


def _checklist_row(report: dict, item: dict, lang: str) -> list[list[str]]:
    if item["kind"] == "exemption":
        clause = [item["clause"], item["id"]]
        status = [
            tr(
                "reports.docx.waives",
                lang,
                ground=item["ground_label"],
                waives=ct("waives", lang),
                ids=", ".join(item["waives"]),
            )
        ]
        files = None
    else:
        clause = [item["clause"], item["id"]]
        status = [item["status_label"]]
        files = attached(report, item["id"])
    docs = [f"☐ {d}" for d in item["documents"]] or [ct("none", lang)]
    return [
        clause,
        [item["heading"], *docs],
        status,
        _facts(item["claims"], lang),
        evidence_lines(files, lang),
    ]


def _add_checklist(doc, report: dict, lang: str) -> None:
    _head(doc, report, lang, ct("title", lang))
    doc.add_paragraph(_text(ct("intro", lang)))
    found = groups(report, lang)
    if not found:
        doc.add_paragraph(_text(ct("empty", lang)))
    for heading, items in found:
        doc.add_heading(_text(heading), level=1)
        _table(doc, CHECKLIST_COLUMNS, [_checklist_row(report, i, lang) for i in items], lang)
    _footer(doc, lang)


def _build(reports: list[dict], lang: str, add, title: str) -> bytes:
    from docx.enum.text import WD_BREAK

    doc = _new_document(lang, title, reports[0]["date"] if reports else "")
    for i, r in enumerate(reports):
        if i:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        add(doc, r, lang)
    buf = io.BytesIO()
    doc.save(buf)
    return _reproducible(buf.getvalue())


def report_docx(reports: list[dict], lang: str) -> bytes:
    """The Word document of one or more reports (each from a new page)."""
    return _build(reports, lang, _add_report, _title(reports, lang, tx("title", lang)))


def checklist_docx(reports: list[dict], lang: str) -> bytes:
    """The evidence checklist as a Word document."""
    return _build(reports, lang, _add_checklist, _title(reports, lang, ct("title", lang)))


def _title(reports: list[dict], lang: str, what: str) -> str:
    if len(reports) == 1:
        return _text(f"{what} · {institution_name(reports[0], lang)} · {reports[0]['equipment_name']}")
    return f"medequip · {what} ({len(reports)})"


def _reproducible(data: bytes) -> bytes:
    """The same entries in the same order, each stamped with one fixed time (python-docx
    stamps them with the time of writing)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, _ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()
