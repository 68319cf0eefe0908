"""The argparse parser, built in the reader's language.

``--lang`` is read from argv before the parser exists (``prescan_lang``), so ``--help`` and
argparse's own complaints come out in the chosen language. Every word is looked up in
``cli/helptext.py`` and the error catalogue (``core/text/messages.py``); argparse's fixed words are
given through its public hooks only: our own argument groups and help action (titles and
help text), ``add_subparsers(title=...)``, a formatter's usage ``prefix``, and ``error()``.
"""

from __future__ import annotations

import argparse
import sys

from ..core.text.i18n import default_lang
from ..core.text.messages import argparse_message, tr
from .helptext import epilog, h
from .parser_application import evidence_args, pack_args, review_args, verify_args

EQUIPMENT = ("proton", "pet_mr", "pet_ct", "laparoscopic_robot", "conventional_rt")
SHELLS = ("bash", "zsh", "fish")
LANG_CHOICES = ("zh", "en")


def prescan_lang(argv: list[str], env=None) -> str:
    """The language named by ``--lang X`` / ``--lang=X`` anywhere in argv (before ``--``),
    else the environment's (``env``, the process's by default); an invalid value is left for
    the parser to refuse."""
    for i, word in enumerate(argv):
        if word == "--":
            break
        value = None
        if word == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        elif word.startswith("--lang="):
            value = word.split("=", 1)[1]
        if value in LANG_CHOICES:
            return value
    if env is None:
        return default_lang()
    # default_lang()'s rule, read from the run's environment
    zh = any(env.get(var, "").lower().startswith("zh") for var in ("LANG", "LC_ALL", "LC_MESSAGES"))
    return "zh" if zh else "en"


def _columns() -> int:
    """``shutil.get_terminal_size().columns`` as argparse asks it, without importing shutil
    (and the compression modules it brings) on every start-up: ``COLUMNS``, else the
    terminal of standard output, else 80."""
    import os

    try:
        cols = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        cols = 0
    if cols <= 0:
        try:
            cols = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            cols = 0
    return cols or 80


def _formatter(lang: str):
    class Formatter(argparse.RawDescriptionHelpFormatter):
        def __init__(self, prog, indent_increment=2, max_help_position=24, width=None):
            width = _columns() - 2 if width is None else width
            super().__init__(prog, indent_increment, max_help_position, width)

        def add_usage(self, usage, actions, groups, prefix=None):
            super().add_usage(
                usage, actions, groups, tr("help.usage_prefix", lang) if prefix is None else prefix
            )

        def format_help(self):
            text = super().format_help()
            if lang == "zh":  # argparse ends a section heading with ':'; Chinese takes '：'
                import re

                text = re.sub(r"^(\s*[^\s:].*?[\u4e00-\u9fff）]):$", r"\1：", text, flags=re.M)
            return text

    return Formatter


class Parser(argparse.ArgumentParser):
    """One voice for bad command lines: the usage line, then the catalogue's message."""

    lang = "en"

    def error(self, message: str) -> None:
        from ..core.io import exitcodes
        from ..core.text.sanitize import escape

        self.print_usage(sys.stderr)
        shown = argparse_message(message)  # the offending argument may hold escape sequences
        print(escape(tr("cli.error", self.lang, message=shown)), file=sys.stderr)
        raise SystemExit(exitcodes.USAGE)


def _ruleset_type(lang: str):
    def ruleset(value: str):
        """``--ruleset PATH``: refuse absurd files (huge, deeply nested, absurd counts) before
        anything tries to load them, with a message that says which limit was hit."""
        from ..core.rules.checks.preflight import preflight
        from ..core.rules.loader import RulesetError
        from ..core.text.errors import UsageError
        from ..core.text.messages import msg

        if value == "":
            raise UsageError(msg("cli.ruleset_empty"))
        from pathlib import Path

        path = Path(value)
        try:
            preflight(path)
        except RulesetError as e:
            # Not an argparse type error: that would print the usage too, and this is one line
            # (the same one the loader gives: preflight is the loader's own reader and parser).
            raise UsageError(e) from None
        return path

    return ruleset


