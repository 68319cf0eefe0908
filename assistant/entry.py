"""The ``medequip`` program: the command line, with the chat interview plugged in.

This is the one module above both front ends. ``cli`` and ``tui`` never import each other;
the CLI is handed a launcher for the TUI, which imports Textual only when it is called.
"""

from __future__ import annotations


def launch_tui(**kwargs) -> int:
    from .tui.app import run_tui

    return run_tui(**kwargs)


def main(argv: list[str] | None = None) -> int:
    try:
        from .cli.main import main as cli_main
    except KeyboardInterrupt:  # Ctrl+C while the program itself is still being imported
        import sys

        sys.stderr.write("medequip: interrupted\n")
        return 130
    return cli_main(argv, launch_tui=launch_tui)
