"""The lists below a choice, yes/no or several-answers question. Typing there still reaches the
answer input, so a person never has to reach for the mouse."""

from __future__ import annotations

import unicodedata

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input, OptionList, SelectionList
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection


class ChoiceList(OptionList):
    """Options of a choice or yes/no question. Number keys pick at once; any other printable
    key moves to the input, so typing an answer still works while the list has focus."""

    shown: list | None = None

    def set_choices(self, items: list[tuple[str, str]], disabled: set[str] | None = None) -> None:
        disabled = disabled or set()
        if self.shown == [items, disabled]:  # yes/no after yes/no: nothing to redraw
            self.highlighted = next((i for i, (key, _) in enumerate(items) if key not in disabled), None)
            return
        self.shown = [items, disabled]
        self.clear_options()
        self.add_options(
            [
                Option(Text(f"{i}. {label}"), id=key, disabled=key in disabled)
                for i, (key, label) in enumerate(items, 1)
            ]
        )
        self.highlighted = next((i for i, (key, _) in enumerate(items) if key not in disabled), None)

    def _digit(self, character: str | None) -> int | None:
        if not character:
            return None
        ch = unicodedata.normalize("NFKC", character)
        if len(ch) == 1 and ch in "123456789" and self.option_count <= 9:
            return int(ch)
        return None

    forwarding = False  # typing has begun to move to the input; focus follows shortly

    def on_focus(self) -> None:
        self.forwarding = False

    def on_key(self, event: events.Key) -> None:
        if self.forwarding and event.is_printable and event.character:
            # Keys typed in a burst (an input method commits several at once) arrive
            # before focus has moved: they belong to the input too.
            forward_typing(self, event, event.character)
            return
        n = self._digit(event.character)
        if n is not None:
            event.stop()
            event.prevent_default()
            if n <= self.option_count and not self.get_option_at_index(n - 1).disabled:
                self.highlighted = n - 1
                self.action_select()
            return
        if event.is_printable and event.character and event.character != " ":
            forward_typing(self, event, event.character)

    def on_paste(self, event: events.Paste) -> None:
        event.stop()
        self.screen.type_into_input(event.text)  # type: ignore[attr-defined]


def forward_typing(widget: ChoiceList | SetList, event: events.Key, text: str) -> None:
    """Send typing that arrived at a choice list on to the answer input."""
    event.stop()
    event.prevent_default()
    widget.forwarding = True
    widget.screen.type_into_input(text)  # type: ignore[attr-defined]


class SetList(SelectionList[str]):
    """Options of a several-answers question: Space or a number key ticks, Enter confirms."""

    BINDINGS = [Binding("enter", "confirm", show=False)]

    class Confirmed(Message):
        def __init__(self, selection_list: SetList, values: list[str]) -> None:
            super().__init__()
            self.selection_list = selection_list
            self.values = values

        @property
        def control(self) -> SetList:
            return self.selection_list

    def set_choices(self, items: list[tuple[str, str]]) -> None:
        self.clear_options()
        self.add_options(
            [Selection(Text(f"{i}. {label}"), key, False) for i, (key, label) in enumerate(items, 1)]
        )
        self.highlighted = 0 if items else None

    def action_confirm(self) -> None:
        self.post_message(self.Confirmed(self, list(self.selected)))

    forwarding = False  # typing has begun to move to the input; focus follows shortly

    def on_focus(self) -> None:
        self.forwarding = False

    def on_key(self, event: events.Key) -> None:
        if self.forwarding and event.is_printable and event.character:
            forward_typing(self, event, event.character)
            return
        ch = unicodedata.normalize("NFKC", event.character or "")
        if len(ch) == 1 and ch in "123456789" and self.option_count <= 9:
            event.stop()
            event.prevent_default()
            n = int(ch)
            if n <= self.option_count:
                self.highlighted = n - 1
                self.toggle(self.get_option_at_index(n - 1).value)
            return
        if event.is_printable and event.character and event.character != " ":
            forward_typing(self, event, self.ticked_as_text(event.character) + event.character)

    def ticked_as_text(self, separator: str) -> str:
        """Someone typing "1、3" ticks option 1 with the first key; when the separator
        follows and typing moves to the input, the ticked numbers go with it."""
        if separator not in ",，、;； " or self.screen.query_one("#answer", Input).value:
            return ""
        ticked = [
            str(i + 1) for i in range(self.option_count) if self.get_option_at_index(i).value in self.selected
        ]
        return separator.join(ticked)

    def on_paste(self, event: events.Paste) -> None:
        event.stop()
        self.screen.type_into_input(event.text)  # type: ignore[attr-defined]
