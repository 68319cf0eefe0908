"""The evaluator's contract with its callers: a run that reads only verdicts builds no word,
and what a verdict says, whenever it is read, is about the answers it was decided on."""

from __future__ import annotations

from cli_helpers import examples

from assistant.core.evaluate import evaluate
from assistant.core.profile.document import load


def test_summary_and_quiet_runs_say_nothing(monkeypatch):
    """``check --summary`` and ``--quiet`` read verdicts and counts only: no message is
    built for any clause (the explainer is made to fail here)."""
    import assistant.core.evaluate as evaluator
    from assistant.cli.batch import check_one

    def refuse(*_a, **_k):
        raise AssertionError("a message was built")

    full = {ex: check_one(str(ex), "zh", None, "2026-01-01") for ex in examples()}
    monkeypatch.setattr(evaluator, "words", refuse)
    for ex, o in full.items():
        verdicts = check_one(str(ex), "zh", None, "2026-01-01", verdicts_only=True)
        assert verdicts.code == o.code
        assert verdicts.verdicts == {k: o.report[k] for k in ("institution", "equipment", "status", "counts")}


def test_words_read_later_are_about_the_answers_evaluated():
    """The caller may change its answers after evaluating (the interview does, after every
    answer): words worked out afterwards still describe what was evaluated."""
    ex = next(p for p in examples() if p.name.startswith("proton"))
    prof, rs = load(ex.read_bytes(), ex.name)
    answers = prof.answers
    said_at_once = evaluate(rs, prof.equipment, answers, say=True, people=True)
    later = evaluate(rs, prof.equipment, answers)
    answers["proton.imrt_years"] = 1
    answers["proton.clinical_staff"][0]["title"] = "junior"
    answers["proton.clinical_staff"].pop()
    for a, b in zip(said_at_once.results, later.results, strict=True):
        assert (a.status, a.reason, a.shortfall, a.persons, a.missing) == (
            b.status,
            b.reason,
            b.shortfall,
            b.persons,
            b.missing,
        )
    assert said_at_once.people == later.people


def test_lazily_said_equals_said_at_once():
    for ex in examples():
        prof, rs = load(ex.read_bytes(), ex.name)
        assert evaluate(rs, prof.equipment, prof.answers) == evaluate(
            rs, prof.equipment, prof.answers, say=True
        )
