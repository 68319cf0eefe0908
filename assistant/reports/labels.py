"""Headings and small text helpers every report format shares (text, Markdown, HTML, the
checklist, the diff): labels in both languages, and escaping for a terminal and Markdown."""

from __future__ import annotations

import re

from ..core.text.i18n import STATUS, Msg


def pick(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


# Headings shared by the text, Markdown and HTML renderers.
LABELS = {
    "title": Msg("大型医用设备配置准入自评报告", "Large medical equipment: self-assessment report"),
    "institution": Msg("申请机构", "Institution"),
    "equipment": Msg("设备或技术", "Equipment"),
    "ruleset": Msg("规则集", "Ruleset"),
    "edition": Msg("版本", "edition"),
    "date": Msg("日期", "Date"),
    "profile": Msg("档案", "Profile"),
    "tool": Msg("工具", "Tool"),
    "overall": Msg("总体结论", "Overall"),
    "summary": Msg("结论摘要", "Summary"),
    "clauses": Msg("逐条结论", "Clause by clause"),
    "clause": Msg("条款", "Clause"),
    "id": Msg("编号", "Id"),
    "heading": Msg("标题", "Heading"),
    "status": Msg("结论", "Status"),
    "reason": Msg("说明", "Reason"),
    "text": Msg("条文", "Text"),
    "shortfall": Msg("差距", "Shortfall"),
    "advice": Msg("建议", "Advice"),
    "waived_by": Msg("豁免依据", "Waived by"),
    "persons": Msg("逐人结论", "Person by person"),
    "people": Msg("人员资格", "Staff qualification"),
    "checklist": Msg("证明材料清单", "Evidence checklist"),
    "no_name": Msg("（未填写机构名称）", "(institution name not given)"),
    "level_advisory": Msg("推荐性", "advisory"),
    "set_aside": Msg("保留未用的回答", "Kept, not used"),
    "set_aside_note": Msg(
        "这些回答因其他回答改动而暂时用不到，保留在档案中，不参与评估；把相关回答改回去即恢复使用。",
        "These answers were set aside when another answer changed: kept in the profile, not evaluated; "
        "they are used again when that answer is changed back.",
    ),
}


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
    return "：" if lang == "zh" else ": "


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
    return ("，" if lang == "zh" else ", ").join(parts)


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
