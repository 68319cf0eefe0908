"""Validate data against the shipped JSON Schemas with the ``jsonschema`` package (draft
2020-12, the dialect the schemas declare), so the tests check exactly what any other
consumer's validator would."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator


def errors(schema: dict, value: Any) -> list[str]:
    """Every violation, as 'path: message' (empty when ``value`` is valid)."""
    Draft202012Validator.check_schema(schema)
    v = Draft202012Validator(schema)
    return [f"{e.json_path}: {e.message}" for e in v.iter_errors(value)]


@cache
def shipped(name: str) -> dict:
    """A schema shipped with the package: ``report`` or ``stats``."""
    folder = resources.files("assistant.reports") / "schemas"
    return json.loads((folder / f"{name}.schema.json").read_text("utf-8"))
