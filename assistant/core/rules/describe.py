"""Conditions in plain words, for ``rules show``, the interview's "why", and reports.

One function per condition kind; the words are the catalogue's ``describe.*`` entries
(``strings/rules.toml``).
"""

from __future__ import annotations

from ..text.i18n import Msg, num
from ..text.messages import as_msg, entry, listed, msg
from .loader import Ruleset
from .model import All, Any_, Compare, Condition, Count, Fact, Implies, Not, Qualified, Rules

# A comparison with a threshold, in words ("at least", ...).
_OPS = {
    ">=": "describe.op.at_least",
    ">": "describe.op.more_than",
    "<=": "describe.op.at_most",
    "<": "describe.op.less_than",
}

# A comparison with one or more labelled choices; ``contains_any`` is the rest.
_WITH_CHOICES = {
    "==": "describe.is",
    "!=": "describe.is_not",
    "in": "describe.is_one_of",
    "contains": "describe.includes",
}


def _both(text) -> Msg:
    """A ruleset's bilingual text (a label, a unit, a choice) as a message argument."""
    return Msg(text.zh, text.en)


def _labels(fact: Fact, keys) -> Msg:
    keys = keys if isinstance(keys, list) else [keys]
    cs = [fact.choice(k) for k in keys]
    return listed(c for c in cs if c)


def _stripped(m: Msg) -> Msg:
    return Msg(m.zh.rstrip(), m.en.rstrip())


def _fact_of(rs: Ruleset, key: str, roster: str | None) -> Fact:
    """The fact a comparison reads: a field of the roster's people inside a count's ``where``."""
    if roster is not None and "." not in key:
        return next(f for f in rs.facts[roster].fields if f.key == key)
    return rs.facts[key]


def _compare(rs: Ruleset, cond: Compare, roster: str | None) -> Msg:
    fact = _fact_of(rs, cond.fact, roster)
    label = _both(fact.label)
    op, value = cond.op, cond.value
    if fact.type == "bool":
        yes = (value is True) == (op == "==")
        return msg("describe.yes_no", label=label, answer=msg("describe.yes" if yes else "describe.no"))
    if op in _OPS and fact.type == "choice":
        return msg("describe.or_higher", label=label, choice=_both(fact.choice(value)))
    if op in _OPS:
        unit = _both(fact.unit) if fact.unit else as_msg("")
        return _stripped(msg("describe.threshold", label=label, op=msg(_OPS[op]), n=num(value), unit=unit))
    return msg(_WITH_CHOICES.get(op, "describe.includes_one_of"), label=label, choices=_labels(fact, value))


def _all(rs: Ruleset, cond: All, roster: str | None) -> Msg:
    inner = [describe(rs, p, roster) for p in cond.all]
    return msg("describe.all", parts=Msg.join(inner, *entry("describe.all_sep")))


def _any(rs: Ruleset, cond: Any_, roster: str | None) -> Msg:
    inner = [describe(rs, p, roster) for p in cond.any]
    return msg("describe.any", parts=Msg.join(inner, *entry("describe.any_sep")))


def _not(rs: Ruleset, cond: Not, roster: str | None) -> Msg:
    return msg("describe.not", inner=describe(rs, cond.not_, roster))


def _implies(rs: Ruleset, cond: Implies, roster: str | None) -> Msg:
    return msg("describe.implies", a=describe(rs, cond.if_, roster), b=describe(rs, cond.then, roster))


def _count(rs: Ruleset, cond: Count, roster: str | None) -> Msg:
    out = msg("describe.count", label=_both(cond.label), op=msg(_OPS[cond.op]), n=cond.value)
    if cond.where is None:
        return out
    return out + msg("describe.count_where", where=describe(rs, cond.where, cond.count))


def _qualified(rs: Ruleset, cond: Qualified, roster: str | None) -> Msg:
    return msg("describe.qualified")


def _rules(rs: Ruleset, cond: Rules, roster: str | None) -> Msg:
    return msg("describe.rules", label=_both(cond.label), patterns=listed(cond.rules))


_BY_KIND = {
    Compare: _compare,
    All: _all,
    Any_: _any,
    Not: _not,
    Implies: _implies,
    Count: _count,
    Qualified: _qualified,
    Rules: _rules,
}


def describe(rs: Ruleset, cond: Condition | None, roster: str | None = None) -> Msg:
    """``cond`` in words; ``roster`` names the roster whose people a count's ``where`` reads."""
    if cond is None:
        return msg("describe.none")
    words = _BY_KIND.get(type(cond))
    if words is None:  # pragma: no cover - a new condition kind without words
        raise TypeError(cond)
    return words(rs, cond, roster)
