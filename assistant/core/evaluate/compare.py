"""A comparison of one fact with a value: ``{ fact = "k", op = ">=", value = 3 }``.

Unanswered: unknown, missing the fact. Inside a person rule a key without a dot is the
person's field. Orders (``>=`` …) compare numbers, or the rank of an ordered choice; ``in``:
the answer is one of the values; ``contains``: a set answer holds every value; ``intersects``:
it holds at least one. What was required is said only when it is not there; a recommendation
(宜) says it as one ("at least 1 recommended"), never "required".
"""

from __future__ import annotations

from typing import Any

from ..rules.memo import Memo
from ..rules.model import Compare, Fact
from ..text.i18n import Msg, Words, num
from ..text.messages import entry, msg
from .node import NOTHING, Env, Node, Tri
from .results import Finding, choice_labels, fmt_value, unit_of

_ORDER_OPS = {
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    "<": lambda a, b: a < b,
}


def holds(fact: Fact, op: str, actual: Any, want: Any) -> bool:
    """The truth of one comparison of an answer."""
    if op in _ORDER_OPS:
        if fact.type == "choice":
            return _ORDER_OPS[op](fact.rank(actual), fact.rank(want))
        return _ORDER_OPS[op](actual, want)
    if op == "==":
        return actual == want
    if op == "!=":
        return actual != want
    if op == "in":
        return actual in want
    if op == "contains":
        return all(w in actual for w in (want if isinstance(want, list) else [want]))
    if op == "intersects":
        return any(w in actual for w in want)
    raise ValueError(op)  # pragma: no cover - the model admits no other operator


def _fast(fact: Fact, op: str, want: Any):
    """``holds`` for one node, specialised once: the commonest comparisons without a call."""
    if op == "==":
        return lambda actual: actual == want
    try:
        if op in _ORDER_OPS and fact.type == "choice":
            order, ranks, want_rank = (
                _ORDER_OPS[op],
                {c.key: i for i, c in enumerate(fact.choices)},
                fact.rank(want),
            )

            def ranked(actual):
                r = ranks.get(actual) if isinstance(actual, str) else None
                return order(fact.rank(actual) if r is None else r, want_rank)

            return ranked
        if op in _ORDER_OPS:
            order = _ORDER_OPS[op]
            return lambda actual: order(actual, want)
    except ValueError:
        pass  # a value the loader would have refused: compared (and refused) when it is read
    return lambda actual: holds(fact, op, actual, want)


class CompareNode(Node):
    __slots__ = ("key", "field", "fact", "op", "want", "holds", "_flat", "_label")
    kind = "compare"
    pure = True

    def __init__(self, cond: Compare, fact: Fact, roster: str | None):
        self.cond = cond
        self.op, self.want, self.fact = cond.op, cond.value, fact
        # A key without a dot inside a person rule is the person's field.
        self.field = cond.fact if roster is not None and "." not in cond.fact else None
        self.key = f"{roster}.{cond.fact}" if self.field is not None else cond.fact
        self.holds = _fast(fact, cond.op, cond.value)
        self._flat = (self.key,)
        self._label = fact.label

    def value(self, env: Env) -> Any:
        return env.person.get(self.field) if self.field is not None else env.answers.get(self.key)

    def var(self, env: Env) -> str:
        """The global name of the fact read: ``roster[i].field`` for a person's field."""
        if self.field is None:
            return self.key
        return f"{env.roster}[{env.index}].{self.field}"

    def decide(self, env: Env) -> tuple[Tri, tuple[str, ...]]:
        actual = env.person.get(self.field) if self.field is not None else env.answers.get(self.key)
        if actual is None:
            return None, (self._flat if self.field is None else (f"{env.roster}[{env.index}].{self.field}",))
        return self.holds(actual), NOTHING

    def explain(self, env: Env, sink=None) -> tuple[Tri, list[Finding]]:
        actual = env.person.get(self.field) if self.field is not None else env.answers.get(self.key)
        value = None if actual is None else self.holds(actual)  # ``decide``'s, read once
        finding = self.finding(env, value, actual)
        if sink is not None:
            sink.leaf(finding)
        return value, [finding]

    def finding(self, env: Env, value: Tri, actual: Any) -> Finding:
        """What the comparison says of ``actual`` (its answer), remembered per ruleset by
        the answer (a batch asks the same few thousand comparisons again and again). The key
        holds the answer's type (True == 1 in a dict); anything but a scalar or a list of
        strings is computed."""
        if actual is None:
            return self._words(None, None, env.advisory)
        t = type(actual)
        if t is list:
            if any(type(v) is not str for v in actual):
                return self._words(actual, value, env.advisory)
            key = (id(self), t, tuple(actual), env.advisory)
        elif t is bool or t is int or t is str:
            key = (id(self), t, actual, env.advisory)
        else:
            return self._words(actual, value, env.advisory)
        memo = env.run.findings
        if memo is None:
            return self._words(actual, value, env.advisory)
        hit = memo.get(key)
        if hit is not None and hit[0] is self:
            return hit[1]
        out = self._words(actual, value, env.advisory)
        if Memo.room(memo, "compare"):
            memo[key] = (self, out)  # keeps the node alive, so id(self) stays its own
        return out

    def _words(self, actual: Any, ok: Tri, advisory: bool) -> Finding:
        label, fact = self._label, self.fact
        if actual is None:
            unanswered = msg("evaluate.compare.not_answered", label=label)
            return Finding(self.key, None, None, unanswered, unanswered)
        shown = fmt_value(fact, actual)
        plain = msg("evaluate.compare.text", label=label, shown=shown)
        if ok:
            return Finding(self.key, actual, ok, plain, plain)
        need = need_words(fact, self.op, self.want, actual, advisory)
        return Finding(self.key, actual, ok, plain + msg("evaluate.compare.text_2", need=need), plain)

    def thresholds(self) -> tuple[str, str, Any]:
        """(the fact's key as the catalogue names it, the operator, the value): what the exact
        check needs to know which answers can differ."""
        return self.key, self.op, self.want


