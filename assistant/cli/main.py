"""Command line: ``medequip check | checklist | diff | template | schema | rules | explain |
interview | questions``.

Kept import-light: each command imports what it needs when it runs, so ``--help`` and
``check --format json`` start fast and never load Textual (or Rich, for JSON).
"""

from __future__ import annotations

import os
import sys
from importlib import import_module

from .. import __version__
from ..core import exitcodes
from ..core.errors import UsageError
from ..core.messages import localized, tr
from .parser import EQUIPMENT, build_parser, prescan_lang  # noqa: F401 - EQUIPMENT: the parser's list

# Each command lives in its own module, imported only when it runs (start-up stays fast).
COMMANDS = {
    "check": (".check", "cmd_check"),
    "checklist": (".checklist", "cmd"),
    "diff": (".diff", "cmd"),
    "template": (".template", "cmd"),
    "schema": (".schema", "cmd"),
    "rules": (".rules", "cmd_rules"),
    "explain": (".explain", "cmd_explain"),
    "stats": (".stats", "cmd_stats"),
    "interview": (".interview", "run"),
    "questions": (".interview", "questions"),
    "completion": (".completion", "cmd"),
    "man": (".manpage", "cmd"),
}


def main(argv: list[str] | None = None, launch_tui=None) -> int:
    """Run one command. ``launch_tui`` starts the chat interview on a terminal; the entry
    point passes it in, so this package never imports the TUI (without it the interview runs
    in the line mode)."""
    argv = sys.argv[1:] if argv is None else argv
    # --lang is known before the parser is built, so --help and argparse's complaints use it.
    lang = prescan_lang(argv)
    try:
        if not argv:
            if sys.stdin.isatty() and sys.stdout.isatty():
                argv = ["interview"]
            else:
                build_parser(lang).print_help()
                return exitcodes.USAGE
        args = build_parser(lang).parse_args(argv)
        if args.command is None:
            build_parser(lang).print_help()
            return exitcodes.USAGE
        lang = args.lang or lang
        args.launch_tui = launch_tui
        module, func = COMMANDS[args.command]
        return getattr(import_module(module, __package__), func)(args, lang)
    except SystemExit as e:  # argparse (--help, --version, a usage error)
        if e.code is None:
            return exitcodes.COMPLIANT
        return e.code if isinstance(e.code, int) else exitcodes.USAGE
    except UsageError as e:
        print(tr("cli.error", lang, message=localized(e, lang)), file=sys.stderr)
        return exitcodes.USAGE
    except KeyboardInterrupt:
        print(tr("cli.interrupted", lang), file=sys.stderr)
        return exitcodes.INTERRUPTED
    except BrokenPipeError:
        # The reader went away (| head); nothing more to say. Point stdout at /dev/null so
        # the interpreter's final flush cannot complain about the pipe either.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return exitcodes.COMPLIANT
    except Exception:  # a bug: never show a traceback, keep it in a crash log
        return _crash(argv, lang)


def _crash(argv: list[str] | None = None, lang: str = "en") -> int:
    """Write the traceback to a crash log and print one short line naming it; exit 70."""
    try:
        import tempfile
        import traceback

        text = traceback.format_exc()
        fd, path = tempfile.mkstemp(prefix="medequip-crash-", suffix=".log")
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as f:
            f.write(
                f"medequip {__version__}\npython {sys.version.split()[0]}\nargv: {argv if argv is not None else sys.argv!r}\n\n{text}"
            )
    except Exception:  # noqa: BLE001 - the crash handler itself must not crash
        path = tr("cli.no_crash_log", lang)
    try:
        print(tr("cli.crash", lang, path=path), file=sys.stderr)
    except Exception:  # noqa: BLE001 - stderr closed: the exit code still says it
        pass
    return exitcodes.INTERNAL
