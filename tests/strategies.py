"""Hypothesis strategies: random (partial) answers drawn from the fact catalogue."""

from __future__ import annotations

import unicodedata

from hypothesis import strategies as st

from assistant.core.rules import loader
from assistant.core.rules.model import Fact

INSTITUTION_FLAGS = (
    "institution.new_build",
    "institution.ownership",
    "institution.independent_imaging_center",
)


def value_of(fact: Fact) -> st.SearchStrategy:
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
        return st.lists(person_of(fact), max_size=7)
    raise AssertionError(fact.type)


def person_of(roster: Fact) -> st.SearchStrategy:
    fields = {f.key: f for f in roster.fields}
    optional = {k: value_of(f) for k, f in fields.items() if k not in ("role",)}
    return st.fixed_dictionaries({"role": value_of(fields["role"])}, optional=optional)


def facts_for(equipment: str) -> dict[str, Fact]:
    rs = loader.for_equipment(equipment)
    return {k: f for k, f in rs.facts.items() if k.startswith(("institution.", equipment + "."))}


def answers_for(equipment: str, complete: bool = False) -> st.SearchStrategy:
    """Answers for one equipment type; partial unless ``complete``. A count that is part of
    another (``at_most``) never exceeds it, as in any profile the tool accepts."""
    facts = facts_for(equipment)
    strategies = {k: value_of(f) for k, f in facts.items()}
    if complete:
        drawn = st.fixed_dictionaries(strategies)
    else:
        drawn = st.fixed_dictionaries({}, optional=strategies)
    return drawn.map(lambda answers: consistent(facts, answers))


def consistent(facts: dict[str, Fact], answers: dict) -> dict:
    """``answers`` with every part lowered to its whole where it was larger."""
    out = dict(answers)
    for key, fact in facts.items():
        whole = fact.at_most
        if whole is not None and key in out and whole in out and out[key] > out[whole]:
            out[key] = out[whole]
    return out


def value_within(fact: Fact, facts: dict[str, Fact], answers: dict) -> st.SearchStrategy:
    """A value for ``fact`` that keeps parts within their wholes, given what is answered."""
    if fact.type != "int":
        return value_of(fact)
    lo, hi = fact.min, fact.max
    if fact.at_most in answers:
        hi = min(hi, answers[fact.at_most])
    for key, other in facts.items():
        if other.at_most == fact.key and key in answers:
            lo = max(lo, answers[key])
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
            out[key] = data.draw(st.lists(person_of(fact), max_size=5))
        else:
            out[key] = data.draw(value_within(fact, facts, out))
    for key, fact in facts.items():
        if fact.type != "roster":
            continue
        for person in out.get(key) or []:
            for field in fact.fields:
                if field.key not in person and not field.identity:
                    person[field.key] = data.draw(value_of(field))
    return out
