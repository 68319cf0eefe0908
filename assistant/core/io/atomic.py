"""Atomic file writes (temp file in the same directory, flush, fsync, rename) and the loop
that gets every byte of a write to its descriptor.

A reader (or a crash, or a SIGKILL at any moment) sees either the old file or the new one,
never half of either. Every file medequip writes goes through here: profiles, autosaves,
reports and its cache; standard output goes through :func:`write_all` too (``sink.py``).

``os.write`` may take part of what it is given (a pipe, a nearly full disk, a signal): the
rest is written by looping, or the error that stopped it is raised, never silently dropped.
A temporary file's name fits the folder's name limit however long the target's name is, and
every temporary still open is known (:func:`remove_temporaries`), so a run ended by a signal
leaves none behind.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from . import portable

if TYPE_CHECKING:  # imported where a file is replaced: standard output (--help) needs none
    from pathlib import Path

_umask: int | None = None

# The one call that writes bytes to a descriptor; tests put a double here to take a few bytes
# per call or fail part-way.
_os_write = os.write

# Temporary files being written right now (absolute paths): removed by whatever ends the run.
_live: set[str] = set()

TEMP_SUFFIX = ".tmp"
_TOKEN_CHARS = 8  # hex characters of randomness in a temporary name
# ".NAME." + token + "-" + pid + ".tmp": what a temporary name adds to the target's at most
# (a pid has at most 7 digits on Linux, 10 anywhere)
TEMP_OVERHEAD = 2 + _TOKEN_CHARS + 1 + 10 + len(TEMP_SUFFIX)
# A temporary of ours: its writer's pid is in the name, so one left by a process that was
# killed (SIGKILL, a power cut) is recognised as stale once that process is gone.
_OURS = re.compile(rf"^\..+\.[0-9a-f]{{{_TOKEN_CHARS}}}-([0-9]+){re.escape(TEMP_SUFFIX)}$", re.S)
_swept: set[str] = set()  # folders already cleared of stale temporaries in this process


class NotRegularFile(OSError):
    """The target exists and is not a regular file. A device, a FIFO, a socket or a directory
    is never replaced by a file: ``-o /dev/null`` run as root must not delete ``/dev/null``."""


def write_all(fd: int, data: bytes | bytearray | memoryview) -> None:
    """Write every byte of ``data`` to ``fd``: a short write is followed by another for the
    rest, a write interrupted by a signal is retried (unless the signal's handler raised), a
    non-blocking descriptor that is full is waited on. Any other error is raised as it is
    (EPIPE as BrokenPipeError, ENOSPC as OSError), with nothing written after it."""
    view = memoryview(data).cast("B")
    while view.nbytes:
        try:
            n = _os_write(fd, view)
        except InterruptedError:
            continue
        except BlockingIOError:
            _wait_writable(fd)
            continue
        if not n:
            # A write that takes nothing and says nothing would loop for ever.
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        view = view[n:]


def _wait_writable(fd: int) -> None:
    """Wait until ``fd`` (set non-blocking by whoever shares it) can take more."""
    import select

    if hasattr(select, "poll"):
        p = select.poll()
        p.register(fd, select.POLLOUT)
        p.poll(1000)
        return
    import time

    time.sleep(0.01)  # no poll (Windows pipes): try again shortly


def name_max(folder: str | os.PathLike) -> int:
    """The longest file name (in bytes) ``folder`` takes: its file system's own limit where
    the platform says, else 255 (the common one)."""
    try:
        n = os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):
        return 255
    return n if n and n > 0 else 255


def cut_utf8(raw: bytes, limit: int) -> bytes:
    """``raw`` cut to at most ``limit`` bytes without splitting a UTF-8 character."""
    if len(raw) <= limit:
        return raw
    end = limit
    # The byte after the cut continues a character: move the cut back to its start.
    while end > 0 and limit - end < 3 and raw[end] & 0xC0 == 0x80:
        end -= 1
    return raw[:end]


def temp_name(name: str, limit: int = 255) -> str:
    """A fresh temporary name for a file named ``name``: ``.NAME.XXXXXXXX-PID.tmp`` (PID: the
    writing process), with NAME shortened (never splitting a character) so the whole fits
    ``limit`` bytes."""
    tail = f".{os.urandom(_TOKEN_CHARS // 2).hex()}-{os.getpid()}{TEMP_SUFFIX}"
    raw = cut_utf8(os.fsencode(name), max(1, limit - 1 - len(tail)))
    return f".{os.fsdecode(raw)}{tail}"


def _process_gone(pid: int) -> bool:
    """True only when no process ``pid`` runs on this machine. Where that cannot be asked
    safely (Windows: ``os.kill`` would end the process), a process is assumed alive."""
    if os.name != "posix" or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # it exists, owned by someone else
        return False
    return False


def remove_stale_temporaries(folder: str | os.PathLike, dir_fd: int | None = None) -> list[str]:
    """Remove the temporaries of ours in ``folder`` whose writing process is gone (killed
    with SIGKILL, or a power cut, before it could clean up): the names removed. Done once per
    folder per process, before its first write there, so a batch of thousands of files into
    one folder lists it once. ``dir_fd``: the folder held open, listed and changed through it."""
    key = os.path.abspath(folder)
    if key in _swept:
        return []
    _swept.add(key)
    removed = []
    try:
        with os.scandir(folder if dir_fd is None else dir_fd) as entries:
            names = [e.name for e in entries if e.name.endswith(TEMP_SUFFIX)]
    except OSError:
        return []
    for name in names:
        m = _OURS.match(name)
        if m is None or int(m.group(1)) == os.getpid() or not _process_gone(int(m.group(1))):
            continue
        try:
            if dir_fd is None:
                os.unlink(os.path.join(folder, name))
            else:
                os.unlink(name, dir_fd=dir_fd)
            removed.append(name)
        except OSError:
            pass
    return removed


def remove_temporaries() -> None:
    """Remove every temporary file still being written (a run ended by a signal)."""
    for path in list(_live):
        # Unlinked before it is forgotten: an interrupt between the two leaves it known, so
        # the next call (the run's last clean-up) still removes it.
        try:
            os.unlink(path)
        except OSError:
            pass
        _live.discard(path)


def _refuse_special(target: Path, follow: bool = True) -> int | None:
    """The target's permission bits, None when it does not exist; raises NotRegularFile.
    ``follow=False`` judges the directory entry itself (a symlink is replaced, not followed)."""
    try:
        st = os.stat(target) if follow else os.lstat(target)
    except FileNotFoundError:
        return None
    except OSError:
        return None  # the write itself will report what is wrong
    if stat.S_ISLNK(st.st_mode):
        return None  # the link is replaced by a new file, with the default permissions
    if not stat.S_ISREG(st.st_mode):
        raise _not_regular(st.st_mode)
    return st.st_mode & 0o7777


def _not_regular(mode: int) -> NotRegularFile:
    what = {
        stat.S_IFDIR: "a directory",
        stat.S_IFIFO: "a FIFO (named pipe)",
        stat.S_IFCHR: "a character device",
        stat.S_IFBLK: "a block device",
        stat.S_IFSOCK: "a socket",
    }.get(stat.S_IFMT(mode), "not a regular file")
    return NotRegularFile(errno.EEXIST, f"it is {what}, not a regular file; refusing to replace it")


def _default_mode() -> int:
    """Permissions a plain ``open(path, "w")`` would give a new file (mkstemp uses 0600)."""
    global _umask
    if _umask is None:
        _umask = os.umask(0o022)
        os.umask(_umask)
    return 0o666 & ~_umask


def write_text(path: str | os.PathLike, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def write_bytes(path: str | os.PathLike, data: bytes, fsync: bool = True) -> None:
    """Replace ``path`` with ``data`` atomically. A symlink is followed (the link stays), an
    existing file keeps its permissions. ``fsync=False`` skips the flush to disk (for caches,
    which may be lost but must never be torn)."""
    with replacing(path, fsync=fsync) as f:
        f.write(data)


class Pending:
    """The temporary file behind :func:`replacing`: ``write`` puts every byte in it."""

    def __init__(self, fd: int, path: str, target: Path):
        self.fd, self.path, self.target = fd, path, target

    def write(self, data: bytes) -> int:
        write_all(self.fd, data)
        return len(data)


def _open_temp(folder: Path, name: str, dir_fd: int | None) -> tuple[int, str, str]:
    """A new temporary file beside ``name`` in ``folder`` (opened relative to ``dir_fd`` when
    given): its descriptor, its name, and its path as registered among the live ones (before
    it exists, so that no moment leaves it unknown)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    limit = name_max(folder)
    remove_stale_temporaries(folder, dir_fd if dir_fd is not None and os.scandir in os.supports_fd else None)
    for _ in range(100):
        tmp = temp_name(name, limit)
        live = os.path.abspath(folder / tmp)
        # Registered first and kept when anything but "exists" interrupts the open: a signal
        # landing just after the file was made must not leave it unknown (removing a name
        # never made only fails quietly).
        _live.add(live)
        try:
            if dir_fd is None:
                return os.open(folder / tmp, flags, 0o600), tmp, live
            return os.open(tmp, flags, 0o600, dir_fd=dir_fd), tmp, live
        except FileExistsError:
            _live.discard(live)
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(folder))


