"""The base of every condition node, and the environment a node is decided in.

A condition of the rule data is compiled once per ruleset (``compile.py``) into a tree of
nodes, one class per kind of condition, each in its own module with its whole semantics:

- ``decide(env) -> (value, missing)``: THE truth of the node, three-valued (True, False, None
  for unknown), with the facts that would decide it when unknown (empty otherwise). This is
  the hot path of a batch: no message is built.
- ``lacking(env)``: for a node that is false, the unanswered facts that complete its
  shortfall (the other parts of a failing ``all``), so a report can say everything lacking.
- ``explain(env, sink) -> (value, findings)``: the words. The value is ``decide``'s: a leaf
  takes it from ``decide``, a connective puts its parts' explained values together by the
  same three-valued table as its ``decide`` (``conj``, ``disj``, ``neg`` and ``implied``
  below), so that explaining a tree decides each node once; every leaf's finding also goes
  to ``sink`` when one is given (the recorder behind ``medequip explain``).
- ``children()``: the parts, the only walk of the tree.
- ``form(scope)``: how the exact check (``exact.py``) takes the node apart.

A fact is named by its key (``pet_ct.senior_physicians``); a person's field by
``roster[i].field``, so that every missing fact is global.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from .results import Finding

Tri = bool | None
NOTHING: tuple[str, ...] = ()


def conj(values) -> Tri:
    """Three-valued AND: false when a value is, true when every one is, else unknown."""
    unknown = False
    for v in values:
        if v is False:
            return False
        if v is None:
            unknown = True
    return None if unknown else True


def disj(values) -> Tri:
    """Three-valued OR: true when a value is, false when every one is, else unknown."""
    unknown = False
    for v in values:
        if v is True:
            return True
        if v is None:
            unknown = True
    return None if unknown else False


def neg(value: Tri) -> Tri:
    return None if value is None else not value


def implied(premise: Tri, then: Tri) -> Tri:
    """Three-valued implication: true when the premise is false or the consequence true."""
    if premise is False or then is True:
        return True
    return then if premise is True else None


class Env:
    """Where a node is decided: a run (the answers evaluated and the verdicts of other rules)
    and, inside a roster, one person. ``advisory``: the words are a recommendation's (宜)."""

    __slots__ = ("run", "answers", "person", "roster", "index", "advisory")

    def __init__(self, run, person: dict | None = None, roster: str | None = None, index: int | None = None,
                 answers: dict | None = None):  # fmt: skip
        self.run = run
        self.answers = run.answers if answers is None else answers
        self.person, self.roster, self.index = person, roster, index
        self.advisory = False

    def for_person(self, roster: str, index: int, person: dict) -> Env:
        return Env(self.run, person, roster, index)

    def recommending(self) -> Env:
        """The same place, for the words of a recommendation."""
        env = Env(self.run, self.person, self.roster, self.index)
        env.advisory = True
        return env

    @property
    def scope(self) -> tuple[str | None, int | None]:
        return (self.roster, self.index)


class Node:
    """One compiled condition. ``pure``: its value depends on answered facts only (no other
    verdict), so the parts of an ``all`` or ``any`` after a decisive one need not run."""

    __slots__ = ("cond",)
    kind: ClassVar[str] = ""
    pure: ClassVar[bool] = False

    def children(self) -> tuple[Node, ...]:
        return ()

    def decide(self, env: Env) -> tuple[Tri, tuple[str, ...]]:  # pragma: no cover - every kind has one
        raise NotImplementedError

    def lacking(self, env: Env) -> tuple[str, ...]:
        return NOTHING

    def explain(self, env: Env, sink: Any = None) -> tuple[Tri, list[Finding]]:  # pragma: no cover
        raise NotImplementedError

    def form(self, scope: tuple[str | None, int | None]) -> Any:
        """For the exact check: ``None`` for a leaf (it branches on the leaf's fact), else a
        formula over the parts (see ``exact.py``)."""
        return None

    def walk(self):
        """This node and every node below it, depth first."""
        yield self
        for c in self.children():
            yield from c.walk()

    def __repr__(self) -> str:
        return f"<{self.kind} {self.cond!r}>"
