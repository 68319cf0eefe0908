"""The one-line header of every screen."""

from __future__ import annotations

import re
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.containers import Horizontal
from textual.widgets import Static

from .status import fitted


class TopBar(Horizontal):
    """One line: what is being assessed on the left, progress on the right (never cut off)."""

    def __init__(self, **kwargs: Any) -> None:
        # Built here, not in compose(), so that a screen's on_mount can fill them in before
        # Textual has mounted this bar's children (a race seen on a loaded machine).
        self.title_static = _Title(id="top-title", markup=False)
        self.progress_static = Static(id="top-progress", markup=False)
        super().__init__(self.title_static, self.progress_static, **kwargs)

    shown: tuple[str, str] | None = None

    def show(self, title: str, progress: str = "") -> None:
        old_title, old_progress = self.shown or ("", "")
        if title != old_title:
            self.fit_title(title)
        if progress != old_progress:
            # A layout pass (of the whole screen) only when the width changes.
            relayout = self.shown is None or cell_len(progress) != cell_len(old_progress)
            self.progress_static.update(Text(progress), layout=relayout)
        self.shown = (title, progress)

    def fit_title(self, title: str) -> None:
        """The title whole when it fits, else in short: without ``medequip · ``, then the
        equipment by the name in its brackets (``X 线正电子发射断层扫描仪（PET/CT）`` →
        ``PET/CT``); cut with … only when even that does not fit."""
        width = self.title_static.size.width - 2  # its padding
        self.title_static.update(
            Text(fitted(title_variants(title), width) if width > 0 else title, style="bold")
        )

    def refit(self) -> None:
        if self.shown is not None:
            self.fit_title(self.shown[0])


class _Title(Static):
    def on_resize(self, event: events.Resize) -> None:
        # Its width follows the progress beside it: the fitting title is chosen again.
        if isinstance(self.parent, TopBar):
            self.parent.refit()


def title_variants(title: str) -> list[str]:
    """``medequip · X 线正电子发射断层扫描仪（PET/CT）``, ``medequip · PET/CT``, the name alone,
    ``PET/CT``: longest first."""
    head, sep, rest = title.partition(" · ")
    if not sep:
        head, rest = "", title
    match = re.search(r"[（(]([^（）()]+)[）)]$", rest)
    short = match.group(1) if match else None
    out = [title]
    if short and head:
        out.append(f"{head} · {short}")
    if head:
        out.append(rest)
    if short:
        out.append(short)
    return out
