"""The free-text answer box docked below the conversation."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input


class AnswerInput(Input):
    """The answer. Up and down move into the choice list when one is shown.

    Enter submits what is in the box, once: until the screen has shown what follows (the
    next question, or why the answer was refused) another Enter does nothing, and whatever
    was typed meanwhile is cleared (``ready``). Keys typed for one question never answer the
    next, and each question starts with an empty box."""

    BINDINGS = [Binding("up", "to_list(-1)", show=False), Binding("down", "to_list(1)", show=False)]

    # Input sets its virtual size whenever its text changes width (typing, and clearing after
    # Enter); Widget declares it with layout=True, which lays out the whole screen, the long
    # conversation included, twice per answer. The box's own size never depends on it.
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    waiting = False  # True from Enter (or a new question) until the screen shows what follows

    async def on_key(self, event: events.Key) -> None:
        # Enter is taken here, in the order it was typed among the characters. As a binding it
        # would run only after every key already queued had reached the box, and "3⏎10⏎"
        # typed fast would submit "310" to the first question.
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            await self.action_submit()

    async def action_submit(self) -> None:
        if self.waiting:
            return
        self.waiting = True
        await super().action_submit()

    def ready(self) -> None:
        self.value = ""
        self.waiting = False

    def action_to_list(self, direction: int) -> None:
        self.screen.focus_choices(direction)  # type: ignore[attr-defined]
