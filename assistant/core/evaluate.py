"""The evaluator: a pure function from (ruleset, equipment, answers) to verdicts.

Logic is three-valued (True / False / None for unknown). ``all`` with a false part is false
even when other parts are unknown; ``any`` with a true part is true. Every decided leaf keeps
a bilingual message, so a verdict can always say which facts decided it and by how much a
threshold was missed. Unknown results record the missing facts that would decide them: the
interview asks exactly those, which is how it skips what is exempt or not applicable.

A verdict (status, missing facts, waivers) is decided by the compiled truth of the
conditions; what it says is worked out by walking them when first read, or at once with
``say=True`` (``clause.py`` holds both for one clause). The two must agree on every verdict:
tests/test_lazy_words.py checks that they do.

Precedence, chosen so that answering a missing fact never moves a rule between the passing
side (met, exempt, not applicable) and not met:
- a rule met on its own facts is met, whatever the institution exemptions say: the text only
  lifts requirements ("新建机构不考察……");
- otherwise a true ground that waives it makes it exempt ("不考察" means not examined), also
  when it would not apply; a rule that does not apply stays so while a ground is open;
- otherwise, not met while a ground that could waive it is unanswered, it is unknown, and the
  missing facts are the grounds (the interview asks them); its own verdict stands else;
- per-person exemptions (the proton training exemptions) are alternative routes: a person
  who meets the rule is met, and only a person who does not is checked against them;
- a rule decided by other rules' verdicts (a ``rules`` condition) is evaluated after them;
  the loader refuses cycles.
"""

from __future__ import annotations

from .clause import base, base_verdict, ground, institution_words, waiver, waiver_verdict
from .conditions import Context, Partial, evaluate_condition, truth
from .i18n import Msg
from .loader import Ruleset, facts_read, walk
from .model import (
    All,
    Any_,
    Compare,
    Condition,
    Count,
    Implies,
    Not,
    Qualified,
    Rule,
    Rules,
)
from .results import (
    Answers,
    Evaluation,
    Finding,
    PersonResult,
    PersonSummary,
    RuleResult,
    Tri,
    Waiver,
    fmt_value,
)

# --- rules -----------------------------------------------------------------------------------

# Remember institution-scope verdicts per ruleset (``_Evaluator._institution_memo``); tests
# switch it off to check that remembering never changes a result.
MEMO = True
_MEMO_LIMIT = 5_000  # about 8 MB: peak memory stays flat, common combinations stay in
# Condition nodes whose value depends on nothing but the facts they name. A rule that uses
# anything else (a count over a roster, qualification, a future kind of condition) is
# never remembered.
_PLAIN_NODES = (All, Any_, Compare, Implies, Not)


def _reads(rs: Ruleset, rule: Rule) -> tuple[str, ...] | None:
    """Every fact an institution-scope rule's verdict depends on (its own conditions and the
    institution grounds that can waive it), or None when it depends on more than facts."""
    key = ("institution_reads", rule.id)
    if key in rs._memo:
        return rs._memo[key]
    conds = [rule.applies_when, rule.condition, rule.advice]
    conds += [
        next(g for g in ex.grounds if g.key == gkey).when
        for ex, gkey in rs.waivers_of(rule.id)
        if ex.scope == "institution"
    ]
    plain = all(type(n) in _PLAIN_NODES for c in conds for n in walk(c))
    out = tuple(dict.fromkeys(k for c in conds for k in facts_read(c))) if plain else None
    rs._memo[key] = out
    return out


def _plan(rs: Ruleset, equipment: str) -> tuple[tuple[Rule, ...], dict[str, Rule]]:
    """The rules of ``equipment`` in order and by id, once per ruleset: a batch evaluates
    thousands of profiles against the same few."""
    key = ("plan", equipment)
    hit = rs._memo.get(key)
    if hit is None:
        rules = tuple(rs.rules_for(equipment))
        hit = rs._memo[key] = (rules, {r.id: r for r in rules})
    return hit


