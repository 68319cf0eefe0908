"""``medequip explain FILE RULE``: how one verdict was reached, fact by fact (and what an
exemption clause waives, ground by ground)."""

from __future__ import annotations

from ..core import exitcodes
from ..core.errors import UsageError
from ..core.i18n import Msg
from .output import emit, err


def cmd_explain(args, lang: str) -> int:
    from ..core.evaluate import evaluate, trace
    from ..core.i18n import STATUS
    from ..core.loader import RulesetError
    from ..core.profile import ProfileError, load, read_source, suggest

    try:
        raw, name = read_source(args.file)
        profile, rs = load(raw, name, args.ruleset)
    except (ProfileError, RulesetError) as e:
        err(str(e))
        return exitcodes.USAGE
    ids = [r.id for r in rs.rules_for(profile.equipment)]
    exemptions = {e.id: e for e in rs.exemptions_for(profile.equipment)}
    if args.rule_id in exemptions:
        return _explain_exemption(rs, profile, exemptions[args.rule_id], lang)
    if args.rule_id not in ids:
        every = ids + list(exemptions)
        raise UsageError(f"no rule {args.rule_id!r} for {profile.equipment}{suggest(args.rule_id, every)}")
    ev = evaluate(rs, profile.equipment, profile.answers)
    result = ev.result(args.rule_id)
    rule = result.rule
    zh = lang == "zh"
    out = [f"{rule.id}  {rule.clause}  {rule.heading.get(lang)}", rule.text_zh if zh else rule.text_en, ""]
    part_names = {
        "applies": Msg("适用条件", "applies when"),
        "condition": Msg("条件", "condition"),
        "advice": Msg("建议", "recommendation"),
    }
    for part, finding in trace(rs, profile.equipment, profile.answers, rule.id):
        who, _, kind = part.rpartition(":")
        label = part_names.get(kind, Msg(kind, kind)).get(lang)
        prefix = f"{who} · {label}" if who else label
        out.append(f"  {_MARK[finding.ok]} [{prefix}] {finding.msg.get(lang)}")
    out.append("")
    out.append(
        f"{'结论' if zh else 'Verdict'}: {STATUS[result.status].get(lang)} — {result.reason.get(lang)}"
    )
    for w in result.waived_by:
        out.append(f"  {'豁免依据' if zh else 'waived by'} {w.exemption} {w.clause}: {w.label.get(lang)}")
    for a in result.advice:
        out.append(f"  {a.get(lang)}")
    emit("\n".join(out) + "\n", None)
    return exitcodes.COMPLIANT


_MARK = {True: "✓", False: "✗", None: "?"}


def _explain_exemption(rs, profile, ex, lang: str) -> int:
    """An exemption clause: each ground's facts, and what the ground waives when it holds."""
    from ..core.evaluate import evaluate, trace

    zh = lang == "zh"
    out = [f"{ex.id}  {ex.clause}  {ex.heading.get(lang)}", ex.text_zh if zh else ex.text_en, ""]
    labels = {g.key: g.label.get(lang) for g in ex.grounds}
    for part, finding in trace(rs, profile.equipment, profile.answers, ex.id):
        who, _, ground = part.rpartition(":")
        # Person routes have one long-named ground each: the person's name says enough.
        prefix = labels.get(ground, ground) if who == ex.id else who
        out.append(f"  {_MARK[finding.ok]} [{prefix}] {finding.msg.get(lang)}")
    out.append("")
    ev = evaluate(rs, profile.equipment, profile.answers)
    for g in ex.grounds:
        waived = rs.waived[ex.id][g.key]
        used = [
            r.id
            for r in ev.results
            if r.id in waived and any(w.exemption == ex.id and w.ground == g.key for w in r.waived_by)
        ]
        head = f"{g.label.get(lang)}{'：' if zh else ': '}"
        if used:
            out.append(head + ("豁免 " if zh else "waives ") + ", ".join(used))
        else:
            out.append(head + ("未适用；可豁免 " if zh else "not applied; can waive ") + ", ".join(waived))
    emit("\n".join(out) + "\n", None)
    return exitcodes.COMPLIANT
