"""Clause coverage: hand-written cases from the regulation text, one file per equipment.

Every rule must have a met and a not-met case (and a not-applicable case when it only
applies sometimes); every exemption ground must have an exempt case. The expected statuses
were written from the clause text, so a disagreement here means the data or the evaluator
misreads the law.
"""

import tomllib

import pytest
from conftest import CASES

from assistant.core import loader
from assistant.core.evaluate import evaluate
from assistant.core.model import EQUIPMENT_KEYS
from assistant.core.profile import validate_data


def _cases():
    out = []
    for eq in EQUIPMENT_KEYS:
        path = CASES / f"{eq}.toml"
        if not path.exists():
            continue
        for i, case in enumerate(tomllib.loads(path.read_text("utf-8"))["cases"]):
            out.append(pytest.param(eq, case, id=f"{case['rule']}-{case['expect']}-{i}"))
    return out


@pytest.mark.parametrize("equipment,case", _cases())
def test_case(equipment, case):
    rs = loader.for_equipment(equipment)
    data = {"schema_version": 1, "equipment": equipment, **case["profile"]}
    data.setdefault("institution", {})
    profile = validate_data(data, rs.facts, f"{equipment}:{case['rule']}")
    result = evaluate(rs, equipment, profile.answers).result(case["rule"])
    assert result.status == case["expect"], f"{case.get('why', '')}\n{result.reason.zh}"
    if case["expect"] == "exempt":
        assert case["exemption"] in {w.exemption for w in result.waived_by}


@pytest.mark.parametrize("equipment", EQUIPMENT_KEYS)
def test_every_rule_and_exemption_has_cases(equipment):
    rs = loader.for_equipment(equipment)
    path = CASES / f"{equipment}.toml"
    assert path.exists(), f"no hand-written cases for {equipment}"
    cases = tomllib.loads(path.read_text("utf-8"))["cases"]
    have = {(c["rule"], c["expect"]) for c in cases}
    missing = []
    for rule in rs.rules_for(equipment):
        for expect in ("met", "not_met"):
            if (rule.id, expect) not in have:
                missing.append(f"{rule.id} {expect}")
        if rule.applies_when is not None and (rule.id, "not_applicable") not in have:
            missing.append(f"{rule.id} not_applicable")
    exempted = {(c["exemption"], c["rule"]) for c in cases if c["expect"] == "exempt"}
    for ex in rs.exemptions_for(equipment):
        if not any(e == ex.id for e, _ in exempted):
            missing.append(f"{ex.id} exempt")
    assert not missing, "rules without hand-written cases: " + ", ".join(missing)
