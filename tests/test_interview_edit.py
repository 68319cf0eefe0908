"""Changing answers at any time: edit in place, back after anything, people added and
removed at any point. The engine keeps every answer typed; the answers in use are always
what a fresh interview given the same final answers would keep."""

from __future__ import annotations

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import value_of

from assistant.core.rules import loader
from assistant.interview import questions
from assistant.interview.engine import ADD, Interview, resume
from assistant.interview.review import estimate, find, review

SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
STAFF = "proton.clinical_staff"


def make(equipment: str, answers: dict | None = None) -> Interview:
    rs = loader.for_equipment(equipment)
    return Interview(rs, equipment, questions.load(rs, equipment), answers=dict(answers or {}))


def flat(answers: dict) -> dict:
    """The test's own flattening: ``roster[i].field`` for people, the key otherwise."""
    out = {}
    for key, value in answers.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            for i, person in enumerate(value):
                for fld, v in person.items():
                    out[f"{key}[{i}].{fld}"] = v
        else:
            out[key] = value
    return out


def state(iv: Interview) -> tuple:
    return (copy.deepcopy(iv.answers), copy.deepcopy(iv.kept), set(iv.skipped), iv.open_roster)


def direct(equipment: str, typed: dict, people: dict[str, int]) -> dict:
    """A fresh interview answering every question from ``typed`` (flat keys) and skipping
    the rest: the profile the same final answers give when applied directly. Like ``replay``,
    it takes every typed answer some clause reads (``keeps_decided``): the other parts of a
    clause already not met are no longer asked, but an answer typed to one stays in use."""
    iv = make(equipment)
    iv.keeps_decided = True
    for _ in range(5000):
        step = iv.next()
        if step is None:
            return iv.answers
        if step.fact.key == ADD:
            if step.roster in people:
                iv.set(step, len(iv.answers.get(step.roster) or []) < people[step.roster])
            else:
                iv.skipped.add(step.key)  # never answered: no roster at all, not an empty one
        elif step.key in typed:
            iv.set(step, typed[step.key])
        else:
            iv.skip()
    raise AssertionError("the interview did not end")


@pytest.mark.parametrize("equipment", ["pet_ct", "proton", "conventional_rt"])
@SETTINGS
@given(data=st.data())
def test_answer_back_edit_skip_keep_every_answer_and_equal_applying_them_directly(equipment, data):
    iv = make(equipment)
    typed: dict = {}  # flat key -> the last value typed for it (what must never be lost)
    people: dict[str, int] = {}  # roster -> people added
    undo: list[tuple] = []  # (engine state, typed, people) before each operation
    for _ in range(data.draw(st.integers(5, 80), label="operations")):
        before = (state(iv), dict(typed), dict(people))
        answered = [k for k in flat(iv.everything()) if iv.step_for(k) is not None]
        choices = ["answer", "answer", "answer", "skip", "back"] + (["edit"] * 2 if answered else [])
        if iv.rosters() and people:
            choices.append("remove")
        op = data.draw(st.sampled_from(choices), label="op")
        if op == "back":
            if iv.back():
                engine, typed, people = undo.pop()
                assert state(iv) == engine, "back did not restore the state before the operation"
            else:
                assert not undo
            continue
        step = iv.next()
        if op in ("answer", "skip") and step is None:
            continue
        if op == "answer":
            if step.fact.key == ADD:
                yes = len(iv.answers.get(step.roster) or []) < 4 and data.draw(st.booleans())
                iv.set(step, yes)
                people[step.roster] = people.get(step.roster, 0) + yes
            else:
                value = data.draw(value_of(step.fact), label=step.key)
                iv.set(step, value)
                typed[step.key] = value
        elif op == "skip":
            iv.skip()
            if step.fact.key == ADD:
                people.setdefault(step.roster, 0)
        elif op == "edit":
            key = data.draw(st.sampled_from(answered), label="edit")
            value = data.draw(value_of(iv.step_for(key).fact), label=f"new {key}")
            iv.edit_value(key, value)
            typed[key] = value
        elif op == "remove":
            roster = data.draw(st.sampled_from(sorted(people)))
            if people[roster] == 0:
                continue
            i = data.draw(st.integers(0, people[roster] - 1), label="remove")
            iv.remove_person(roster, i)
            people[roster] -= 1
            shifted = {}
            for k, v in typed.items():
                if k.startswith(f"{roster}["):
                    j = int(k[len(roster) + 1 : k.index("]")])
                    if j == i:
                        continue
                    if j > i:
                        k = f"{roster}[{j - 1}]{k[k.index(']') + 1 :]}"
                shifted[k] = v
            typed = shifted
        undo.append(before)
        # Nothing typed is ever lost: in use or kept, every last-typed value is there.
        everything = flat(iv.everything())
        for k, v in typed.items():
            assert everything.get(k) == v, f"{k} was lost after {op}"
    # The profile in use equals applying the same final answers directly.
    assert iv.answers == direct(equipment, typed, people)
    # The kept answers are exactly those typed that the profile does not use.
    used = flat(iv.answers)
    for k in typed:
        assert (k in used) != (k in flat(iv.kept) or any(k.startswith(r + "[") for r in iv.kept)), k


