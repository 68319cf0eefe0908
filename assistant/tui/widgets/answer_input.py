"""The free-text answer box docked below the conversation."""

from __future__ import annotations

from textual.binding import Binding
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input


class AnswerInput(Input):
    """The free-text answer. Up and down move into the choice list when one is shown."""

    BINDINGS = [Binding("up", "to_list(-1)", show=False), Binding("down", "to_list(1)", show=False)]

    # Input sets its virtual size whenever its text changes width (typing, and clearing after
    # Enter); Widget declares it with layout=True, which lays out the whole screen, the long
    # conversation included, twice per answer. The box's own size never depends on it.
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    def action_to_list(self, direction: int) -> None:
        self.screen.focus_choices(direction)  # type: ignore[attr-defined]
