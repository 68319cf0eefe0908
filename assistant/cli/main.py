"""Command line: ``medequip check | checklist | diff | template | schema | rules | explain |
interview | questions | test``.

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
from ..core.messages import localized, msg, tr

# Imported with the module (under the entry point's Ctrl+C guard), not inside main() before
# its own guard: an interrupt during this import must not escape as a traceback.
from ..core.portable import utf8_output
from ..core.safeio import ClosedStream, GuardedStream, OutputError
from ..core.sanitize import escape, escape_lines
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
    "test": (".test", "cmd"),
}


def main(argv: list[str] | None = None, launch_tui=None) -> int:
    """Run one command. ``launch_tui`` starts the chat interview on a terminal; the entry
    point passes it in, so this package never imports the TUI (without it the interview runs
    in the line mode).

    Standard output is wrapped for the run so that any write error on it, wherever it comes
    from, is one line and exit 74 (a closed pipe: quiet, exit 141, as Unix tools)."""
    argv = sys.argv[1:] if argv is None else argv
    _fresh_run()
    # --lang is known before the parser is built, so --help and argparse's complaints use it.
    lang = prescan_lang(argv)
    real_stdout = sys.stdout
    # A locale that cannot write Chinese (GBK on a redirected Windows console, Latin-1):
    # files and pipes get UTF-8, a terminal escapes what it cannot show.
    utf8_output(real_stdout)
    utf8_output(sys.stderr)
    if not isinstance(real_stdout, GuardedStream):
        sys.stdout = GuardedStream(ClosedStream() if real_stdout is None else real_stdout)
    try:
        code = _run(argv, launch_tui, lang)
        sys.stdout.flush()  # a full disk shows here at the latest, not at interpreter exit
        return code
    except SystemExit as e:  # argparse (--help, --version, a usage error)
        if e.code is None:
            return exitcodes.COMPLIANT
        return e.code if isinstance(e.code, int) else exitcodes.USAGE
    except UsageError as e:
        print(tr("cli.error", lang, message=escape_lines(localized(e, lang))), file=sys.stderr)
        return exitcodes.USAGE
    except KeyboardInterrupt:
        print(tr("cli.interrupted", lang), file=sys.stderr)
        return exitcodes.INTERRUPTED
    except OutputError as e:
        print(f"medequip: {escape_lines(localized(e, lang))}", file=sys.stderr)
        _silence_stdout(real_stdout)
        return exitcodes.WRITE_FAILED
    except BrokenPipeError:
        # The reader went away (| head): it read what it wanted, nothing more to say.
        _silence_stdout(real_stdout)
        return exitcodes.PIPE_CLOSED
    except Exception as e:  # a bug: never show a traceback, keep it in a crash log
        if _interrupted(e):
            # Ctrl+C inside code that wraps what it catches (an import, a library): still Ctrl+C.
            print(tr("cli.interrupted", lang), file=sys.stderr)
            return exitcodes.INTERRUPTED
        return _crash(argv, lang)
    finally:
        sys.stdout = real_stdout


def _fresh_run() -> None:
    """What one run sets for the rest of it (the --ruleset files searched for a variant's
    base, the --as-of day) is not the next one's when several run in one process."""
    extends = sys.modules.get("assistant.core.extends")
    if extends is not None:
        extends.extra_files.clear()
    loader = sys.modules.get("assistant.core.loader")
    if loader is not None:
        loader.default_as_of = None


def _run(argv: list[str], launch_tui, lang: str) -> int:
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
    _check_output(args)
    args.launch_tui = launch_tui
    module, func = COMMANDS[args.command]
    return getattr(import_module(module, __package__), func)(args, lang)


def _check_output(args) -> None:
    """``-o``: ``-`` and ``/dev/stdout`` mean standard output; anything that exists and is not
    a regular file (or a symlink to one) is refused before any work is done, never replaced."""
    from ..core.i18n import Msg
    from ..core.safeio import is_stdout, output_problem

    output = getattr(args, "output", None)
    if output is None:
        return
    if output == "":
        raise UsageError(msg("cli.output_empty"))
    if is_stdout(output):
        if args.command == "interview":
            raise UsageError(msg("cli.output_interview"))
        args.output = None
        return
    problem = output_problem(output)
    if problem:
        shown = f"-o {escape(output)}: "
        raise UsageError(Msg(shown, shown) + problem)


def _interrupted(e: BaseException | None) -> bool:
    seen = set()
    while e is not None and id(e) not in seen:
        if isinstance(e, KeyboardInterrupt):
            return True
        seen.add(id(e))
        e = e.__cause__ or e.__context__
    return False


def _silence_stdout(stream) -> None:
    """Point standard output at /dev/null, so the interpreter's last flush of what could not
    be written cannot print a second complaint."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
    except (OSError, ValueError, AttributeError):
        pass


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
