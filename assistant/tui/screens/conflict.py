"""Someone changed the profile while the chat ran, and changed an answer this session changed
too: for each such answer, keep this session's (1) or the file's (2). Nothing is decided for
the person: the dialog cannot be dismissed without a choice for every answer. Its strings are
kept here (both languages), beside the one dialog that uses them."""

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

from ...interview.review import label_of, value_text
from ...interview.session import Conflict, Session
from ..strings import t


def s(lang: str, key: str, **kw) -> str:
    return t(lang, f"conflict.{key}", **kw)


class ConflictScreen(ModalScreen[dict[str, str]]):
    """Dismisses with ``{conflict.ident: "ours" | "theirs"}`` for every conflict."""

    DEFAULT_CSS = """
    ConflictScreen { align: center middle; }
    #conflict-dialog {
        width: 80%; max-width: 100; height: auto; max-height: 90%;
        border: round $warning; background: $surface; padding: 1 2;
    }
    #conflict-list { height: auto; max-height: 8; margin-top: 1; }
    #conflict-keys { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [
        Binding("1", "pick('ours')", show=False),
        Binding("2", "pick('theirs')", show=False),
    ]

    def __init__(self, session: Session, intro: str, conflicts: list[Conflict], lang: str) -> None:
        super().__init__()
        self.session = session
        self.intro = intro
        self.conflicts = conflicts
        self.lang = lang
        self.index = 0
        self.choices: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="conflict-dialog") as box:
            box.border_title = escape(s(self.lang, "title"))
            yield Static(Text(self.intro), markup=False)
            yield Static(id="conflict-which", markup=False)
            yield OptionList(id="conflict-list")
            yield Static(Text(s(self.lang, "keys")), id="conflict-keys", markup=False)

    def on_mount(self) -> None:
        self.show()

    def _value(self, c: Conflict, value) -> str:
        if value is None:
            return s(self.lang, "none")
        return value_text(self.session.iv, c.key, value, self.lang)

    def show(self) -> None:
        c = self.conflicts[self.index]
        which = Text(s(self.lang, "which", n=self.index + 1, total=len(self.conflicts)), style="bold")
        which.append("\n" + label_of(self.session.iv, c.key, self.lang), style="")
        self.query_one("#conflict-which", Static).update(which)
        options = self.query_one("#conflict-list", OptionList)
        options.clear_options()
        options.add_options(
            [
                Option(Text(s(self.lang, "ours", value=self._value(c, c.ours))), id="ours"),
                Option(Text(s(self.lang, "theirs", value=self._value(c, c.theirs))), id="theirs"),
            ]
        )
        options.highlighted = 0
        options.focus()

    @on(OptionList.OptionSelected, "#conflict-list")
    def selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id in ("ours", "theirs"):
            self.action_pick(event.option.id)

    def action_pick(self, which: str) -> None:
        self.choices[self.conflicts[self.index].ident] = which
        self.index += 1
        if self.index >= len(self.conflicts):
            self.dismiss(self.choices)
        else:
            self.show()
