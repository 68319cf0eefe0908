"""Rewriting a profile a person has edited, keeping their comments, order and formatting.

A profile written from scratch is ``profile.dumps`` (tomli-w). Once a person has touched the
file (a filled-in template, notes of their own), saving answers into it must change only
the answered keys: ``update`` edits the existing text with tomlkit, which keeps every comment,
blank line and key order. A new answer goes where the template put its question: the
commented-out placeholder ``# key =`` under the question's comment becomes ``key = value``;
a key with no placeholder is added at the end of its table. A key whose answer was taken back
is removed. Roster entries (``[[ns.roster]]``) are updated person by person, so a note on one
person survives a change to another.
"""

from __future__ import annotations

import re
from typing import Any

ENVELOPE = ("schema_version", "equipment", "ruleset_edition")


def _plain(value: Any) -> Any:
    unwrap = getattr(value, "unwrap", None)
    return unwrap() if callable(unwrap) else value


def _region(lines: list[str], ns: str) -> tuple[int, int] | None:
    """Line range of the table ``[ns]`` (header excluded), up to the next real header."""
    head = re.compile(r"^\s*\[\s*" + re.escape(ns) + r"\s*\]\s*(#.*)?$")
    start = next((i for i, ln in enumerate(lines) if head.match(ln)), None)
    if start is None:
        return None
    end = next((j for j in range(start + 1, len(lines)) if re.match(r"^\s*\[", lines[j])), len(lines))
    return start + 1, end


def _fill_placeholders(text: str, wanted: dict[str, dict[str, Any]]) -> tuple[str, set[str]]:
    """Turn ``# key =`` placeholders into ``key = value`` for keys not yet in the file."""
    import tomlkit

    lines = text.split("\n")
    done: set[str] = set()
    for ns, values in wanted.items():
        region = _region(lines, ns)
        if region is None:
            continue
        for name, value in values.items():
            pat = re.compile(r"^#\s*" + re.escape(name) + r"\s*=\s*$")
            for i in range(*region):
                if pat.match(lines[i]):
                    lines[i] = f"{name} = {tomlkit.item(value).as_string()}"
                    done.add(f"{ns}.{name}")
                    break
    return "\n".join(lines), done


def _set_roster(table, name: str, people: list[dict]) -> None:
    import tomlkit

    current = table.get(name)
    if not isinstance(current, tomlkit.items.AoT):
        aot = tomlkit.aot()
        for person in people:
            t = tomlkit.table()
            t.update(person)
            aot.append(t)
        if name in table:
            del table[name]
        table[name] = aot
        return
    for i, person in enumerate(people):
        if i < len(current):
            _sync(current[i], person)
        else:
            t = tomlkit.table()
            t.update(person)
            current.append(t)
    while len(current) > len(people):
        del current[len(current) - 1]


def _sync(table, values: dict[str, Any]) -> None:
    """Make ``table`` hold exactly ``values`` (for the keys it governs), editing in place."""
    for key in [k for k in table if k not in values]:
        del table[key]
    for key, value in values.items():
        if key not in table or _plain(table[key]) != value:
            table[key] = value


def _is_roster(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and isinstance(value[0], dict)


def _missing(doc, tables: dict[str, dict]) -> dict[str, dict]:
    """Per table, the flat answers the document does not hold yet (placeholders may take them)."""
    return {
        ns: {
            k: v
            for k, v in values.items()
            if not _is_roster(v) and not (ns in doc and isinstance(doc[ns], dict) and k in doc[ns])
        }
        for ns, values in tables.items()
    }


def _new_table(doc, ns: str, lang: str):
    """A table the profile did not have; a new ``[set_aside]`` opens with its note."""
    import tomlkit

    from ..text.messages import word
    from .document import SET_ASIDE

    doc[ns] = tomlkit.table()
    if ns == SET_ASIDE:
        for line in word("profile.document.set_aside_note", lang).splitlines():
            doc[ns].add(tomlkit.comment(line.removeprefix("# ")))


def _update_table(table, ns: str, values: dict, placed: set[str]) -> None:
    """``table`` made to hold exactly ``values``: what is gone removed, what changed set."""
    for name in [k for k in table if k not in values]:
        del table[name]
    for name, value in values.items():
        if _is_roster(value):
            _set_roster(table, name, value)
        elif f"{ns}.{name}" in placed:
            continue
        elif name not in table or _plain(table[name]) != value:
            table[name] = value


def update(text: str, data: dict[str, Any], lang: str = "en") -> str:
    """``text`` (an existing profile) changed to hold exactly the answers of ``data`` (the
    document ``profile.to_data`` builds), everything else left as the person wrote it. A new
    ``[set_aside]`` table opens with a note in ``lang`` saying what it is."""
    import tomlkit

    from .document import SET_ASIDE

    tables = {k: v for k, v in data.items() if isinstance(v, dict)}
    doc = tomlkit.parse(text)
    for ns in ("institution", data.get("equipment")):
        if ns in doc and isinstance(doc[ns], dict):
            tables.setdefault(ns, {})  # every answer in it was taken back
    text, placed = _fill_placeholders(text, _missing(doc, tables))
    doc = tomlkit.parse(text)
    for key in ENVELOPE:
        if key in data and key in doc and _plain(doc[key]) != data[key]:
            doc[key] = data[key]
    for ns, values in tables.items():
        if ns not in doc:
            _new_table(doc, ns, lang)
        _update_table(doc[ns], ns, values, placed)
    # A namespace the profile no longer answers anything in keeps its (now empty) table:
    # the person's comments under it stay too. ``[set_aside]`` is medequip's own: with
    # nothing set aside it goes.
    if SET_ASIDE in doc and SET_ASIDE not in data:
        del doc[SET_ASIDE]
    return tomlkit.dumps(doc)


def rewrite(
    path: str,
    data: dict[str, Any],
    fresh: str,
    untouched: str | None = None,
    old: str | None = None,
    lang: str = "en",
) -> str:
    """The text to save at ``path``: the existing profile updated in place when it is one of
    ours for the same equipment and a person may have edited it, else ``fresh`` (a profile
    written from scratch). ``untouched`` is what medequip itself last wrote there: a file
    still exactly that has nothing of a person's to keep, and is written fresh as before.
    ``old``: the file's text when the caller has already read it."""
    from pathlib import Path

    from ..io import tomlparse

    if old is None:
        p = Path(path)
        try:
            old = p.read_text("utf-8-sig") if p.is_file() else None
        except (OSError, UnicodeDecodeError):
            old = None
    if old is None or old == untouched:
        return fresh
    try:
        parsed = tomlparse.loads(old)
    except (ValueError, RecursionError):  # not TOML (or a number tomli will not convert)
        return fresh
    if parsed.get("schema_version") is None or parsed.get("equipment") != data.get("equipment"):
        return fresh
    try:
        return update(old, data, lang)
    except Exception:  # noqa: BLE001 - tomlkit could not keep this file's layout: a clean one still saves
        return fresh
