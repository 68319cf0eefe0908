"""What the exact check (``exact.py``) knows of an equipment's facts, worked out once per
ruleset: the values of each fact that matter, which facts a relation links, and what a clause
or a node could read at all (so that parts reading disjoint facts can be decided apart).

A fact's values that matter are finitely many: yes and no; the choices; for a set, the
subsets of the keys compared; for a number, the ends of the intervals between the thresholds
it is compared with (``>= 10``: 9 and 10), its minimum and maximum — the thresholds of the
facts a relation links it to included, so that a part and its whole can take every order.
A person's field is named ``roster[i].field``.
"""

from __future__ import annotations

import re
from typing import Any

from ..rules.model import Fact

ROSTER_FIELD = re.compile(r"^(.+)\[(\d+)\]\.([a-z][a-z0-9_]*)$")


def split_var(var: str) -> tuple[str | None, int | None, str]:
    """(roster, index, field) of ``roster[i].field``; (None, None, key) of a flat key."""
    if "[" not in var:
        return None, None, var
    m = ROSTER_FIELD.match(var)
    return (None, None, var) if m is None else (m[1], int(m[2]), m[3])


class Shape:
    """What the exact check needs to know of an equipment's facts, worked out once per
    ruleset: each fact's values that matter and the relations between facts."""

    def __init__(self, rs, equipment: str, nodes):
        self.facts = rs.facts
        self.relations = rs.relations(equipment)
        cuts: dict[str, set] = {}
        for node in nodes:
            for n in node.walk():
                if n.kind == "compare":
                    key, op, want = n.thresholds()
                    cuts.setdefault(key, set()).update(_cuts(op, want))
        # Facts linked by a relation share their thresholds.
        self.component: dict[str, str] = {}
        for rel in self.relations:
            keys = [k if rel.roster is None else f"{rel.roster}.{k}" for k in rel.keys]
            roots = {self._root(k) for k in keys}
            root = min(roots)
            for r in roots:
                self.component[r] = root
        for key in list(cuts):
            root = self._root(key)
            if root != key:
                cuts.setdefault(root, set()).update(cuts[key])
        self.cuts = {k: cuts.get(self._root(k), set()) | cuts.get(k, set()) for k in cuts}
        for key in self.component:
            self.cuts.setdefault(key, cuts.get(self._root(key), set()))
        self._domains: dict[str, tuple] = {}
        self._orders: dict[str, tuple] = {}
        self.related = {k if r.roster is None else f"{r.roster}.{k}" for r in self.relations for k in r.keys}
        self.person_reads_institution = False
        self.groups: dict = {}  # formula -> what it could read (Search.groups)
        self._static: dict = {}
        self._free: dict = {}

    # What a node or a clause could read at all, whatever the answers: ("k", key),
    # ("p", roster, key) for a field of a person of roster, ("r", roster) for a whole roster.

    def node_groups(self, node, roster: str | None, run) -> frozenset:
        key = ("node", id(node), roster)
        hit = self._static.get(key)
        if hit is None:
            self._static[key] = frozenset()  # a qualification that counts itself ends here
            out: set = set()
            for n in node.walk():
                if n.kind == "compare":
                    if n.field is None:
                        out.add(("k", self._root(n.key)))
                    else:
                        out.add(("p", roster, self._root(n.key)))
                elif n.kind == "count":
                    out.add(("r", n.roster))
                elif n.kind == "qualified" and roster is not None:
                    out |= self.qualified_groups(roster, run)
                elif n.kind == "rules":
                    for v in run.named(n):
                        out |= self.rule_groups(v.rule, run)
            if roster is None:  # a count's people are read as a whole
                out = {g if g[0] != "p" else ("r", g[1]) for g in out}
            hit = self._static[key] = frozenset(out)
        return hit

    def qualified_groups(self, roster: str, run) -> frozenset:
        key = ("qualified", roster)
        hit = self._static.get(key)
        if hit is None:
            self._static[key] = frozenset()
            out: set = set()
            for rule in run.rules:
                if rule.scope == "person" and rule.roster == roster:
                    out |= self.person_rule_groups(rule, run)
            hit = self._static[key] = frozenset(out)
        return hit

    def person_rule_groups(self, rule, run) -> frozenset:
        key = ("person rule", rule.id)
        hit = self._static.get(key)
        if hit is None:
            p = run.parts[rule.id]
            out: set = set()
            for n in (p.applies, p.condition, *(g[2] for g in p.grounds)):
                if n is not None:
                    out |= self.node_groups(n, p.scope, run)
            hit = self._static[key] = frozenset(out)
        return hit

    def rule_groups(self, rule, run) -> frozenset:
        if rule.scope == "person":
            return frozenset({("r", rule.roster)})
        key = ("rule", rule.id)
        hit = self._static.get(key)
        if hit is None:
            p = run.parts[rule.id]
            out: set = set()
            for n in (p.applies, p.condition, *(g[2] for g in p.grounds)):
                if n is not None:
                    out |= self.node_groups(n, None, run)
            hit = self._static[key] = frozenset(out)
        return hit

    def _root(self, key: str) -> str:
        seen = key
        while self.component.get(seen, seen) != seen:
            seen = self.component[seen]
        return seen

    def fact(self, var: str) -> tuple[Fact | None, str]:
        roster, _, field = split_var(var)
        if roster is None:
            return self.facts.get(var), var
        parent = self.facts.get(roster)
        key = f"{roster}.{field}"
        return (parent.fields_by_key.get(field) if parent is not None else None), key

    def group(self, var: str) -> Any:
        """Variables in one group may be linked (a relation between them)."""
        roster, index, field = split_var(var)
        key = var if roster is None else f"{roster}.{field}"
        root = self._root(key)
        return root if roster is None else (root, index)

    def domain(self, var: str) -> tuple:
        fact, key = self.fact(var)
        hit = self._domains.get(key)
        if hit is None:
            hit = self._domains[key] = _domain(fact, self.cuts.get(key, set()))
        return hit

    def probe_order(self, var: str) -> tuple:
        """The domain, its two ends first: one of them usually decides."""
        hit = self._orders.get(var)
        if hit is None:
            values = self.domain(var)
            hit = values if len(values) < 3 else (values[0], values[-1], *values[1:-1])
            if len(self._orders) < 100_000:
                self._orders[var] = hit
        return hit

    def related_var(self, var: str) -> bool:
        roster, _, field = split_var(var)
        return (var if roster is None else f"{roster}.{field}") in self.related

    def free(self, p) -> bool:
        """Whether every comparison a compiled clause (``plan.Parts``) makes can go either
        way over the values of its fact (none is true, or false, whatever the answer)."""
        hit = self._free.get(p.rule.id)
        if hit is None:
            hit = True
            for top in (p.applies, p.condition, *(g[2] for g in p.grounds)):
                for n in top.walk() if top is not None else ():
                    if n.kind == "compare":
                        values = _domain(n.fact, self.cuts.get(n.key, set()))
                        try:
                            outs = {bool(n.holds(v)) for v in values}
                        except (TypeError, ValueError):
                            outs = set()
                        hit = hit and outs == {True, False}
            self._free[p.rule.id] = hit
        return hit

    def broken_in(self, var: str, get) -> bool:
        """Whether answers read by ``get`` (the institution's, or the person's of a person's
        field) break a relation that ``var`` takes part in."""
        roster, _, field = split_var(var)
        if (var if roster is None else f"{roster}.{field}") not in self.related:
            return False
        key = var if roster is None else field
        return any(
            rel.roster == roster and key in rel.keys and rel.holds(get) is False for rel in self.relations
        )

    def broken(self, run, var: str) -> bool:
        """Whether the run's answers break a relation that ``var`` takes part in."""
        roster, index, field = split_var(var)
        if (var if roster is None else f"{roster}.{field}") not in self.related:
            return False
        for rel in self.relations:
            if rel.roster != roster:
                continue
            if roster is None:
                if var in rel.keys and rel.holds(run.answers.get) is False:
                    return True
            elif field in rel.keys:
                person = run.answers[roster][index]
                if rel.holds(person.get) is False:
                    return True
        return False


