"""One institution clause: its applicability, condition, the grounds that can waive it and its
recommendation, put together into a verdict — the precedence, written once — and the words of
that verdict.

A clause passes (met, exempt, not applicable) or fails (not met). Its status:
- when it does not apply (``applies_when`` false: another kind of device, institution or
  applicant): **not applicable**, waived or not — a clause that says nothing of this
  applicant has nothing to waive, so one situation has one status in every clause;
- otherwise, a ground that holds waives it: **exempt**, whatever its own facts (（六）"不考察"
  means it is not examined); the reason adds whether its own conditions were met too;
- otherwise, when its condition holds: **met** — also while whether it applies, or whether a
  ground waives it, is still open: it passes either way, and the reason says that this is
  open and does not matter;
- otherwise, when it applies, fails and no ground can still waive it: **not met**;
- otherwise three-valued logic leaves it open, and the exact check (``exact.py``) decides
  whether the answers still to come can make it pass and can make it fail: only then is it
  **open** (待定). Passing whatever they are, it is met when it is met in some of those
  completions (it applies and is not waived there), else not applicable, else exempt;
  failing whatever they are, not met.

The facts an open clause misses are the grounds' first, then its applicability's (or, when it
applies, its condition's), kept to those whose answer can still decide it; a clause not met
misses the unanswered parts of its condition (so a report can say everything lacking); the
facts of a recommendation (宜) are missed while the clause applies, so that it can be given.
"""

from __future__ import annotations

import time

from ..text.i18n import Msg
from ..text.messages import listed, msg
from .node import NOTHING, Env
from .plan import NO_SCOPE, Parts
from .results import Finding, Waiver
from .shape import split_var


class Verdict:
    """A clause's verdict without its words. ``how``: ``kleene`` (three-valued logic decided
    it, or left it open without the exact check), ``exact`` (the exact check decided it) or
    ``open`` (the exact check found answers that pass it and answers that fail it: the
    ``witnesses``)."""

    __slots__ = (
        "rule", "status", "_missing", "waived_by", "applies", "own", "open_grounds", "how",
        "open_facts", "_witnesses", "persons",
    )  # fmt: skip

    def __init__(self, rule, status, missing=NOTHING, waived_by=(), applies=True, own=None,
                 open_grounds=(), *, how="kleene", open_facts=NOTHING, witnesses=None, persons=()):  # fmt: skip
        self.rule, self.status, self._missing, self.waived_by = rule, status, missing, waived_by
        self.applies, self.own, self.open_grounds, self.how = applies, own, open_grounds, how
        self.open_facts, self._witnesses, self.persons = open_facts, witnesses, persons

    @property
    def missing(self) -> tuple[str, ...]:
        """The facts it misses; for a clause the exact check left open, worked out when
        first asked (which of them can decide it is a search of its own)."""
        m = self._missing
        if callable(m):
            m = self._missing = m()
        return m

    @property
    def witnesses(self) -> tuple | None:
        """For a clause the exact check left open: answers under which it passes and answers
        under which it fails (found when first asked, where that is a search of its own)."""
        w = self._witnesses
        if callable(w):
            w = self._witnesses = w()
        return w

    def forget_witnesses(self) -> None:
        """Before the verdict is remembered across runs: the witnesses not yet found would
        keep this run alive (a remembered verdict has none to show)."""
        if callable(self._witnesses):
            self._witnesses = None

    def __repr__(self) -> str:
        return f"Verdict({self.rule.id!r}, {self.status!r}, {self.how}, missing={self.missing!r})"


def waiver(ex, key: str) -> Waiver:
    g = next(g for g in ex.grounds if g.key == key)
    return Waiver(ex.id, ex.clause, key, Msg(g.label.zh, g.label.en))


def advice_missing(run, p: Parts, env: Env, applies, status: str) -> tuple[str, ...]:
    """The facts of a recommendation, asked while the clause applies (or may, when open)."""
    if p.advice is None or not run.exact or status in ("exempt", "not_applicable"):
        return NOTHING
    if applies is not True and status != "unknown":
        return NOTHING
    value, missing = p.advice.decide(env)
    return missing if value is None else NOTHING


