"""``--format xlsx -o FILE``: the batch as a workbook for reviewers who live in Excel or WPS.

Sheet 1 is the CSV's table with a frozen header row and first column, filters on every
column, and each clause cell coloured by its status *and* holding the status word (colour
is never the only signal). Sheet 2 is the per-clause statistics, sheet 3 the rule texts
(so the clause behind a column is one click away, not repeated in every row).

Written with XlsxWriter (write-only, pure Python, no dependencies of its own; openpyxl is
only needed to read a workbook back, which the tests do). Every string goes through
``write_string``: text is never interpreted as a formula or URL, so an institution named
``=HYPERLINK(...)`` stays text. The workbook's creation time is fixed so that the same
batch gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..core.text.i18n import STATUS, Words
from .table import STATUSES, Batch, Catalogue, header, rows, stat_label

FILL = {
    "met": "#C6EFCE",
    "not_met": "#FFC7CE",
    "unknown": "#FFEB9C",
    "exempt": "#CCE7F0",
    "not_applicable": "#E7E6E6",
}
INK = {
    "met": "#006100",
    "not_met": "#9C0006",
    "unknown": "#7A5A00",
    "exempt": "#0D5C72",
    "not_applicable": "#595959",
}
SHEETS = Words(
    {
        "profiles": "reports.xlsx.sheets.profiles",
        "stats": "reports.xlsx.sheets.stats",
        "rules": "reports.xlsx.sheets.rules",
    }
)
RULE_HEAD = Words(
    {
        "id": "reports.xlsx.rule_head.id",
        "equipment": "reports.xlsx.rule_head.equipment",
        "clause": "reports.xlsx.rule_head.clause",
        "heading": "reports.xlsx.rule_head.heading",
        "level": "reports.xlsx.rule_head.level",
        "text": "reports.xlsx.rule_head.text",
        "evidence": "reports.xlsx.rule_head.evidence",
    }
)
LEVEL = Words(
    {
        "required": "reports.xlsx.level.required",
        "advisory": "reports.xlsx.level.advisory",
    }
)
# Reproducible bytes: the same batch, the same file (the date printed on reports is the
# report's business, not the workbook's metadata).
FIXED_TIME = dt.datetime(2000, 1, 1)


def to_xlsx(batch: Batch, cat: Catalogue, stats: dict[str, Any]) -> bytes:
    """The workbook's bytes (written to the output file atomically by the caller)."""
    import io

    import xlsxwriter

    out = io.BytesIO()
    wb = xlsxwriter.Workbook(
        out,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    wb.set_properties({"created": FIXED_TIME, "title": "medequip"})
    bold = wb.add_format(
        {"bold": True, "bg_color": "#EEF2F6", "border": 1, "text_wrap": True, "valign": "top"}
    )
    _profiles_sheet(wb, bold, batch, cat)
    _stats_sheet(wb, bold, cat.lang, stats)
    _rules_sheet(wb, bold, cat)
    wb.close()
    return out.getvalue()


def _profiles_sheet(wb, bold, batch: Batch, cat: Catalogue) -> None:
    """One row per profile, each clause's status coloured."""
    lang = cat.lang
    status_fmt = {
        s: wb.add_format({"bg_color": FILL[s], "font_color": INK[s], "border": 1, "align": "center"})
        for s in STATUSES
    }
    word_status = {STATUS[s].get(lang): s for s in STATUSES}
    ws = wb.add_worksheet(SHEETS["profiles"].get(lang))
    head = header(cat)
    for j, h in enumerate(head):
        ws.write_string(0, j, h, bold)
    fixed = len(head) - len(cat.clauses)
    for i, r in enumerate(rows(batch, cat), start=1):
        for j, v in enumerate(r):
            if isinstance(v, int):
                ws.write_number(i, j, v)
            elif j >= fixed and v in word_status:
                ws.write_string(i, j, v, status_fmt[word_status[v]])
            elif v != "":
                ws.write_string(i, j, str(v))
    ws.freeze_panes(1, 1)
    ws.autofilter(0, 0, max(len(batch.records), 1), len(head) - 1)
    ws.set_column(0, 0, 28)
    ws.set_column(1, 1, 24)
    ws.set_column(2, fixed - 1, 12)
    if cat.clauses:
        ws.set_column(fixed, len(head) - 1, 11)
    ws.set_row(0, 30)


def _stats_sheet(wb, bold, lang: str, stats: dict[str, Any]) -> None:
    """Per clause, how many profiles reached each status (with data bars)."""
    st = wb.add_worksheet(SHEETS["stats"].get(lang))
    shead = [stat_label("clause", lang), "id", stat_label("heading", lang)]
    shead += [stat_label(s, lang) for s in STATUSES] + [stat_label("profiles", lang)]
    for j, h in enumerate(shead):
        st.write_string(0, j, h, bold)
    for i, c in enumerate(stats["clauses"], start=1):
        st.write_string(i, 0, c["clause"])
        st.write_string(i, 1, c["id"])
        st.write_string(i, 2, c["heading"])
        for j, s in enumerate(STATUSES, start=3):
            st.write_number(i, j, c[s])
        st.write_number(i, 3 + len(STATUSES), c["profiles"])
    n = len(stats["clauses"])
    for j, s in enumerate(STATUSES, start=3):
        if n:
            st.conditional_format(
                1, j, n, j, {"type": "data_bar", "bar_color": FILL[s], "data_bar_2010": False}
            )
    st.freeze_panes(1, 2)
    st.autofilter(0, 0, max(n, 1), len(shead) - 1)
    st.set_column(0, 1, 14)
    st.set_column(2, 2, 30)
    st.set_column(3, len(shead) - 1, 10)


def _rules_sheet(wb, bold, cat: Catalogue) -> None:
    """The clauses' texts and evidence."""
    lang = cat.lang
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    rt = wb.add_worksheet(SHEETS["rules"].get(lang))
    rhead = [
        RULE_HEAD[k].get(lang) for k in ("id", "equipment", "clause", "heading", "level", "text", "evidence")
    ]
    for j, h in enumerate(rhead):
        rt.write_string(0, j, h, bold)
    for i, c in enumerate(cat.clauses, start=1):
        cells = [
            c.id,
            cat.equipment.get(c.equipment, c.equipment),
            c.clause,
            c.heading,
            LEVEL[c.level].get(lang) if c.level in LEVEL else c.level,
            c.text,
            "\n".join(c.evidence),
        ]
        for j, v in enumerate(cells):
            rt.write_string(i, j, v, wrap)
    rt.freeze_panes(1, 1)
    rt.autofilter(0, 0, max(len(cat.clauses), 1), len(rhead) - 1)
    rt.set_column(0, 2, 14)
    rt.set_column(3, 3, 24)
    rt.set_column(4, 4, 8)
    rt.set_column(5, 6, 60)