def finished_proton() -> Interview:
    """A proton interview answered to the end: yes to every yes/no, the first choice, 5s."""
    iv = make("proton")
    added = 0
    while (step := iv.next()) is not None:
        fact = step.fact
        if fact.key == ADD:
            iv.set(step, added < 2)
            added += 1
        elif fact.type == "bool":
            iv.set(step, False if step.key == "institution.new_build" else True)
        elif fact.type == "int":
            iv.set(step, max(fact.min, min(fact.max, 5)))
        elif fact.type == "choice":
            iv.set(step, fact.choices[0].key)
        elif fact.type == "set":
            iv.set(step, [fact.choices[0].key])
        else:
            iv.set(step, "某人")
    return iv


def test_editing_an_early_answer_asks_only_what_it_opens_and_keeps_the_rest():
    iv = finished_proton()
    before = flat(iv.answers)
    assert iv.answers["institution.new_build"] is False
    iv.edit("institution.new_build", "是")
    assert iv.answers["institution.new_build"] is True
    # The new-build exemption waives clauses: their answers are kept, unused, not lost.
    assert iv.kept, "a new-build institution needs fewer answers"
    for k, v in flat(iv.kept).items():
        assert before[k] == v
    for k, v in flat(iv.answers).items():
        if k != "institution.new_build":
            assert before[k] == v
    unused = [it.key for it in review(iv) if not it.used]
    assert sorted(unused) == sorted(flat(iv.kept))
    # Changing it back loses nothing: every answer is in use again, nothing is asked.
    iv.edit("institution.new_build", "否")
    assert flat(iv.answers) == before
    assert iv.kept == {}
    assert iv.next() is None


def test_back_after_an_edit_undoes_the_edit_only():
    iv = finished_proton()
    before = copy.deepcopy(iv.answers)
    iv.edit("institution.new_build", "是")
    assert iv.back()
    assert iv.answers == before and iv.kept == {}
    assert iv.next() is None


def test_undo_history_records_changes_not_copies_of_the_answers():
    iv = finished_proton()
    # One answer to one person's field is one recorded change (plus its skipped mark at most).
    last = iv.history[-1]
    assert len(last.changes) <= 3
    for change in (c for op in iv.history for c in op.changes):
        assert not (isinstance(change[-1], dict) and change[-1] is iv.answers), "a copy of the answers"


def test_people_added_and_removed_after_finishing_and_after_resume():
    iv = finished_proton()
    n = len(iv.answers[STAFF])
    iv.add_person(STAFF)
    step = iv.next()
    assert step.key == f"{STAFF}[{n}].role"
    iv.answer("1")
    assert iv.next().key == f"{STAFF}[{n}].name"
    iv.answer("新来的医生")
    # Only what decides this person's qualification, then "add another?".
    while (step := iv.next()) is not None and step.fact.key != ADD:
        assert step.key.startswith(f"{STAFF}[{n}].")
        iv.skip()
    assert step is not None and step.key == f"{STAFF}.add"
    iv.answer("否")
    assert iv.next() is None or iv.next().key.startswith(f"{STAFF}[{n}]")
    names = [p["name"] for p in iv.answers[STAFF]]
    iv.remove_person(STAFF, 0)
    assert [p["name"] for p in iv.answers[STAFF]] == names[1:]
    assert iv.back()
    assert [p["name"] for p in iv.answers[STAFF]] == names

    # Resumed in the middle of a person: their missing fields, then "add another?".
    saved = copy.deepcopy(iv.answers)
    person = saved[STAFF][-1]
    for fld in [k for k in person if k not in ("role", "name")]:
        del person[fld]
    again = resume(iv.rs, "proton", iv.questions, saved)
    keys = []
    while (step := again.next()) is not None and step.fact.key != ADD:
        keys.append(step.key)
        again.skip()
    assert step is not None and step.key == f"{STAFF}.add", keys
    again.answer("是")
    assert again.next().key == f"{STAFF}[{len(saved[STAFF])}].role"


def test_the_estimate_never_rises_by_more_than_an_answer_added():
    iv = make("pet_ct")
    left, _ = estimate(iv)
    while (step := iv.next()) is not None:
        before = set(k for k in iv.needed() if k not in iv.skipped)
        iv.skip() if step.fact.type == "text" else iv.set(step, True if step.fact.type == "bool" else 5)
        if iv.next() is None:
            break
        now, more = estimate(iv)
        added = set(k for k in iv.needed() if k not in iv.skipped) - before
        assert now <= left - 1 + len(added) + 1, (step.key, left, now)
        left = now


def test_find_by_key_or_unique_part_of_the_label():
    iv = finished_proton()
    assert find(iv, "institution.new_build") == ["institution.new_build"]
    label = iv.by_key["institution.new_build"].fact.label.zh
    assert "institution.new_build" in find(iv, label)
    assert find(iv, "no such thing at all") == []


def test_an_answer_given_before_it_matters_comes_back_without_asking_when_it_does():
    # A new-build institution is not examined on (一) (PET/CT （六）), so the nuclear medicine
    # department's years do not matter yet: typed ahead, the answer is kept but not used.
    iv = make("pet_ct", {"institution.name": "某医院", "institution.new_build": True})
    iv.edit("pet_ct.nuclear_medicine_years", "5")
    assert "pet_ct.nuclear_medicine_years" not in iv.answers
    assert iv.kept == {"pet_ct.nuclear_medicine_years": 5}
    iv.edit("institution.new_build", "否")  # now (一) is examined, and the years matter
    asked = []
    while (step := iv.next()) is not None:
        asked.append(step.key)
        if step.fact.type in ("bool", "choice"):
            iv.answer("否" if step.fact.type == "bool" else "1")
        else:
            iv.skip()
    assert "pet_ct.nuclear_medicine_years" not in asked
    assert iv.answers["pet_ct.nuclear_medicine_years"] == 5 and iv.kept == {}
