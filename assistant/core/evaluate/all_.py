"""Every part holds: ``{ all = [c1, c2] }``.

False as soon as a part is false, whatever the others (still open or not); true when every
part is; unknown otherwise, missing what the open parts miss. When false, what completes the
shortfall is the unanswered parts (``lacking``). Its words: the failing parts' when false,
every part's otherwise.
"""

from __future__ import annotations

from .implies import unrepeated
from .node import NOTHING, Env, Node, Tri, conj
from .results import Finding


class AllNode(Node):
    __slots__ = ("parts",)
    kind = "all"

    def __init__(self, cond, parts: tuple[Node, ...]):
        self.cond, self.parts = cond, parts

    @property
    def pure(self) -> bool:  # type: ignore[override]
        return all(p.pure for p in self.parts)

    def children(self) -> tuple[Node, ...]:
        return self.parts

    def decide(self, env: Env) -> tuple[Tri, tuple[str, ...]]:
        missing: tuple[str, ...] = NOTHING
        unknown = False
        for p in self.parts:
            v, ms = p.decide(env)
            if v is False:
                return False, NOTHING
            if v is None:
                unknown = True
                missing += ms
        return (None, missing) if unknown else (True, NOTHING)

    def lacking(self, env: Env) -> tuple[str, ...]:
        out: tuple[str, ...] = NOTHING
        for p in self.parts:
            v, ms = p.decide(env)
            if v is None:
                out += ms
            elif v is False:
                out += p.lacking(env)
        return out

    def explain(self, env: Env, sink=None) -> tuple[Tri, list[Finding]]:
        said = [p.explain(env, sink) for p in self.parts]
        value = conj([v for v, _ in said])
        if value is False:
            return value, unrepeated([f for v, fs in said if v is False for f in fs])
        return value, unrepeated([f for _, fs in said for f in fs])

    def form(self, scope):
        return ("and", tuple(("node", p, scope) for p in self.parts))