_WORDS = Words(
    {
        ">=": "evaluate.compare.op.at_least",
        ">": "evaluate.compare.op.more_than",
        "<=": "evaluate.compare.op.at_most",
        "<": "evaluate.compare.op.less_than",
    }
)


def need_words(fact: Fact, op: str, want: Any, actual: Any, advisory: bool = False) -> Msg:
    """What a comparison that does not hold asks for, with the gap to a threshold: "required"
    for a requirement, the text's own 宜 / "recommended" for a recommendation."""
    must = msg("evaluate.count.recommended" if advisory else "evaluate.count.required")
    be = msg("evaluate.compare.be_recommended" if advisory else "evaluate.compare.be_required")
    if fact.type == "choice" and op in _ORDER_OPS:
        return msg("evaluate.compare.at_least_choice", must=must, choice=fact.choice(want))
    if op in _ORDER_OPS:
        uz, _ = unit_of(fact)
        unit = Msg(f" {uz}" if uz else "", "")  # the data's units are Chinese: English says none
        need = msg("evaluate.compare.threshold", must=must, word=_WORDS[op], want=num(want), unit=unit)
        if op in (">=", ">"):
            gap = want - actual + (1 if op == ">" else 0)
            need = need + msg("evaluate.compare.short_by", gap=num(gap), unit=unit)
        return need
    if op in ("==", "!="):
        if fact.type == "bool":
            yes_no = msg("evaluate.results.yes" if want else "evaluate.results.no")
            return msg("evaluate.compare.be_quoted", be=be, value=yes_no)
        if fact.type == "choice":
            wl = fact.choice(want)
            if op == "==":
                return msg("evaluate.compare.be_quoted", be=be, value=wl)
            return (
                msg("evaluate.compare.must_not_be", wl=wl)
                if not advisory
                else msg("evaluate.compare.recommended_not_to_be", wl=wl)
            )
        return msg("evaluate.compare.be_value", be=be, value=want)
    sep = entry("punct.list")
    if op == "in":
        head = msg("evaluate.compare.one_of_recommended" if advisory else "evaluate.compare.one_of_required")
        return head + choice_labels(fact, want, *sep)
    if op == "contains":
        wanted = want if isinstance(want, list) else [want]
        lacking = [w for w in wanted if w not in actual]
        return msg("evaluate.compare.missing") + choice_labels(fact, lacking, *sep)
    if op == "intersects":
        head = (
            msg("evaluate.compare.at_least_one_of")
            if not advisory
            else msg("evaluate.compare.recommended_at_least_one_of")
        )
        return head + choice_labels(fact, want, *sep)
    raise ValueError(op)  # pragma: no cover - the model admits no other operator