@contextmanager
def replacing(
    path: str | os.PathLike,
    fsync: bool = True,
    follow: bool = True,
    dir_fd: int | None = None,
    before_commit=None,
) -> Iterator[Pending]:
    """A file that replaces ``path`` atomically when the block ends without an error (and is
    thrown away when it raises, a signal's exception included): for output written piece by
    piece, such as a batch report streamed as it is produced.

    ``follow=False`` replaces a symlink at ``path`` instead of writing where it points.
    ``dir_fd``: the folder of ``path``, held open (so it cannot be swapped for a link
    meanwhile): every operation is made relative to it, and the entry itself is replaced,
    never followed. ``before_commit(target)`` runs just before the rename and may raise to
    keep the old file."""
    from pathlib import Path

    if dir_fd is not None:
        follow = False
    if follow and os.path.islink(path):
        target = Path(os.path.realpath(path))
    else:
        target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    existing = _refuse_special(target, follow) if dir_fd is None else _refuse_in(dir_fd, target.name)
    mode = _default_mode() if existing is None else existing
    fd, tmp, live = _open_temp(folder, target.name, dir_fd)
    try:
        try:
            yield Pending(fd, tmp, target)
            if fsync:
                os.fsync(fd)
            try:
                portable.fchmod(fd, folder / tmp, mode)  # chmod by name where fchmod is missing
            except (OSError, AttributeError):
                pass
        finally:
            os.close(fd)
        if before_commit is not None:
            before_commit(target)
        if dir_fd is None:
            os.replace(folder / tmp, target)
        else:
            os.replace(tmp, target.name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
        _live.discard(live)
    except BaseException:
        try:
            if dir_fd is None:
                os.unlink(folder / tmp)
            else:
                os.unlink(tmp, dir_fd=dir_fd)
        except OSError:
            pass
        _live.discard(live)
        raise
    if fsync:
        _sync_folder(folder, dir_fd)


def _refuse_in(dir_fd: int, name: str) -> int | None:
    """:func:`_refuse_special` for a name in an open folder, the entry itself judged."""
    try:
        st = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except OSError:
        return None
    if stat.S_ISLNK(st.st_mode):
        return None
    if stat.S_ISREG(st.st_mode):
        return st.st_mode & 0o7777
    raise _not_regular(st.st_mode)


def _sync_folder(folder: Path, dir_fd: int | None) -> None:
    """The rename itself is durable only once the directory is flushed too."""
    if dir_fd is not None:
        try:
            os.fsync(dir_fd)
        except OSError:
            pass
        return
    try:
        dfd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)
