"""One writer per profile: an advisory lock held by the interview that edits a file.

Two interviews saving the same profile would each overwrite the other's answers after every
answer. The lock is a ``flock`` on a small file beside the profile (``.NAME.lock``), never on
the profile itself: saves replace the profile by renaming a new file over it, and a lock on
the old file would be a lock on nothing. ``flock`` belongs to the open file, so the kernel
drops it when its process ends in any way, ``kill -9`` included: a lock file left behind by a
killed interview is stale by construction and the next interview simply takes it over. The
file's text names its holder (process id, host, start time) for the refusal message.
"""

from __future__ import annotations

import datetime
import os
import socket
import stat
from pathlib import Path

from .errors import LocalizedError
from .messages import msg


class Locked(LocalizedError):
    """Another process holds the lock; the message names the file and who holds it."""


# Locks this process holds, by lock file, with how many holders share each: a second session
# in the same process (the chat starting over on the same file) is the same writer.
_held: dict[Path, list] = {}


def lock_path(profile: str | os.PathLike) -> Path:
    p = Path(os.path.realpath(profile))  # two names for one file share one lock
    return p.parent / f".{p.name}.lock"


class ProfileLock:
    """``with ProfileLock(path):`` or :meth:`acquire` / :meth:`release`."""

    def __init__(self, profile: str | os.PathLike):
        self.profile = str(profile)
        self.path = lock_path(profile)
        self.fd: int | None = None

    def acquire(self) -> None:
        import fcntl

        from .sanitize import escape

        shared = _held.get(self.path)
        if shared is not None:
            shared[1] += 1
            self.fd = shared[0]
            return
        while True:
            flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
            try:
                fd = os.open(self.path, flags | os.O_NONBLOCK, 0o600)
            except OSError:
                return  # a folder we cannot write to (the save will say so), or a planted symlink
            if not stat.S_ISREG(os.fstat(fd).st_mode):  # a FIFO or device planted as the lock
                os.close(fd)
                return
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _read_holder(fd)
                os.close(fd)
                raise Locked(msg("lock.held", path=escape(self.profile), holder=holder)) from None
            except OSError:  # a file system without locks: behave as before, unguarded
                os.close(fd)
                return
            # The holder we waited for may have removed the file after we opened it: then our
            # lock is on a file nobody else will open. Start again on the current one.
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(self.path))
            except OSError:
                same = False
            if same:
                break
            os.close(fd)
        started = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
        note = f"pid {os.getpid()} on {socket.gethostname()}, started {started}"
        try:
            os.ftruncate(fd, 0)
            os.write(fd, note.encode("utf-8", "replace"))
        except OSError:
            pass
        self.fd = fd
        _held[self.path] = [fd, 1]

    def release(self) -> None:
        if self.fd is None:
            return
        shared = _held.get(self.path)
        if shared is not None and shared[1] > 1:
            shared[1] -= 1
            self.fd = None
            return
        _held.pop(self.path, None)
        # Unlink while still holding the lock, so nobody can lock the file in between; a
        # process that opened it meanwhile notices (see acquire) and starts again.
        try:
            os.unlink(self.path)
        except OSError:
            pass
        os.close(self.fd)
        self.fd = None

    def __enter__(self) -> ProfileLock:
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def _read_holder(fd: int) -> str:
    from .sanitize import escape

    try:
        text = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
    except OSError:
        text = ""
    return escape(text) if text else msg("lock.starting")
