"""The interview engine: pure, no UI. The TUI and the line mode are thin layers over it.

The next question is derived from the evaluator, never from a hand-written list: after every
answer the rules are evaluated, and the next question is the first (in interview order) of
the facts that some still-open rule needs. Rules that are exempt or not applicable need
nothing, so their facts are never asked; facts of other equipment are never read.

Rosters (the proton clinical staff) are asked person by person: "add a person?", then the
person's name and role, then whatever of their fields the rules still need, then "add
another?". People can also be added, changed and removed at any time (``add_person``,
``edit``, ``remove_person``).

Any answer can be changed at any time (``edit``). The answers in use are always exactly what
a fresh interview would keep of everything typed (``replay``); an answer an edit makes
irrelevant moves to ``kept``: not evaluated, not saved, but shown as unused and put back
without asking as soon as the question matters again. ``back`` undoes the last operation;
the undo history records what each operation changed, never copies of the answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..core import answers as parsing
from ..core.evaluate import evaluate
from ..core.i18n import Msg
from ..core.loader import Ruleset
from ..core.model import Choice, Fact, Text
from ..core.results import Evaluation
from .questions import Question

_INDEXED = re.compile(r"^(?P<roster>.+)\[(?P<i>\d+)\]\.(?P<field>[a-z0-9_]+)$")
ADD = "add"  # pseudo-field of a roster: "add a (another) person?"
ALWAYS_FIRST = ("role", "name")


@dataclass(frozen=True)
class Step:
    """What to ask now. ``key`` is what the line mode prints in its prompt: a fact key,
    ``roster[i].field`` for a person's field, or ``roster.add`` for "add a person?"."""

    key: str
    question: Question
    fact: Fact
    roster: str | None = None
    index: int | None = None
    first_person: bool = False

    def prompt(self, lang: str) -> str:
        if self.fact.key == ADD:
            label = self.question.fact.label.get(lang)
            if self.first_person:
                intro = self.question.prompt.get(lang)
                return (
                    f"{intro}（现在添加第一位人员吗？）"
                    if lang == "zh"
                    else f"{intro} (Add the first person now?)"
                )
            return f"{label}：再添加一位吗？" if lang == "zh" else f"{label}: add another person?"
        text = self.question.prompt.get(lang)
        if self.index is not None:
            text = (
                f"第 {self.index + 1} 位人员 · " if lang == "zh" else f"Person {self.index + 1} · "
            ) + text
        return text


_ADD_FACT = Fact(key=ADD, type="bool", label=Text(zh="添加人员", en="Add a person"))
_ABSENT = object()


@dataclass
class _Op:
    """One undoable operation: the changes it made, oldest first, and the roster that was
    open before it. A change is ``(kind, *where, old)``: kind ``a`` an answer (``old`` is
    ``_ABSENT`` when there was none), ``k`` a kept answer, ``s`` skipped-ness, ``n`` a
    roster's length (people appended), ``d`` a person removed."""

    what: str
    open_roster: str | None
    changes: list[tuple] = field(default_factory=list)


@dataclass(frozen=True)
class ReviewItem:
    """One answer as the review screen lists it."""

    key: str  # flat key: ``fact`` or ``roster[i].field``
    question: Question
    value: Any
    used: bool  # False: kept, but no question needs it now
    person: str | None = None  # the person's name, for a roster field


