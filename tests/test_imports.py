"""Import hygiene: the headless commands never load what they do not need.

Textual takes a large share of a second to import and Rich a noticeable part of one; a
``check`` that runs on every save, or ``--help`` typed by a person, must not pay for them.
Pydantic is only needed to validate a ruleset that is not yet in the cache. Each case runs in
a fresh interpreter (as Harlequin's test_import_hygiene does), because in this test process
everything is already imported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import EXAMPLES, ROOT

PROBE = """
import contextlib, io, json, sys
argv = json.loads(sys.argv[1])
from assistant.entry import main
out, err = io.StringIO(), io.StringIO()
with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
    try:
        code = main(argv)
    except SystemExit as e:
        code = e.code
print(json.dumps({"code": code, "modules": sorted(m.split(".")[0] for m in sys.modules), "err": err.getvalue()}))
"""

EXAMPLE = str(sorted(EXAMPLES.glob("*.toml"))[0])


def modules_loaded(argv: list[str], cache: str) -> tuple[int, set[str]]:
    env = dict(os.environ, MEDEQUIP_CACHE_DIR=cache, NO_COLOR="1")
    r = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(argv)], capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert r.returncode == 0, r.stderr
    result = json.loads(r.stdout.splitlines()[-1])
    return result["code"], set(result["modules"])


@pytest.fixture(scope="module")
def warm_cache(tmp_path_factory) -> str:
    """A cache already holding the bundled rulesets, as after any first run."""
    cache = str(tmp_path_factory.mktemp("cache"))
    modules_loaded(["check", EXAMPLE, "--format", "json"], cache)
    return cache


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["--version"],
        ["rules"],
        ["rules", "pet_ct", "--format", "json"],
        ["check", EXAMPLE, "--format", "json"],
        ["check", EXAMPLE, "--format", "jsonl"],
        ["questions", "pet_ct"],
    ],
    ids=lambda a: " ".join(a).replace(EXAMPLE, "example.toml"),
)
def test_headless_commands_never_import_textual(argv, warm_cache):
    code, modules = modules_loaded(argv, warm_cache)
    assert code in (0, 1, 3)
    assert "textual" not in modules


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_check_for_scripts_imports_neither_rich_nor_pydantic(fmt, warm_cache):
    code, modules = modules_loaded(["check", EXAMPLE, "--format", fmt], warm_cache)
    assert code in (0, 1, 3)
    assert "rich" not in modules
    assert "pydantic" not in modules and "pydantic_core" not in modules


def test_help_and_version_import_no_third_party_package(warm_cache):
    for argv in (["--help"], ["--version"]):
        _, modules = modules_loaded(argv, warm_cache)
        assert not modules & {"rich", "textual", "pydantic", "pydantic_core", "tomli_w", "markdown_it"}


def test_a_cold_cache_validates_with_pydantic_and_still_no_textual_or_rich(tmp_path):
    code, modules = modules_loaded(["check", EXAMPLE, "--format", "json"], str(tmp_path / "empty"))
    assert code in (0, 1, 3)
    assert "pydantic" in modules  # the first run validates and fills the cache
    assert "textual" not in modules and "rich" not in modules
    assert list((tmp_path / "empty").glob("ruleset-*.pickle"))


# --- the ruleset cache that makes this possible -----------------------------------------------------


@pytest.fixture()
def fresh_loader(tmp_path, monkeypatch):
    """The loader with an empty cache directory and no in-process memo."""
    from assistant.core.rules import loader
    from assistant.core.rules.store import Store, using

    monkeypatch.setenv("MEDEQUIP_CACHE_DIR", str(tmp_path / "cache"))
    with using(Store()):  # rulesets of its own, none loaded yet
        yield loader


def current():
    from assistant.core.rules.store import current

    return current()


def _bundled_paths(loader):
    return sorted(p for p in loader.data_dir("rulesets").glob("*.toml") if p.name != "facts.toml")


def test_a_cached_ruleset_equals_a_freshly_validated_one(fresh_loader, tmp_path):
    loader = fresh_loader
    for path in _bundled_paths(loader):
        first = loader.load_path(path)  # validated, then written to the cache
        current().loaded.clear()
        from assistant.core.io import cache

        cached = cache.get(
            loader._cache_key(first.sha256), lambda obj, sha=first.sha256: loader._valid_cached(obj, sha)
        )
        assert cached is not None
        assert cached == loader.load_bytes(path.read_bytes(), path)
        assert cached.waived == first.waived and cached.facts == first.facts


def test_a_corrupt_or_truncated_cache_entry_is_ignored_and_rebuilt(fresh_loader, tmp_path):
    loader = fresh_loader
    path = _bundled_paths(loader)[0]
    good = loader.load_path(path)
    (entry,) = (tmp_path / "cache").glob("ruleset-*.pickle")
    for junk in (b"", b"garbage", entry.read_bytes()[:100]):
        entry.write_bytes(junk)
        current().loaded.clear()
        assert loader.load_path(path) == good


def test_a_tampered_cache_entry_cannot_run_code(fresh_loader, tmp_path):
    """Only ruleset classes may come out of the cache: a pickle that calls os.system is
    refused (and the ruleset validated again) instead of being run."""
    import pickle

    loader = fresh_loader
    path = _bundled_paths(loader)[0]
    good = loader.load_path(path)
    (entry,) = (tmp_path / "cache").glob("ruleset-*.pickle")
    marker = tmp_path / "pwned"

    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    entry.write_bytes(pickle.dumps(Evil()))
    current().loaded.clear()
    assert loader.load_path(path) == good
    assert not marker.exists()


def test_a_cache_entry_for_other_bytes_is_never_used(fresh_loader, tmp_path):
    """The key is the content hash: editing a custom ruleset can never hit the old entry."""
    loader = fresh_loader
    src = _bundled_paths(loader)[0]
    custom = tmp_path / "custom.toml"
    custom.write_bytes(src.read_bytes())
    first = loader.load_path(custom)
    custom.write_bytes(src.read_bytes().replace(b'edition = "', b'edition = "edited-', 1))
    current().loaded.clear()
    second = loader.load_path(custom)
    assert second.sha256 != first.sha256 and second.edition.startswith("edited-")
    assert len(list((tmp_path / "cache").glob("ruleset-*.pickle"))) == 2


def test_an_unwritable_cache_costs_only_time(tmp_path, monkeypatch):
    from assistant.core.rules import loader

    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    monkeypatch.setenv("MEDEQUIP_CACHE_DIR", str(blocker / "cache"))
    from assistant.core.rules.store import Store, using

    with using(Store()):
        rs = loader.load_path(_bundled_paths(loader)[0])
    assert rs.data.rules


def test_the_cache_can_be_switched_off_and_follows_xdg(monkeypatch, tmp_path):
    from assistant.core.io import cache

    monkeypatch.setenv("MEDEQUIP_CACHE_DIR", "off")
    assert cache.cache_dir() is None
    monkeypatch.delenv("MEDEQUIP_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_dir() == tmp_path / "medequip"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # ignored, as the spec says
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.cache_dir() == tmp_path / "home" / ".cache" / "medequip"
