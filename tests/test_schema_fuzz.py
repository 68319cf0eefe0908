"""Profiles drawn from the shipped profile schema (hypothesis-jsonschema) are checked cleanly.

The profile schema promises editors and scripts that a document it accepts is a profile
medequip accepts: so every document drawn from it must load, ``check`` must give a verdict
(exit 0, 1 or 3; never 2, never a traceback), and the JSON it prints, full or lean, must
validate against the report schema. A difference between what the schema allows and what
the loader accepts fails here.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import shutil
import tempfile
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, assume, given, settings
from hypothesis_jsonschema import from_schema
from jsonschema_check import errors, shipped

from assistant.core.rules.model import EQUIPMENT_KEYS
from assistant.entry import main
from assistant.reports.schema import profile_schema

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))


def _schema(equipment: str) -> dict:
    """The equipment's own schema without the other equipment types' tables: those are
    free-form objects (checked against their own catalogue, never evaluated), which only
    add noise (and values TOML cannot hold) to what is drawn."""
    s = profile_schema(equipment)
    for other in EQUIPMENT_KEYS:
        if other != equipment:
            s["properties"].pop(other)
    # A few evidence entries show what any number would (each is checked on its own), and
    # drawing hundreds of 64-digit hashes and paths is most of a run's time.
    s["properties"]["evidence"]["maxItems"] = 3
    return s


# hypothesis-jsonschema turns a string's "pattern" into a strategy again at every draw, and the
# schema's patterns (text without control or invisible characters) are character classes
# over all of Unicode: about 3 s each, every draw, most of this file's minutes. The function
# is pure (a pattern and an alphabet give the same strategy), so one strategy per pattern
# draws the same documents. The alphabet is a new (identity-hashed) object per from_schema call,
# one per equipment, so it is keyed by what makes it (NUL allowed, codec): keyed by the object,
# each of the five tests built the same strategies again, about 25 s of each.
_from_schema_module = importlib.import_module("hypothesis_jsonschema._from_schema")
_regex_strategies = {}
_from_js_regex = _from_schema_module.from_js_regex


def _cached_from_js_regex(pattern, alphabet):
    key = (pattern, alphabet.allow_x00, alphabet.codec)
    if key not in _regex_strategies:
        _regex_strategies[key] = _from_js_regex(pattern, alphabet=alphabet)
    return _regex_strategies[key]


_from_schema_module.from_js_regex = _cached_from_js_regex
_STRATEGIES = {k: from_schema(_schema(k)) for k in EQUIPMENT_KEYS}
_folder = Path(tempfile.mkdtemp(prefix="medequip-schemafuzz-"))


def _check(doc: dict, *args: str) -> tuple[int, str, str]:
    # Made again when missing: under xdist a worker may tear the module down and then be
    # handed another of its tests.
    _folder.mkdir(exist_ok=True)
    path = _folder / "drawn.toml"
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", str(path), *args])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module", autouse=True)
def _cleanup():
    yield
    shutil.rmtree(_folder, ignore_errors=True)


@pytest.mark.parametrize("equipment", EQUIPMENT_KEYS)
def test_schema_valid_profiles_get_a_verdict_and_valid_json(equipment):
    report_schema = shipped("report")

    @SETTINGS
    @given(_STRATEGIES[equipment], st_lang())
    def prop(doc, lang):
        # The rules JSON Schema cannot state: relations between facts (a part within its
        # whole, a share with its base, one person per name; named in the fields'
        # descriptions), and a clause and path attached once (named in evidence's
        # description). medequip refuses those (exit 2).
        assume(not _refused_relation(doc))
        attached = [(e["rule"], e["path"]) for e in doc.get("evidence", [])]
        assume(len(set(attached)) == len(attached))
        code, out, err = _check(doc, "--format", "json", "--lang", lang)
        assert code in (0, 1, 3), err
        # What is accepted but said (a warning relation, a retired answer, another equipment's
        # table) is said on stderr, one line each; nothing else is.
        said = [line for line in err.splitlines() if line]
        assert all(": warning: " in s or "警告：" in s for s in said), err
        assert errors(report_schema, json.loads(out)) == []
        code, out, err = _check(doc, "--format", "jsonl", "--lang", lang)
        lean = json.loads(out)
        assert lean["detail"] == "lean"
        assert errors(report_schema, lean) == []

    prop()


def _refused_relation(doc: dict) -> bool:
    from assistant.core.rules import loader
    from assistant.core.rules.checks.consistency import breaches

    eq = doc.get("equipment")
    rs = loader.for_equipment(eq)
    answers = {f"{ns}.{k}": v for ns, t in doc.items() if isinstance(t, dict) for k, v in t.items()}
    return any(b.refuses for b in breaches(rs.facts, answers, eq))


def st_lang():
    from hypothesis import strategies as st

    return st.sampled_from(["zh", "en"])
