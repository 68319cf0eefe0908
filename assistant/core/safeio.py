"""The one way in for every file medequip reads: profiles, rulesets, question files, answers and
its cache.

A file from outside can be anything with a name: a FIFO that blocks ``open()`` forever, a
device that never ends (``/dev/zero``), a directory, a socket, a file far larger than anything
honest. :func:`read_limited` refuses all of those before reading a byte: it opens with
``O_NONBLOCK`` (so a FIFO cannot block the open), checks with ``fstat`` on the descriptor it
holds (so the answer cannot change between the check and the read), and reads at most the
limit plus one byte (so a file that grows meanwhile is still bounded).

TOML has costs ``tomllib`` does not bound: a dotted key of 50,000 parts takes it minutes
(it is quadratic in them), a 5,000-digit number parses but then cannot be printed, and deep
nesting exhausts the stack. :func:`prescan_toml` refuses those in linear time, before the
parser sees the text. Numbers are described by :func:`magnitude`, never by ``str()``: Python
refuses to turn an integer of more than 4,300 digits into text.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass


class Refused(Exception):
    """A file that is not read. ``reason`` is the message without the file name (the caller
    adds the name in its own format); ``kind`` says why, for callers that word it their way:
    ``missing``, ``directory``, ``special``, ``permission``, ``too_big``, ``unreadable``."""

    def __init__(self, kind: str, reason: str):
        super().__init__(reason)
        self.kind, self.reason = kind, reason


def node_kind(mode: int) -> str:
    """What a non-regular file is, in the words of a message."""
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _refuse_node(mode: int, what: str) -> Refused:
    if stat.S_ISDIR(mode):
        return Refused("directory", f"is a directory, expected a {what} file (.toml)")
    return Refused("special", f"is {node_kind(mode)}, not a regular file; expected a {what} file (.toml)")


def read_limited(path: str | os.PathLike, limit: int, what: str = "profile", private: bool = False) -> bytes:
    """The bytes of the regular file ``path`` (a symlink to one is fine), at most ``limit``.

    Raises :class:`Refused` for anything else. ``what`` names the kind of file in messages
    ("profile", "ruleset", ...). ``private`` also refuses a file that is not the current
    user's own or that others may write (kind ``untrusted``), checked on the descriptor read."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise Refused("missing", f"no such file; expected a {what} file (.toml)") from None
    except PermissionError:
        raise Refused("permission", "permission denied: cannot read the file") from None
    except IsADirectoryError:
        raise _refuse_node(stat.S_IFDIR, what) from None
    except OSError as e:
        # A socket cannot be opened at all (ENXIO); say what it is rather than "no such device".
        if e.errno == errno.ENXIO:
            try:
                raise _refuse_node(os.stat(path).st_mode, what) from None
            except OSError:
                pass
        raise Refused("unreadable", f"cannot read: {e.strerror or e}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _refuse_node(st.st_mode, what)
        if private and untrusted(st):
            raise Refused("untrusted", f"{untrusted(st)}; not used")
        if st.st_size > limit:
            raise Refused("too_big", f"file is {st.st_size:,} bytes; {what}s are limited to {limit:,} bytes")
        chunks: list[bytes] = []
        left = limit + 1  # one byte over the limit is enough to know it is over
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as e:
        raise Refused("unreadable", f"cannot read: {e.strerror or e}") from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:
        raise Refused("too_big", f"file is over {limit:,} bytes, the limit for a {what}")
    return data


def untrusted(st: os.stat_result) -> str | None:
    """Why a file or folder with this status cannot be trusted to hold what this user put
    there (as ssh judges its keys), or None: it belongs to someone else, or others may write."""
    if hasattr(os, "geteuid") and st.st_uid != os.geteuid():
        return "it belongs to another user"
    if st.st_mode & 0o022:
        return "other users may write to it"
    return None


def read_stream(stream, limit: int, what: str = "profile") -> bytes:
    """At most ``limit`` bytes of an already open binary stream (standard input): a pipe is
    what standard input is for, so only its length is bounded."""
    try:
        data = stream.read(limit + 1)
    except OSError as e:
        raise Refused("unreadable", f"cannot read standard input: {e.strerror or e}") from None
    if len(data) > limit:
        raise Refused("too_big", f"file is over {limit:,} bytes, the limit for a {what}")
    return data


# --- the one way out ------------------------------------------------------------------------

STDOUT_NAMES = ("-", "/dev/stdout")


def is_stdout(path: str | None) -> bool:
    """``-o -`` and ``-o /dev/stdout`` both mean standard output (never a file to replace)."""
    return path is not None and path in STDOUT_NAMES


def output_problem(path: str | os.PathLike) -> str | None:
    """Why ``path`` cannot be written as an output file, or None when it can: it does not exist
    yet, or it is a regular file (or a symlink to one). A device, a FIFO, a socket or a
    directory is refused, never replaced."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as e:
        return f"cannot be examined: {e.strerror or e}"
    if stat.S_ISREG(mode):
        return None
    return f"is {node_kind(mode)}, not a regular file; refusing to replace it (use -o - for standard output)"


class OutputError(Exception):
    """Writing the output failed (a full disk, an I/O error). ``str()`` is the one line shown:
    "cannot write to standard output: No space left on device". Not an OSError on purpose:
    handlers of input errors must not catch and reword it."""

    def __init__(self, target: str, error: OSError):
        self.target, self.error = target, error
        super().__init__(f"cannot write to {target}: {error.strerror or error}")


class GuardedStream:
    """Standard output with its write errors turned into :class:`OutputError` (a closed pipe
    stays BrokenPipeError: that is not an error but the reader having read enough)."""

    def __init__(self, stream, name: str = "standard output"):
        self._stream, self._name = stream, name

    def write(self, text):
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            raise
        except OSError as e:
            raise OutputError(self._name, e) from None

    def flush(self):
        try:
            return self._stream.flush()
        except BrokenPipeError:
            raise
        except OSError as e:
            raise OutputError(self._name, e) from None

    def __getattr__(self, name):
        return getattr(self._stream, name)


class ClosedStream:
    """What standard output is when the program was started with it closed (``>&-``): every
    write fails as writing to a closed descriptor does, and GuardedStream reports that."""

    encoding = "utf-8"

    def write(self, text):
        raise OSError(errno.EBADF, "standard output is closed")

    def flush(self):
        pass

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        raise OSError(errno.EBADF, "standard output is closed")


# --- numbers ------------------------------------------------------------------------------------


def digits(n: int) -> int:
    """How many decimal digits ``abs(n)`` has, computed without ``str()`` (which Python refuses
    beyond 4,300 digits)."""
    n = abs(n)
    if n < 10:
        return 1
    estimate = int(n.bit_length() * 0.30102999566398120)  # log10(2): exact or one short
    return estimate + 1 if n >= 10**estimate else estimate


def magnitude(n: int) -> str:
    """A number for a message: itself when short, else "a number with 5,000 digits"."""
    if digits(n) <= 24:
        return str(n)
    return f"a number with {digits(n):,} digits"


# --- TOML pre-scan ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TomlLimits:
    """What :func:`prescan_toml` allows; the defaults fit profiles and rulesets alike."""

    key_chars: int = 200  # a bare key (the catalogue's longest is under 60)
    key_parts: int = 32  # parts of one dotted key or table name (the data uses at most 3)
    number_chars: int = 100  # characters of one number literal (limits are below 10**10)
    depth: int = 40  # arrays and inline tables inside each other


class TomlRefused(Exception):
    """Text that is not parsed. ``line`` is 1-based or None; ``reason`` has no file name."""

    def __init__(self, reason: str, line: int | None = None):
        super().__init__(reason)
        self.reason, self.line = reason, line


# Strings and comments, in one alternation so the leftmost wins: a '#' inside a string is not a
# comment and a quote inside a comment is not a string. Multi-line forms come first.
_SKIP = re.compile(
    r'(?P<s>"""(?:[^"\\]|\\.|"(?!""))*"""(?:"{1,2}(?!"))?'
    r"|'''(?:[^']|'(?!''))*'''(?:'{1,2}(?!'))?"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'[^'\n]*')"
    r"|(?P<c>#[^\n]*)",
    re.S,
)
_BARE = r'(?:[A-Za-z0-9_-]++|"")'
_NUMBERISH = re.compile(r"[+-]?[0-9]")


def _strip(text: str) -> str:
    """``text`` with every string replaced by ``""`` and every comment removed, keeping the
    line breaks so positions still map to lines."""

    def repl(m: re.Match) -> str:
        if m.lastgroup == "c":
            return ""
        return '""' + "\n" * m.group().count("\n")

    return _SKIP.sub(repl, text)


def prescan_toml(text: str, limits: TomlLimits = TomlLimits()) -> None:
    """Refuse TOML that would make ``tomllib`` slow or produce values nothing can print.
    Linear in the size of the text; raises :class:`TomlRefused`."""
    code = _strip(text)

    def line_of(pos: int) -> int:
        return code.count("\n", 0, pos) + 1

    # Long runs: a huge number (it starts with a digit, or a sign and a digit) or a huge key.
    shortest = min(limits.key_chars, limits.number_chars)
    for m in re.finditer(r"(?<![A-Za-z0-9_+-])[A-Za-z0-9_+-]{" + str(shortest + 1) + ",}", code):
        run = m.group()
        if _NUMBERISH.match(run):
            if len(run) > limits.number_chars:
                body = re.sub(r"^[+-]?(0[xob])?", "", run)
                count = sum(ch.isalnum() for ch in body)
                raise TomlRefused(
                    f"a number with {count:,} digits; numbers are limited to {limits.number_chars} digits",
                    line_of(m.start()),
                )
        elif len(run) > limits.key_chars:
            raise TomlRefused(
                f"a key of {len(run):,} characters; keys are limited to {limits.key_chars} characters",
                line_of(m.start()),
            )

    # Dotted keys and table names (the look-behinds make every run start once, so the scans
    # stay linear however long a run is): tomllib's cost grows with the square of their parts.
    dotted = re.compile(
        r'(?<![A-Za-z0-9_"-])' + _BARE + r"(?:[ \t]*+\.[ \t]*+" + _BARE + "){" + str(limits.key_parts) + ",}"
    )
    m = dotted.search(code)
    if m:
        parts = m.group().count(".") + 1
        raise TomlRefused(
            f"a dotted key of {parts:,} parts; keys are limited to {limits.key_parts} parts",
            line_of(m.start()),
        )

    # Nesting: keep only the brackets, then remove the innermost pairs, one level a pass. What
    # is left after ``depth`` passes is deeper than that (a table header [[x]] is two levels).
    brackets = re.sub(r"[^\[\]{}]+", "", code)
    for _ in range(limits.depth):
        shorter = brackets.replace("[]", "").replace("{}", "")
        if shorter == brackets:
            return  # nothing left, or unbalanced: tomllib then reports where
        brackets = shorter
    if "[]" in brackets or "{}" in brackets:
        raise TomlRefused(
            f"nested more than {limits.depth} levels deep (arrays and tables inside each other)"
        )
