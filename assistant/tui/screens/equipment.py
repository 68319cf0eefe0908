"""Choosing the equipment before the interview starts: the names in the interview's language,
which have question data, and which one a typed answer means."""

from __future__ import annotations

from ...core.profile.answers import normalize
from ...core.rules.model import EQUIPMENT_KEYS


def equipment_names(lang: str) -> dict[str, str]:
    from ...core.rules.loader import bundled

    names: dict[str, str] = {}
    for rs in bundled():
        for e in rs.data.equipment:
            names[e.key] = e.name.get(lang)
    return {k: names[k] for k in EQUIPMENT_KEYS if k in names}


def available(equipment: str) -> bool:
    from ...interview.questions import question_files

    return all(p.exists() for p in question_files(equipment))


def equipment_from_text(text: str, lang: str) -> str | None:
    names = equipment_names(lang)
    keys = list(names)
    s = normalize(text).lower()
    if s.isdigit() and 1 <= int(s) <= len(keys):
        key = keys[int(s) - 1]
    else:
        found = [k for k, v in names.items() if s and (s == k or s in normalize(v).lower())]
        key = found[0] if len(found) == 1 else None
    return key if key is not None and available(key) else None
