"""Reading a ruleset's bytes and parsing them as TOML, with every bound checked: the one way
in for rulesets, question files and the fact catalogue, shared by the loader, ``--ruleset``'s
preflight and ``rules lint``, so the three refuse exactly the same files in the same words.

A ruleset is data from outside (``--ruleset``): before anything is built from it its size,
text (``safeio.prescan_toml``), nesting, list lengths, string lengths, numbers and counts are
bounded, so a hostile file is refused with a message instead of hanging or exhausting memory.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..io import safeio, tomlparse
from ..io.safeio import magnitude
from ..text.errors import LocalizedError
from ..text.i18n import Msg
from ..text.messages import as_msg, at, msg, toml_error
from ..text.sanitize import escape

# A custom ruleset is data from outside: refuse absurd sizes before parsing them.
MAX_RULESET_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 40  # tables and arrays inside each other; conditions nest by two levels per all/any
MAX_ITEMS = 2_000  # entries in any one array (rules, facts, choices, parts of a condition)
MAX_STRING = 10_000  # characters in any one string (it also bounds what a report prints)
MAX_INT = 10**9  # absolute value of any number (the bundled data stays below 10**8)


class RulesetError(LocalizedError):
    """A ruleset that cannot be used; the message names the file and what is wrong."""


class RulesetTooLarge(RulesetError):
    """A ruleset refused before parsing it into models."""


class Unreadable(RulesetError):
    """A ruleset that is not a readable TOML file."""


# Limits: the bundled rulesets are at most ~100 KB, depth 11, 2,700 values, 58 rules, 7
# exemption grounds, 6 choices and 900-character strings. These are an order of magnitude
# above that and low enough that loading, evaluating and reporting stay around a second.
# (_check_bounds bounds depth, array lengths, strings and numbers too; these add the counts
# that make evaluation and reports expensive.)
MAX_NODES = 100_000
MAX_COUNTS = {"rules": 1000, "facts": 2000, "exemptions": 100, "equipment": 20}
MAX_GROUNDS = 100
# Every rule is checked against every exemption ground, and each waiver is reported: bound
# the product so a report stays a report (the bundled rulesets need 58 x 7 = 406).
MAX_RULE_GROUNDS = 20_000
MAX_PATTERNS = 50
MAX_LIST = 500


_WHAT = {"ruleset": "what.ruleset", "questions": "what.questions", "fact catalogue": "what.facts"}


def _what(what: str) -> Msg:
    return msg(_WHAT[what]) if what in _WHAT else Msg(what, what)


def _fail(path, key: str, **kw) -> RulesetError:
    """The catalogue's message ``key`` about the file at ``path`` (shown escaped)."""
    if "what" in kw:
        kw["what"] = _what(kw["what"])
    return RulesetError(at(escape(str(path)), msg(key, **kw)))


def read_bytes(path: Path, what: str) -> bytes:
    """The file's bytes through the one reader (``safeio``): a FIFO, a device, a directory
    or a socket is refused before anything is read, and at most the limit is read."""
    if not str(path):
        raise RulesetError(at("''", msg("io.empty_name", what=_what(what))))
    try:
        return safeio.read_limited(path, MAX_RULESET_BYTES, "ruleset" if what == "ruleset" else what)
    except safeio.Refused as e:
        raise RulesetError(at(escape(str(path)), e.msg)) from None


def parse(raw: bytes, path: Path, what: str) -> dict:
    """Bytes to TOML data, every bound checked: the text is pre-scanned before ``tomllib``
    sees it, and the data measured before anything is built from it (the counts included:
    the loader and ``rules lint`` refuse the same files)."""
    shown = escape(str(path))
    if b"\x00" in raw:
        raise _fail(path, "ruleset.nul", what=what)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise _fail(path, "ruleset.not_utf8", what=what, byte=e.start) from None
    try:
        safeio.prescan_toml(text, safeio.TomlLimits(depth=MAX_DEPTH))
    except safeio.TomlRefused as e:
        raise RulesetError(at(f"{shown}:{e.line}" if e.line else shown, e.msg)) from None
    try:
        data = tomlparse.loads(text)
    except tomlparse.TOMLDecodeError as e:
        raise RulesetError(at(shown, toml_error(e))) from None
    except RecursionError:
        raise _fail(path, "ruleset.depth", limit=MAX_DEPTH) from None
    _check_bounds(data, path)
    measure(data, shown)
    check_counts(data, shown)
    return data


