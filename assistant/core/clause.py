"""One clause on its own: a rule's own text and the institution grounds that could waive it,
either decided by truth alone (``*_verdict``: status and missing facts, no message) or
decided and said in one walk of the conditions (the rest: messages and findings too). The
evaluator (``evaluate.py``) puts clauses together, with people, memory and precedence; the
precedence is written there."""

from __future__ import annotations

from .conditions import Context, Partial, evaluate_condition, truth, verdict
from .i18n import Msg
from .model import Exemption, Rule
from .results import Finding, RuleResult, Waiver


def ground(ex: Exemption, key: str):
    return next(g for g in ex.grounds if g.key == key)


def ground_value(ex: Exemption, key: str, ctx: Context) -> Partial:
    return evaluate_condition(ground(ex, key).when, ctx)


def waiver(ex: Exemption, key: str) -> Waiver:
    g = ground(ex, key)
    return Waiver(ex.id, ex.clause, key, Msg(g.label.zh, g.label.en))


def base(rule: Rule, ctx: Context) -> tuple[str, Msg, list[Finding], list[str]]:
    """Status of a rule's own text, ignoring exemptions."""
    # Whether it applies is decided first by truth alone: when it does, which is most of the
    # time, nothing of that condition is shown.
    if rule.applies_when is not None and truth(rule.applies_when, ctx)[0] is not True:
        a = evaluate_condition(rule.applies_when, ctx)
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
    o = evaluate_condition(rule.condition, ctx)
    msgs = Msg.join([f.msg for f in o.findings])
    if o.value is True:
        return "met", msgs, o.findings, []
    if o.value is False:
        return "not_met", msgs, o.findings, o.missing
    unknown = [f for f in o.findings if f.ok is None]
    return "unknown", Msg.join([f.msg for f in unknown]), o.findings, o.missing


def base_verdict(rule: Rule, ctx: Context, exact: bool) -> tuple[str, list[str]]:
    """The status and missing facts ``base`` gives, without its messages. Not ``exact``:
    a rule not met misses nothing (a person's missing facts are dropped then anyway)."""
    if rule.applies_when is not None:
        applies, missing = truth(rule.applies_when, ctx)
        if applies is False:
            return "not_applicable", []
        if applies is None:
            return "unknown", missing
    value, missing = (verdict if exact else truth)(rule.condition, ctx)
    if value is True:
        return "met", []
    return ("not_met" if value is False else "unknown"), missing


def waiver_verdict(rule: Rule, ctx: Context) -> tuple[tuple[Waiver, ...], list[str]]:
    """The institution grounds that waive a rule not passing on its own, and, when none
    does, what the open ones miss: ``institution_waiver`` without its messages."""
    waivers: list[Waiver] = []
    open_missing: list[str] = []
    for ex, gkey in ctx.rs.waivers_of(rule.id):
        if ex.scope != "institution":
            continue
        value, missing = truth(ground(ex, gkey).when, ctx)
        if value is True:
            waivers.append(waiver(ex, gkey))
        elif value is None:
            open_missing += missing
    return tuple(waivers), ([] if waivers else open_missing)


def institution_waiver(rule: Rule, ctx: Context):
    """For a rule not passing on its own: ("exempt", reason, waivers, [], []) when a true
    ground waives it, ("unknown", reason, (), findings, missing) when one is open, else
    None."""
    true_grounds: list[Waiver] = []
    open_findings: list[Finding] = []
    open_missing: list[str] = []
    open_clause = None
    for ex, gkey in ctx.rs.waivers_of(rule.id):
        if ex.scope != "institution":
            continue
        value, _ = truth(ground(ex, gkey).when, ctx)  # the findings only of an open one
        if value is True:
            true_grounds.append(waiver(ex, gkey))
        elif value is None:
            g = ground_value(ex, gkey, ctx)
            open_findings += g.findings
            open_missing += g.missing
            open_clause = open_clause or ex.clause
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
        return "exempt", reason, tuple(true_grounds), [], []
    if open_missing:
        reason = Msg(
            f"是否依{open_clause}豁免待定：", f"whether {open_clause} waives it is open: "
        ) + Msg.join([f.msg for f in open_findings])
        return "unknown", reason, (), open_findings, open_missing
    return None


def institution_words(rule: Rule, ctx: Context) -> RuleResult:
    """An institution-scope rule's whole result, messages included: what its verdict
    (``_Evaluator.institution_rule``) says."""
    status, reason, findings, missing = base(rule, ctx)
    if status != "met":
        waived = institution_waiver(rule, ctx)
        if waived is not None:
            waived_status, waived_reason, waivers, ground_findings, ground_missing = waived
            if waived_status == "exempt":
                return RuleResult(rule, "exempt", waived_reason, waived_by=waivers)
            if status == "not_applicable":
                pass  # passes whatever the open ground says
            elif status == "not_met":
                return RuleResult(
                    rule,
                    "unknown",
                    waived_reason,
                    shortfall=tuple(f.msg for f in findings if f.ok is False),
                    missing=tuple(dict.fromkeys(ground_missing)),
                    findings=tuple(ground_findings + findings),
                )
            else:
                missing = list(dict.fromkeys([*ground_missing, *missing]))
                findings = ground_findings + findings
    shortfall = tuple(f.msg for f in findings if f.ok is False) if status == "not_met" else ()
    advice: tuple[Msg, ...] = ()
    if rule.advice is not None and status != "not_applicable" and truth(rule.advice, ctx)[0] is not True:
        a = evaluate_condition(rule.advice, ctx)
        if a.value is False:
            advice = tuple(Msg("建议：", "recommended: ") + f.msg for f in a.findings if f.ok is False)
        elif a.value is None:
            missing = [*missing, *a.missing]
    return RuleResult(rule, status, reason, shortfall, (), tuple(missing), advice, findings=tuple(findings))
