"""The negation of a part: ``{ not = c }``. Unknown while the part is, missing what it misses;
its words are the part's."""

from __future__ import annotations

from .node import NOTHING, Env, Node, Tri, neg
from .results import Finding


class NotNode(Node):
    __slots__ = ("inner",)
    kind = "not"

    def __init__(self, cond, inner: Node):
        self.cond, self.inner = cond, inner

    @property
    def pure(self) -> bool:  # type: ignore[override]
        return self.inner.pure

    def children(self) -> tuple[Node, ...]:
        return (self.inner,)

    def decide(self, env: Env) -> tuple[Tri, tuple[str, ...]]:
        v, ms = self.inner.decide(env)
        return (None, ms) if v is None else (not v, NOTHING)

    def explain(self, env: Env, sink=None) -> tuple[Tri, list[Finding]]:
        value, findings = self.inner.explain(env, sink)
        return neg(value), findings

    def form(self, scope):
        return ("not", ("node", self.inner, scope))
