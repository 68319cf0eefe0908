"""Where command output goes: standard output or a file written atomically, JSON dumped one
way everywhere, and diagnostics on standard error."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from ..core.errors import UsageError
from ..core.i18n import Msg
from ..core.messages import localized


def stdout_is_tty() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def write_failed(output: str, e: OSError) -> Exception:
    """What a failed write to the file ``output`` becomes: a refusal (exit 2) when the target
    is not a file medequip may replace, else an OutputError (exit 74, "cannot write to …")."""
    from ..core.atomic import NotRegularFile
    from ..core.safeio import OutputError
    from ..core.sanitize import escape

    if isinstance(e, NotRegularFile | IsADirectoryError):
        return UsageError(f"-o {escape(output)}: {e.strerror or e}")
    return OutputError(escape(output), e)


def emit(text: str, output: str | None) -> None:
    """Write to ``output`` atomically, or to stdout."""
    if output:
        from ..core.atomic import write_text

        try:
            write_text(output, text)
        except OSError as e:
            raise write_failed(output, e) from None
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
    from ..core.sanitize import escape_lines

    # Control characters from outside (a file name, a value) are shown escaped; the
    # message's own line breaks are kept.
    print(f"medequip: {escape_lines(localized(message, lang))}", file=sys.stderr)


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
    for the prompt). Anything from outside in it is shown escaped, its line breaks kept."""
    from ..core.sanitize import escape_lines

    sys.stdout.write(escape_lines(text) + "\n")
    sys.stdout.flush()