def _cuts(op: str, want: Any) -> list:
    if isinstance(want, bool) or not isinstance(want, int):
        return [want] if not isinstance(want, list) else list(want)
    return {
        ">=": [want - 1, want],
        ">": [want, want + 1],
        "<=": [want, want + 1],
        "<": [want - 1, want],
    }.get(op, [want - 1, want, want + 1])


def _domain(fact: Fact | None, cuts: set) -> tuple:
    """The values of a fact that matter, those likeliest to pass a threshold first."""
    if fact is None or fact.type in ("roster",):
        return ()
    if fact.type == "bool":
        return (True, False)
    if fact.type == "int":
        lo, hi = fact.min, fact.max
        values = {lo, hi} | {
            c for c in cuts if isinstance(c, int) and not isinstance(c, bool) and lo <= c <= hi
        }
        return tuple(sorted(values, reverse=True))
    if fact.type == "choice":
        return tuple(reversed(fact.choice_keys))
    if fact.type == "set":
        mentioned = [k for k in fact.choice_keys if k in cuts]
        if len(mentioned) > 8:  # not tried out (what rests on it stays open), as a roster
            return ()
        out = []
        for mask in range(2 ** len(mentioned) - 1, -1, -1):
            out.append([k for i, k in enumerate(mentioned) if mask >> i & 1])
        return tuple(out)
    # text: the values compared with, and one that is none of them
    return tuple(sorted(c for c in cuts if isinstance(c, str))) + ("\x00other",)
