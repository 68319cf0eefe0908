"""Fuzzing: whatever bytes or TOML a profile holds, medequip answers cleanly.

A clean answer is a result or a ``ProfileError`` / ``RulesetError`` from the loader, and from
``medequip check`` an exit code of 0, 1, 2 or 3 with no traceback on stderr. The inputs are
arbitrary bytes, arbitrary TOML documents (dicts serialised with tomli_w), and near-valid
profiles built from the real fact catalogue in which values, types, keys and the envelope are
randomly wrong. The corpus (test_corpus.py) pins the exact messages; this test looks for the
inputs nobody thought of.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import io
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import tomli_w
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.core.profile.document import ProfileError, load
from assistant.core.rules import loader
from assistant.core.rules.loader import RulesetError
from assistant.core.rules.model import EQUIPMENT_KEYS, Fact
from assistant.entry import main

SETTINGS = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CLEAN = {0, 1, 2, 3}

# --- strategies -------------------------------------------------------------------------------

keys = st.one_of(
    st.sampled_from(
        ["schema_version", "equipment", "institution", "name", "role", "proton", "pet_ct", "clinical_staff"]
    ),
    st.text(min_size=1, max_size=12),
)
scalars = st.one_of(
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.dates(),
    st.datetimes(),
    st.datetimes(timezones=st.just(dt.UTC)),
    st.times(),
)
toml_values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)),
    max_leaves=12,
)
documents = st.dictionaries(keys, toml_values, max_size=6)


def _catalogue() -> dict[str, dict[str, Fact]]:
    out = {}
    for eq in EQUIPMENT_KEYS:
        rs = loader.for_equipment(eq)
        out[eq] = {k: f for k, f in rs.facts.items() if k.startswith(("institution.", eq + "."))}
    return out


CATALOGUE = _catalogue()


def valid_value(fact: Fact) -> st.SearchStrategy:
    if fact.type == "bool":
        return st.booleans()
    if fact.type == "int":
        return st.one_of(st.sampled_from([fact.min, fact.max]), st.integers(fact.min, fact.max))
    if fact.type == "choice":
        return st.sampled_from([c.key for c in fact.choices])
    if fact.type == "set":
        return st.lists(st.sampled_from([c.key for c in fact.choices]), unique=True)
    if fact.type == "text":
        return st.text(max_size=20)
    if fact.type == "roster":
        fields = {f.key: f for f in fact.fields}
        person = st.fixed_dictionaries(
            {"role": valid_value(fields["role"])} if "role" in fields else {},
            optional={k: value_of(f) for k, f in fields.items() if k != "role"},
        )
        return st.lists(person, max_size=6)
    raise AssertionError(fact.type)


_value_strategies: dict[int, tuple[Fact, st.SearchStrategy]] = {}


def value_of(fact: Fact) -> st.SearchStrategy:
    """Mostly valid, sometimes anything at all (a wrong type, out of range, a table...)."""
    # Built once per fact (kept here, so its id stays its own): a new strategy per draw made
    # Hypothesis recheck the whole tree behind it each time, most of an example's cost.
    hit = _value_strategies.get(id(fact))
    if hit is None:
        # Three calls, as before: one_of drops repeats of one object, so the mix of valid and
        # arbitrary values stays what it was.
        strategy = st.one_of(valid_value(fact), valid_value(fact), valid_value(fact), toml_values)
        hit = _value_strategies[id(fact)] = (fact, strategy)
    return hit[1]


@st.composite
def near_valid(draw) -> dict:
    eq = draw(st.sampled_from(EQUIPMENT_KEYS))
    facts = CATALOGUE[eq]
    chosen = draw(st.lists(st.sampled_from(sorted(facts)), unique=True, max_size=len(facts)))
    doc: dict = {"schema_version": draw(st.one_of(st.just(1), st.just(1), scalars)), "equipment": eq}
    if draw(st.integers(0, 9)) == 0:
        doc["equipment"] = draw(st.one_of(st.sampled_from(EQUIPMENT_KEYS), scalars))
    doc["institution"] = {}
    for key in chosen:
        ns, name = key.split(".", 1)
        doc.setdefault(ns, {})[name] = draw(value_of(facts[key]))
    mutation = draw(st.integers(0, 6))
    if mutation == 0:
        doc.pop(draw(st.sampled_from(sorted(doc))))
    elif mutation == 1:
        ns = draw(
            st.sampled_from(sorted(k for k, v in doc.items() if isinstance(v, dict)) or ["institution"])
        )
        doc.setdefault(ns, {})[draw(keys)] = draw(toml_values)
    elif mutation == 2:
        doc[draw(keys)] = draw(toml_values)
    elif mutation == 3:
        other = draw(st.sampled_from(EQUIPMENT_KEYS))
        doc[other] = {
            k.split(".", 1)[1]: draw(value_of(f))
            for k, f in CATALOGUE[other].items()
            if k.startswith(other + ".")
        }
    return doc


def dumps(doc: dict) -> bytes | None:
    """TOML bytes of a document, or None when TOML cannot say it (NaN keys are fine; some
    combinations tomli_w refuses, such as a None value)."""
    try:
        return tomli_w.dumps(doc).encode("utf-8")
    except (TypeError, ValueError):
        return None


# --- the loader ---------------------------------------------------------------------------------


def _load_cleanly(raw: bytes) -> None:
    try:
        load(raw, "fuzz.toml")
    except (ProfileError, RulesetError) as e:
        message = str(e)
        assert message.startswith("fuzz.toml") and "\n" not in message and "\x1b" not in message


@SETTINGS
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_load_cleanly(raw):
    _load_cleanly(raw)


@SETTINGS
@given(documents)
def test_arbitrary_toml_documents_load_cleanly(doc):
    raw = dumps(doc)
    if raw is not None:
        _load_cleanly(raw)


@SETTINGS
@given(near_valid())
def test_near_valid_profiles_load_cleanly(doc):
    raw = dumps(doc)
    if raw is not None:
        _load_cleanly(raw)


# --- check, in process ---------------------------------------------------------------------------

_folder = Path(tempfile.mkdtemp(prefix="medequip-fuzz-"))
atexit.register(shutil.rmtree, _folder, True)


def _check(raw: bytes, *extra: str) -> tuple[int, str, str]:
    path = _folder / "fuzz.toml"
    path.write_bytes(raw)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", str(path), "--format", "json", *extra])
    return code, out.getvalue(), err.getvalue()


def _assert_clean(code: int, out: str, err: str) -> None:
    assert code in CLEAN, err
    assert "Traceback" not in err
    if code == 2:
        assert out == "" and len(err.splitlines()) == 1, err
    else:
        # What is accepted but said (another equipment's table, a retired answer, a warning
        # relation) is said on stderr, one warning a line; nothing else is.
        assert all(": warning: " in line or "警告：" in line for line in err.splitlines()), err
        assert out.startswith("{")


@SETTINGS
@given(near_valid(), st.sampled_from(["zh", "en"]))
def test_check_answers_every_near_valid_profile_cleanly(doc, lang):
    raw = dumps(doc)
    if raw is not None:
        _assert_clean(*_check(raw, "--lang", lang))


@SETTINGS
@given(st.one_of(st.binary(max_size=500), documents.map(dumps).filter(bool)))
def test_check_answers_garbage_cleanly(raw):
    _assert_clean(*_check(raw))


# --- check, in fresh processes ---------------------------------------------------------------------


def test_check_in_a_fresh_process_answers_a_random_batch_cleanly(tmp_path):
    """A few hundred random documents in one folder, one process, in both output formats."""
    rnd = random.Random(20240601)
    folder = tmp_path / "batch"
    folder.mkdir()
    for i in range(120):
        if i % 10 == 9:  # some plain garbage among the near-valid profiles
            raw = bytes(rnd.randrange(256) for _ in range(rnd.randrange(200)))
        else:
            raw = _random_profile(rnd)
        (folder / f"p{i:03d}.toml").write_bytes(raw)
    env = dict(os.environ, MEDEQUIP_CACHE_DIR=str(tmp_path / "cache"), NO_COLOR="1")
    for fmt in ("jsonl", "text"):
        r = subprocess.run(
            [sys.executable, "-m", "assistant", "check", str(folder), "--format", fmt],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
        )
        assert r.returncode in CLEAN
        assert "Traceback" not in r.stderr
        assert all(line.startswith("medequip: ") for line in r.stderr.splitlines())


def _random_profile(rnd: random.Random) -> bytes:
    """A near-valid profile without Hypothesis (the batch test wants plain reproducibility)."""
    eq = rnd.choice(EQUIPMENT_KEYS)
    doc: dict = {"schema_version": 1, "equipment": eq, "institution": {}}
    for key, fact in CATALOGUE[eq].items():
        if rnd.random() < 0.3:
            continue
        ns, name = key.split(".", 1)
        wrong = rnd.random() < 0.05
        if wrong:
            value = rnd.choice([True, -1, 10**30, "x", 1.5, [], {"a": 1}, dt.date(2024, 1, 1)])
        elif fact.type == "bool":
            value = rnd.random() < 0.7
        elif fact.type == "int":
            value = rnd.randint(fact.min, min(fact.max, 50))
        elif fact.type == "choice":
            value = rnd.choice(fact.choices).key
        elif fact.type == "set":
            value = [c.key for c in fact.choices if rnd.random() < 0.5]
        elif fact.type == "text":
            value = rnd.choice(["明德医院", "[bold]x", "a\u202eb", "x" * 600, ""])
        else:
            value = [
                {"role": rnd.choice(fact.fields[[f.key for f in fact.fields].index("role")].choices).key}
                for _ in range(rnd.randint(0, 4))
            ]
        doc.setdefault(ns, {})[name] = value
    return tomli_w.dumps(doc).encode("utf-8")


# --- hostile lexemes: what tomllib itself does not bound ------------------------------------------

hostile_lexemes = st.one_of(
    st.builds(
        lambda prefix, digit, n, sign: f"{sign}{prefix}{digit * n}",
        st.sampled_from(["", "0x", "0o", "0b"]),
        st.sampled_from(["1", "7", "9", "f"]),
        st.integers(1, 6000),
        st.sampled_from(["", "-", "+"]),
    ),
    st.builds(lambda n: ".".join(["k"] * n) + " = 1", st.integers(1, 2000)),
    st.builds(lambda n: "k" * n + " = 1", st.integers(1, 3000)),
    st.builds(lambda n: "[" * n + "]" * n, st.integers(1, 200)),
    st.builds(lambda n: "{a = " * n + "1" + "}" * n, st.integers(1, 200)),
    st.builds(lambda ch: '"x' + ch + 'y"', st.sampled_from(["\\u001b", "\\n", "\\t", "\\u202e", "\\u0085"])),
)


@SETTINGS
@given(near_valid(), hostile_lexemes, st.integers(0, 40), st.sampled_from(["key", "value"]))
def test_hostile_lexemes_anywhere_load_cleanly_and_quickly(doc, lexeme, where, slot):
    import time

    raw = dumps(doc)
    if raw is None:
        return
    lines = raw.decode("utf-8").splitlines()
    at = where % (len(lines) + 1)
    lines.insert(at, lexeme if slot == "key" or "=" in lexeme else f"hostile = {lexeme}")
    start = time.perf_counter()
    _load_cleanly("\n".join(lines).encode("utf-8"))
    assert time.perf_counter() - start < 1.0
