"""The lists below a choice, yes/no or several-answers question.

Nothing in a list answers by itself: an option is chosen by Enter on the highlighted option or
a click on it, and no option is highlighted until the person moves into the list. Every
printable key typed while a list has focus, digits included, goes on to the answer box, where
it is answered or refused as a whole on Enter (a digit that picked at once used to let ``10``
answer two questions).
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.containers import Vertical
from textual.geometry import Size
from textual.message import Message
from textual.widget import Widget
from textual.widgets import OptionList
from textual.widgets.option_list import Option

LIST_ROWS = 12  # the most rows a list takes, border included; longer lists scroll


class Conversation(Vertical):
    """The chat with the list of the question asked laid over its bottom rows.

    The lists are on a layer of their own, docked to the bottom, so that a list appearing,
    going or changing length never changes the chat's size: with a long conversation, a
    chat that changed size took a layout and a second frame (the scroll to the end is worked
    out against the old size) before the next question showed. The chat makes room for the
    list with ``ListRoom``, its last child, as tall as the list."""

    def on_resize(self, event: events.Resize) -> None:
        self.fit()

    _room: ListRoom | None = None

    def fit(self) -> None:
        """Size the list shown and the room under the last turn to the list's content."""
        rows = 0
        for lst in self.children:  # not a query: that would walk every turn in the chat
            if isinstance(lst, ChoiceList) and lst.display:
                rows = list_rows(lst, self.size)
                lst.styles.height = rows
        if self._room is None:
            self._room = self.query_one(ListRoom)
        self._room.styles.height = rows


class ListRoom(Widget):
    """Blank rows after the last turn, under the list laid over the chat."""

    DEFAULT_CSS = "ListRoom { height: 0; }"


def list_rows(lst: OptionList, area: Size) -> int:
    """Rows ``lst`` takes across ``area`` (its options wrapped, border included), at most
    ``LIST_ROWS`` and two thirds of the area's height."""
    most = max(4, min(LIST_ROWS, area.height * 2 // 3))
    gutter = lst.styles.gutter
    inner = area.width - gutter.width
    if inner <= 0:
        return most
    return min(most, lst.get_content_height(area, area, inner) + gutter.height)


def forward_typing(widget: OptionList, event: events.Key) -> None:
    """Send typing that arrived at a list on to the answer input."""
    event.stop()
    event.prevent_default()
    widget.screen.type_into_input(event.character or "")  # type: ignore[attr-defined]


class ChoiceList(OptionList):
    """Options of a choice or yes/no question, as shown: with the number that picks each
    when typed, or none (yes/no, where a number is no answer). The highlighted option is
    marked ``>`` as text, not by colour alone."""

    shown: list | None = None
    labels: list[str] = []

    def set_choices(self, items: list[tuple[str, str]], disabled: set[str] | None = None) -> None:
        """``items`` are (key, text shown); nothing is highlighted, so Enter picks nothing."""
        disabled = disabled or set()
        self.highlighted = None
        if self.shown != [items, disabled]:  # yes/no after yes/no: nothing to redraw
            self.shown = [items, disabled]
            self.labels = [label for _, label in items]
            self.clear_options()
            self.add_options(
                [
                    Option(self.prompt_at(i), id=key, disabled=key in disabled)
                    for i, (key, _) in enumerate(items)
                ]
            )

    def prompt_at(self, index: int) -> Text:
        return Text(("> " if index == self.highlighted else "  ") + self.labels[index])

    def watch_highlighted(self, old: int | None, new: int | None) -> None:
        super().watch_highlighted(new)
        for i in {old, new} - {None}:
            if i < min(self.option_count, len(self.labels)):  # type: ignore[operator]
                self.replace_option_prompt_at_index(i, self.prompt_at(i))  # type: ignore[arg-type]

    def enter_from_input(self, direction: int) -> None:
        """Up or Down in the answer box: into the list, at its last or first option."""
        self.focus()
        if self.highlighted is None:
            self.action_last() if direction < 0 else self.action_first()
        elif direction < 0:
            self.action_cursor_up()
        else:
            self.action_cursor_down()

    keeps = ""  # printable keys the list acts on itself instead of passing on

    def on_key(self, event: events.Key) -> None:
        if event.is_printable and event.character and event.character not in self.keeps:
            forward_typing(self, event)

    def on_paste(self, event: events.Paste) -> None:
        event.stop()
        self.screen.type_into_input(event.text)  # type: ignore[attr-defined]


class SetList(ChoiceList):
    """Options of a several-answers question, each shown ticked ``[x]`` or not ``[ ]`` (as
    text, not by colour alone). Space or a click ticks the highlighted option; Enter confirms
    what is ticked."""

    BINDINGS = [Binding("enter", "confirm", show=False), Binding("space", "tick", show=False)]

    class Confirmed(Message):
        def __init__(self, selection_list: SetList, values: list[str]) -> None:
            super().__init__()
            self.selection_list = selection_list
            self.values = values

        @property
        def control(self) -> SetList:
            return self.selection_list

    items: list[tuple[str, str]] = []
    ticked: set[str] = set()
    keeps = " "  # Space ticks

    def set_choices(self, items: list[tuple[str, str]], disabled: set[str] | None = None) -> None:
        self.items, self.ticked, self.shown = list(items), set(), None
        super().set_choices(items, disabled)

    def prompt_at(self, index: int) -> Text:
        key, label = self.items[index]
        pointer = "> " if index == self.highlighted else "  "
        return Text(pointer + ("[x] " if key in self.ticked else "[ ] ") + label)

    @property
    def selected(self) -> list[str]:
        return [key for key, _ in self.items if key in self.ticked]

    def toggle_at(self, index: int) -> None:
        self.ticked ^= {self.items[index][0]}
        self.replace_option_prompt_at_index(index, self.prompt_at(index))

    def action_tick(self) -> None:
        if self.highlighted is not None:
            self.toggle_at(self.highlighted)

    def action_confirm(self) -> None:
        self.post_message(self.Confirmed(self, self.selected))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        # A click on an option ticks it (Enter is bound to confirm, so only a click gets here).
        event.stop()
        self.toggle_at(event.option_index)
