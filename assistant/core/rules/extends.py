"""The chain of rulesets a variant ``extends``, found by id and edition, without recursion.

A variant names its base by id and edition, never by path: the base is looked up among the
files beside the variant, the ``--ruleset`` files and the bundled rulesets, and may extend
another in turn. :func:`chain` walks those links one at a time and refuses a chain longer than
:data:`MAX_EXTENDS`, one that comes back to a ruleset already in it, and a link it cannot find,
each with one message naming the file and the links. Each candidate file is read through the
one reader and parsed with every bound checked, once per run however many variants look at it
(:func:`peek`); the parsed data waits for the load that uses it (:func:`take_parsed`). Loading
the rulesets found is ``loader.find_base``.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..io.digest import sha256_hex
from ..text.i18n import Msg
from ..text.messages import msg
from ..text.sanitize import escape
from .model import RulesetFile
from .read import MAX_RULESET_BYTES, RulesetError, parse, read_bytes
from .store import current

# Links of ``extends`` followed from a ruleset to the one it finally adapts. A province adapts
# the national standard (one link), a city perhaps the province (two); 32 is far beyond any
# honest chain and keeps loading one bounded (each level is validated and built in turn).
MAX_EXTENDS = 32


def _candidates(path, bundled: Path):
    """Rulesets a base may be found among: the files beside the variant, the --ruleset
    files, then the bundled ones (unless the variant is bundled itself)."""
    path = Path(path).resolve()
    seen = {path}
    extra = current().extra_files  # --ruleset files given on the command line
    for f in [*sorted(path.parent.glob("*.toml")), *(Path(x).resolve() for x in extra)]:
        f = f.resolve()
        if f in seen or f.name == "facts.toml":
            continue
        seen.add(f)
        yield f
    bundled_dir = bundled.resolve()
    if path.parent != bundled_dir:
        for f in sorted(bundled_dir.glob("*.toml")):
            if f.name != "facts.toml" and f.resolve() not in seen:
                yield f


# What _peek found is kept in the run's store by file identity: each file of a folder is read
# and parsed once per run, however many variants search that folder (a changed file has
# another identity); the parsed data waits there, by the SHA-256 of its bytes, for its load.


def take_parsed(sha: str) -> dict | None:
    """The data of a file _peek parsed, by the SHA-256 of its bytes (once: it is let go)."""
    return current().parsed.pop(sha, None)


def peek(f) -> tuple[str, str] | None:
    """(id, edition) of a ruleset file without validating it; None for anything else."""
    found = _peek_full(f)
    return None if found is None else found[:2]


def _peek_full(f) -> tuple | None:
    """(id, edition, extends) of a ruleset file, ``extends`` an (id, edition) pair or None,
    read through the one reader and parsed with every bound checked; None for a file that is
    not a readable, bounded TOML file with a ``[ruleset]`` table."""
    import stat

    try:
        st = os.stat(f)
    except (OSError, ValueError):
        return None
    store = current()
    ident = (str(f), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
    if ident in store.peeked:
        return store.peeked[ident]
    found = None
    # Only regular files of a sane size: a folder may hold a FIFO or a huge file.
    if stat.S_ISREG(st.st_mode) and st.st_size <= MAX_RULESET_BYTES:
        try:
            raw = read_bytes(Path(f), "ruleset")
            data = parse(raw, Path(f), "ruleset")
        # ValueError: a number tomli will not convert; RecursionError: nesting past its stack
        except (RulesetError, ValueError, RecursionError):
            data = None
        found = _head(data)
        if found is not None:
            store.parsed[sha256_hex(raw)] = data
    store.peeked[ident] = found
    return found


def _head(data) -> tuple | None:
    """(id, edition, extends) of parsed ruleset data, None when it has no ``[ruleset]``."""
    head = data.get("ruleset") if isinstance(data, dict) else None
    if not isinstance(head, dict):
        return None
    ext = head.get("extends")
    link = (ext.get("id"), ext.get("edition")) if isinstance(ext, dict) else None
    return (head.get("id"), head.get("edition"), link)


def remember(f, data) -> None:
    """A file loaded before any variant looked at it: what :func:`peek` would find in it is
    kept, so that a later search of its folder does not parse it again."""
    try:
        f = Path(f).resolve()
        st = os.stat(f)
    except (OSError, ValueError, RuntimeError):
        return
    ident = (str(f), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
    current().peeked.setdefault(ident, _head(data))


def _named(link) -> str:
    return f"{link[0]} {link[1]}"


def _locate(want: tuple, path, bundled: Path):
    """The file of ruleset ``want`` (id, edition) as the variant at ``path`` finds it."""
    return next((f for f in _candidates(path, bundled) if peek(f) == want), None)


def chain(data: RulesetFile, path, bundled: Path) -> list[Path]:
    """The files of the rulesets the variant at ``path`` extends, its own base first and the
    ruleset extending nothing last. Walked without recursion; refused (naming the file and
    the links) when a file cannot be found, when the chain returns to a ruleset already in
    it, or when it is longer than MAX_EXTENDS. ``bundled``: the folder of the bundled rulesets."""
    me = (data.ruleset.id, data.ruleset.edition)
    names = [me]
    start = Path(path).resolve()
    seen = {start: 0}
    files: list[Path] = []
    current, want = Path(path), data.ruleset.extends
    want = (want.id, want.edition)
    while True:
        if len(files) >= MAX_EXTENDS:
            raise RulesetError(_too_deep(path, names + [want]))
        found = _locate(want, current, bundled)
        if found is None and want == me and not files:
            raise RulesetError(_cycle(path, [me, me]))  # itself: no other file of that name
        if found is None:
            raise RulesetError(
                msg("extends.base_not_found", path=escape(str(current)), base=want[0], edition=want[1])
            )
        names.append(want)
        resolved = Path(found).resolve()
        if resolved in seen:
            raise RulesetError(_cycle(path, names))
        seen[resolved] = len(files) + 1
        files.append(Path(found))
        peeked = _peek_full(found)
        if peeked is None or peeked[2] is None:
            return files
        current, want = Path(found), peeked[2]


def _cycle(path, names: list) -> Msg:
    """The chain from the file loaded to where it returns: "a 1 extends b 1, which extends a 1"."""
    first, *rest = [_named(n) for n in names]
    extends, which_extends = msg("extends.extends"), msg("extends.which_extends")
    chain = Msg(
        extends.zh.join([first, which_extends.zh.join(rest)]),
        extends.en.join([first, which_extends.en.join(rest)]),
    )
    return msg("extends.circle", shown=escape(str(path)), chain=chain)


def _too_deep(path, names: list) -> Msg:
    shown = escape(str(path))
    links = names[:3] + [("…", "")] + names[-2:] if len(names) > 6 else names
    chain = " → ".join(_named(n).strip() for n in links)
    return msg("extends.too_deep", shown=shown, limit=MAX_EXTENDS, chain=chain)
