"""The string catalogue: every text medequip shows a person, in zh and en, kept as data.

The texts live in ``strings/*.toml`` at the top of the checkout (shipped inside the package as
``assistant/_data/strings``, like the rulesets), so they are reviewed and translated as data,
apart from the code. An entry is two dotted keys, ``profile.no_such_file.zh`` and ``….en``;
every file shares one key space. ``strings/findings.toml`` is the other shape: Chinese for the
English findings of code that is not ours to word (pydantic, the ruleset checks, the TOML
parser).

Each file is read once per process, when a lookup first needs it: the files are read in order
until the key is found, so a run that shows no text reads none and one that shows a status word
reads only ``words.toml`` (rtoml; tomli when rtoml is missing).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

# The files of texts, in the order a reader meets them; every key is in exactly one.
TEXT_FILES = ("words", "reports", "messages", "answers", "rules", "tui", "application", "help")
FINDINGS_FILE = "findings"


class CatalogueError(Exception):
    """The catalogue itself is malformed: a bug of the shipped data, found by the tests."""


def strings_dir() -> Path:
    """The catalogue's folder: inside the installed package, or the checkout's top level."""
    package = Path(__file__).resolve().parents[2]  # assistant/ (core/text/catalogue.py)
    packaged = package / "_data" / "strings"
    return packaged if packaged.is_dir() else package.parent / "strings"


def _parse(path: Path) -> dict:
    try:
        from rtoml import loads
    except ImportError:  # pragma: no cover - a dependency; tomli reads the same files
        from tomli import loads
    return loads(path.read_text(encoding="utf-8"))


def _flatten(node: dict, prefix: str, out: dict[str, tuple[str, str]], where: str) -> None:
    """Entries of ``node``: a table with ``zh`` and ``en`` is one (``prefix`` its key), and its
    other tables are entries below it (``ruleset`` and ``ruleset.is_dir`` may both exist)."""
    texts = {lang: node[lang] for lang in ("zh", "en") if lang in node}
    if texts:
        if len(texts) != 2 or not all(isinstance(v, str) for v in texts.values()):
            raise CatalogueError(f"{where}: {prefix} needs a zh and an en text")
        if prefix in out:
            raise CatalogueError(f"{where}: {prefix} is defined twice")
        out[prefix] = (texts["zh"], texts["en"])
    for name, value in node.items():
        if name in texts:
            continue
        if not isinstance(value, dict):
            raise CatalogueError(f"{where}: {prefix}.{name} is neither an entry nor zh/en")
        _flatten(value, f"{prefix}.{name}" if prefix else name, out, where)


# Entries read so far, and the files not read yet: a lookup reads files in order until it
# finds its key, so a run that needs a status word reads words.toml alone.
_found: dict[str, tuple[str, str]] = {}
_unread: list[str] = list(TEXT_FILES)


def _read_next() -> None:
    name = _unread.pop(0)
    _flatten(_parse(strings_dir() / f"{name}.toml"), "", _found, f"strings/{name}.toml")


def lookup(key: str) -> tuple[str, str]:
    """The (zh, en) texts of ``key``, placeholders in ``str.format`` style; KeyError if none."""
    found = _found.get(key)
    if found is None and key.startswith(("help.", "man.")) and "help" in _unread:
        _unread.remove("help")  # --help reads its own file alone: help texts live nowhere else
        _flatten(_parse(strings_dir() / "help.toml"), "", _found, "strings/help.toml")
        found = _found.get(key)
    while found is None:
        if not _unread:
            raise KeyError(key)
        _read_next()
        found = _found.get(key)
    return found


def entries() -> dict[str, tuple[str, str]]:
    """Every entry: its key and its (zh, en) texts."""
    while _unread:
        _read_next()
    return _found


def files_read() -> list[str]:
    return [name for name in TEXT_FILES if name not in _unread]


@cache
def _findings() -> dict:
    return _parse(strings_dir() / f"{FINDINGS_FILE}.toml")


@cache
def finding_patterns() -> tuple[tuple[str, str], ...]:
    """(English pattern, Chinese replacement) of the checks' findings, first match wins."""
    return tuple((f["en"], f["zh"]) for f in _findings().get("finding", []))


@cache
def toml_patterns() -> tuple[tuple[str, str, str], ...]:
    """(pattern, zh, en) of the TOML parser's syntax errors; the texts are ``str.format``
    templates filled from the pattern's named groups."""
    return tuple((f["pattern"], f["zh"], f["en"]) for f in _findings().get("toml", []))


def pydantic_zh() -> dict[str, str]:
    """pydantic's error types and their Chinese wording."""
    return _findings().get("pydantic", {})
