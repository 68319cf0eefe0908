"""``medequip schema profile|report``: JSON Schemas for scripts and editors.

The report schema is a file shipped inside the package (``assistant/schemas/``), written by
hand so that it documents every field; tests validate real reports against it. The profile
schema is generated from the fact catalogue, so it always matches what the loader accepts:
one schema per equipment type, or their union (``oneOf`` keyed by ``equipment``).
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from ..core.rules.model import EQUIPMENT_KEYS, Fact
from ..core.text.sanitize import schema_class

DRAFT = "https://json-schema.org/draft/2020-12/schema"
# What profile.py refuses in text answers: every control character (\t and \n included),
# bidirectional controls, Unicode line/paragraph separators and invisible or format
# characters — the loader's own character class, written for JSON Schema (found by fuzzing
# check with profiles drawn from this schema: the schema must not allow what the loader refuses).
TEXT_PATTERN = "^[^" + schema_class() + "]*$"


def shipped_schema(name: str) -> dict[str, Any]:
    """A schema written by hand and shipped in ``reports/schemas/``: report (full and lean),
    stats, explain, checklist."""
    text = (resources.files("assistant.reports") / "schemas" / f"{name}.schema.json").read_text("utf-8")
    return json.loads(text)


def report_schema() -> dict[str, Any]:
    return shipped_schema("report")


def _both(label) -> str:
    return f"{label.zh} / {label.en}"


def fact_schema(fact: Fact) -> dict[str, Any]:
    from ..core.profile.document import MAX_ROSTER, MAX_TEXT_CHARS

    s: dict[str, Any] = {"description": _both(fact.label)}
    if fact.unit:
        s["description"] += f" ({_both(fact.unit)})"
    if fact.at_most:
        # JSON Schema cannot compare two fields; medequip refuses a part above its whole.
        s["description"] += f"; at most {fact.at_most} (part of it)"
    if fact.type == "bool":
        s["type"] = "boolean"
    elif fact.type == "int":
        s.update(type="integer", minimum=fact.min, maximum=fact.max)
    elif fact.type == "choice":
        s["enum"] = [c.key for c in fact.choices]
        s["description"] += "; " + "; ".join(f"{c.key}: {c.zh} / {c.en}" for c in fact.choices)
    elif fact.type == "set":
        s.update(type="array", uniqueItems=True, items={"enum": [c.key for c in fact.choices]})
        s["description"] += "; " + "; ".join(f"{c.key}: {c.zh} / {c.en}" for c in fact.choices)
    elif fact.type == "text":
        s.update(type="string", maxLength=MAX_TEXT_CHARS, pattern=TEXT_PATTERN)
    elif fact.type == "roster":
        person = {
            "type": "object",
            "additionalProperties": False,
            "properties": {f.key: fact_schema(f) for f in fact.fields},
        }
        if any(f.key == "role" for f in fact.fields):
            person["required"] = ["role"]
        s.update(type="array", maxItems=MAX_ROSTER, items=person)
    return s


def _table(facts: dict[str, Fact], ns: str) -> dict[str, Any]:
    props = {k.split(".", 1)[1]: fact_schema(f) for k, f in facts.items() if k.split(".", 1)[0] == ns}
    return {"type": "object", "additionalProperties": False, "properties": props}


def set_aside_schema(facts: dict[str, Fact], equipment: str) -> dict[str, Any]:
    """``[set_aside]``: answers kept but not evaluated, keyed by fact key, or by
    ``roster[index].field`` for one person's field; each value as its fact takes it."""
    import re

    mine = {k: f for k, f in facts.items() if k.split(".", 1)[0] in ("institution", equipment)}
    patterns = {}
    for key, fact in mine.items():
        if fact.type == "roster":
            for fld in fact.fields:
                patterns["^" + re.escape(key) + r"\[(0|[1-9][0-9]{0,5})\]\." + re.escape(fld.key) + "$"] = (
                    fact_schema(fld)
                )
    return {
        "type": "object",
        "description": "Answers set aside: an edit in the interview made these questions unnecessary. "
        "Never evaluated; the interview puts one back when its question matters again. An entry for "
        "a fact that is also answered, or for a person the roster does not list, is passed over.",
        "additionalProperties": False,
        "properties": {k: fact_schema(f) for k, f in mine.items()},
        "patternProperties": patterns,
    }


def profile_schema_for(equipment: str, ruleset=None) -> dict[str, Any]:
    from ..core.profile.document import MAX_TEXT_CHARS
    from ..core.rules import loader
    from .attached import evidence_schema

    rs = loader.for_equipment(equipment, ruleset)
    info = rs.equipment_info(equipment)
    props: dict[str, Any] = {
        "schema_version": {"const": 1, "description": "Profile format version."},
        "equipment": {"const": equipment, "description": _both(info.name)},
        "ruleset_edition": {
            "type": "string",
            "maxLength": MAX_TEXT_CHARS,
            "pattern": TEXT_PATTERN,
            "description": "The ruleset edition the answers were given under.",
        },
        "institution": _table(rs.facts, "institution"),
        equipment: _table(rs.facts, equipment),
        "set_aside": set_aside_schema(rs.facts, equipment),
        "evidence": evidence_schema(rs, equipment),
    }
    for other in EQUIPMENT_KEYS:
        if other != equipment:
            props[other] = {
                "type": "object",
                "description": f"Answers for {other}: checked against its own catalogue, not evaluated.",
            }
    return {
        "type": "object",
        "title": f"medequip profile: {equipment}",
        "description": f"{_both(info.name)}. Unanswered facts are simply absent. Ruleset {rs.id}, edition {rs.edition}.",
        "additionalProperties": False,
        "required": ["schema_version", "equipment", "institution"],
        "properties": props,
    }


def profile_schema(equipment: str | None = None) -> dict[str, Any]:
    if equipment is not None:
        return {
            "$schema": DRAFT,
            "$id": f"urn:medequip:schema:profile:1:{equipment}",
            **profile_schema_for(equipment),
        }
    return {
        "$schema": DRAFT,
        "$id": "urn:medequip:schema:profile:1",
        "title": "medequip profile (schema_version 1)",
        "description": "A saved set of answers for one equipment application (TOML on disk; this schema describes its parsed form). "
        "The branch is chosen by `equipment`.",
        "oneOf": [profile_schema_for(k) for k in EQUIPMENT_KEYS],
    }
