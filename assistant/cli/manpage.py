"""``medequip man``: the manual page (roff, man(7) macros), generated from the parser.

Everything in it comes from the same parser and help texts as ``--help`` (commands, their
usage, arguments, options and examples), in the chosen language, so the manual cannot drift
from the program. Install: ``medequip man -o ~/.local/share/man/man1/medequip.1``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os

from ..core.text.messages import tr, word
from .completion import _help_of, _subcommands


def _esc(text: str) -> str:
    """Text safe in roff: backslashes doubled, a leading dot or quote neutralised."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\n".join(("\\&" + ln) if ln[:1] in (".", "'") else ln for ln in text.split("\n"))


def _options(parser: argparse.ArgumentParser) -> list[str]:
    out = []
    for action in parser._actions:  # argparse has no public walk of its actions
        if isinstance(action, argparse._SubParsersAction) or action.help == argparse.SUPPRESS:
            continue
        names = ", ".join(action.option_strings) or (action.metavar or action.dest)
        if action.option_strings and action.nargs != 0:
            names += " " + (
                action.metavar
                or ("{" + ",".join(action.choices) + "}" if action.choices else action.dest.upper())
            )
        out += [".TP", f"\\fB{_esc(names)}\\fR", _esc(action.help or "")]
    return out


def _usage(parser: argparse.ArgumentParser, lang: str) -> str:
    return parser.format_usage().strip().removeprefix(tr("help.usage_prefix", lang).strip()).strip()


def render(parser: argparse.ArgumentParser, lang: str) -> str:
    from .. import __version__

    def s(key: str) -> str:
        return word("man." + key, lang)

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    day = (
        dt.datetime.fromtimestamp(int(epoch), dt.UTC).date() if epoch and epoch.isdigit() else dt.date.today()
    )
    out = [
        f'.TH MEDEQUIP 1 "{day.isoformat()}" "medequip {__version__}"',
        f".SH {s('name')}",
        f"medequip \\- {_esc(parser.description or '')}",
        f".SH {s('synopsis')}",
        ".nf",
        _esc(_usage(parser, lang)),
        ".fi",
        f".SH {s('description')}",
        ".nf",
        _esc(parser.epilog or ""),
        ".fi",
        f".SH {s('options')}",
    ]
    out += _options(parser)
    out.append(f".SH {s('commands')}")
    helps = _help_of(parser)
    for name, sp in _subcommands(parser).items():
        out += [f".SS {name}", _esc(helps.get(name, "")), ".PP", ".nf"]
        out += [_esc(_usage(sp, lang)), ".fi"]
        out += _options(sp)
        if sp.epilog:
            out += [".PP", ".nf", _esc(sp.epilog), ".fi"]
        # A command with actions (evidence add | list | remove): each action in turn.
        inner = _help_of(sp)
        for action, asp in _subcommands(sp).items():
            out += [".PP", f"\\fB{name} {action}\\fR \\- {_esc(inner.get(action, ''))}", ".nf"]
            out += [_esc(_usage(asp, lang)), ".fi"]
            out += _options(asp)
            if asp.epilog:
                out += [".PP", ".nf", _esc(asp.epilog), ".fi"]
    out.append(f".SH {s('environment')}")
    for var in ("LANG", "MEDEQUIP_CACHE_DIR", "NO_COLOR", "SOURCE_DATE_EPOCH", "TERM"):
        out += [".TP", f"\\fB{var}\\fR", _esc(word(f"man.env.{var}", lang))]
    out += [f".SH {s('see')}", "README.md"]
    return "\n".join(out) + "\n"


def cmd_man(args, lang: str) -> int:
    from ..core.io import exitcodes
    from .output import emit
    from .parser import build_parser

    emit(render(build_parser(lang), lang), args.output, args.ctx.guard)
    return exitcodes.COMPLIANT
