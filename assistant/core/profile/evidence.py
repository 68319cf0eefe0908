"""Evidence per clause: the files an applicant attaches to a rule (or an exemption clause), as
the profile records them in ``[[evidence]]`` entries the evaluator never reads.

Each entry names the clause (``rule``), the file's path relative to the profile's folder
(``path``: POSIX separators, normalised, may go up with ``..``), its ``size`` and ``sha256``
when attached, and an optional ``note``. The record is what a reviewer checks the package
against: a file whose content differs from its record is "changed since attached".

Everything here is data and bytes: paths are never taken from a profile to be written, only
read (a file attached is read to hash it, and only when it is a regular file), and the
checks of a recorded path refuse what a package could not hold (an absolute path, a drive
letter, a backslash, a control character).
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..rules.store import current
from ..text.i18n import Msg, Words
from ..text.messages import kind as _kind
from ..text.messages import msg, quoted_short, word
from ..text.messages import suggest as _suggest

TABLE = "evidence"
KEYS = ("rule", "path", "size", "sha256", "note")
MAX_ENTRIES = 1000
MAX_PATH_CHARS = 1024
MAX_SEGMENT_BYTES = 255
MAX_NOTE_CHARS = 500
# One attached file at most, and all of an application's together: what a package may hold
# (``core/profile/package.py`` refuses larger ones when reading, so nothing packed is unreadable).
MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_DRIVE = re.compile(r"^[A-Za-z]:")
_CHUNK = 1 << 20

# The state of one attached file, and of a checklist item's evidence as a whole.
FILE_STATES = ("ok", "missing", "changed")
ITEM_STATES = ("attached", "missing", "changed")

STATE_LABEL = Words(
    {
        "ok": "profile.evidence.state_label.ok",
        "missing": "profile.evidence.state_label.missing",
        "changed": "profile.evidence.state_label.changed",
    }
)
ITEM_LABEL = Words(
    {
        "attached": "profile.evidence.item_label.attached",
        "missing": "profile.evidence.item_label.missing",
        "changed": "profile.evidence.item_label.changed",
    }
)


@dataclass(frozen=True)
class Entry:
    """One attached file: the clause it proves, where it is (relative to the profile's
    folder), what it was when attached, and the applicant's note."""

    rule: str
    path: str
    size: int
    sha256: str
    note: str = ""
    line: int | None = None  # where the profile holds it (messages only)

    def as_data(self) -> dict[str, Any]:
        out: dict[str, Any] = {"rule": self.rule, "path": self.path, "size": self.size, "sha256": self.sha256}
        if self.note:
            out["note"] = self.note
        return out


class EvidenceProblem(ValueError):
    """A recorded path or value that cannot be used; ``msg`` says why, in both languages."""

    def __init__(self, message: Msg):
        super().__init__(message.en)
        self.msg = message


# --- paths ------------------------------------------------------------------------------------


def path_problem(path: str) -> Msg | None:
    """Why ``path`` is not a recorded evidence path (relative, POSIX, normalised), or None."""
    from ..text.sanitize import first_unsafe

    if not path:
        return msg("evidence.path_empty")
    if len(path) > MAX_PATH_CHARS:
        return msg("evidence.path_long", n=f"{len(path):,}", limit=MAX_PATH_CHARS)
    m = first_unsafe(path)
    if m is not None:
        from ..text.sanitize import describe

        return msg("evidence.path_char", char=describe(m.group()))
    if "\\" in path:
        return msg("evidence.path_backslash")
    if path.startswith("/") or _DRIVE.match(path):
        return msg("evidence.path_absolute")
    if path != normalise(path):
        return msg("evidence.path_normal", normal=normalise(path))
    for seg in path.split("/"):
        if len(seg.encode("utf-8")) > MAX_SEGMENT_BYTES:
            return msg("evidence.path_segment", limit=MAX_SEGMENT_BYTES)
    if path.split("/")[-1] == "..":
        return msg("evidence.path_normal", normal=path + "/…")
    return None


def normalise(path: str) -> str:
    """A relative path in its one recorded spelling: POSIX separators, no ``.`` or empty
    parts, ``a/../b`` as ``b`` (leading ``..`` kept: a file may sit beside the folder)."""
    p = posixpath.normpath(path)
    return "" if p == "." else p


def relative_to(file: str, folder: str) -> str:
    """``file`` as recorded for a profile in ``folder``. Raises EvidenceProblem when no
    relative path leads there (another drive on Windows)."""
    try:
        rel = os.path.relpath(os.path.abspath(file), os.path.abspath(folder))
    except ValueError:
        raise EvidenceProblem(msg("evidence.other_drive")) from None
    return normalise(rel.replace(os.sep, "/"))


def on_disk(folder: str, path: str) -> str:
    """Where the recorded ``path`` is, for a profile in ``folder``."""
    return os.path.join(folder, *path.split("/"))


def profile_folder(source: str) -> str:
    """The folder recorded paths are relative to: the profile's, or the current one for a
    profile read from standard input."""
    if source in ("-", "<stdin>") or not source:
        return os.getcwd()
    return os.path.dirname(os.path.abspath(source))


