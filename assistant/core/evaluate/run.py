"""One evaluation: the answers evaluated (a snapshot), and every verdict worked out so far.

The main run decides each clause three-valued first and, when that leaves it open, exactly
(``exact.py``); the runs the exact check makes (the same answers and a few more) decide
three-valued only. Verdicts of other clauses (``rules`` conditions), a person's verdicts and
qualification, and counts are worked out once per run and kept here, never in a global.
"""

from __future__ import annotations

from typing import Any

from ..rules.model import Rule
from .clause import institution_verdict
from .exact import Search
from .node import Env, Tri
from .people import person_rule_verdict, person_verdict, person_words
from .plan import NO_SCOPE, person_reads, plan, shape_of
from .shape import split_var

_NONE = object()


class Run:
    """The answers evaluated (never changed after), and what was worked out from them."""

    def __init__(
        self, rs, equipment: str, answers: dict[str, Any], exact: bool = True, remember: bool = False
    ):
        self.rs, self.equipment, self.answers = rs, equipment, answers
        self.remember = remember
        self.rules, self.by_id, self.parts = plan(rs, equipment)
        self.exact = exact
        self.env = Env(self)
        self.envs: dict[tuple, Env] = {NO_SCOPE: self.env}
        self.verdicts: dict[str, Any] = {}
        self.person_verdicts: dict[tuple[str, int], Any] = {}
        self.quals: dict[tuple[str, int], Tri] = {}
        self.tallies: dict[int, tuple] = {}
        self.cans: dict = {}
        self.open_vars: dict = {}
        self.findings = rs.memo.answers("compare")  # a comparison's words, by its answer
        self._person_rules, self._named = rs.memo.table("person_rules"), rs.memo.table("named")
        self.reasons: dict[tuple[str, int], Any] = {}
        self.hits: dict[tuple[str, int], list] = {}  # remembered person verdicts found
        self._search: Search | None = None
        self.parent: Run | None = None
        self.dropped: Any = None

    # --- where nodes are decided -------------------------------------------------------

    def env_at(self, scope: tuple[str | None, int | None]) -> Env:
        env = self.envs.get(scope)
        if env is None:
            roster, index = scope
            if roster is None:
                env = Env(self)
            else:
                env = Env(self, self.answers[roster][index], roster, index)
            self.envs[scope] = env
        return env

    # --- verdicts ------------------------------------------------------------------------

    def verdict(self, rule_id: str):
        """A clause's verdict (status, missing facts, waivers), worked out once; a clause
        decided by others works them out first (the loader refused cycles)."""
        v = self.verdicts.get(rule_id)
        if v is None:
            rule = self.by_id[rule_id]
            v = person_rule_verdict(self, rule) if rule.scope == "person" else institution_verdict(self, rule)
            self.verdicts[rule_id] = v
        return v

    def _inherited(self, table: str, key, roster: str | None, index: int):
        """What a run the exact check made takes over from the run it was made from: what
        rests on people whose answers it did not change."""
        run = self
        while run.parent is not None:
            if run.dropped == "all" or run.dropped == (roster, index):
                return _NONE
            run = run.parent
            v = getattr(run, table).get(key, _NONE)
            if v is not _NONE:
                return v
        return _NONE

    def person_verdict(self, rule: Rule, index: int, person: dict):
        key = (rule.id, index)
        v = self.person_verdicts.get(key)
        if v is None and self.parent is not None:
            v = self._inherited("person_verdicts", key, rule.roster, index)
            if v is _NONE:
                v = None
            else:
                self.person_verdicts[key] = v
        if v is None:
            remembered = self._remembered(rule, index, person)
            if remembered is not None:
                v = remembered[1]
            else:
                v = person_verdict(self, rule, index, person)
            self.person_verdicts[key] = v
        return v

    def _remembered(self, rule: Rule, index: int, person: dict) -> list | None:
        """A person's verdict remembered across runs (``remember``: the interview and a
        batch's reports, whose answers repeat) by the person's answers the clause reads,
        when it reads nothing else; [rule, verdict, words or None]. Looked up once a run."""
        memo = self.rs.memo.answers("person") if self.remember and self.exact else None
        if memo is None:
            return None
        place = (rule.id, index)
        hit = self.hits.get(place)
        if hit is not None:
            return hit
        fields = person_reads(self.rs, self.parts[rule.id])
        if fields is None:
            return None
        # Each field has one type: no True == 1 clash.
        values = tuple(tuple(v) if type(v) is list else v for v in map(person.get, fields))
        key = (rule.id, index, person.get("role"), values)
        hit = memo.get(key)
        if hit is None or hit[0] is not rule:
            v = person_verdict(self, rule, index, person)
            v.missing  # noqa: B018 - worked out now: what is remembered holds no run
            v.forget_witnesses()
            hit = [rule, v, None]
            if self.rs.memo.room(memo, "person"):
                memo[key] = hit
        self.hits[place] = hit
        return hit

    def person_reason(self, rule: Rule, index: int, person: dict, sink=None):
        """What a person's verdict on a person clause says (``people.person_words``)."""
        v = self.person_verdict(rule, index, person)
        if sink is not None:
            return person_words(self, rule, index, person, v, sink)
        key = (rule.id, index)
        hit = self.reasons.get(key)
        if hit is None:
            remembered = self._remembered(rule, index, person)
            if remembered is not None and remembered[1] is v:
                if remembered[2] is None:
                    remembered[2] = person_words(self, rule, index, person, v)
                hit = remembered[2]
            else:
                hit = person_words(self, rule, index, person, v)
            self.reasons[key] = hit
        return hit

    def person_rules(self, roster: str, role: str | None) -> tuple[Rule, ...]:
        memo = self._person_rules
        key = (self.equipment, roster, role)
        hit = memo.get(key)
        if hit is None:
            hit = memo[key] = tuple(
                r for r in self.rules if r.scope == "person" and r.roster == roster and r.role == role
            )
        return hit

    def qualified(self, roster: str, index: int, person: dict) -> Tri:
        """Whether a person passes every person clause of their role (exemptions applied)."""
        key = (roster, index)
        if key in self.quals:
            return self.quals[key]
        if self.parent is not None:
            q = self._inherited("quals", key, roster, index)
            if q is not _NONE:
                self.quals[key] = q
                return q
        self.quals[key] = None  # a clause counting qualified people of itself reads "open"
        statuses = [
            self.person_verdict(r, index, person).status
            for r in self.person_rules(roster, person.get("role"))
        ]
        q: Tri = False if "not_met" in statuses else (None if "unknown" in statuses else True)
        self.quals[key] = q
        return q

    def unqualified_by(self, roster: str, index: int, person: dict) -> tuple[str, ...]:
        """What the person's open verdicts miss (as three-valued logic has it)."""
        out: tuple[str, ...] = ()
        for r in self.person_rules(roster, person.get("role")):
            v = self.person_verdict(r, index, person)
            if v.status == "unknown":
                out += v.open_facts if v.how == "open" else v.missing
        return out

    def named(self, node) -> list:
        """The verdicts of the required clauses a ``rules`` condition names."""
        memo = self._named
        key = (node.patterns, self.equipment)
        ids = memo.get(key)
        if ids is None:
            ids = memo[key] = tuple(
                i
                for i in self.rs.rules_named(node.patterns, self.equipment)
                if self.by_id[i].level == "required"
            )
        return [self.verdict(i) for i in ids]

    def tally(self, node, env: Env) -> tuple:
        """A count's tally, once per run; a run the exact check made from another, with one
        person's answers changed (or an institution fact no person clause reads), decides
        that person's ``where`` alone and takes the others' over."""
        if env.person is not None:
            return node.count(node.people(env))
        hit = self.tallies.get(id(node))
        if hit is None or hit[0] is not node:
            known = fresh = None
            parent = self.parent
            if parent is not None and self.dropped != "all":
                had = parent.tallies.get(id(node))
                if had is not None and had[0] is node and had[2] is not None:
                    known = had[2]
                    if self.dropped is not None:
                        if self.dropped[0] == node.roster:
                            fresh = self.dropped[1]
            each = node.people(env, known, fresh)
            hit = self.tallies[id(node)] = (node, node.count(each), each)
        return hit[1]

    # --- the exact check ---------------------------------------------------------------

    @property
    def search(self) -> Search:
        if self._search is None:
            self._search = Search(self, shape_of(self.rs, self.equipment))
        return self._search

    def side_formula(self, rule: Rule) -> tuple:
        """The clause passes (met, exempt or not applicable), as a formula."""
        p = self.parts[rule.id]
        if p.scope is None:
            return p.side
        people = self.answers.get(p.scope)
        if people is None:
            return ("roster", p.scope)
        return (
            "and",
            tuple(("pside", rule.id, i) for i, q in enumerate(people) if q.get("role") == rule.role),
        )

    def person_side_formula(self, rule: Rule, index: int) -> tuple:
        """One person passes a person clause: meets it, it does not apply, or a route of
        their role waives it."""
        p = self.parts[rule.id]
        scope = (p.scope, index)
        role = self.answers[p.scope][index].get("role")
        items: list[tuple] = [("node", p.condition, scope)]
        if p.applies is not None:
            items.append(("not", ("node", p.applies, scope)))
        items += [("node", g[2], scope) for g in p.grounds if g[0].role == role]
        return ("or", tuple(items))

    def assign(self, var: str, value: Any) -> Run:
        """The same answers and ``var`` answered ``value``, decided three-valued; what rests
        on people it does not touch is taken over."""
        sub = self.trial(var)
        sub.answer(value)
        return sub

    def trial(self, var: str) -> Run:
        """A run of the same answers in which ``var`` is to be answered (``answer``), one
        value after another: the exact check's way of trying the values of a fact."""
        answers = dict(self.answers)
        sub = Run.__new__(Run)
        sub.rs, sub.equipment, sub.answers = self.rs, self.equipment, answers
        sub.rules, sub.by_id, sub.parts, sub.exact, sub.remember = (
            self.rules,
            self.by_id,
            self.parts,
            False,
            False,
        )
        sub.env = Env(sub)
        sub.envs = {NO_SCOPE: sub.env}
        sub.verdicts, sub.tallies, sub.cans, sub.reasons, sub.open_vars = {}, {}, {}, {}, {}
        sub.person_verdicts, sub.quals = {}, {}
        sub.findings, sub._person_rules, sub._named = self.findings, self._person_rules, self._named
        sub._search, sub.parent = self.search, self
        roster, index, field = split_var(var)
        if roster is None:
            sub._slot, sub._key = answers, var
            sub.dropped = "all" if sub._search.shape.person_reads_institution else None
        else:
            people = list(answers[roster])
            person = people[index] = dict(people[index])
            answers[roster] = people
            sub._slot, sub._key = person, field
            sub.dropped = (roster, index)
        return sub

    def close(self) -> None:
        """A ``trial`` run done with: its places (which point back at it) let go, so that it
        is freed at once rather than left to the cycle collector."""
        self.envs.clear()
        self.env = None  # type: ignore[assignment]

    def answer(self, value: Any) -> None:
        """Answer the fact of a ``trial`` run (forgetting what the last answer decided)."""
        self._slot[self._key] = value
        for table in (
            self.verdicts,
            self.tallies,
            self.cans,
            self.reasons,
            self.open_vars,
            self.person_verdicts,
            self.quals,
        ):
            if table:
                table.clear()
