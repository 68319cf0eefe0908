"""The side panel's list of every clause with its live status."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...core.evaluate.results import RuleResult
from .choices import FittedTitle
from .status import SHORT_STATUS, needs_short_ids, rule_name, status_label


class ClauseList(FittedTitle, OptionList):
    """Every clause with its live status; Enter or a click opens it. Only the lines whose
    status changed are redrawn: after an answer most of them did not. Names are fitted to
    the list's width (``rule_name``), and fitted again when it changes."""

    def show(self, results: Any, lang: str) -> None:
        self.results, self.lang = results, lang
        width = max(cell_len(SHORT_STATUS[s].get(lang)) for s in SHORT_STATUS)
        shown = {self.get_option_at_index(i).id: i for i in range(self.option_count)}
        if list(shown) != [r.rule.id for r in results] or self.shown_room != self.room():
            self.shown_room = self.room()
            room = None if self.shown_room is None else self.shown_room - width - 1
            self.short_ids = lang != "zh" and needs_short_ids([r.rule for r in results], room)
            highlighted = self.highlighted
            self.clear_options()
            self.add_options([Option(self.line(r, lang, width), id=r.rule.id) for r in results])
            self.highlighted = highlighted
            self.statuses = {r.rule.id: r.status for r in results}
            return
        for r in results:
            if self.statuses.get(r.rule.id) != r.status:
                self.statuses[r.rule.id] = r.status
                self.replace_option_prompt(r.rule.id, self.line(r, lang, width))

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.statuses: dict[str, str] = {}
        self.results: Any = None
        self.lang = "zh"
        self.shown_room: int | None = None

    def room(self) -> int | None:
        """Cells for a clause's name: the list's inner width, less the status and scrollbar."""
        width = self.size.width - 1  # ``size`` is inside the frame; a scrollbar may take one
        return None if width <= 0 else width

    def on_resize(self, event: events.Resize) -> None:
        self.fit_title()
        if self.results is not None and self.shown_room != self.room():
            self.show(self.results, self.lang)

    short_ids = False

    def line(self, r: RuleResult, lang: str, width: int) -> Text:
        room = None if self.shown_room is None else self.shown_room - width - 1
        name = rule_name(r.rule, lang, room, self.short_ids)
        return Text.assemble(status_label(r.status, lang, width, short=True), " ", name)