def _day(value: str):
    """``--as-of YYYY-MM-DD``: a real calendar day."""
    import datetime as dt

    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r}: YYYY-MM-DD") from None


# shtab's hook (an action's ``complete`` attribute): file names, or a shell function that
# cli/completion.py defines (equipment keys, rule ids).
_FILES = {"bash": "_shtab_compgen_files", "zsh": "_files", "tcsh": "f"}


def _complete(kind: str) -> dict[str, str]:
    if kind == "files":
        return _FILES
    return {"bash": f"_medequip_{kind}", "zsh": f"_medequip_{kind}", "tcsh": ""}


def build_parser(
    lang: str | None = None, only: str | None = None, listed: bool = True
) -> argparse.ArgumentParser:
    """The whole command line; ``only``: a command whose arguments alone are built (the
    others are listed, for the top-level help, without theirs; not even listed when
    ``listed`` is false), so that one command's start-up does not pay for every command's
    options and help texts."""
    from .. import __version__

    lang = lang or default_lang()
    fmt = _formatter(lang)

    class P(Parser):
        pass

    P.lang = lang

    p = P(
        prog="medequip",
        description=h("prog.description", lang),
        epilog=epilog("prog", lang, ("prog.exit",)),
        formatter_class=fmt,
        add_help=False,
    )
    top = p.add_argument_group(h("options", lang))
    top.add_argument("-h", "--help", action="help", help=h("help", lang))
    top.add_argument(
        "--version", action="version", version=f"medequip {__version__}", help=h("version", lang)
    )
    top.add_argument("--lang", choices=LANG_CHOICES, help=h("opt.lang", lang))
    sub = p.add_subparsers(
        dest="command", metavar=h("mv.command", lang), parser_class=P, title=h("commands", lang)
    )
    ruleset = _ruleset_type(lang)
    keys = ", ".join(EQUIPMENT)

    b = _Builder(lang, sub, fmt, ruleset, keys)
    for name, (extra, add) in COMMAND_ARGS.items():
        if only is not None and only != name:
            if listed:
                sub.add_parser(name, help=h(f"{name}.help", lang), add_help=False)  # listed only
            continue
        b.current, pos, opt = b.command(name, extra)
        add(b, pos, opt)
    return p


class _Builder:
    """What every command's arguments are made with: its language, the shared options."""

    def __init__(self, lang: str, sub, fmt, ruleset, keys: str):
        self.lang, self.sub, self.fmt, self.ruleset, self.keys = lang, sub, fmt, ruleset, keys
        self.current = None  # the command being built (a command with actions adds them to it)

    @staticmethod
    def complete(kind: str) -> dict[str, str]:
        return _complete(kind)

    def command(self, name: str, extra: tuple[str, ...] = ()):
        lang = self.lang
        sp = self.sub.add_parser(
            name,
            help=h(f"{name}.help", lang),
            description=h(f"{name}.help", lang),
            epilog=epilog(name, lang, extra),
            formatter_class=self.fmt,
            add_help=False,
        )
        pos = sp.add_argument_group(h("positional", lang))
        opt = sp.add_argument_group(h("options", lang))
        opt.add_argument("-h", "--help", action="help", help=h("help", lang))
        return sp, pos, opt

    def common(
        self, opt, *, output: str | None = None, rs: bool = True, fmt_choices=None, date: str | None = None
    ):
        lang = self.lang
        if fmt_choices:
            opt.add_argument("--format", choices=fmt_choices, default="text", help=h("opt.format", lang))
        if output:
            opt.add_argument(
                "-o", "--output", metavar=h("mv.file", lang), help=h(output, lang)
            ).complete = _complete("files")
        if rs:
            opt.add_argument(
                "--ruleset", type=self.ruleset, metavar=h("mv.path", lang), help=h("opt.ruleset", lang)
            ).complete = _FILES
        if date:
            opt.add_argument("--date", metavar=h("mv.date", lang), help=h(date, lang))
        opt.add_argument("--lang", choices=LANG_CHOICES, help=h("opt.lang", lang))

    def equipment_arg(self, group, key: str, *flags: str):
        a = group.add_argument(*flags, metavar=h("mv.key", self.lang), help=h(key, self.lang, keys=self.keys))
        a.complete = _complete("equipment")
        return a


