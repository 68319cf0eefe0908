"""Where command output goes: standard output or a file written atomically, JSON dumped one
way everywhere, and diagnostics on standard error."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from ..core.errors import UsageError
from ..core.i18n import Msg
from ..core.messages import localized, msg


def stdout_is_tty() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def emit(text: str, output: str | None) -> None:
    """Write to ``output`` atomically, or to stdout."""
    if output:
        from ..core.atomic import write_text

        try:
            write_text(output, text)
        except OSError as e:
            raise UsageError(msg("cli.cannot_write", path=output, reason=e.strerror or e)) from None
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


def dump_json(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2) + "\n"


def err(message: str | Msg | BaseException, lang: str | None = None) -> None:
    """One diagnostic line on standard error, in the reader's language: ``message`` is a
    catalogue ``Msg`` (``msg("key", ...)``) or an exception carrying one."""
    if lang is None:
        from ..core.i18n import default_lang

        lang = default_lang()
    print(f"medequip: {localized(message, lang)}", file=sys.stderr)


def progress_wanted(stream=None, quiet: bool = False) -> bool:
    """A progress bar only for a person watching: ``stream`` (stderr) is a terminal that can
    redraw a line (``TERM`` is not ``dumb``), and ``--quiet`` was not given."""
    stream = sys.stderr if stream is None else stream
    if quiet or os.environ.get("TERM") == "dumb":
        return False
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def say(text: str = "") -> None:
    """One line on stdout, flushed at once (the line mode's reader may be a script waiting
    for the prompt)."""
    sys.stdout.write(text + "\n")
    sys.stdout.flush()
