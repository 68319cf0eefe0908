"""The interview engine: what it asks, in which order, and that it always ends; plus the
parsing of answers as people type them."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import value_within

from assistant.core.evaluate import evaluate
from assistant.core.profile.answers import AnswerError, command_of, parse
from assistant.core.profile.document import Profile, dumps, parse_bytes, validate_data
from assistant.core.rules import loader
from assistant.core.rules.loader import facts_read
from assistant.core.rules.model import EQUIPMENT_KEYS, Fact, Text
from assistant.interview import questions
from assistant.interview.engine import ADD, Interview, replay

SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
MAX_STEPS = 2000


def make(equipment: str, answers: dict | None = None) -> Interview:
    rs = loader.for_equipment(equipment)
    return Interview(rs, equipment, questions.load(rs, equipment), answers=dict(answers or {}))


def drive(iv: Interview, data, skip_rate: float = 0.0) -> list[str]:
    """Answer every question with a random valid value; returns the keys asked."""
    asked = []
    for _ in range(MAX_STEPS):
        step = iv.next()
        if step is None:
            return asked
        asked.append(step.key)
        if skip_rate and data.draw(st.floats(0, 1)) < skip_rate:
            iv.skip()
            continue
        if step.fact.key == ADD:
            people = len(iv.answers.get(step.roster) or [])
            iv.set(step, people < 4 and data.draw(st.booleans()))
        else:
            # As a person types: an answer the interview would refuse (a contradiction with an
            # earlier answer, a name already listed) is typed again, differently.
            for n in range(20):
                value = data.draw(value_within(step.fact, iv.rs.facts, iv.answers))
                if step.fact.type == "text" and n:
                    value = f"{value} {n}"  # a name drawn twice: the second person is another
                if not any(b.refuses for b in iv.breaches_with(step, value)):
                    iv.set(step, value)
                    break
            else:
                iv.skip()
    raise AssertionError("the interview did not end")


def question_key(step_key: str) -> str:
    """``roster[3].field`` -> ``roster.field``; ``roster.add`` -> ``roster``."""
    if step_key.endswith("." + ADD):
        return step_key[: -len(ADD) - 1]
    if "[" in step_key:
        head, rest = step_key.split("[", 1)
        return head + "." + rest.split("].", 1)[1]
    return step_key


def justified(iv: Interview, key: str) -> bool:
    """Does this fact decide at least one clause in the final result: read by a clause that
    is met, not met or open; or by the applicability test of a clause it made not
    applicable; or by an exemption ground that waived a clause?"""
    rs = iv.rs
    for r in iv.ev.results:
        rule = r.rule
        roster = rule.roster if rule.scope == "person" else None
        if r.status in ("met", "not_met", "unknown") and key in rs.rule_facts(rule):
            return True
        if r.status == "exempt" and rule.scope == "person" and key in rs.rule_facts(rule):
            # A person's own route had to be asked to learn that only an exemption qualifies them.
            return True
        if r.status == "not_applicable" and key in facts_read(rule.applies_when, roster):
            return True
        if (
            r.status == "not_applicable"
            and rule.scope == "person"
            and key in (rule.roster, f"{rule.roster}.role")
        ):
            return True
        if r.status in ("met", "not_met", "unknown"):
            # An exemption ground that did not hold decided that the clause is examined.
            for ex, gkey in rs.waivers_of(rule.id):
                ground = next(g for g in ex.grounds if g.key == gkey)
                if key in facts_read(ground.when, rule.roster if ex.scope == "person" else None):
                    return True
        if r.status == "exempt" and rule.scope == "institution":
            # Which ground turns out to hold is unknown until asked; a ground asked first
            # and found false is still what decided the clause's exemption status.
            for ex, gkey in rs.waivers_of(rule.id):
                ground = next(g for g in ex.grounds if g.key == gkey)
                if ex.scope == "institution" and key in facts_read(ground.when):
                    return True
        if r.status == "exempt":
            for w in r.waived_by:
                ex = next(e for e in rs.exemptions_for(iv.equipment) if e.id == w.exemption)
                ground = next(g for g in ex.grounds if g.key == w.ground)
                if key in facts_read(ground.when, rule.roster if ex.scope == "person" else None):
                    return True
    return False


@pytest.mark.parametrize("equipment", EQUIPMENT_KEYS)
@SETTINGS
@given(data=st.data())
def test_every_question_decides_a_clause_and_stays_in_its_equipment(equipment, data):
    iv = make(equipment)
    asked = drive(iv, data)
    for step_key in asked:
        key = question_key(step_key)
        assert key.startswith(("institution.", equipment + ".")), key
        if iv.by_key[key].fact.identity or key.endswith((".name",)):
            continue
        assert justified(iv, key), f"{key} was asked but decides nothing"


@pytest.mark.parametrize("equipment", EQUIPMENT_KEYS)
@SETTINGS
@given(data=st.data())
def test_the_interview_ends_even_when_questions_are_skipped(equipment, data):
    iv = make(equipment)
    drive(iv, data, skip_rate=0.3)
    assert iv.next() is None


@pytest.mark.parametrize("equipment", EQUIPMENT_KEYS)
@SETTINGS
@given(data=st.data())
def test_replaying_a_saved_profile_asks_nothing_and_reproduces_it(equipment, data):
    iv = make(equipment)
    drive(iv, data)
    rs = iv.rs
    text = dumps(Profile(equipment, iv.answers, rs.edition), rs.facts)
    parsed, raw = parse_bytes(text.encode(), "saved.toml")
    saved = validate_data(parsed, rs.facts, "saved.toml", raw).answers
    assert saved == iv.answers
    assert make(equipment, saved).next() is None
    assert replay(rs, equipment, iv.questions, saved) == saved


@pytest.mark.parametrize("equipment", EQUIPMENT_KEYS)
def test_every_fact_a_rule_reads_has_a_question_and_every_question_is_read(equipment):
    rs = loader.for_equipment(equipment)
    qs = {q.key for q in questions.load(rs, equipment)}
    read: set[str] = set()
    for rule in rs.rules_for(equipment):
        read |= set(rs.rule_facts(rule))
    for ex in rs.exemptions_for(equipment):
        roster = next((r.roster for r in rs.rules_for(equipment) if r.scope == "person"), None)
        for g in ex.grounds:
            read |= set(facts_read(g.when, roster if ex.scope == "person" else None))
    assert read - qs == set(), "facts without a question"
    identity = {q.key for q in questions.load(rs, equipment) if q.fact.identity}
    unread = qs - read - identity
    # Institution questions are shared by every equipment; each must be read by some ruleset.
    unread = {k for k in unread if not k.startswith("institution.")}
    assert unread == set(), "questions that no rule reads"


def test_institution_questions_are_each_read_by_some_equipment():
    used = set()
    for eq in EQUIPMENT_KEYS:
        iv = make(eq)
        for rule in iv.rs.rules_for(eq):
            used |= set(iv.rs.rule_facts(rule))
        for ex in iv.rs.exemptions_for(eq):
            for g in ex.grounds:
                used |= set(facts_read(g.when))
    inst = {
        q.key for q in make("pet_ct").questions if q.key.startswith("institution.") and not q.fact.identity
    }
    assert inst <= used


def test_new_build_non_public_pet_ct_is_never_asked_waived_clauses():
    iv = make("pet_ct")
    iv.answer("某医院")
    asked = []
    answers = {
        "institution.new_build": "是",
        "institution.ownership": "2",
        "institution.independent_imaging_center": "否",
    }
    while (step := iv.next()) is not None:
        asked.append(step.key)
        if step.key in answers:
            iv.answer(answers[step.key])
        elif step.fact.type == "bool":
            iv.answer("是")
        elif step.fact.type == "int":
            iv.answer("200")
        else:
            iv.answer("1")
    waived_facts = {
        "pet_ct.nuclear_medicine_years",
        "pet_ct.departments",
        "pet_ct.has_existing_pet_ct",
        "pet_ct.regional_guiding_role",
        "pet_ct.national_guiding_role",
        "institution.grade",
    }
    assert not waived_facts & set(asked)
    assert "pet_ct.spect_experience" in asked  # （二）3 is still examined


def test_pet_ct_128_slice_questions_only_when_the_ct_has_128_or_more_slices():
    def asked_with(slices: str) -> list[str]:
        iv = make(
            "pet_ct",
            {
                "institution.name": "x",
                "institution.new_build": False,
                "institution.ownership": "public",
                "institution.independent_imaging_center": False,
            },
        )
        keys = []
        while (step := iv.next()) is not None:
            keys.append(step.key)
            if step.key == "pet_ct.ct_slices":
                iv.answer(slices)
            else:
                iv.skip()
        return keys

    assert "pet_ct.licensed_nm_imaging_staff" not in asked_with("64")
    assert "pet_ct.licensed_nm_imaging_staff" in asked_with("128")


def test_existing_volume_only_asked_when_an_existing_pet_ct_is_added_to():
    base = {
        "institution.name": "x",
        "institution.new_build": False,
        "institution.ownership": "public",
        "institution.independent_imaging_center": False,
        "institution.designations": ["national_medical_center"],
        "pet_ct.complex_case_capability": True,
        "pet_ct.nuclear_medicine_standing": "provincial_key",
        "pet_ct.regional_guiding_role": True,
    }
    iv = make("pet_ct", {**base, "pet_ct.has_existing_pet_ct": False})
    assert "pet_ct.existing_annual_volume" not in iv.needed()
    iv = make("pet_ct", {**base, "pet_ct.has_existing_pet_ct": True})
    assert "pet_ct.existing_annual_volume" in iv.needed()


def test_back_undoes_the_last_answer_and_edit_sets_aside_answers_that_no_longer_matter():
    iv = make("pet_ct")
    iv.answer("某医院")
    assert iv.next().key == "institution.new_build"
    iv.answer("否")
    assert iv.answers["institution.new_build"] is False
    assert iv.back()
    assert "institution.new_build" not in iv.answers
    assert iv.next().key == "institution.new_build"
    iv.answer("否")
    iv.answer("公立医疗机构")
    iv.answer("否")  # not an independent imaging centre
    while (step := iv.next()) is not None and step.key != "pet_ct.nuclear_medicine_years":
        iv.skip()
    iv.answer("5年")
    assert iv.answers["pet_ct.nuclear_medicine_years"] == 5
    iv.edit("institution.new_build", "是")
    # （二）2 is waived for a new-build institution, so its answer no longer matters: it is
    # kept, unused, and comes back when the edit is undone.
    assert "pet_ct.nuclear_medicine_years" not in iv.answers
    assert iv.kept["pet_ct.nuclear_medicine_years"] == 5
    assert iv.answers["institution.new_build"] is True
    iv.edit("institution.new_build", "否")
    assert iv.answers["pet_ct.nuclear_medicine_years"] == 5 and iv.kept == {}


def test_why_names_the_clauses_and_the_exemption_that_could_remove_them():
    iv = make("pet_ct", {"institution.name": "x"})
    step = iv.next()
    assert step.key == "institution.new_build"
    rows = iv.why(step)
    assert rows == [] or all("id" in r for r in rows)
    iv.answer("否")
    iv.answer("1")
    iv.answer("否")
    while (step := iv.next()) is not None and step.key != "pet_ct.nuclear_medicine_years":
        iv.skip()
    rows = iv.why(step)
    assert [r["id"] for r in rows] == ["pet_ct/2.2"]
    assert rows[0]["waivers"] and rows[0]["waivers"][0][0] == "pet_ct/6"


def test_proton_roster_asks_person_by_person():
    iv = make("proton", {"institution.name": "x", "institution.new_build": False})
    while (step := iv.next()) is not None and step.fact.key != ADD:
        iv.skip()
    assert step is not None and step.key == "proton.clinical_staff.add"
    iv.answer("是")
    assert iv.next().key == "proton.clinical_staff[0].role"
    iv.answer("1")
    assert iv.next().key == "proton.clinical_staff[0].name"
    iv.answer("张医生")
    nxt = iv.next()
    assert nxt.key.startswith("proton.clinical_staff[0].")
    # A physician is never asked a physicist-only field.
    keys = []
    while (step := iv.next()) is not None and step.fact.key != ADD:
        keys.append(step.key)
        iv.skip()
    assert not any("plans" in k for k in keys if k.startswith("proton.clinical_staff[0]."))
    assert step.key == "proton.clinical_staff.add"
    iv.answer("否")
    assert iv.open_roster is None


# --- answer parsing -------------------------------------------------------------------------------

YEARS = Fact(
    key="x.years",
    type="int",
    label=Text(zh="年限", en="years"),
    unit=Text(zh="年", en="years"),
    min=0,
    max=100,
)
VOLUME = Fact(
    key="x.volume",
    type="int",
    label=Text(zh="检查量", en="volume"),
    unit=Text(zh="例", en="cases"),
    min=0,
    max=1000000,
)
FLAG = Fact(key="x.flag", type="bool", label=Text(zh="是否", en="flag"))


@pytest.mark.parametrize(
    "text,value",
    [
        ("12", 12),
        ("１２", 12),
        ("12年", 12),
        ("１２年", 12),
        (" 12 年 ", 12),
        ("十二", 12),
        ("十五年", 15),
        ("三", 3),
    ],
)
def test_integers_as_people_type_them(text, value):
    assert parse(text, YEARS) == value


@pytest.mark.parametrize(
    "text,value",
    [("1,500", 1500), ("1500例", 1500), ("１，５００例", 1500), ("10000", 10000), ("一万", 10000)],
)
def test_volumes_with_separators_and_units(text, value):
    assert parse(text, VOLUME) == value


@pytest.mark.parametrize("text", ["-3", "abc", "3.5", "101", ""])
def test_bad_integers_are_rejected_with_a_reason_in_both_languages(text):
    with pytest.raises(AnswerError) as e:
        parse(text, YEARS)
    assert e.value.msg.zh and e.value.msg.en


@pytest.mark.parametrize(
    "text,value",
    [
        ("是", True),
        ("否", False),
        ("有", True),
        ("没有", False),
        ("对", True),
        ("不", False),
        ("y", True),
        ("NO", False),
        ("ｙｅｓ", True),
        ("是的", True),
        ("不是", False),
    ],
)
def test_yes_and_no_in_both_languages(text, value):
    assert parse(text, FLAG) is value


def test_choices_by_number_key_or_label_in_either_language():
    rs = loader.for_equipment("pet_ct")
    fact = rs.facts["institution.ownership"]
    assert parse("2", fact) == "non_public"
    assert parse("２", fact) == "non_public"
    assert parse("非公立医疗机构", fact) == "non_public"
    assert parse("Public institution", fact) == "public"
    assert parse("non_public", fact) == "non_public"
    with pytest.raises(AnswerError):
        parse("3", fact)


def test_sets_by_numbers_or_none():
    rs = loader.for_equipment("pet_ct")
    fact = rs.facts["institution.designations"]
    assert parse("1、3", fact) == ["national_medical_center", "provincial_medical_center"]
    assert parse("3，1", fact) == ["national_medical_center", "provincial_medical_center"]
    assert parse("无", fact) == []


@pytest.mark.parametrize(
    "text,cmd",
    [
        ("返回", "back"),
        ("back", "back"),
        ("为什么", "why"),
        ("跳过", "skip"),
        ("skip", "skip"),
        ("进度", "progress"),
    ],
)
def test_conversation_commands(text, cmd):
    assert command_of(text) == cmd


def test_an_answer_from_the_evaluation_is_always_consistent():
    # The interview's live tally is exactly the evaluator's on the same answers.
    iv = make("pet_ct")
    iv.answer("某医院")
    iv.answer("是")
    ev = evaluate(iv.rs, "pet_ct", iv.answers)
    assert iv.tally() == ev.counts