def _check_bounds(data: dict, path: Path) -> None:
    """Refuse what no honest ruleset needs: deep nesting, huge arrays, strings or numbers.
    Iterative, so a hostile document cannot exhaust the stack here either. Numbers are
    described by their size, never printed whole."""
    stack: list[tuple[object, str, int]] = [(data, "", 0)]
    while stack:
        node, where, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise _fail(path, "ruleset.depth_at", where=where, limit=MAX_DEPTH)
        if isinstance(node, dict):
            _check_size(node, path, "ruleset.keys", where or msg("top_level"))
            stack += [
                (v, f"{where}.{escape(str(k))}" if where else escape(str(k)), depth + 1)
                for k, v in node.items()
            ]
        elif isinstance(node, list):
            _check_size(node, path, "ruleset.entries", where)
            stack += [(v, f"{where}[{i}]", depth + 1) for i, v in enumerate(node)]
        else:
            _check_scalar(node, path, where)


def _check_size(node, path: Path, key: str, where) -> None:
    if len(node) > MAX_ITEMS:
        raise _fail(path, key, where=where, n=f"{len(node):,}", limit=f"{MAX_ITEMS:,}")


def _check_scalar(node: object, path: Path, where: str) -> None:
    """A string within MAX_STRING, an integer within MAX_INT, and no float."""
    if isinstance(node, str) and len(node) > MAX_STRING:
        raise _fail(path, "ruleset.string", where=where, n=f"{len(node):,}", limit=f"{MAX_STRING:,}")
    if isinstance(node, int) and not isinstance(node, bool) and abs(node) > MAX_INT:
        raise _fail(path, "ruleset.int", where=where, value=magnitude(node), limit=f"{MAX_INT:,}")
    if isinstance(node, float):
        raise _fail(path, "ruleset.float", where=where, value=repr(node))


def _at(path, message: Msg) -> Msg:
    return as_msg(f"{path}: ") + message


def measure(data: Any, path: Path) -> None:
    """Depth, total size, string lengths and list lengths, without recursion."""
    nodes = 0
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            raise RulesetTooLarge(_at(path, msg("preflight.nodes", limit=f"{MAX_NODES:,}")))
        if depth > MAX_DEPTH:
            raise RulesetTooLarge(_at(path, msg("preflight.depth", limit=MAX_DEPTH)))
        if isinstance(value, dict):
            stack += [(v, depth + 1) for v in value.values()]
        elif isinstance(value, list):
            if len(value) > MAX_LIST and depth > 2:
                raise RulesetTooLarge(_at(path, msg("preflight.list", n=f"{len(value):,}", limit=MAX_LIST)))
            stack += [(v, depth + 1) for v in value]
        elif isinstance(value, str) and len(value) > MAX_STRING:
            raise RulesetTooLarge(
                _at(path, msg("preflight.text", n=f"{len(value):,}", limit=f"{MAX_STRING:,}"))
            )


def check_counts(data: dict, path: Path) -> None:
    for key, limit in MAX_COUNTS.items():
        items = data.get(key)
        if isinstance(items, list) and len(items) > limit:
            raise RulesetTooLarge(
                _at(path, msg("preflight.count", n=f"{len(items):,}", key=key, limit=f"{limit:,}"))
            )
    grounds = 0
    for ex in data.get("exemptions") or []:
        if not isinstance(ex, dict) or not isinstance(ex.get("grounds"), list):
            continue
        grounds += len(ex["grounds"])
        for g in ex["grounds"]:
            if not isinstance(g, dict):
                continue
            n = sum(
                len(g.get(k) or []) for k in ("waives", "within", "must_meet") if isinstance(g.get(k), list)
            )
            if n > MAX_PATTERNS:
                raise RulesetTooLarge(_at(path, msg("preflight.patterns", n=f"{n:,}", limit=MAX_PATTERNS)))
    if grounds > MAX_GROUNDS:
        raise RulesetTooLarge(_at(path, msg("preflight.grounds", n=f"{grounds:,}", limit=MAX_GROUNDS)))
    rules = len(data.get("rules") or []) if isinstance(data.get("rules"), list) else 0
    if rules * grounds > MAX_RULE_GROUNDS:
        raise RulesetTooLarge(
            _at(
                path,
                msg(
                    "preflight.combinations",
                    rules=f"{rules:,}",
                    grounds=f"{grounds:,}",
                    limit=f"{MAX_RULE_GROUNDS:,}",
                ),
            )
        )
