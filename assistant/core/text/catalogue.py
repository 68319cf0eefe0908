"""The string catalogue: every text medequip shows a person, in zh and en, kept as data.

The texts live in ``strings/*.toml`` at the top of the checkout, so they are reviewed and
translated as data, apart from the code. An entry is two dotted keys, ``profile.no_such_file.zh``
and ``….en``; every file shares one key space. ``strings/findings.toml`` is the other shape:
Chinese for the English findings of code that is not ours to word (pydantic, the ruleset checks,
the TOML parser), read from the TOML (shipped as ``assistant/_data/strings``) when one is shown.

The program reads the texts from ``compiled/``: one Python module per file, generated from the
TOML by ``python -m assistant.core.text.catalogue`` (tests/test_catalogue.py fails, naming that
command, when one differs from its file). Python keeps their bytecode, so a text costs a
dictionary lookup, not a TOML parser's import (which with pathlib was a tenth of ``--help``).
A module is imported when a lookup first needs it, in the order of ``TEXT_FILES`` until the key
is found: a run that shows no text imports none, one that shows a status word only ``words``.
"""

from __future__ import annotations

import os
from functools import cache

# The files of texts, in the order a reader meets them; every key is in exactly one.
TEXT_FILES = ("words", "reports", "messages", "answers", "rules", "tui", "application", "help")
FINDINGS_FILE = "findings"


class CatalogueError(Exception):
    """The catalogue itself is malformed: a bug of the shipped data, found by the tests."""


@cache
def _folder() -> str:
    # os.path, not pathlib: every start-up that says a word comes through here, and pathlib
    # (with the URL parsing it imports) is not otherwise needed by --help.
    package = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
    packaged = os.path.join(package, "_data", "strings")
    return packaged if os.path.isdir(packaged) else os.path.join(os.path.dirname(package), "strings")


def strings_dir():
    """The catalogue's folder (a Path): inside the installed package, or the checkout's top level."""
    from pathlib import Path

    return Path(_folder())


def _parse(path: str) -> dict:
    try:
        from rtoml import loads
    except ImportError:  # pragma: no cover - a dependency; tomli reads the same files
        from tomli import loads
    with open(path, encoding="utf-8") as f:
        return loads(f.read())


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
# finds its key, so a run that needs a status word reads words alone.
_found: dict[str, tuple[str, str]] = {}
_unread: list[str] = list(TEXT_FILES)


def _read(name: str) -> None:
    from importlib import import_module

    _unread.remove(name)
    _found.update(import_module(f"{__package__}.compiled.{name}").ENTRIES)


def lookup(key: str) -> tuple[str, str]:
    """The (zh, en) texts of ``key``, placeholders in ``str.format`` style; KeyError if none."""
    found = _found.get(key)
    if found is None and key.startswith(("help.", "man.")) and "help" in _unread:
        _read("help")  # argparse needs help texts on every run: they live nowhere else
        found = _found.get(key)
    while found is None:
        if not _unread:
            raise KeyError(key)
        _read(_unread[0])
        found = _found.get(key)
    return found


def entries() -> dict[str, tuple[str, str]]:
    """Every entry: its key and its (zh, en) texts."""
    while _unread:
        _read(_unread[0])
    return _found


def files_read() -> list[str]:
    return [name for name in TEXT_FILES if name not in _unread]


@cache
def _findings() -> dict:
    return _parse(os.path.join(_folder(), f"{FINDINGS_FILE}.toml"))


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


# --- the compiled modules ---------------------------------------------------------------------


def compiled_modules() -> dict[str, str]:
    """The text of each module of ``compiled/``, from the TOML files (CatalogueError for a
    malformed entry or a key in two files)."""
    every: dict[str, tuple[str, str]] = {}
    out = {}
    for name in TEXT_FILES:
        own: dict[str, tuple[str, str]] = {}
        _flatten(_parse(os.path.join(_folder(), f"{name}.toml")), "", own, f"strings/{name}.toml")
        for key in own:
            if key in every:
                raise CatalogueError(f"strings/{name}.toml: {key} is defined twice")
        every.update(own)
        lines = [
            f'"""strings/{name}.toml, generated by ``python -m assistant.core.text.catalogue``: edit',
            'the TOML file and run that command, never this module."""',
            "",
            "ENTRIES = {",
        ]
        for key, (zh, en) in own.items():
            lines.append(f"    {_literal(key)}: ({_literal(zh)}, {_literal(en)}),")
        lines.append("}")
        out[name] = "\n".join(lines) + "\n"
    return out


def _literal(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)  # a JSON string is a Python string literal


def compiled_dir() -> str:
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "compiled")


if __name__ == "__main__":
    for name, text in compiled_modules().items():
        with open(os.path.join(compiled_dir(), f"{name}.py"), "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    print(f"wrote {len(TEXT_FILES)} modules into {compiled_dir()}")
