"""Cross-checks of a parsed ruleset, before anything evaluates it: every fact a condition
reads is declared and compared with a value it can take, every rule an exemption or a
``rules`` condition names exists, and no rule depends on itself through ``rules``
conditions. Pure functions of the model; the loader and lint both call them."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import (
    All,
    Any_,
    Compare,
    Condition,
    Count,
    Fact,
    Implies,
    Not,
    Qualified,
    Rules,
    RulesetFile,
)


def walk(cond: Condition | None) -> Iterator[Condition]:
    """Every node of a condition tree, depth first."""
    if cond is None:
        return
    yield cond
    match cond:
        case All(all=parts) | Any_(any=parts):
            for p in parts:
                yield from walk(p)
        case Not(not_=inner):
            yield from walk(inner)
        case Implies(if_=a, then=b):
            yield from walk(a)
            yield from walk(b)
        case Count(where=w):
            yield from walk(w)


def facts_read(cond: Condition | None, scope_roster: str | None = None) -> list[str]:
    """Fact keys a condition reads, in order of appearance. Person fields are returned as
    ``roster.field`` so that every key is global."""
    out: list[str] = []

    def visit(c: Condition | None, roster: str | None) -> None:
        if c is None:
            return
        match c:
            case Compare(fact=f):
                out.append(f if roster is None else f"{roster}.{f}")
            case All(all=parts) | Any_(any=parts):
                for p in parts:
                    visit(p, roster)
            case Not(not_=inner):
                visit(inner, roster)
            case Implies(if_=a, then=b):
                visit(a, roster)
                visit(b, roster)
            case Count(count=r, where=w):
                out.append(r)
                visit(w, r)
            case Qualified():
                pass

    visit(cond, scope_roster)
    return list(dict.fromkeys(out))


def expand_patterns(patterns: tuple[str, ...], ids: list[str]) -> list[str]:
    out: list[str] = []
    for p in patterns:
        if p.endswith(".*"):
            stem = p[:-1]
            out += [i for i in ids if i.startswith(stem)]
        else:
            out += [i for i in ids if i == p]
    return out


def check_ruleset(data: RulesetFile, facts: dict[str, Fact]) -> list[str]:
    """Cross-reference problems in a parsed ruleset (empty when sound)."""
    from .consistency import reference_problems

    ids = [r.id for r in data.rules]
    problems = _id_and_equipment_problems(data)
    problems += [f"{key}: {msg.en}" for key, msg in reference_problems(facts)]
    known = _known(facts)
    for r in data.rules:
        problems += _rule_reads(r, facts, known)
    problems += _rules_condition_problems(data)
    for r in data.rules:
        for e in r.evidence:
            if e.when is not None:
                undeclared = [key for key in facts_read(e.when) if not known(key)]
                problems += [f"{r.id}: evidence reads undeclared fact {key}" for key in undeclared]
    for ex in data.exemptions:
        problems += _exemption_problems(ex, data, facts, known, ids)
    return problems


def _id_and_equipment_problems(data: RulesetFile) -> list[str]:
    """Ids given twice; equipment listed without a description, or used without being listed."""
    all_ids = [r.id for r in data.rules] + [e.id for e in data.exemptions]
    seen: set[str] = set()
    dupes = {i for i in all_ids if i in seen or seen.add(i)}
    problems = [f"duplicate rule id {i}" for i in sorted(dupes)]
    covered = set(data.ruleset.equipment)
    described = {e.key for e in data.equipment}
    problems += [
        f"ruleset.equipment names {key}, which has no [[equipment]] entry (its name and section)"
        for key in data.ruleset.equipment
        if key not in described
    ]
    problems += [
        f"{r.id}: equipment {r.equipment!r} is not in ruleset.equipment"
        for r in (*data.rules, *data.exemptions)
        if r.equipment not in covered
    ]
    return problems


def _known(facts: dict[str, Fact]):
    """Whether a key names a declared fact, or a field of a declared roster (``roster.field``)."""

    def known(key: str) -> bool:
        if key in facts:
            return True
        roster, _, fld = key.rpartition(".")
        parent = facts.get(roster)
        return parent is not None and any(f.key == fld for f in parent.fields)

    return known


def _reads_problems(owner: str, cond, facts: dict[str, Fact], roster: str | None, known) -> list[str]:
    """A condition reading undeclared facts, or else comparing a fact with what it cannot take."""
    undeclared = [key for key in facts_read(cond, roster) if not known(key)]
    if undeclared:
        return [f"{owner}: reads undeclared fact {key}" for key in undeclared]
    return [f"{owner}: {p}" for p in _type_problems(cond, facts, roster)]


def _rule_reads(r, facts: dict[str, Fact], known) -> list[str]:
    roster = r.roster if r.scope == "person" else None
    if roster is not None and facts.get(roster, None) is None:
        return [f"{r.id}: roster {roster} is not a declared fact"]
    if roster is not None and facts[roster].type != "roster":
        return [f"{r.id}: roster {roster} is a {facts[roster].type} fact, not a roster"]
    out: list[str] = []
    for cond in (r.applies_when, r.condition, r.advice):
        out += _reads_problems(r.id, cond, facts, roster, known)
    return out


def _exemption_problems(ex, data: RulesetFile, facts: dict[str, Fact], known, ids: list[str]) -> list[str]:
    # A person-scope exemption reads the fields of the roster its rules are about.
    roster = None
    if ex.scope == "person":
        roster = next((r.roster for r in data.rules if r.scope == "person" and r.role == ex.role), None)
    out: list[str] = []
    for g in ex.grounds:
        out += _reads_problems(ex.id, g.when, facts, roster, known)
        out += [
            f"{ex.id}: names {p}, which matches no rule"
            for p in (*g.waives, *g.within, *g.must_meet)
            if not expand_patterns((p,), ids)
        ]
    return out


_ORDER = (">=", ">", "<=", "<")


def rule_dependencies(data: RulesetFile) -> dict[str, list[str]]:
    """Rule id -> the rules its ``rules`` conditions name (same equipment)."""
    by_eq: dict[str, list[str]] = {}
    for r in data.rules:
        by_eq.setdefault(r.equipment, []).append(r.id)
    deps: dict[str, list[str]] = {}
    for r in data.rules:
        named = [
            node.rules
            for cond in (r.applies_when, r.condition, r.advice)
            for node in walk(cond)
            if isinstance(node, Rules)
        ]
        if named:
            deps[r.id] = list(
                dict.fromkeys(i for pats in named for i in expand_patterns(pats, by_eq[r.equipment]))
            )
    return deps


def _rules_condition_problems(data: RulesetFile) -> list[str]:
    """A ``rules`` condition must name rules (of its own equipment), and no rule may depend
    on itself, directly or through others: the evaluator decides the named rules first."""
    by_eq: dict[str, list[str]] = {}
    for r in data.rules:
        by_eq.setdefault(r.equipment, []).append(r.id)
    problems = [
        f"{r.id}: rules condition names {p}, which matches no {r.equipment} rule"
        for r in data.rules
        for p in _named_patterns(r)
        if not expand_patterns((p,), by_eq[r.equipment])
    ]
    return problems + _cycles(rule_dependencies(data))


def _named_patterns(r) -> list[str]:
    """The rule patterns the ``rules`` conditions of ``r`` name."""
    return [
        p
        for cond in (r.applies_when, r.condition, r.advice)
        for node in walk(cond)
        if isinstance(node, Rules)
        for p in node.rules
    ]


def _cycles(deps: dict[str, list[str]]) -> list[str]:
    """Each cycle of rules depending on each other, found by a depth-first walk."""
    problems: list[str] = []
    state: dict[str, int] = {}  # 1 on the path, 2 done

    def visit(rid: str, path: list[str]) -> None:
        state[rid] = 1
        for d in deps.get(rid, []):
            if state.get(d) == 1:
                cycle = path[path.index(d) :] + [d] if d in path else [rid, d]
                problems.append("rules conditions form a cycle: " + " -> ".join(cycle))
            elif d not in state:
                visit(d, [*path, d])
        state[rid] = 2

    for rid in deps:
        if rid not in state:
            visit(rid, [rid])
    return problems


def _type_problems(cond: Condition | None, facts: dict[str, Fact], roster: str | None) -> list[str]:
    """Comparisons the evaluator could not make: a number compared with text, an unknown
    choice, an order on unordered choices, a count over something that is not a roster. A
    ruleset that loads must never make evaluation fail."""
    out: list[str] = []

    def fact_of(key: str, scope: str | None) -> Fact | None:
        if scope is not None and "." not in key:
            parent = facts.get(scope)
            return next((f for f in parent.fields if f.key == key), None) if parent else None
        return facts.get(key)

    def visit(c: Condition | None, scope: str | None) -> None:
        for part, inner_scope in _inner(c, scope):
            visit(part, inner_scope)
        match c:
            case Count(count=key):
                target = facts.get(key)
                if target is None or target.type != "roster":
                    out.append(f"count of {key}, which is not a roster fact")
            case Compare(fact=key, op=op, value=v):
                fact = fact_of(key, scope)
                if fact is not None:
                    out.extend(_compare_problem(key, fact, op, v))

    visit(cond, roster)
    return out


def _inner(c: Condition | None, scope: str | None) -> list[tuple[Condition, str | None]]:
    """The conditions directly inside ``c``, each with the roster its facts are read in (a
    count's ``where`` reads its roster's people; over something not a roster it finds no
    field, and the count itself is the problem reported)."""
    match c:
        case All(all=parts) | Any_(any=parts):
            return [(p, scope) for p in parts]
        case Not(not_=inner):
            return [(inner, scope)]
        case Implies(if_=a, then=b):
            return [(a, scope), (b, scope)]
        case Count(count=key, where=where):
            return [(where, key)]
    return []


def _compare_problem(key: str, fact: Fact, op: str, v) -> list[str]:
    t = fact.type
    if t == "bool":
        if not isinstance(v, bool) or op not in ("==", "!="):
            return [f"{key} is yes/no: compare it with == or != and true or false, not {op} {v!r}"]
    elif t == "int":
        if isinstance(v, bool) or not isinstance(v, int) or op not in ("==", "!=", *_ORDER):
            return [f"{key} is a number: it cannot be compared with {v!r} using {op}"]
    elif t in ("choice", "set"):
        keys = [c.key for c in fact.choices]
        values = v if isinstance(v, list) else [v]
        bad = [x for x in values if not isinstance(x, str) or x not in keys]
        if bad:
            return [f"{key} has no choice {', '.join(map(repr, bad))} (choices: {', '.join(keys)})"]
        if op in _ORDER and (t == "set" or not fact.ordered):
            return [f"{key}'s choices are not ordered: {op} means nothing"]
        if t == "choice" and op in ("contains", "intersects"):
            return [f"{key} holds one choice: use == or in, not {op}"]
        if t == "set" and op == "in":
            return [f"{key} holds several choices: use contains or intersects, not in"]
        if op in ("in", "intersects") and not isinstance(v, list):
            return [f"{key}: {op} needs a list of choices"]
    else:  # text and roster facts are not compared
        return [f"{key} is a {t} fact: no condition can compare it"]
    return []
