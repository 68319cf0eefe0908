"""At least one part holds: ``{ any = [c1, c2] }``.

True as soon as a part is true, whatever the others; false when every part is; unknown
otherwise, missing what the open parts miss. Its words: the first part that holds; when none
does, one finding naming every alternative (any one of them is what is lacking: asking the
details of each would be noise).
"""

from __future__ import annotations

from ..text.i18n import Msg
from ..text.messages import entry, msg
from .node import NOTHING, Env, Node, Tri, disj
from .results import Finding


class AnyNode(Node):
    __slots__ = ("parts",)
    kind = "any"

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
            if v is True:
                return True, NOTHING
            if v is None:
                unknown = True
                missing += ms
        return (None, missing) if unknown else (False, NOTHING)

    def explain(self, env: Env, sink=None) -> tuple[Tri, list[Finding]]:
        said = [p.explain(env, sink) for p in self.parts]
        value = disj([v for v, _ in said])
        if value is True:
            return value, next(fs for v, fs in said if v is True)
        findings = [f for _, fs in said for f in fs]
        if value is None:
            return value, findings
        joined = Msg.join(
            [Msg.join([f.msg for f in fs], *entry("punct.comma")) for _, fs in said],
            *entry("evaluate.any.or"),
        )
        first = findings[0] if findings else Finding("", None, False, joined)
        none_holds = msg("evaluate.any.none_of_these_holds") + joined
        return value, [Finding(first.fact, first.value, False, none_holds)]

    def form(self, scope):
        return ("or", tuple(("node", p, scope) for p in self.parts))
