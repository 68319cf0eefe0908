"""One rule on the report screen: status, clause, heading, reason, shortfall and advice."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ...core.text.i18n import LEVEL
from ..strings import colon, t
from ..wrap import Wrapped
from .status import not_said, status_label


class RuleCard(Static):
    """One rule on the report screen."""

    def __init__(self, item: dict, lang: str) -> None:
        self.status = item["status"]
        self.rule = item["id"]
        self.title = f"{item['clause']} {item['heading']}"
        self.text = self.render_item(item, lang)
        super().__init__(Wrapped(self.text), markup=False, classes=f"card -{self.status}")

    @staticmethod
    def render_item(r: dict, lang: str) -> Text:
        out = Text()
        out.append_text(status_label(r["status"], lang))
        out.append(f"  {r['clause']}  {r['id']}  {r['heading']}", style="bold")
        if r["level"] != "required":
            out.append(f"  [{LEVEL['advisory'].get(lang)}]", style="dim")
        out.append("\n" + r["reason"])
        for s in not_said(r["reason"], r["shortfall"]):
            out.append(f"\n  {t(lang, 'shortfall')}{colon(lang)}{s}", style="red")
        for a in not_said(r["reason"], r["advice"]):
            out.append(f"\n  {a}", style="italic")
        if r.get("differs"):  # a variant's clause: both texts, as every report shows them
            from ...core.rules.variant import difference_lines

            for line in difference_lines(r["differs"], lang, "  "):
                out.append("\n" + line, style="yellow")
        return out
