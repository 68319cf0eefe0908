"""Inside a count's ``where``: the person passes every person rule of their role, their
exemptions (the alternative training routes) applied: ``{ qualified = true }``.

Its value is the run's (``Run.qualified``: the person's verdicts on those rules); outside a
person it is unknown. While unknown it misses what the person's open verdicts miss.
"""

from __future__ import annotations

from ..text.messages import msg
from .node import NOTHING, Env, Node, Tri
from .results import Finding


class QualifiedNode(Node):
    __slots__ = ()
    kind = "qualified"

    def __init__(self, cond):
        self.cond = cond

    def decide(self, env: Env) -> tuple[Tri, tuple[str, ...]]:
        if env.person is None:
            return None, NOTHING
        q = env.run.qualified(env.roster, env.index, env.person)
        return q, (NOTHING if q is not None else env.run.unqualified_by(env.roster, env.index, env.person))

    def explain(self, env: Env, sink=None) -> tuple[Tri, list[Finding]]:
        q, _ = self.decide(env)
        if q is None:
            said = msg("evaluate.qualified.qualification_open")
        else:
            said = msg("evaluate.qualified.qualified") if q else msg("evaluate.qualified.not_qualified")
        finding = Finding(f"{env.roster}[{env.index}]", q, q, said)
        if sink is not None:
            sink.leaf(finding)
        return q, [finding]

    def form(self, scope):
        return ("qualified", scope)
