"""The side panel's list of every clause with its live status."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...core.results import RuleResult
from .status import SHORT_STATUS, rule_name, status_label


class ClauseList(OptionList):
    """Every clause with its live status; Enter or a click opens it. Only the lines whose
    status changed are redrawn: after an answer most of them did not."""

    def show(self, results: Any, lang: str) -> None:
        width = max(cell_len(SHORT_STATUS[s].get(lang)) for s in SHORT_STATUS)
        shown = {self.get_option_at_index(i).id: i for i in range(self.option_count)}
        if list(shown) != [r.rule.id for r in results]:
            self.clear_options()
            self.add_options([Option(self.line(r, lang, width), id=r.rule.id) for r in results])
            self.statuses = {r.rule.id: r.status for r in results}
            return
        for r in results:
            if self.statuses.get(r.rule.id) != r.status:
                self.statuses[r.rule.id] = r.status
                self.replace_option_prompt(r.rule.id, self.line(r, lang, width))

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.statuses: dict[str, str] = {}

    @staticmethod
    def line(r: RuleResult, lang: str, width: int) -> Text:
        return Text.assemble(status_label(r.status, lang, width, short=True), " ", rule_name(r.rule, lang))
