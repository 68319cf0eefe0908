"""The run context: everything one command reads from the world it runs in and everything
it keeps while it runs, in one object handed to it (``args.ctx``), instead of module globals.

- the streams: ``stdin``, ``stdout`` (the run's :class:`StdoutSink`), ``stderr``;
- terminal facts: whether each stream is a terminal, whether colour is wanted, the width;
- the environment (``env``) and the language (``lang``, once the arguments are read);
- the rulesets: a :class:`~assistant.core.rules.store.Store` holding ``check --as-of``, the
  ``--ruleset`` files a variant's base is searched among, and every ruleset loaded (with the
  evaluator's memos); a new context starts from nothing;
- the files read by the run, which no ``-o`` may replace (:class:`~.output.InputGuard`);
- the chat's launcher (``launch_tui``), given by the entry point.

``main()`` makes one from the process (:meth:`Context.from_process`) unless given one; the
tests make theirs with in-memory streams and run any command in-process
(``tests/cli_helpers.py``). While a command runs its streams are also ``sys.stdin`` /
``sys.stdout`` / ``sys.stderr`` (put back afterwards), so that ``print``, argparse and Rich
write where the context says.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from typing import IO, Any

from ..core.rules.store import Store


def _isatty(stream) -> bool:
    try:
        return bool(stream is not None and stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


class Context:
    def __init__(
        self,
        stdin: IO[str],
        stdout: Any,  # a text stream; main() wraps it in the run's StdoutSink
        stderr: IO[str],
        env: Mapping[str, str] | None = None,  # a copy of the process's when not given
        lang: str = "en",
        store: Store | None = None,
        launch_tui: Callable[..., int] | None = None,
        guard: Any = None,  # the run's InputGuard (output.py), set once the arguments are read
    ):
        self.stdin, self.stdout, self.stderr = stdin, stdout, stderr
        self.env = dict(os.environ) if env is None else env
        self.lang = lang
        self.store = Store() if store is None else store
        self.launch_tui, self.guard = launch_tui, guard

    @classmethod
    def from_process(cls, launch_tui: Callable[..., int] | None = None) -> Context:
        """The context of a real run: the process's streams and environment."""
        return cls(sys.stdin, sys.stdout, sys.stderr, os.environ, launch_tui=launch_tui)

    # --- terminal facts -------------------------------------------------------------------

    @property
    def stdin_tty(self) -> bool:
        return _isatty(self.stdin)

    @property
    def stdout_tty(self) -> bool:
        return _isatty(self.stdout)

    @property
    def stderr_tty(self) -> bool:
        return _isatty(self.stderr)

    @property
    def dumb(self) -> bool:
        """A terminal that cannot redraw or colour (``TERM=dumb``)."""
        return self.env.get("TERM") == "dumb"

    @property
    def colour(self) -> bool:
        """Reports drawn in colour for a person: standard output is a terminal, ``NO_COLOR``
        is not set and the terminal is not dumb."""
        return self.stdout_tty and not self.env.get("NO_COLOR") and not self.dumb

    @property
    def interactive(self) -> bool:
        """A person types and reads: both standard input and output are terminals."""
        return self.stdin_tty and self.stdout_tty

    def progress(self, quiet: bool = False) -> bool:
        """A progress bar only for a person watching stderr on a terminal that can redraw."""
        return not quiet and not self.dumb and self.stderr_tty

    @property
    def width(self) -> int:
        """Columns of the terminal (``COLUMNS`` first, as Rich and the shells do), 80 else."""
        cols = self.env.get("COLUMNS", "")
        if cols.isdigit() and int(cols) > 0:
            return int(cols)
        try:
            return os.get_terminal_size(self.stdout.fileno()).columns
        except (AttributeError, ValueError, OSError):
            return 80

    # --- the run ----------------------------------------------------------------------------

    def settle(self, as_of=None, extra_rulesets=()) -> None:
        """What the arguments say about the rulesets of this run (``check --as-of``, the
        ``--ruleset`` files a variant's base is searched among)."""
        from pathlib import Path

        self.store.as_of = as_of
        self.store.extra_files = tuple(Path(f) for f in extra_rulesets)
