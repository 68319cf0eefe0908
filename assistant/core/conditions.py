"""Three-valued evaluation of one condition tree against the answers (and, inside a staff
roster, one person). ``all`` with a false part is false even when other parts are unknown;
``any`` with a true part is true. Every decided leaf keeps a bilingual message."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .i18n import Msg, num
from .loader import Ruleset
from .model import (
    All,
    Any_,
    Compare,
    Condition,
    Count,
    Fact,
    Implies,
    Not,
    Qualified,
    Rules,
)
from .results import Answers, Finding, Tri, choice_labels, fmt_value, unit_of


@dataclass
class Context:
    rs: Ruleset
    answers: Answers
    person: dict | None = None
    roster: str | None = None
    qualified: Any = None  # callable(roster, index, person) -> Tri
    index: int | None = None  # the person's place in the roster
    rules: Any = None  # callable(Rules) -> Partial: other rules' verdicts, from the evaluator

    def fact(self, key: str) -> tuple[str, Fact]:
        if self.person is not None and "." not in key:
            return f"{self.roster}.{key}", self.rs.facts[self.roster].fields_by_key[key]
        return key, self.rs.facts[key]

    def value(self, key: str) -> Any:
        if self.person is not None and "." not in key:
            return self.person.get(key)
        return self.answers.get(key)


@dataclass
class Partial:
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


def truth(cond: Condition, ctx: Context) -> tuple[Tri, list[str]]:
    """The value of a condition and, when unknown, the facts that would decide it: what
    ``evaluate_condition`` computes, minus the messages. Counting people runs this once per
    person, so each condition is compiled once per ruleset (and roster) into closures that
    do not walk the data model again."""
    return _truth_fn(cond, ctx.rs, ctx.roster if ctx.person is not None else None)(ctx)


def verdict(cond: Condition, ctx: Context) -> tuple[Tri, list[str]]:
    """``truth``, and when false also the facts that would complete the shortfall (the
    unanswered parts of a failing ``all``): the value and missing facts of
    ``evaluate_condition`` exactly, without its messages. Every part runs, as in the walk."""
    return _truth_fn(cond, ctx.rs, ctx.roster if ctx.person is not None else None, True)(ctx)


def _truth_fn(cond: Condition, rs: Ruleset, roster: str | None, exact: bool = False) -> _Truth:
    """``cond`` compiled for contexts of ``roster`` (None: the institution), once per ruleset."""
    fns = rs._memo.setdefault("truth", {})
    key = (id(cond), roster, exact)
    hit = fns.get(key)
    if hit is None or hit[0] is not cond:
        hit = fns[key] = (cond, _compile(cond, rs, roster, exact)[0])  # keeps cond alive
    return hit[1]


_Truth = Any  # callable(Context) -> (Tri, missing)


def _first_decides(fns: list[_Truth], decisive: bool) -> _Truth:
    """``all`` (``decisive`` False) or ``any`` (True) of pure parts: the first part with the
    decisive value decides, and the parts after it need not run."""

    def run(ctx):
        missing: list[str] = []
        unknown = False
        for f in fns:
            v, ms = f(ctx)
            if v is decisive:
                return decisive, []
            if v is None:
                unknown = True
                missing += ms
        return (None, missing) if unknown else (not decisive, [])

    return run


def _compile(cond: Condition, rs: Ruleset, roster: str | None, exact: bool) -> tuple[_Truth, bool]:
    """A closure computing ``truth`` (``exact``: ``verdict``) of ``cond`` in a context of
    ``roster`` (None: the institution), and whether it is pure (reads facts only, so parts
    need not all run)."""
    match cond:
        case Compare(fact=key, op=op, value=want):
            try:
                return _compile_compare(key, op, want, rs, roster), True
            except (KeyError, StopIteration, ValueError):
                pass  # a reference the loader would have refused: keep the walk's behaviour
        case All(all=parts):
            compiled = [_compile(p, rs, roster, exact) for p in parts]
            fns = [f for f, _ in compiled]
            pure = all(p for _, p in compiled)
            if pure and not exact:
                return _first_decides(fns, False), True

            def all_(ctx):
                outs = [f(ctx) for f in fns]
                if any(v is False for v, _ in outs):
                    # Exact: the unanswered parts complete the shortfall, as in the walk.
                    return False, [m for v, ms in outs if v is not True for m in ms] if exact else []
                missing = [m for v, ms in outs if v is None for m in ms]
                return (None, missing) if missing or any(v is None for v, _ in outs) else (True, [])

            return all_, pure
        case Any_(any=parts):
            compiled = [_compile(p, rs, roster, exact) for p in parts]
            fns = [f for f, _ in compiled]
            if all(pure for _, pure in compiled):
                # A true part leaves nothing missing, so stopping there is exact too.
                return _first_decides(fns, True), True

            def any_(ctx):
                outs = [f(ctx) for f in fns]
                if any(v is True for v, _ in outs):
                    return True, []
                if any(v is None for v, _ in outs):
                    return None, [m for v, ms in outs if v is None for m in ms]
                return False, []

            return any_, False
        case Not(not_=inner):
            f, pure = _compile(inner, rs, roster, exact)

            def not_(ctx):
                v, ms = f(ctx)
                return (None, ms) if v is None else (not v, [])

            return not_, pure
        case Implies(if_=a, then=b):
            (fa, pa), (fb, pb) = _compile(a, rs, roster, exact), _compile(b, rs, roster, exact)

            def implies(ctx):
                va, ma = fa(ctx)
                if va is False:
                    return True, []
                vb, mb = fb(ctx)
                if va is True:
                    return vb, mb
                return (True, []) if vb is True else (None, ma + mb)

            return implies, pa and pb

        case Qualified():

            def qualified(ctx):
                return (None if ctx.person is None else ctx.qualified(ctx.roster, ctx.index, ctx.person)), []

            return qualified, False
        case Count():

            def count(ctx):
                ok, _, _, missing = _tally(cond, ctx)
                return ok, missing

            return count, False

    def other(ctx):  # other rules' verdicts
        out = evaluate_condition(cond, ctx)
        return out.value, out.missing if exact or out.value is None else []

    return other, False


def _compile_compare(key: str, op: str, want: Any, rs: Ruleset, roster: str | None) -> _Truth:
    in_person = roster is not None and "." not in key
    if in_person:
        gkey = f"{roster}.{key}"
        fact = next(f for f in rs.facts[roster].fields if f.key == key)
    else:
        gkey, fact = key, rs.facts[key]
    if op in _ORDER_OPS and fact.type == "choice":
        order = _ORDER_OPS[op]
        ranks = {c.key: i for i, c in enumerate(fact.choices)}
        want_rank = fact.rank(want)

        def holds(actual):
            r = ranks.get(actual) if isinstance(actual, str) else None
            return order(fact.rank(actual) if r is None else r, want_rank)

    elif op in _ORDER_OPS:
        order = _ORDER_OPS[op]

        def holds(actual):
            return order(actual, want)

    elif op in ("==", "!=", "in", "contains", "intersects"):

        def holds(actual):
            return _holds(fact, op, actual, want)

    else:  # pragma: no cover - the model admits no other operator
        raise ValueError(op)
    if op == "==":

        def holds(actual):  # noqa: F811 - the commonest case, without a call
            return actual == want

    unanswered = [gkey]
    if in_person:

        def compare(ctx):
            actual = ctx.person.get(key)
            return (None, list(unanswered)) if actual is None else (holds(actual), [])

    else:

        def compare(ctx):
            actual = ctx.answers.get(key)
            return (None, list(unanswered)) if actual is None else (holds(actual), [])

    return compare


def _compare(c: Compare, ctx: Context, actual: Any = None) -> Partial:
    """One comparison with its message; ``actual`` is the answer when the caller has it."""
    gkey, fact = ctx.fact(c.fact)
    if actual is None:
        actual = ctx.value(c.fact)
    label = fact.label
    if actual is None:
        unanswered = Msg(f"{label.zh}：未回答", f"{label.en}: not answered")
        return Partial(None, [Finding(gkey, None, None, unanswered, unanswered)], [gkey])
    op, want = c.op, c.value
    shown = fmt_value(fact, actual)
    ok = _holds(fact, op, actual, want)
    plain = Msg(f"{label.zh}：{shown.zh}", f"{label.en}: {shown.en}")
    if ok:  # what was required is said only when it is not there
        return Partial(ok, [Finding(gkey, actual, ok, plain, plain)], [])
    need = _need(fact, op, want, actual)
    msg = plain + Msg(f"，{need.zh}", f"; {need.en}")
    return Partial(ok, [Finding(gkey, actual, ok, msg, plain)], [])


def _need(fact: Fact, op: str, want: Any, actual: Any) -> Msg:
    """What a comparison that does not hold requires, with the gap to a threshold."""
    if fact.type == "choice" and op in (">=", ">", "<=", "<"):
        wl = fact.choice(want)
        need = Msg(f"需达到“{wl.zh}”或以上", f"at least '{wl.en}' required")
    elif op in (">=", ">", "<=", "<"):
        uz, ue = unit_of(fact)
        word = {
            ">=": ("不少于", "at least"),
            ">": ("超过", "more than"),
            "<=": ("不超过", "at most"),
            "<": ("少于", "less than"),
        }[op]
        need = Msg(f"需{word[0]} {num(want)} {uz}".rstrip(), f"{word[1]} {num(want)} required")
        if op in (">=", ">"):
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
        need = Msg("须为其一：", "one of: ") + choice_labels(fact, want, "、", ", ")
    elif op == "contains":
        wanted = want if isinstance(want, list) else [want]
        lacking = [w for w in wanted if w not in actual]
        need = Msg("缺少：", "missing: ") + choice_labels(fact, lacking, "、", ", ")
    elif op == "intersects":
        need = Msg("须至少具备其一：", "at least one of: ") + choice_labels(fact, want, "、", ", ")
    else:  # pragma: no cover - the model admits no other operator
        raise ValueError(op)
    return need


def _tally(c: Count, ctx: Context) -> tuple[Tri, int, int, list[str]]:
    """A count's value, how many people qualify, how many are undecided, and (when its
    value is unknown) the facts that would decide them. An unanswered roster is unknown,
    missing the roster itself."""
    people = ctx.answers.get(c.count)
    if people is None:
        return None, 0, 0, [c.count]
    yes = unknown = 0
    missing: list[str] = []
    where = _truth_fn(c.where, ctx.rs, c.count) if c.where is not None else None
    for i, person in enumerate(people):
        if where is None:
            value, undecided = True, []
        else:
            value, undecided = where(Context(ctx.rs, ctx.answers, person, c.count, ctx.qualified, i))
        if value is True:
            yes += 1
        elif value is None:
            unknown += 1
            missing += [
                m.replace(f"{c.count}.", f"{c.count}[{i}].", 1) if "[" not in m else m for m in undecided
            ]
    need = c.value + (1 if c.op == ">" else 0)
    if yes >= need:
        return True, yes, unknown, []
    if yes + unknown < need:
        return False, yes, unknown, []
    return None, yes, unknown, missing


def _count(c: Count, ctx: Context) -> Partial:
    label = c.label
    ok, yes, unknown, missing = _tally(c, ctx)
    if ctx.answers.get(c.count) is None:
        finding = Finding(
            c.count, None, None, Msg(f"{label.zh}：名单未填写", f"{label.en}: roster not filled in")
        )
        return Partial(None, [finding], missing)
    need = c.value + (1 if c.op == ">" else 0)
    msg = Msg(f"{label.zh}：{yes} 名", f"{label.en}: {yes}")
    if unknown:
        # People whose answers do not decide it yet are never counted as a zero: the count
        # says how many it could not judge, whatever the verdict (a shortfall that holds
        # even if they all qualify is still not met, but "0 名" alone would state a fact
        # nobody gave).
        msg = msg + Msg(f"（另 {unknown} 名未回答）", f" ({unknown} more not answered)")
    if ok is False:
        msg = msg + Msg(
            f"，需不少于 {need} 名，差 {need - yes} 名", f"; at least {need} required ({need - yes} short)"
        )
    elif ok is None:
        msg = msg + Msg(f"，需不少于 {need} 名", f"; at least {need} required")
    return Partial(ok, [Finding(c.count, yes, ok, msg)], missing)


# Comparisons seen before, per ruleset: (node, roster, answer) -> (truth, finding, missing).
# A batch asks the same few thousand questions over and over (yes/no, a grade, a count of
# years), and building the bilingual finding was most of the evaluator's time. The node is
# the ruleset's own object, alive as long as the ruleset, and the key holds the answer's type
# (True == 1 in a dict). Bounded: past the limit, comparisons are simply computed.
_MEMO_LIMIT = 20_000
MEMO = True  # tests switch it off to check that remembering never changes a result


def _compare_memo(c: Compare, ctx: Context) -> Partial:
    # The key holds the answer's type (True == 1 in a dict); anything but a plain scalar or a
    # list of strings is simply computed.
    person = ctx.person
    roster = None if person is None else ctx.roster
    actual = person.get(c.fact) if person is not None and "." not in c.fact else ctx.answers.get(c.fact)
    t = type(actual)
    if not MEMO or actual is None:
        return _compare(c, ctx)
    if t is list:
        for v in actual:
            if type(v) is not str:
                return _compare(c, ctx, actual)
        key = (id(c), roster, t, tuple(actual))
    elif t is bool or t is int or t is str:
        key = (id(c), roster, t, actual)
    else:
        return _compare(c, ctx, actual)
    memo = ctx.rs._memo.get("compare")
    if memo is None:
        memo = ctx.rs._memo["compare"] = {}
    hit = memo.get(key)
    if hit is not None and hit[0] is c:
        return Partial(hit[1], [hit[2]], [])
    out = _compare(c, ctx, actual)
    if len(memo) < _MEMO_LIMIT:
        memo[key] = (c, out.value, out.findings[0])  # keeps c alive, so id(c) stays its own
    return out


def evaluate_condition(cond: Condition, ctx: Context) -> Partial:
    if type(cond) is Compare:  # most nodes are: skip the pattern matching below
        return _compare_memo(cond, ctx)
    match cond:
        case Compare():
            return _compare_memo(cond, ctx)
        case Count():
            return _count(cond, ctx)
        case All(all=parts):
            outs = [evaluate_condition(p, ctx) for p in parts]
            if any(o.value is False for o in outs):
                bad = [o for o in outs if o.value is False]
                rest = [m for o in outs if o.value is not True for m in o.missing]
                return Partial(False, [f for o in bad for f in o.findings], rest)
            if any(o.value is None for o in outs):
                return Partial(
                    None, [f for o in outs for f in o.findings], [m for o in outs for m in o.missing]
                )
            return Partial(True, [f for o in outs for f in o.findings], [])
        case Any_(any=parts):
            outs = [evaluate_condition(p, ctx) for p in parts]
            if any(o.value is True for o in outs):
                good = next(o for o in outs if o.value is True)
                return Partial(True, good.findings, [])
            findings = [f for o in outs for f in o.findings]
            if any(o.value is None for o in outs):
                return Partial(None, findings, [m for o in outs if o.value is None for m in o.missing])
            joined = Msg.join(
                [Msg.join([f.msg for f in o.findings], "，", ", ") for o in outs], "；或 ", "; or "
            )
            first = findings[0] if findings else Finding("", None, False, joined)
            none_holds = Msg("以下均不满足：", "none of these holds: ") + joined
            # Alternatives that all fail: any one of them is what is lacking; asking the
            # details of every alternative would be noise.
            return Partial(False, [Finding(first.fact, first.value, False, none_holds)], [])
        case Not(not_=inner):
            o = evaluate_condition(inner, ctx)
            v = None if o.value is None else not o.value
            return Partial(v, o.findings, o.missing if v is None else [])
        case Implies(if_=a, then=b):
            oa = evaluate_condition(a, ctx)
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
                return Partial(True, moot, [])
            ob = evaluate_condition(b, ctx)
            if oa.value is True:
                return Partial(ob.value, oa.findings + ob.findings, ob.missing)
            if ob.value is True:
                return Partial(True, ob.findings, [])
            return Partial(None, oa.findings + ob.findings, oa.missing + ob.missing)
        case Qualified():
            index = ctx.index
            q = ctx.qualified(ctx.roster, index, ctx.person) if ctx.person is not None else None
            msg = Msg("具备临床应用能力", "qualified") if q else Msg("不具备临床应用能力", "not qualified")
            if q is None:
                msg = Msg("临床应用能力待定", "qualification open")
            return Partial(q, [Finding(f"{ctx.roster}[{index}]", q, q, msg)], [])
        case Rules():
            if ctx.rules is None:  # pragma: no cover - the evaluator always provides it
                raise TypeError("a rules condition needs the evaluator's verdicts")
            return ctx.rules(cond)
    raise TypeError(cond)  # pragma: no cover
