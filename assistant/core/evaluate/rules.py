"""Decided by other clauses' verdicts: ``{ rules = ["proton/1.*"], label = … }``.

True when every named required clause passes (met, exempt or not applicable), false when one
is not met, unknown otherwise, missing what the open ones miss. The clauses' verdicts are the
run's (``Run.named``), decided exactly first; the loader refuses cycles. Advisory clauses are
not counted.
"""

from __future__ import annotations

from ..text.i18n import Msg
from ..text.messages import listed, msg
from .node import NOTHING, Env, Node, Tri
from .results import Finding


def _listed(results) -> Msg:
    return listed(msg("evaluate.rules.clause_id", clause=r.rule.clause, id=r.rule.id) for r in results)


class RulesNode(Node):
    __slots__ = ("patterns", "label")
    kind = "rules"

    def __init__(self, cond):
        self.cond, self.patterns, self.label = cond, cond.rules, cond.label

    def decide(self, env: Env) -> tuple[Tri, tuple[str, ...]]:
        verdicts = env.run.named(self)
        if any(v.status == "not_met" for v in verdicts):
            return False, NOTHING
        open_ = [v for v in verdicts if v.status == "unknown"]
        if open_:
            return None, tuple(dict.fromkeys(m for v in open_ for m in v.missing))
        return True, NOTHING

    def explain(self, env: Env, sink=None) -> tuple[Tri, list[Finding]]:
        value, _ = self.decide(env)
        verdicts = env.run.named(self)
        label, key = self.label, "rules:" + ",".join(self.patterns)
        if value is False:
            bad = [v for v in verdicts if v.status == "not_met"]
            said = msg("evaluate.rules.not_met", label=label, n_bad=len(bad)) + _listed(bad)
            finding = Finding(key, len(bad), False, said)
        elif value is None:
            open_ = [v for v in verdicts if v.status == "unknown"]
            said = msg("evaluate.rules.open", label=label, n_open=len(open_)) + _listed(open_)
            finding = Finding(key, len(open_), None, said)
        else:
            said = msg("evaluate.rules.all_met_exempt_or_not", label=label, n_verdicts=len(verdicts))
            finding = Finding(key, len(verdicts), True, said)
        if sink is not None:
            sink.leaf(finding)
        return value, [finding]

    def form(self, scope):
        return ("rules", self)
