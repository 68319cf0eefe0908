"""The evaluator: a pure function from (ruleset, equipment, answers) to verdicts.

Logic is three-valued (True / False / None for unknown). ``all`` with a false part is false
even when other parts are unknown; ``any`` with a true part is true. Every decided leaf keeps
a bilingual message, so a verdict can always say which facts decided it and by how much a
threshold was missed. Unknown results record the missing facts that would decide them: the
interview asks exactly those, which is how it skips what is exempt or not applicable.

Precedence, chosen so that answering a missing fact never flips a met or not-met verdict:
- institution exemptions come first: a rule a true ground waives is exempt whatever its own
  facts say ("不考察" means not examined); while a ground that could waive it is unknown, the
  rule is unknown too;
- per-person exemptions (the proton training exemptions) are alternative routes: a person
  who meets the rule is met, and only a person who does not is checked against them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .i18n import Msg, num
from .loader import Ruleset
from .model import (
    All,
    Any_,
    Compare,
    Condition,
    Count,
    Exemption,
    Fact,
    Implies,
    Not,
    Qualified,
    Rule,
)

Tri = bool | None
Answers = dict[str, Any]


@dataclass(frozen=True)
class Finding:
    """One decided (or undecidable) leaf of a condition."""

    fact: str
    value: Any
    ok: Tri
    msg: Msg
    # The same without what was required: "label: value".
    plain: Msg | None = None


@dataclass(frozen=True)
class Waiver:
    exemption: str
    clause: str
    ground: str
    label: Msg


@dataclass(frozen=True)
class PersonResult:
    index: int
    name: str
    status: str
    reason: Msg
    waived_by: tuple[Waiver, ...] = ()


@dataclass(frozen=True)
class RuleResult:
    rule: Rule
    status: str
    reason: Msg
    shortfall: tuple[Msg, ...] = ()
    waived_by: tuple[Waiver, ...] = ()
    missing: tuple[str, ...] = ()
    advice: tuple[Msg, ...] = ()
    persons: tuple[PersonResult, ...] = ()
    findings: tuple[Finding, ...] = ()

    @property
    def id(self) -> str:
        return self.rule.id


@dataclass(frozen=True)
class PersonSummary:
    """One roster person: qualified or not, and the route or what they lack."""

    roster: str
    index: int
    name: str
    role: str
    role_label: Msg
    qualified: Tri
    route: Msg
    lacks: tuple[Msg, ...] = ()


@dataclass(frozen=True)
class Evaluation:
    equipment: str
    status: str
    results: tuple[RuleResult, ...]
    people: tuple[PersonSummary, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)

    def result(self, rule_id: str) -> RuleResult:
        return next(r for r in self.results if r.id == rule_id)

    @property
    def missing(self) -> list[str]:
        """Facts still needed, in rule order."""
        return list(dict.fromkeys(k for r in self.results for k in r.missing))


# --- formatting of values --------------------------------------------------------------------


_SINGULAR = {"people": "person", "persons": "person"}


def english_unit(unit: str, n: int) -> str:
    """'1 person', '1 year', '2 years': units are written plural in the data."""
    if n != 1 or not unit:
        return unit
    head, _, last = unit.rpartition(" ")
    one = _SINGULAR.get(last) or (last[:-1] if last.endswith("s") and not last.endswith("ss") else last)
    return f"{head} {one}".strip()


def _unit(fact: Fact) -> tuple[str, str]:
    return (fact.unit.zh, fact.unit.en) if fact.unit else ("", "")


def fmt_value(fact: Fact, value: Any) -> Msg:
    if value is None:
        return Msg("未回答", "not answered")
    if fact.type == "bool":
        return Msg("是", "yes") if value else Msg("否", "no")
    if fact.type == "int":
        uz, ue = _unit(fact)
        return Msg(f"{num(value)} {uz}".strip(), f"{num(value)} {english_unit(ue, value)}".strip())
    if fact.type == "choice":
        c = fact.choice(value)
        return Msg(c.zh, c.en) if c else Msg(str(value), str(value))
    if fact.type == "set":
        cs = [fact.choice(v) for v in value]
        if not cs:
            return Msg("无", "none")
        return Msg("、".join(c.zh for c in cs if c), ", ".join(c.en for c in cs if c))
    if fact.type == "roster":
        return Msg(f"{len(value)} 人", f"{len(value)} people")
    return Msg(str(value), str(value))


def _choice_labels(fact: Fact, keys: list[str], zh_sep: str, en_sep: str) -> Msg:
    cs = [fact.choice(k) for k in keys]
    return Msg(zh_sep.join(c.zh for c in cs if c), en_sep.join(c.en for c in cs if c))


# --- condition evaluation --------------------------------------------------------------------


@dataclass
class _Ctx:
    rs: Ruleset
    answers: Answers
    person: dict | None = None
    roster: str | None = None
    qualified: Any = None  # callable(roster, index, person) -> Tri
    index: int | None = None  # the person's place in the roster

    def fact(self, key: str) -> tuple[str, Fact]:
        if self.person is not None and "." not in key:
            parent = self.rs.facts[self.roster]
            return f"{self.roster}.{key}", next(f for f in parent.fields if f.key == key)
        return key, self.rs.facts[key]

    def value(self, key: str) -> Any:
        if self.person is not None and "." not in key:
            return self.person.get(key)
        return self.answers.get(key)


@dataclass
class _Out:
    value: Tri
    findings: list[Finding]
    # Unknown: the facts that would decide it. False: the facts that would complete the
    # shortfall (the other, unanswered parts of a failing ``all``), so a report can say
    # everything that is lacking, not only the first thing.
    missing: list[str]


_ORDER_OPS = {
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    "<": lambda a, b: a < b,
}


def _holds(fact: Fact, op: str, actual: Any, want: Any) -> bool:
    """The truth of one comparison, without building any message."""
    if op in _ORDER_OPS:
        if fact.type == "choice":
            return _ORDER_OPS[op](fact.rank(actual), fact.rank(want))
        return _ORDER_OPS[op](actual, want)
    if op == "==":
        return actual == want
    if op == "!=":
        return actual != want
    if op == "in":
        return actual in want
    if op == "contains":
        return all(w in actual for w in (want if isinstance(want, list) else [want]))
    if op == "intersects":
        return any(w in actual for w in want)
    raise ValueError(op)  # pragma: no cover - the model admits no other operator


def _truth(cond: Condition, ctx: _Ctx) -> tuple[Tri, list[str]]:
    """The value of a condition and, when unknown, the facts that would decide it: what
    ``_eval`` computes, minus the messages. Counting people runs this once per person."""
    match cond:
        case Compare(fact=key, op=op, value=want):
            actual = ctx.value(key)
            if actual is None:
                return None, [ctx.fact(key)[0]]
            return _holds(ctx.fact(key)[1], op, actual, want), []
        case All(all=parts):
            outs = [_truth(p, ctx) for p in parts]
            if any(v is False for v, _ in outs):
                return False, []
            missing = [m for v, ms in outs if v is None for m in ms]
            return (None, missing) if missing or any(v is None for v, _ in outs) else (True, [])
        case Any_(any=parts):
            outs = [_truth(p, ctx) for p in parts]
            if any(v is True for v, _ in outs):
                return True, []
            if any(v is None for v, _ in outs):
                return None, [m for v, ms in outs if v is None for m in ms]
            return False, []
        case Not(not_=inner):
            v, ms = _truth(inner, ctx)
            return (None, ms) if v is None else (not v, [])
        case Implies(if_=a, then=b):
            va, ma = _truth(a, ctx)
            if va is False:
                return True, []
            vb, mb = _truth(b, ctx)
            if va is True:
                return vb, mb
            return (True, []) if vb is True else (None, ma + mb)
    out = _eval(cond, ctx)  # counts and qualification: rare inside a count
    return out.value, out.missing if out.value is None else []


def _compare(c: Compare, ctx: _Ctx) -> _Out:
    gkey, fact = ctx.fact(c.fact)
    actual = ctx.value(c.fact)
    label = fact.label
    if actual is None:
        unanswered = Msg(f"{label.zh}：未回答", f"{label.en}: not answered")
        return _Out(None, [Finding(gkey, None, None, unanswered, unanswered)], [gkey])
    op, want = c.op, c.value
    shown = fmt_value(fact, actual)
    ok = _holds(fact, op, actual, want)
    if fact.type == "choice" and op in (">=", ">", "<=", "<"):
        wl = fact.choice(want)
        need = Msg(f"需达到“{wl.zh}”或以上", f"at least '{wl.en}' required")
    elif op in (">=", ">", "<=", "<"):
        uz, ue = _unit(fact)
        word = {
            ">=": ("不少于", "at least"),
            ">": ("超过", "more than"),
            "<=": ("不超过", "at most"),
            "<": ("少于", "less than"),
        }[op]
        need = Msg(f"需{word[0]} {num(want)} {uz}".rstrip(), f"{word[1]} {num(want)} required")
        if not ok and op in (">=", ">"):
            gap = want - actual + (1 if op == ">" else 0)
            need = need + Msg(f"，差 {num(gap)} {uz}".rstrip(), f" ({num(gap)} short)")
    elif op in ("==", "!="):
        if fact.type == "bool":
            need = Msg("须为“是”", "required: yes") if want else Msg("须为“否”", "required: no")
        elif fact.type == "choice":
            wl = fact.choice(want)
            need = (
                Msg(f"须为“{wl.zh}”", f"required: {wl.en}")
                if op == "=="
                else Msg(f"不得为“{wl.zh}”", f"must not be {wl.en}")
            )
        else:
            need = Msg(f"须为 {want}", f"required: {want}")
    elif op == "in":
        need = Msg("须为其一：", "one of: ") + _choice_labels(fact, want, "、", ", ")
    elif op == "contains":
        wanted = want if isinstance(want, list) else [want]
        lacking = [w for w in wanted if w not in actual]
        need = Msg("缺少：", "missing: ") + _choice_labels(fact, lacking, "、", ", ")
    elif op == "intersects":
        need = Msg("须至少具备其一：", "at least one of: ") + _choice_labels(fact, want, "、", ", ")
    else:  # pragma: no cover - the model admits no other operator
        raise ValueError(op)
    plain = Msg(f"{label.zh}：{shown.zh}", f"{label.en}: {shown.en}")
    msg = plain if ok else plain + Msg(f"，{need.zh}", f"; {need.en}")
    return _Out(ok, [Finding(gkey, actual, ok, msg, plain)], [])


def _count(c: Count, ctx: _Ctx) -> _Out:
    people = ctx.answers.get(c.count)
    label = c.label
    if people is None:
        return _Out(
            None,
            [
                Finding(
                    c.count, None, None, Msg(f"{label.zh}：名单未填写", f"{label.en}: roster not filled in")
                )
            ],
            [c.count],
        )
    yes = unknown = 0
    missing: list[str] = []
    for i, person in enumerate(people):
        sub = _Ctx(ctx.rs, ctx.answers, person, c.count, ctx.qualified, i)
        value, undecided = _truth(c.where, sub) if c.where is not None else (True, [])
        if value is True:
            yes += 1
        elif value is None:
            unknown += 1
            missing += [
                m.replace(f"{c.count}.", f"{c.count}[{i}].", 1) if "[" not in m else m for m in undecided
            ]
    need = c.value + (1 if c.op == ">" else 0)
    if yes >= need:
        ok: Tri = True
    elif yes + unknown < need:
        ok = False
    else:
        ok = None
    msg = Msg(f"{label.zh}：{yes} 名", f"{label.en}: {yes}")
    if ok is False:
        msg = msg + Msg(
            f"，需不少于 {need} 名，差 {need - yes} 名", f"; at least {need} required ({need - yes} short)"
        )
    elif ok is None:
        msg = msg + Msg(
            f"（另有 {unknown} 名信息不全），需不少于 {need} 名",
            f" ({unknown} more not fully answered); at least {need} required",
        )
    return _Out(ok, [Finding(c.count, yes, ok, msg)], missing if ok is None else [])


def _eval(cond: Condition, ctx: _Ctx) -> _Out:
    match cond:
        case Compare():
            return _compare(cond, ctx)
        case Count():
            return _count(cond, ctx)
        case All(all=parts):
            outs = [_eval(p, ctx) for p in parts]
            if any(o.value is False for o in outs):
                bad = [o for o in outs if o.value is False]
                rest = [m for o in outs if o.value is not True for m in o.missing]
                return _Out(False, [f for o in bad for f in o.findings], rest)
            if any(o.value is None for o in outs):
                return _Out(None, [f for o in outs for f in o.findings], [m for o in outs for m in o.missing])
            return _Out(True, [f for o in outs for f in o.findings], [])
        case Any_(any=parts):
            outs = [_eval(p, ctx) for p in parts]
            if any(o.value is True for o in outs):
                good = next(o for o in outs if o.value is True)
                return _Out(True, good.findings, [])
            findings = [f for o in outs for f in o.findings]
            if any(o.value is None for o in outs):
                return _Out(None, findings, [m for o in outs if o.value is None for m in o.missing])
            joined = Msg.join(
                [Msg.join([f.msg for f in o.findings], "，", ", ") for o in outs], "；或 ", "; or "
            )
            first = findings[0] if findings else Finding("", None, False, joined)
            none_holds = Msg("以下均不满足：", "none of these holds: ") + joined
            # Alternatives that all fail: any one of them is what is lacking; asking the
            # details of every alternative would be noise.
            return _Out(False, [Finding(first.fact, first.value, False, none_holds)], [])
        case Not(not_=inner):
            o = _eval(inner, ctx)
            v = None if o.value is None else not o.value
            return _Out(v, o.findings, o.missing if v is None else [])
        case Implies(if_=a, then=b):
            oa = _eval(a, ctx)
            if oa.value is False:
                # Vacuously met: say that the condition does not arise, not what it lacks.
                moot = [
                    Finding(
                        f.fact,
                        f.value,
                        True,
                        Msg("（前提不成立，无此要求）", "(does not arise) ") + (f.plain or f.msg),
                        f.plain,
                    )
                    for f in oa.findings
                ]
                return _Out(True, moot, [])
            ob = _eval(b, ctx)
            if oa.value is True:
                return _Out(ob.value, oa.findings + ob.findings, ob.missing)
            if ob.value is True:
                return _Out(True, ob.findings, [])
            return _Out(None, oa.findings + ob.findings, oa.missing + ob.missing)
        case Qualified():
            index = ctx.index
            q = ctx.qualified(ctx.roster, index, ctx.person) if ctx.person is not None else None
            msg = Msg("具备临床应用能力", "qualified") if q else Msg("不具备临床应用能力", "not qualified")
            if q is None:
                msg = Msg("临床应用能力待定", "qualification open")
            return _Out(q, [Finding(f"{ctx.roster}[{index}]", q, q, msg)], [])
    raise TypeError(cond)  # pragma: no cover


# --- rules -----------------------------------------------------------------------------------


def _ground_value(ex: Exemption, key: str, ctx: _Ctx) -> _Out:
    g = next(g for g in ex.grounds if g.key == key)
    return _eval(g.when, ctx)


def _waiver(ex: Exemption, key: str) -> Waiver:
    g = next(g for g in ex.grounds if g.key == key)
    return Waiver(ex.id, ex.clause, key, Msg(g.label.zh, g.label.en))


def _base(rule: Rule, ctx: _Ctx) -> tuple[str, Msg, list[Finding], list[str]]:
    """Status of a rule's own text, ignoring exemptions."""
    if rule.applies_when is not None:
        a = _eval(rule.applies_when, ctx)
        if a.value is False:
            assert rule.not_applicable is not None
            return "not_applicable", Msg(rule.not_applicable.zh, rule.not_applicable.en), a.findings, []
        if a.value is None:
            return (
                "unknown",
                Msg("是否适用待定：", "whether it applies is open: ") + Msg.join([f.msg for f in a.findings]),
                a.findings,
                a.missing,
            )
    o = _eval(rule.condition, ctx)
    msgs = Msg.join([f.msg for f in o.findings])
    if o.value is True:
        return "met", msgs, o.findings, []
    if o.value is False:
        return "not_met", msgs, o.findings, o.missing
    unknown = [f for f in o.findings if f.ok is None]
    return "unknown", Msg.join([f.msg for f in unknown]), o.findings, o.missing


