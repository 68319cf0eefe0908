"""Where to save the profile: Enter saves there, Esc cancels."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from ..strings import t
from ..widgets.answer_input import Answering, AnswerInput
from .dialog import DismissOnce


class SaveScreen(DismissOnce, Answering, ModalScreen[str | None]):
    """Ask where to save the profile; Enter saves there, Esc cancels."""

    BINDINGS = [Binding("escape", "cancel", "b_cancel")]

    def __init__(self, default: str, lang: str) -> None:
        super().__init__()
        self.default = default
        self.lang = lang

    def compose(self) -> ComposeResult:
        with Vertical(id="save-dialog") as box:
            box.border_title = escape(t(self.lang, "save_title"))
            yield Label(Text(t(self.lang, "save_label")))
            yield AnswerInput(value=self.default, id="save-path")

    def on_mount(self) -> None:
        box = self.answer_box()
        box.focus()
        box.cursor_position = len(box.value)  # at once: keys may already be on their way
        # The cursor after the suggested path (to change its end, or clear it), once the box
        # has its width and can scroll to it.
        self.call_after_refresh(self.cursor_to_end)

    def cursor_to_end(self) -> None:
        box = self.answer_box()
        box.action_home()  # (already at the end, the box would not scroll to it)
        box.action_end()

    @on(Input.Submitted, "#save-path")
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
