"""Random but valid profiles drawn from the real fact catalogue, for the batch benchmark."""

from __future__ import annotations

import random
from pathlib import Path

from assistant.core.profile import document as profile
from assistant.core.rules import loader
from assistant.core.rules.model import EQUIPMENT_KEYS, Fact

NAMES = ("明德国际医院", "仁济医院", "Harbour View Hospital", "第一人民医院", "协和医院")


def value(fact: Fact, rnd: random.Random):
    t = fact.type
    if t == "bool":
        return rnd.random() < 0.8
    if t == "int":
        hi = min(fact.max, max(fact.min + 1, 60))
        return rnd.randint(fact.min, hi)
    if t == "choice":
        return rnd.choice(fact.choices).key
    if t == "set":
        return [c.key for c in fact.choices if rnd.random() < 0.5]
    if t == "text":
        return rnd.choice(NAMES)
    if t == "roster":
        people = []
        for _ in range(rnd.randint(0, 8)):
            person = {}
            for f in fact.fields:
                if f.key in ("role", "name") or rnd.random() < 0.85:
                    person[f.key] = value(f, rnd)
            people.append(person)
        return people
    raise ValueError(t)


def profile_text(equipment: str, rnd: random.Random) -> str:
    rs = loader.for_equipment(equipment)
    answers = {}
    for key, fact in rs.facts.items():
        if fact.retired:  # asked by nothing, written by nothing: check warns of it
            continue
        if key.startswith(("institution.", equipment + ".")) and (
            key == "institution.name" or rnd.random() < 0.9
        ):
            answers[key] = value(fact, rnd)
    keep_relations(rs, equipment, answers)
    return profile.dumps(profile.Profile(equipment, answers, rs.edition), rs.facts)


def keep_relations(rs, equipment: str, answers: dict) -> None:
    """Answers changed as medequip requires of a profile: a part never above its whole, a yes
    that needs another fact turned to no, one entry per name on a roster."""
    from assistant.core.rules.relations import AtMost, Requires, all_relations

    def fix(rel, d: dict) -> None:
        if rel.holds(d.get) is not False:
            return
        if isinstance(rel, AtMost):
            d[rel.part] = d[rel.whole]
        elif isinstance(rel, Requires):
            d[rel.key] = False if isinstance(d[rel.key], bool) else 0

    for rel in all_relations(rs.facts, equipment):
        if not rel.refuses:
            continue
        if rel.roster is None:
            fix(rel, answers)
        elif rel.across:
            for i, person in enumerate(answers.get(rel.roster) or []):
                person[rel.people.name] = f"{person.get(rel.people.name, '')} {i + 1}"
        else:
            for person in answers.get(rel.roster) or []:
                fix(rel, person)


def generate(folder: Path, count: int, seed: int = 1) -> list[Path]:
    """Write ``count`` profiles into ``folder`` (equipment types in turn); returns their paths."""
    rnd = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    # Every document is distinct, so no cache keyed by content can help the checker.
    paths = []
    for i in range(count):
        p = folder / f"profile-{i:06d}.toml"
        p.write_text(profile_text(EQUIPMENT_KEYS[i % len(EQUIPMENT_KEYS)], rnd), encoding="utf-8")
        paths.append(p)
    return paths
