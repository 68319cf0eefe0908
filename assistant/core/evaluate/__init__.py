"""The evaluator: a pure function from (ruleset, equipment, answers) to verdicts.

May import: ``core.text``, ``core.io`` and ``core.rules`` (the model, messages, the memo store and
relations); nothing above it, never Textual or Rich.

Each kind of condition is one node class in its own module (``compare``, ``all_``, ``any_``,
``not_``, ``implies``, ``count``, ``qualified``, ``rules``): its truth (``decide``), what it
misses, its words (``explain``) and its parts, side by side (``node.py`` says how;
``compile.py`` builds the nodes once per ruleset). A clause puts its parts together in
``clause.py`` (the precedence, written once), a person clause in ``people.py``; ``exact.py``
decides what three-valued logic leaves open, so that a clause is open only when the answers
still to come can make it pass and can make it fail (``shape.py``: the values of a fact it
tries); ``plan.py`` holds a ruleset's clauses compiled, ``run.py`` one evaluation, and
``trace.py`` the sinks that ``medequip explain`` and ``medequip test --coverage`` read the
same evaluation through.

``evaluate`` works on its own copy of the answers, so what a verdict says, worked out when
first read, is always about the answers it was decided on.
"""

from __future__ import annotations

from .clause import Verdict, institution_words
from .compile import node_of
from .people import person_rule_words, summaries
from .plan import parts_of
from .results import Answers, Evaluation, ExactCost, Finding, RuleResult, Words
from .run import Run
from .trace import Recorder, Sink, Statuses

__all__ = [
    "Evaluation",
    "ExactCost",
    "Recorder",
    "RuleResult",
    "Sink",
    "Statuses",
    "evaluate",
    "holds",
    "trace",
]

_PLAIN = ("compare", "all", "any", "not", "implies")


def snapshot(answers: Answers) -> Answers:
    """The answers as evaluated: a copy no caller can change afterwards (lists, and the
    people of a roster, copied too)."""
    out = dict(answers)
    for key, value in out.items():
        if type(value) is list:
            out[key] = [dict(p) if type(p) is dict else p for p in value]
    return out


def words(run: Run, v: Verdict, sink: Sink | None = None) -> Words:
    if v.rule.scope == "person":
        reason, shortfall, persons = person_rule_words(run, v, sink)
        return Words(reason, shortfall, (), persons, ())
    reason, shortfall, advice, findings = institution_words(run, v, sink)
    return Words(reason, shortfall, advice, (), findings)


def _reads(run: Run) -> dict[str, tuple[str, ...] | None]:
    """Per institution clause of the run's equipment, every fact its verdict and words depend
    on (its parts, the grounds that can waive it and the facts a relation links them to), or
    None when they depend on more than facts (a count, a qualification, other clauses)."""
    memo = run.rs.memo.table("reads")
    hit = memo.get(run.equipment)
    if hit is None:
        hit = memo[run.equipment] = {
            rule.id: _facts_read(run, rule) for rule in run.rules if rule.scope == "institution"
        }
    return hit


def _facts_read(run: Run, rule) -> tuple[str, ...] | None:
    p = parts_of(run.rs, rule)
    nodes = [
        n for top in (p.applies, p.condition, p.advice, *(g[2] for g in p.grounds)) if top for n in top.walk()
    ]
    if not all(n.kind in _PLAIN for n in nodes):
        return None
    keys = dict.fromkeys(n.key for n in nodes if n.kind == "compare")
    grown = True
    while grown:
        grown = False
        for rel in run.rs.relations(run.equipment):
            if rel.roster is None and any(k in keys for k in rel.keys):
                for k in rel.keys:
                    if k not in keys:
                        keys[k] = None
                        grown = True
    return tuple(keys)


def _remembered(run: Run, rule, facts: tuple[str, ...] | None, memo: dict) -> RuleResult | None:
    """An institution clause's result said, remembered across a batch by the answers to the
    facts it reads (each fact has one type, and the types are part of the key: True == 1)."""
    values = tuple(map(run.answers.get, facts))
    types = tuple(map(type, values))
    if list in types:
        values = tuple(tuple(v) if type(v) is list else v for v in values)
        if any(type(x) is not str for v in values if type(v) is tuple for x in v):
            return None
    key = (rule.id, values, types)
    hit = memo.get(key)
    if hit is not None and hit[0] is rule:
        run.verdicts[rule.id] = hit[1]
        return hit[2]
    result = _result(run, rule, True)
    if run.rs.memo.room(memo, "verdict"):
        verdict = run.verdicts[rule.id]
        result.missing  # noqa: B018 - worked out now: what is remembered holds no run
        verdict.forget_witnesses()
        memo[key] = (rule, verdict, result)
    return result


