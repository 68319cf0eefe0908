"""Relations between facts that hold in every real profile, read from the fact catalogue.

The texts imply some: a count that is part of another ("其中…") is at most that whole. A
profile breaking one is refused where it is read; the evaluator's exact check (evaluate/
exact.py) never completes an unanswered fact into a profile that breaks one, so "passes
whatever the answer" means whatever answer a real profile could give.

The interface every kind of relation keeps: ``keys`` are the facts it links — flat fact keys,
or, when ``roster`` is set, field keys inside one person of that roster (the relation then
holds for each person on their own); ``holds(get)`` says whether it holds, where ``get(key)``
returns a key's value or None when unanswered: True, False, or None while a key it needs is
unanswered. Only ``AtMost`` exists today (``Fact.at_most``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .model import Fact

Tri = bool | None


class Relation:
    __slots__ = ("keys", "roster")
    keys: tuple[str, ...]
    roster: str | None

    def holds(self, get: Callable[[str], Any]) -> Tri:  # pragma: no cover - every kind has its own
        raise NotImplementedError


def _int(v: Any) -> int | None:
    return v if isinstance(v, int) and not isinstance(v, bool) else None


class AtMost(Relation):
    """``part`` ≤ ``whole``: a count that is part of another."""

    __slots__ = ("part", "whole")

    def __init__(self, part: str, whole: str, roster: str | None = None):
        self.part, self.whole, self.roster = part, whole, roster
        self.keys = (part, whole)

    def holds(self, get: Callable[[str], Any]) -> Tri:
        p, w = _int(get(self.part)), _int(get(self.whole))
        if p is None or w is None:
            return None
        return p <= w

    def __repr__(self) -> str:
        where = f" in {self.roster}" if self.roster else ""
        return f"AtMost({self.part} <= {self.whole}{where})"


def relations_of(facts: Mapping[str, Fact], equipment: str | None = None) -> tuple[Relation, ...]:
    """The relations among the facts of ``equipment`` (its own and the institution's; every
    fact when None), including those between the fields of a roster's people."""
    out: list[Relation] = []
    for key, fact in facts.items():
        if equipment is not None and not key.startswith(("institution.", equipment + ".")):
            continue
        if fact.at_most is not None and fact.at_most in facts:
            out.append(AtMost(key, fact.at_most))
        if fact.type == "roster":
            fields = fact.fields_by_key
            for f in fact.fields:
                if f.at_most is not None and f.at_most in fields:
                    out.append(AtMost(f.key, f.at_most, roster=key))
    return tuple(out)
