"""The one way in for every file medequip reads: profiles, rulesets, question files, answers and
its cache.

A file from outside can be anything with a name: a FIFO that blocks ``open()`` forever, a
device that never ends (``/dev/zero``), a directory, a socket, a file far larger than anything
honest. :func:`read_limited` refuses all of those before reading a byte: it opens with
``O_NONBLOCK`` (so a FIFO cannot block the open; where the flag does not exist the path is
looked at first, see ``portable.py``), checks with ``fstat`` on the descriptor it
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
import functools
import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import NamedTuple

from ..text.errors import LocalizedError
from ..text.i18n import Msg
from ..text.messages import msg
from ..text.numbers import digits
from . import portable


class Refused(Exception):
    """A file that is not read. ``msg`` is the message without the file name, in both
    languages (the caller adds the name in its own format; ``reason`` is its English text);
    ``kind`` says why: ``missing``, ``directory``, ``special``, ``permission``, ``too_big``,
    ``unreadable``, ``untrusted``."""

    def __init__(self, kind: str, message: Msg):
        super().__init__(message.en)
        self.kind, self.msg, self.reason = kind, message, message.en


def node_kind(mode: int) -> Msg:
    """What a non-regular file is, in the words of a message."""
    for test, key in (
        (stat.S_ISDIR, "node.directory"),
        (stat.S_ISFIFO, "node.fifo"),
        (stat.S_ISCHR, "node.char"),
        (stat.S_ISBLK, "node.block"),
        (stat.S_ISSOCK, "node.socket"),
    ):
        if test(mode):
            return msg(key)
    return msg("node.other")


_WHAT = {
    "profile": "what.profile",
    "ruleset": "what.ruleset",
    "question": "what.question",
    "questions": "what.question",
    "fact catalogue": "what.facts",
    "cache": "what.cache",
    "package": "what.package",
    "evidence": "what.evidence",
    "review": "what.review",
}


def _what(what: str) -> Msg:
    return msg(_WHAT[what]) if what in _WHAT else Msg(what, what)


def _refuse_node(mode: int, what: str) -> Refused:
    if stat.S_ISDIR(mode):
        return Refused("directory", msg("io.directory", what=_what(what)))
    return Refused("special", msg("io.special", node=node_kind(mode), what=_what(what)))


def _open_error(e: OSError, path, what: str) -> Refused:
    """What an ``os.open`` failure means, in the words of a message."""
    if isinstance(e, FileNotFoundError):
        return Refused("missing", msg("io.missing", what=_what(what)))
    if isinstance(e, PermissionError):
        if os.path.isdir(path):  # Windows refuses to open a folder with "access denied"
            return _refuse_node(stat.S_IFDIR, what)
        return Refused("permission", msg("io.permission"))
    if isinstance(e, IsADirectoryError):
        return _refuse_node(stat.S_IFDIR, what)
    # A socket cannot be opened at all (ENXIO); say what it is rather than "no such device".
    if e.errno == errno.ENXIO:
        try:
            return _refuse_node(os.stat(path).st_mode, what)
        except OSError:
            pass
    return Refused("unreadable", msg("io.unreadable", reason=e.strerror or e))


def _open_regular(path, what: str) -> int:
    try:
        # Without O_NONBLOCK (Windows) the kind of file is looked at before the open too.
        mode = portable.pre_open_mode(path)
        if mode is not None and not stat.S_ISREG(mode):
            raise _refuse_node(mode, what)
        return os.open(path, portable.read_flags())
    except OSError as e:
        raise _open_error(e, path, what) from None


def _check_opened(st: os.stat_result, path, limit: int, what: str, private: bool) -> None:
    """Refuse what the descriptor shows is not a regular file, not to be trusted, or too big."""
    if not stat.S_ISREG(st.st_mode):
        raise _refuse_node(st.st_mode, what)
    run_files().read[(st.st_dev, st.st_ino)] = os.fspath(path)
    why = untrusted(st) if private else None
    if why is not None:
        raise Refused("untrusted", msg("io.untrusted", why=why))
    if st.st_size > limit:
        raise Refused(
            "too_big", msg("io.too_big", size=f"{st.st_size:,}", what=_what(what), limit=f"{limit:,}")
        )


def _read_upto(fd: int, size: int, limit: int) -> bytes:
    """At most ``limit`` + 1 bytes: one byte over the limit is enough to know it is over."""
    chunks: list[bytes] = []
    left = limit + 1
    # The first read asks for the size fstat gave and one more byte: a 1 MiB buffer for
    # a 2 KB profile cost more than the read itself (a file may still grow meanwhile).
    want = size + 1 if size else 1 << 16
    while left > 0:
        chunk = os.read(fd, min(left, want))
        want = 1 << 20
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def read_limited(path: str | os.PathLike, limit: int, what: str = "profile", private: bool = False) -> bytes:
    """The bytes of the regular file ``path`` (a symlink to one is fine), at most ``limit``.

    Raises :class:`Refused` for anything else. ``what`` names the kind of file in messages
    ("profile", "ruleset", ...). ``private`` also refuses a file that is not the current
    user's own or that others may write (kind ``untrusted``), checked on the descriptor read."""
    fd = _open_regular(path, what)
    try:
        st = os.fstat(fd)
        _check_opened(st, path, limit, what, private)
        data = _read_upto(fd, st.st_size, limit)
    except OSError as e:
        raise Refused("unreadable", msg("io.unreadable", reason=e.strerror or e)) from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise Refused("too_big", msg("io.over", limit=f"{limit:,}", what=_what(what)))
    return data


