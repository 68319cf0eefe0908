"""The ``medequip`` program: the command line, with the chat interview plugged in.

This is the one module above both front ends. ``cli`` and ``tui`` never import each other;
the CLI is handed a launcher for the TUI, which imports Textual only when it is called.
"""

from __future__ import annotations


def launch_tui(**kwargs) -> int:
    from .tui.app import run_tui

    return run_tui(**kwargs)


def main(argv: list[str] | None = None) -> int:
    from .cli.main import main as cli_main

    return cli_main(argv, launch_tui=launch_tui)
