"""Command line: ``medequip check | checklist | diff | template | schema | rules | explain |
interview | questions``.

Kept import-light: each command imports what it needs when it runs, so ``--help`` and
``check --format json`` start fast and never load Textual (or Rich, for JSON).
"""

from __future__ import annotations

import argparse
import os
import sys
from importlib import import_module
from pathlib import Path

from .. import __version__
from ..core import exitcodes
from ..core.errors import UsageError
from ..core.i18n import default_lang

# Imported with the module (under the entry point's Ctrl+C guard), not inside main() before
# its own guard: an interrupt during this import must not escape as a traceback.
from ..core.safeio import ClosedStream, GuardedStream, OutputError
from ..core.sanitize import escape_lines

EPILOG = """\
examples:
  medequip check examples/pet_ct_new_nonpublic.toml
  medequip check profiles/ --format jsonl --jobs 4 > results.jsonl
  medequip check my.toml --format html -o report.html
  medequip checklist my.toml --format markdown
  medequip diff before.toml after.toml
  medequip template pet_ct -o my.toml
  medequip schema report
  medequip rules pet_ct
  medequip rules lint my-ruleset.toml
  medequip rules show pet_ct/2.3
  medequip explain examples/pet_ct_new_nonpublic.toml pet_ct/3.1
  medequip interview --equipment pet_ct

exit codes: 0 compliant, 1 not compliant, 3 incomplete, 2 bad invocation or invalid input,
70 internal error (a crash log path is printed), 74 output could not be written (disk full),
130 interrupted, 141 the reader closed the pipe (| head)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own exit code 2 fits, but keep one voice
        from ..core.sanitize import escape

        self.print_usage(sys.stderr)
        print(f"medequip: error: {escape(message)}", file=sys.stderr)
        raise SystemExit(exitcodes.USAGE)


def _lang(args) -> str:
    return args.lang or default_lang()


EQUIPMENT = ("proton", "pet_mr", "pet_ct", "laparoscopic_robot", "conventional_rt")


def _ruleset(value: str) -> Path:
    """``--ruleset PATH``: refuse absurd files (huge, deeply nested, absurd counts) before
    anything tries to load them, with a message that says which limit was hit."""
    from ..core.loader import RulesetError
    from ..core.preflight import preflight

    if value == "":
        raise UsageError("--ruleset '': an empty name is not a file; expected a ruleset file (.toml)")
    path = Path(value)
    try:
        preflight(path)
    except RulesetError as e:
        # Not an argparse type error: that would print the usage too, and this is one line.
        raise UsageError(str(e)) from None
    return path


# Each command lives in its own module, imported only when it runs (start-up stays fast).
COMMANDS = {
    "check": (".check", "cmd_check"),
    "checklist": (".checklist", "cmd"),
    "diff": (".diff", "cmd"),
    "template": (".template", "cmd"),
    "schema": (".schema", "cmd"),
    "rules": (".rules", "cmd_rules"),
    "explain": (".explain", "cmd_explain"),
    "interview": (".interview", "run"),
    "questions": (".interview", "questions"),
}


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="medequip",
        description="Clause-by-clause self-assessment against China's large medical equipment standards "
        "(乙类大型医用设备配置准入标准; 质子和重离子放射治疗技术临床应用管理规范 2022).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action="version", version=f"medequip {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def lang_opt(sp):
        sp.add_argument("--lang", choices=("zh", "en"), help="report language (default: from LANG)")

    c = sub.add_parser(
        "check",
        help="evaluate saved profiles without asking anything",
        epilog="""examples:
  medequip check examples/pet_ct_new_nonpublic.toml
  medequip check examples/pet_ct_new_nonpublic.toml --format html -o report.html
  medequip check profiles/ --format jsonl --jobs 4 > results.jsonl
  medequip check profiles/ --summary --exit-zero
  cat my.toml | medequip check - --format json

