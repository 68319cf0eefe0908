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
from ..core.io import exitcodes

# Imported with the module (under the entry point's Ctrl+C guard), not inside main() before
# its own guard: an interrupt during this import must not escape as a traceback.
from ..core.io.portable import utf8_output
from ..core.io.safeio import OutputError, StdoutSink, recording
from ..core.text.errors import Terminated, UsageError
from ..core.text.messages import localized, msg, tr
from ..core.text.sanitize import escape, escape_lines
from .parser import EQUIPMENT, alone, build_parser, command_of, prescan_lang  # noqa: F401 - EQUIPMENT: the parser's list

# Each command lives in its own module, imported only when it runs (start-up stays fast).
COMMANDS = {
    "check": (".check", "cmd_check"),
    "checklist": (".checklist", "cmd_checklist"),
    "diff": (".diff", "cmd_diff"),
    "template": (".template", "cmd_template"),
    "schema": (".schema", "cmd_schema"),
    "rules": (".rules", "cmd_rules"),
    "explain": (".explain", "cmd_explain"),
    "stats": (".stats", "cmd_stats"),
    "interview": (".interview", "cmd_interview"),
    "questions": (".interview", "cmd_questions"),
    "completion": (".completion", "cmd_completion"),
    "man": (".manpage", "cmd_man"),
    "test": (".test", "cmd_test"),
    "evidence": (".evidence", "cmd_evidence"),
    "pack": (".pack", "cmd_pack"),
    "verify": (".verify", "cmd_verify"),
    "review": (".review", "cmd_review"),
}


def main(argv: list[str] | None = None, launch_tui=None, ctx=None) -> int:
    """Run one command. ``launch_tui`` starts the chat interview on a terminal; the entry
    point passes it in, so this package never imports the TUI (without it the interview runs
    in the line mode). ``ctx``: the run's :class:`~.context.Context` (streams, environment,
    rulesets); by default the process's.

    Standard output is the run's :class:`StdoutSink` for the whole run: whatever writes to it
    (a report, ``print``, argparse, Rich), every byte is written or the run ends with one line
    and exit 74 (a closed pipe: quietly, exit 141, as Unix tools). SIGTERM and SIGHUP end a
    command as cleanly as Ctrl+C (exit 143, 129)."""
    from ..core.rules.store import using
    from .context import Context

    argv = sys.argv[1:] if argv is None else argv
    if ctx is None:
        ctx = Context.from_process(launch_tui)
    elif launch_tui is not None:
        ctx.launch_tui = launch_tui
    # --lang is known before the parser is built, so --help and argparse's complaints use it.
    lang = ctx.lang = prescan_lang(argv, ctx.env)
    # A locale that cannot write Chinese (GBK on a redirected Windows console, Latin-1):
    # files and pipes get UTF-8, a terminal escapes what it cannot show. Before the sink
    # is made: it encodes as the stream does.
    utf8_output(ctx.stdout)
    utf8_output(ctx.stderr)
    if not isinstance(ctx.stdout, StdoutSink):
        ctx.stdout = StdoutSink(ctx.stdout)
    sink = ctx.stdout
    # The context's streams are the standard ones while the command runs (print, argparse
    # and Rich write there), and are put back after it.
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = ctx.stdin, sink, ctx.stderr
    restore: list = []
    try:
        with using(ctx.store), recording():
            return _main(argv, ctx, lang, sink, restore)
    finally:
        # A temporary file still open here belongs to a write that did not finish (Ctrl+C
        # or a signal landing in its own clean-up): it goes too. (No atomic module loaded:
        # nothing was written, and --help need not load it.)
        atomic = sys.modules.get(f"{__package__.rpartition('.')[0]}.core.io.atomic")
        if atomic is not None:
            atomic.remove_temporaries()
        for undo in restore:
            undo()
        sys.stdin, sys.stdout, sys.stderr = saved


def _main(argv: list[str], ctx, lang: str, sink: StdoutSink, restore: list) -> int:
    try:
        try:
            code = _run(argv, ctx, lang, restore)
        except SystemExit as e:  # argparse (--help, --version, a usage error)
            code = (
                exitcodes.COMPLIANT
                if e.code is None
                else e.code
                if isinstance(e.code, int)
                else exitcodes.USAGE
            )
        sink.flush()  # a full disk shows here at the latest, not at interpreter exit
        return code
    except UsageError as e:
        _flush_quietly(sink)
        print(tr("cli.error", lang, message=escape_lines(localized(e, lang))), file=sys.stderr)
        return exitcodes.USAGE
    except KeyboardInterrupt:
        _flush_quietly(sink)
        print(tr("cli.interrupted", lang), file=sys.stderr)
        return exitcodes.INTERRUPTED
    except Terminated as e:
        return _terminated(e.signum, sink, lang)
    except OutputError as e:
        sink.discard()
        print(f"medequip: {escape_lines(localized(e, lang))}", file=sys.stderr)
        return exitcodes.WRITE_FAILED
    except BrokenPipeError:
        # The reader went away (| head): it read what it wanted, nothing more to say.
        sink.discard()
        return exitcodes.PIPE_CLOSED
    except Exception as e:  # a bug: never show a traceback, keep it in a crash log
        if _interrupted(e):
            # Ctrl+C inside code that wraps what it catches (an import, a library): still Ctrl+C.
            print(tr("cli.interrupted", lang), file=sys.stderr)
            return exitcodes.INTERRUPTED
        return _crash(argv, lang)


