"""Every kind of condition against its truth table: one case corpus per operator
(tests/truth/<kind>.toml), written by hand, with unknown answers among the values.

Each case is run through the node's ``decide`` (the value and the facts that would decide
it, and for a false node the unanswered facts that complete its shortfall) and its
``explain`` (which must give the same value, the findings listed, every leaf told to the
sink, and the words the case quotes). The ruleset they are decided in is
tests/truth/ruleset.toml.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from pydantic import TypeAdapter

from assistant.core.evaluate import snapshot
from assistant.core.evaluate.compile import node_of
from assistant.core.evaluate.run import Run
from assistant.core.evaluate.trace import Recorder
from assistant.core.rules import loader
from assistant.core.rules.model import Condition
from assistant.core.text.i18n import Msg

TRUTH = Path(__file__).parent / "truth"
KINDS = ("compare", "all", "any", "not", "implies", "count", "qualified", "rules")
VALUES = {True: True, False: False, "unknown": None}
OK = {True: True, False: False, None: "unknown"}


def _cases():
    for kind in KINDS:
        table = tomllib.loads((TRUTH / f"{kind}.toml").read_text("utf-8"))["cases"]
        for i, case in enumerate(table):
            yield pytest.param(kind, case, id=f"{kind}-{i + 1}")


@pytest.fixture(scope="module")
def rs():
    return loader.load_path(TRUTH / "ruleset.toml")


def test_every_kind_of_condition_has_a_table_with_every_value():
    for kind in KINDS:
        table = tomllib.loads((TRUTH / f"{kind}.toml").read_text("utf-8"))["cases"]
        assert {c["value"] for c in table} == {True, False, "unknown"}, kind


@pytest.mark.parametrize(("kind", "case"), list(_cases()))
def test_truth_table(rs, kind, case):
    cond = TypeAdapter(Condition).validate_python(case["condition"])
    roster = "pet_ct.staff" if "person" in case else None
    node = node_of(rs, cond, roster)
    assert kind in {n.kind for n in node.walk()}
    run = Run(rs, "pet_ct", snapshot(case["answers"]))
    env = run.env_at((roster, case["person"])) if roster else run.env
    if case.get("advisory"):
        env = env.recommending()

    value, missing = node.decide(env)
    assert value is VALUES[case["value"]]
    assert list(missing) == case.get("missing", [])
    if value is False:
        assert list(node.lacking(env)) == case.get("lacking", [])

    sink = Recorder()
    said, findings = node.explain(env, sink)
    assert said is value, "explain gives decide's value"
    assert [[f.fact, OK[f.ok]] for f in findings] == case["findings"]
    told = {f.fact for _, f in sink.steps}
    assert {f.fact for f in findings} <= told, "every leaf goes to the sink"
    if "says" in case:
        assert case["says"] in Msg.join([f.msg for f in findings]).en
    assert all(f.msg.zh and f.msg.en for f in findings)
