"""A clause compiled for evaluation, and what an equipment's clauses need worked out once
per ruleset: their order, their parts as nodes, and the shape of their facts for the exact
check. All of it lives in the ruleset's memo (``plan``, ``parts``, ``shape``)."""

from __future__ import annotations

from typing import NamedTuple

from ..rules.model import Exemption, Rule
from .compile import node_of
from .node import Node
from .shape import Shape

NO_SCOPE = (None, None)
_PLAIN = ("compare", "all", "any", "not", "implies")


class Parts(NamedTuple):
    """A clause compiled: its applicability, condition and recommendation, and the grounds
    that can waive it, each as (exemption, ground key, node) — the institution's grounds for
    an institution clause, the person routes (with their role) for a person clause."""

    rule: Rule
    applies: Node | None
    condition: Node
    advice: Node | None
    grounds: tuple[tuple[Exemption, str, Node], ...]
    scope: str | None  # the roster of a person clause
    # An institution clause passes: a ground waives it, it does not apply, or it is met.
    side: tuple = ()
    # It reads answered facts only (no count, qualification or other clause's verdict).
    plain: bool = False


def plan(rs, equipment: str) -> tuple[tuple[Rule, ...], dict[str, Rule], dict[str, Parts]]:
    """The rules of ``equipment`` in order, by id, and compiled (by id), once per ruleset."""
    memo = rs.memo.table("plan")
    hit = memo.get(equipment)
    if hit is None:
        rules = tuple(rs.rules_for(equipment))
        hit = memo[equipment] = (rules, {r.id: r for r in rules}, {r.id: parts_of(rs, r) for r in rules})
    return hit


def parts_of(rs, rule: Rule) -> Parts:
    memo = rs.memo.table("parts")
    hit = memo.get(rule.id)
    if hit is None or hit.rule is not rule:
        roster = rule.roster if rule.scope == "person" else None
        grounds = tuple(
            (ex, gkey, node_of(rs, next(g for g in ex.grounds if g.key == gkey).when, roster))
            for ex, gkey in rs.waivers_of(rule.id)
            if ex.scope == ("person" if roster else "institution")
        )
        applies, condition = node_of(rs, rule.applies_when, roster), node_of(rs, rule.condition, roster)
        side: list[tuple] = [("node", g[2], NO_SCOPE) for g in grounds]
        if applies is not None:
            side.append(("not", ("node", applies, NO_SCOPE)))
        side.append(("node", condition, NO_SCOPE))
        nodes = [n for top in (applies, condition, *(g[2] for g in grounds)) if top for n in top.walk()]
        plain = roster is None and all(n.kind in _PLAIN for n in nodes)
        hit = memo[rule.id] = Parts(
            rule,
            applies,
            condition,
            node_of(rs, rule.advice, roster),
            grounds,
            roster,
            ("or", tuple(side)),
            plain,
        )
    return hit


def shape_of(rs, equipment: str) -> Shape:
    memo = rs.memo.table("shape")
    hit = memo.get(equipment)
    if hit is None:
        rules = plan(rs, equipment)[0]
        nodes, person_nodes = [], []
        for rule in rules:
            p = parts_of(rs, rule)
            mine = [
                n for n in (p.applies, p.condition, p.advice, *(g[2] for g in p.grounds)) if n is not None
            ]
            (person_nodes if p.scope else nodes).extend(mine)
        hit = memo[equipment] = Shape(rs, equipment, nodes + person_nodes)
        # A person's verdicts rest on the person alone unless a person clause reads an
        # institution fact (a key with a dot): then answering one changes everyone's.
        hit.person_reads_institution = any(
            n.kind == "compare" and n.field is None for node in person_nodes for n in node.walk()
        )
    return hit


def person_reads(rs, p: Parts) -> tuple[str, ...] | None:
    """The fields of a person a person clause (with its routes) reads, when it reads nothing
    but that person's answers; else None."""
    memo = rs.memo.table("person_reads")
    if p.rule.id in memo:
        return memo[p.rule.id]
    nodes = [n for top in (p.applies, p.condition, *(g[2] for g in p.grounds)) if top for n in top.walk()]
    plain = all(n.kind in _PLAIN and (n.kind != "compare" or n.field is not None) for n in nodes)
    out = None
    if plain:
        fields = dict.fromkeys(n.field for n in nodes if n.kind == "compare")
        for rel in rs.relations(p.rule.equipment):  # a field related to one read matters too
            if rel.roster == p.scope and any(k in fields for k in rel.keys):
                fields.update(dict.fromkeys(rel.keys))
        out = tuple(fields)
    memo[p.rule.id] = out
    return out


def facts_read(rs, cond, roster: str | None = None) -> list[str]:
    """The facts a condition reads, in order of appearance, walked through its compiled nodes'
    ``children()``: inside a roster (a person rule's ``roster``, a count's ``where``) each
    key as ``roster.key``; a count's roster before what its ``where`` reads."""
    out: list[str] = []

    def visit(node: Node, roster: str | None) -> None:
        if node.kind == "compare":
            out.append(node.cond.fact if roster is None else f"{roster}.{node.cond.fact}")
        elif node.kind == "count":
            out.append(node.roster)
            roster = node.roster
        for child in node.children():
            visit(child, roster)

    node = node_of(rs, cond, roster)
    if node is not None:
        visit(node, roster)
    return list(dict.fromkeys(out))


def rule_facts(rs, rule: Rule) -> list[str]:
    """Every fact a clause reads (applicability, condition, recommendation); a person
    clause's roster and the role field first."""
    memo = rs.memo.table("rule_reads")
    hit = memo.get(rule.id)
    if hit is None or hit[0] is not rule:
        roster = rule.roster if rule.scope == "person" else None
        keys = [rule.roster, f"{rule.roster}.role"] if roster else []
        for cond in (rule.applies_when, rule.condition, rule.advice):
            keys += facts_read(rs, cond, roster)
        hit = memo[rule.id] = (rule, tuple(dict.fromkeys(keys)))
    return list(hit[1])


def keys_read(rs, cond, roster: str | None = None) -> list[str]:
    """The facts a condition reads as global keys (a person's field as ``roster.field``, an
    institution fact as its own key wherever it is read), through the nodes' ``children()``."""
    node = node_of(rs, cond, roster)
    if node is None:
        return []
    keys = (n.key if n.kind == "compare" else n.roster for n in node.walk() if n.kind in ("compare", "count"))
    return list(dict.fromkeys(keys))


def ground_roster(rs, exemption, ground: str) -> str | None:
    """The roster a person exemption's ground is decided in (that of a clause it waives)."""
    if exemption.scope != "person":
        return None
    rules = (rs.rule(rid) for rid in rs.waived[exemption.id][ground])
    return next((r.roster for r in rules if getattr(r, "roster", None)), None)
