"""Reading a profile's bytes (a file or standard input) and parsing them as TOML, with every
problem reported as one ``ProfileError`` naming the file, the line and column, and what was
expected. Validation against the fact catalogue is ``profile.py``."""

from __future__ import annotations

import hashlib
import re
import tomllib

from . import safeio
from .sanitize import UNSAFE as _CONTROL  # noqa: F401 - profile.py refuses these in text
from .sanitize import escape as printable

MAX_PROFILE_BYTES = 1024 * 1024
# Profiles hold at most three levels ([[proton.clinical_staff]]); anything deeper is not one.
TOML_LIMITS = safeio.TomlLimits(depth=10)


class ProfileError(Exception):
    """An unusable profile. ``str()`` is the one-line message shown to the user:
    ``FILE:LINE[:COLUMN]: FIELD.PATH: what is wrong, and what was expected``."""

    def __init__(
        self,
        source: str,
        message: str,
        line: int | None = None,
        path: str | None = None,
        column: int | None = None,
    ):
        self.source, self.message, self.line, self.path, self.column = source, message, line, path, column
        where = printable(source) + (f":{line}" if line else "") + (f":{column}" if line and column else "")
        super().__init__(f"{where}: {printable(path) + ': ' if path else ''}{message}")


def parse_bytes(raw: bytes, source: str) -> tuple[dict, str]:
    if len(raw) > MAX_PROFILE_BYTES:
        raise ProfileError(source, f"file is over {MAX_PROFILE_BYTES:,} bytes, the limit for a profile")
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, col = _position(raw, nul)
        raise ProfileError(
            source,
            "file contains NUL bytes (is it a binary file?); expected UTF-8 TOML text",
            line,
            column=col,
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        start = e.start + (3 if raw.startswith(b"\xef\xbb\xbf") else 0)
        line, col = _position(raw, start)
        raise ProfileError(
            source,
            f"not valid UTF-8 (byte {start} is 0x{raw[start]:02x}); expected UTF-8 text: save the file as UTF-8",
            line,
            column=col,
        ) from None
    if not text.strip():
        raise ProfileError(source, "file is empty: expected a TOML profile starting with schema_version = 1")
    try:
        safeio.prescan_toml(text, TOML_LIMITS)
    except safeio.TomlRefused as e:
        raise ProfileError(source, e.reason, e.line) from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(e))
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(e))
        if m:
            raise ProfileError(
                source, f"invalid TOML: {msg}", int(m.group(1)), column=int(m.group(2))
            ) from None
        raise ProfileError(source, f"invalid TOML: {msg}") from None
    except RecursionError:
        raise ProfileError(
            source, "nested too deeply to be a profile; expected [tables] of plain values"
        ) from None


def _position(raw: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of a byte offset."""
    line_start = raw.rfind(b"\n", 0, offset) + 1
    column = len(raw[line_start:offset].decode("utf-8", errors="replace")) + 1
    return raw.count(b"\n", 0, offset) + 1, column


def read_source(path: str) -> tuple[bytes, str]:
    """Bytes of a profile file, or of standard input for ``-``. Anything but a regular file
    (a FIFO, a device, a directory, a socket) is refused before it is read."""
    import sys

    try:
        if path == "-":
            return safeio.read_stream(sys.stdin.buffer, MAX_PROFILE_BYTES), "<stdin>"
        if not path:
            raise ProfileError("''", "an empty name is not a file; expected a profile file (.toml)")
        return safeio.read_limited(path, MAX_PROFILE_BYTES, "profile"), path
    except safeio.Refused as e:
        raise ProfileError("<stdin>" if path == "-" else path, e.reason) from None


def sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()
