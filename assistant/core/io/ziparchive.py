"""Zip archives made the same way every time, and read as if from a stranger.

:func:`build` makes a zip from names and bytes so that the same inputs give the same bytes:
entries sorted by name, every timestamp 1980-01-01 00:00, every file ``rw-r--r--`` made on
"Unix", deflated at one fixed level, no extra fields, no comment.

:func:`read` opens a zip that anybody may have made (an application package comes from
outside) and refuses, with one line, what could hurt the reader before extracting a byte: a
name that climbs out (``..``), an absolute name or a drive letter, a backslash or a control
character in a name, a link (a symlink entry), a name twice, an encrypted entry, too many
entries, an entry or a whole larger than the limits, and an entry whose declared size is far
above its compressed size (a zip bomb). Sizes are enforced while inflating too, so an entry
that lies about its size stops at the limit instead of filling memory.
"""

from __future__ import annotations

import io
import re
import stat
import zipfile
from dataclasses import dataclass

from ..text.i18n import Msg
from ..text.messages import msg

FIXED_TIME = (1980, 1, 1, 0, 0, 0)
FILE_MODE = 0o100644
LEVEL = 9


def build(files: dict[str, bytes]) -> bytes:
    """A zip holding ``files`` (name -> content), byte-for-byte the same for the same input."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=LEVEL) as z:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so the mode below means what it says everywhere
            info.external_attr = FILE_MODE << 16
            z.writestr(info, files[name], compress_type=zipfile.ZIP_DEFLATED, compresslevel=LEVEL)
    return out.getvalue()


@dataclass(frozen=True)
class Limits:
    entries: int = 2100
    entry_bytes: int = 512 * 1024 * 1024
    total_bytes: int = 2 * 1024 * 1024 * 1024 + 64 * 1024 * 1024
    # Deflate rarely does better than 100:1 on real documents; a bomb does 1000:1 and more.
    # Small entries are let through whatever their ratio (a page of spaces compresses well).
    ratio: int = 200
    ratio_from_bytes: int = 1024 * 1024


class Unsafe(ValueError):
    """A zip refused; ``msg`` says why in both languages (one line)."""

    def __init__(self, message: Msg):
        super().__init__(message.en)
        self.msg = message


_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def name_problem(name: str) -> Msg | None:
    """Why an entry name is not one to extract or trust, or None."""
    if _CONTROL.search(name):
        return msg("zip.name_control")
    if "\\" in name:
        return msg("zip.name_backslash")
    if name.startswith("/") or _DRIVE.match(name):
        return msg("zip.name_absolute")
    if ".." in name.split("/"):
        return msg("zip.name_traversal")
    if name == "" or "" in name.rstrip("/").split("/") or "." in name.split("/"):
        return msg("zip.name_odd")
    return None


def _is_link(info: zipfile.ZipInfo) -> bool:
    return info.create_system == 3 and stat.S_ISLNK(info.external_attr >> 16)


def _entry_problem(info: zipfile.ZipInfo, limits: Limits) -> Msg | None:
    problem = name_problem(info.filename)
    if problem is not None:
        return problem
    if _is_link(info):
        return msg("zip.link")
    if info.flag_bits & 0x1:
        return msg("zip.encrypted")
    if info.file_size > limits.entry_bytes:
        return msg("zip.entry_big", size=f"{info.file_size:,}", limit=f"{limits.entry_bytes:,}")
    if info.file_size > limits.ratio_from_bytes and info.file_size > limits.ratio * max(
        info.compress_size, 1
    ):
        return msg("zip.bomb", ratio=f"{info.file_size // max(info.compress_size, 1):,}", limit=limits.ratio)
    return None


def _quoted(name: str) -> str:
    return repr(name.encode("unicode_escape").decode("ascii") if _CONTROL.search(name) else name)


def read(data: bytes, limits: Limits = Limits()) -> dict[str, bytes]:
    """Every file in the zip ``data`` (name -> content; folders left out), or Unsafe saying
    which entry was refused and why."""
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        infos = z.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError) as e:
        raise Unsafe(msg("zip.not_zip", reason=str(e) or type(e).__name__)) from None
    if len(infos) > limits.entries:
        raise Unsafe(msg("zip.too_many", n=f"{len(infos):,}", limit=f"{limits.entries:,}"))
    seen: set[str] = set()
    total = 0
    for info in infos:
        problem = _entry_problem(info, limits)
        if problem is not None:
            raise Unsafe(msg("zip.entry", name=_quoted(info.filename), problem=problem))
        if info.filename in seen:
            raise Unsafe(msg("zip.entry", name=_quoted(info.filename), problem=msg("zip.twice")))
        seen.add(info.filename)
        total += info.file_size
        if total > limits.total_bytes:
            raise Unsafe(msg("zip.total_big", limit=f"{limits.total_bytes:,}"))
    out: dict[str, bytes] = {}
    for info in infos:
        if info.is_dir():
            continue
        out[info.filename] = _inflate(z, info)
    return out


def _inflate(z: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """An entry's bytes, never more than it declared (a lying header stops here)."""
    chunks = []
    got = 0
    try:
        with z.open(info) as f:
            while True:
                chunk = f.read(1 << 20)
                if not chunk:
                    break
                got += len(chunk)
                if got > info.file_size:
                    raise Unsafe(msg("zip.entry", name=_quoted(info.filename), problem=msg("zip.lies")))
                chunks.append(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as e:
        reason = msg("zip.corrupt", reason=str(e) or type(e).__name__)
        raise Unsafe(msg("zip.entry", name=_quoted(info.filename), problem=reason)) from None
    return b"".join(chunks)
