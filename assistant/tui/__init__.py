"""The Textual chat interview: the App (``app``), its screens (``screens/``), its widgets
(``widgets/``), strings and styles. Only this package imports Textual; the rest of medequip
(check, rules, explain, the line mode) runs without it.

May import: ``reports``, ``interview`` and ``core``; never ``cli`` (the two front ends are
independent; the entry point starts this one).
"""

from .app import MedequipApp, make_app, run_tui

__all__ = ["MedequipApp", "make_app", "run_tui"]
