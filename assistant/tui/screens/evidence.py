"""The files attached to one clause: a path typed into the answer box, then an optional note;
Enter attaches, Delete (in an empty box) takes the highlighted file off, Esc closes.

The evidence is written through the interview's session (``Session.attach``): it holds the
profile's lock and every save writes the attached files with the answers, so an autosave
never drops one and nothing else writes the file meanwhile."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static

from ...core.profile.evidence import STATE_LABEL
from ...core.text.errors import UsageError
from ...core.text.messages import localized
from ..strings import t
from ..widgets.answer_input import Answering, AnswerInput
from ..widgets.choices import ChoiceList, Row
from ..widgets.keybar import KeyBar
from .dialog import DismissOnce

STATE_STYLE = {"ok": "green", "missing": "red", "changed": "yellow"}


def typed_path(text: str) -> str:
    """A typed path as a file name: quotes a terminal puts around a dropped path taken off."""
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1]
    return text


class EvidenceScreen(DismissOnce, Answering, ModalScreen[None]):
    """Attach files to one clause, see those attached with their state, remove one."""

    BINDINGS = [
        Binding("delete", "remove", "b_remove"),
        Binding("escape", "cancel", "b_cancel"),
    ]

    def __init__(
        self, session: Any, rule: str, title: str, lang: str, save: Callable[[], str | None]
    ) -> None:
        super().__init__()
        self.session = session
        self.rule = rule
        self.title_text = title
        self.lang = lang
        self.save = save  # saves through the App (conflicts asked there); the error, or None
        self.path: str | None = None  # the file typed, while its note is asked for

    def compose(self) -> ComposeResult:
        with Vertical(id="evidence-dialog") as box:
            box.border_title = escape(t(self.lang, "evidence_title", clause=self.title_text))
            box.border_subtitle = "Esc"
            self.files = ChoiceList(id="evidence-list")
            yield self.files
            yield Static(id="evidence-note", markup=False)
            yield AnswerInput(id="evidence-input")
            yield KeyBar(self)

    def on_mount(self) -> None:
        self.show_files()
        self.ask_path()
        self.answer_box().focus()

    def show_files(self) -> None:
        lang = self.lang
        rows: list[Row] = []
        for i, (e, state) in enumerate(self.session.attached(self.rule), 1):
            line = Text(f"{i}. {e.path}  ")
            line.append(STATE_LABEL[state].get(lang), style=STATE_STYLE[state])
            if e.note:
                line.append(f"  {e.note}", style="dim")
            rows.append((e.path, line, False))
        if not rows:
            rows.append((None, Text(t(lang, "evidence_none"), style="dim"), True))  # type: ignore[arg-type]
        self.files.set_rows(rows)

    said = ""  # the line under the list, and whether it is an error (for tests, and reading)
    said_error = False

    def note(self, text: str, error: bool = False) -> None:
        self.said, self.said_error = text, error
        self.query_one("#evidence-note", Static).update(Text(text, style="red" if error else "dim"))

    def ask_path(self, value: str = "") -> None:
        self.path = None
        box = self.answer_box()
        box.value = value
        box.set_placeholders(t(self.lang, "evidence_path"), t(self.lang, "evidence_path_short"))

    @on(Input.Submitted, "#evidence-input")
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.path is None:
            path = typed_path(event.value)
            if not path:
                self.note(t(self.lang, "evidence_how"))
                return
            self.path = path
            self.files.highlighted = None  # Enter in the empty box now takes the note, not a row
            box = self.answer_box()
            box.value = ""
            box.set_placeholders(t(self.lang, "evidence_note_prompt"), t(self.lang, "evidence_note_short"))
            self.note(t(self.lang, "evidence_file", path=path))
            return
        self.attach(self.path, event.value.strip())

    def attach(self, path: str, note: str) -> None:
        try:
            entry = self.session.attach(self.rule, path, note)
        except UsageError as e:
            self.ask_path(path)
            self.note(localized(e, self.lang), error=True)
            return
        error = self.save()
        self.ask_path()
        self.show_files()
        if error:
            self.note(t(self.lang, "evidence_not_saved", error=error), error=True)
        else:
            self.note(t(self.lang, "evidence_attached", path=entry.path))

    @on(OptionList.OptionSelected, "#evidence-list")
    def selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()  # a row is removed with Delete, not chosen

    def action_remove(self) -> None:
        path = self.files.highlighted_key()
        if path is None:
            self.note(t(self.lang, "evidence_remove_how"))
            return
        self.session.detach(self.rule, path)
        error = self.save()
        self.show_files()
        if error:
            self.note(t(self.lang, "evidence_not_saved", error=error), error=True)
        else:
            self.note(t(self.lang, "evidence_removed", path=path))

    def action_cancel(self) -> None:
        if self.path is not None:
            self.ask_path(self.path)  # back from the note to the path, as typed
            self.note("")
            return
        self.dismiss(None)
