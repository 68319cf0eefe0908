"""The staff roster at any moment: every person with role, title and whether they count as
qualified (and by which route); add, change or remove someone. The screen only chooses; the
chat does the change (so that it is recorded, saved and followed by any new questions)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...interview.engine import Interview
from ..strings import t
from ..widgets.keybar import KeyBar


def person_line(iv: Interview, roster: str, i: int, lang: str) -> Text:
    fact = iv.by_key[roster].fact
    person = iv.answers[roster][i]
    summary = next((p for p in iv.ev.people if p.roster == roster and p.index == i), None)
    line = Text(f"{i + 1}. ")
    line.append(person.get("name") or f"#{i + 1}", style="bold")
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


class RosterScreen(ModalScreen[tuple[str, str, int] | None]):
    """Dismisses with ``(action, roster, index)``: ``add`` (index -1), ``edit`` or ``remove``."""

    BINDINGS = [
        Binding("a", "add", "b_add"),
        Binding("e", "edit", "b_edit"),
        Binding("d,delete", "remove", "b_remove"),
        Binding("escape", "cancel", "b_close"),
    ]

    def __init__(self, iv: Interview, lang: str) -> None:
        super().__init__()
        self.iv = iv
        self.lang = lang
        self.roster = iv.rosters()[0].key if iv.rosters() else None

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical(id="roster-dialog") as box:
            box.border_title = escape(t(lang, "roster_title"))
            if self.roster is None:
                yield Static(Text(t(lang, "roster_none")), markup=False)
                self.people = OptionList(id="roster-list")
            else:
                people = self.iv.answers.get(self.roster) or []
                box.border_subtitle = escape(self.iv.by_key[self.roster].fact.label.get(lang)[:40])
                if not people:
                    yield Static(Text(t(lang, "roster_empty")), markup=False)
                self.people = OptionList(
                    *[
                        Option(person_line(self.iv, self.roster, i, lang), id=str(i))
                        for i in range(len(people))
                    ],
                    id="roster-list",
                )
            yield self.people
            yield KeyBar(self)

    def on_mount(self) -> None:
        self.people.focus()
        if self.people.option_count:
            self.people.highlighted = 0

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("add", "edit", "remove") and self.roster is None:
            return False
        return True

    def _chosen(self) -> int | None:
        return self.people.highlighted

    @on(OptionList.OptionSelected, "#roster-list")
    def selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_edit()

    def action_add(self) -> None:
        if self.roster is not None:
            self.dismiss(("add", self.roster, -1))

    def action_edit(self) -> None:
        i = self._chosen()
        if self.roster is not None and i is not None:
            self.dismiss(("edit", self.roster, i))

    def action_remove(self) -> None:
        i = self._chosen()
        if self.roster is not None and i is not None:
            self.dismiss(("remove", self.roster, i))

    def action_cancel(self) -> None:
        self.dismiss(None)
