"""The one-line header of every screen."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.containers import Horizontal
from textual.widgets import Static


class TopBar(Horizontal):
    """One line: what is being assessed on the left, progress on the right (never cut off)."""

    def __init__(self, **kwargs: Any) -> None:
        # Built here, not in compose(), so that a screen's on_mount can fill them in before
        # Textual has mounted this bar's children (a race seen on a loaded machine).
        self.title_static = Static(id="top-title", markup=False)
        self.progress_static = Static(id="top-progress", markup=False)
        super().__init__(self.title_static, self.progress_static, **kwargs)

    shown: tuple[str, str] | None = None

    def show(self, title: str, progress: str = "") -> None:
        old_title, old_progress = self.shown or ("", "")
        if title != old_title:
            self.title_static.update(Text(title, style="bold"))
        if progress != old_progress:
            # A layout pass (of the whole screen) only when the width changes.
            relayout = self.shown is None or cell_len(progress) != cell_len(old_progress)
            self.progress_static.update(Text(progress), layout=relayout)
        self.shown = (title, progress)
