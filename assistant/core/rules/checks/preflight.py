"""The bounds every ruleset from outside passes before it is parsed into models.

:func:`preflight` is what every ``--ruleset PATH`` and ``rules lint`` go through: a ruleset is
data from outside, and a huge, deeply nested or absurdly repetitive one must be refused with a
clear message rather than hang the evaluator.
"""

from __future__ import annotations

from pathlib import Path

from ..read import (
    RulesetError,
    RulesetTooLarge,
    Unreadable,
    parse,
    read_bytes,
)


def read_toml(path: Path) -> tuple[dict, str]:
    """The parsed ruleset and its text, through the loader's own reader and parser, so that
    ``rules lint``, ``--ruleset`` and the loader refuse exactly the same files."""
    try:
        raw = read_bytes(path, "ruleset")
        return parse(raw, path, "ruleset"), raw.decode("utf-8-sig")
    except (RulesetTooLarge, Unreadable):
        raise
    except RulesetError as e:
        raise Unreadable(e) from None  # both languages kept


def preflight(path: Path) -> dict:
    """Refuse an unreadable or absurd ruleset (Unreadable, RulesetTooLarge, both
    RulesetErrors). Returns the parsed TOML."""
    data, _ = read_toml(path)
    return data