class Interview:
    def __init__(
        self,
        rs: Ruleset,
        equipment: str,
        questions: list[Question],
        answers: dict[str, Any] | None = None,
        skipped: set[str] | None = None,
    ) -> None:
        self.rs = rs
        self.equipment = equipment
        self.questions = questions
        self.answers: dict[str, Any] = answers if answers is not None else {}
        self.skipped: set[str] = skipped if skipped is not None else set()
        self.kept: dict[str, Any] = {}
        self.history: list[_Op] = []
        # The roster the user is adding people to right now: after each person, "add another?".
        self.open_roster: str | None = None
        self._op: _Op | None = None
        self.by_key = {q.key: q for q in questions}
        self.ev: Evaluation = evaluate(rs, equipment, self.answers)

    # --- what to ask ---------------------------------------------------------------------

    def _order(self, key: str) -> tuple[int, int, int]:
        m = _INDEXED.match(key)
        if m:
            q = self.by_key.get(f"{m['roster']}.{m['field']}")
            roster_q = self.by_key[m["roster"]]
            return (roster_q.order, int(m["i"]), q.order if q else 10**6)
        q = self.by_key.get(key)
        return (q.order if q else 10**6, -1, -1)

    def needed(self) -> list[str]:
        """Facts some open rule still needs, in interview order (skipped ones included)."""
        return sorted(set(self.ev.missing), key=self._order)

    def next(self) -> Step | None:
        # Identity questions (the institution's name) open the conversation.
        for q in self.questions:
            if (
                q.fact.identity
                and q.roster is None
                and q.key not in self.answers
                and q.key not in self.skipped
            ):
                return Step(q.key, q, q.fact)
        # A person being added: name and role first, then what the rules need of them.
        for roster, people in self._rosters():
            for i, person in enumerate(people):
                for fld in ALWAYS_FIRST:
                    key = f"{roster}[{i}].{fld}"
                    if fld not in person and key not in self.skipped and f"{roster}.{fld}" in self.by_key:
                        return self._person_step(roster, i, fld)
        candidates = [k for k in self.needed() if k not in self.skipped]
        if self.open_roster is not None:
            candidates.append(f"{self.open_roster}.{ADD}")
        for key in sorted(candidates, key=self._priority):
            if self.open_roster is not None and key == f"{self.open_roster}.{ADD}":
                q = self.by_key[self.open_roster]
                return Step(key, q, _ADD_FACT, roster=self.open_roster)
            m = _INDEXED.match(key)
            if m:
                return self._person_step(m["roster"], int(m["i"]), m["field"])
            q = self.by_key.get(key)
            if q is None:
                continue
            if q.fact.type == "roster":
                if f"{key}.{ADD}" in self.skipped:
                    continue
                return Step(f"{key}.{ADD}", q, _ADD_FACT, roster=key, first_person=True)
            return Step(key, q, q.fact)
        return None

    def _priority(self, key: str) -> tuple[int, int, int]:
        """Interview order, except that while people are being added the newest person is
        completed first and "add another?" follows at once."""
        if self.open_roster is not None:
            newest = len(self.answers.get(self.open_roster) or []) - 1
            if key == f"{self.open_roster}.{ADD}":
                return (-1, 1, 0)
            m = _INDEXED.match(key)
            if m and m["roster"] == self.open_roster and int(m["i"]) == newest:
                return (-1, 0, self._order(key)[2])
        return self._order(key)

    def _rosters(self):
        for q in self.questions:
            if q.fact.type == "roster" and isinstance(self.answers.get(q.key), list):
                yield q.key, self.answers[q.key]

    def rosters(self) -> list[Question]:
        """The roster questions of this interview (proton: the clinical staff)."""
        return [q for q in self.questions if q.fact.type == "roster"]

    def _person_step(self, roster: str, i: int, fld: str) -> Step:
        q = self.by_key[f"{roster}.{fld}"]
        return Step(f"{roster}[{i}].{fld}", q, q.fact, roster=roster, index=i)

    def step_for(self, key: str) -> Step | None:
        """The step that asks (or asked) the flat ``key``; None for no such question."""
        m = _INDEXED.match(key)
        if m:
            people = self.answers.get(m["roster"]) or []
            if f"{m['roster']}.{m['field']}" not in self.by_key or int(m["i"]) >= len(people):
                return None
            return self._person_step(m["roster"], int(m["i"]), m["field"])
        q = self.by_key.get(key)
        if q is None or q.roster is not None or q.fact.type == "roster":
            return None
        return Step(key, q, q.fact)

    @property
    def done(self) -> bool:
        return self.next() is None

    # --- changes, recorded for undo --------------------------------------------------------

    def _begin(self, what: str) -> _Op:
        self._op = _Op(what, self.open_roster)
        return self._op

    def _commit(self) -> None:
        op, self._op = self._op, None
        assert op is not None
        self._reevaluate()
        self._settle(op)
        self.history.append(op)

    def _put(self, key: str, value: Any) -> None:
        """Set the answer at flat ``key`` (a person's field: the person must exist)."""
        assert self._op is not None
        m = _INDEXED.match(key)
        if m:
            person = self.answers[m["roster"]][int(m["i"])]
            self._op.changes.append(("a", key, person.get(m["field"], _ABSENT)))
            person[m["field"]] = value
        else:
            self._op.changes.append(("a", key, self.answers.get(key, _ABSENT)))
            self.answers[key] = value

    def _drop(self, key: str) -> None:
        assert self._op is not None
        m = _INDEXED.match(key)
        if m:
            person = self.answers[m["roster"]][int(m["i"])]
            if m["field"] in person:
                self._op.changes.append(("a", key, person.pop(m["field"])))
        elif key in self.answers:
            self._op.changes.append(("a", key, self.answers.pop(key)))

    def _keep(self, key: str, value: Any = _ABSENT) -> None:
        """Set (or with no value, forget) the kept, unused answer at flat ``key``."""
        assert self._op is not None
        old = self.kept.get(key, _ABSENT)
        if old is _ABSENT and value is _ABSENT:
            return
        self._op.changes.append(("k", key, old))
        if value is _ABSENT:
            del self.kept[key]
        else:
            self.kept[key] = value

    def _skip_mark(self, key: str, skipped: bool) -> None:
        assert self._op is not None
        if (key in self.skipped) != skipped:
            self._op.changes.append(("s", key, key in self.skipped))
            (self.skipped.add if skipped else self.skipped.discard)(key)

    def _append_person(self, roster: str) -> None:
        assert self._op is not None
        people = self.answers.get(roster)
        self._op.changes.append(("n", roster, _ABSENT if people is None else len(people)))
        if people is None:
            people = self.answers[roster] = []
        people.append({})

    def _undo_change(self, change: tuple) -> None:
        kind = change[0]
        if kind == "a":
            _, key, old = change
            m = _INDEXED.match(key)
            store = self.answers[m["roster"]][int(m["i"])] if m else self.answers
            name = m["field"] if m else key
            if old is _ABSENT:
                store.pop(name, None)
            else:
                store[name] = old
        elif kind == "k":
            _, key, old = change
            if old is _ABSENT:
                self.kept.pop(key, None)
            else:
                self.kept[key] = old
        elif kind == "s":
            _, key, was = change
            (self.skipped.add if was else self.skipped.discard)(key)
        elif kind == "n":
            _, roster, old_len = change
            if old_len is _ABSENT:
                self.answers.pop(roster, None)
            else:
                del self.answers[roster][old_len:]
        elif kind == "d":
            _, roster, i, person = change
            self.answers[roster].insert(i, person)

    def _settle(self, op: _Op) -> None:
        """Put kept answers back, without asking, as soon as their question comes up again
        (that is what a fresh interview given everything typed would do)."""
        for _ in range(10_000):
            step = self.next()
            if step is None:
                return
            if step.fact.key == ADD:
                if step.roster not in self.kept:
                    return
                value = self.kept[step.roster]
                self._keep(step.roster)
                self._put(step.roster, value)
                self._skip_mark(step.key, False)
            elif step.key in self.kept:
                value = self.kept[step.key]
                self._keep(step.key)
                self._put(step.key, value)
            else:
                return
            self._reevaluate()

    # --- operations ----------------------------------------------------------------------

    def answer(self, text: str) -> Step | None:
        """Answer the current question with what the user typed; raises AnswerError with a
        bilingual reason when the text cannot be read. Returns the next step."""
        step = self.next()
        if step is None:
            raise parsing.AnswerError(Msg("问题已全部回答", "there are no more questions"))
        value = parsing.parse(text, step.fact)
        self.set(step, value)
        return self.next()

    def set(self, step: Step, value: Any) -> None:
        """Record a parsed value for a step (used by the TUI's choice list too)."""
        self._begin("answer")
        if step.fact.key == ADD:
            roster = step.roster
            assert roster is not None
            if roster not in self.answers:
                self._put(roster, [])
            if value:
                self._append_person(roster)
                self.open_roster = roster
            else:
                self.open_roster = None
        else:
            self._put(step.key, value)
            self._keep(step.key)
            self._skip_mark(step.key, False)
        self._commit()

    def skip(self) -> Step | None:
        step = self.next()
        if step is None:
            return None
        if step.fact.key == ADD:
            # Skipping "add a person?" means no (more) people for now.
            self.set(step, False)
            return self.next()
        self._begin("skip")
        self._skip_mark(step.key, True)
        self._commit()
        return self.next()

    def back(self) -> bool:
        """Undo the last operation (an answer, a skip, an edit, a person added or removed);
        False when there is nothing to undo."""
        if not self.history:
            return False
        op = self.history.pop()
        for change in reversed(op.changes):
            self._undo_change(change)
        self.open_roster = op.open_roster
        self._reevaluate()
        return True

    def edit(self, key: str, text: str) -> None:
        """Change an earlier answer from what the user typed (see ``edit_value``)."""
        step = self.step_for(key)
        if step is None:
            raise parsing.AnswerError(Msg(f"没有可修改的 {key}", f"nothing to edit at {key}"))
        self.edit_value(key, parsing.parse(text, step.fact))

    def edit_value(self, key: str, value: Any) -> None:
        """Change the answer at flat ``key`` (a fact key or ``roster[i].field``), keeping
        every other answer. Answers the change makes irrelevant move to ``kept``; kept
        answers it makes relevant again come back; questions it opens are asked next."""
        if self.step_for(key) is None:
            raise parsing.AnswerError(Msg(f"没有可修改的 {key}", f"nothing to edit at {key}"))
        self._begin("edit")
        self._put(key, value)
        self._keep(key)
        self._skip_mark(key, False)
        self._realign()
        self._commit()

    def add_person(self, roster: str) -> None:
        """Start a new person on ``roster`` now: their role and name are asked next, then
        what decides their qualification, then "add another?"."""
        if roster not in self.by_key or self.by_key[roster].fact.type != "roster":
            raise parsing.AnswerError(Msg(f"没有名单 {roster}", f"no roster {roster}"))
        self._begin("add_person")
        if roster in self.kept and roster not in self.answers:
            value = self.kept[roster]
            self._keep(roster)
            self._put(roster, value)
        self._skip_mark(f"{roster}.{ADD}", False)
        self._append_person(roster)
        self.open_roster = roster
        self._commit()

    def remove_person(self, roster: str, index: int) -> None:
        people = self.answers.get(roster) or []
        if not 0 <= index < len(people):
            raise parsing.AnswerError(Msg(f"没有第 {index + 1} 位人员", f"there is no person {index + 1}"))
        self._begin("remove_person")
        prefix = f"{roster}["
        # Kept and skipped fields of later people move up one place with them.
        moved = [k for k in [*self.kept, *self.skipped] if k.startswith(prefix)]
        shifted_kept: dict[str, Any] = {}
        shifted_skip: list[str] = []
        for key in dict.fromkeys(moved):
            m = _INDEXED.match(key)
            if m is None:
                continue
            i = int(m["i"])
            if key in self.kept:
                value = self.kept[key]
                self._keep(key)
                if i > index:
                    shifted_kept[f"{roster}[{i - 1}].{m['field']}"] = value
            if key in self.skipped:
                self._skip_mark(key, False)
                if i > index:
                    shifted_skip.append(f"{roster}[{i - 1}].{m['field']}")
        for key, value in shifted_kept.items():
            self._keep(key, value)
        for key in shifted_skip:
            self._skip_mark(key, True)
        self._op.changes.append(("d", roster, index, people.pop(index)))  # type: ignore[union-attr]
        if self.open_roster == roster and not people:
            self.open_roster = None
        self._realign()
        self._commit()

    def _realign(self) -> None:
        """Make the answers in use exactly what a fresh interview keeps of everything typed
        (``replay``); move the rest to ``kept``, unused; recorded change by change."""
        merged = self.everything()
        used = replay(self.rs, self.equipment, self.questions, merged)
        for key in list(self.answers):
            if key not in used:
                self._drop(key)
                if self._is_roster_key(key):
                    for k in [k for k in self.kept if k.startswith(f"{key}[")]:
                        self._keep(k)  # now inside the roster kept whole
                self._keep(key, merged[key])
        for key, value in used.items():
            if not self._is_roster_key(key):
                if self.answers.get(key, _ABSENT) != value:
                    self._put(key, value)
                self._keep(key)
                continue
            if key not in self.answers:
                self._keep(key)
                self._put(key, [{} for _ in value])
            for k in [k for k in self.kept if k.startswith(f"{key}[")]:
                self._keep(k)  # re-derived below
            for i, person in enumerate(value):
                have = self.answers[key][i]
                for fld, typed in merged[key][i].items():
                    fk = f"{key}[{i}].{fld}"
                    if fld in person:
                        if have.get(fld, _ABSENT) != person[fld]:
                            self._put(fk, person[fld])
                    else:
                        self._drop(fk)
                        self._keep(fk, typed)
        self._reevaluate()

    def _is_roster_key(self, key: str) -> bool:
        q = self.by_key.get(key)
        return q is not None and q.fact.type == "roster"

    def everything(self) -> dict[str, Any]:
        """Every answer typed, in use or kept: what ``replay`` is given."""
        out: dict[str, Any] = {}
        for key, value in [
            *self.answers.items(),
            *((k, v) for k, v in self.kept.items() if not _INDEXED.match(k)),
        ]:
            out[key] = [dict(p) for p in value] if _is_roster(value) else value
        for key, value in self.kept.items():
            m = _INDEXED.match(key)
            if m and int(m["i"]) < len(out.get(m["roster"]) or []):
                out[m["roster"]][int(m["i"])].setdefault(m["field"], value)
        return out

    def _reevaluate(self) -> None:
        self.ev = evaluate(self.rs, self.equipment, self.answers)

    # --- information ---------------------------------------------------------------------

    def why(self, step: Step | None = None) -> list[dict]:
        """The clauses that need this step's fact: id, clause, text, status, the exemption
        clauses that could remove them, and ``via`` — the exemption clause through which
        the fact matters when it is an exemption's condition rather than the clause's own."""
        step = step or self.next()
        if step is None:
            return []
        return self.feeds(step.question.key)

    def feeds(self, key: str) -> list[dict]:
        """The clauses a question (``fact`` or ``roster.field``) feeds, with their status."""
        from ..core.loader import facts_read

        out = []
        for r in self.ev.results:
            rule = r.rule
            via = None
            if key not in self.rs.rule_facts(rule):
                for ex, g_key in self.rs.waivers_of(rule.id):
                    ground = next(g for g in ex.grounds if g.key == g_key)
                    roster = rule.roster if ex.scope == "person" else None
                    if key in facts_read(ground.when, roster):
                        via = ex.id
                        break
                else:
                    continue
            out.append(
                {
                    "id": rule.id,
                    "clause": rule.clause,
                    "text": Msg(rule.text_zh, rule.text_en),
                    "status": r.status,
                    "via": via,
                    "waivers": [
                        (ex.id, ex.clause, next(g.label for g in ex.grounds if g.key == g_key))
                        for ex, g_key in self.rs.waivers_of(rule.id)
                    ],
                }
            )
        return out

    def progress(self) -> tuple[int, int]:
        """(answered, still needed) — needed counts the open facts known now."""
        answered = sum(1 for k in self.answers if k in self.by_key and not self.by_key[k].fact.identity)
        answered += sum(len(p) for _, people in self._rosters() for p in people)
        needed = len([k for k in self.needed() if k not in self.skipped])
        return answered, needed

    def estimate(self) -> tuple[int, bool]:
        """(questions left that are known now, whether more may follow). More may follow
        while a roster is open or unanswered (each person adds questions) or while an open
        question is one that decides whether other clauses apply or are waived."""
        left = [k for k in self.needed() if k not in self.skipped]
        more = self.open_roster is not None
        if not more:
            gates = self._gates()
            for k in left:
                m = _INDEXED.match(k)
                qkey = f"{m['roster']}.{m['field']}" if m else k
                if qkey in gates or (qkey in self.by_key and self.by_key[qkey].fact.type == "roster"):
                    more = True
                    break
        return len(left) + (1 if self.open_roster is not None else 0), more

    def _gates(self) -> set[str]:
        """Facts whose answer can open further questions: read by an applicability test or
        an exemption ground, or a person's role."""
        from ..core.loader import facts_read

        gates: set[str] = set()
        for rule in self.rs.rules_for(self.equipment):
            roster = rule.roster if rule.scope == "person" else None
            gates.update(facts_read(rule.applies_when, roster))
            if roster:
                gates.add(f"{roster}.role")
        for ex in self.rs.exemptions_for(self.equipment):
            for g in ex.grounds:
                gates.update(facts_read(g.when))
        return gates

    def tally(self) -> dict[str, int]:
        return dict(self.ev.counts)

    def review(self) -> list[ReviewItem]:
        """Every answer, in use or kept, in interview order (rosters person by person)."""
        items: list[ReviewItem] = []
        for key, value in [*_flat(self.answers).items(), *((k, v) for k, v in self.kept.items())]:
            m = _INDEXED.match(key)
            qkey = f"{m['roster']}.{m['field']}" if m else key
            q = self.by_key.get(qkey)
            if q is None or q.fact.type == "roster":
                continue  # a whole roster kept unused: its people are listed below
            person = None
            if m:
                people = self.answers.get(m["roster"]) or []
                i = int(m["i"])
                person = (people[i].get("name") if i < len(people) else None) or f"#{i + 1}"
            items.append(ReviewItem(key, q, value, key not in self.kept, person))
        for roster, people in self.kept.items():
            if _is_roster(people):
                for i, p in enumerate(people):
                    for fld, value in p.items():
                        q = self.by_key.get(f"{roster}.{fld}")
                        if q is not None:
                            items.append(
                                ReviewItem(
                                    f"{roster}[{i}].{fld}", q, value, False, p.get("name") or f"#{i + 1}"
                                )
                            )
        return sorted(items, key=lambda it: self._order(it.key))

    def find(self, text: str) -> list[str]:
        """Flat keys of the answers ``text`` names: a key exactly, or a unique part of a
        question's label or prompt (with the person's name for a roster field)."""
        want = parsing.normalize(text).lower().strip()
        if not want:
            return []
        items = [it for it in self.review() if it.used or it.key in self.kept]
        keys = [it.key for it in items]
        if want in (k.lower() for k in keys):
            return [k for k in keys if k.lower() == want]
        if self.step_for(want) is not None:
            return [want]
        hits = []
        for it in items:
            q = it.question
            words = [q.key, q.fact.label.zh, q.fact.label.en, q.prompt.zh, q.prompt.en]
            hay = " ".join([*(w for w in words), it.person or ""]).lower()
            if all(part in hay for part in want.split()):
                hits.append(it.key)
        return hits

    def people(self, roster: str) -> list[dict[str, Any]]:
        """The people on ``roster`` now (role, name, qualified and by which route)."""
        summaries = {p.index: p for p in self.ev.people if p.roster == roster}
        out = []
        for i, person in enumerate(self.answers.get(roster) or []):
            s = summaries.get(i)
            out.append({"index": i, "person": person, "summary": s})
        return out


