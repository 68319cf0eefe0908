"""An implication: ``{ if = c1, then = c2 }`` — c2 must hold when c1 does.

True when the premise is false (the requirement does not arise), or when the consequence is
true; the consequence's value when the premise is true; unknown otherwise, missing what both
miss. When false, what completes the shortfall is the consequence's.

Its words: the premise's and the consequence's findings. A false premise is said plainly —
what it is, and that the requirement for that case does not apply — and is left out where
the same finding is already said by a sibling (proton 一（三） for an existing hospital: the
new-build half adds nothing to "Newly built institution: no").
"""

from __future__ import annotations

from ..text.messages import msg
from .node import NOTHING, Env, Node, Tri, implied
from .results import Finding


def moot(f: Finding) -> Finding:
    plain = f.plain or f.msg
    return Finding(f.fact, f.value, True, plain + msg("evaluate.implies.does_not_apply"), plain)


def _is_moot(f: Finding) -> bool:
    return f.ok is True and f.plain is not None and f.msg == f.plain + msg("evaluate.implies.does_not_apply")


def unrepeated(findings: list[Finding]) -> list[Finding]:
    """``findings`` without repeats (two parts reading one fact say it once) and without the
    false premises whose finding another part already says."""
    if len(findings) < 2:
        return findings
    facts = [f.fact for f in findings]
    if len(set(facts)) == len(facts):  # nothing said twice, no premise said elsewhere
        return findings
    seen: set = set()
    out = []
    for f in findings:
        key = (f.fact, f.msg.zh, f.msg.en)
        if key not in seen:
            seen.add(key)
            out.append(f)
    if not any(_is_moot(f) for f in out):
        return out
    said = {(f.fact, f.plain or f.msg) for f in out if not _is_moot(f)}
    return [f for f in out if not (_is_moot(f) and (f.fact, f.plain) in said)]


class ImpliesNode(Node):
    __slots__ = ("premise", "then")
    kind = "implies"

    def __init__(self, cond, premise: Node, then: Node):
        self.cond, self.premise, self.then = cond, premise, then

    @property
    def pure(self) -> bool:  # type: ignore[override]
        return self.premise.pure and self.then.pure

    def children(self) -> tuple[Node, ...]:
        return (self.premise, self.then)

    def decide(self, env: Env) -> tuple[Tri, tuple[str, ...]]:
        va, ma = self.premise.decide(env)
        if va is False:
            return True, NOTHING
        vb, mb = self.then.decide(env)
        if va is True:
            return vb, mb
        return (True, NOTHING) if vb is True else (None, ma + mb)

    def lacking(self, env: Env) -> tuple[str, ...]:
        return self.then.lacking(env)

    def explain(self, env: Env, sink=None) -> tuple[Tri, list[Finding]]:
        va, fa = self.premise.explain(env, sink)
        vb, fb = self.then.explain(env, sink)
        value = implied(va, vb)
        if va is False:
            return value, [moot(f) for f in fa]
        if va is True:
            return value, fa + fb
        return value, (fb if vb is True else fa + fb)

    def form(self, scope):
        return ("or", (("not", ("node", self.premise, scope)), ("node", self.then, scope)))
