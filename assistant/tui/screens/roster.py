"""The staff roster at any moment: every person with role, title and whether they count as
qualified (and by which route); add, change or remove someone. The screen only chooses; the
chat does the change (so that it is recorded, saved and followed by any new questions).

Typed as in the line mode's ``[staff]>`` prompt: a person's number or name changes them,
``添加`` / ``add`` adds someone, ``删除 2`` / ``remove 2`` removes the second person; or Enter
on the highlighted row (the box empty), a click, Delete on the highlighted person."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static

from ...core.profile.answers import normalize
from ...interview.engine import Interview
from ..strings import t
from ..widgets.answer_input import Answering, AnswerInput
from ..widgets.choices import ChoiceList, Row
from ..widgets.keybar import KeyBar
from .dialog import DismissOnce

ADD_WORDS = ("添加", "新增", "加", "add", "+", "＋")
REMOVE_WORDS = ("删除", "删", "remove", "delete")
EDIT_WORDS = ("修改", "改", "edit")
ADD_ROW = "add"


def person_name(iv: Interview, roster: str, i: int) -> str:
    return iv.answers[roster][i].get("name") or f"#{i + 1}"


def person_line(iv: Interview, roster: str, i: int, lang: str) -> Text:
    fact = iv.by_key[roster].fact
    person = iv.answers[roster][i]
    summary = next((p for p in iv.ev.people if p.roster == roster and p.index == i), None)
    line = Text(f"{i + 1}. ")
    line.append(person_name(iv, roster, i), style="bold")
    if summary is not None and summary.role:
        line.append(f" · {summary.role_label.get(lang)}")
    title_field = next((f for f in fact.fields if f.key == "title"), None)
    if title_field is not None and "title" in person:
        label = next(
            (c.label(lang) for c in title_field.choices if c.key == person["title"]), person["title"]
        )
        line.append(f" · {label}")
    if summary is not None:
        style = "green" if summary.qualified else "red" if summary.qualified is False else "yellow"
        line.append(f" · {summary.route.get(lang)}", style=style)
    return line


class RosterScreen(DismissOnce, Answering, ModalScreen[tuple[str, str, int] | None]):
    """Dismisses with ``(action, roster, index)``: ``add`` (index -1), ``edit`` or ``remove``."""

    BINDINGS = [
        Binding("delete", "remove", "b_remove"),
        Binding("escape", "cancel", "b_close"),
    ]

    def __init__(self, iv: Interview, lang: str) -> None:
        super().__init__()
        self.iv = iv
        self.lang = lang
        self.roster = iv.rosters()[0].key if iv.rosters() else None

    @property
    def count(self) -> int:
        return len(self.iv.answers.get(self.roster) or []) if self.roster else 0

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical(id="roster-dialog") as box:
            box.border_title = escape(t(lang, "roster_title"))
            self.people = ChoiceList(id="roster-list")
            if self.roster is None:
                yield Static(Text(t(lang, "roster_none")), markup=False)
            else:
                box.border_subtitle = escape(self.iv.by_key[self.roster].fact.label.get(lang)[:40])
                if not self.count:
                    yield Static(Text(t(lang, "roster_empty")), markup=False)
                rows: list[Row] = [
                    (str(i), person_line(self.iv, self.roster, i, lang), False) for i in range(self.count)
                ]
                rows.append((ADD_ROW, Text(t(lang, "roster_add_row", n=self.count + 1)), False))
                self.people.set_rows(rows)
            yield self.people
            yield Static(id="roster-note", markup=False)
            yield AnswerInput(id="roster-input", placeholder=t(lang, "roster_placeholder"))
            yield KeyBar(self)

    def on_mount(self) -> None:
        self.answer_box().focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "remove" and self.roster is None:
            return False
        return True

    def note(self, text: str, error: bool = False) -> None:
        self.query_one("#roster-note", Static).update(Text(text, style="red" if error else "dim"))

    def person(self, text: str) -> int | None:
        """The person ``text`` names: their number, or a unique part of their name."""
        if text.isdigit():
            n = int(text)
            return n - 1 if 1 <= n <= self.count else None
        want = text.lower()
        found = [
            i
            for i in range(self.count)
            if want in str(self.iv.answers[self.roster][i].get("name") or "").lower()  # type: ignore[index]
        ]
        return found[0] if len(found) == 1 else None

    @on(Input.Submitted, "#roster-input")
    def typed(self, event: Input.Submitted) -> None:
        event.stop()
        if self.roster is None:
            return
        text = normalize(event.value)
        if not text:
            self.note(t(self.lang, "roster_how"))
            return
        word, _, rest = text.partition(" ")
        for words in (REMOVE_WORDS, EDIT_WORDS):
            for w in words:  # 删除2: no space after a Chinese word
                if not rest and not w.isascii() and word.startswith(w) and len(word) > len(w):
                    word, rest = w, word[len(w) :]
        low = word.lower()
        if low in ADD_WORDS and not rest:
            self.dismiss(("add", self.roster, -1))
            return
        action = "remove" if low in REMOVE_WORDS else "edit" if low in EDIT_WORDS else None
        target = rest.strip() if action else text
        i = self.person(target) if target else None
        if i is None:
            if not action and text.isdigit() and int(text) == self.count + 1:
                self.dismiss(("add", self.roster, -1))  # the add row's number
                return
            self.note(t(self.lang, "roster_no_person", what=target or text), error=True)
            return
        self.dismiss((action or "edit", self.roster, i))

    @on(OptionList.OptionSelected, "#roster-list")
    def selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.roster is None:
            return
        if event.option.id == ADD_ROW:
            self.dismiss(("add", self.roster, -1))
        elif event.option.id is not None:
            self.dismiss(("edit", self.roster, int(event.option.id)))

    def action_remove(self) -> None:
        key = self.people.highlighted_key()
        if self.roster is not None and key not in (None, ADD_ROW):
            self.dismiss(("remove", self.roster, int(key)))  # type: ignore[arg-type]

    def action_cancel(self) -> None:
        self.dismiss(None)
