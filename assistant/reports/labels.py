"""Headings and small text helpers every report format shares (text, Markdown, HTML, the
checklist, the diff): labels in both languages, and escaping for a terminal and Markdown."""

from __future__ import annotations

import re

from ..core.text.i18n import STATUS, Words
from ..core.text.messages import word


def pick(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


# Headings shared by the text, Markdown and HTML renderers (strings/reports.toml).
LABELS = Words(
    {
        "title": "report.title",
        "institution": "report.institution",
        "equipment": "report.equipment",
        "ruleset": "report.ruleset",
        "edition": "report.edition",
        "date": "report.date",
        "profile": "report.profile",
        "tool": "report.tool",
        "overall": "report.overall",
        "summary": "report.summary",
        "clauses": "report.clauses",
        "clause": "report.clause",
        "id": "report.id",
        "heading": "report.heading",
        "status": "report.status",
        "reason": "report.reason",
        "text": "report.text",
        "shortfall": "report.shortfall",
        "advice": "report.advice",
        "waived_by": "report.waived_by",
        "persons": "report.persons",
        "people": "report.people",
        "checklist": "report.checklist",
        "no_name": "report.no_name",
        "level_advisory": "report.level_advisory",
        "set_aside": "report.set_aside",
        "set_aside_note": "report.set_aside_note",
    }
)


# The fonts every HTML output names, Chinese first: the free CJK fonts Linux distributions
# package (Noto / Source Han, WenQuanYi), then those macOS and Windows ship. A machine with
# none of them shows Chinese as empty boxes (README: "Chinese fonts" says what to install).
CJK_FONT_STACK = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC", "PingFang SC", "Hiragino Sans GB", '
    '"Microsoft YaHei", "WenQuanYi Micro Hei", "Droid Sans Fallback", SimSun, "Songti SC", '
    '"Helvetica Neue", Arial, "DejaVu Sans", sans-serif'
)


def colon(lang: str) -> str:
    """The colon after a label: full width in Chinese."""
    return word("punct.colon", lang)


def label(key: str, lang: str) -> str:
    return LABELS[key].get(lang)


def institution_name(report: dict, lang: str) -> str:
    return report["institution"] or label("no_name", lang)


def ruleset_line(report: dict, lang: str) -> str:
    rs = report["ruleset"]
    return f"{rs['title']} ({rs['id']}, {label('edition', lang)} {rs['edition']}, sha256 {rs['sha256'][:12]})"


def counts_line(report: dict, lang: str) -> str:
    c = report["counts"]
    parts = [
        f"{STATUS[s].get(lang)} {c.get(s, 0)}"
        for s in ("met", "not_met", "exempt", "not_applicable", "unknown")
    ]
    return word("punct.comma", lang).join(parts)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def plain(text: str) -> str:
    """Text safe for a terminal: control characters (ESC ...) shown as U+FFFD. Profiles
    cannot contain them, but a custom ruleset's texts are data from outside too."""
    return _CONTROL.sub("\ufffd", text)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#!~&])")


def md(s: str) -> str:
    """Escape text for Markdown so it shows literally: markup characters get a backslash,
    line breaks become spaces (every dynamic string sits inside a line or a table cell)."""
    return _MD_SPECIAL.sub(r"\\\1", plain(s)).replace("\n", " ").replace("\r", " ")
