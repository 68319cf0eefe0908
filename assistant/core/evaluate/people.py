"""Person clauses: checked for every person of one role on a roster (the proton physicians and
physicists), and the roster summaries (qualified or not, by which route).

A person's verdict on a clause: met when they meet it (also while whether it applies to them
is open: they pass either way), not applicable when it does not apply; otherwise a person
exemption of their role that holds (the proton training routes: "可视为达到…", "可免于培训")
makes them exempt. These are alternative routes a person may take, not a clause lifted: a
person who meets the clause is met, and only one who does not is checked against them. A
person who fails one route misses nothing (completing it would ask what no longer matters).
What three-valued logic leaves open the exact check decides, person by person (people are
independent: each has their own fields).

The clause over the roster: not met when a person of the role is not met, open when one is
open, exempt when all are, not applicable when none is on the roster (or the clause applies
to none), met otherwise; open while the roster is not filled in.
"""

from __future__ import annotations

import time

from ..text.i18n import Msg
from ..text.messages import as_msg, listed, msg
from .clause import Verdict, notes, own_words, waiver, with_notes
from .exact import LATER
from .node import NOTHING
from .plan import person_reads
from .results import PersonResult, PersonSummary, fmt_value


class PersonVerdict:
    __slots__ = (
        "status",
        "waived_by",
        "_missing",
        "applies",
        "own",
        "how",
        "open_facts",
        "_witnesses",
        "open_grounds",
    )

    def __init__(self, status, waived_by=(), missing=NOTHING, *, applies=True, own=None, how="kleene",
                 open_facts=NOTHING, witnesses=None):  # fmt: skip
        self.status, self.waived_by, self._missing = status, waived_by, missing
        self.applies, self.own, self.how = applies, own, how
        self.open_facts, self._witnesses, self.open_grounds = open_facts, witnesses, ()

    missing = Verdict.missing
    witnesses = Verdict.witnesses
    forget_witnesses = Verdict.forget_witnesses


def person_verdict(run, rule, index: int, person: dict) -> PersonVerdict:
    p = run.parts[rule.id]
    env = run.env_at((p.scope, index))
    a, am = p.applies.decide(env) if p.applies is not None else (True, NOTHING)
    if a is False:
        return PersonVerdict("not_applicable", applies=a)
    c, cm = p.condition.decide(env)
    if c is True:
        return PersonVerdict("met", applies=a, own=c)
    role = person.get("role")
    waivers, ground_missing = [], NOTHING
    for ex, gkey, node in p.grounds:
        if ex.role != role:
            continue
        value, ms = node.decide(env)
        if value is True:
            waivers.append(waiver(ex, gkey))
        elif value is None:
            ground_missing += ms
    if waivers:
        return PersonVerdict("exempt", tuple(waivers), applies=a, own=c)
    if a is True and c is False and not ground_missing:
        return PersonVerdict("not_met", applies=a, own=c)
    missing = (am if a is None else cm if c is None else NOTHING) + ground_missing
    if not run.exact:
        return PersonVerdict("unknown", (), missing, applies=a, own=c)
    return _person_exactly(run, rule, index, p, missing, a, c)


def _person_exactly(run, rule, index: int, p, missing: tuple[str, ...], a, c) -> PersonVerdict:
    """A person's verdict three-valued logic leaves open, decided by the exact check."""
    search = run.search
    start = time.perf_counter()
    top = run.person_side_formula(rule, index)
    light = person_reads(run.rs, p) is not None
    passing, failing, probed = search.classify(top, missing, light and search.shape.free(p))
    search.rules += 1
    try:
        if passing is not None and failing is not None:

            def keep() -> tuple[str, ...]:
                start = time.perf_counter()
                try:
                    return search.deciding(top, missing, probed, light)
                finally:
                    search.seconds += time.perf_counter() - start

            return PersonVerdict("unknown", (), keep, applies=a, own=c, how="open", open_facts=missing,
                                 witnesses=search.found(top, passing, failing))  # fmt: skip
        status = "not_met" if failing is not None else _person_passing_status(search, p, index)
        return PersonVerdict(status, applies=a, own=c, how="exact", open_facts=missing)
    finally:
        search.seconds += time.perf_counter() - start


def _person_passing_status(search, p, index: int) -> str:
    """A person who passes whatever the open answers are: met when some of them make the
    clause apply and hold, else not applicable when some make it not apply, else exempt."""
    scope = (p.scope, index)
    applies = ("node", p.applies, scope) if p.applies is not None else ("const", True)
    if search.possible(("and", (applies, ("node", p.condition, scope)))):
        return "met"
    if search.possible(("not", applies)):
        return "not_applicable"
    return "exempt"


