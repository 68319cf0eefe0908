"""Relations between facts a profile must keep (``relations.py``), checked against answers.

Counts that are part of another ("其中主任医师 2 名" within "指导医师 3 名") declare the whole
with ``at_most`` in the fact data; a yes that needs another fact declares it with ``requires``;
a roster says how its people are told apart with ``people``. A profile breaking a refusing
relation holds a typing slip, never a fact, so the interview refuses the answer and ``check``
refuses the profile, naming both facts (``breaches``); a warning relation is said and the
profile accepted (``Breach.refuses`` False)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from ...text.i18n import Msg
from ...text.messages import msg
from ..model import Fact
from ..relations import Relation, all_relations
from ..store import current


class Conflict(NamedTuple):
    part: str
    whole: str
    part_value: int
    whole_value: int

    def message(self, facts: Mapping[str, Fact]) -> Msg:
        p, w = facts[self.part], facts[self.whole]
        return msg(
            "checks.consistency.is_more_than_first_is",
            label=p.label,
            part=self.part,
            part_value=self.part_value,
            label2=w.label,
            whole=self.whole,
            whole_value=self.whole_value,
        )


def _int(v: Any) -> int | None:
    return v if isinstance(v, int) and not isinstance(v, bool) else None


def _parts(facts: Mapping[str, Fact]) -> list[tuple[str, Fact]]:
    """The facts of a catalogue that are part of another, found once per catalogue in a run
    (every profile of a batch is checked against the same few)."""
    memo = current().table("consistency.parts")
    hit = memo.get(id(facts))
    if hit is None or hit[0] is not facts:  # by identity; the catalogue is kept alive
        hit = memo[id(facts)] = (facts, [(k, f) for k, f in facts.items() if f.at_most is not None])
    return hit[1]


def conflicts(facts: Mapping[str, Fact], answers: Mapping[str, Any]) -> list[Conflict]:
    """Every answered part that is larger than its answered whole."""
    out = []
    for key, fact in _parts(facts):
        part, whole = _int(answers.get(key)), _int(answers.get(fact.at_most))
        if part is not None and whole is not None and part > whole:
            out.append(Conflict(key, fact.at_most, part, whole))
    return out


def conflicts_with(
    facts: Mapping[str, Fact], answers: Mapping[str, Any], key: str, value: Any
) -> list[Conflict]:
    """The conflicts that answering ``key`` with ``value`` would bring about."""
    trial = {**answers, key: value}
    return [c for c in conflicts(facts, trial) if key in (c.part, c.whole)]


class Breach(NamedTuple):
    """A relation the answers break: ``paths`` are the profile paths of the facts it links
    (``roster[i].field`` inside a person; the roster's entries for one across its people),
    ``message`` names both facts and both values."""

    relation: Relation
    paths: tuple[str, ...]
    message: Msg

    @property
    def refuses(self) -> bool:
        return self.relation.refuses


def _label(facts: Mapping[str, Fact], roster: str | None) -> callable:
    catalogue = facts[roster].fields_by_key if roster is not None else facts

    def label(key: str, lang: str) -> str:
        fact = catalogue.get(key) or facts.get(key)
        if fact is None and "." in key:  # ``roster.field``: a field of a roster's people
            whole, _, name = key.rpartition(".")
            fact = facts[whole].fields_by_key.get(name) if whole in facts else None
        return fact.label.get(lang) if fact is not None else key

    return label


def _broken(
    rel: Relation, facts: Mapping[str, Fact], answers: Mapping[str, Any], final: bool
) -> list[Breach]:
    if rel.roster is None:
        if rel.holds(answers.get) is False:
            return [Breach(rel, rel.keys, rel.message(answers.get, _label(facts, None)))]
        return []
    people = answers.get(rel.roster)
    if not isinstance(people, list):
        return []
    if rel.across:
        # A profile is final: two entries of one name only one of which gives a staff number
        # are not told apart (in the interview the other's number is still to come).
        said = rel.holds(answers.get)
        if said is True or (said is None and not final):
            return []
        i, j = rel.pair(people)  # type: ignore[attr-defined]
        paths = (f"{rel.roster}[{i}]", f"{rel.roster}[{j}]")
        return [Breach(rel, paths, rel.message(answers.get, _label(facts, None)))]
    out = []
    for i, person in enumerate(people):
        if isinstance(person, Mapping) and rel.holds(person.get) is False:
            paths = tuple(f"{rel.roster}[{i}].{k}" for k in rel.keys)
            out.append(Breach(rel, paths, _person(i, rel.message(person.get, _label(facts, rel.roster)))))
    return out


def _person(i: int, m: Msg) -> Msg:
    return msg("checks.consistency.person", i_1=i + 1) + m


def _relations(facts: Mapping[str, Fact], equipment: str | None) -> tuple[Relation, ...]:
    """The relations of a catalogue, found once per catalogue and equipment in a run (every
    profile of a batch is checked against the same few)."""
    memo = current().table("consistency.relations")
    hit = memo.get((id(facts), equipment))
    if hit is None or hit[0] is not facts:
        hit = memo[(id(facts), equipment)] = (facts, all_relations(facts, equipment))
    return hit[1]


def breaches(
    facts: Mapping[str, Fact], answers: Mapping[str, Any], equipment: str | None = None, final: bool = True
) -> list[Breach]:
    """Every relation the answers break (refusing and warning), in catalogue order. ``final``
    (a profile read, not an interview under way): what is still undecided counts too."""
    out: list[Breach] = []
    for rel in _relations(facts, equipment):
        out += _broken(rel, facts, answers, final)
    return out


def breaches_with(
    facts: Mapping[str, Fact], answers: Mapping[str, Any], key: str, value: Any, equipment: str | None = None
) -> list[Breach]:
    """The breaches that answering ``key`` (a fact key, or ``roster[i].field``) with
    ``value`` would bring about: the ones it takes part in that the answers did not break."""
    import re

    m = re.match(r"^(?P<roster>[^\[\]]+)\[(?P<i>\d+)\]\.(?P<field>.+)$", key)
    trial = dict(answers)
    if m is None:
        trial[key] = value
    else:
        people = [dict(p) for p in (answers.get(m["roster"]) or [])]
        i = int(m["i"])
        if i >= len(people):
            return []
        people[i][m["field"]] = value
        trial[m["roster"]] = people
    before = {(b.relation, b.paths) for b in breaches(facts, answers, equipment, final=False)}
    hit = []
    for b in breaches(facts, trial, equipment, final=False):
        if (b.relation, b.paths) in before:
            continue
        if key in b.paths or (m is not None and any(p == f"{m['roster']}[{m['i']}]" for p in b.paths)):
            hit.append(b)
    return hit


def reference_problems(facts: Mapping[str, Fact]) -> list[tuple[str, Msg]]:
    """Relations declared in the fact data that name no fact, or a fact of the wrong kind."""
    out = _at_most_problems(facts)
    for key, fact in facts.items():
        out += _requires_problems(key, fact, facts)
        if fact.type == "roster":
            for f in fact.fields:
                out += [(f"{key}.{k}", m) for k, m in _at_most_problems(fact.fields_by_key, [f])]
                out += [(f"{key}.{k}", m) for k, m in _requires_problems(f.key, f, fact.fields_by_key)]
            out += _people_problems(key, fact)
    return out


def _requires_problems(key: str, fact: Fact, facts: Mapping[str, Fact]) -> list[tuple[str, Msg]]:
    need = fact.requires
    if need is None:
        return []
    other = facts.get(need.fact)
    if other is None:
        return [
            (
                key,
                msg("checks.consistency.requires_names_undeclared_fact", fact=need.fact),
            )
        ]
    fits = (other.type == "bool" and isinstance(need.value, bool) and need.op == "==") or (
        other.type == "int" and not isinstance(need.value, bool)
    )
    if not fits:
        return [
            (
                key,
                msg("checks.consistency.requires_compares_with_value_it", fact=need.fact, type=other.type),
            )
        ]
    return []


def _people_problems(key: str, fact: Fact) -> list[tuple[str, Msg]]:
    p = fact.people
    if p is None:
        return []
    fields = fact.fields_by_key
    out = []
    for what, name, want in (
        ("name", p.name, "text"),
        ("told_apart_by", p.told_apart_by, "text"),
        ("role", p.role, "choice"),
    ):
        if name is not None and (name not in fields or fields[name].type != want):
            out.append(
                (
                    key,
                    msg("checks.consistency.people_must_name_field_of", what=what, want=want, name=name),
                )
            )
    return out


def _at_most_problems(facts: Mapping[str, Fact], only=None) -> list[tuple[str, Msg]]:
    """``at_most`` references that name no fact, or a fact that is not a count."""
    out = []
    for key, fact in ((f.key, f) for f in only) if only is not None else facts.items():
        ref = fact.at_most
        if ref is None:
            continue
        whole = facts.get(ref)
        if whole is None:
            out.append((key, msg("checks.consistency.at_most_names_undeclared_fact", ref=ref)))
        elif whole.type != "int":
            out.append(
                (
                    key,
                    msg("checks.consistency.at_most_names_which_is", ref=ref),
                )
            )
        elif whole.at_most == key:
            out.append((key, msg("checks.consistency.at_most_and_name_each", ref=ref)))
    return out
