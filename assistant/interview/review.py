"""What the review and roster screens show: every answer with its use, finding an answer
by key or label, the estimate of questions left, the people on a roster.

Imports: core, and the engine of this package.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..core.profile import answers as parsing
from ..core.text.messages import tr
from .changes import INDEXED, flat, is_roster
from .engine import Interview
from .questions import Question


@dataclass(frozen=True)
class ReviewItem:
    """One answer as the review screen lists it."""

    key: str  # flat key: ``fact`` or ``roster[i].field``
    question: Question
    value: Any
    used: bool  # False: kept, but no question needs it now
    person: str | None = None  # the person's name, for a roster field


def estimate(iv: Interview) -> tuple[int, bool]:
    """(questions left that are known now, whether more may follow). More may follow
    while a roster is open or unanswered (each person adds questions) or while an open
    question is one that decides whether other clauses apply or are waived."""
    left = [k for k in iv.needed() if k not in iv.skipped]
    more = iv.open_roster is not None
    if not more:
        gates = _gates(iv)
        for k in left:
            m = INDEXED.match(k)
            qkey = f"{m['roster']}.{m['field']}" if m else k
            if qkey in gates or (qkey in iv.by_key and iv.by_key[qkey].fact.type == "roster"):
                more = True
                break
    return len(left) + (1 if iv.open_roster is not None else 0), more


def _gates(iv: Interview) -> set[str]:
    """Facts whose answer can open further questions: read by an applicability test or
    an exemption ground, or a person's role."""
    from ..core.rules.loader import facts_read

    gates: set[str] = set()
    for rule in iv.rs.rules_for(iv.equipment):
        roster = rule.roster if rule.scope == "person" else None
        gates.update(facts_read(rule.applies_when, roster))
        if roster:
            gates.add(f"{roster}.role")
    for ex in iv.rs.exemptions_for(iv.equipment):
        for g in ex.grounds:
            gates.update(facts_read(g.when))
    return gates


def review(iv: Interview) -> list[ReviewItem]:
    """Every answer, in use or kept, in interview order (rosters person by person)."""
    items: list[ReviewItem] = []
    for key, value in [*flat(iv.answers).items(), *((k, v) for k, v in iv.kept.items())]:
        m = INDEXED.match(key)
        qkey = f"{m['roster']}.{m['field']}" if m else key
        q = iv.by_key.get(qkey)
        if q is None or q.fact.type == "roster":
            continue  # a whole roster kept unused: its people are listed below
        person = None
        if m:
            people = iv.answers.get(m["roster"]) or []
            i = int(m["i"])
            person = (people[i].get("name") if i < len(people) else None) or f"#{i + 1}"
        items.append(ReviewItem(key, q, value, key not in iv.kept, person))
    for roster, people in iv.kept.items():
        if is_roster(people):
            for i, p in enumerate(people):
                for fld, value in p.items():
                    q = iv.by_key.get(f"{roster}.{fld}")
                    if q is not None:
                        items.append(
                            ReviewItem(f"{roster}[{i}].{fld}", q, value, False, p.get("name") or f"#{i + 1}")
                        )
    return sorted(items, key=lambda it: iv._order(it.key))


def find(iv: Interview, text: str) -> list[str]:
    """Flat keys of the answers ``text`` names: a key exactly, or a unique part of a
    question's label or prompt (with the person's name for a roster field)."""
    want = parsing.normalize(text).lower().strip()
    if not want:
        return []
    items = [it for it in review(iv) if it.used or it.key in iv.kept]
    keys = [it.key for it in items]
    if want in (k.lower() for k in keys):
        return [k for k in keys if k.lower() == want]
    if iv.step_for(want) is not None:
        return [want]
    hits = []
    for it in items:
        q = it.question
        words = [q.key, q.fact.label.zh, q.fact.label.en, q.prompt.zh, q.prompt.en]
        hay = " ".join([*(w for w in words), it.person or ""]).lower()
        if all(part in hay for part in want.split()):
            hits.append(it.key)
    return hits


def people(iv: Interview, roster: str) -> list[dict[str, Any]]:
    """The people on ``roster`` now (role, name, qualified and by which route)."""
    summaries = {p.index: p for p in iv.ev.people if p.roster == roster}
    out = []
    for i, person in enumerate(iv.answers.get(roster) or []):
        s = summaries.get(i)
        out.append({"index": i, "person": person, "summary": s})
    return out


# Words that open the review or the roster, in the chat and the line mode. ``edit KEY``
# (``修改 KEY``) names the answer to change at once.
EDIT_WORDS = ("edit", "修改", "更改", "改", "review", "复查", "检查答案")
STAFF_WORDS = ("staff", "人员", "名单", "roster", "人员名单")


def request_of(text: str) -> tuple[str, str] | None:
    """``("edit", KEY)`` / ``("edit", "")`` / ``("staff", "")`` for the words above, else None."""
    s = parsing.normalize(text).strip()
    head, _, rest = s.partition(" ")
    low = head.lower()
    if low in STAFF_WORDS and not rest:
        return ("staff", "")
    if low in EDIT_WORDS:
        return ("edit", rest.strip())
    for word in EDIT_WORDS:  # 修改机构名称: no space after a Chinese command word
        if not word.isascii() and s.startswith(word) and len(s) > len(word) and word != "改":
            return ("edit", s[len(word) :].strip())
    return None


def shown_value(item: ReviewItem, lang: str) -> str:
    """An answer as the review lists it."""
    from ..core.evaluate.results import fmt_value

    fact = item.question.fact
    return str(item.value) if fact.type == "text" else fmt_value(fact, item.value).get(lang)


def _fact_of(iv: Interview, key: str):
    m = INDEXED.match(key)
    q = iv.by_key.get(f"{m['roster']}.{m['field']}" if m else key)
    if q is not None:
        return q.fact
    if m:
        parent = iv.rs.facts.get(m["roster"])
        return (
            parent.fields_by_key.get(m["field"]) if parent is not None and parent.type == "roster" else None
        )
    return iv.rs.facts.get(key)


def label_of(iv: Interview, key: str, lang: str) -> str:
    """What an answer at flat ``key`` is called: its fact's label, with the person's name
    for a person's field ("张医生 · 职称")."""
    fact = _fact_of(iv, key)
    label = fact.label.get(lang) if fact is not None else key
    m = INDEXED.match(key)
    if m:
        people = iv.answers.get(m["roster"]) or []
        i = int(m["i"])
        name = (people[i].get("name") if i < len(people) else None) or (
            tr("interview.review.person", lang, i_1=i + 1)
        )
        return f"{name} · {label}"
    return label


def value_text(iv: Interview, key: str, value: Any, lang: str) -> str:
    """An answer at flat ``key`` in words, with its unit."""
    from ..core.evaluate.results import fmt_value

    fact = _fact_of(iv, key)
    if fact is None or fact.type == "text":
        return str(value)
    return fmt_value(fact, value).get(lang)
