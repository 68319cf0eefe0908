"""How a verdict looks: one colour per status, short labels for narrow columns, a rule's name
in each language, and text clipped to a number of terminal cells."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.text import Text

from ...core.text.i18n import OVERALL, STATUS, Words
from ...core.text.messages import tr

STATUS_STYLE = {
    "met": "green",
    "not_met": "bold red",
    "exempt": "cyan",
    "not_applicable": "dim",
    "unknown": "yellow",
}
OVERALL_STYLE = {"compliant": "bold green", "not_compliant": "bold red", "incomplete": "bold yellow"}


SHORT_STATUS = Words(
    {
        **{k: f"status.{k}" for k in ("met", "not_met", "exempt", "unknown")},
        "not_applicable": "tui.status.short_na",
    }
)


def not_said(reason: str, lines: list[str]) -> list[str]:
    """The lines of a shortfall (or advice) that the reason does not already say: a verdict's
    reason often is its shortfall, or holds it after the facts that made the clause apply
    ("新建医疗机构：是；X" and "X"), and a screen shows each thing once."""
    return [line for line in lines if line and line not in reason]


def status_label(status: str, lang: str, width: int | None = None, short: bool = False) -> Text:
    label = (SHORT_STATUS if short else STATUS)[status].get(lang)
    if width is not None:
        label += " " * max(0, width - cell_len(label))
    return Text(label, style=STATUS_STYLE[status])


def rule_name(rule: Any, lang: str, room: int | None = None, short_id: bool = False) -> str:
    """（二）3 in Chinese; the rule id in English, where the Chinese numbering reads badly
    (``short_id``: without its equipment, ``pet_ct/2.1`` → ``2.1``, when the title bar names
    it). Then the heading. Within ``room`` cells, when given, it is abbreviated, never cut in
    the middle of a word: the heading whole, or its last or first part
    (``医疗机构基本要求·放射治疗科`` → ``放射治疗科``), or in English its first words and
    ``…``; else the number alone."""
    heading = rule.heading.zh if lang == "zh" else rule.heading.en
    head = rule.clause if lang == "zh" else rule.id.rpartition("/")[2] if short_id else rule.id
    if room is None:
        return f"{head} {heading}"
    parts = [p.strip() for p in heading.split("·")]
    for candidate in (heading, parts[-1], parts[0]):
        if cell_len(f"{head} {candidate}") <= room:
            return f"{head} {candidate}"
    if lang != "zh":
        words = parts[0].split()
        while words and cell_len(f"{head} {' '.join(words)}…") > room:
            words.pop()
        if words:
            return f"{head} {' '.join(words)}…"
    return head


def needs_short_ids(rules: Any, room: int | None) -> bool:
    """Whether the English clause list drops the equipment from its ids: when some rule's id
    and heading do not fit whole (then all rows do, alike)."""
    return room is not None and any(cell_len(f"{r.id} {r.heading.en}") > room for r in rules)


def fitted(variants: list[str], width: int) -> str:
    """The first of ``variants`` (longest first) that fits ``width`` cells, else the last."""
    for v in variants:
        if cell_len(v) <= width:
            return v
    return variants[-1]


def clip(text: str, width: int) -> str:
    """Shorten to ``width`` terminal cells (CJK characters take two), ending in an ellipsis."""
    if cell_len(text) <= width:
        return text
    out = ""
    for ch in text:
        if cell_len(out + ch) > width - 1:
            break
        out += ch
    return out + "…"


def tally_text(ev: Any, lang: str) -> Text:
    """The side panel's three lines: the overall verdict and the count of each status."""
    from ..strings import t

    tally = Text(tr("widgets.status.text", lang, t_lang_tally_title=t(lang, "tally_title")), style="bold")
    tally.append(OVERALL[ev.status].get(lang), style=OVERALL_STYLE[ev.status])
    for i, s in enumerate(("met", "not_met", "exempt", "unknown", "not_applicable")):
        tally.append("\n" if i in (0, 2) else "  ")
        tally.append(f"{SHORT_STATUS[s].get(lang)} {ev.counts.get(s, 0)}", style=STATUS_STYLE[s])
    return tally
