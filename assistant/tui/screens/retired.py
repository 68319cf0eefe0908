"""The profile holds answers to retired facts (read by no rule): remove them from the file?

The chat's side of the line mode's ``[retired]>`` prompt. A yes/no question in the one answer
box every dialog uses: 是/否, yes/no, 1/2 (full-width too) typed and read by the answer
parser, or the list's row chosen. Escape keeps the answers, as "no" does."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static

from ...core.profile.answers import AnswerError, hint, parse
from ...interview.engine import add_fact, choice_list
from ..strings import t
from ..widgets.answer_input import Answering, AnswerInput
from ..widgets.choices import ChoiceList
from ..widgets.keybar import KeyBar
from .dialog import DismissOnce


class RetiredScreen(DismissOnce, Answering, ModalScreen[bool]):
    """Dismisses with True (remove them) or False (keep them)."""

    BINDINGS = [Binding("escape", "keep", "b_keep")]

    def __init__(self, keys: list[str], lang: str) -> None:
        super().__init__()
        self.keys = keys
        self.lang = lang

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical(id="retired-dialog") as box:
            box.border_title = escape(t(lang, "retired_title"))
            yield Static(Text(t(lang, "retired_ask"), style="bold"), markup=False)
            yield Static(Text("\n".join(self.keys), style="dim"), markup=False)
            yield Static(Text(t(lang, "edit_hint", hint=hint(add_fact(), lang)), style="dim"), markup=False)
            lst = ChoiceList(id="retired-choices")
            lst.set_choices([(c.key, c.label(lang)) for c in choice_list(add_fact())])
            yield lst
            yield AnswerInput(id="retired-input", placeholder=t(lang, "retired_placeholder"))
            yield Static(id="retired-error", markup=False)
            yield KeyBar(self)

    def on_mount(self) -> None:
        self.answer_box().focus()

    @on(OptionList.OptionSelected, "#retired-choices")
    def picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id == "yes")

    @on(Input.Submitted, "#retired-input")
    def typed(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            value = parse(event.value, add_fact())
        except AnswerError as e:
            # Said, and asked again: an unreadable line is neither yes nor no.
            self.query_one("#retired-error", Static).update(Text("✗ " + e.msg.get(self.lang), style="red"))
            return
        self.dismiss(value is True)

    def action_keep(self) -> None:
        self.dismiss(False)
