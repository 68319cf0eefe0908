"""Earlier turns of a long conversation, folded into one widget per block.

Every mounted widget costs on every layout pass, and a proton interview is hundreds of turns:
so once the chat holds more than ``LIVE`` turns, the oldest ``BLOCK`` of them are replaced by
one ``EarlierTurns`` holding their text. The conversation stays in place, scrollable and
readable; only its oldest part loses the bubble frames.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ..wrap import Wrapped

LIVE = 40  # turns kept as bubbles
BLOCK = 20  # turns folded at a time, so folding is rare


class EarlierTurns(Static):
    """A block of earlier turns as plain text: the question's section, who said what."""

    def __init__(self, text: Text) -> None:
        self.text = text
        super().__init__(Wrapped(text), classes="earlier", markup=False)


def fold(bubbles: list, you: str) -> Text:
    """The text of ``bubbles`` (oldest first), one paragraph per turn."""
    out = Text()
    for b in bubbles:
        if out:
            out.append("\n")
        if b.has_class("user"):
            out.append(f"{you} ", style="bold")
            out.append_text(b.text)
            if b.has_class("undone") or b.has_class("rejected"):
                out.stylize("strike", len(out) - len(b.text), len(out))
        else:
            if b.border_title:
                out.append(f"[{Text.from_markup(str(b.border_title)).plain}] ", style="dim")
            out.append_text(b.text)
    return out