class RunFiles:
    """What one run has done with files: every file it read, by (device, inode), with the name
    used (an output must never replace one), and the cache folders it has said it cannot use
    (said once). The run's is a context variable, set for the length of a command
    (:func:`recording`, as the ruleset store is); outside any, the process's."""

    __slots__ = ("read", "noted")

    def __init__(self) -> None:
        self.read: dict[tuple[int, int], str] = {}
        self.noted: set[str] = set()


_process_files = RunFiles()
_run_files: ContextVar[RunFiles] = ContextVar("medequip_run_files")


def run_files() -> RunFiles:
    return _run_files.get(_process_files)


@contextmanager
def recording() -> Iterator[RunFiles]:
    """A new :class:`RunFiles` for what runs inside the block."""
    token = _run_files.set(RunFiles())
    try:
        yield _run_files.get()
    finally:
        _run_files.reset(token)


def files_read() -> dict[tuple[int, int], str]:
    """The files this run has read so far, by (device, inode), with the name used."""
    return run_files().read


def untrusted(st: os.stat_result) -> Msg | None:
    """Why a file or folder with this status cannot be trusted to hold what this user put
    there (as ssh judges its keys), or None: it belongs to someone else, or others may write."""
    problem = portable.owner_problem(st)
    return None if problem is None else msg(f"trust.{problem}")


def read_stream(stream, limit: int, what: str = "profile") -> bytes:
    """At most ``limit`` bytes of an already open binary stream (standard input): a pipe is
    what standard input is for, so only its length is bounded."""
    try:
        data = stream.read(limit + 1)
    except OSError as e:
        raise Refused("unreadable", msg("io.stdin", reason=e.strerror or e)) from None
    if len(data) > limit:
        raise Refused("too_big", msg("io.over", limit=f"{limit:,}", what=_what(what)))
    return data


# --- the one way out ------------------------------------------------------------------------

STDOUT_NAMES = ("-", "/dev/stdout")


def is_stdout(path: str | None) -> bool:
    """``-o -`` and ``-o /dev/stdout`` both mean standard output (never a file to replace)."""
    return path is not None and path in STDOUT_NAMES


