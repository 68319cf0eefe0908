"""The answer to "why is this asked?": the clauses that read the fact being asked, their
status and what could waive them, and the exemption grounds that read it."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from ...core.rules.loader import facts_read
from ...interview.engine import Step
from ...interview.session import Session
from ..strings import t
from ..widgets.status import status_label


def why_text(session: Session, step: Step, lang: str) -> Text | str:
    rows = session.iv.why(step)
    grounds = grounds_reading(session, step)
    if not rows and not grounds:
        return t(lang, "why_none" if step.fact.identity else "why_nothing")
    text = Text()
    for ex, g in grounds:
        if text:
            text.append("\n")
        waived = (
            "、".join(session.rs.waived[ex.id][g.key])
            if lang == "zh"
            else ", ".join(session.rs.waived[ex.id][g.key])
        )
        text.append(t(lang, "why_ground", clause=ex.clause, id=ex.id, label=g.label.get(lang)), style="bold")
        text.append("\n  " + waived, style="cyan")
    if not rows:
        return text
    if text:
        text.append("\n")
    text.append(t(lang, "why_head"), style="bold")
    for r in rows:
        text.append(f"\n{r['clause']} {r['id']} " if lang == "zh" else f"\n{r['id']} ")
        text.append_text(status_label(r["status"], lang))
        text.append("\n  " + r["text"].get(lang), style="dim")
        if r["waivers"]:
            grouped: dict[tuple[str, str], list[str]] = {}
            for ex_id, clause, label in r["waivers"]:
                grouped.setdefault((ex_id, clause), []).append(label.get(lang))
            for (ex_id, clause), labels in grouped.items():
                joined = "、".join(labels) if lang == "zh" else "; ".join(labels)
                text.append(
                    "\n  → " + t(lang, "why_waiver", clause=clause, id=ex_id, labels=joined), style="cyan"
                )
        else:
            text.append("\n  → " + t(lang, "why_no_waiver"), style="dim")
    return text


def grounds_reading(session: Session, step: Step) -> list[tuple[Any, Any]]:
    """Exemption grounds that read this step's fact. ``Interview.why`` lists only the rules
    that read a fact, so for ownership or new-build it would find nothing."""
    out = []
    for ex in session.rs.exemptions_for(session.equipment):
        for g in ex.grounds:
            keys = facts_read(g.when)
            wanted = step.fact.key if (ex.scope == "person" and step.roster) else step.question.key
            if wanted in keys:
                out.append((ex, g))
    return out
