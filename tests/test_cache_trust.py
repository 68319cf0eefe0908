"""The ruleset cache cannot change a verdict.

The cache holds validated rulesets as pickles. A well-formed entry written by someone else
could say anything: that a failed clause passes, or describe a condition of 2**80 paths in a
hundred bytes. These tests write such entries where the real command will look for them and
run ``medequip check`` in a fresh process: the verdict must come from the ruleset's source,
the report's SHA-256 must be the source's, and a cache the user does not own alone must be
ignored with one line saying so.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import time
from pathlib import Path

import pytest
from cli_helpers import ROOT, run

from assistant.core.rules import loader

TINY = ROOT / "tests" / "corpus" / "rulesets" / "tiny.toml"
PROFILE = (
    'schema_version = 1\nequipment = "pet_ct"\n[institution]\nname = "x"\n[pet_ct]\nsenior_physicians = 3\n'
)


@pytest.fixture()
def setup(tmp_path):
    rules = tmp_path / "rules.toml"
    shutil.copy(TINY, rules)
    profile = tmp_path / "p.toml"
    profile.write_text(PROFILE, "utf-8")
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    return rules, profile, cache


def _entry(cache: Path, source: Path) -> Path:
    sha = hashlib.sha256(source.read_bytes()).hexdigest()
    return cache / f"ruleset-{loader._cache_key(sha)}.pickle"


def _plant(cache: Path, source: Path, rs: loader.Ruleset) -> Path:
    """Write ``rs`` as the cache entry of ``source``, claiming the source's SHA-256."""
    sha = hashlib.sha256(source.read_bytes()).hexdigest()
    entry = _entry(cache, source)
    entry.write_bytes(pickle.dumps(rs.replace(sha256=sha), protocol=pickle.HIGHEST_PROTOCOL))
    entry.chmod(0o600)
    return entry


def _nobody() -> int:
    import pwd

    try:
        return pwd.getpwnam("nobody").pw_uid
    except KeyError:
        pytest.skip("running as root and there is no 'nobody' user to give the cache to")


def _tampered(source: Path) -> loader.Ruleset:
    """The same ruleset but asking for 10 senior physicians: the profile's 3 then fail."""
    return loader.load_bytes(
        source.read_bytes().replace(b'op = ">=", value = 3', b'op = ">=", value = 10'), source
    )


def _check(profile: Path, rules: Path, cache: Path):
    p = run("check", str(profile), "--ruleset", str(rules), "--format", "json", MEDEQUIP_CACHE_DIR=str(cache))
    report = json.loads(p.stdout) if p.stdout else {}
    return p.returncode, report, p.stderr


def test_a_tampered_entry_in_the_users_own_private_cache_is_what_the_cache_is_trusted_with(setup):
    """The premise of the tests below: a planted entry is read (the tampering is real)."""
    rules, profile, cache = setup
    _plant(cache, rules, _tampered(rules))
    code, report, err = _check(profile, rules, cache)
    assert (code, err) == (1, "")
    assert report["ruleset"]["sha256"] == hashlib.sha256(rules.read_bytes()).hexdigest()


def test_a_cache_others_may_write_is_ignored_with_one_note(setup):
    rules, profile, cache = setup
    _plant(cache, rules, _tampered(rules))
    cache.chmod(0o777)
    code, report, err = _check(profile, rules, cache)
    assert code == 0  # the verdict of the source: 3 senior physicians meet ">= 3"
    assert err == f"medequip: note: not using the ruleset cache {cache}: other users may write to it\n"
    assert report["ruleset"]["sha256"] == hashlib.sha256(rules.read_bytes()).hexdigest()


def test_an_entry_others_may_write_is_ignored(setup):
    rules, profile, cache = setup
    entry = _plant(cache, rules, _tampered(rules))
    entry.chmod(0o666)
    code, _, err = _check(profile, rules, cache)
    assert (code, err) == (0, "")
    assert entry.stat().st_mode & 0o022 == 0  # rebuilt, and nobody else may write it this time


def test_a_cache_folder_owned_by_another_user_is_ignored(setup):
    if os.geteuid() != 0:
        pytest.skip("giving a folder to another user with chown needs root (CI runs as root)")
    rules, profile, cache = setup
    _plant(cache, rules, _tampered(rules))
    os.chown(cache, _nobody(), -1)
    code, _, err = _check(profile, rules, cache)
    assert code == 0
    assert err == f"medequip: note: not using the ruleset cache {cache}: it belongs to another user\n"


def test_an_entry_owned_by_another_user_is_ignored(setup):
    if os.geteuid() != 0:
        pytest.skip("giving a file to another user with chown needs root (CI runs as root)")
    rules, profile, cache = setup
    entry = _plant(cache, rules, _tampered(rules))
    os.chown(entry, _nobody(), -1)
    code, _, err = _check(profile, rules, cache)
    assert (code, err) == (0, "")


def test_an_entry_with_an_exponential_condition_graph_is_refused_quickly(setup):
    rules, profile, cache = setup
    rs = loader.load_bytes(rules.read_bytes(), rules)
    rule = rs.data.rules[0]
    graph = rule.condition
    for _ in range(80):  # each level shares its child twice: 2**80 paths, 80 objects
        graph = loader.All(all=(graph, graph))
    data = rs.data.replace(rules=(rule.replace(condition=graph),))
    entry = _plant(cache, rules, rs.replace(data=data))
    assert entry.stat().st_size < 20_000
    start = time.perf_counter()
    code, report, err = _check(profile, rules, cache)
    assert time.perf_counter() - start < 10  # a process start and a rebuild, not 2**80 steps
    assert (code, err) == (0, "")
    assert report["rules"][0]["status"] == "met"


def test_the_loader_bounds_the_walk_of_a_cached_ruleset():
    rs = loader.bundled()[0]
    assert loader._bounded(rs)
    rule = rs.data.rules[0]
    graph = rule.condition
    for _ in range(40):
        graph = loader.All(all=(graph, graph))
    deep = rs.replace(data=rs.data.replace(rules=(rule.replace(condition=graph),)))
    many = rs.replace(data=rs.data.replace(rules=(rule,) * 1_000_000))
    start = time.perf_counter()
    assert not loader._bounded(deep)
    assert not loader._bounded(many)
    assert time.perf_counter() - start < 1.0
