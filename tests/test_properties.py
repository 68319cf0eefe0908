"""Property tests of the rulesets and the evaluator (Hypothesis).

The expected waived sets below are written from the exemption clauses （六） of the source,
not read from the ruleset, so a ruleset that waives the wrong clause fails here.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys

import pytest
from conftest import EXAMPLES, ROOT
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from strategies import answers_for, facts_for, person_of, value_within

from assistant.core.evaluate import evaluate
from assistant.core.profile.document import Profile, dumps, parse_bytes, validate_data
from assistant.core.rules import loader
from assistant.core.rules.model import EQUIPMENT_KEYS

SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)

# 一（六）: 新建机构不考察（二）中第 2、3 款，非公立医疗机构不考察（二）中第 2 款，
#          独立医学影像中心不考察（一）和（二）中 1、2 款
# 二（六）: 新建、非公立、独立医学影像中心应当具备（二）中的 3 款和（三）（四）（五）
# 三（六）: 新建医疗机构应当具备（一）（三）（四）（五）
# 四 and the proton specification have no institution exemption.
WAIVED_BY_TEXT = {
    "pet_mr": {
        "new_build": {"pet_mr/2.2", "pet_mr/2.3"},
        "non_public": {"pet_mr/2.2"},
        "independent_imaging_center": {"pet_mr/1", "pet_mr/2.1", "pet_mr/2.2"},
    },
    "pet_ct": {
        "new_build": {"pet_ct/1", "pet_ct/2.1", "pet_ct/2.2", "pet_ct/2.4"},
        "non_public": {"pet_ct/1", "pet_ct/2.1", "pet_ct/2.2", "pet_ct/2.4"},
        "independent_imaging_center": {"pet_ct/1", "pet_ct/2.1", "pet_ct/2.2", "pet_ct/2.4"},
    },
    "laparoscopic_robot": {
        "new_build": {"laparoscopic_robot/2.1", "laparoscopic_robot/2.2"},
        "non_public": set(),
        "independent_imaging_center": set(),
    },
    "conventional_rt": {"new_build": set(), "non_public": set(), "independent_imaging_center": set()},
    "proton": {"new_build": set(), "non_public": set(), "independent_imaging_center": set()},
}


def flags(new_build: bool, non_public: bool, independent: bool) -> dict:
    return {
        "institution.new_build": new_build,
        "institution.ownership": "non_public" if non_public else "public",
        "institution.independent_imaging_center": independent,
    }


def statuses(equipment: str, answers: dict) -> dict[str, str]:
    rs = loader.for_equipment(equipment)
    return {r.id: r.status for r in evaluate(rs, equipment, answers).results}


@pytest.mark.parametrize("equipment", EQUIPMENT_KEYS)
@pytest.mark.parametrize(
    "combo",
    list(itertools.product([False, True], repeat=3)),
    ids=lambda c: "nb{}-np{}-ind{}".format(*map(int, c)),
)
@SETTINGS
@given(data=st.data())
def test_waived_set_is_what_the_text_says(equipment, combo, data):
    base = data.draw(answers_for(equipment))
    answers = {**base, **flags(*combo)}
    expected = set()
    for on, ground in zip(combo, ("new_build", "non_public", "independent_imaging_center"), strict=True):
        if on:
            expected |= WAIVED_BY_TEXT[equipment][ground]
    got = statuses(equipment, answers)
    without = statuses(equipment, {**base, **flags(False, False, False)})
    exempt = {rid for rid, s in got.items() if s == "exempt"}
    # Person-scope exemptions (proton training routes) are per person, not institution waivers.
    rs = loader.for_equipment(equipment)
    person_rules = {r.id for r in rs.rules_for(equipment) if r.scope == "person"}
    assert exempt - person_rules <= expected
    # "不考察": a clause a true ground names is not examined — exempt, whatever its own facts;
    # unless it does not apply to this applicant at all (PET/CT （二）4 under 128 slices): not
    # applicable, as it is with no ground (a clause that does not apply has nothing to waive).
    for rid in expected:
        assert got[rid] == "exempt" or got[rid] == "not_applicable" == without[rid], (rid, without[rid])


@pytest.mark.parametrize("equipment", EQUIPMENT_KEYS)
@SETTINGS
@given(data=st.data())
def test_being_exempt_never_creates_a_not_met(equipment, data):
    answers = data.draw(answers_for(equipment))
    combo = data.draw(st.tuples(st.booleans(), st.booleans(), st.booleans()))
    with_flags = statuses(equipment, {**answers, **flags(*combo)})
    without = statuses(equipment, {**answers, **flags(False, False, False)})
    rs = loader.for_equipment(equipment)
    waivable = {rid for rid in with_flags if any(ex.scope == "institution" for ex, _ in rs.waivers_of(rid))}
    # A waivable clause is either waived or decided exactly as it would be without the waiver.
    for rid in waivable:
        assert with_flags[rid] in ("exempt", without[rid]), rid
        if with_flags[rid] == "not_met":
            assert without[rid] == "not_met", rid


@pytest.mark.parametrize("equipment", EQUIPMENT_KEYS)
@SETTINGS
@given(data=st.data())
def test_answering_an_unknown_fact_never_crosses_between_passing_and_failing(equipment, data):
    facts = facts_for(equipment)
    answers = data.draw(answers_for(equipment))
    missing = [k for k in facts if k not in answers]
    assume(missing)
    key = data.draw(st.sampled_from(missing))
    more = {**answers, key: data.draw(value_within(facts[key], facts, answers))}
    assert_no_crossing(equipment, answers, more, key)


PASSING = ("met", "exempt", "not_applicable")


def assert_no_crossing(equipment: str, answers: dict, more: dict, what) -> None:
    """Information monotonicity in the form that matters: answering more never moves a rule
    between the passing side (met, exempt, not applicable) and the failing side (not met),
    nor the overall verdict between compliant and not compliant. Passing clauses may move
    among themselves (a clause met whatever a ground says becomes exempt when it holds)."""
    rs = loader.for_equipment(equipment)
    ev_before, ev_after = evaluate(rs, equipment, answers), evaluate(rs, equipment, more)
    before = {r.id: r.status for r in ev_before.results}
    after = {r.id: r.status for r in ev_after.results}
    for rid, status in before.items():
        if status in PASSING:
            assert after[rid] in PASSING, (rid, what, status, after[rid])
        if status == "not_met":
            assert after[rid] == "not_met", (rid, what)
    if ev_before.status in ("compliant", "not_compliant"):
        assert ev_after.status == ev_before.status, what


@pytest.mark.parametrize("equipment", ["pet_mr", "pet_ct", "laparoscopic_robot"])
@SETTINGS
@given(data=st.data())
def test_a_clause_met_on_its_own_facts_passes_whatever_the_grounds(equipment, data):
    """（六） only lifts requirements ("不考察", "应当具备以上…"): a clause met on its own
    facts is met while no ground waives it (the grounds unanswered or false) and exempt when
    one does; either way it passes."""
    answers = data.draw(answers_for(equipment))
    for key in flags(False, False, False):
        answers.pop(key, None)
    combo = data.draw(st.tuples(st.booleans(), st.booleans(), st.booleans()))
    unanswered = statuses(equipment, answers)
    none = statuses(equipment, {**answers, **flags(False, False, False)})
    answered = statuses(equipment, {**answers, **flags(*combo)})
    rs = loader.for_equipment(equipment)
    for rid, status in answered.items():
        if none[rid] == "met":
            assert unanswered[rid] == "met", rid
            waivable = any(ex.scope == "institution" for ex, _ in rs.waivers_of(rid))
            assert status == "met" or (waivable and status == "exempt"), (rid, status)


ROSTER_EQUIPMENT = [e for e in EQUIPMENT_KEYS if any(f.type == "roster" for f in facts_for(e).values())]


def with_people(equipment: str, data) -> tuple[dict, object]:
    """Answers whose roster holds at least one person."""
    roster = next(f for f in facts_for(equipment).values() if f.type == "roster")
    answers = data.draw(answers_for(equipment))
    answers[roster.key] = data.draw(st.lists(person_of(roster), min_size=1, max_size=7))
    return answers, roster


@pytest.mark.parametrize("equipment", ROSTER_EQUIPMENT)
@SETTINGS
@given(data=st.data())
def test_answering_a_persons_unknown_field_never_crosses_between_passing_and_failing(equipment, data):
    answers, roster = with_people(equipment, data)
    people = answers[roster.key]
    i = data.draw(st.integers(0, len(people) - 1))
    fields = {f.key: f for f in roster.fields}
    missing = [k for k in fields if k not in people[i]]
    assume(missing)
    fld = data.draw(st.sampled_from(missing))
    changed = [dict(p) for p in people]
    changed[i][fld] = data.draw(value_within(fields[fld], fields, people[i]))
    assert_no_crossing(equipment, answers, {**answers, roster.key: changed}, fld)


@pytest.mark.parametrize("equipment", EQUIPMENT_KEYS)
@SETTINGS
@given(data=st.data())
def test_raising_a_number_never_turns_met_into_not_met(equipment, data):
    facts = facts_for(equipment)
    answers = data.draw(answers_for(equipment))
    ints = [k for k in answers if facts[k].type == "int" and answers[k] < facts[k].max]
    assume(ints)
    key = data.draw(st.sampled_from(ints))
    raised = {**answers, key: data.draw(st.integers(answers[key] + 1, facts[key].max))}
    before, after = statuses(equipment, answers), statuses(equipment, raised)
    for rid, status in before.items():
        if status == "met":
            assert after[rid] != "not_met", (rid, key)


@pytest.mark.parametrize("equipment", ROSTER_EQUIPMENT)
@SETTINGS
@given(data=st.data())
def test_raising_a_persons_numbers_never_turns_met_into_not_met(equipment, data):
    answers, roster = with_people(equipment, data)
    people = answers[roster.key]
    fields = {f.key: f for f in roster.fields}
    spots = [
        (i, k)
        for i, p in enumerate(people)
        for k, v in p.items()
        if fields[k].type == "int" and v < fields[k].max
    ]
    assume(spots)
    i, k = data.draw(st.sampled_from(spots))
    changed = [dict(p) for p in people]
    changed[i][k] = data.draw(st.integers(people[i][k] + 1, fields[k].max))
    before = statuses(equipment, answers)
    after = statuses(equipment, {**answers, roster.key: changed})
    for rid, status in before.items():
        if status == "met":
            assert after[rid] != "not_met", (rid, k)


@pytest.mark.parametrize("equipment", EQUIPMENT_KEYS)
@SETTINGS
@given(data=st.data())
def test_facts_of_other_equipment_never_change_a_verdict(equipment, data):
    answers = data.draw(answers_for(equipment))
    other = data.draw(st.sampled_from([e for e in EQUIPMENT_KEYS if e != equipment]))
    foreign = {k: v for k, v in data.draw(answers_for(other)).items() if k.startswith(other + ".")}
    assert statuses(equipment, {**answers, **foreign}) == statuses(equipment, answers)


@pytest.mark.parametrize("equipment", EQUIPMENT_KEYS)
@SETTINGS
@given(data=st.data())
def test_profile_to_toml_and_back_is_the_identity(equipment, data):
    rs = loader.for_equipment(equipment)
    answers = data.draw(answers_for(equipment))
    profile = Profile(equipment, answers, rs.edition)
    text = dumps(profile, rs.facts)
    parsed, raw_text = parse_bytes(text.encode("utf-8"), "roundtrip.toml")
    again = validate_data(parsed, rs.facts, "roundtrip.toml", raw_text)
    assert again.answers == answers
    assert again.equipment == equipment
    assert dumps(again, rs.facts) == text


def test_evaluation_is_identical_across_processes_and_hash_seeds():
    files = sorted(str(p) for p in EXAMPLES.glob("*.toml"))
    assert files
    outputs = []
    for seed in ("0", "1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-m", "assistant", "check", *files, "--format", "json", "--lang", "zh"],
            capture_output=True,
            cwd=ROOT,
            env=env,
            check=False,
        )
        assert run.returncode in (0, 1, 3), run.stderr.decode()
        outputs.append(run.stdout)
    assert outputs[0] == outputs[1] == outputs[2]
    reports = json.loads(outputs[0])
    assert len(reports if isinstance(reports, list) else [reports]) == len(files)