def institution_verdict(run, rule) -> Verdict:
    p = run.parts[rule.id]
    env = run.env
    waivers, open_grounds, ground_missing = [], (), NOTHING
    for ex, gkey, node in p.grounds:
        value, ms = node.decide(env)
        if value is True:
            waivers.append(waiver(ex, gkey))
        elif value is None:
            open_grounds += (ex,)
            ground_missing += ms
    a, am = p.applies.decide(env) if p.applies is not None else (True, NOTHING)
    c, cm = p.condition.decide(env)
    if a is False:  # not this kind of device (institution, base): nothing to waive
        return Verdict(rule, "not_applicable", NOTHING, (), a, c, open_grounds)
    if waivers:
        return Verdict(rule, "exempt", NOTHING, tuple(waivers), a, c, open_grounds)
    if c is True:
        return Verdict(rule, "met", advice_missing(run, p, env, a, "met"), (), a, c, open_grounds)
    if a is True and c is False and not open_grounds:
        missing = (p.condition.lacking(env) if run.exact else NOTHING) + advice_missing(
            run, p, env, a, "not_met"
        )
        return Verdict(rule, "not_met", missing, (), a, c, open_grounds)
    missing = ground_missing + (am if a is None else cm if c is None else NOTHING)
    if not run.exact:
        return Verdict(rule, "unknown", missing, (), a, c, open_grounds)
    return exactly(run, p, missing, {"applies": a, "own": c, "open_grounds": open_grounds})


def exactly(run, p: Parts, missing: tuple[str, ...], seen: dict) -> Verdict:
    """A clause three-valued logic leaves open, decided by the exact check."""
    rule, env, search = p.rule, run.env, run.search
    start = time.perf_counter()
    top = p.side
    passing, failing, probed = search.classify(top, missing, p.plain and search.shape.free(p))
    search.rules += 1
    try:
        if passing is not None and failing is not None:
            advice = advice_missing(run, p, env, seen["applies"], "unknown")

            def keep() -> tuple[str, ...]:
                start = time.perf_counter()
                try:
                    return search.deciding(top, missing, probed, p.plain) + advice
                finally:
                    search.seconds += time.perf_counter() - start

            return Verdict(
                rule,
                "unknown",
                keep,
                how="open",
                open_facts=missing,
                witnesses=search.found(top, passing, failing),
                **seen,
            )
        if failing is None:
            status = passing_status(run, p)
            more = advice_missing(run, p, env, seen["applies"], status)
            return Verdict(rule, status, more, how="exact", open_facts=missing, **seen)
        more = advice_missing(run, p, env, seen["applies"], "not_met")
        return Verdict(rule, "not_met", more, how="exact", open_facts=missing, **seen)
    finally:
        search.seconds += time.perf_counter() - start


def passing_status(run, p: Parts) -> str:
    """The status of a clause that passes whatever the open answers are: met when some of
    them make it apply unwaived, else not applicable when some make it not apply, else
    exempt."""
    search = run.search
    grounds = tuple(("node", g[2], NO_SCOPE) for g in p.grounds)
    unwaived = ("not", ("or", grounds)) if grounds else ("const", True)
    applies = ("node", p.applies, NO_SCOPE) if p.applies is not None else ("const", True)
    if search.possible(("and", (unwaived, applies))):
        return "met"
    if search.possible(("and", (unwaived, ("not", applies)))):
        return "not_applicable"
    return "exempt"


# --- words ------------------------------------------------------------------------------


def notes(run, v) -> list[Msg]:
    """Why a clause passes (or fails) although some of its facts are open."""
    out = []
    if v.how == "exact":
        facts = _labels(run, v.open_facts)
        out.append(msg("evaluate.clause.unanswered_cannot_change_it", facts=facts))
        return out
    if v.applies is None:
        out.append(msg("evaluate.clause.whether_it_applies_is_open"))
    if v.open_grounds and v.status == "met":
        clauses = listed(dict.fromkeys(ex.clause for ex in v.open_grounds))
        out.append(msg("evaluate.clause.whether_waives_it_is_open", clauses=clauses))
    return out


def with_notes(reason: Msg, extra: list[Msg]) -> Msg:
    if not extra:
        return reason
    joined = Msg.join(extra)
    if not reason:
        return joined
    return reason + msg("evaluate.clause.text", joined=joined)


def _labels(run, keys) -> Msg:
    """The labels of facts (a person's field with the person's name), quoted."""
    items = []
    for key in dict.fromkeys(keys):
        roster, index, field = split_var(key)
        if roster is None:
            fact = run.rs.facts.get(key)
            items.append(msg("evaluate.clause.quoted_label", label=fact.label) if fact else key)
            continue
        parent = run.rs.facts.get(roster)
        fld = parent.fields_by_key.get(field) if parent is not None else None
        people = run.answers.get(roster) or []
        who = (people[index].get("name") if index < len(people) else None) or f"#{index + 1}"
        items.append(msg("evaluate.clause.whose_label", who=who, label=fld.label) if fld else key)
    return listed(items)


