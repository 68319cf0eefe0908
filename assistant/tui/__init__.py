"""The Textual chat interview. Only this package imports Textual; the rest of medequip
(check, rules, explain, the line mode) runs without it."""

from .app import MedequipApp, make_app, run_tui

__all__ = ["MedequipApp", "make_app", "run_tui"]
