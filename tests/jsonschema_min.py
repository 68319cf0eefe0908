"""A small JSON Schema validator: the subset of draft 2020-12 the shipped schemas use.

The tests validate real reports and profiles against ``medequip schema`` output. The
``jsonschema`` package is not a dependency, so this covers exactly what our schemas say:
type, const, enum, properties, required, additionalProperties, items, minimum, maximum,
minLength, maxLength, maxItems, uniqueItems, pattern, oneOf, anyOf and local ``$ref``.
Unknown keywords fail loudly, so a schema cannot silently outgrow it.
"""

from __future__ import annotations

import re
from typing import Any

KNOWN = {
    "$schema", "$id", "$defs", "$ref", "title", "description", "type", "const", "enum", "properties",
    "required", "additionalProperties", "items", "minimum", "maximum", "minLength", "maxLength",
    "maxItems", "uniqueItems", "pattern", "oneOf", "anyOf",
}  # fmt: skip
TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def errors(schema: dict, value: Any, root: dict | None = None, path: str = "$") -> list[str]:
    root = root if root is not None else schema
    out: list[str] = []
    unknown = set(schema) - KNOWN
    if unknown:
        raise ValueError(f"schema keyword(s) this validator does not know: {sorted(unknown)}")
    if "$ref" in schema:
        ref = schema["$ref"]
        assert ref.startswith("#/"), ref
        target: Any = root
        for part in ref[2:].split("/"):
            target = target[part]
        out += errors(target, value, root, path)
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(TYPES[t](value) for t in types):
            return out + [f"{path}: expected {'/'.join(types)}, got {type(value).__name__}"]
    if "const" in schema and (value != schema["const"] or type(value) is not type(schema["const"])):
        out.append(f"{path}: expected {schema['const']!r}, got {value!r}")
    if "enum" in schema and value not in schema["enum"]:
        out.append(f"{path}: {value!r} not in {schema['enum']}")
    if isinstance(value, dict):
        props = schema.get("properties", {})
        for key in schema.get("required", []):
            if key not in value:
                out.append(f"{path}: missing {key!r}")
        for key, v in value.items():
            if key in props:
                out += errors(props[key], v, root, f"{path}.{key}")
            elif schema.get("additionalProperties") is False:
                out.append(f"{path}: unexpected key {key!r}")
    if isinstance(value, list):
        if "items" in schema:
            for i, v in enumerate(value):
                out += errors(schema["items"], v, root, f"{path}[{i}]")
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            out.append(f"{path}: more than {schema['maxItems']} items")
        if schema.get("uniqueItems") and len({repr(v) for v in value}) != len(value):
            out.append(f"{path}: items repeat")
    if isinstance(value, str):
        if "pattern" in schema and not re.search(schema["pattern"], value):
            out.append(f"{path}: {value!r} does not match {schema['pattern']}")
        if "minLength" in schema and len(value) < schema["minLength"]:
            out.append(f"{path}: shorter than {schema['minLength']}")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            out.append(f"{path}: longer than {schema['maxLength']}")
    if TYPES["number"](value):
        if "minimum" in schema and value < schema["minimum"]:
            out.append(f"{path}: {value} < {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            out.append(f"{path}: {value} > {schema['maximum']}")
    if "oneOf" in schema:
        results = [errors(s, value, root, path) for s in schema["oneOf"]]
        ok = [r for r in results if not r]
        if len(ok) != 1:
            best = min(results, key=len)
            out.append(
                f"{path}: matches {len(ok)} of oneOf, expected exactly 1"
                + (f" (closest: {best[:3]})" if not ok else "")
            )
    if "anyOf" in schema:
        results = [errors(s, value, root, path) for s in schema["anyOf"]]
        if all(results):
            out.append(f"{path}: matches none of anyOf (closest: {min(results, key=len)[:3]})")
    return out
