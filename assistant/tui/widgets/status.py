"""How a verdict looks: one colour per status, short labels for narrow columns, a rule's name
in each language, and text clipped to a number of terminal cells."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.text import Text

from ...core.i18n import OVERALL, STATUS, Msg

STATUS_STYLE = {
    "met": "green",
    "not_met": "bold red",
    "exempt": "cyan",
    "not_applicable": "dim",
    "unknown": "yellow",
}
OVERALL_STYLE = {"compliant": "bold green", "not_compliant": "bold red", "incomplete": "bold yellow"}


SHORT_STATUS = {**STATUS, "not_applicable": Msg("不适用", "n/a")}


def status_label(status: str, lang: str, width: int | None = None, short: bool = False) -> Text:
    label = (SHORT_STATUS if short else STATUS)[status].get(lang)
    if width is not None:
        label += " " * max(0, width - cell_len(label))
    return Text(label, style=STATUS_STYLE[status])


def rule_name(rule: Any, lang: str) -> str:
    """（二）3 in Chinese; the rule id in English, where the Chinese numbering reads badly."""
    return f"{rule.clause} {rule.heading.zh}" if lang == "zh" else f"{rule.id} {rule.heading.en}"


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

    tally = Text(
        f"{t(lang, 'tally_title')}：" if lang == "zh" else f"{t(lang, 'tally_title')}: ", style="bold"
    )
    tally.append(OVERALL[ev.status].get(lang), style=OVERALL_STYLE[ev.status])
    for i, s in enumerate(("met", "not_met", "exempt", "unknown", "not_applicable")):
        tally.append("\n" if i in (0, 2) else "  ")
        tally.append(f"{SHORT_STATUS[s].get(lang)} {ev.counts.get(s, 0)}", style=STATUS_STYLE[s])
    return tally
