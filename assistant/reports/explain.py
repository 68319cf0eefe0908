"""``medequip explain``: how one verdict was reached, fact by fact, as data and as text.

``build`` makes the document (``--format json``, schema ``reports/schemas/explain.schema.json``);
``to_text`` prints the same document for people, so the two can never say different things.
"""

from __future__ import annotations

from ..core.text.i18n import STATUS, Msg, Words
from ..core.text.messages import word

EXPLAIN_VERSION = 1

PART = Words(
    {
        "applies": "explain.part.applies",
        "condition": "explain.part.condition",
        "advice": "explain.part.advice",
    }
)
WORDS = Words(
    {
        "verdict": "explain.verdict",
        "waived_by": "explain.waived_by",
        "waives": "explain.waives",
        "not_applied": "explain.not_applied",
    }
)
MARK = {True: "✓", False: "✗", None: "?"}


def build(rs, profile, rule_id: str, lang: str) -> dict | None:
    """The explanation of ``rule_id`` for ``profile``; None when the equipment has no such
    rule or exemption."""
    from ..core.evaluate import evaluate, trace

    exemptions = {e.id: e for e in rs.exemptions_for(profile.equipment)}
    rules = {r.id for r in rs.rules_for(profile.equipment)}
    if rule_id not in rules and rule_id not in exemptions:
        return None
    ev = evaluate(rs, profile.equipment, profile.answers)
    zh = lang == "zh"
    if rule_id in exemptions:
        ex = exemptions[rule_id]
        labels = {g.key: g.label.get(lang) for g in ex.grounds}
        steps = []
        for part, finding in trace(rs, profile.equipment, profile.answers, ex.id):
            who, _, ground = part.rpartition(":")
            # Person routes have one long-named ground each: the person's name says enough.
            label = labels.get(ground, ground) if who == ex.id else who
            steps.append(
                {
                    "part": part,
                    "who": who or None,
                    "label": label,
                    "ok": finding.ok,
                    "message": finding.msg.get(lang),
                }
            )
        grounds = []
        for g in ex.grounds:
            waived = list(rs.waived[ex.id][g.key])
            used = [
                r.id
                for r in ev.results
                if r.id in waived and any(w.exemption == ex.id and w.ground == g.key for w in r.waived_by)
            ]
            grounds.append({"key": g.key, "label": g.label.get(lang), "applied": used, "waives": waived})
        head, text, kind, verdict = ex, ex.text_zh if zh else ex.text_en, "exemption", None
    else:
        result = ev.result(rule_id)
        rule = result.rule
        steps = []
        for part, finding in trace(rs, profile.equipment, profile.answers, rule.id):
            who, _, kind_ = part.rpartition(":")
            name = PART.get(kind_, Msg(kind_, kind_)).get(lang)
            label = f"{who} · {name}" if who else name
            steps.append(
                {
                    "part": part,
                    "who": who or None,
                    "label": label,
                    "ok": finding.ok,
                    "message": finding.msg.get(lang),
                }
            )
        verdict = {
            "status": result.status,
            "status_label": STATUS[result.status].get(lang),
            "reason": result.reason.get(lang),
            "waived_by": [
                {"exemption": w.exemption, "clause": w.clause, "ground": w.ground, "label": w.label.get(lang)}
                for w in result.waived_by
            ],
            "advice": [a.get(lang) for a in result.advice],
        }
        head, text, kind, grounds = rule, rule.text_zh if zh else rule.text_en, "rule", []
    return {
        "explain_version": EXPLAIN_VERSION,
        "source": profile.source,
        "equipment": profile.equipment,
        "lang": lang,
        "id": head.id,
        "kind": kind,
        "clause": head.clause,
        "heading": head.heading.get(lang),
        "text": text,
        "steps": steps,
        "verdict": verdict,
        "grounds": grounds,
    }


def to_text(d: dict, lang: str) -> str:
    out = [f"{d['id']}  {d['clause']}  {d['heading']}", d["text"], ""]
    out += [f"  {MARK[s['ok']]} [{s['label']}] {s['message']}" for s in d["steps"]]
    out.append("")
    v = d["verdict"]
    if v is not None:
        colon = word("punct.colon", lang)
        out.append(f"{WORDS['verdict'].get(lang)}{colon}{v['status_label']} — {v['reason']}")
        for w in v["waived_by"]:
            out.append(f"  {WORDS['waived_by'].get(lang)} {w['exemption']} {w['clause']}{colon}{w['label']}")
        out += [f"  {a}" for a in v["advice"]]
    for g in d["grounds"]:
        head = g["label"] + word("punct.colon", lang)
        if g["applied"]:
            out.append(head + WORDS["waives"].get(lang) + ", ".join(g["applied"]))
        else:
            out.append(head + WORDS["not_applied"].get(lang) + ", ".join(g["waives"]))
    return "\n".join(out) + "\n"
