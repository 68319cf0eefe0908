"""The free-text answer box docked below the conversation."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Input


class AnswerInput(Input):
    """The free-text answer. Up and down move into the choice list when one is shown."""

    BINDINGS = [Binding("up", "to_list(-1)", show=False), Binding("down", "to_list(1)", show=False)]

    def action_to_list(self, direction: int) -> None:
        self.screen.focus_choices(direction)  # type: ignore[attr-defined]