exit codes: 0 compliant, 1 not compliant, 3 incomplete, 2 invalid input; with several
profiles the most severe wins (2, then 1, then 3).""",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    c.add_argument(
        "files", nargs="+", metavar="FILE", help="profile files, directories of *.toml, or - for stdin"
    )
    c.add_argument("--format", choices=("text", "json", "jsonl", "markdown", "html"), default="text")
    c.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE (atomically)")
    c.add_argument("--ruleset", type=_ruleset, metavar="PATH", help="evaluate against this ruleset file")
    c.add_argument(
        "--jobs",
        "-j",
        type=int,
        metavar="N",
        help="evaluate N profiles in parallel (0: one per CPU); output is identical",
    )
    c.add_argument(
        "--date",
        metavar="YYYY-MM-DD",
        help="date printed on the report (default: SOURCE_DATE_EPOCH, else today)",
    )
    c.add_argument("--summary", action="store_true", help="one line per profile and totals")
    c.add_argument("--quiet", action="store_true", help="print nothing but errors; only set the exit code")
    c.add_argument(
        "--exit-zero", action="store_true", help="exit 0 whatever the verdict (errors still exit 2)"
    )
    lang_opt(c)

    cl = sub.add_parser(
        "checklist",
        help="the documents to prepare, clause by clause, with what the profile already claims",
        epilog="""examples:
  medequip checklist examples/pet_ct_new_nonpublic.toml
  medequip checklist my.toml --format html -o checklist.html --lang zh""",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    cl.add_argument("file", metavar="FILE", help="a profile file, or - for stdin")
    cl.add_argument("--format", choices=("text", "markdown", "html"), default="text")
    cl.add_argument("-o", "--output", metavar="FILE", help="write the checklist to FILE (atomically)")
    cl.add_argument("--ruleset", type=_ruleset, metavar="PATH")
    cl.add_argument("--date", metavar="YYYY-MM-DD", help="date printed on the checklist")
    lang_opt(cl)

    d = sub.add_parser(
        "diff",
        help="which answers changed between two profiles and which verdicts moved",
        epilog="""examples:
  medequip diff before.toml after.toml
  medequip diff before.toml after.toml --format json

exit codes: 0 no verdict changed, 1 some verdict changed, 2 invalid input.""",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    d.add_argument("old", metavar="OLD", help="the earlier profile")
    d.add_argument("new", metavar="NEW", help="the later profile")
    d.add_argument("--format", choices=("text", "json"), default="text")
    d.add_argument("--ruleset", type=_ruleset, metavar="PATH")
    lang_opt(d)

    t = sub.add_parser(
        "template",
        help="a commented TOML profile to fill in by hand, every question as a comment",
        epilog="""examples:
  medequip template pet_ct --lang zh -o my.toml
  medequip template proton > proton.toml && $EDITOR proton.toml && medequip check proton.toml""",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    t.add_argument("equipment", metavar="KEY", help="equipment key: " + ", ".join(EQUIPMENT))
    t.add_argument("-o", "--output", metavar="FILE", help="write the template to FILE (atomically)")
    t.add_argument("--ruleset", type=_ruleset, metavar="PATH")
    t.add_argument("--force", action="store_true", help="overwrite an existing output file")
    lang_opt(t)

    s = sub.add_parser(
        "schema",
        help="JSON Schema of the profile or of the JSON report",
        epilog="""examples:
  medequip schema report > report.schema.json
  medequip schema profile --equipment pet_ct""",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    s.add_argument("which", choices=("profile", "report"), metavar="profile|report")
    s.add_argument("--equipment", metavar="KEY", help="(profile) one equipment type instead of all of them")
    s.add_argument("-o", "--output", metavar="FILE", help="write the schema to FILE (atomically)")
    lang_opt(s)

    r = sub.add_parser(
        "rules",
        help="list rules; 'rules show ID' prints one; 'rules lint PATH' validates a ruleset",
        epilog="""examples:
  medequip rules pet_mr --format json
  medequip rules show proton/4.1.4
  medequip rules lint my-ruleset.toml      # exit 0 clean, 1 problems found, 2 unreadable""",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    r.add_argument("args", nargs="*", metavar="EQUIPMENT | show ID | lint PATH")
    r.add_argument("--format", choices=("text", "json"), default="text")
    r.add_argument("--ruleset", type=_ruleset, metavar="PATH")
    r.add_argument("--strict", action="store_true", help="(lint) warnings count as problems too")
    lang_opt(r)

    e = sub.add_parser(
        "explain",
        help="show how one verdict was reached, fact by fact",
        epilog="example: medequip explain examples/pet_ct_new_nonpublic.toml pet_ct/2.2",
    )
    e.add_argument("file", metavar="FILE")
    e.add_argument("rule_id", metavar="RULE_ID")
    e.add_argument("--ruleset", type=_ruleset, metavar="PATH")
    lang_opt(e)

    i = sub.add_parser(
        "interview",
        help="answer the questions for one equipment type (TUI on a terminal, line mode otherwise)",
        epilog="examples: medequip interview --equipment pet_ct -o my.toml | "
        "printf 'y\\n' | medequip interview --plain --equipment pet_ct",
    )
    i.add_argument("--equipment", metavar="KEY")
    i.add_argument("-o", "--output", metavar="FILE")
    i.add_argument("--resume", metavar="FILE", help="continue a saved profile")
    i.add_argument(
        "--answers", metavar="FILE", help="(line mode) take answers from a profile; ask only what is missing"
    )
    i.add_argument("--plain", action="store_true", help="line mode: questions on stdout, answers from stdin")
    i.add_argument("--ruleset", type=_ruleset, metavar="PATH")
    i.add_argument(
        "--force", action="store_true", help="overwrite an output file that is not a medequip profile"
    )
    lang_opt(i)

    q = sub.add_parser(
        "questions",
        help="list the questions of one equipment type",
        epilog="example: medequip questions pet_ct --format json",
    )
    q.add_argument("equipment", metavar="KEY")
    q.add_argument("--format", choices=("text", "json"), default="text")
    q.add_argument("--ruleset", type=_ruleset, metavar="PATH")
    lang_opt(q)
    return p


