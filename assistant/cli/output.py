"""Where command output goes: standard output or a file written atomically, JSON dumped one
way everywhere, and diagnostics on standard error."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from ..core.errors import UsageError


def stdout_is_tty() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def emit(text: str, output: str | None) -> None:
    """Write to ``output`` atomically, or to stdout."""
    if output:
        from ..core.atomic import write_text

        try:
            write_text(output, text)
        except OSError as e:
            raise UsageError(f"cannot write {output}: {e.strerror or e}") from None
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


def dump_json(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2) + "\n"


def err(msg: str) -> None:
    """One diagnostic line on standard error."""
    print(f"medequip: {msg}", file=sys.stderr)


def say(text: str = "") -> None:
    """One line on stdout, flushed at once (the line mode's reader may be a script waiting
    for the prompt)."""
    sys.stdout.write(text + "\n")
    sys.stdout.flush()
