"""The keys of a screen and what they do, in the interview's language."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Static

from ..strings import S, t


def key_name(key: str) -> str:
    if key.startswith("ctrl+"):
        return "^" + key[5:].upper()
    return {"escape": "Esc", "enter": "Enter"}.get(
        key, key.upper() if key[:1] == "f" and key[1:].isdigit() else key
    )


class KeyBar(Static):
    """One line that never changes while the screen is up. (Textual's Footer rebuilds itself
    whenever focus moves, which here is after nearly every answer.)

    It reads the screen's declared ``BINDINGS`` through Textual's public ``Binding``
    API and asks the screen's ``check_action`` which are enabled; a binding's description is
    a key into ``strings.S``, shown in the screen's language."""

    def __init__(self, node: Any) -> None:
        self.node = node
        super().__init__(self.bar(), markup=False)

    def bar(self) -> Text:
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
                described[binding.action] = t(lang, d) if d in S else d
        bar = Text(no_wrap=True, overflow="ellipsis")
        for action, keys in sorted(by_action.items(), key=lambda item: item[0].endswith("quit")):
            bar.append(" " + "/".join(keys), style="bold")
            bar.append(f" {described[action]} ")
        return bar

    def renew(self) -> None:
        self.update(self.bar(), layout=False)