def main(argv: list[str] | None = None, launch_tui=None) -> int:
    """Run one command. ``launch_tui`` starts the chat interview on a terminal; the entry
    point passes it in, so this package never imports the TUI (without it the interview runs
    in the line mode).

    Standard output is wrapped for the run so that any write error on it, wherever it comes
    from, is one line and exit 74 (a closed pipe: quiet, exit 141, as Unix tools)."""
    argv = sys.argv[1:] if argv is None else argv
    real_stdout = sys.stdout
    if not isinstance(real_stdout, GuardedStream):
        sys.stdout = GuardedStream(ClosedStream() if real_stdout is None else real_stdout)
    try:
        code = _run(argv, launch_tui)
        sys.stdout.flush()  # a full disk shows here at the latest, not at interpreter exit
        return code
    except SystemExit as e:  # argparse (--help, --version, a usage error)
        if e.code is None:
            return exitcodes.COMPLIANT
        return e.code if isinstance(e.code, int) else exitcodes.USAGE
    except UsageError as e:
        print(f"medequip: error: {escape_lines(str(e))}", file=sys.stderr)
        return exitcodes.USAGE
    except KeyboardInterrupt:
        print("medequip: interrupted", file=sys.stderr)
        return exitcodes.INTERRUPTED
    except OutputError as e:
        print(f"medequip: {escape_lines(str(e))}", file=sys.stderr)
        _silence_stdout(real_stdout)
        return exitcodes.WRITE_FAILED
    except BrokenPipeError:
        # The reader went away (| head): it read what it wanted, nothing more to say.
        _silence_stdout(real_stdout)
        return exitcodes.PIPE_CLOSED
    except Exception as e:  # a bug: never show a traceback, keep it in a crash log
        if _interrupted(e):
            # Ctrl+C inside code that wraps what it catches (an import, a library): still Ctrl+C.
            print("medequip: interrupted", file=sys.stderr)
            return exitcodes.INTERRUPTED
        return _crash(argv)
    finally:
        sys.stdout = real_stdout


def _run(argv: list[str], launch_tui) -> int:
    if not argv:
        if sys.stdin.isatty() and sys.stdout.isatty():
            argv = ["interview"]
        else:
            build_parser().print_help()
            return exitcodes.USAGE
    args = build_parser().parse_args(argv)
    if args.command is None:
        build_parser().print_help()
        return exitcodes.USAGE
    _check_output(args)
    args.launch_tui = launch_tui
    module, func = COMMANDS[args.command]
    return getattr(import_module(module, __package__), func)(args, _lang(args))


def _check_output(args) -> None:
    """``-o``: ``-`` and ``/dev/stdout`` mean standard output; anything that exists and is not
    a regular file (or a symlink to one) is refused before any work is done, never replaced."""
    from ..core.safeio import is_stdout, output_problem
    from ..core.sanitize import escape

    output = getattr(args, "output", None)
    if output is None:
        return
    if output == "":
        raise UsageError("-o '': an empty name is not a file; give a file name, or - for standard output")
    if is_stdout(output):
        if args.command == "interview":
            raise UsageError("-o: the interview saves its profile to a file; give a file name")
        args.output = None
        return
    problem = output_problem(output)
    if problem:
        raise UsageError(f"-o {escape(output)}: {problem}")


def _interrupted(e: BaseException) -> bool:
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


def _crash(argv: list[str] | None = None) -> int:
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
        path = "(could not write a crash log)"
    try:
        print(
            f"medequip: internal error (a bug); please report it with the crash log {path}", file=sys.stderr
        )
    except Exception:  # noqa: BLE001 - stderr closed: the exit code still says it
        pass
    return exitcodes.INTERNAL