def _result(run: Run, rule, say: bool) -> RuleResult:
    v = run.verdict(rule.id)
    said = words(run, v) if say else (lambda: words(run, v))
    return RuleResult(rule, v.status, said, v.waived_by, v)


def evaluate(
    rs, equipment: str, answers: Answers, say: bool = False, people: bool = False, sink: Sink | None = None
) -> Evaluation:
    """Evaluate every rule of ``equipment`` against ``answers`` (flat fact key -> value).

    Verdicts (status, missing facts, waivers) are decided at once; what each says (reasons,
    shortfalls, findings) and the roster summaries (``Evaluation.people``) are worked out
    when first read, from the evaluator's copy of the answers: a sheet of statuses never
    builds a message. ``say=True`` works the words out now, and remembers institution
    verdicts said so across a batch (a report reads every reason, and a batch's answers
    repeat); ``people=True`` the roster summaries. A ``sink`` is told every verdict."""
    run = Run(rs, equipment, snapshot(answers), remember=say)
    memo = rs.memo.answers("verdict") if say else None
    if memo is None:
        results = tuple(_result(run, r, say) for r in run.rules)
    else:
        reads = _reads(run)
        results = tuple(
            (facts is not None and _remembered(run, r, facts, memo)) or _result(run, r, say)
            for r in run.rules
            for facts in (reads.get(r.id),)
        )
    counts = {s: 0 for s in ("met", "not_met", "exempt", "not_applicable", "unknown")}
    for r in results:
        counts[r.status] += 1
    required = [r for r in results if r.rule.level == "required"]
    if any(r.status == "not_met" for r in required):
        overall = "not_compliant"
    elif any(r.status == "unknown" for r in required):
        overall = "incomplete"
    else:
        overall = "compliant"
    search = run._search
    cost = ExactCost(search.rules, search.evals, search.seconds, search.over) if search is not None else None
    ev = Evaluation(equipment, overall, results, lambda: tuple(summaries(run)), counts, cost)
    if people:
        ev.people  # noqa: B018
    if sink is not None:
        for r in results:
            sink.verdict(r)
    return ev


def trace(rs, equipment: str, answers: Answers, rule_id: str) -> list[tuple[str, Finding]]:
    """Every leaf of a clause (and of the grounds that could waive it), with the part it
    belongs to: the fact-by-fact account behind ``medequip explain``. Person clauses are
    traced once per person of their role; an exemption clause, ground by ground."""
    run = Run(rs, equipment, snapshot(answers))
    rec = Recorder()
    exemption = next((e for e in rs.exemptions_for(equipment) if e.id == rule_id), None)
    if exemption is not None:
        if exemption.scope == "person":
            roster = next((r.roster for r in run.rules if r.scope == "person"), None)
            for i, q in enumerate(run.answers.get(roster) or []):
                if q.get("role") != exemption.role:
                    continue
                for g in exemption.grounds:
                    rec.enter(f"{q.get('name') or f'#{i + 1}'}:{g.key}")
                    node_of(rs, g.when, roster).explain(run.env_at((roster, i)), rec)
        else:
            for g in exemption.grounds:
                rec.enter(f"{exemption.id}:{g.key}")
                node_of(rs, g.when).explain(run.env, rec)
        return rec.steps
    v = run.verdict(rule_id)
    said = words(run, v, rec)
    if v.rule.scope == "person" and not v.persons:
        # Nobody to check: say why, as the verdict does.
        people = run.answers.get(v.rule.roster)
        rec.enter("condition")
        rec.leaf(Finding(v.rule.roster or "", None, None if people is None else True, said.reason))
    return rec.steps


def holds(rs, cond, answers: Answers, equipment: str | None = None) -> bool | None:
    """The three-valued value of an institution condition (an evidence entry's ``when``)."""
    node = node_of(rs, cond)
    if node is None:
        return True
    run = Run(rs, equipment or next(iter(rs.data.ruleset.equipment)), answers, exact=False)
    return node.decide(run.env)[0]
