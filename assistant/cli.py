"""Command line: ``medequip check | rules | explain | interview | questions``.

Kept import-light: each command imports what it needs when it runs, so ``--help`` and
``check --format json`` start fast and never load Textual (or Rich, for JSON).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import __version__, exitcodes
from .i18n import default_lang

EPILOG = """\
examples:
  medequip check examples/pet_ct_new_nonpublic.toml
  medequip check profiles/ --format json --lang en
  medequip rules pet_ct
  medequip rules show pet_ct/2.3
  medequip explain examples/pet_ct_new_nonpublic.toml pet_ct/3.1
  medequip interview --equipment pet_ct

exit codes: 0 compliant, 1 not compliant, 3 incomplete, 2 bad invocation or invalid input,
70 internal error (a crash log path is printed)."""


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own exit code 2 fits, but keep one voice
        self.print_usage(sys.stderr)
        print(f"medequip: error: {message}", file=sys.stderr)
        raise SystemExit(exitcodes.USAGE)


def _lang(args) -> str:
    return args.lang or default_lang()


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
        epilog="example: medequip check examples/proton_existing_tertiary.toml --format json",
    )
    c.add_argument("files", nargs="+", metavar="FILE", help="profile files, directories of *.toml, or - for stdin")
    c.add_argument("--format", choices=("text", "json", "jsonl", "markdown"), default="text")
    c.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE (atomically)")
    c.add_argument("--ruleset", type=Path, metavar="PATH", help="evaluate against this ruleset file")
    c.add_argument("--summary", action="store_true", help="one line per profile and totals")
    c.add_argument("--quiet", action="store_true", help="print nothing but errors; only set the exit code")
    c.add_argument("--exit-zero", action="store_true", help="exit 0 whatever the verdict (errors still exit 2)")
    lang_opt(c)

    r = sub.add_parser(
        "rules",
        help="list rules; 'rules show ID' prints one; 'rules lint PATH' validates a ruleset",
        epilog="examples: medequip rules pet_mr --format json | medequip rules show proton/4.1.4",
    )
    r.add_argument("args", nargs="*", metavar="EQUIPMENT | show ID | lint PATH")
    r.add_argument("--format", choices=("text", "json"), default="text")
    r.add_argument("--ruleset", type=Path, metavar="PATH")
    lang_opt(r)

    e = sub.add_parser(
        "explain",
        help="show how one verdict was reached, fact by fact",
        epilog="example: medequip explain examples/pet_ct_new_nonpublic.toml pet_ct/2.2",
    )
    e.add_argument("file", metavar="FILE")
    e.add_argument("rule_id", metavar="RULE_ID")
    e.add_argument("--ruleset", type=Path, metavar="PATH")
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
    i.add_argument("--answers", metavar="FILE", help="(line mode) take answers from a profile; ask only what is missing")
    i.add_argument("--plain", action="store_true", help="line mode: questions on stdout, answers from stdin")
    i.add_argument("--ruleset", type=Path, metavar="PATH")
    i.add_argument("--force", action="store_true", help="overwrite an output file that is not a medequip profile")
    lang_opt(i)

    q = sub.add_parser(
        "questions",
        help="list the questions of one equipment type",
        epilog="example: medequip questions pet_ct --format json",
    )
    q.add_argument("equipment", metavar="KEY")
    q.add_argument("--format", choices=("text", "json"), default="text")
    q.add_argument("--ruleset", type=Path, metavar="PATH")
    lang_opt(q)
    return p


def main(argv: list[str] | None = None) -> int:
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
        from . import commands

        return getattr(commands, "cmd_" + args.command)(args, _lang(args))
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else exitcodes.USAGE
    except UsageError as e:
        print(f"medequip: error: {e}", file=sys.stderr)
        return exitcodes.USAGE
    except KeyboardInterrupt:
        print("medequip: interrupted", file=sys.stderr)
        return exitcodes.INTERRUPTED
    except BrokenPipeError:
        # The reader went away (| head); nothing more to say.
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        except OSError:
            pass
        return exitcodes.COMPLIANT
    except Exception:
        return _crash()


def _crash() -> int:
    import tempfile
    import traceback

    text = traceback.format_exc()
    try:
        fd, path = tempfile.mkstemp(prefix="medequip-crash-", suffix=".log")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(f"medequip {__version__}\nargv: {sys.argv!r}\n\n{text}")
    except OSError:
        path = "(could not write a crash log)"
    print(f"medequip: internal error; this is a bug. Details were written to {path}", file=sys.stderr)
    return exitcodes.INTERNAL
