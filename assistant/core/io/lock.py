"""One writer per profile: an advisory lock held by the interview that edits a file.

Two interviews saving the same profile would each overwrite the other's answers after every
answer. The lock is taken on a small file beside the profile (``.NAME.lock``), never on the
profile itself: saves replace the profile by renaming a new file over it, and a lock on the
old file would be a lock on nothing. The file's text names its holder (process id, host,
start time) for the refusal message. How the lock is held depends on the platform:

- POSIX (Linux, macOS): ``fcntl.flock``. It belongs to the open file, so the kernel drops it
  when its process ends in any way, ``kill -9`` included: a lock file left behind by a killed
  interview is stale by construction and the next interview simply takes it over.
- Windows: ``msvcrt.locking`` on one byte far past the holder's text (a locked range cannot
  be read by others there, and the text must stay readable). Windows too releases it when its
  process ends.
- Anything else: the lock file is created exclusively (``O_EXCL``) and removed on release. A
  file left by a process that is gone is taken over when the holder's process id can be
  checked (POSIX); otherwise the refusal names the lock file to delete.
"""

from __future__ import annotations

import datetime
import errno
import os
import re
import socket
import stat
from pathlib import Path

from ..text.errors import LocalizedError
from ..text.messages import msg
from . import portable

# Where msvcrt locks its byte: past any holder text, so the text stays readable.
_MSVCRT_OFFSET = 1 << 20


class Locked(LocalizedError):
    """Another process holds the lock; the message names the file and who holds it."""


# Locks this process holds, by lock file, with how many holders share each: a second session
# in the same process (the chat starting over on the same file) is the same writer.
_held: dict[Path, list] = {}


def lock_path(profile: str | os.PathLike) -> Path:
    p = Path(os.path.realpath(profile))  # two names for one file share one lock
    return p.parent / f".{p.name}.lock"


def _backend() -> str:
    """``flock``, ``msvcrt`` or ``exclusive``: the first this platform has."""
    try:
        import fcntl  # noqa: F401

        return "flock"
    except ImportError:
        pass
    try:
        import msvcrt  # noqa: F401

        return "msvcrt"
    except ImportError:
        return "exclusive"


