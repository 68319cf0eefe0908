"""Reading a profile's bytes (a file or standard input) and parsing them as TOML, with every
problem reported as one ``ProfileError`` naming the file, the line and column, and what was
expected. Validation against the fact catalogue is ``profile.py``."""

from __future__ import annotations

import re

from ..io import safeio, tomlparse
from ..io.digest import sha256_hex
from ..text.errors import LocalizedError
from ..text.i18n import Msg
from ..text.messages import as_msg, msg, toml_detail
from ..text.sanitize import escape as printable

MAX_PROFILE_BYTES = 1024 * 1024
# Profiles hold at most three levels ([[proton.clinical_staff]]); anything deeper is not one.
TOML_LIMITS = safeio.TomlLimits(depth=10)


class ProfileError(LocalizedError):
    """An unusable profile. ``str()`` is the one-line message shown to the user (English;
    ``localized(lang)`` in the reader's language):
    ``FILE:LINE[:COLUMN]: FIELD.PATH: what is wrong, and what was expected``."""

    def __init__(
        self,
        source: str,
        message: str | Msg,
        line: int | None = None,
        path: str | Msg | None = None,
        column: int | None = None,
    ):
        body, field = as_msg(message), as_msg(path) if path else None
        self.source, self.message, self.line, self.column = source, body.en, line, column
        self.path = field.en if field else None
        where = printable(source) + (f":{line}" if line else "") + (f":{column}" if line and column else "")
        prefix = as_msg(f"{where}: ")
        if field:
            prefix += Msg(printable(field.zh), printable(field.en)) + as_msg(": ")
        super().__init__(prefix + body)


def parse_bytes(raw: bytes, source: str) -> tuple[dict, str]:
    if len(raw) > MAX_PROFILE_BYTES:
        raise ProfileError(source, msg("profile.too_big", limit=f"{MAX_PROFILE_BYTES:,}"))
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, col = _position(raw, nul)
        raise ProfileError(
            source,
            msg("profile.nul"),
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
            msg("profile.not_utf8", byte=start, hex=f"{raw[start]:02x}"),
            line,
            column=col,
        ) from None
    if not text.strip():
        raise ProfileError(source, msg("profile.empty"))
    try:
        safeio.prescan_toml(text, TOML_LIMITS, raw)
    except safeio.TomlRefused as e:
        raise ProfileError(source, e.msg, e.line) from None
    try:
        return tomlparse.loads(text), text
    except tomlparse.TOMLDecodeError as e:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(e))
        detail = msg(
            "profile.invalid_toml", detail=toml_detail(re.sub(r"\s*\(at line \d+, column \d+\)", "", str(e)))
        )
        if m:
            raise ProfileError(source, detail, int(m.group(1)), column=int(m.group(2))) from None
        raise ProfileError(source, detail) from None
    except RecursionError:
        raise ProfileError(source, msg("profile.too_deep")) from None


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
            raise ProfileError("''", msg("io.empty_name", what=msg("what.profile")))
        return safeio.read_limited(path, MAX_PROFILE_BYTES, "profile"), path
    except safeio.Refused as e:
        raise ProfileError("<stdin>" if path == "-" else path, e.msg) from None


def sha256(raw: bytes) -> str:
    return sha256_hex(raw)
