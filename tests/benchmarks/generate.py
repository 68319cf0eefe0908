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
        if key.startswith(("institution.", equipment + ".")) and (
            key == "institution.name" or rnd.random() < 0.9
        ):
            answers[key] = value(fact, rnd)
    for key, fact in rs.facts.items():  # a part never above its whole, as medequip requires
        whole = answers.get(fact.at_most) if fact.at_most else None
        if whole is not None and answers.get(key, 0) > whole:
            answers[key] = whole
    return profile.dumps(profile.Profile(equipment, answers, rs.edition), rs.facts)


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
