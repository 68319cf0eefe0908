"""The on-disk cache of validated rulesets.

A validated ruleset is pickled into the user's cache directory, keyed by the SHA-256 of the
ruleset source, of the code its classes come from, of the fact catalogue and of the version,
so ``check`` can start without importing pydantic. The cache only ever saves time: a missing,
stale, unreadable or tampered entry is rebuilt.

Whoever can write the cache can decide verdicts, so it is used only when the folder and the
entry are the current user's own and nobody else may write to them (as ssh treats its keys);
otherwise it is ignored with a one-line note. An entry is read through the one reader with a
size limit, and the loader bounds the work of using one (``loader._bounded``): a pickle can
share objects, and a small entry could otherwise hold a condition graph of 2**80 paths. It knows nothing of rulesets itself (the
loader passes in what to hash and how to recognise a valid entry), so it imports nothing of
ours but ``atomic``.
"""

from __future__ import annotations

import os
import pickle
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path

from ... import __version__
from .digest import sha256

CACHE_FORMAT = 2  # 2: records pickled as plain classes and named tuples, not dataclasses
CACHE_KEEP = 32  # entries kept; older ones are removed when a new one is written
MAX_ENTRY_BYTES = 8 * 1024 * 1024  # the bundled rulesets need about 100 KB


def cache_dir() -> Path | None:
    """Where validated rulesets are cached: ``$MEDEQUIP_CACHE_DIR`` (empty or ``off``
    disables the cache), else the platform's user cache directory from platformdirs
    (``$XDG_CACHE_HOME/medequip`` or ``~/.cache/medequip`` on Linux)."""
    override = os.environ.get("MEDEQUIP_CACHE_DIR")
    if override is not None:
        return None if override.strip().lower() in ("", "0", "off", "no", "false") else Path(override)
    try:
        if sys.platform.startswith("linux"):
            # What platformdirs says on Linux, without importing it (and tempfile, shutil…)
            # on every check's start-up.
            xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
            return (Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache") / "medequip"
        import platformdirs

        path = platformdirs.user_cache_path("medequip", appauthor=False)
        # The XDG spec says a relative $XDG_CACHE_HOME is to be ignored; platformdirs uses it.
        return path if path.is_absolute() else Path.home() / ".cache" / "medequip"
    except (RuntimeError, KeyError):  # no home directory
        return None


@cache
def _code_fingerprint(files: tuple[str, ...], extra: bytes) -> str:
    h = sha256(f"{CACHE_FORMAT}\0{__version__}\0{sys.version}\0".encode())
    for f in (*files, __file__):
        try:
            h.update(Path(f).read_bytes())
        except OSError:
            h.update(f.encode())
    h.update(extra)
    return h.hexdigest()


def key(sha: str, code_files: tuple[str, ...], extra: bytes) -> str:
    """The entry name for a source with SHA-256 ``sha``, built by the classes in
    ``code_files`` against ``extra`` (the fact catalogue): a change to any makes it stale."""
    return sha256(f"{_code_fingerprint(code_files, extra)}\0{sha}".encode()).hexdigest()


_ALLOWED = {
    ("assistant.core.rules.loader", "Ruleset"),
    ("datetime", "date"),
    ("assistant.core.rules.variant", "Difference"),
} | {
    ("assistant.core.rules.model", name)
    for name in (
        "Text",
        "Choice",
        "Needs",
        "People",
        "Fact",
        "Compare",
        "All",
        "Any_",
        "Not",
        "Implies",
        "Count",
        "Qualified",
        "Rules",
        "Evidence",
        "Extends",
        "Override",
        "DropExemption",
        "Rule",
        "Ground",
        "Exemption",
        "EquipmentInfo",
        "Meta",
        "RulesetFile",
    )
}


class _Unpickler(pickle.Unpickler):
    """Builds ruleset classes and plain data, nothing else: a tampered cache file cannot
    make medequip run code."""

    def find_class(self, module: str, name: str):
        if (module, name) in _ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a ruleset cache")


def trusted(folder: Path) -> bool:
    """Whether ``folder`` may be used: it is the current user's own and nobody else may write
    to it. A folder that is refused is named once, on standard error."""
    from ..text.sanitize import escape
    from .safeio import untrusted

    try:
        st = os.stat(folder)
    except FileNotFoundError:
        return True  # put() creates it, private
    except OSError:
        return False
    from ..text.i18n import default_lang
    from ..text.messages import msg

    why = untrusted(st) if os.path.isdir(folder) else msg("trust.not_folder")
    if why is None:
        return True
    from .safeio import run_files

    noted = run_files().noted
    if str(folder) not in noted:
        noted.add(str(folder))
        note = msg("cache.not_used", folder=escape(str(folder)), why=why)
        print(note.get(default_lang()), file=sys.stderr)
    return False


def get(entry: str, valid: Callable[[object], bool]) -> object | None:
    """The cached object for ``entry`` if there is one and ``valid`` accepts it."""
    import io

    from . import safeio

    folder = cache_dir()
    if folder is None or not trusted(folder):
        return None
    try:
        raw = safeio.read_limited(folder / f"ruleset-{entry}.pickle", MAX_ENTRY_BYTES, "cache", private=True)
        obj = _Unpickler(io.BytesIO(raw)).load()
    except Exception:  # missing, foreign, too big, unreadable, truncated or tampered: rebuild
        return None
    return obj if valid(obj) else None


def put(entry: str, obj: object) -> None:
    folder = cache_dir()
    if folder is None or not trusted(folder):
        return
    from . import atomic

    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        target = folder / f"ruleset-{entry}.pickle"
        if target.exists():
            target.unlink()  # the atomic writer would keep its permissions, which may be unsafe
        atomic.write_bytes(
            target,
            pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL),
            fsync=False,
        )
        entries = sorted(folder.glob("ruleset-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[CACHE_KEEP:]:
            old.unlink()
    except (OSError, pickle.PicklingError, RecursionError):
        pass  # a cache that cannot be written only costs time