class _Evaluator:
    def __init__(self, rs: Ruleset, equipment: str, answers: Answers):
        self.rs = rs
        self.equipment = equipment
        self.answers = answers
        self.rules = rs.rules_for(equipment)
        self.exemptions = rs.exemptions_for(equipment)
        self._qual: dict[tuple[str, int], Tri] = {}
        self._person_cache: dict[tuple[str, int, str], tuple[str, Msg, tuple[Waiver, ...], list[str]]] = {}

    def ctx(self, person: dict | None = None, roster: str | None = None, index: int | None = None) -> _Ctx:
        return _Ctx(self.rs, self.answers, person, roster, self.qualified, index)

    # person scope

    def person_rules(self, roster: str, role: str) -> list[Rule]:
        return [r for r in self.rules if r.scope == "person" and r.roster == roster and r.role == role]

    def person_status(
        self, rule: Rule, index: int, person: dict
    ) -> tuple[str, Msg, tuple[Waiver, ...], list[str]]:
        key = (rule.roster or "", index, rule.id)
        if key in self._person_cache:
            return self._person_cache[key]
        ctx = self.ctx(person, rule.roster, index)
        status, reason, _, missing = _base(rule, ctx)
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
                g = _ground_value(ex, gkey, ctx)
                if g.value is True:
                    true_grounds.append(_waiver(ex, gkey))
                elif g.value is None:
                    open_grounds.append(g)
            if true_grounds:
                waivers = tuple(true_grounds)
                status, missing = "exempt", []
                reason = Msg.join(
                    [
                        Msg(f"依{w.clause}（{w.label.zh}）免除", f"waived by {w.clause} ({w.label.en})")
                        for w in waivers
                    ]
                )
            elif open_grounds and status == "not_met":
                status = "unknown"
                missing = [m for g in open_grounds for m in g.missing]
            elif open_grounds:
                missing = missing + [m for g in open_grounds for m in g.missing]
        prefix = f"{rule.roster}."
        missing = [m.replace(prefix, f"{rule.roster}[{index}].", 1) for m in missing]
        out = (status, reason, waivers, missing)
        self._person_cache[key] = out
        return out

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
        role_fact = self.rs.facts[rule.roster]
        role_label = next((f for f in role_fact.fields if f.key == "role"), None)
        role_msg = fmt_value(role_label, rule.role) if role_label else Msg(rule.role, rule.role)
        if people is None:
            return RuleResult(
                rule,
                "unknown",
                Msg(f"{role_fact.label.zh}未填写", f"{role_fact.label.en} not filled in"),
                missing=(rule.roster,),
            )
        of_role = [(i, p) for i, p in enumerate(people) if p.get("role") == rule.role]
        if not of_role:
            return RuleResult(
                rule, "not_applicable", Msg(f"名单中没有{role_msg.zh}", f"no {role_msg.en} on the roster")
            )
        persons = []
        for i, p in of_role:
            st, reason, waivers, _ = self.person_status(rule, i, p)
            persons.append(PersonResult(i, p.get("name") or f"#{i + 1}", st, reason, waivers))
        sts = [p.status for p in persons]
        missing: list[str] = []
        for i, p in of_role:
            missing += self.person_status(rule, i, p)[3]
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
        shown = [p for p in persons if p.status == status] if status in ("not_met", "unknown") else persons
        reason = Msg.join([Msg(f"{p.name}：{p.reason.zh}", f"{p.name}: {p.reason.en}") for p in shown])
        waivers = tuple(dict.fromkeys(w for p in persons for w in p.waived_by))
        shortfall = tuple(
            Msg(f"{p.name}：{p.reason.zh}", f"{p.name}: {p.reason.en}")
            for p in persons
            if p.status == "not_met"
        )
        keep_missing = tuple(dict.fromkeys(missing)) if status in ("unknown", "not_met") else ()
        return RuleResult(rule, status, reason, shortfall, waivers, keep_missing, persons=tuple(persons))

    # institution scope

    def institution_rule(self, rule: Rule) -> RuleResult:
        ctx = self.ctx()
        true_grounds: list[Waiver] = []
        open_findings: list[Finding] = []
        open_missing: list[str] = []
        for ex, gkey in self.rs.waivers_of(rule.id):
            if ex.scope != "institution":
                continue
            g = _ground_value(ex, gkey, ctx)
            if g.value is True:
                true_grounds.append(_waiver(ex, gkey))
            elif g.value is None:
                open_findings += g.findings
                open_missing += g.missing
        if true_grounds:
            reason = Msg.join(
                [
                    Msg(
                        f"依{w.clause}豁免：申请机构为{w.label.zh}",
                        f"waived by {w.clause} (applicant: {w.label.en})",
                    )
                    for w in true_grounds
                ]
            )
            return RuleResult(rule, "exempt", reason, waived_by=tuple(true_grounds))
        if open_missing:
            ex_clause = self.rs.waivers_of(rule.id)[0][0].clause
            reason = Msg(
                f"是否依{ex_clause}豁免待定：", f"whether {ex_clause} waives it is open: "
            ) + Msg.join([f.msg for f in open_findings])
            return RuleResult(
                rule,
                "unknown",
                reason,
                missing=tuple(dict.fromkeys(open_missing)),
                findings=tuple(open_findings),
            )
        status, reason, findings, missing = _base(rule, ctx)
        shortfall = tuple(f.msg for f in findings if f.ok is False) if status == "not_met" else ()
        advice: tuple[Msg, ...] = ()
        if rule.advice is not None and status != "not_applicable":
            a = _eval(rule.advice, ctx)
            if a.value is False:
                advice = tuple(Msg("建议：", "recommended: ") + f.msg for f in a.findings if f.ok is False)
            elif a.value is None:
                # Asked too, so that the recommendation can be given; never decides the clause.
                missing = [*missing, *a.missing]
        return RuleResult(
            rule, status, reason, shortfall, (), tuple(missing), advice, findings=tuple(findings)
        )

    def run(self) -> Evaluation:
        results = []
        for rule in self.rules:
            r = self.person_rule(rule) if rule.scope == "person" else self.institution_rule(rule)
            results.append(r)
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
        return Evaluation(self.equipment, overall, tuple(results), tuple(self.people()), counts)

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
                    st, reason, waivers, _ = self.person_status(rule, i, p)
                    if st == "exempt":
                        routes += [
                            Msg(f"{w.clause}（{w.label.zh}）", f"{w.clause} ({w.label.en})") for w in waivers
                        ]
                    elif st != "met":
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


def evaluate(rs: Ruleset, equipment: str, answers: Answers) -> Evaluation:
    """Evaluate every rule of ``equipment`` against ``answers`` (flat fact key -> value)."""
    return _Evaluator(rs, equipment, answers).run()


def trace(rs: Ruleset, equipment: str, answers: Answers, rule_id: str) -> list[tuple[str, Finding]]:
    """Every leaf of a rule (and of the exemption grounds that could waive it) evaluated on
    its own: the fact-by-fact account behind ``medequip explain``. Person-scope rules are
    traced once per person of their role."""
    from .loader import walk

    ev = _Evaluator(rs, equipment, answers)
    out: list[tuple[str, Finding]] = []

    def leaves(part: str, cond: Condition | None, ctx: _Ctx) -> None:
        for node in walk(cond):
            if isinstance(node, Compare | Count | Qualified):
                for f in _eval(node, ctx).findings:
                    out.append((part, f))

    exemption = next((e for e in ev.exemptions if e.id == rule_id), None)
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
        for i, p in enumerate(answers.get(rule.roster) or []):
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
