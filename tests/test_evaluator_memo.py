"""Remembering verdicts never changes one.

The evaluator remembers, per ruleset, each comparison's finding and each institution-scope
rule's result said at once (``say=True``) by the answers it read (a batch asks the same
questions thousands of times).
Here thousands of generated profiles, the examples and the clause cases are evaluated with
the memory cold, warm, and switched off; every verdict, reason (in both languages),
shortfall, missing fact, waiver and person summary must be the same.
"""

from __future__ import annotations

import random
import tomllib

import pytest
import tomli_w
from cli_helpers import examples, forget_verdicts
from conftest import CASES

from assistant.core.evaluate import evaluate as run
from assistant.core.profile.document import load
from assistant.core.rules import loader
from assistant.core.rules.memo import Memo
from assistant.core.rules.model import EQUIPMENT_KEYS
from tests.benchmarks.generate import profile_text


def _snapshot(ev) -> list:
    rules = [
        (
            r.rule.id, r.status, r.reason.zh, r.reason.en, [m.zh + m.en for m in r.shortfall],
            list(r.missing), [(w.exemption, w.ground) for w in r.waived_by], [m.zh + m.en for m in r.advice],
            [(f.fact, f.ok, f.msg.zh, f.msg.en) for f in r.findings],
            [(p.index, p.status, p.reason.zh, p.reason.en) for p in r.persons],
        )
        for r in ev.results
    ]  # fmt: skip
    people = [
        (p.roster, p.index, p.qualified, p.route.zh, p.route.en, [m.en for m in p.lacks]) for p in ev.people
    ]
    return [ev.status, dict(ev.counts), rules, people]


def _profiles(n: int) -> list[tuple]:
    rnd = random.Random(20261130)
    out = []
    for i in range(n):
        text = profile_text(EQUIPMENT_KEYS[i % len(EQUIPMENT_KEYS)], rnd)
        out.append(load(text.encode("utf-8"), f"gen{i}.toml"))
    for ex in examples():
        out.append(load(ex.read_bytes(), ex.name))
    return out


def test_remembered_verdicts_equal_computed_ones(monkeypatch):
    profiles = _profiles(1500)
    monkeypatch.setattr(Memo, "remember_answers", False)
    expected = [_snapshot(run(rs, p.equipment, p.answers)) for p, rs in profiles]
    monkeypatch.setattr(Memo, "remember_answers", True)
    forget_verdicts()
    # Verdicts are remembered when said at once (say=True): a report's, which reads them all.
    cold = [_snapshot(run(rs, p.equipment, p.answers, say=True)) for p, rs in profiles]
    warm = [_snapshot(run(rs, p.equipment, p.answers, say=True)) for p, rs in profiles]
    for i, (e, c, w) in enumerate(zip(expected, cold, warm, strict=True)):
        assert c == e, f"profile {i}: a remembered verdict differs from the computed one"
        assert w == e, f"profile {i}: a verdict remembered from another profile differs"
    hits = sum(rs.memo.size("verdict") for rs in loader.bundled())
    assert hits, "the memory was used (otherwise this test proves nothing)"


@pytest.mark.parametrize("case", sorted(CASES.glob("*.toml")), ids=lambda p: p.stem)
def test_clause_cases_agree_with_the_memory_off(case, monkeypatch):
    """The hand-written clause cases sit on every boundary (a threshold met exactly, an
    exemption ground open): evaluated one after another, each with the memory warm from
    the cases before it, none may differ from the same case computed afresh."""
    cases = tomllib.loads(case.read_text("utf-8"))["cases"]
    assert cases
    for c in cases:
        doc = {"schema_version": 1, "equipment": case.stem, "institution": {}, **c["profile"]}
        prof, rs = load(tomli_w.dumps(doc).encode("utf-8"), case.name)
        monkeypatch.setattr(Memo, "remember_answers", False)
        expected = _snapshot(run(rs, prof.equipment, prof.answers))
        monkeypatch.setattr(Memo, "remember_answers", True)
        assert _snapshot(run(rs, prof.equipment, prof.answers, say=True)) == expected, c["rule"]
        assert _snapshot(run(rs, prof.equipment, prof.answers, say=True)) == expected, c["rule"]


def test_roster_summaries_asked_for_at_once_keep_to_the_evaluated_answers():
    """The interview changes its answers in place after each evaluation: summaries it asked
    for at once describe the staff evaluated, not the staff as changed afterwards."""
    ex = next(p for p in examples() if p.name.startswith("proton"))
    prof, rs = load(ex.read_bytes(), ex.name)
    staff = prof.answers["proton.clinical_staff"]
    assert len(staff) > 1
    ev = run(rs, prof.equipment, prof.answers, say=True, people=True)
    expected = [(p.index, p.name, p.qualified) for p in run(rs, prof.equipment, prof.answers).people]
    staff.pop()
    assert [(p.index, p.name, p.qualified) for p in ev.people] == expected
