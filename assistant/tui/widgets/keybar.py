"""The keys of a screen and what they do, in the interview's language."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding
from textual.widget import Widget

from ..strings import has, t


def key_name(key: str) -> str:
    if key.startswith("ctrl+"):
        return "^" + key[5:].upper()
    return {"escape": "Esc", "enter": "Enter", "delete": "Del"}.get(
        key, key.upper() if key[:1] == "f" and key[1:].isdigit() else key
    )


# Ways of writing the bar, roomiest first: gaps around each key and between entries.
LAYOUTS = ((" ", "  "), (" ", " "))


def fit(items: list[tuple[str, str]], width: int) -> Text:
    """``items`` (keys, what they do) in one line of ``width`` cells: as roomy as fits, and
    when even the tighter layout does not fit, the first entries that fit whole (the last
    one, quit, always kept): never a key or a word cut off. The keys left out are all in
    F1's help."""
    chosen = list(items)
    while True:
        for inner, gap in LAYOUTS:
            cells = [cell_len(f"{k}{inner}{d}") for k, d in chosen]
            if 1 + sum(cells) + len(gap) * max(0, len(chosen) - 1) <= width or width <= 0:
                bar = Text(" ", no_wrap=True, overflow="ellipsis")
                for i, (keys, desc) in enumerate(chosen):
                    if i:
                        bar.append(gap)
                    bar.append(keys, style="bold")
                    bar.append(f"{inner}{desc}")
                return bar
        if len(chosen) <= 1:
            return Text(" ")
        del chosen[-2]  # the entry before quit


class KeyBar(Widget):
    """One line that never changes while the screen is up, fitted to its width. (Textual's
    Footer rebuilds itself whenever focus moves, which here is after nearly every answer.)

    It reads the screen's declared ``BINDINGS`` through Textual's public ``Binding``
    API and asks the screen's ``check_action`` which are enabled; a binding's description is
    a key into the string catalogue, shown in the screen's language."""

    DEFAULT_CSS = "KeyBar { height: 1; }"

    def __init__(self, node: Any) -> None:
        self.node = node
        super().__init__()

    def items(self) -> list[tuple[str, str]]:
        lang = self.node.lang
        by_action: dict[str, list[str]] = {}
        described: dict[str, str] = {}
        for binding in Binding.make_bindings(type(self.node).BINDINGS):
            if (
                binding.show
                and binding.description
                and self.node.check_action(binding.action, ()) is not False
            ):
                by_action.setdefault(binding.action, []).append(key_name(binding.key))
                d = binding.description
                described[binding.action] = t(lang, d) if has(d) else d
        ordered = sorted(by_action.items(), key=lambda item: item[0].endswith("quit"))
        return [("/".join(keys), described[action]) for action, keys in ordered]

    def render(self) -> Text:
        return fit(self.items(), self.size.width)

    def bar(self) -> Text:
        """The whole bar, as wide as it needs (for tests and for reading)."""
        return fit(self.items(), 10_000)

    def renew(self) -> None:
        self.refresh()
