"""The Textual chat interview: the App (``app``), its screens (``screens/``), its widgets
(``widgets/``), strings and styles. Only this package imports Textual; the rest of medequip
(check, rules, explain, the line mode) runs without it.

May import: ``reports``, ``interview`` and ``core``; never ``cli`` (the two front ends are
independent; the entry point starts this one).
"""

import os

# Textual draws a changed screen on its next frame, at most TEXTUAL_FPS times a second (60 by
# default): an answer's next question waited up to 17 ms for its frame, and a turn can take
# more than one. At 120 the wait is halved; frames are drawn only when something changed.
# Set before Textual is first imported (it reads the variable once); a user's setting wins.
os.environ.setdefault("TEXTUAL_FPS", "120")

from .app import MedequipApp, make_app, run_tui  # noqa: E402

__all__ = ["MedequipApp", "make_app", "run_tui"]
