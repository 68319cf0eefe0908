"""The bounds every ruleset from outside passes before it is parsed into models.

:func:`preflight` is what every ``--ruleset PATH`` and ``rules lint`` go through: a ruleset is
data from outside, and a huge, deeply nested or absurdly repetitive one must be refused with a
clear message rather than hang the evaluator.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from . import loader as loader_limits
from .errors import LocalizedError
from .i18n import Msg
from .messages import msg, toml_error

# Limits: the bundled rulesets are at most ~100 KB, depth 11, 2,700 values, 58 rules, 7
# exemption grounds, 6 choices and 900-character strings. These are an order of magnitude
# above that and low enough that loading, evaluating and reporting stay around a second.
# (loader.py bounds depth, array lengths, strings and numbers too; these add the counts
# that make evaluation and reports expensive.)
MAX_BYTES = loader_limits.MAX_RULESET_BYTES
MAX_DEPTH = loader_limits.MAX_DEPTH
MAX_NODES = 100_000
MAX_STRING = 10_000  # stricter than the loader's per-string bound: this one also bounds reports
MAX_COUNTS = {"rules": 1000, "facts": 2000, "exemptions": 100, "equipment": 20}
MAX_GROUNDS = 100
# Every rule is checked against every exemption ground, and each waiver is reported: bound
# the product so a report stays a report (the bundled rulesets need 58 x 7 = 406).
MAX_RULE_GROUNDS = 20_000
MAX_PATTERNS = 50
MAX_LIST = 500


class RulesetTooLarge(LocalizedError):
    """A ruleset refused before parsing it into models."""


class Unreadable(LocalizedError):
    """A ruleset that is not a readable TOML file."""


def _at(path, message: Msg) -> Msg:
    return Msg(f"{path}: ", f"{path}: ") + message


def read_toml(path: Path) -> tuple[dict, str]:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise Unreadable(_at(path, msg("preflight.no_such_file"))) from None
    except OSError as e:
        raise Unreadable(_at(path, msg("preflight.cannot_read", reason=e.strerror or e))) from None
    if path.is_dir():
        raise Unreadable(_at(path, msg("preflight.is_dir")))
    if size > MAX_BYTES:
        raise RulesetTooLarge(_at(path, msg("preflight.size", size=f"{size:,}", limit=f"{MAX_BYTES:,}")))
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
    except OSError as e:
        raise Unreadable(_at(path, msg("preflight.cannot_read", reason=e.strerror or e))) from None
    except UnicodeDecodeError as e:
        raise Unreadable(_at(path, msg("preflight.not_utf8", byte=e.start))) from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as e:
        raise Unreadable(_at(path, toml_error(e))) from None
    except RecursionError:
        raise RulesetTooLarge(_at(path, msg("preflight.too_deep", limit=MAX_DEPTH))) from None


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


def preflight(path: Path) -> dict | None:
    """Refuse an absurd ruleset (RulesetTooLarge). Returns the parsed TOML, or None when the
    file cannot be read at all: the loader then reports that in its own words."""
    try:
        data, _ = read_toml(path)
    except Unreadable:
        return None
    measure(data, path)
    check_counts(data, path)
    return data
