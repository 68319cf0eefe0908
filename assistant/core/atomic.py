"""Atomic file writes: temp file in the same directory, flush, fsync, rename.

A reader (or a crash, or a SIGKILL at any moment) sees either the old file or the new one,
never half of either. Every file medequip writes goes through here: profiles, autosaves,
reports and its cache.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from . import portable

_umask: int | None = None


class NotRegularFile(OSError):
    """The target exists and is not a regular file. A device, a FIFO, a socket or a directory
    is never replaced by a file: ``-o /dev/null`` run as root must not delete ``/dev/null``."""


def _refuse_special(target: Path) -> int | None:
    """The target's permission bits, None when it does not exist; raises NotRegularFile."""
    try:
        st = os.stat(target)
    except FileNotFoundError:
        return None
    except OSError:
        return None  # the write itself will report what is wrong
    if not stat.S_ISREG(st.st_mode):
        what = {
            stat.S_IFDIR: "a directory",
            stat.S_IFIFO: "a FIFO (named pipe)",
            stat.S_IFCHR: "a character device",
            stat.S_IFBLK: "a block device",
            stat.S_IFSOCK: "a socket",
        }.get(stat.S_IFMT(st.st_mode), "not a regular file")
        raise NotRegularFile(errno.EEXIST, f"it is {what}, not a regular file; refusing to replace it")
    return st.st_mode & 0o7777


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


@contextmanager
def replacing(path: str | os.PathLike, fsync: bool = True) -> Iterator[BinaryIO]:
    """A binary file that replaces ``path`` atomically when the block ends without an error
    (and is thrown away when it raises): for output written piece by piece, such as a batch
    report streamed as it is produced."""
    target = Path(os.path.realpath(path)) if os.path.islink(path) else Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    existing = _refuse_special(target)
    mode = _default_mode() if existing is None else existing
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            if fsync:
                os.fsync(f.fileno())
            try:
                portable.fchmod(f.fileno(), tmp, mode)  # chmod by name where fchmod is missing
            except OSError:
                pass
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    if not fsync:
        return
    # The rename itself is durable only once the directory is flushed too.
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