def person_rule_verdict(run, rule) -> Verdict:
    people = run.answers.get(rule.roster)
    if people is None:
        return Verdict(rule, "unknown", (rule.roster,), applies=None)
    of_role = [(i, q) for i, q in enumerate(people) if q.get("role") == rule.role]
    if not of_role:
        return Verdict(rule, "not_applicable")
    persons = tuple((i, q, run.person_verdict(rule, i, q)) for i, q in of_role)
    statuses = [v.status for _, _, v in persons]
    if "not_met" in statuses:
        status = "not_met"
    elif "unknown" in statuses:
        status = "unknown"
        if run.exact and statuses.count("unknown") > 1:
            status = _jointly(run, rule, persons)
    elif all(s == "exempt" for s in statuses):
        status = "exempt"
    elif all(s == "not_applicable" for s in statuses):
        status = "not_applicable"
    else:
        status = "met"
    waivers = tuple(dict.fromkeys(w for _, _, v in persons for w in v.waived_by))
    if status in ("unknown", "not_met"):

        def missing() -> tuple[str, ...]:
            return tuple(dict.fromkeys(m for _, _, v in persons for m in v.missing))

        witnesses = None
        if status == "unknown" and run.exact:
            witnesses = run.search.found(run.side_formula(rule), LATER, LATER)
        return Verdict(rule, status, missing, waivers, persons=persons, witnesses=witnesses)
    return Verdict(rule, status, NOTHING, waivers, persons=persons)


def _jointly(run, rule, persons) -> str:
    """People are independent unless a person clause reads an institution fact: then the
    open people may be unable to pass together."""
    search = run.search
    items = [("pside", rule.id, i) for i, _, v in persons if v.status == "unknown"]
    if search.independent(items, run):
        return "unknown"
    return "unknown" if search.possible(("and", tuple(items))) else "not_met"


# --- words ------------------------------------------------------------------------------


def person_words(run, rule, index: int, person: dict, v: PersonVerdict, sink=None) -> Msg:
    """What a person's verdict on a clause says: their own findings, or the routes that waive
    it. With a ``sink`` every part is explained, so that it records each leaf."""
    p = run.parts[rule.id]
    env = run.env_at((p.scope, index))
    waived = v.status == "exempt" and v.waived_by
    if sink is not None:
        who = person.get("name") or f"#{index + 1}"
        sink.enter(f"{who}:applies")
    applies = (
        (True, [])
        if p.applies is None or (sink is None and v.applies is True)
        else p.applies.explain(env, sink)
    )
    if sink is not None:
        sink.enter(f"{who}:condition")
    condition = (v.own, []) if sink is None and waived else p.condition.explain(env, sink)
    if sink is not None:
        for ex, _, node in p.grounds:
            if ex.role == person.get("role"):
                sink.enter(f"{who}:{ex.id}")
                node.explain(env, sink)
    if waived:
        return Msg.join(
            [msg("evaluate.people.waived_by", clause=w.clause, label=w.label) for w in v.waived_by]
        )
    reason, _ = own_words(p, applies, condition, v.how)
    if v.status != "unknown":
        reason = with_notes(reason, notes(run, v))
    return reason


def person_rule_words(run, v: Verdict, sink=None):
    """(reason, shortfall, persons) of a person clause's verdict."""
    rule = v.rule
    if v.status == "unknown" and not v.persons:
        label = run.rs.facts[rule.roster].label
        return msg("evaluate.people.not_filled_in", label=label), (), ()
    if not v.persons:
        role_label = run.rs.facts[rule.roster].fields_by_key.get("role")
        role = fmt_value(role_label, rule.role) if role_label else Msg(rule.role, rule.role)
        return msg("evaluate.people.no_on_roster", role=role), (), ()
    persons = tuple(
        PersonResult(
            i, q.get("name") or f"#{i + 1}", pv.status, run.person_reason(rule, i, q, sink), pv.waived_by
        )
        for i, q, pv in v.persons
    )
    status = v.status
    shown = [p for p in persons if p.status == status] if status in ("not_met", "unknown") else persons
    if not shown:  # not met jointly although no one alone is
        shown = persons
    reason = Msg.join([msg("evaluate.people.text", name=p.name, reason=p.reason) for p in shown])
    shortfall = tuple(
        msg("evaluate.people.text", name=p.name, reason=p.reason) for p in persons if p.status == "not_met"
    )
    return reason, shortfall, persons


def summaries(run) -> list[PersonSummary]:
    """Every person on the equipment's rosters: qualified or not, the route or what they lack."""
    out = []
    rosters = {r.roster for r in run.rules if r.scope == "person"}
    for roster in sorted(r for r in rosters if r):
        role_field = run.rs.facts[roster].fields_by_key.get("role")
        for i, q in enumerate(run.answers.get(roster) or []):
            role = q.get("role")
            qualified = run.qualified(roster, i, q) if role else None
            routes, lacks = [], []
            for rule in run.person_rules(roster, role):
                pv = run.person_verdict(rule, i, q)
                if pv.status == "exempt":
                    routes += [
                        msg("evaluate.people.text_3", clause=w.clause, label=w.label) for w in pv.waived_by
                    ]
                elif pv.status != "met":
                    reason = run.person_reason(rule, i, q)
                    lacks.append(msg("evaluate.people.text_4", clause=rule.clause, reason=reason))
            routes = list(dict.fromkeys(routes))
            if qualified is True:
                route = msg("evaluate.people.qualified_by_training") if not routes else listed(routes)
            elif qualified is False:
                route = msg("evaluate.people.not_qualified")
            else:
                route = msg("evaluate.people.open")
            role_msg = fmt_value(role_field, role) if role_field and role else as_msg("?")
            out.append(
                PersonSummary(
                    roster,
                    i,
                    q.get("name") or f"#{i + 1}",
                    role or "",
                    role_msg,
                    qualified,
                    route,
                    tuple(lacks),
                )
            )
    return out