def _is_roster(value: Any) -> bool:
    """A roster value: a list of people. (An empty list may be an empty set of choices too;
    both copy and flatten alike.)"""
    return isinstance(value, list) and all(isinstance(p, dict) for p in value)


def _flat(answers: dict[str, Any]) -> dict[str, Any]:
    """``roster[i].field`` for each person's field, the fact key for everything else."""
    out: dict[str, Any] = {}
    for key, value in answers.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            for i, person in enumerate(value):
                for fld, v in person.items():
                    out[f"{key}[{i}].{fld}"] = v
        else:
            out[key] = value
    return out


def replay(rs: Ruleset, equipment: str, questions: list[Question], given: dict[str, Any]) -> dict[str, Any]:
    """Run the interview answering from ``given`` and skipping what it does not answer.
    Returns the answers that were asked for: what a fresh interview keeps of ``given``."""
    iv = Interview(rs, equipment, questions)
    seen = 0
    while (step := iv.next()) is not None:
        seen += 1
        if seen > 10_000:  # pragma: no cover - a ruleset bug, not user input
            break
        if step.fact.key == ADD:
            have = given.get(step.roster) or []
            now = len(iv.answers.get(step.roster) or [])
            if step.roster not in given:
                iv.skipped.add(step.key)
                continue
            iv.set(step, now < len(have))
            continue
        if step.index is not None:
            person = (given.get(step.roster) or [])[step.index]
            if step.fact.key in person:
                iv.set(step, person[step.fact.key])
                continue
            iv.skipped.add(step.key)
            continue
        if step.key in given:
            iv.set(step, given[step.key])
            continue
        iv.skipped.add(step.key)
    return iv.answers


def resume(rs: Ruleset, equipment: str, questions: list[Question], given: dict[str, Any]) -> Interview:
    """An interview that continues from saved answers, asking only what is still needed.
    Every saved answer is kept (a hand-written profile may hold more than the interview
    would ask). A roster whose people are not all complete, or whose clauses are not met,
    stays open: after its people, "add another?" is asked."""
    iv = Interview(rs, equipment, questions, answers={k: _copy(v) for k, v in given.items()})
    for q in iv.rosters():
        people = iv.answers.get(q.key)
        if not isinstance(people, list) or not people:
            continue
        incomplete = any(k.startswith(f"{q.key}[") for k in iv.ev.missing)
        short = any(
            r.status in ("not_met", "unknown") and q.key in rs.rule_facts(r.rule) for r in iv.ev.results
        )
        if incomplete or short:
            iv.open_roster = q.key
            break
    return iv


def _copy(value: Any) -> Any:
    return [dict(p) for p in value] if _is_roster(value) else value


def choice_list(fact: Fact) -> list[Choice]:
    if fact.type == "bool":
        return [Choice(key="yes", zh="是", en="Yes"), Choice(key="no", zh="否", en="No")]
    return list(fact.choices)
