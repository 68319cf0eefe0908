"""The one input rule of the chat and of every dialog that takes an answer.

Written here once, for the chat, the edit dialog, the review, the roster and save-as:

- printable keys and spaces always go into the screen's answer box (``AnswerInput``), whatever
  has focus: the lists beside it never take focus, and a key that reaches the screen from
  another widget (the clause list, after Tab) is put into the box (``Answering.on_key``);
- Enter submits the box's text when it is not empty;
- a list row is chosen only by Enter on a highlighted row while the box is empty, by a click,
  or by typing its number or name (the screen reads the typed text with the same parser as the
  line mode);
- Up and Down move the list's highlight from the box; Space ticks the highlighted row of a
  several-answers list while the box is empty (once something is typed, Space is a space);
- a list's highlight is reset whenever its rows change (``ChoiceList.set_rows``).

A screen takes part by mixing in ``Answering`` and composing one ``AnswerInput``; it reads what
was typed in its ``Input.Submitted`` handler and what was chosen in its list's messages.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import events
from textual.actions import SkipAction
from textual.binding import Binding
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input

from .choices import ChoiceList, SetList
from .status import fitted


class AnswerInput(Input):
    """The answer box. With ``once`` (the chat), Enter submits what is in the box once: until
    the screen has shown what follows (the next question, or why the answer was refused)
    another Enter does nothing, and whatever was typed meanwhile is cleared (``ready``), so
    keys typed for one question never answer the next."""

    # Input sets its virtual size whenever its text changes width (typing, and clearing after
    # Enter); Widget declares it with layout=True, which lays out the whole screen, the long
    # conversation included, twice per answer. The box's own size never depends on it.
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    waiting = False  # True from Enter (or a new question) until the screen shows what follows

    def __init__(self, *args: Any, once: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("select_on_focus", False)
        super().__init__(*args, **kwargs)
        self.once = once

    placeholders: tuple[str, ...] = ()

    def set_placeholders(self, *variants: str) -> None:
        """The hint shown in the empty box, in several wordings, longest first: the longest
        that fits is shown, chosen again when the box is resized."""
        self.placeholders = variants
        self.fit_placeholder()

    def fit_placeholder(self) -> None:
        if self.placeholders:
            width = self.size.width - 1 if self.size.width else 10_000  # the cursor after it
            self.placeholder = fitted(list(self.placeholders), width)

    def on_resize(self, event: events.Resize) -> None:
        self.fit_placeholder()

    def answer_list(self) -> ChoiceList | None:
        find = getattr(self.screen, "answer_list", None)
        return find() if find is not None else None

    _keymap: ClassVar[dict[str, str] | None] = None

    @classmethod
    def keymap(cls) -> dict[str, str]:
        """Input's own keys (Backspace, Delete, arrows, Ctrl+U ...) and their actions."""
        if cls._keymap is None:
            out: dict[str, str] = {}
            for binding in Binding.make_bindings(Input.BINDINGS):
                out.setdefault(binding.key, binding.action)
            cls._keymap = out
        return cls._keymap

    async def on_key(self, event: events.Key) -> None:
        # Every key is taken here, in the order it was typed among the characters. As
        # bindings, Enter, Backspace, the arrows and Ctrl+U would run only after every key
        # already queued had reached the box: "3⏎10⏎" typed fast submitted "310" to the
        # first question, and "1 0 ⌫ 2" left "10" in the box, not "12".
        key = event.key
        if key == "enter":
            event.stop()
            event.prevent_default()
            await self.enter()
            return
        lst = self.answer_list()
        if await self.list_key(event, lst):
            return
        action = self.keymap().get(key)
        if action is not None:
            # Not handled (SkipAction: Delete in an empty box): on to the screen's bindings.
            if await self.app.run_action(action, self):
                event.stop()
                event.prevent_default()

    async def list_key(self, event: events.Key, lst: ChoiceList | None) -> bool:
        """Up, Down, Page Up / Down and Space (in an empty box) for the list; True if taken."""
        key = event.key
        if lst is None:
            return False
        empty = not self.value.strip()
        if key == "space" and empty and isinstance(lst, SetList) and lst.highlighted is not None:
            lst.tick()
        elif key in ("up", "down"):
            lst.move(-1 if key == "up" else 1)
        elif key in ("pageup", "pagedown") and lst.max_scroll_y > 0:
            lst.action_page_up() if key == "pageup" else lst.action_page_down()
        else:
            return False
        event.stop()
        event.prevent_default()
        return True

    async def enter(self) -> None:
        if self.once and self.waiting:
            return
        lst = self.answer_list()
        if not self.value.strip() and lst is not None and lst.can_choose():
            self.waiting = self.once
            self.value = ""
            lst.choose()
            return
        await self.action_submit()

    async def action_submit(self) -> None:
        if self.once and self.waiting:
            return
        self.waiting = self.once
        lst = self.answer_list()
        if isinstance(lst, SetList) and lst.ticked and self.value.strip():
            # Ticked rows and typed text together: both are the answer, read as one line.
            self.value = f"{lst.ticked_numbers()} {self.value.strip()}"
        await super().action_submit()

    def action_delete_right(self) -> None:
        # Delete in an empty box belongs to the screen (the roster removes the highlighted
        # person with it).
        if not self.value:
            raise SkipAction()
        super().action_delete_right()

    def ready(self) -> None:
        self.value = ""
        self.waiting = False


# Keys that edit or submit the box's text (Input's own bindings, and Enter).
BOX_KEYS = {"enter", "backspace", "delete", "left", "right", "home", "end", "up", "down"} | {
    f"ctrl+{c}" for c in "aeudkwx"
}


class Answering:
    """Mixed into every screen with an answer box: where its list is, and typing that reached
    the screen from another widget goes into the box."""

    query_one: Any
    query: Any
    focused: Any

    def answer_box(self) -> AnswerInput:
        return self.query_one(AnswerInput)

    def answer_list(self) -> ChoiceList | None:
        """The list shown with the box, if any (the chat overrides this with a cached lookup)."""
        for lst in self.query(ChoiceList):
            if lst.display:
                return lst
        return None

    def type_into_input(self, text: str) -> None:
        box = self.answer_box()
        if self.focused is not box:
            # At once, not on the next turn of the loop (as ``focus()`` does): the keys
            # typed after this one must go to the box, in order.
            self.set_focus(box)  # type: ignore[attr-defined]
        box.insert_text_at_cursor(text)

    def on_key(self, event: events.Key) -> None:
        if isinstance(self.focused, Input):
            return
        if event.is_printable and event.character:
            event.stop()
            event.prevent_default()
            self.type_into_input(event.character)
        elif self.focused is None and event.key in BOX_KEYS:
            # Nothing has focus yet (a dialog that is just opening): the key is for its box,
            # and must reach it in turn with the keys typed after it.
            event.stop()
            event.prevent_default()
            box = self.answer_box()
            self.set_focus(box)  # type: ignore[attr-defined]
            box.post_message(events.Key(event.key, event.character))

    def on_paste(self, event: events.Paste) -> None:
        if not isinstance(self.focused, Input):
            event.stop()
            self.type_into_input(event.text)
