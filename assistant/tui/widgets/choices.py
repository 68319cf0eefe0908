"""The lists shown with an answer box: the options of a choice, yes/no or several-answers
question, and the rows of the review and roster dialogs.

A list never takes focus and never answers by itself: the answer box keeps every keystroke and
moves the list's highlight (see ``answer_input.py``, where the input rule is written down). No
row is highlighted until the person moves into the list, and the highlight is reset whenever the
rows change, so a highlight left over from a longer list can never point past a shorter one.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import events
from textual.containers import Vertical
from textual.geometry import Size
from textual.markup import escape
from textual.message import Message
from textual.widget import Widget
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...core.profile.answers import numbering
from ...interview.engine import Step, choice_list
from ..wrap import Wrapped
from .status import fitted

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


def option_items(step: Step, lang: str) -> list[tuple[str, str]]:
    """The rows of a question's list, as the chat and the edit dialog show them: yes and no
    without numbers (a number is no answer to yes or no); options with the number that picks
    each when typed, as the parser reads it (grades: 3 is 三级)."""
    fact = step.fact
    if fact.type == "bool":
        return [(c.key, c.label(lang)) for c in choice_list(fact)]
    return [(c.key, f"{n}. {c.label(lang)}") for n, c in numbering(fact, step.hints)]


class FittedTitle:
    """A border title given in several wordings, longest first; the longest that fits the
    widget's width is shown (a hint cut after 移动 helps nobody), chosen again on resize."""

    titles: list[str] = []
    size: Size
    outer_size: Size
    border_title: Any

    def set_titles(self, *variants: str) -> None:
        self.titles = list(variants)
        self.fit_title()

    def fit_title(self) -> None:
        if self.titles:
            # ``size`` is inside the frame; the title leaves a corner and a space each side.
            width = self.outer_size.width - 6 if self.size.width else 10_000
            self.border_title = escape(fitted(self.titles, width))

    def on_resize(self, event: events.Resize) -> None:
        self.fit_title()


Row = tuple["str | None", "str | Text", bool]  # (key, label, disabled); a key of None: a heading


class ChoiceList(FittedTitle, OptionList, can_focus=False):
    """Rows shown with the number or name that picks each when typed. The highlighted row is
    marked ``>`` as text, not by colour alone. Enter (from the answer box, while it is empty)
    or a click chooses a row: ``OptionList.OptionSelected``."""

    rows: list[Row] = []

    def set_rows(self, rows: list[Row]) -> None:
        """Show ``rows``; nothing is highlighted, so Enter picks nothing."""
        # The highlight goes first, while the old rows are still there to redraw.
        self.highlighted = None
        rows = [(key, label, disabled) for key, label, disabled in rows]
        if rows == self.rows:  # yes/no after yes/no: nothing to redraw
            return
        self.rows = rows
        self.set_options(
            [Option(self.prompt_at(i), id=key, disabled=dis) for i, (key, _, dis) in enumerate(rows)]
        )

    def set_choices(self, items: list[tuple[str, str]], disabled: set[str] | None = None) -> None:
        """``items`` are (key, text shown)."""
        disabled = disabled or set()
        self.set_rows([(key, label, key in disabled) for key, label in items])

    def prompt_at(self, index: int) -> Wrapped:
        """A row as shown, wrapped as the chat wraps (Chinese between characters)."""
        if not 0 <= index < len(self.rows):
            return Wrapped(Text())
        key, label, _ = self.rows[index]
        if key is None:  # a heading
            return Wrapped(label if isinstance(label, Text) else Text(label, style="bold underline"))
        out = Text("> " if index == self.highlighted else "  ")
        out.append_text(self.mark(index))
        label = label if isinstance(label, Text) else Text(label)
        # Wrapped lines start under the label's text: after the pointer, tick and number.
        number, dot, _ = label.plain.partition(". ")
        hang = len(out.plain) + (len(number) + 2 if dot and number.isdigit() else 0)
        out.append_text(label)
        return Wrapped(out, hang)

    def mark(self, index: int) -> Text:
        return Text()

    def redraw(self, index: int) -> None:
        if 0 <= index < min(self.option_count, len(self.rows)):
            self.replace_option_prompt_at_index(index, self.prompt_at(index))

    def watch_highlighted(self, old: int | None, new: int | None) -> None:
        super().watch_highlighted(new)
        self.set_class(new is not None, "-active")
        for i in {old, new} - {None}:
            self.redraw(i)  # type: ignore[arg-type]

    def move(self, direction: int) -> None:
        """Up or Down in the answer box: into the list at its last or first row, then on."""
        if self.highlighted is None:
            self.action_last() if direction < 0 else self.action_first()
        elif direction < 0:
            self.action_cursor_up()
        else:
            self.action_cursor_down()

    def highlighted_key(self) -> str | None:
        i = self.highlighted
        if i is None or not 0 <= i < min(self.option_count, len(self.rows)):
            return None
        key, _, disabled = self.rows[i]
        return None if disabled else key

    def can_choose(self) -> bool:
        return self.highlighted_key() is not None

    def choose(self) -> None:
        if self.can_choose():
            self.action_select()


class SetList(ChoiceList):
    """Options of a several-answers question, each shown ticked ``[x]`` or not ``[ ]`` (as
    text, not by colour alone). Space (in an empty answer box) or a click ticks the highlighted
    row; Enter confirms what is ticked, or the highlighted row when nothing is."""

    class Confirmed(Message):
        def __init__(self, selection_list: SetList, values: list[str]) -> None:
            super().__init__()
            self.selection_list = selection_list
            self.values = values

        @property
        def control(self) -> SetList:
            return self.selection_list

    ticked: set[str] = set()

    def set_rows(self, rows: list[Row]) -> None:
        self.ticked = set()
        self.rows = []  # always redrawn: the ticks went
        super().set_rows(rows)

    def mark(self, index: int) -> Text:
        key = self.rows[index][0]
        return Text("[x] " if key in self.ticked else "[ ] ")

    @property
    def selected(self) -> list[str]:
        return [key for key, _, _ in self.rows if key is not None and key in self.ticked]

    def ticked_numbers(self) -> str:
        """The ticked rows as typed: the number each row shows (``1 3``)."""
        out = []
        for key, label, _ in self.rows:
            if key in self.ticked:
                plain = label.plain if isinstance(label, Text) else label
                number, dot, _ = plain.partition(". ")
                out.append(number if dot and number.isdigit() else plain)
        return " ".join(out)

    def toggle_at(self, index: int) -> None:
        if 0 <= index < len(self.rows) and self.rows[index][0] is not None and not self.rows[index][2]:
            self.ticked = self.ticked ^ {self.rows[index][0]}  # a new set: never the class default
            self.redraw(index)

    def tick(self) -> None:
        if self.highlighted is not None:
            self.toggle_at(self.highlighted)

    def can_choose(self) -> bool:
        return bool(self.ticked) or super().can_choose()

    def choose(self) -> None:
        values = self.selected or [k for k in [self.highlighted_key()] if k is not None]
        if values:
            self.post_message(self.Confirmed(self, values))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        # A click on a row ticks it (Enter confirms, and never reaches here).
        event.stop()
        self.toggle_at(event.option_index)