def output_problem(path: str | os.PathLike) -> Msg | None:
    """Why ``path`` cannot be written as an output file, or None when it can: it does not exist
    yet, or it is a regular file (or a symlink to one). A device, a FIFO, a socket or a
    directory is refused, never replaced."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as e:
        return msg("out.cannot_examine", reason=e.strerror or e)
    if stat.S_ISREG(mode):
        return None
    return msg("out.not_regular", node=node_kind(mode))


class OutputError(LocalizedError):
    """Writing the output failed (a full disk, an I/O error). ``str()`` is the one line shown:
    "cannot write to standard output: No space left on device". Not an OSError on purpose:
    handlers of input errors must not catch and reword it."""

    def __init__(self, target: str | Msg, error: OSError):
        self.target, self.error = target, error
        super().__init__(msg("out.write_failed", target=target, reason=error.strerror or error))


class StdoutSink:
    """Standard output for one run, text and bytes alike, every byte through
    :func:`atomic.write_all` on its descriptor: all of it is written, or the error that
    stopped it becomes :class:`OutputError` ("cannot write to standard output: …", exit 74),
    or BrokenPipeError when the reader went away (``| head``: exit 141).

    Text is encoded as the stream would (its encoding and error handler) and kept in a buffer
    written when it is large, when asked to flush, and at each line on a terminal (as Python
    buffers a terminal by line). A stream without a descriptor (a test's capture, a Windows
    console, which needs its own text layer) is written through, its errors reported the
    same way. ``stream`` None: started with standard output closed (``>&-``)."""

    BUFFER = 1 << 16

    def __init__(self, stream):
        self._stream = stream
        self._buf = bytearray()
        self.encoding = getattr(stream, "encoding", None) or "utf-8"
        self.errors = getattr(stream, "errors", None) or "strict"
        self._tty = _isatty(stream)
        self._fd: int | None = None
        if stream is not None and not (os.name == "nt" and self._tty):
            try:
                self._fd = stream.fileno()
            except (OSError, ValueError, AttributeError):
                self._fd = None
            else:
                try:
                    stream.flush()  # whatever was written to it before goes first
                except OSError:
                    pass
        self.buffer = _SinkBytes(self)

    # --- text (print, argparse, Rich) ---

    def write(self, text: str) -> int:
        if self._fd is None:
            self._through(lambda s: s.write(text))
            return len(text)
        self._buf += text.encode(self.encoding, self.errors)
        if len(self._buf) >= self.BUFFER or (self._tty and "\n" in text):
            self.flush()
        return len(text)

    def flush(self) -> None:
        if self._fd is None:
            if self._stream is not None:
                self._through(lambda s: s.flush())
            return
        if self._buf:
            data = bytes(self._buf)
            self._buf.clear()
            self._write_fd(data)

    # --- bytes (reports already encoded) ---

    def write_bytes(self, data: bytes) -> None:
        if self._fd is None:

            def put(s) -> None:
                s.flush()
                raw = getattr(s, "buffer", None)
                if raw is None:
                    s.write(bytes(data).decode("utf-8"))
                else:
                    raw.write(data)
                    raw.flush()

            self._through(put)
            return
        self.flush()
        self._write_fd(data)

    def discard(self) -> None:
        """Forget what is buffered: it could not be written, and must not be tried again."""
        self._buf.clear()

    def _write_fd(self, data: bytes) -> None:
        from .atomic import write_all

        try:
            write_all(self._fd, data)
        except BrokenPipeError:
            self._buf.clear()
            raise
        except OSError as e:
            self._buf.clear()
            raise OutputError(msg("out.stdout"), e) from None

    def _through(self, call) -> None:
        if self._stream is None:
            raise OutputError(msg("out.stdout"), OSError(errno.EBADF, msg("out.stdout_closed").en))
        try:
            call(self._stream)
        except BrokenPipeError:
            raise
        except OSError as e:
            raise OutputError(msg("out.stdout"), e) from None

    # --- what callers ask of a stream ---

    def isatty(self) -> bool:
        return self._tty

    def fileno(self) -> int:
        if self._stream is None:
            raise OSError(errno.EBADF, msg("out.stdout_closed").en)
        return self._stream.fileno()

    def writable(self) -> bool:
        return True

    @property
    def closed(self) -> bool:
        return False

    def __getattr__(self, name):
        return getattr(self._stream, name)


class _SinkBytes:
    """``sys.stdout.buffer`` during a run: bytes through the same sink."""

    def __init__(self, sink: StdoutSink):
        self._sink = sink

    def write(self, data: bytes) -> int:
        self._sink.write_bytes(data)
        return len(data)

    def flush(self) -> None:
        self._sink.flush()


def _isatty(stream) -> bool:
    try:
        return bool(stream is not None and stream.isatty())
    except (OSError, ValueError, AttributeError):
        return False


# --- numbers ------------------------------------------------------------------------------------


def magnitude(n: int) -> str | Msg:
    """A number for a message: itself when short, else "a number with 5,000 digits"."""
    if digits(n) <= 24:
        return str(n)
    return msg("digits", n=f"{digits(n):,}")


# --- TOML pre-scan ------------------------------------------------------------------------------


class TomlLimits(NamedTuple):
    """What :func:`prescan_toml` allows; the defaults fit profiles and rulesets alike."""

    key_chars: int = 200  # a bare key (the catalogue's longest is under 60)
    key_parts: int = 32  # parts of one dotted key or table name (the data uses at most 3)
    number_chars: int = 100  # characters of one number literal (limits are below 10**10)
    depth: int = 40  # arrays and inline tables inside each other


DEFAULT_LIMITS = TomlLimits()


class TomlRefused(Exception):
    """Text that is not parsed. ``line`` is 1-based or None; ``msg`` (both languages) and
    ``reason`` (its English) have no file name."""

    def __init__(self, message: Msg, line: int | None = None):
        super().__init__(message.en)
        self.msg, self.reason, self.line = message, message.en, line


# Strings and comments, in one alternation so the leftmost wins: a '#' inside a string is not a
# comment and a quote inside a comment is not a string. Multi-line forms come first.
@functools.cache
def _skip() -> re.Pattern:  # compiled when the exact scan first runs, not at every start-up
    return re.compile(
        r'(?P<s>"""(?:[^"\\]|\\.|"(?!""))*"""(?:"{1,2}(?!"))?'
        r"|'''(?:[^']|'(?!''))*'''(?:'{1,2}(?!'))?"
        r'|"(?:[^"\\\n]|\\.)*"'
        r"|'[^'\n]*')"
        r"|(?P<c>#[^\n]*)",
        re.S,
    )


_BARE = r'(?:[A-Za-z0-9_-]++|"")'


def _run(chars: int) -> re.Pattern:
    """A run of at least ``chars`` characters that can make up a bare key or a number (a run
    of the text without its strings and comments lies inside one of the raw text), over UTF-8
    bytes: its characters are ASCII, so it finds the same runs as over the text."""
    return re.compile(rb"[A-Za-z0-9_+-]{" + str(chars).encode() + rb",}")


def _strip(text: str) -> str:
    """``text`` with every string replaced by ``""`` and every comment removed, keeping the
    line breaks so positions still map to lines."""

    def repl(m: re.Match) -> str:
        if m.lastgroup == "c":
            return ""
        return '""' + "\n" * m.group().count("\n")

    return _skip().sub(repl, text)


def prescan_toml(text: str, limits: TomlLimits = DEFAULT_LIMITS, raw: bytes | None = None) -> None:
    """Refuse TOML that would make ``tomllib`` slow or produce values nothing can print.
    Linear in the size of the text; raises :class:`TomlRefused`. ``raw``: the UTF-8 bytes
    ``text`` was decoded from, when the caller has them.

    Every profile of a batch passes through here, and stripping strings and comments costs
    about half a parse, so the exact scans run only where something could be refused: a
    dotted key past the limit needs that many dots on one line (a key never spans lines), a
    run past it a line at least that long holding such a run (stripping only shortens lines
    and runs, and keeps their breaks), and nesting is first measured on the raw brackets.
    Those checks read the UTF-8 bytes: the ASCII characters they count are single bytes,
    never part of another character, a line is at least as long in bytes as in characters,
    and bytes are scanned several times faster than Chinese text."""
    data = text.encode("utf-8", "surrogatepass") if raw is None else raw
    reach = min(limits.key_chars, limits.number_chars) + 1
    suspect = data.count(b".") >= limits.key_parts and _dots_on_a_line(data, limits.key_parts)
    if not suspect and len(data) >= reach:
        lines = data.split(b"\n")
        if max(map(len, lines)) >= reach:
            run = _run(reach)
            suspect = any(len(line) >= reach and run.search(line) for line in lines)
    if suspect or (
        data.count(b"[") + data.count(b"{") > limits.depth
        and _too_deep(data.translate(None, _NOT_BRACKETS).decode("ascii"), limits.depth)
    ):
        _prescan_exact(text, limits)
    # Brackets inside strings can make the raw count too deep (the exact scan then decides)
    # or, unbalanced, hide nesting from it: that nesting is still bounded, as the parser
    # raises RecursionError before the stack runs out and its result is validated as usual.


def _dots_on_a_line(data: bytes, n: int) -> bool:
    """Whether some line holds ``n`` dots. Each try starts at a dot and stops at the line's
    end or its ``n``-th dot, without backtracking: at most ``n`` passes over any line."""
    return re.search(rb"\.(?:[^\n.]*+\.){" + str(n - 1).encode() + rb"}", data) is not None


_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


def _prescan_exact(text: str, limits: TomlLimits) -> None:
    """:func:`prescan_toml` on the text without its strings and comments."""
    code = _strip(text)

    def line_of(pos: int) -> int:
        return code.count("\n", 0, pos) + 1

    # Long runs: a huge number (it starts with a digit, or a sign and a digit) or a huge key.
    shortest = min(limits.key_chars, limits.number_chars)
    for m in re.finditer(r"(?<![A-Za-z0-9_+-])[A-Za-z0-9_+-]{" + str(shortest + 1) + ",}", code):
        run = m.group()
        if re.match(r"[+-]?[0-9]", run):
            if len(run) > limits.number_chars:
                body = re.sub(r"^[+-]?(0[xob])?", "", run)
                count = sum(ch.isalnum() for ch in body)
                raise TomlRefused(
                    msg("toml.number", n=f"{count:,}", limit=limits.number_chars), line_of(m.start())
                )
        elif len(run) > limits.key_chars:
            raise TomlRefused(msg("toml.key", n=f"{len(run):,}", limit=limits.key_chars), line_of(m.start()))

    # Dotted keys and table names (the look-behinds make every run start once, so the scans
    # stay linear however long a run is): tomllib's cost grows with the square of their parts.
    dotted = re.compile(
        r'(?<![A-Za-z0-9_"-])' + _BARE + r"(?:[ \t]*+\.[ \t]*+" + _BARE + "){" + str(limits.key_parts) + ",}"
    )
    m = dotted.search(code)
    if m:
        parts = m.group().count(".") + 1
        raise TomlRefused(msg("toml.parts", n=f"{parts:,}", limit=limits.key_parts), line_of(m.start()))

    if _too_deep(re.sub(r"[^\[\]{}]+", "", code), limits.depth):
        raise TomlRefused(msg("toml.depth", limit=limits.depth))


def _too_deep(brackets: str, depth: int) -> bool:
    """Whether a string of brackets nests deeper than ``depth``: the innermost pairs are
    removed one level a pass, and a pair left after ``depth`` passes is deeper than that (a
    table header [[x]] is two levels). Unbalanced brackets are left for the parser to report."""
    for _ in range(depth):
        shorter = brackets.replace("[]", "").replace("{}", "")
        if shorter == brackets:
            return False
        brackets = shorter
    return "[]" in brackets or "{}" in brackets