def _check_args(b: _Builder, pos, opt) -> None:
    lang = b.lang
    pos.add_argument(
        "files", nargs="+", metavar=h("mv.file", lang), help=h("check.files", lang)
    ).complete = _complete("files")
    b.common(
        opt,
        output="check.output",
        fmt_choices=("text", "json", "jsonl", "markdown", "html", "csv", "xlsx", "docx"),
        date="opt.date",
    )
    opt.add_argument("--detail", choices=("lean", "full"), help=h("check.detail", lang))
    opt.add_argument("--jobs", "-j", type=int, metavar="N", help=h("check.jobs", lang))
    opt.add_argument("--as-of", type=_day, metavar=h("mv.date", lang), help=h("check.as_of", lang))
    opt.add_argument("--against", metavar=h("mv.old_rules", lang), help=h("check.against", lang))
    opt.add_argument("--summary", action="store_true", help=h("check.summary", lang))
    opt.add_argument("--quiet", "-q", action="store_true", help=h("opt.quiet", lang))
    opt.add_argument("--exit-zero", action="store_true", help=h("check.exit_zero", lang))
    opt.add_argument("--review", metavar=h("mv.file", lang), help=h("check.review", lang)).complete = _FILES
    opt.add_argument(
        "--review-dir", metavar=h("mv.path", lang), help=h("check.review_dir", lang)
    ).complete = _FILES


def _stats_args(b: _Builder, pos, opt) -> None:
    lang = b.lang
    pos.add_argument(
        "paths", nargs="+", metavar=h("mv.path", lang), help=h("stats.paths", lang)
    ).complete = _complete("files")
    b.common(opt, output="stats.output", fmt_choices=("text", "markdown", "html", "json", "csv"))
    opt.add_argument("--jobs", "-j", type=int, metavar="N", help=h("stats.jobs", lang))
    opt.add_argument(
        "--review-dir", metavar=h("mv.path", lang), help=h("stats.review_dir", lang)
    ).complete = _FILES


def _checklist_args(b: _Builder, pos, opt) -> None:
    lang = b.lang
    pos.add_argument("file", metavar=h("mv.file", lang), help=h("checklist.file", lang)).complete = _complete(
        "files"
    )
    b.common(
        opt,
        output="checklist.output",
        fmt_choices=("text", "json", "markdown", "html", "docx"),
        date="checklist.date",
    )


def _diff_args(b: _Builder, pos, opt) -> None:
    lang = b.lang
    pos.add_argument("old", metavar=h("mv.old", lang), help=h("diff.old", lang)).complete = _complete("files")
    pos.add_argument("new", metavar=h("mv.new", lang), help=h("diff.new", lang)).complete = _complete("files")
    b.common(opt, fmt_choices=("text", "json"))


def _template_args(b: _Builder, pos, opt) -> None:
    lang = b.lang
    b.equipment_arg(pos, "template.equipment", "equipment")
    b.common(opt, output="template.output")
    opt.add_argument("--force", action="store_true", help=h("opt.force", lang))


def _schema_args(b: _Builder, pos, opt) -> None:
    lang = b.lang
    which = ("profile", "report", "explain", "checklist", "stats")
    pos.add_argument(
        "which",
        choices=which,
        metavar="|".join(which),
        help=h("schema.which", lang, choices=", ".join(which)),
    )
    b.equipment_arg(opt, "schema.equipment", "--equipment")
    b.common(opt, output="schema.output", rs=False)


def _rules_args(b: _Builder, pos, opt) -> None:
    lang = b.lang
    pos.add_argument(
        "args", nargs="*", metavar=h("mv.rules_args", lang), help=h("rules.args", lang)
    ).complete = _complete("rules_args")
    b.common(opt, fmt_choices=("text", "json"))
    opt.add_argument("--strict", action="store_true", help=h("rules.strict", lang))


