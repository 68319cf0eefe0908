"""What the evaluator returns (verdicts, findings, waivers, per-person results) and how a
fact's value is written in a message. Plain data: reports, the interview and the front ends
read these without knowing how they were computed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..rules.model import Fact, Rule, Value
from ..text.i18n import Msg, num
from ..text.messages import as_msg, listed, msg

Tri = bool | None
Answers = dict[str, Any]


class Finding(Value):
    """One decided (or undecidable) leaf of a condition. ``plain``: the same without what
    was required ("label: value")."""

    __slots__ = _fields = ("fact", "value", "ok", "msg", "plain")

    def __init__(self, fact: str, value: Any, ok: Tri, msg: Msg, plain: Msg | None = None):
        self.fact, self.value, self.ok, self.msg, self.plain = fact, value, ok, msg, plain


class Waiver(Value):
    __slots__ = _fields = ("exemption", "clause", "ground", "label")

    def __init__(self, exemption: str, clause: str, ground: str, label: Msg):
        self.exemption, self.clause, self.ground, self.label = exemption, clause, ground, label


class PersonResult(Value):
    __slots__ = _fields = ("index", "name", "status", "reason", "waived_by")

    def __init__(self, index: int, name: str, status: str, reason: Msg, waived_by: tuple[Waiver, ...] = ()):
        self.index, self.name, self.status, self.reason, self.waived_by = (
            index,
            name,
            status,
            reason,
            waived_by,
        )


class Words(Value):
    """What a verdict says: the reason, the shortfall (of a clause not met), the
    recommendations, per-person results and the findings of its conditions."""

    __slots__ = _fields = ("reason", "shortfall", "advice", "persons", "findings")

    def __init__(
        self,
        reason: Msg,
        shortfall: tuple[Msg, ...] = (),
        advice: tuple[Msg, ...] = (),
        persons: tuple[PersonResult, ...] = (),
        findings: tuple[Finding, ...] = (),
    ):
        self.reason, self.shortfall, self.advice, self.persons, self.findings = (
            reason,
            shortfall,
            advice,
            persons,
            findings,
        )


class RuleResult:
    """One rule's verdict: its status, the facts still missing and the waivers, and what it
    says (``words()``; ``reason`` and the others read it). The words may be worked out when
    first read, from the answers the verdict was decided on (the evaluator keeps its own copy
    of them): a run that reads only verdicts (``check --summary``, ``--quiet``) never works
    them out. ``witnesses``: for a clause the exact check left open, answers that would make
    it pass and answers that would make it fail."""

    __slots__ = ("rule", "status", "waived_by", "_missing", "_verdict", "_words", "_say")

    def __init__(
        self,
        rule: Rule,
        status: str,
        words: Words | Callable[[], Words],
        waived_by: tuple[Waiver, ...] = (),
        missing: tuple[str, ...] | Any = (),
    ):
        # ``missing`` may be the verdict it comes from: which facts can still decide an open
        # clause is worked out when first read (a sheet of statuses never reads it).
        self.rule, self.status, self.waived_by, self._missing = rule, status, waived_by, missing
        self._verdict = None
        if isinstance(words, Words):
            self._words, self._say = words, None
        else:
            self._words, self._say = None, words

    @property
    def missing(self) -> tuple[str, ...]:
        m = self._missing
        if type(m) is not tuple:
            self._verdict = m
            m = self._missing = tuple(m.missing)
        return m

    @property
    def witnesses(self) -> tuple | None:
        v = self._verdict if type(self._missing) is tuple else self._missing
        return getattr(v, "witnesses", None)

    def words(self) -> Words:
        if self._words is None:
            self._words = self._say()
            self._say = None  # what it held (the evaluator's run) can go
        return self._words

    @property
    def reason(self) -> Msg:
        return self.words().reason

    @property
    def shortfall(self) -> tuple[Msg, ...]:
        return self.words().shortfall

    @property
    def advice(self) -> tuple[Msg, ...]:
        return self.words().advice

    @property
    def persons(self) -> tuple[PersonResult, ...]:
        return self.words().persons

    @property
    def findings(self) -> tuple[Finding, ...]:
        return self.words().findings

    @property
    def id(self) -> str:
        return self.rule.id

    def _key(self) -> tuple:
        return (self.rule, self.status, self.waived_by, self.missing, self.words())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RuleResult):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"RuleResult({self.rule.id!r}, {self.status!r}, missing={self.missing!r})"


class PersonSummary(Value):
    """One roster person: qualified or not, and the route or what they lack."""

    __slots__ = _fields = ("roster", "index", "name", "role", "role_label", "qualified", "route", "lacks")

    def __init__(
        self,
        roster: str,
        index: int,
        name: str,
        role: str,
        role_label: Msg,
        qualified: Tri,
        route: Msg,
        lacks: tuple[Msg, ...] = (),
    ):
        self.roster, self.index, self.name, self.role = roster, index, name, role
        self.role_label, self.qualified, self.route, self.lacks = role_label, qualified, route, lacks


class ExactCost:
    """What the exact check cost in one evaluation: the clauses (and people's verdicts) it
    was run on, its three-valued evaluations, its time, and the clauses left open because
    its budget ran out (none with the bundled rulesets)."""

    __slots__ = ("rules", "evaluations", "seconds", "over_budget")

    def __init__(self, rules: int = 0, evaluations: int = 0, seconds: float = 0.0, over_budget: int = 0):
        self.rules, self.evaluations, self.seconds, self.over_budget = (
            rules,
            evaluations,
            seconds,
            over_budget,
        )

    def __repr__(self) -> str:
        return f"ExactCost(rules={self.rules}, evaluations={self.evaluations}, seconds={self.seconds}, over_budget={self.over_budget})"


class Evaluation:
    """Every rule's result. The roster summaries (``people``) are worked out when first read:
    a batch's lean results never read them."""

    __slots__ = ("equipment", "status", "results", "counts", "_people", "exact")

    def __init__(
        self,
        equipment: str,
        status: str,
        results: tuple[RuleResult, ...],
        people: tuple[PersonSummary, ...] | Callable[[], tuple[PersonSummary, ...]] = (),
        counts: dict[str, int] | None = None,
        exact: ExactCost | None = None,
    ):
        self.equipment, self.status, self.results = equipment, status, results
        self.counts = {} if counts is None else counts
        self._people = people
        self.exact = exact or ExactCost()

    @property
    def people(self) -> tuple[PersonSummary, ...]:
        if callable(self._people):
            self._people = self._people()
        return self._people

    def settle(self, people: bool = True) -> None:
        """Work out what every verdict says (and the roster summaries) now."""
        for r in self.results:
            r.words()
        if people:
            self.people  # noqa: B018

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Evaluation):
            return NotImplemented
        return (self.equipment, self.status, self.results, self.people, self.counts) == (
            other.equipment,
            other.status,
            other.results,
            other.people,
            other.counts,
        )

    __hash__ = None  # type: ignore[assignment] - it holds a dict, as it always did

    def __repr__(self) -> str:
        return f"Evaluation({self.equipment!r}, {self.status!r}, {len(self.results)} results)"

    def result(self, rule_id: str) -> RuleResult:
        return next(r for r in self.results if r.id == rule_id)

    @property
    def missing(self) -> list[str]:
        """Facts still needed, in rule order."""
        return list(dict.fromkeys(k for r in self.results for k in r.missing))