# --- reading a file -----------------------------------------------------------------------------


def digest(path: str, limit: int = MAX_FILE_BYTES) -> tuple[int, str]:
    """``(size, sha256)`` of the regular file at ``path`` (a link to one is fine), read in
    chunks, at most ``limit`` bytes. Raises safeio.Refused for anything else (a FIFO is never
    opened blocking, a device never read)."""
    from ..io import portable, safeio

    try:
        fd = os.open(path, portable.read_flags())
    except FileNotFoundError:
        raise safeio.Refused("missing", msg("evidence.no_file")) from None
    except IsADirectoryError:
        raise safeio.Refused("directory", msg("evidence.not_regular", node=msg("node.directory"))) from None
    except PermissionError:
        if os.path.isdir(path):
            raise safeio.Refused(
                "directory", msg("evidence.not_regular", node=msg("node.directory"))
            ) from None
        raise safeio.Refused("permission", msg("io.permission")) from None
    except OSError as e:
        raise safeio.Refused("unreadable", msg("io.unreadable", reason=e.strerror or e)) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise safeio.Refused("special", msg("evidence.not_regular", node=safeio.node_kind(st.st_mode)))
        if st.st_size > limit:
            raise safeio.Refused(
                "too_big", msg("evidence.too_big", size=f"{st.st_size:,}", limit=f"{limit:,}")
            )
        h = hashlib.sha256()
        size = 0
        while True:
            chunk = os.read(fd, _CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if size > limit:
                raise safeio.Refused(
                    "too_big", msg("evidence.too_big", size=f"> {limit:,}", limit=f"{limit:,}")
                )
            h.update(chunk)
    except OSError as e:
        raise safeio.Refused("unreadable", msg("io.unreadable", reason=e.strerror or e)) from None
    finally:
        os.close(fd)
    return size, h.hexdigest()


def _current(path: str) -> tuple[int, str] | None:
    """(size, sha256) of the file at ``path`` now, or None when there is no regular file."""
    from ..io import safeio

    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    # What a file was when last hashed in this run, by identity and change time: a checklist
    # names one certificate under several clauses, and a batch reads it once.
    seen = current().table("evidence.hashed", limit=4096)
    key = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
    hit = seen.get(key)
    if hit is None:
        try:
            hit = digest(path)
        except safeio.Refused:
            return None
        seen[key] = hit
    return hit


Lookup = Callable[[str], "tuple[int, str] | None"]


def disk_lookup(folder: str) -> Lookup:
    """What a recorded path holds on disk now, for a profile in ``folder``."""
    return lambda path: _current(on_disk(folder, path))


def state(entry: Entry, lookup: Lookup) -> str:
    """``ok``, ``missing`` (no file there) or ``changed`` (its content differs from the
    record)."""
    found = lookup(entry.path)
    if found is None:
        return "missing"
    size, sha = found
    return "ok" if (size, sha) == (entry.size, entry.sha256) else "changed"


def item_state(states: list[str]) -> str:
    """A clause's evidence as a whole: ``missing`` when nothing is attached or a file is
    gone, else ``changed`` when a file differs from its record, else ``attached``."""
    if not states or "missing" in states:
        return "missing"
    return "changed" if "changed" in states else "attached"


# --- the [[evidence]] table ---------------------------------------------------------------------


def check_table(
    value: Any,
    source: str,
    line_of: Callable[[int, str | None], int | None],
    check_text: Callable[[Any, str, Callable], str],
) -> tuple[Entry, ...]:
    """Validate the profile's ``[[evidence]]`` array: every entry a table of the known keys,
    with a rule id, a recorded path, a size, a SHA-256 and an optional note (checked as the
    profile's other text, ``check_text``); no clause and path twice. ``line_of(i, key)``: the
    line of entry ``i`` (its key). Raises ProfileError naming the file, the line and the
    field."""
    from .read import ProfileError

    def err(i: int, key: str | None, message: Msg) -> ProfileError:
        path = f"{TABLE}[{i}]" + (f".{key}" if key else "")
        return ProfileError(source, message, line_of(i, key), path)

    if not isinstance(value, list) or not all(isinstance(e, dict) for e in value):
        got = (
            _kind(value)
            if not isinstance(value, list)
            else msg("kind.array_holding", kind=next(_kind(e) for e in value if not isinstance(e, dict)))
        )
        raise ProfileError(source, msg("evidence.expected_array", got=got), line_of(0, None), TABLE)
    if len(value) > MAX_ENTRIES:
        raise ProfileError(
            source, msg("evidence.too_many", n=f"{len(value):,}", limit=MAX_ENTRIES), line_of(0, None), TABLE
        )
    out: list[Entry] = []
    seen: dict[tuple[str, str], int] = {}
    for i, item in enumerate(value):
        problem = _entry_problem(item)
        if problem is not None:
            key, message = problem
            raise err(i, key, message)
        note = item.get("note", "")
        if note != "":
            note = check_text(note, "", lambda m, i=i: err(i, "note", m))
        rule, path = item["rule"], item["path"]
        first = seen.get((rule, path))
        if first is not None:
            raise err(
                i, None, msg("evidence.duplicate", rule=rule, path=path, first=line_of(first, None) or "?")
            )
        seen[(rule, path)] = i
        out.append(Entry(rule, path, item["size"], item["sha256"], note, line_of(i, "rule")))
    return tuple(out)


def _rule_problem(rule: Any) -> Msg | None:
    if not isinstance(rule, str) or not re.match(r"^[a-z_]+/\d+(\.\d+)*$", rule):
        return msg("evidence.rule_form", got=_kind(rule))
    return None


def _path_value_problem(path: Any) -> Msg | None:
    if not isinstance(path, str):
        return msg("value.text", got=_kind(path))
    return path_problem(path)


def _size_problem(size: Any) -> Msg | None:
    if isinstance(size, bool) or not isinstance(size, int) or not 0 <= size <= MAX_FILE_BYTES:
        return msg("evidence.size", limit=f"{MAX_FILE_BYTES:,}", got=_kind(size))
    return None


def _sha_problem(sha: Any) -> Msg | None:
    if not isinstance(sha, str) or not _HEX64.match(sha):
        return msg("evidence.sha256", got=_kind(sha))
    return None


# The checks of an entry's required keys, in the order a person reads them.
_FIELD_CHECKS = (
    ("rule", _rule_problem),
    ("path", _path_value_problem),
    ("size", _size_problem),
    ("sha256", _sha_problem),
)


def _entry_problem(item: dict) -> tuple[str | None, Msg] | None:
    """The first thing wrong with one entry (its key, or None for the entry), or None."""
    for key in item:
        if key not in KEYS:
            hint = _suggest(key, list(KEYS)) or msg("evidence.expected_keys", keys=", ".join(KEYS))
            return key, msg("profile.unknown_key", key=quoted_short(key), hint=hint)
    for key, _ in _FIELD_CHECKS:
        if key not in item:
            return None, msg("evidence.missing_key", key=key)
    for key, check in _FIELD_CHECKS:
        problem = check(item[key])
        if problem is not None:
            return key, problem
    return None


def known_clauses(rs, equipment: str) -> dict[str, Any]:
    """Every clause evidence may be attached to: the equipment's rules and exemption
    clauses, by id."""
    return {r.id: r for r in (*rs.rules_for(equipment), *rs.exemptions_for(equipment))}


def check_rules(entries: tuple[Entry, ...], rs, equipment: str, source: str) -> None:
    """Every entry's clause is one of the equipment's rules or exemption clauses."""
    from .read import ProfileError

    known = known_clauses(rs, equipment)
    for i, e in enumerate(entries):
        if e.rule not in known:
            raise ProfileError(
                source,
                msg(
                    "evidence.unknown_rule",
                    rule=repr(e.rule),
                    equipment=equipment,
                    hint=_suggest(e.rule, list(known)),
                ),
                e.line,
                f"{TABLE}[{i}].rule",
            )


# --- editing the profile (comments kept) ----------------------------------------------------


def edit_text(
    text: str,
    add: list[Entry] | tuple[Entry, ...] = (),
    remove: set[tuple[str, str]] | frozenset = frozenset(),
    replace: bool = False,
    lang: str = "en",
) -> str:
    """The profile's text with ``add`` appended as ``[[evidence]]`` entries (``replace``: an
    entry of the same clause and path has its record updated in place instead) and the
    entries ``remove`` names (clause, path) taken out. Every other line, comment and key
    order stays as the person wrote it (tomlkit edits the document in place)."""
    import tomlkit

    doc = tomlkit.parse(text)
    aot = doc.get(TABLE)
    if aot is not None:
        for i in reversed(range(len(aot))):
            if (str(aot[i].get("rule")), str(aot[i].get("path"))) in remove:
                del aot[i]
        if not len(aot) and not add:
            del doc[TABLE]
            return tomlkit.dumps(doc)
    index = {(str(t.get("rule")), str(t.get("path"))): t for t in (aot or ())}
    for e in add:
        t = index.get((e.rule, e.path)) if replace else None
        if t is not None:
            _update(t, e)
        else:
            aot = _append(doc, aot, e, lang)
    return tomlkit.dumps(doc).rstrip("\n") + "\n"


def _update(t, e: Entry) -> None:
    """A recorded file's record made what it is now (its note kept unless a new one)."""
    t["size"] = e.size
    t["sha256"] = e.sha256
    if e.note:
        t["note"] = e.note


def _append(doc, aot, e: Entry, lang: str):
    """Append ``e`` as a new ``[[evidence]]`` entry; the array (made on the first entry, with
    a comment saying what it is)."""
    import tomlkit

    t = tomlkit.table()
    if aot is None:
        for line in word("profile.evidence.evidence_note", lang).splitlines():
            t.add(tomlkit.comment(line))
    for k, v in e.as_data().items():
        t[k] = v
    if aot is None:
        aot = tomlkit.aot()
        aot.append(t)
        doc[TABLE] = aot
        return doc[TABLE]
    if len(aot) and not aot[-1].as_string().endswith("\n\n"):
        aot[-1].add(tomlkit.ws("\n"))  # a blank line between entries, as people write them
    aot.append(t)
    return aot