def _test_args(b: _Builder, pos, opt) -> None:
    lang = b.lang
    pos.add_argument(
        "paths", nargs="+", metavar=h("mv.path", lang), help=h("test.paths", lang)
    ).complete = _complete("files")
    b.common(opt, fmt_choices=("text", "json"))
    opt.add_argument("--coverage", action="store_true", help=h("test.coverage", lang))


def _explain_args(b: _Builder, pos, opt) -> None:
    lang = b.lang
    pos.add_argument("file", metavar=h("mv.file", lang), help=h("explain.file", lang)).complete = _complete(
        "files"
    )
    pos.add_argument(
        "rule_id", metavar=h("mv.rule_id", lang), help=h("explain.rule_id", lang)
    ).complete = _complete("rule_ids")
    b.common(opt, fmt_choices=("text", "json"))


def _interview_args(b: _Builder, pos, opt) -> None:
    lang = b.lang
    b.equipment_arg(opt, "interview.equipment", "--equipment")
    b.common(opt, output="interview.output")
    opt.add_argument(
        "--resume", metavar=h("mv.file", lang), help=h("interview.resume", lang)
    ).complete = _complete("files")
    opt.add_argument(
        "--answers", metavar=h("mv.file", lang), help=h("interview.answers", lang)
    ).complete = _complete("files")
    opt.add_argument("--plain", action="store_true", help=h("interview.plain", lang))
    opt.add_argument("--force", action="store_true", help=h("interview.force", lang))


def _questions_args(b: _Builder, pos, opt) -> None:
    b.equipment_arg(pos, "questions.equipment", "equipment")
    b.common(opt, fmt_choices=("text", "json"))


def _completion_args(b: _Builder, pos, opt) -> None:
    lang = b.lang
    pos.add_argument(
        "shell",
        choices=SHELLS,
        metavar="|".join(SHELLS),
        help=h("completion.shell", lang, choices=", ".join(SHELLS)),
    )
    opt.add_argument("--lang", choices=LANG_CHOICES, help=h("opt.lang", lang))


def _man_args(b: _Builder, pos, opt) -> None:
    b.common(opt, output="man.output", rs=False)


# Each command's arguments: name -> (the help sections its epilog adds, the function adding
# them). A new command adds a line here (its arguments) and one in main.COMMANDS (its module
# and function); nothing else.
COMMAND_ARGS = {
    "check": (("check.batch", "check.exit"), _check_args),
    "stats": (("stats.exit",), _stats_args),
    "checklist": ((), _checklist_args),
    "diff": (("diff.exit",), _diff_args),
    "template": ((), _template_args),
    "schema": ((), _schema_args),
    "rules": ((), _rules_args),
    "test": (("test.exit",), _test_args),
    "explain": ((), _explain_args),
    "interview": ((), _interview_args),
    "questions": ((), _questions_args),
    "completion": (("completion.install",), _completion_args),
    "man": (("man.install",), _man_args),
    "evidence": (("evidence.exit",), evidence_args),
    "pack": (("pack.exit",), pack_args),
    "verify": (("verify.exit",), verify_args),
    "review": (("review.keys", "review.exit"), review_args),
}


def alone(argv: list[str], command: str | None) -> bool:
    """Whether ``argv`` runs ``command`` with nothing before it that the top-level parser
    shows the command list for (``--help``, ``--version``, a mistyped option): only ``--lang``
    and its value. Then the other commands need not even be listed."""
    if command is None:
        return False
    before = argv[: argv.index(command)]
    return all(w in ("--lang", *LANG_CHOICES) or w.startswith("--lang=") for w in before)


def command_of(argv: list[str]) -> str | None:
    """The command ``argv`` names (its first word that is not an option or ``--lang``'s
    value), None when it names none or an unknown one."""
    skip = False
    for word in argv:
        if skip:
            skip = False
            continue
        if word == "--lang":
            skip = True
            continue
        if word == "--":
            return None
        if word.startswith("-"):
            continue
        return word if word in COMMAND_ARGS else None
    return None
