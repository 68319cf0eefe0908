"""Hypothesis strategies: random (partial) answers drawn from the fact catalogue."""

from __future__ import annotations

import unicodedata

from hypothesis import strategies as st

from assistant.core.rules import loader
from assistant.core.rules.model import Fact
from assistant.core.rules.relations import AtMost, Requires, all_relations

INSTITUTION_FLAGS = (
    "institution.new_build",
    "institution.ownership",
    "institution.independent_imaging_center",
)


# Strategies built once per fact, roster and ruleset, as a module-level strategy would be: a
# new fixed_dictionaries per example made Hypothesis redo its checks of the whole tree (which
# of the ~60 member strategies can be empty, which can be cached) in every example, about a
# third of the time of the property tests. Keyed by the object they are built from (kept alive
# here, so its id is not reused): a test that loads a changed ruleset gets new ones.
_built: dict[tuple, tuple[object, st.SearchStrategy]] = {}


def _once(kind: str, source: object, build) -> st.SearchStrategy:
    key = (kind, id(source))
    hit = _built.get(key)
    if hit is None or hit[0] is not source:
        hit = _built[key] = (source, build())
    return hit[1]


def value_of(fact: Fact) -> st.SearchStrategy:
    return _once("value", fact, lambda: _value_of(fact))


def _value_of(fact: Fact) -> st.SearchStrategy:
    if fact.type == "bool":
        return st.booleans()
    if fact.type == "int":
        # Thresholds in these documents sit low; bias draws toward them.
        return st.one_of(st.integers(fact.min, min(fact.max, 40)), st.integers(fact.min, fact.max))
    if fact.type == "choice":
        return st.sampled_from([c.key for c in fact.choices])
    if fact.type == "set":
        keys = [c.key for c in fact.choices]
        return st.lists(st.sampled_from(keys), unique=True).map(lambda v: [k for k in keys if k in v])
    if fact.type == "text":
        # As typed answers and loaded profiles are: NFC-normalized, printable, trimmed.
        return (
            st.text(min_size=1, max_size=20)
            .map(lambda s: unicodedata.normalize("NFC", s).strip())
            .filter(lambda s: s and s.isprintable())
        )
    if fact.type == "roster":
        return st.lists(person_of(fact), max_size=7).map(lambda people: distinct_people(fact, people))
    raise AssertionError(fact.type)


def person_of(roster: Fact) -> st.SearchStrategy:
    """One person as a profile the tool accepts holds them: their fields keep the relations
    between them (IMRT years within years of work, cases in training with months of it)."""
    return _once("person", roster, lambda: _person_of(roster))


def _person_of(roster: Fact) -> st.SearchStrategy:
    fields = {f.key: f for f in roster.fields}
    optional = {k: value_of(f) for k, f in fields.items() if k not in ("role",)}
    rels = [r for r in all_relations({roster.key: roster}) if r.roster == roster.key and not r.across]
    drawn = st.fixed_dictionaries({"role": value_of(fields["role"])}, optional=optional)
    return drawn.map(lambda person: _repaired(rels, fields, person))


def distinct_people(roster: Fact, people: list) -> list:
    """``people`` with a name that repeats an earlier entry's dropped (drawn names collide;
    one person listed twice is refused), as the tool accepts a roster."""
    told = roster.people
    if told is None:
        return people
    seen: set = set()
    out = []
    for person in people:
        person = dict(person)
        name = person.get(told.name)
        if name is not None and name.strip() in seen:
            del person[told.name]
        elif name is not None:
            seen.add(name.strip())
        out.append(person)
    return out


def _repaired(rels, facts: dict[str, Fact], answers: dict, fixed=frozenset()) -> dict:
    """``answers`` changed until every refusing relation holds, changing what is not ``fixed``:
    a part lowered to its whole (or the whole raised), a yes that needs another fact turned
    to no (or the other fact given what it needs)."""
    for rel in rels:
        if not rel.refuses or rel.across:
            continue
        if rel.holds(answers.get) is not False:
            continue
        if isinstance(rel, AtMost):
            if rel.part not in fixed:
                answers[rel.part] = answers[rel.whole]
            else:
                answers[rel.whole] = answers[rel.part]
        elif isinstance(rel, Requires):
            if rel.key not in fixed:
                answers[rel.key] = False if facts[rel.key].type == "bool" else 0
            else:
                need = rel.needs
                answers[need.fact] = need.value + 1 if need.op == ">" else need.value
        else:  # pragma: no cover - a kind these strategies do not know yet
            raise AssertionError(rel)
    return answers


