"""Lint and the loader are one validator: a ruleset lint finds no error in is one the loader
loads, and one the loader loads is lint clean (warnings aside).

Before, each had checks the other lacked: ``2**80`` and ``max < min`` passed lint and then
failed at use; a duplicate fact and an empty ``text_en`` were refused by lint and accepted by
the loader. Hypothesis generates rulesets from the tiny corpus ruleset with any combination
of such defects and asserts the equivalence on each.
"""

from __future__ import annotations

import json
import tomllib

import pytest
import tomli_w
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.core.rules.loader import RulesetError, load_path
from assistant.core.rules.read import RulesetTooLarge, Unreadable
from assistant.interview import lint

TINY = tomllib.loads((ROOT / "tests" / "corpus" / "rulesets" / "tiny.toml").read_text("utf-8"))
BIG = [0, 3, 10**4, 10**9, 10**9 + 1, 2**80, -(2**80), -5]


def _lint_clean(path) -> bool:
    try:
        found = lint.findings(path)
    except (Unreadable, RulesetTooLarge):
        return False
    # Findings about the interview's question files are not about loading: the ruleset loads,
    # only the interview cannot use it. Every other error is one the loader refuses too.
    return not [f for f in found if f.severity == "error" and f.about == "ruleset"]


def _loads(path) -> bool:
    try:
        load_path(path)
    except RulesetError:
        return False
    return True


@st.composite
def rulesets(draw) -> dict:
    data = json.loads(json.dumps(TINY))
    fact = data["facts"][0]
    rule = data["rules"][0]
    if draw(st.booleans()):
        fact["max"] = draw(st.sampled_from(BIG))
    if draw(st.booleans()):
        fact["min"] = draw(st.sampled_from(BIG))
    if draw(st.booleans()):
        rule["condition"]["value"] = draw(st.sampled_from(BIG))
    if draw(st.booleans()):
        data["facts"].append(dict(fact))  # declared twice
    if draw(st.booleans()):
        key = draw(st.sampled_from(["text_en", "text_zh"]))
        rule[key] = draw(st.sampled_from(["", " ", "ok"]))
    if draw(st.booleans()):
        data["ruleset"]["title_en"] = draw(st.sampled_from(["", "x\x1by", "a\nb", "fine"]))
    if draw(st.booleans()):
        fact["label"]["en"] = draw(st.sampled_from(["", "\u202eevil", "Label"]))
    if draw(st.booleans()):
        data["rules"].append(dict(rule))  # a duplicate rule id
    if draw(st.booleans()):
        data["facts"].append({**fact, "key": "institution.name"})  # redeclares a shared fact
    if draw(st.booleans()):
        rule["condition"]["op"] = draw(st.sampled_from([">=", "==", "in", "contains"]))
    return data


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rulesets())
def test_lint_clean_if_and_only_if_the_loader_loads(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("rs") / "r.toml"
    path.write_text(tomli_w.dumps(data), "utf-8")
    assert _lint_clean(path) == _loads(path), (lint.findings(path), path.read_text())


@pytest.mark.parametrize(
    "edit",
    [
        lambda d: d["facts"][0].update(max=2**80),
        lambda d: d["facts"][0].update(min=5, max=4),
        lambda d: d["facts"].append(dict(d["facts"][0])),
        lambda d: d["rules"][0].update(text_en=""),
        lambda d: d["ruleset"].update(title_en="a\x1b[2Jb"),
    ],
    ids=["2**80", "max<min", "duplicate-fact", "empty-text_en", "escape"],
)
def test_each_defect_the_two_once_disagreed_on_is_refused_by_both(tmp_path, edit):
    data = json.loads(json.dumps(TINY))
    edit(data)
    path = tmp_path / "r.toml"
    path.write_text(tomli_w.dumps(data), "utf-8")
    assert not _lint_clean(path)
    assert not _loads(path)


def test_the_tiny_and_bundled_rulesets_are_clean_and_load():
    for path in [
        ROOT / "tests" / "corpus" / "rulesets" / "tiny.toml",
        *sorted(ROOT.glob("rulesets/*-*.toml")),
    ]:
        assert _lint_clean(path) and _loads(path), path


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.sampled_from(["", "0x", "0o", "0b", "-"]), st.integers(1, 5000), st.integers(1, 60), st.integers(0, 30)
)
def test_hostile_numbers_and_keys_in_a_ruleset_agree_too(tmp_path_factory, prefix, digits, parts, line):
    text = (ROOT / "tests" / "corpus" / "rulesets" / "tiny.toml").read_text("utf-8")
    lines = text.splitlines()
    hostile = [f"max = {prefix}{'1' * digits}", ".".join(["k"] * parts) + " = 1"]
    lines[line % len(lines)] = hostile[line % 2] if "max = " not in lines[line % len(lines)] else hostile[0]
    path = tmp_path_factory.mktemp("rs") / "r.toml"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    assert _lint_clean(path) == _loads(path)


@pytest.mark.parametrize(
    "path", sorted((ROOT / "tests" / "corpus" / "rulesets").glob("*.toml")), ids=lambda p: p.name
)
def test_lint_and_the_loader_agree_on_every_corpus_ruleset(path):
    assert _lint_clean(path) == _loads(path)
    assert _loads(path) == (path.name == "tiny.toml")
