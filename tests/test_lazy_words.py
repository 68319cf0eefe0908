"""Verdicts decided by truth alone, words worked out when read.

``evaluate`` decides each verdict (status, missing facts, waivers) with the compiled truth of
the conditions and walks them for the messages only when a reason, shortfall, advice, person
result or finding is first read; ``say=True`` decides and says in one walk. Both must give
the same results to the letter, with and without the evaluator's memories, for the examples,
generated profiles and Hypothesis answers (rosters included); and a run that reads only
verdicts (``check --summary``, ``--quiet``) must say nothing.
"""

from __future__ import annotations

import pytest
from cli_helpers import examples, forget_verdicts, loaded_profiles
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import answers_for, facts_for, person_of

from assistant.core import conditions, loader
from assistant.core import evaluate as evaluator
from assistant.core.evaluate import evaluate
from assistant.core.model import EQUIPMENT_KEYS


@pytest.fixture(params=[True, False], ids=["memory", "no-memory"])
def memory(request, monkeypatch):
    monkeypatch.setattr(evaluator, "MEMO", request.param)
    monkeypatch.setattr(conditions, "MEMO", request.param)
    forget_verdicts()
    yield request.param
    forget_verdicts()


def _said(ev) -> list[tuple]:
    """Everything a result says, field by field (a failure names the field and the rule)."""
    return [
        (r.id, r.status, r.missing, r.waived_by, r.reason, r.shortfall, r.advice, r.persons, r.findings)
        for r in ev.results
    ]


def _same(rs, equipment: str, answers: dict, where: str) -> None:
    lazy = evaluate(rs, equipment, answers)
    # The verdicts are read before any word is: what --summary and --quiet see.
    verdicts = [(r.id, r.status, r.missing, r.waived_by) for r in lazy.results]
    said = evaluate(rs, equipment, answers, say=True)
    assert verdicts == [(r.id, r.status, r.missing, r.waived_by) for r in said.results], where
    assert lazy.status == said.status and lazy.counts == said.counts, where
    for got, want in zip(_said(lazy), _said(said), strict=True):
        assert got == want, (where, got[0])
    assert lazy.people == said.people, where
    assert lazy == said, where


def test_lazy_and_said_agree_on_examples_and_generated_profiles(memory):
    statuses = set()
    for prof, rs in loaded_profiles(250, 11):
        _same(rs, prof.equipment, prof.answers, prof.source)
        statuses |= {r.status for r in evaluate(rs, prof.equipment, prof.answers).results}
    # Every kind of verdict was compared, not only the easy ones.
    assert statuses == {"met", "not_met", "exempt", "not_applicable", "unknown"}


@pytest.mark.parametrize("equipment", EQUIPMENT_KEYS)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_lazy_and_said_agree_on_any_answers(equipment, data):
    answers = data.draw(answers_for(equipment))
    roster = next((f for f in facts_for(equipment).values() if f.type == "roster"), None)
    if roster is not None and data.draw(st.booleans()):
        answers[roster.key] = data.draw(st.lists(person_of(roster), max_size=8))
    _same(loader.for_equipment(equipment), equipment, answers, equipment)


def test_summary_and_quiet_runs_say_nothing(monkeypatch):
    """``check --summary`` and ``--quiet`` read verdicts and counts only: no message is
    built for any clause (the walk that builds them is made to fail here)."""
    from assistant.cli.batch import check_one
    from assistant.core import clause

    def refuse(*_a, **_k):
        raise AssertionError("a message was built")

    full = {ex: check_one(str(ex), "zh", None, "2026-01-01") for ex in examples()}
    monkeypatch.setattr(evaluator, "institution_words", refuse)
    monkeypatch.setattr(evaluator, "base", refuse)
    monkeypatch.setattr(clause, "evaluate_condition", refuse)
    for ex, o in full.items():
        slim = check_one(str(ex), "zh", None, "2026-01-01", slim=True)
        assert slim.code == o.code
        assert slim.brief == {k: o.report[k] for k in ("institution", "equipment", "status", "counts")}