class _Evaluator:
    def __init__(self, rs: Ruleset, equipment: str, answers: Answers, say: bool = False):
        self.rs = rs
        self.say = say  # work out what each verdict says with it (see ``evaluate``)
        self.equipment = equipment
        self.answers = answers
        self.rules, self._by_id = _plan(rs, equipment)
        self._qual: dict[tuple[str, int], Tri] = {}
        self._person_cache: dict[tuple[str, int, str], tuple[str, tuple[Waiver, ...], list[str]]] = {}
        self._person_reasons: dict[tuple[str, int, str], Msg] = {}
        self._results: dict[str, RuleResult] = {}

    def ctx(self, person: dict | None = None, roster: str | None = None, index: int | None = None) -> Context:
        return Context(self.rs, self.answers, person, roster, self.qualified, index, self.rules_verdict)

    def result(self, rule_id: str) -> RuleResult:
        """One rule's result, computed once; a rule decided by others computes them first
        (the loader has refused cycles, so this recursion ends)."""
        r = self._results.get(rule_id)
        if r is None:
            rule = self._by_id[rule_id]
            r = self.person_rule(rule) if rule.scope == "person" else self._institution_memo(rule)
            self._results[rule_id] = r
        return r

    def rules_verdict(self, cond: Rules) -> Partial:
        """A ``rules`` condition: every named required rule passes (met, exempt, not
        applicable) → true; one not met → false; else unknown, missing what they miss."""
        ids = [
            i for i in self.rs.rules_named(cond.rules, self.equipment) if self._by_id[i].level == "required"
        ]
        results = [self.result(i) for i in ids]
        bad = [r for r in results if r.status == "not_met"]
        open_ = [r for r in results if r.status == "unknown"]
        label = cond.label
        key = "rules:" + ",".join(cond.rules)

        def listed(rs: list[RuleResult]) -> Msg:
            return Msg(
                "、".join(f"{r.rule.clause}（{r.id}）" for r in rs),
                ", ".join(f"{r.rule.clause} ({r.id})" for r in rs),
            )

        if bad:
            msg = Msg(f"{label.zh}：{len(bad)} 条不符合：", f"{label.en}: {len(bad)} not met: ") + listed(bad)
            return Partial(False, [Finding(key, len(bad), False, msg)], [])
        if open_:
            msg = Msg(f"{label.zh}：{len(open_)} 条待定：", f"{label.en}: {len(open_)} open: ") + listed(
                open_
            )
            missing = list(dict.fromkeys(m for r in open_ for m in r.missing))
            return Partial(None, [Finding(key, len(open_), None, msg)], missing)
        msg = Msg(
            f"{label.zh}：{len(results)} 条均符合、豁免或不适用",
            f"{label.en}: all {len(results)} met, exempt or not applicable",
        )
        return Partial(True, [Finding(key, len(results), True, msg)], [])

    # person scope

    def person_rules(self, roster: str, role: str) -> tuple[Rule, ...]:
        key = ("person_rules", self.equipment, roster, role)
        hit = self.rs._memo.get(key)
        if hit is None:
            hit = self.rs._memo[key] = tuple(
                r for r in self.rules if r.scope == "person" and r.roster == roster and r.role == role
            )
        return hit

    def person_status(
        self, rule: Rule, index: int, person: dict
    ) -> tuple[str, tuple[Waiver, ...], list[str]]:
        """A person's verdict on a person-scope rule: status, the waivers that exempt them,
        the facts still missing. What it says is ``person_reason``."""
        key = (rule.roster or "", index, rule.id)
        hit = self._person_cache.get(key)
        if hit is not None:
            return hit
        ctx = self.ctx(person, rule.roster, index)
        reason = None
        if self.say:
            status, reason, _, missing = base(rule, ctx)
        else:
            status, missing = base_verdict(rule, ctx, exact=False)
        if status == "not_met":
            # A person who fails one route may qualify by another (the training exemptions);
            # completing the failed route's shortfall would ask what no longer matters.
            missing = []
        waivers: tuple[Waiver, ...] = ()
        if status in ("not_met", "unknown"):
            true_grounds, open_grounds = [], []
            for ex, gkey in self.rs.waivers_of(rule.id):
                if ex.scope != "person" or ex.role != person.get("role"):
                    continue
                value, ground_missing = truth(ground(ex, gkey).when, ctx)
                if value is True:
                    true_grounds.append(waiver(ex, gkey))
                elif value is None:
                    open_grounds.append(ground_missing)
            if true_grounds:
                waivers = tuple(true_grounds)
                status, missing = "exempt", []
            elif open_grounds and status == "not_met":
                status = "unknown"
                missing = [m for g in open_grounds for m in g]
            elif open_grounds:
                missing = missing + [m for g in open_grounds for m in g]
        prefix = f"{rule.roster}."
        missing = [m.replace(prefix, f"{rule.roster}[{index}].", 1) for m in missing]
        out = (status, waivers, missing)
        self._person_cache[key] = out
        if reason is not None and status != "exempt":
            self._person_reasons[key] = reason
        return out

    def person_reason(self, rule: Rule, index: int, person: dict) -> Msg:
        """What a person's verdict on a rule says: the rule's own findings, or the
        exemptions that waive it."""
        key = (rule.roster or "", index, rule.id)
        hit = self._person_reasons.get(key)
        if hit is None:
            status, waivers, _ = self.person_status(rule, index, person)
            if status == "exempt":
                hit = Msg.join(
                    [
                        Msg(f"依{w.clause}（{w.label.zh}）免除", f"waived by {w.clause} ({w.label.en})")
                        for w in waivers
                    ]
                )
            else:
                hit = base(rule, self.ctx(person, rule.roster, index))[1]
            self._person_reasons[key] = hit
        return hit

    def qualified(self, roster: str, index: int, person: dict) -> Tri:
        key = (roster, index)
        if key not in self._qual:
            self._qual[key] = None  # guards against a rule that counts qualified people of itself
            statuses = [
                self.person_status(r, index, person)[0] for r in self.person_rules(roster, person.get("role"))
            ]
            if any(s in ("not_met",) for s in statuses):
                q: Tri = False
            elif any(s == "unknown" for s in statuses):
                q = None
            else:
                q = True
            self._qual[key] = q
        return self._qual[key]

    def person_rule(self, rule: Rule) -> RuleResult:
        people = self.answers.get(rule.roster)
        if people is None:
            role_fact = self.rs.facts[rule.roster]
            return RuleResult(
                rule,
                "unknown",
                Msg(f"{role_fact.label.zh}未填写", f"{role_fact.label.en} not filled in"),
                missing=(rule.roster,),
            )
        of_role = [(i, p) for i, p in enumerate(people) if p.get("role") == rule.role]
        if not of_role:
            role_label = self.rs.facts[rule.roster].fields_by_key.get("role")
            role_msg = fmt_value(role_label, rule.role) if role_label else Msg(rule.role, rule.role)
            return RuleResult(
                rule, "not_applicable", Msg(f"名单中没有{role_msg.zh}", f"no {role_msg.en} on the roster")
            )
        verdicts = [self.person_status(rule, i, p) for i, p in of_role]
        sts = [v[0] for v in verdicts]
        if "not_met" in sts:
            status = "not_met"
        elif "unknown" in sts:
            status = "unknown"
        elif all(s == "exempt" for s in sts):
            status = "exempt"
        elif all(s == "not_applicable" for s in sts):
            status = "not_applicable"
        else:
            status = "met"
        waivers = tuple(dict.fromkeys(w for v in verdicts for w in v[1]))
        missing = (
            tuple(dict.fromkeys(m for v in verdicts for m in v[2]))
            if status in ("unknown", "not_met")
            else ()
        )

        def say() -> tuple:
            persons = tuple(
                PersonResult(i, p.get("name") or f"#{i + 1}", st, self.person_reason(rule, i, p), ws)
                for (i, p), (st, ws, _) in zip(of_role, verdicts, strict=True)
            )
            shown = (
                [p for p in persons if p.status == status] if status in ("not_met", "unknown") else persons
            )
            reason = Msg.join([Msg(f"{p.name}：{p.reason.zh}", f"{p.name}: {p.reason.en}") for p in shown])
            shortfall = tuple(
                Msg(f"{p.name}：{p.reason.zh}", f"{p.name}: {p.reason.en}")
                for p in persons
                if p.status == "not_met"
            )
            return reason, shortfall, (), persons, ()

        if self.say:
            reason, shortfall, advice, persons, findings = say()
            return RuleResult(rule, status, reason, shortfall, waivers, missing, advice, persons, findings)
        return RuleResult.lazy(rule, status, waivers, missing, say)

    # institution scope

    def institution_rule(self, rule: Rule) -> RuleResult:
        """An institution-scope rule's verdict, decided by truth alone; its words are
        ``institution_words`` of the same answers, worked out when first read."""
        ctx = self.ctx()
        if self.say:  # one walk decides and says it
            return institution_words(rule, ctx)
        status, missing = base_verdict(rule, ctx, exact=True)

        def say() -> tuple:
            r = institution_words(rule, ctx)
            return r.reason, r.shortfall, r.advice, r.persons, r.findings

        if status != "met":
            waivers, ground_missing = waiver_verdict(rule, ctx)
            if waivers:
                return RuleResult.lazy(rule, "exempt", waivers, (), say)
            if ground_missing and status == "not_met":
                # Not met on its own facts, and a ground that could waive it is open: the
                # grounds decide it, so they are what is missing.
                return RuleResult.lazy(rule, "unknown", (), tuple(dict.fromkeys(ground_missing)), say)
            if ground_missing and status == "unknown":
                # Its own facts are open too: either answer may decide it, grounds first.
                missing = list(dict.fromkeys([*ground_missing, *missing]))
            # not applicable: passes whatever an open ground says
        if rule.advice is not None and status != "not_applicable":
            value, advice_missing = truth(rule.advice, ctx)
            if value is None:
                # Asked too, so that the recommendation can be given; never decides the clause.
                missing = [*missing, *advice_missing]
        return RuleResult.lazy(rule, status, (), tuple(missing), say)

    def _institution_memo(self, rule: Rule) -> RuleResult:
        """``institution_rule`` said at once, remembered per ruleset by the answers it reads
        (see ``_reads``): in a batch most institution clauses meet the same few combinations.
        A verdict decided by truth alone costs about what the key does, so it is not."""
        facts = _reads(self.rs, rule) if self.say and MEMO else None
        if facts is None:
            return self.institution_rule(rule)
        values = []
        for k in facts:
            v = self.answers.get(k)
            if isinstance(v, list):
                if not all(isinstance(x, str) for x in v):
                    return self.institution_rule(rule)
                v = ("list", tuple(v))
            values.append((type(v), v))
        memo = self.rs._memo.setdefault("institution_rule", {})
        key = (rule.id, tuple(values))
        hit = memo.get(key)
        if hit is not None and hit.rule is rule:
            return hit
        r = self.institution_rule(rule)
        if len(memo) < _MEMO_LIMIT:
            memo[key] = r
        return r

    def run(self) -> Evaluation:
        results = [self.result(rule.id) for rule in self.rules]
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
        return Evaluation(self.equipment, overall, tuple(results), lambda: tuple(self.people()), counts)

    def people(self) -> list[PersonSummary]:
        out = []
        rosters = {r.roster for r in self.rules if r.scope == "person"}
        for roster in sorted(r for r in rosters if r):
            fact = self.rs.facts[roster]
            role_field = next((f for f in fact.fields if f.key == "role"), None)
            for i, p in enumerate(self.answers.get(roster) or []):
                role = p.get("role")
                q = self.qualified(roster, i, p) if role else None
                routes, lacks = [], []
                for rule in self.person_rules(roster, role):
                    st, waivers, _ = self.person_status(rule, i, p)
                    if st == "exempt":
                        routes += [
                            Msg(f"{w.clause}（{w.label.zh}）", f"{w.clause} ({w.label.en})") for w in waivers
                        ]
                    elif st != "met":
                        reason = self.person_reason(rule, i, p)
                        lacks.append(Msg(f"{rule.clause}：{reason.zh}", f"{rule.clause}: {reason.en}"))
                routes = list(dict.fromkeys(routes))
                if q is True:
                    route = (
                        Msg("经培训合格", "qualified by training")
                        if not routes
                        else Msg("、".join(r.zh for r in routes), ", ".join(r.en for r in routes))
                    )
                elif q is False:
                    route = Msg("尚不具备", "not qualified")
                else:
                    route = Msg("待定", "open")
                role_msg = fmt_value(role_field, role) if role_field and role else Msg("?", "?")
                out.append(
                    PersonSummary(
                        roster, i, p.get("name") or f"#{i + 1}", role or "", role_msg, q, route, tuple(lacks)
                    )
                )
        return out


