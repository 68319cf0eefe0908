"""Clause coverage: hand-written cases from the regulation text, one file per equipment.

The cases run through the same runner as ``medequip test`` (the published format). Every
rule must be reached met and not met, exempt where an exemption can waive it, and not
applicable where it applies conditionally. The expected statuses were written from the
clause text, so a disagreement here means the data or the evaluator misreads the law.
"""

import pytest
from cli_helpers import run as medequip
from conftest import CASES

from assistant.core.profile import cases as case_runner
from assistant.core.rules import loader
from assistant.core.rules.model import EQUIPMENT_KEYS

ALL = case_runner.collect([CASES])


def _ids():
    return [f"{c.equipment}:{c.line}:{c.rule or 'overall'}" for c in ALL]


@pytest.mark.parametrize("case", ALL, ids=_ids())
def test_case(case):
    result = case_runner.run([case], loader.for_equipment)
    assert not result.failures, "\n".join(
        f"{f.what}: expected {f.expected}, got {f.actual}\n  why: {case.why}\n  reason: {getattr(f.reason, 'zh', f.reason)}"
        for f in result.failures
    )


@pytest.mark.parametrize("equipment", EQUIPMENT_KEYS)
def test_every_rule_and_exemption_has_cases(equipment):
    mine = [c for c in ALL if c.equipment == equipment]
    assert mine, f"no hand-written cases for {equipment}"
    result = case_runner.run(mine, loader.for_equipment)
    gaps = [f"{c['rule']} {' '.join(c['missing'])}" for c in case_runner.coverage(result) if c["missing"]]
    assert not gaps, "clauses the cases do not reach: " + "; ".join(gaps)
    rs = loader.for_equipment(equipment)
    exempted = {c.exemption for c in mine if c.exemption}
    missing = [ex.id for ex in rs.exemptions_for(equipment) if ex.id not in exempted]
    assert not missing, "exemption clauses without an exempt case: " + ", ".join(missing)


def test_the_projects_cases_pass_through_medequip_test_with_complete_coverage():
    import json

    run = medequip("test", str(CASES), "--coverage", "--format", "json")
    assert run.returncode == 0, run.stdout + run.stderr
    report = json.loads(run.stdout)
    assert report["failed"] == 0 and report["cases"] == len(ALL)
    assert report["coverage_complete"] is True
    covered = {(c["equipment"], c["rule"]) for c in report["coverage"]}
    for eq in EQUIPMENT_KEYS:
        rs = loader.for_equipment(eq)
        assert {(eq, r.id) for r in rs.rules_for(eq)} <= covered
