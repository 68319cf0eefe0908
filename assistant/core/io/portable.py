"""What differs between platforms, in one place: every call that exists only on POSIX systems
(Linux, macOS) is made here, behind a check that the platform has it, with a fallback that
works where it does not (Windows).

- Opening for reading: ``O_NONBLOCK`` keeps a FIFO from blocking the open. Where there is no
  such flag (Windows, which has no FIFOs in the file system either) the path is looked at
  before it is opened, and the descriptor once it is. ``O_BINARY`` (Windows only) keeps the C
  library from turning ``\\r\\n`` into ``\\n`` and stopping at Ctrl+Z.
- Owners: ``geteuid`` and a file's owner and mode bits say who may have written a file (the
  ruleset cache is used only when nobody else could). Windows decides that with access
  control lists, and a user's cache folder is private there by default: the check is skipped.
- ``fchmod`` / ``pathconf``: ``chmod`` on the name, and 255 characters, where they are missing.
- Signals: SIGHUP and SIGTERM are handled where they exist (:func:`stop_signals`); a Ctrl+C
  re-sent to the main thread uses ``pthread_kill`` where it exists and
  ``_thread.interrupt_main`` elsewhere (``entry.py``, which must import nothing then).
- Locks: see ``lock.py`` (``fcntl.flock``, else ``msvcrt.locking``, else a lock file created
  exclusively).

Each check is made when the call is made, not when this module is imported, so a test can take
an API away (monkeypatch) and run the program as a platform without it would.
"""

from __future__ import annotations

import os
import stat


def has_nonblocking_open() -> bool:
    return hasattr(os, "O_NONBLOCK")


def read_flags() -> int:
    """Flags to open a file for reading without blocking on a FIFO, without becoming its
    controlling terminal, without handing it to a child, and in binary mode."""
    flags = os.O_RDONLY
    for name in ("O_NONBLOCK", "O_CLOEXEC", "O_NOCTTY", "O_BINARY", "O_NOINHERIT"):
        flags |= getattr(os, name, 0)
    return flags


def binary(flags: int) -> int:
    """``flags`` with ``O_BINARY`` where the platform has it (Windows)."""
    return flags | getattr(os, "O_BINARY", 0)


def pre_open_mode(path) -> int | None:
    """Where a FIFO could block ``open()`` (no ``O_NONBLOCK``), the kind of file at ``path``
    before opening it, so that anything but a regular file is refused first; None where the
    open cannot block (the descriptor is checked after it). Raises OSError as ``os.stat``."""
    if has_nonblocking_open():
        return None
    return os.stat(path).st_mode


def checks_owners() -> bool:
    """Whether files have a POSIX owner and mode bits that say who may write them."""
    return hasattr(os, "geteuid")


def owner_problem(st: os.stat_result) -> str | None:
    """``"other_user"`` or ``"writable"`` when the file or folder with status ``st`` may have
    been written by someone else; None when it is the current user's own (or the platform
    has no owners to check)."""
    if not checks_owners():
        return None
    if st.st_uid != os.geteuid():
        return "other_user"
    if stat.S_IMODE(st.st_mode) & 0o022:
        return "writable"
    return None


def fchmod(fd: int, path, mode: int) -> None:
    """Set the permission bits of the open file ``fd`` (named ``path``)."""
    if hasattr(os, "fchmod"):
        os.fchmod(fd, mode)
    else:  # Windows (before Python 3.13): only the read-only bit exists, set by name
        os.chmod(path, mode)


def name_max(folder) -> int:
    """The longest file name ``folder`` takes, in bytes; 255 where it cannot be asked."""
    if hasattr(os, "pathconf"):
        try:
            return int(os.pathconf(folder, "PC_NAME_MAX"))
        except (OSError, ValueError, TypeError):
            pass
    return 255


def pread(fd: int, n: int, offset: int) -> bytes:
    """Up to ``n`` bytes at ``offset`` of ``fd``."""
    if hasattr(os, "pread"):
        return os.pread(fd, n, offset)
    os.lseek(fd, offset, os.SEEK_SET)
    return os.read(fd, n)


def stop_signals() -> tuple[int, ...]:
    """The signals that ask a program to stop, besides Ctrl+C: SIGTERM (where it is
    delivered) and SIGHUP (a terminal that went away), where the platform has them."""
    import signal

    return tuple(
        s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s is not None
    )


def utf8_output(stream, terminal: bool | None = None) -> None:
    """Make ``stream`` able to write every character medequip prints. A file or a pipe gets
    UTF-8 (what JSON, CSV and HTML declare), whatever the locale says (a Chinese Windows says
    GBK, some POSIX locales Latin-1); a terminal keeps its encoding and shows what it cannot
    print as an escape rather than failing."""
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    reconfigure = getattr(stream, "reconfigure", None)
    if encoding in ("utf8", "utf8sig") or reconfigure is None:
        return
    if terminal is None:
        try:
            terminal = stream.isatty()
        except (AttributeError, ValueError, OSError):
            terminal = False
    try:
        if terminal:
            reconfigure(errors="backslashreplace")
        else:
            reconfigure(encoding="utf-8")
    except (AttributeError, ValueError, OSError, LookupError):
        pass