def evaluate(
    rs: Ruleset, equipment: str, answers: Answers, say: bool = False, people: bool = False
) -> Evaluation:
    """Evaluate every rule of ``equipment`` against ``answers`` (flat fact key -> value).

    Verdicts (status, missing facts, waivers) are decided by truth alone, and what each
    says (reasons, shortfalls, findings) and the roster summaries (``Evaluation.people``)
    are worked out when first read, from these same ``answers``: a sheet of statuses never
    builds a message. ``say=True`` works it all out now, deciding and saying in one walk:
    for a caller that reads every reason (a report) that is cheaper than deciding twice,
    and a caller that goes on changing the answers (the interview) must, and must ask for the
    roster summaries at once too (``people=True``)."""
    ev = _Evaluator(rs, equipment, answers, say).run()
    if say:
        ev.settle(people)
    elif people:
        ev.people  # noqa: B018
    return ev


def trace(rs: Ruleset, equipment: str, answers: Answers, rule_id: str) -> list[tuple[str, Finding]]:
    """Every leaf of a rule (and of the exemption grounds that could waive it) evaluated on
    its own: the fact-by-fact account behind ``medequip explain``. Person-scope rules are
    traced once per person of their role."""
    ev = _Evaluator(rs, equipment, answers)
    out: list[tuple[str, Finding]] = []

    def leaves(part: str, cond: Condition | None, ctx: Context) -> None:
        for node in _leaves(cond):
            for f in evaluate_condition(node, ctx).findings:
                out.append((part, f))

    exemption = next((e for e in rs.exemptions_for(equipment) if e.id == rule_id), None)
    if exemption is not None:
        # An exemption clause: each ground's condition, per person for the training routes.
        if exemption.scope == "person":
            roster = next((r.roster for r in ev.rules if r.scope == "person"), None)
            for i, p in enumerate(answers.get(roster) or []):
                if p.get("role") == exemption.role:
                    for g in exemption.grounds:
                        leaves(f"{p.get('name') or f'#{i + 1}'}:{g.key}", g.when, ev.ctx(p, roster, i))
        else:
            for g in exemption.grounds:
                leaves(f"{exemption.id}:{g.key}", g.when, ev.ctx())
        return out
    rule = next(r for r in ev.rules if r.id == rule_id)

    if rule.scope == "person":
        people = answers.get(rule.roster)
        of_role = [p for p in people or [] if p.get("role") == rule.role]
        if not of_role:
            # Nobody to check: say why, as the verdict does.
            r = ev.person_rule(rule)
            out.append(
                ("condition", Finding(rule.roster or "", None, None if people is None else True, r.reason))
            )
        for i, p in enumerate(people or []):
            if p.get("role") != rule.role:
                continue
            ctx = ev.ctx(p, rule.roster, i)
            who = p.get("name") or f"#{i + 1}"
            leaves(f"{who}:applies", rule.applies_when, ctx)
            leaves(f"{who}:condition", rule.condition, ctx)
            for ex, gkey in rs.waivers_of(rule.id):
                if ex.scope == "person" and ex.role == p.get("role"):
                    g = next(g for g in ex.grounds if g.key == gkey)
                    leaves(f"{who}:{ex.id}", g.when, ctx)
        return out
    ctx = ev.ctx()
    for ex, gkey in rs.waivers_of(rule.id):
        g = next(g for g in ex.grounds if g.key == gkey)
        leaves(f"{ex.id}:{gkey}", g.when, ctx)
    leaves("applies", rule.applies_when, ctx)
    leaves("condition", rule.condition, ctx)
    leaves("advice", rule.advice, ctx)
    return out


def _leaves(cond: Condition | None):
    """The leaves ``explain`` shows, depth first. A count is one leaf: the fields its
    ``where`` reads belong to roster people, not to the institution (evaluating them on
    their own would look up a person's field among the institution's facts)."""
    match cond:
        case None:
            return
        case Compare() | Count() | Qualified() | Rules():
            yield cond
        case All(all=parts) | Any_(any=parts):
            for p in parts:
                yield from _leaves(p)
        case Not(not_=inner):
            yield from _leaves(inner)
        case Implies(if_=a, then=b):
            yield from _leaves(a)
            yield from _leaves(b)
