"""Every answer, by section, with the clauses it feeds and their status; choosing one changes it
in place (``EditScreen``). Answers an earlier change made irrelevant are listed as not used.

Also the dialog that changes one answer: a list for yes/no and choices, ticks for sets, a line
for numbers and text, parsed as the chat parses answers.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static

from ...core.profile.answers import hint, normalize
from ...core.text.messages import tr
from ...interview.engine import Interview, Step
from ...interview.review import ReviewItem, find, review, shown_value
from ..strings import t
from ..widgets.answer_input import Answering, AnswerInput
from ..widgets.choices import ChoiceList, Row, SetList, option_items
from ..widgets.keybar import KeyBar
from ..widgets.status import SHORT_STATUS, STATUS_STYLE
from .dialog import DismissOnce


def item_line(iv: Interview, it: ReviewItem, lang: str) -> Text:
    """``label: value`` then the clauses it feeds with their status (or "not used")."""
    line = Text()
    if it.person:
        line.append(f"{it.person} · ", style="bold")
    line.append(it.question.fact.label.get(lang))
    line.append(tr("screens.review.text", lang))
    line.append(shown_value(it, lang), style="bold")
    if not it.used:
        line.append(f"  [{t(lang, 'review_unused')}]", style="dim italic")
        line.stylize("dim")
        return line
    rows = iv.feeds(it.question.key)
    if rows:
        line.append(f"  {t(lang, 'review_feeds')} ", style="dim")
        for i, r in enumerate(rows[:4]):
            if i:
                line.append(" ")
            line.append(r["id"], style="dim")
            line.append(f" {SHORT_STATUS[r['status']].get(lang)}", style=STATUS_STYLE[r["status"]])
        if len(rows) > 4:
            line.append(f" +{len(rows) - 4}", style="dim")
    return line


class ReviewScreen(DismissOnce, Answering, ModalScreen[str | None]):
    """Pick an answer to change; dismisses with its flat key (None: nothing picked). An answer
    is picked by its number or a unique part of its label or key typed in the box (as
    ``修改 KEY`` in the chat), or by Enter on the highlighted row (the box empty), or a click."""

    BINDINGS = [Binding("escape", "cancel", "b_close")]

    def __init__(self, iv: Interview, lang: str, only: list[str] | None = None) -> None:
        super().__init__()
        self.iv = iv
        self.lang = lang
        self.all_items = [it for it in review(iv) if only is None or it.key in only]
        self.items = self.all_items

    def rows(self) -> list[Row]:
        lang = self.lang
        rows: list[Row] = []
        section = None
        for n, it in enumerate(self.items, 1):
            sec = it.question.section.get(lang)
            if sec != section:
                rows.append((None, Text(sec, style="bold underline"), True))
                section = sec
            rows.append((it.key, Text(f"{n}. ").append_text(item_line(self.iv, it, lang)), False))
        return rows

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical(id="review-dialog") as box:
            box.border_title = escape(t(lang, "review_title"))
            if not self.items:
                yield Static(Text(t(lang, "review_none")), markup=False)
            self.options = ChoiceList(id="review-list")
            self.options.set_rows(self.rows())
            yield self.options
            yield Static(id="review-note", markup=False)
            yield AnswerInput(id="review-input", placeholder=t(lang, "review_placeholder"))
            yield KeyBar(self)

    def on_mount(self) -> None:
        self.answer_box().focus()

    def note(self, text: str, error: bool = False) -> None:
        self.query_one("#review-note", Static).update(Text(text, style="red" if error else "dim"))

    @on(Input.Submitted, "#review-input")
    def typed(self, event: Input.Submitted) -> None:
        event.stop()
        text = normalize(event.value)
        if not text:
            self.note(t(self.lang, "review_how"))
            return
        if text.isdigit():
            n = int(text)
            if 1 <= n <= len(self.items):
                self.dismiss(self.items[n - 1].key)
            else:
                self.note(t(self.lang, "review_no_number", n=n, most=len(self.items)), error=True)
            return
        shown = {it.key for it in self.items}
        keys = [k for k in find(self.iv, text) if k in shown]
        if len(keys) == 1:
            self.dismiss(keys[0])
        elif keys:
            # Several: the list narrows to them (its highlight goes), and the box empties.
            self.items = [it for it in self.items if it.key in keys]
            self.options.set_rows(self.rows())
            event.input.value = ""
            self.note(t(self.lang, "edit_many", what=text))
        else:
            self.note(t(self.lang, "edit_nothing", what=text), error=True)

    @on(OptionList.OptionSelected, "#review-list")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        if self.items is not self.all_items:
            # Esc after a narrowing search: the whole list again.
            self.items = self.all_items
            self.options.set_rows(self.rows())
            self.note("")
            return
        self.dismiss(None)


class EditScreen(DismissOnce, Answering, ModalScreen[Any]):
    """Change one answer. Dismisses with the new value, or ``EditScreen.CANCEL``.

    The new answer is typed in the box and read by the interview's parser, as in the chat and
    the line mode; a yes/no, choice or several-answers question also shows its options, which
    are chosen as in the chat (Enter on the highlighted one while the box is empty, a click,
    or the number or name typed)."""

    CANCEL = object()
    BINDINGS = [Binding("escape", "cancel", "b_cancel")]

    def __init__(self, step: Step, current: str | None, lang: str) -> None:
        super().__init__()
        self.step = step
        self.current = current
        self.lang = lang

    def compose(self) -> ComposeResult:
        lang, fact = self.lang, self.step.fact
        with Vertical(id="edit-dialog") as box:
            box.border_title = escape(t(lang, "edit_title", label=fact.label.get(lang)))
            yield Static(Text(self.step.prompt(lang), style="bold"), markup=False)
            if self.current is not None:
                yield Static(Text(t(lang, "edit_now", value=self.current), style="dim"), markup=False)
            if fact.type in ("int", "bool"):
                how = hint(fact, lang, self.step.hints)
            else:
                how = {"choice": t(lang, "list_choice"), "set": t(lang, "list_set")}.get(fact.type, "")
            if how:
                yield Static(Text(t(lang, "edit_hint", hint=how), style="dim"), markup=False)
            if fact.type in ("bool", "choice"):
                lst = ChoiceList(id="edit-choices")
            elif fact.type == "set":
                lst = SetList(id="edit-set")
            else:
                lst = None
            if lst is not None:
                lst.set_choices(option_items(self.step, lang))
                yield lst
            yield AnswerInput(id="edit-input", placeholder=t(lang, "edit_placeholder"))
            yield Static(id="edit-error", markup=False)
            yield KeyBar(self)

    def on_mount(self) -> None:
        self.answer_box().focus()

    def error(self, text: str) -> None:
        self.query_one("#edit-error", Static).update(Text(text, style="red"))

    @on(OptionList.OptionSelected, "#edit-choices")
    def picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        key = event.option.id
        self.dismiss((key == "yes") if self.step.fact.type == "bool" else key)

    @on(SetList.Confirmed, "#edit-set")
    def ticked(self, event: SetList.Confirmed) -> None:
        event.stop()
        self.dismiss([c.key for c in self.step.fact.choices if c.key in event.values])

    @on(Input.Submitted, "#edit-input")
    def typed(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value
        if not text.strip():
            # Enter on an empty box changes nothing (and does not close: a second Enter
            # typed in a hurry must not look like a choice).
            self.error(t(self.lang, "edit_empty"))
            return
        # The one reading of typed text, as in the chat and the line mode.
        reading = self.app.session.iv.read(self.step, text)  # type: ignore[attr-defined]
        if reading.command is not None:
            if reading.command == "back":
                self.dismiss(self.CANCEL)
            elif reading.command in ("help", "why"):
                self.error("")
                self.query_one("#edit-error", Static).update(
                    Text(self.step.question.help.get(self.lang), style="italic")
                )
            else:
                self.error(t(self.lang, "edit_command"))
            return
        if reading.refusal is not None:
            self.error("✗ " + reading.refusal.get(self.lang))
            return
        self.dismiss(reading.value)

    def action_cancel(self) -> None:
        self.dismiss(self.CANCEL)
