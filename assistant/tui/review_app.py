"""``medequip review application.zip`` on a terminal: the reviewer's chat
(``screens/package_review.py``) in an app of its own. Every mark is saved as it is made, so
Ctrl+Q, Ctrl+C and ``q`` all end with everything kept."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding

from ..core.io import exitcodes
from .screens.package_review import PackageReviewScreen


class ReviewApp(App[int]):
    CSS_PATH = "app.tcss"
    BINDINGS = [
        Binding("ctrl+q", "end", "quit", priority=True),
        Binding("ctrl+c", "end", show=False, priority=True),
    ]

    def __init__(self, session, lang: str) -> None:
        super().__init__()
        self.session, self.lang = session, lang

    def on_mount(self) -> None:
        self.push_screen(PackageReviewScreen(self.session, self.lang))

    def action_end(self) -> None:
        self.exit(exitcodes.COMPLIANT)


def run_review_tui(session, lang: str) -> int:
    app = ReviewApp(session, lang)
    try:
        code = app.run()
    finally:
        session.close()
    return exitcodes.COMPLIANT if code is None else code