class ProfileLock:
    """``with ProfileLock(path):`` or :meth:`acquire` / :meth:`release`."""

    def __init__(self, profile: str | os.PathLike):
        self.profile = str(profile)
        self.path = lock_path(profile)
        self.fd: int | None = None
        self.kind = ""

    def acquire(self) -> None:
        shared = _held.get(self.path)
        if shared is not None:
            shared[1] += 1
            self.fd, self.kind = shared[0], shared[2]
            return
        kind = _backend()
        fd = self._exclusive() if kind == "exclusive" else self._locked(kind)
        if fd is None:
            return  # no lock to be had (a folder we cannot write to): unguarded, as before
        started = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
        note = f"pid {os.getpid()} on {socket.gethostname()}, started {started}"
        try:
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, note.encode("utf-8", "replace"))
        except OSError:
            pass
        self.fd, self.kind = fd, kind
        _held[self.path] = [fd, 1, kind]

    def _refuse(self, holder: str, hint: bool = False) -> Locked:
        from ..text.sanitize import escape

        refusal = msg("lock.held", path=escape(self.profile), holder=holder)
        if hint:  # a holder we cannot check: a person can
            shown = escape(str(self.path))
            refusal += msg("lock.stale_hint", shown=shown)
        return Locked(refusal)

    def _locked(self, kind: str) -> int | None:
        """A descriptor of the lock file holding the lock (flock or msvcrt), None when the
        file or the lock cannot be had at all; raises Locked when another process holds it."""
        for attempt in range(10):
            flags = portable.binary(os.O_RDWR | os.O_CREAT)
            for name in ("O_CLOEXEC", "O_NOFOLLOW", "O_NONBLOCK", "O_NOINHERIT"):
                flags |= getattr(os, name, 0)
            try:
                fd = os.open(self.path, flags, 0o600)
            except OSError:
                return None  # a folder we cannot write to (the save will say so), or a planted symlink
            if not stat.S_ISREG(os.fstat(fd).st_mode):  # a FIFO or device planted as the lock
                os.close(fd)
                return None
            try:
                held = _try_lock(fd, kind)
            except OSError:  # a file system without locks: behave as before, unguarded
                os.close(fd)
                return None
            if not held:
                holder = _read_holder(fd)
                os.close(fd)
                raise self._refuse(holder)
            # The holder we waited for may have removed the file after we opened it: then our
            # lock is on a file nobody else will open. Start again on the current one. (Windows
            # cannot remove a file another process holds open: no such race there.)
            if kind != "flock" or attempt == 9:
                return fd
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(self.path))
            except OSError:
                same = False
            if same:
                return fd
            os.close(fd)
        return None

    def _exclusive(self) -> int | None:
        """The lock as a file only this process created; a stale one (its holder's process
        is known to be gone) is removed and created again, once."""
        flags = portable.binary(os.O_RDWR | os.O_CREAT | os.O_EXCL)
        for name in ("O_CLOEXEC", "O_NOFOLLOW", "O_NOINHERIT"):
            flags |= getattr(os, name, 0)
        for _ in range(2):
            try:
                return os.open(self.path, flags, 0o600)
            except FileExistsError:
                holder = _holder_text(self.path)
                if _stale(holder):
                    try:
                        os.unlink(self.path)
                    except OSError:
                        pass
                    continue
                from ..text.sanitize import escape

                shown = escape(holder) if holder else msg("lock.starting")
                raise self._refuse(shown, hint=not _can_check_pids()) from None
            except OSError:
                return None
        return None

    def release(self) -> None:
        if self.fd is None:
            return
        shared = _held.get(self.path)
        if shared is not None and shared[1] > 1:
            shared[1] -= 1
            self.fd = None
            return
        _held.pop(self.path, None)
        if self.kind == "flock":
            # Unlink while still holding the lock, so nobody can lock the file in between; a
            # process that opened it meanwhile notices (see acquire) and starts again.
            _unlink(self.path)
            os.close(self.fd)
        else:
            # Windows cannot remove a file that is open: unlock and close it first.
            if self.kind == "msvcrt":
                _unlock_msvcrt(self.fd)
            os.close(self.fd)
            _unlink(self.path)
        self.fd = None

    def __enter__(self) -> ProfileLock:
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def _try_lock(fd: int, kind: str) -> bool:
    """Take the lock without waiting: True, or False when another process holds it. Raises
    OSError when the file system cannot lock at all."""
    if kind == "flock":
        import fcntl

        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True
    import msvcrt

    os.lseek(fd, _MSVCRT_OFFSET, os.SEEK_SET)
    try:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    except OSError as e:
        if e.errno in (errno.EACCES, getattr(errno, "EDEADLOCK", errno.EDEADLK), errno.EDEADLK):
            return False
        raise
    return True


def _unlock_msvcrt(fd: int) -> None:
    import msvcrt

    try:
        os.lseek(fd, _MSVCRT_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    except OSError:
        pass


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _holder_text(path: Path) -> str:
    try:
        with open(path, "rb") as f:
            return f.read(200).decode("utf-8", "replace").strip()
    except OSError:
        return ""


def _can_check_pids() -> bool:
    return os.name == "posix" and hasattr(os, "kill")


def _stale(holder: str) -> bool:
    """Whether the lock file's holder is a process of this host that is gone. Only where a
    process id can be checked without harm (POSIX: signal 0 tests, it sends nothing; on
    Windows os.kill would end the process)."""
    m = re.match(r"pid (\d+) on (\S+),", holder)
    if m is None or m.group(2) != socket.gethostname():
        return False
    if not _can_check_pids():
        return False
    try:
        os.kill(int(m.group(1)), 0)
    except ProcessLookupError:
        return True
    except (OSError, OverflowError, ValueError):
        return False
    return False


def _read_holder(fd: int) -> str:
    from ..text.sanitize import escape

    try:
        text = portable.pread(fd, 200, 0).decode("utf-8", "replace").strip()
    except OSError:
        text = ""
    return escape(text) if text else msg("lock.starting")