# --- formatting of values --------------------------------------------------------------------


_SINGULAR = {"people": "person", "persons": "person"}


def english_unit(unit: str, n: int) -> str:
    """'1 person', '1 year', '2 years': units are written plural in the data."""
    if n != 1 or not unit:
        return unit
    head, _, last = unit.rpartition(" ")
    one = _SINGULAR.get(last) or (last[:-1] if last.endswith("s") and not last.endswith("ss") else last)
    return f"{head} {one}".strip()


def unit_of(fact: Fact) -> tuple[str, str]:
    return (fact.unit.zh, fact.unit.en) if fact.unit else ("", "")


def fmt_value(fact: Fact, value: Any) -> Msg:
    if value is None:
        return msg("evaluate.results.not_answered")
    if fact.type == "bool":
        return msg("evaluate.results.yes") if value else msg("evaluate.results.no")
    if fact.type == "int":
        uz, ue = unit_of(fact)
        return Msg(f"{num(value)} {uz}".strip(), f"{num(value)} {english_unit(ue, value)}".strip())
    if fact.type == "choice":
        c = fact.choice(value)
        return Msg(c.zh, c.en) if c else Msg(str(value), str(value))
    if fact.type == "set":
        cs = [fact.choice(v) for v in value]
        if not cs:
            return msg("evaluate.results.none")
        return listed(c for c in cs if c)
    if fact.type == "roster":
        people = msg("evaluate.results.people")
        return as_msg(f"{len(value)} ") + Msg(people.zh, english_unit(people.en, len(value)))
    return Msg(str(value), str(value))


def choice_labels(fact: Fact, keys: list[str], zh_sep: str, en_sep: str) -> Msg:
    cs = [fact.choice(k) for k in keys]
    return Msg(zh_sep.join(c.zh for c in cs if c), en_sep.join(c.en for c in cs if c))
