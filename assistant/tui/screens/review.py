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
from textual.widgets import Input, OptionList, SelectionList, Static
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from ...core.answers import AnswerError
from ...interview.engine import Interview, Step, choice_list
from ...interview.review import ReviewItem, review, shown_value
from ..strings import t
from ..widgets.keybar import KeyBar
from ..widgets.status import SHORT_STATUS, STATUS_STYLE


def item_line(iv: Interview, it: ReviewItem, lang: str) -> Text:
    """``label: value`` then the clauses it feeds with their status (or "not used")."""
    line = Text()
    if it.person:
        line.append(f"{it.person} · ", style="bold")
    line.append(it.question.fact.label.get(lang))
    line.append("：" if lang == "zh" else ": ")
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


class ReviewScreen(ModalScreen[str | None]):
    """Pick an answer to change; dismisses with its flat key (None: nothing picked)."""

    BINDINGS = [Binding("escape", "cancel", "b_close")]

    def __init__(self, iv: Interview, lang: str, only: list[str] | None = None) -> None:
        super().__init__()
        self.iv = iv
        self.lang = lang
        self.items = [it for it in review(iv) if only is None or it.key in only]

    def compose(self) -> ComposeResult:
        lang = self.lang
        options: list[Option | None] = []
        section = None
        for it in self.items:
            sec = it.question.section.get(lang)
            if sec != section:
                options.append(Option(Text(sec, style="bold underline"), disabled=True))
                section = sec
            options.append(Option(item_line(self.iv, it, lang), id=it.key))
        with Vertical(id="review-dialog") as box:
            box.border_title = escape(t(lang, "review_title"))
            if not self.items:
                yield Static(Text(t(lang, "review_none")), markup=False)
            self.options = OptionList(*options, id="review-list")
            yield self.options
            yield KeyBar(self)

    def on_mount(self) -> None:
        self.options.focus()
        first = next(
            (i for i in range(self.options.option_count) if not self.options.get_option_at_index(i).disabled),
            None,
        )
        self.options.highlighted = first

    @on(OptionList.OptionSelected, "#review-list")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class EditScreen(ModalScreen[Any]):
    """Change one answer. Dismisses with the new value, or ``EditScreen.CANCEL``."""

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
            if fact.type in ("bool", "choice"):
                yield OptionList(
                    *[
                        Option(Text(f"{i}. {c.label(lang)}"), id=c.key)
                        for i, c in enumerate(choice_list(fact), 1)
                    ],
                    id="edit-choices",
                )
            elif fact.type == "set":
                yield SelectionList[str](
                    *[
                        Selection(Text(f"{i}. {c.label(lang)}"), c.key, False)
                        for i, c in enumerate(fact.choices, 1)
                    ],
                    id="edit-set",
                )
            yield Input(id="edit-input", placeholder=self.current or "")
            yield Static(id="edit-error", markup=False)
            yield KeyBar(self)

    def on_mount(self) -> None:
        for wid in ("#edit-choices", "#edit-set", "#edit-input"):
            found = self.query(wid)
            if found:
                found.first().focus()
                return

    @on(OptionList.OptionSelected, "#edit-choices")
    def picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        key = event.option.id
        self.dismiss((key == "yes") if self.step.fact.type == "bool" else key)

    def on_key(self, event) -> None:
        # Enter on the ticks confirms them (Space ticks).
        if event.key == "enter" and self.focused is not None and self.focused.id == "edit-set":
            event.stop()
            chosen = set(self.query_one("#edit-set", SelectionList).selected)
            self.dismiss([c.key for c in self.step.fact.choices if c.key in chosen])

    @on(Input.Submitted, "#edit-input")
    def typed(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value
        if not text.strip():
            self.dismiss(self.CANCEL)
            return
        try:
            # The one reading of typed text, as in the chat and the line mode (no list numbers
            # for yes/no: a number is no answer there).
            value: Any = self.app.session.iv.parse(self.step, text)  # type: ignore[attr-defined]
        except AnswerError as e:
            self.query_one("#edit-error", Static).update(Text("✗ " + e.msg.get(self.lang), style="red"))
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(self.CANCEL)
