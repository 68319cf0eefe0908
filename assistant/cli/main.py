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
70 internal error (a crash log path is printed)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own exit code 2 fits, but keep one voice
        self.print_usage(sys.stderr)
        print(f"medequip: error: {message}", file=sys.stderr)
        raise SystemExit(exitcodes.USAGE)


def _lang(args) -> str:
    return args.lang or default_lang()


EQUIPMENT = ("proton", "pet_mr", "pet_ct", "laparoscopic_robot", "conventional_rt")


def _ruleset(value: str) -> Path:
    """``--ruleset PATH``: refuse absurd files (huge, deeply nested, absurd counts) before
    anything tries to load them, with a message that says which limit was hit."""
    from ..core.preflight import RulesetTooLarge, preflight

    path = Path(value)
    try:
        preflight(path)
    except RulesetTooLarge as e:
        raise argparse.ArgumentTypeError(str(e)) from None
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
    in the line mode)."""
    argv = sys.argv[1:] if argv is None else argv
    try:
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
        args.launch_tui = launch_tui
        module, func = COMMANDS[args.command]
        return getattr(import_module(module, __package__), func)(args, _lang(args))
    except SystemExit as e:  # argparse (--help, --version, a usage error)
        if e.code is None:
            return exitcodes.COMPLIANT
        return e.code if isinstance(e.code, int) else exitcodes.USAGE
    except UsageError as e:
        print(f"medequip: error: {e}", file=sys.stderr)
        return exitcodes.USAGE
    except KeyboardInterrupt:
        print("medequip: interrupted", file=sys.stderr)
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
        return _crash(argv)


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