def _flush_quietly(sink: StdoutSink) -> None:
    """What was printed before an error still goes out; a failure to write it is not the
    error to report."""
    try:
        sink.flush()
    except (OSError, OutputError):
        sink.discard()


def _terminated(signum: int, sink: StdoutSink, lang: str) -> int:
    """SIGTERM or SIGHUP ended the command: temporaries are gone already (their writers
    unwound), say so in one line when stderr is still there, exit 128 + the signal."""
    import signal

    from ..core.io.atomic import remove_temporaries

    remove_temporaries()  # before anything else: the next signal ends the process at once
    sink.discard()
    try:
        print(tr("cli.terminated", lang, signal=signal.Signals(signum).name), file=sys.stderr)
    except (OSError, ValueError):  # the terminal that hung up is gone
        pass
    return 128 + signum


def _on_signals(restore: list) -> None:
    """SIGTERM and SIGHUP raise :class:`Terminated` in the main thread, so the run unwinds
    as on Ctrl+C: a file being written is removed, workers are stopped. The first one only:
    a second of either is the default again (end at once)."""
    import signal

    wanted = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]

    def handler(signum, frame):
        for s in wanted:
            try:
                signal.signal(s, signal.SIG_DFL)
            except (OSError, ValueError):
                pass
        raise Terminated(signum)

    for s in wanted:
        try:
            before = signal.signal(s, handler)
        except (OSError, ValueError):  # not the main thread, or not this platform
            continue
        restore.append(lambda s=s, before=before: signal.signal(s, before))


def _run(argv: list[str], ctx, lang: str, restore: list) -> int:
    if not argv:
        if ctx.interactive:
            argv = ["interview"]
        else:
            build_parser(lang).print_help()
            return exitcodes.USAGE
    only = command_of(argv)
    args = build_parser(lang, only=only, listed=not alone(argv, only)).parse_args(argv)
    if args.command is None:
        build_parser(lang).print_help()
        return exitcodes.USAGE
    lang = ctx.lang = args.lang or lang
    args.ctx = ctx
    _check_output(args, ctx)
    if args.command != "interview":  # the interview saves and ends on these its own way
        _on_signals(restore)
    args.launch_tui = ctx.launch_tui
    module, func = COMMANDS[args.command]
    return getattr(import_module(module, __package__), func)(args, lang)


# What each command reads, by argument: no -o may name one of them (or a link to one).
# The interview's --answers is not among them: an interview given a profile's answers and
# -o the same profile edits it in place, as --resume does, keeping its comments.
INPUT_ARGS = ("files", "paths", "file", "old", "new", "ruleset", "against", "review")


def _check_output(args, ctx) -> None:
    """``-o``: ``-`` and ``/dev/stdout`` mean standard output; anything that exists and is not
    a regular file (or a symlink to one) is refused before any work is done, never replaced,
    and so is a file the command reads (its profiles and rulesets). ``check --format
    html -o DIR/`` takes a folder, never a link to one."""
    from ..core.io.safeio import is_stdout, output_problem
    from ..core.text.i18n import Msg
    from . import output

    paths = [os.fspath(v) for a in INPUT_ARGS for v in _values(getattr(args, a, None))]
    guard = ctx.guard = output.InputGuard(paths)
    out = getattr(args, "output", None)
    if out is None:
        return
    if out == "":
        raise UsageError(msg("cli.output_empty"))
    if is_stdout(out):
        if args.command == "interview":
            raise UsageError(msg("cli.output_interview"))
        args.output = None
        return
    if args.command == "check" and args.format == "html" and output.is_dir_target(out):
        if os.path.islink(out.rstrip("/" + os.sep) or out):
            raise UsageError(msg("cli.output_dir_link", path=escape(out)))
        return
    problem = output_problem(out)
    if problem:
        shown = f"-o {escape(out)}: "
        raise UsageError(Msg(shown, shown) + problem)
    guard.check(out)


def _values(v) -> list:
    if v is None:
        return []
    return list(v) if isinstance(v, list | tuple) else [v]


def _interrupted(e: BaseException | None) -> bool:
    seen = set()
    while e is not None and id(e) not in seen:
        if isinstance(e, KeyboardInterrupt):
            return True
        seen.add(id(e))
        e = e.__cause__ or e.__context__
    return False


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