def own_words(p: Parts, applies: tuple, condition: tuple, how: str = "kleene") -> tuple[Msg, list[Finding]]:
    """What a clause's own text says of the answers (exemptions aside). Decided by the
    exact check, everything it read is said (what is answered and what is not)."""
    a, af = applies
    c, cf = condition
    rule = p.rule
    if how == "exact" and a is not False:
        findings = (af if a is None else []) + cf
        return Msg.join([f.msg for f in findings]), findings
    if a is False:
        return Msg(rule.not_applicable.zh, rule.not_applicable.en), af
    if a is None and c is not True:
        return msg("evaluate.clause.whether_it_applies_is_open_2") + Msg.join([f.msg for f in af]), af
    if c is None:
        return Msg.join([f.msg for f in cf if f.ok is None]), cf
    return Msg.join([f.msg for f in cf]), cf


def exempt_note(v) -> Msg:
    if v.own is True:
        return msg("evaluate.clause.its_own_conditions_are_met")
    if v.applies is True and v.own is False:
        return msg("evaluate.clause.its_own_conditions_are_not")
    return msg("evaluate.clause.its_own_facts_are_not")


def institution_words(run, v, sink=None):
    """(reason, shortfall, advice, findings) of an institution clause's verdict. With a
    ``sink`` every part is explained, so that it records each leaf (``medequip explain``);
    without, only the parts the words use."""
    p = run.parts[v.rule.id]
    grounds, applies, condition, advice_said = _explained(run, p, v, sink)
    status = v.status
    if status == "exempt":
        return _exempt_reason(run, v), (), (), ()
    reason, findings = own_words(p, applies, condition, v.how)
    shortfall: tuple = ()
    if status == "unknown" and v.open_grounds:
        open_ground_findings = [f for ex, (value, fs) in grounds if value is None for f in fs]
        if v.applies is True and v.own is False:
            clause = v.open_grounds[0].clause
            reason = msg("evaluate.clause.whether_waives_it_is_open_2", clause=clause) + Msg.join(
                [f.msg for f in open_ground_findings]
            )
            shortfall = tuple(f.msg for f in findings if f.ok is False)
        findings = open_ground_findings + findings
    elif status == "not_met":
        shortfall = tuple(f.msg for f in findings if f.ok is False) or (reason,)
    if status in ("met", "not_met", "not_applicable"):
        reason = with_notes(reason, notes(run, v))
        if status == "not_met" and v.how == "exact":
            shortfall = (reason,) if not shortfall else shortfall
    advice: tuple = ()
    if advice_said is not None and status != "not_applicable" and advice_said[0] is False:
        advice = tuple(msg("evaluate.clause.recommended") + f.msg for f in advice_said[1] if f.ok is False)
    return reason, shortfall, advice, tuple(findings)


def _explained(run, p: Parts, v, sink) -> tuple[list, tuple, tuple, tuple | None]:
    """The parts of a clause its words use, explained (every part, for a ``sink``): the
    grounds as (exemption, (value, findings)), then applicability, condition and advice."""
    env, status, every = run.env, v.status, sink is not None
    grounds = []
    for ex, gkey, node in p.grounds:
        if every or (status == "unknown" and ex in v.open_grounds):
            if sink is not None:
                sink.enter(f"{ex.id}:{gkey}")
            grounds.append((ex, node.explain(env, sink)))
    if sink is not None:
        sink.enter("applies")
    if p.applies is not None and (every or v.applies is not True):
        applies = p.applies.explain(env, sink)
    else:
        applies = (True if p.applies is None else v.applies, [])
    if sink is not None:
        sink.enter("condition")
    condition = p.condition.explain(env, sink) if every or status != "exempt" else (v.own, [])
    advice_said = None
    if p.advice is not None and (every or status in ("met", "not_met", "unknown")):
        if sink is not None:
            sink.enter("advice")
        advice_said = p.advice.explain(env.recommending(), sink)
    return grounds, applies, condition, advice_said


def _exempt_reason(run, v) -> Msg:
    if v.waived_by:
        said = Msg.join(
            [msg("evaluate.clause.waived_by_applicant", clause=w.clause, label=w.label) for w in v.waived_by]
        )
    else:
        said = msg("evaluate.clause.waived_whatever_open_answers_are")
    note = exempt_note(v)
    reason = said + msg("evaluate.clause.text_2", note=note)
    return with_notes(reason, notes(run, v) if v.how == "exact" else [])