def facts_for(equipment: str) -> dict[str, Fact]:
    rs = loader.for_equipment(equipment)
    return {k: f for k, f in rs.facts.items() if k.startswith(("institution.", equipment + "."))}


def answers_for(equipment: str, complete: bool = False) -> st.SearchStrategy:
    """Answers for one equipment type; partial unless ``complete``. A count that is part of
    another (``at_most``) never exceeds it, as in any profile the tool accepts."""
    rs = loader.for_equipment(equipment)
    return _once(f"answers {equipment} {complete}", rs, lambda: _answers_for(equipment, complete))


def _answers_for(equipment: str, complete: bool) -> st.SearchStrategy:
    facts = facts_for(equipment)
    strategies = {k: value_of(f) for k, f in facts.items()}
    if complete:
        drawn = st.fixed_dictionaries(strategies)
    else:
        drawn = st.fixed_dictionaries({}, optional=strategies)
    return drawn.map(lambda answers: consistent(facts, answers))


def consistent(facts: dict[str, Fact], answers: dict, fixed=frozenset()) -> dict:
    """``answers`` as a profile the tool accepts holds them: every refusing relation between
    facts kept (parts within wholes, a yes that needs another fact with it), changing only
    what is not in ``fixed``; each roster's people likewise, and one entry per name."""
    out = dict(answers)
    rels = [r for r in all_relations(facts) if r.roster is None]
    _repaired(rels, facts, out, fixed)
    for key, fact in facts.items():
        if fact.type == "roster" and isinstance(out.get(key), list):
            person_rels = [r for r in all_relations(facts) if r.roster == key and not r.across]
            people = [_repaired(person_rels, fact.fields_by_key, dict(p)) for p in out[key]]
            out[key] = distinct_people(fact, people)
    return out


def value_within(fact: Fact, facts: dict[str, Fact], answers: dict) -> st.SearchStrategy:
    """A value for ``fact`` that keeps the relations it takes part in, given what is answered:
    parts within wholes, a yes (or a count above 0) only with what it needs."""
    lo, hi = (fact.min, fact.max) if fact.type == "int" else (None, None)
    falsy_only = False
    only = None
    for rel in all_relations(facts):
        if rel.roster is not None or fact.key not in rel.keys:
            continue
        if isinstance(rel, AtMost):
            if rel.part == fact.key and rel.whole in answers:
                hi = min(hi, answers[rel.whole])
            elif rel.whole == fact.key and rel.part in answers:
                lo = max(lo, answers[rel.part])
        elif isinstance(rel, Requires):
            if (
                rel.key == fact.key
                and rel.needs.fact in answers
                and rel.holds({**answers, fact.key: True if fact.type == "bool" else 1}.get) is False
            ):
                falsy_only = True
            elif rel.needs.fact == fact.key and Requires.triggered(rel, answers.get(rel.key)):
                need = rel.needs
                if fact.type == "bool":
                    only = need.value
                else:
                    lo = max(lo, need.value + 1 if need.op == ">" else need.value)
    if falsy_only:
        return st.just(False if fact.type == "bool" else 0)
    if only is not None:
        return st.just(only)
    if fact.type != "int":
        return value_of(fact)
    return st.integers(lo, hi)


def complete(data, equipment: str, answers: dict, fill: dict | None = None) -> dict:
    """``answers`` with every fact of ``equipment`` answered (and every field of every person
    on a roster), drawn at random as a profile the tool accepts would hold them: parts within
    their wholes. ``fill`` (fact key or ``roster[i].field`` -> value) is answered first."""
    facts = facts_for(equipment)
    out = {
        k: ([dict(p) for p in v] if isinstance(v, list) and v and isinstance(v[0], dict) else v)
        for k, v in answers.items()
    }
    for key, value in (fill or {}).items():
        if "[" in key:
            roster, _, rest = key.partition("[")
            index, _, field = rest.partition("].")
            out[roster][int(index)][field] = value
        else:
            out[key] = value
    for key, fact in facts.items():
        if fact.retired or fact.identity or key in out:  # a name decides nothing
            continue
        if fact.type == "roster":
            out[key] = data.draw(
                st.lists(person_of(fact), max_size=5).map(lambda p, f=fact: distinct_people(f, p))
            )
        else:
            out[key] = data.draw(value_within(fact, facts, out))
    for key, fact in facts.items():
        if fact.type != "roster":
            continue
        rels = [r for r in all_relations(facts) if r.roster == key and not r.across]
        for person in out.get(key) or []:
            given = frozenset(person)
            for field in fact.fields:
                if field.key not in person and not field.identity:
                    person[field.key] = data.draw(value_of(field))
            _repaired(rels, fact.fields_by_key, person, given)
    return out
