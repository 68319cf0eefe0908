"""The rule data's conditions compiled into nodes, once per ruleset and scope.

A condition is compiled for the scope it is decided in: the institution (``roster`` None) or
a person of ``roster`` (where a key without a dot is the person's field). The nodes are kept
in the ruleset's memo by the condition's identity (the condition is kept alive with them).
"""

from __future__ import annotations

from ..rules.model import All, Any_, Compare, Count, Implies, Not, Qualified, Rules
from .all_ import AllNode
from .any_ import AnyNode
from .compare import CompareNode
from .count import CountNode
from .implies import ImpliesNode
from .node import Node
from .not_ import NotNode
from .qualified import QualifiedNode
from .rules import RulesNode


def node_of(rs, cond, roster: str | None = None) -> Node | None:
    """``cond`` compiled for ``roster``'s people (None: the institution); None for None."""
    if cond is None:
        return None
    memo = rs.memo.table("nodes")
    key = (id(cond), roster)
    hit = memo.get(key)
    if hit is None or hit[0] is not cond:
        hit = memo[key] = (cond, _compile(rs, cond, roster))
    return hit[1]


def _compile(rs, cond, roster: str | None) -> Node:
    match cond:
        case Compare(fact=key):
            if roster is not None and "." not in key:
                fact = rs.facts[roster].fields_by_key[key]
            else:
                fact = rs.facts[key]
            return CompareNode(cond, fact, roster)
        case All(all=parts):
            return AllNode(cond, tuple(_compile(rs, p, roster) for p in parts))
        case Any_(any=parts):
            return AnyNode(cond, tuple(_compile(rs, p, roster) for p in parts))
        case Not(not_=inner):
            return NotNode(cond, _compile(rs, inner, roster))
        case Implies(if_=a, then=b):
            return ImpliesNode(cond, _compile(rs, a, roster), _compile(rs, b, roster))
        case Count(where=w):
            return CountNode(cond, None if w is None else _compile(rs, w, cond.count))
        case Qualified():
            return QualifiedNode(cond)
        case Rules():
            return RulesNode(cond)
    raise TypeError(cond)  # pragma: no cover - the model admits no other condition
