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


class RulesetTooLarge(Exception):
    """A ruleset refused before parsing it into models."""


class Unreadable(Exception):
    """A ruleset that is not a readable TOML file."""


def read_toml(path: Path) -> tuple[dict, str]:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise Unreadable(f"{path}: no such file") from None
    except OSError as e:
        raise Unreadable(f"{path}: cannot read: {e.strerror or e}") from None
    if path.is_dir():
        raise Unreadable(f"{path}: is a directory, expected a ruleset file")
    if size > MAX_BYTES:
        raise RulesetTooLarge(f"{path}: ruleset is {size:,} bytes; the limit is {MAX_BYTES:,} bytes")
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
    except OSError as e:
        raise Unreadable(f"{path}: cannot read: {e.strerror or e}") from None
    except UnicodeDecodeError as e:
        raise Unreadable(f"{path}: not UTF-8 text (byte {e.start})") from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as e:
        raise Unreadable(f"{path}: invalid TOML: {e}") from None
    except RecursionError:
        raise RulesetTooLarge(
            f"{path}: nested too deeply to be a ruleset (at most {MAX_DEPTH} levels)"
        ) from None


def measure(data: Any, path: Path) -> None:
    """Depth, total size, string lengths and list lengths, without recursion."""
    nodes = 0
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            raise RulesetTooLarge(f"{path}: more than {MAX_NODES:,} values; a ruleset is refused beyond that")
        if depth > MAX_DEPTH:
            raise RulesetTooLarge(
                f"{path}: nested more than {MAX_DEPTH} levels deep (conditions inside conditions); refused"
            )
        if isinstance(value, dict):
            stack += [(v, depth + 1) for v in value.values()]
        elif isinstance(value, list):
            if len(value) > MAX_LIST and depth > 2:
                raise RulesetTooLarge(
                    f"{path}: a list of {len(value):,} items; at most {MAX_LIST} allowed inside an entry"
                )
            stack += [(v, depth + 1) for v in value]
        elif isinstance(value, str) and len(value) > MAX_STRING:
            raise RulesetTooLarge(
                f"{path}: a text of {len(value):,} characters; at most {MAX_STRING:,} allowed"
            )


def check_counts(data: dict, path: Path) -> None:
    for key, limit in MAX_COUNTS.items():
        items = data.get(key)
        if isinstance(items, list) and len(items) > limit:
            raise RulesetTooLarge(f"{path}: {len(items):,} [[{key}]] entries; at most {limit:,} allowed")
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
                raise RulesetTooLarge(
                    f"{path}: an exemption ground names {n:,} rule patterns; at most {MAX_PATTERNS} allowed"
                )
    if grounds > MAX_GROUNDS:
        raise RulesetTooLarge(f"{path}: {grounds:,} exemption grounds in all; at most {MAX_GROUNDS} allowed")
    rules = len(data.get("rules") or []) if isinstance(data.get("rules"), list) else 0
    if rules * grounds > MAX_RULE_GROUNDS:
        raise RulesetTooLarge(
            f"{path}: {rules:,} rules x {grounds:,} exemption grounds; at most {MAX_RULE_GROUNDS:,} combinations allowed"
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
