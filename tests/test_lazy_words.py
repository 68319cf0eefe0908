"""Verdicts decided by truth alone, words worked out when read.

``evaluate`` decides each verdict (status, missing facts, waivers) with the compiled truth of
the conditions and walks them for the messages only when a reason, shortfall, advice, person
result or finding is first read; ``say=True`` decides and says in one walk. Both must give
the same results to the letter, with and without the evaluator's memories, for the examples,
generated profiles and Hypothesis answers (rosters included); and a sheet that reads only
statuses must leave met verdicts unsaid.
"""

from __future__ import annotations

import random

import pytest
from cli_helpers import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import answers_for, facts_for, person_of

from assistant.core import conditions, loader
from assistant.core import evaluate as evaluator
from assistant.core.evaluate import evaluate
from assistant.core.model import EQUIPMENT_KEYS
from assistant.core.profile import load
from assistant.reports import lean
from tests.benchmarks.generate import profile_text


def _forget() -> None:
    for rs in loader.bundled():
        for key in ("compare", "institution_rule"):
            rs._memo.pop(key, None)


@pytest.fixture(params=[True, False], ids=["memory", "no-memory"])
def memory(request, monkeypatch):
    monkeypatch.setattr(evaluator, "MEMO", request.param)
    monkeypatch.setattr(conditions, "MEMO", request.param)
    _forget()
    yield request.param
    _forget()


def _profiles(n: int) -> list[tuple]:
    rnd = random.Random(11)
    out = [load(ex.read_bytes(), ex.name) for ex in examples()]
    for i in range(n):
        text = profile_text(EQUIPMENT_KEYS[i % len(EQUIPMENT_KEYS)], rnd)
        out.append(load(text.encode("utf-8"), f"gen{i}.toml"))
    return out


def _said(ev) -> list[tuple]:
    """Everything a result says, field by field (a failure names the field and the rule)."""
    return [
        (r.id, r.status, r.missing, r.waived_by, r.reason, r.shortfall, r.advice, r.persons, r.findings)
        for r in ev.results
    ]


def _same(rs, equipment: str, answers: dict, where: str) -> None:
    lazy = evaluate(rs, equipment, answers)
    # The verdicts are read before any word is: what a sheet of statuses sees.
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
    for prof, rs in _profiles(250):
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


def test_a_sheet_of_statuses_asks_no_met_verdict_what_it_says():
    """CSV, XLSX and the statistics read statuses and the facts behind a not-met verdict:
    a met one is never walked for its words."""
    _forget()
    prof, rs = next(
        (p, r) for p, r in (load(ex.read_bytes(), ex.name) for ex in examples()) if p.equipment == "proton"
    )
    ev = evaluate(rs, prof.equipment, prof.answers)
    sheet = lean.build(prof, rs, ev, "zh", "2026-01-01", words=False)
    met = [r for r in ev.results if r.status == "met"]
    assert met
    assert all(r._say is not None for r in met)  # still unsaid
    assert all("reason" not in item for item in sheet["rules"])
    full = lean.build(prof, rs, ev, "zh", "2026-01-01")
    assert all(r._say is None for r in ev.results)
    assert [i["status"] for i in full["rules"]] == [i["status"] for i in sheet["rules"]]
