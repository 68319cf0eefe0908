"""``medequip diff OLD NEW``: what changed between two versions of one application.

Both profiles are evaluated against the same ruleset; the output lists the answers that
changed (roster people field by field) and every clause whose verdict moved. Exit 0 when no
verdict changed, 1 when some did, 2 when either file cannot be used.
"""

from __future__ import annotations

from typing import Any

from ..core.text.messages import tr, word


def flatten(answers: dict[str, Any]) -> dict[str, Any]:
    """Roster answers as one key per person and field (``proton.clinical_staff[1].title``)."""
    out: dict[str, Any] = {}
    for key, value in answers.items():
        if isinstance(value, list) and value and all(isinstance(p, dict) for p in value):
            for i, person in enumerate(value):
                for field, v in person.items():
                    out[f"{key}[{i}].{field}"] = v
        else:
            out[key] = value
    return out


def _fact_for(rs, key: str):
    if "[" in key:
        roster, _, rest = key.partition("[")
        field = rest.split("].", 1)[1]
        parent = rs.facts.get(roster)
        return next((f for f in parent.fields if f.key == field), None) if parent else None
    return rs.facts.get(key)


def _label(rs, key: str, lang: str, old: dict[str, Any], new: dict[str, Any]) -> str:
    """A fact's label; a person's field is named by the person's name (as in the newer
    version, else the older), or "第 N 位" / "person N" when they have none."""
    fact = _fact_for(rs, key)
    if fact is None:
        return key
    if "[" in key:
        roster = key.partition("[")[0]
        index = int(key.partition("[")[2].split("]", 1)[0])
        name = new.get(f"{roster}[{index}].name") or old.get(f"{roster}[{index}].name")
        who = name or tr("profile_diff.person", lang, n=index + 1)
        return f"{who} · {fact.label.get(lang)}"
    return fact.label.get(lang)


def _text(rs, key: str, value: Any, lang: str) -> str | None:
    from ..core.evaluate.results import fmt_value

    if value is None:
        return None
    fact = _fact_for(rs, key)
    return fmt_value(fact, value).get(lang) if fact else str(value)


def compare(old, new, rs, ev_old, ev_new, lang: str) -> dict[str, Any]:
    from ..core.text.i18n import OVERALL, STATUS

    a, b = flatten(old.answers), flatten(new.answers)
    order = list(dict.fromkeys([*rs.facts, *a, *b]))
    keys = [k for k in dict.fromkeys([*a, *b]) if a.get(k) != b.get(k)]
    rank = {k: i for i, k in enumerate(order)}
    keys.sort(key=lambda k: (rank.get(k.partition("[")[0], len(order)), k))
    answers = [
        {
            "fact": k,
            "label": _label(rs, k, lang, a, b),
            "old": a.get(k),
            "new": b.get(k),
            "old_text": _text(rs, k, a.get(k), lang),
            "new_text": _text(rs, k, b.get(k), lang),
        }
        for k in keys
    ]
    verdicts = []
    for ro, rn in zip(ev_old.results, ev_new.results, strict=True):
        if ro.status != rn.status:
            verdicts.append(
                {
                    "id": rn.rule.id,
                    "clause": rn.rule.clause,
                    "heading": rn.rule.heading.get(lang),
                    "old": ro.status,
                    "new": rn.status,
                    "old_label": STATUS[ro.status].get(lang),
                    "new_label": STATUS[rn.status].get(lang),
                    "reason": rn.reason.get(lang),
                }
            )
    return {
        "old": old.source,
        "new": new.source,
        "equipment": new.equipment,
        "ruleset": {"id": rs.id, "edition": rs.edition},
        "overall": {
            "old": ev_old.status,
            "new": ev_new.status,
            "old_label": OVERALL[ev_old.status].get(lang),
            "new_label": OVERALL[ev_new.status].get(lang),
        },
        "answers": answers,
        "verdicts": verdicts,
    }


def to_text(d: dict, lang: str) -> str:
    from .labels import colon, plain

    unanswered = word("profile_diff.not_answered", lang)
    out = [f"--- {d['old']}", f"+++ {d['new']}"]
    o = d["overall"]
    overall = word("profile_diff.overall", lang)
    out.append(
        f"{overall}{colon(lang)}{o['old_label']} → {o['new_label']}"
        if o["old"] != o["new"]
        else f"{overall}{colon(lang)}{o['new_label']}{word('profile_diff.unchanged', lang)}"
    )
    out.append("")
    out.append(_heading("profile_diff.answers", len(d["answers"]), lang))
    for c in d["answers"]:
        out.append(f"  {c['fact']}  {c['label']}")
        out.append(f"    - {c['old_text'] if c['old_text'] is not None else unanswered}")
        out.append(f"    + {c['new_text'] if c['new_text'] is not None else unanswered}")
    out.append("")
    out.append(_heading("profile_diff.verdicts", len(d["verdicts"]), lang))
    for v in d["verdicts"]:
        out.append(
            f"  {v['clause']} {v['id']} {v['heading']}{colon(lang)}{v['old_label']} → {v['new_label']}"
        )
        out.append(f"    {v['reason']}")
    return plain("\n".join(out) + "\n")


def _heading(key: str, n: int, lang: str) -> str:
    """ "回答变化（2）：" / "Answers changed (2):" (no colon when nothing follows)."""
    return tr(key if n else f"{key}_none", lang, n=n)
