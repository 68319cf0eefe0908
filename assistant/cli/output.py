"""The one way out of every command: standard output, or the file ``-o`` names, written
whole or not at all, JSON dumped one way everywhere, and diagnostics on standard error.

Every byte a command produces goes through :class:`Output`: to standard output through the
run's :class:`~assistant.core.io.safeio.StdoutSink` (all bytes, or exit 74 naming it, or 141
when the reader went away), to a file through :func:`~assistant.core.io.atomic.replacing`
(a temporary file renamed over the target once complete; exit 74 naming the file when a
byte cannot be written). A file read in the same run is never the one replaced: see
:class:`InputGuard`.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from ..core.text.errors import UsageError
from ..core.text.i18n import Msg
from ..core.text.messages import localized, msg


def is_dir_target(path: str) -> bool:
    """``-o DIR/`` (a trailing slash) or an existing folder: a folder of reports."""
    return path.endswith(("/", os.sep)) or os.path.isdir(path)


def write_failed(output: str, e: OSError) -> Exception:
    """What a failed write to the file ``output`` becomes: a refusal (exit 2) when the target
    is not a file medequip may replace, else an OutputError (exit 74, "cannot write to …")."""
    from ..core.io.atomic import NotRegularFile
    from ..core.io.safeio import OutputError
    from ..core.text.sanitize import escape

    if isinstance(e, NotRegularFile | IsADirectoryError):
        return UsageError(f"-o {escape(output)}: {e.strerror or e}")
    return OutputError(escape(output), e)


# --- never replace an input ----------------------------------------------------------------


class InputGuard:
    """The files a run reads, so that no output replaces one: those named on the command line
    (declared before any work, folders as their profiles) and every file this process has
    read through ``safeio`` (a ruleset a variant extends, a bundled ruleset). Compared by
    device and inode, so a symlink or a hard link to an input is that input too."""

    def __init__(self, paths: list[str] | None = None):
        self.paths = [p for p in (paths or []) if p and p != "-"]
        self._keys: dict[tuple[int, int], str] | None = None

    def _declared(self) -> dict[tuple[int, int], str]:
        if self._keys is None:
            keys: dict[tuple[int, int], str] = {}
            for p in self.paths:
                for name in _files_of(p):
                    try:
                        st = os.stat(name)
                    except (OSError, ValueError):
                        continue
                    keys.setdefault((st.st_dev, st.st_ino), name)
            self._keys = keys
        return self._keys

    def check(self, output: str | os.PathLike, dir_fd: int | None = None) -> None:
        """Raise UsageError (exit 2) naming both when ``output`` is a file read in this run."""
        from ..core.io.safeio import files_read
        from ..core.text.sanitize import escape

        try:
            if dir_fd is None:
                st = os.stat(output)
            else:
                st = os.stat(os.path.basename(output), dir_fd=dir_fd)
        except (OSError, ValueError):
            return  # not there: nothing of the run's input can be lost
        key = (st.st_dev, st.st_ino)
        source = self._declared().get(key) or files_read().get(key)
        if source is not None:
            raise UsageError(
                msg("cli.output_is_input", output=escape(os.fspath(output)), input=escape(source))
            )


def _files_of(path: str) -> list[str]:
    """``path``, or the ``*.toml`` files in it when it is a folder (what a batch reads)."""
    if os.path.isdir(path):
        try:
            with os.scandir(path) as entries:
                return [e.path for e in entries if e.name.endswith(".toml")]
        except OSError:
            return []
    return [path]


# No inputs declared: a writer outside a command (a library caller) still refuses to replace
# a file this process read through safeio. A command's guard is its context's (main()).
NO_INPUTS = InputGuard()


# --- the one output path --------------------------------------------------------------------


class Output:
    """Where one command's output goes: standard output (``path`` None), or the file ``path``,
    replaced atomically when the command closes it without an error and left as it was when
    anything fails. A file is created at the first ``write`` (a command that writes nothing
    leaves no file). Text is UTF-8 in a file, the stream's encoding on standard output."""

    def __init__(self, path: str | None, guard: InputGuard | None = None):
        self.path = path
        self.guard = guard or NO_INPUTS
        self._cm = None
        self._file = None

    def __enter__(self) -> Output:
        return self

    def __exit__(self, kind, exc, tb) -> None:
        self.close(exc)

    def write(self, data: bytes | str) -> None:
        if self.path is None:
            out = _stdout()
            if isinstance(data, str):
                out.write(data)
            else:
                out.write_bytes(data)
            if out is not sys.stdout:
                out.flush()
            return
        if isinstance(data, str):
            data = data.encode("utf-8")
        try:
            if self._file is None:
                from ..core.io.atomic import replacing

                self._cm = replacing(self.path, before_commit=self.guard.check)
                self._file = self._cm.__enter__()
            self._file.write(data)
        except OSError as e:
            self._abort(e)
            raise write_failed(self.path, e) from None

    def close(self, exc: BaseException | None = None) -> None:
        """Commit (no ``exc``) or throw away (``exc``, what ended the command)."""
        if self.path is None:
            if exc is None:
                _stdout().flush()
            return
        if self._cm is None:
            return
        if exc is not None:
            self._abort(exc)
            return
        cm, self._cm, self._file = self._cm, None, None
        try:
            cm.__exit__(None, None, None)
        except OSError as e:
            raise write_failed(self.path, e) from None

    def _abort(self, exc: BaseException) -> None:
        cm, self._cm, self._file = self._cm, None, None
        if cm is not None:
            try:
                cm.__exit__(type(exc), exc, exc.__traceback__)
            except BaseException:  # noqa: BLE001 - the error that ended the command is the one to report
                pass


def _stdout():
    """The run's standard-output sink (main() installs it; a caller that did not gets one
    over whatever ``sys.stdout`` is, for this write)."""
    from ..core.io.safeio import StdoutSink

    out = sys.stdout
    return out if isinstance(out, StdoutSink) else StdoutSink(out)


def emit(data: str | bytes, output: str | None, guard: InputGuard | None = None) -> None:
    """The whole of a command's output, to ``output`` (a file, atomically, never one of the
    ``guard``'s inputs) or standard output."""
    with Output(output, guard) as out:
        out.write(data)


def dump_json(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2) + "\n"


def err(message: str | Msg | BaseException, lang: str | None = None) -> None:
    """One diagnostic line on standard error, in the reader's language: ``message`` is a
    catalogue ``Msg`` (``msg("key", ...)``) or an exception carrying one."""
    if lang is None:
        from ..core.text.i18n import default_lang

        lang = default_lang()
    from ..core.text.sanitize import escape_lines

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
    from ..core.text.sanitize import escape_lines

    out = _stdout()
    out.write(escape_lines(text) + "\n")
    out.flush()
