"""A terminal for the tests: ``medequip`` run as a process in a pseudo-terminal, read back as a
screen.

The program runs exactly as a person starts it (``python -m assistant interview ...``) with a
pty as its terminal (``ptyprocess``); everything it writes is fed to a terminal emulator
(``pyte``) by a reader thread, so the test reads the screen a person would see. Keys are sent
as a terminal sends them: text as UTF-8, Enter as CR, arrows and function keys as escape
sequences. Nothing sleeps for a fixed time: ``wait`` polls a condition on the screen or the
saved profile, with generous time limits (the machine may be busy).
"""

from __future__ import annotations

import os
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pyte
from ptyprocess import PtyProcess

ROOT = Path(__file__).resolve().parent.parent

KEYS = {
    "enter": "\r",
    "tab": "\t",
    "escape": "\x1b",
    "space": " ",
    "backspace": "\x7f",
    "up": "\x1b[A",
    "down": "\x1b[B",
    "right": "\x1b[C",
    "left": "\x1b[D",
    "pageup": "\x1b[5~",
    "pagedown": "\x1b[6~",
    "home": "\x1b[H",
    "end": "\x1b[F",
    "delete": "\x1b[3~",
    "f1": "\x1bOP",
    "f2": "\x1bOQ",
    "f3": "\x1bOR",
    **{f"ctrl+{c}": chr(ord(c) - 96) for c in "abcdefghknpqrsuvwy"},
}

TIMEOUT = 60.0  # seconds for any one condition: generous, for a loaded CI machine


class Terminal:
    def __init__(
        self,
        args: list[str],
        *,
        size: tuple[int, int] = (80, 24),
        cwd: str | os.PathLike | None = None,
        env: dict[str, str] | None = None,
        lang: str = "C.UTF-8",
        python: list[str] | None = None,
        argv: list[str] | None = None,
    ) -> None:
        cols, rows = size
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()
        self.lock = threading.Lock()
        self.last_output = time.monotonic()
        full_env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "LC_", "PYTEST"))}
        full_env.update(
            {
                "TERM": "xterm-256color",
                "LANG": lang,
                "COLUMNS": str(cols),
                "LINES": str(rows),
                "PYTHONPATH": str(ROOT),
                # No cache folder of the user's: every run starts the same way.
                "MEDEQUIP_CACHE_DIR": "off",
            }
        )
        full_env.pop("NO_COLOR", None)
        full_env.update(env or {})
        argv = argv or [sys.executable, *(python or ["-m", "assistant"]), *args]
        # Never the repository: a path typed wrong (save-as) must not land in it.
        cwd = cwd or tempfile.mkdtemp(prefix="medequip-pty-")
        self.proc = PtyProcess.spawn(argv, cwd=str(cwd), env=full_env, dimensions=(rows, cols))
        self.code: int | None = None
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    # --- output -----------------------------------------------------------------------------

    def _read(self) -> None:
        fd = self.proc.fd
        while True:
            try:
                data = os.read(fd, 65536)
            except OSError:
                return
            if not data:
                return
            with self.lock:
                self.raw += data
                self.stream.feed(data)
                self.last_output = time.monotonic()

    def lines(self) -> list[str]:
        """The screen's rows as text (a wide character's second cell adds nothing)."""
        with self.lock:
            buffer = self.screen.buffer
            return [
                "".join(buffer[y][x].data for x in range(self.screen.columns)).rstrip()
                for y in range(self.screen.lines)
            ]

    def text(self) -> str:
        return "\n".join(self.lines())

    def wait(self, condition: Callable[[], object] | str, what: str = "", timeout: float = TIMEOUT) -> None:
        """Until ``condition()`` holds, or the text ``condition`` is on the screen."""
        if isinstance(condition, str):
            wanted = condition
            condition = lambda: wanted in self.text()  # noqa: E731
            what = what or repr(wanted)
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}\n--- screen ---\n{self.text()}")
            if not self.alive() and self.code is not None:
                if condition():
                    return
                raise AssertionError(
                    f"the program ended (exit {self.code}) while waiting for {what}\n"
                    f"--- screen ---\n{self.text()}"
                )
            time.sleep(0.01)

    def quiet(self, gap: float = 0.15, timeout: float = TIMEOUT) -> None:
        """Until nothing has been drawn for ``gap`` seconds: the screen shows what follows the
        last key (a person reads the screen before typing on)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() - self.last_output < gap:
            if time.monotonic() > deadline:
                raise AssertionError("the screen never settled")
            time.sleep(0.01)

    def show(self, text: str, what: str = "") -> None:
        """Wait for ``text`` on the screen, then for the screen to settle."""
        self.wait(text, what)
        self.quiet()

    # --- input ------------------------------------------------------------------------------

    def send(self, *keys: str) -> None:
        """Each key as the terminal sends it: a name from ``KEYS`` or literal text (UTF-8)."""
        for key in keys:
            data = KEYS.get(key, key)
            os.write(self.proc.fd, data.encode("utf-8"))

    def type(self, text: str) -> None:
        """Text typed key by key, as fast as a terminal delivers it."""
        for ch in text:
            os.write(self.proc.fd, ch.encode("utf-8"))

    # --- the process ------------------------------------------------------------------------

    def alive(self) -> bool:
        if self.code is not None:
            return False
        if self.proc.isalive():
            return True
        self.code = (
            self.proc.exitstatus if self.proc.exitstatus is not None else 128 + (self.proc.signalstatus or 0)
        )
        return False

    def exit_code(self, timeout: float = TIMEOUT) -> int:
        self.wait(lambda: not self.alive(), "the program to end", timeout)
        self.reader.join(timeout=5)
        assert self.code is not None
        return self.code

    def kill(self, sig: int) -> None:
        os.kill(self.proc.pid, sig)

    def hang_up(self, signal_too: bool = True) -> None:
        """The terminal goes away, as when its window is closed: the pty's master side closes
        (the kernel then hangs up the terminal) and the process gets SIGHUP, as a terminal
        emulator sends it (``signal_too``)."""
        if signal_too:
            self.kill(signal.SIGHUP)
        self.proc.fileobj.close()

    def close(self) -> None:
        if self.alive():
            try:
                self.proc.terminate(force=True)
            except Exception:  # noqa: BLE001
                pass
        try:
            self.proc.fileobj.close()
        except OSError:
            pass

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
