"""A count that is part of another (其中 …) can never be larger than it.

The pairs below are read from the standards' own wording ("…不少于 3 名，其中至少 2 名…"),
not from the ruleset, so a missing ``at_most`` in the data fails here.
"""

from __future__ import annotations

import pytest

from assistant.core.profile.answers import AnswerError
from assistant.core.rules import loader
from assistant.core.rules.checks.consistency import conflicts, reference_problems
from assistant.interview import questions
from assistant.interview.engine import Interview, Step

PARTS = [
    ("proton", "proton.base_instructing_chief_physicians", "proton.base_instructing_physicians"),
    ("proton", "proton.base_researcher_physicists", "proton.base_physicists"),
    ("pet_ct", "pet_ct.senior_nm_imaging_staff_trained", "pet_ct.licensed_nm_imaging_staff"),
    ("pet_mr", "pet_mr.experienced_radiopharmaceutical_staff", "pet_mr.radiopharmaceutical_staff"),
    ("laparoscopic_robot", "laparoscopic_robot.senior_clinicians", "laparoscopic_robot.clinicians"),
]


def _step(iv: Interview, key: str) -> Step:
    q = iv.by_key[key]
    return Step(key, q, q.fact)


@pytest.mark.parametrize("equipment,part,whole", PARTS)
def test_the_data_declares_each_part_of_a_count(equipment, part, whole):
    rs = loader.for_equipment(equipment)
    assert rs.facts[part].at_most == whole


@pytest.mark.parametrize("equipment,part,whole", PARTS)
def test_the_interview_refuses_a_part_larger_than_its_whole_naming_both(equipment, part, whole):
    rs = loader.for_equipment(equipment)
    iv = Interview(rs, equipment, questions.load(rs, equipment), answers={whole: 3})
    with pytest.raises(AnswerError) as e:
        iv.parse(_step(iv, part), "5")
    for text in (e.value.msg.zh, e.value.msg.en):
        assert part in text and whole in text and "5" in text and "3" in text
    assert iv.parse(_step(iv, part), "3") == 3  # equal is fine: all of them


@pytest.mark.parametrize("equipment,part,whole", PARTS)
def test_the_whole_cannot_be_answered_below_a_part_given_first(equipment, part, whole):
    rs = loader.for_equipment(equipment)
    iv = Interview(rs, equipment, questions.load(rs, equipment), answers={part: 4})
    with pytest.raises(AnswerError) as e:
        iv.parse(_step(iv, whole), "二")
    assert part in e.value.msg.en and whole in e.value.msg.en
    assert iv.parse(_step(iv, whole), "十") == 10


def test_an_edit_that_would_break_the_relation_is_refused_and_changes_nothing():
    rs = loader.for_equipment("proton")
    given = {"proton.base_instructing_physicians": 3, "proton.base_instructing_chief_physicians": 2}
    iv = Interview(rs, "proton", questions.load(rs, "proton"), answers=dict(given))
    with pytest.raises(AnswerError):
        iv.edit("proton.base_instructing_physicians", "1")
    assert iv.answers == given


def test_conflicts_lists_only_answered_pairs_that_disagree():
    rs = loader.for_equipment("proton")
    answers = {
        "proton.base_instructing_physicians": 3,
        "proton.base_instructing_chief_physicians": 4,
        "proton.base_researcher_physicists": 9,  # its whole is not answered: nothing to compare
    }
    found = conflicts(rs.facts, answers)
    assert [(c.part, c.whole, c.part_value, c.whole_value) for c in found] == [
        ("proton.base_instructing_chief_physicians", "proton.base_instructing_physicians", 4, 3)
    ]


def test_every_bundled_reference_names_a_count():
    for eq in ("proton", "pet_ct"):
        assert reference_problems(loader.for_equipment(eq).facts) == []
