"""`explain` works for every rule and exemption clause of every example and clause case.

In-process through the command's own entry point (a subprocess per rule would take minutes);
one subprocess run per failure mode the issue names (the proton staff counts) as well.
"""

from __future__ import annotations

import contextlib
import io

import pytest
from cli_helpers import EXAMPLES
from cli_helpers import run as medequip
from conftest import CASES

from assistant.core.evaluate import evaluate, trace
from assistant.core.profile import cases as case_runner
from assistant.core.profile.document import validate_data
from assistant.core.rules import loader


def _profiles():
    out = []
    for path in sorted(EXAMPLES.glob("*.toml")):
        import tomllib

        data = tomllib.loads(path.read_text("utf-8"))
        out.append(pytest.param(data, id=path.name))
    for c in case_runner.collect([CASES]):
        out.append(pytest.param(c.data, id=f"{c.equipment}:{c.line}"))
    return out


@pytest.mark.parametrize("data", _profiles())
def test_every_rule_of_every_profile_can_be_explained(data):
    eq = data["equipment"]
    rs = loader.for_equipment(eq)
    profile = validate_data(data, rs.facts, "case")
    ev = evaluate(rs, eq, profile.answers)
    for r in ev.results:
        lines = trace(rs, eq, profile.answers, r.id)
        # every rule that reads anything shows at least one step of how it was decided
        assert lines or not rs.rule_facts(r.rule), r.id
        for _, finding in lines:
            assert finding.msg.zh and finding.msg.en, r.id
    for ex in rs.exemptions_for(eq):
        trace(rs, eq, profile.answers, ex.id)


@pytest.mark.parametrize(
    "rule", ["proton/2.1.2", "proton/1.6.4", "proton/2.2.2", "proton/3.2", "proton/4.3.1.1"]
)
def test_explain_the_proton_staff_counts(rule):
    run = medequip("explain", str(EXAMPLES / "proton_existing_tertiary.toml"), rule, "--lang", "zh")
    assert run.returncode == 0, run.stderr
    assert "结论" in run.stdout and "✓" in run.stdout


def test_explain_runs_for_every_rule_through_the_command():
    from assistant.cli.main import main

    for path in sorted(EXAMPLES.glob("*.toml")):
        import tomllib

        eq = tomllib.loads(path.read_text("utf-8"))["equipment"]
        rs = loader.for_equipment(eq)
        for rid in [r.id for r in rs.rules_for(eq)] + [e.id for e in rs.exemptions_for(eq)]:
            buf = io.StringIO()
            with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(io.StringIO()):
                code = main(["explain", str(path), rid, "--lang", "en"])
            assert code == 0, (path.name, rid)
            assert rid in buf.getvalue()
