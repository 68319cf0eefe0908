"""The interview engine: pure, no UI. The TUI and the line mode are thin layers over it.

The next question is derived from the evaluator, never from a hand-written list: after every
answer the rules are evaluated, and the next question is the first (in interview order) of
the facts that some still-open rule needs. Rules that are exempt or not applicable need
nothing, so their facts are never asked; facts of other equipment are never read.

Rosters (the proton clinical staff) are asked person by person: "add a person?", then the
person's name and role, then whatever of their fields the rules still need, then "add
another?". People can also be added, changed and removed at any time (``add_person``,
``edit``, ``remove_person``).

Any answer can be changed at any time (``edit``). The answers in use are always what a fresh
interview would keep of everything typed (``replay``), plus what a resumed file held beyond
that; an answer an edit makes irrelevant moves to ``kept``: not evaluated, saved in the
profile's ``[set_aside]``, shown as unused and put back without asking as soon as the
question matters again (``resume`` takes them back from the file). ``back`` undoes the last operation;
the undo history records what each operation changed, never copies of the answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..core.evaluate import evaluate
from ..core.evaluate.results import Evaluation
from ..core.profile import answers as parsing
from ..core.rules.loader import Ruleset
from ..core.rules.model import Choice, Fact, Text
from ..core.text.i18n import Msg
from ..core.text.messages import msg, tr
from .changes import ADD, Op, Recorded, copy_value
from .changes import INDEXED as _INDEXED
from .questions import Question

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
    person: str | None = None  # the person's name, once given: people are named by name

    @property
    def hints(self) -> parsing.Hints:
        """Aliases and option numbers of the question (none for "add a person?")."""
        return self.question.hints if self.fact is self.question.fact else parsing.NO_HINTS

    def prompt(self, lang: str) -> str:
        if self.fact.key == ADD:
            label = self.question.fact.label.get(lang)
            if self.first_person:
                intro = self.question.prompt.get(lang)
                return tr("interview.engine.add_first_person_now", lang, intro=intro)
            return tr("interview.engine.add_another_person", lang, label=label)
        text = self.question.prompt.get(lang)
        if self.index is not None:
            if self.person:
                who = self.person
            else:
                who = tr("interview.engine.person", lang, self_index_1=self.index + 1)
            text = f"{who} · {text}"
        return text


@dataclass(frozen=True)
class Reading:
    """A typed line, understood: exactly one of a command, a value or a refusal."""

    command: str | None = None
    value: Any = None
    refusal: Msg | None = None
    # An accepted value that a warning relation questions (one person in two roles): said
    # beside the answer, which is kept.
    warning: Msg | None = None

    @property
    def accepted(self) -> bool:
        return self.command is None and self.refusal is None


_ADD_FACT = Fact(key=ADD, type="bool", label=Text(zh="添加人员", en="Add a person"))


def add_fact() -> Fact:
    """The yes/no fact behind a roster's "add a person?" prompt."""
    return _ADD_FACT


class Interview(Recorded):
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
        self.history: list[Op] = []
        # The roster the user is adding people to right now: after each person, "add another?".
        self.open_roster: str | None = None
        self._op: Op | None = None
        self.by_key = {q.key: q for q in questions}
        # An answer given out of order realigns the others (see ``set``); ``replay`` answers
        # in order by construction and must not recurse into itself.
        self.realigns = True
        # ``replay`` keeps, besides what is asked, the answers a report still reads: the other
        # parts of a clause not met, a recommendation's facts. Typed, they stay in use; only
        # what no clause reads at all is set aside.
        self.keeps_decided = False
        self.ev: Evaluation = evaluate(rs, equipment, self.answers, say=True, people=True)

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
        """Facts some open rule still needs, in interview order (skipped ones included): the
        facts whose answer can still move an open clause to passing or failing. A clause
        already decided (a not met one's other unanswered parts, a met one's recommendation)
        asks nothing: no answer to them changes any verdict."""
        if self.keeps_decided:
            return sorted(set(self.ev.missing), key=self._order)
        wanted = {k for r in self.ev.results if r.status == "unknown" for k in r.missing}
        return sorted(wanted, key=self._order)

    def next(self) -> Step | None:
        """What to ask now: the institution's name first, then a person being added (role,
        name, and their staff number when the name repeats), then the first in interview
        order of the facts an open clause can still be decided by; None when nothing is."""
        step = self._identity_step() or self._person_first_step()
        if step is not None:
            return step
        candidates = [k for k in self.needed() if k not in self.skipped]
        if self.open_roster is not None:
            candidates.append(f"{self.open_roster}.{ADD}")
        for key in sorted(candidates, key=self._priority):
            step = self._step_at(key)
            if step is not None:
                return step
        return None

    def _identity_step(self) -> Step | None:
        """Identity questions (the institution's name) open the conversation."""
        for q in self.questions:
            if (
                q.fact.identity
                and q.roster is None
                and q.key not in self.answers
                and q.key not in self.skipped
            ):
                return Step(q.key, q, q.fact)
        return None

    def _person_first_step(self) -> Step | None:
        """A person being added: name and role first (and the staff number that tells apart
        two people of one name), before what the rules need of them."""
        for roster, people in self._rosters():
            for i, person in enumerate(people):
                for fld in (*ALWAYS_FIRST, *self._telling_apart(roster, people, i)):
                    key = f"{roster}[{i}].{fld}"
                    if fld not in person and key not in self.skipped and f"{roster}.{fld}" in self.by_key:
                        return self._person_step(roster, i, fld)
        return None

    def _step_at(self, key: str) -> Step | None:
        """The step asking ``key`` (a fact, a person's field, or a roster's "add a person?");
        None for a fact no question asks or a roster the person declined to add to."""
        if self.open_roster is not None and key == f"{self.open_roster}.{ADD}":
            q = self.by_key[self.open_roster]
            return Step(key, q, _ADD_FACT, roster=self.open_roster)
        m = _INDEXED.match(key)
        if m:
            return self._person_step(m["roster"], int(m["i"]), m["field"])
        q = self.by_key.get(key)
        if q is None:
            return None
        if q.fact.type != "roster":
            return Step(key, q, q.fact)
        if f"{key}.{ADD}" in self.skipped:
            return None
        return Step(f"{key}.{ADD}", q, _ADD_FACT, roster=key, first_person=True)

    def _telling_apart(self, roster: str, people: list, i: int) -> tuple[str, ...]:
        """The staff-number field, when person ``i``'s name repeats another entry's (two
        people of one name are told apart by it; see ``relations.People``)."""
        told = self.rs.facts[roster].people
        if told is None or told.told_apart_by is None:
            return ()
        name = people[i].get(told.name)
        if not name or not any(p.get(told.name) == name for j, p in enumerate(people) if j != i):
            return ()
        return (told.told_apart_by,)

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
        people = self.answers.get(roster) or []
        name = people[i].get("name") if i < len(people) and isinstance(people[i], dict) else None
        return Step(f"{roster}[{i}].{fld}", q, q.fact, roster=roster, index=i, person=name or None)

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

    # --- operations ----------------------------------------------------------------------

    def answer(self, text: str) -> Step | None:
        """Answer the current question with what the user typed; raises AnswerError with a
        bilingual reason when the text cannot be read. Returns the next step."""
        step = self.next()
        if step is None:
            raise parsing.AnswerError(msg("interview.engine.there_are_no_more_questions"))
        self.set(step, self.parse(step, text))
        return self.next()

    def parse(self, step: Step, text: str) -> Any:
        """What ``text`` means as an answer to ``step``: the one parser every front end uses,
        then the relations between facts (``relations.py``): an answer that breaks a refusing
        one is refused, naming both facts and values. Raises AnswerError."""
        value = parsing.parse(text, step.fact, step.hints)
        found = [b for b in self.breaches_with(step, value) if b.refuses]
        if found:
            raise parsing.AnswerError(found[0].message)
        return value

    def breaches_with(self, step: Step, value: Any) -> list:
        """The relations answering ``step`` with ``value`` would break (refusing or warning)."""
        if step.fact.key == ADD:
            return []
        from ..core.rules.checks.consistency import breaches_with

        return breaches_with(self.rs.facts, self.answers, step.key, value, self.equipment)

    def read(self, step: Step, text: str) -> Reading:
        """What a line typed at ``step`` does: steer the conversation (a command word), give
        a value, or get refused. The chat and the line mode both act on this, so the same
        text does the same thing in both."""
        cmd = parsing.command_of(text)
        if cmd is not None:
            return Reading(command=cmd)
        try:
            value = self.parse(step, text)
        except parsing.AnswerError as e:
            return Reading(refusal=e.msg)
        said = [b.message for b in self.breaches_with(step, value) if not b.refuses]
        return Reading(value=value, warning=said[0] if said else None)

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
            if self.realigns and self._out_of_order(step.key):
                # Answered out of order (a question skipped or reopened earlier): it may make
                # answers typed after it irrelevant, as an edit can. The file's answers stay
                # where the person put them; only an edit moves those.
                self._realign(self.loaded())
        self._commit()

    def _out_of_order(self, key: str) -> bool:
        """Whether a question later in the interview than ``key``'s is answered already.
        (A person's fields are compared as their roster's place: they are asked together.)"""
        m = _INDEXED.match(key)
        here = self.by_key[m["roster"]].order if m else self._order(key)[0]
        return any(
            q is not None and q.order > here and q.key != key
            for q in (self.by_key.get(k) for k in self.answers)
        )

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

    def edit(self, key: str, text: str) -> list[Msg]:
        """Change an earlier answer from what the user typed (see ``edit_value``); returns
        what a warning relation says of the new answer (kept all the same)."""
        step = self.step_for(key)
        if step is None:
            raise parsing.AnswerError(msg("interview.engine.nothing_to_edit_at", key=key))
        value = self.parse(step, text)
        said = [b.message for b in self.breaches_with(step, value) if not b.refuses]
        self.edit_value(key, value)
        return said

    def edit_value(self, key: str, value: Any) -> None:
        """Change the answer at flat ``key`` (a fact key or ``roster[i].field``), keeping
        every other answer. Answers the change makes irrelevant move to ``kept``; kept
        answers it makes relevant again come back; questions it opens are asked next."""
        if self.step_for(key) is None:
            raise parsing.AnswerError(msg("interview.engine.nothing_to_edit_at", key=key))
        self._unmark(key)
        extras = self.extras() - {key}
        self._begin("edit")
        self._put(key, value)
        self._keep(key)
        self._skip_mark(key, False)
        self._realign(extras)
        self._commit()

    def forget(self, keys: list[str]) -> None:
        """Remove answers no question asks (a retired fact's), as one operation ``back``
        undoes."""
        self._begin("forget")
        for key in keys:
            if key in self.answers:
                self._drop(key)
        self._commit()

    def add_person(self, roster: str) -> None:
        """Start a new person on ``roster`` now: their role and name are asked next, then
        what decides their qualification, then "add another?"."""
        if roster not in self.by_key or self.by_key[roster].fact.type != "roster":
            raise parsing.AnswerError(msg("interview.engine.no_roster", roster=roster))
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
            raise parsing.AnswerError(msg("interview.engine.there_is_no_person", index_1=index + 1))
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
        self._realign(self.extras())
        self._commit()

    def _replay(self, given: dict[str, Any]) -> dict[str, Any]:
        return replay(self.rs, self.equipment, self.questions, given)

    def _reevaluate(self) -> None:
        self.ev = evaluate(self.rs, self.equipment, self.answers, say=True, people=True)  # answers change

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
        from ..core.rules.loader import facts_read

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

    def tally(self) -> dict[str, int]:
        return dict(self.ev.counts)


def replay(rs: Ruleset, equipment: str, questions: list[Question], given: dict[str, Any]) -> dict[str, Any]:
    """Run the interview answering from ``given`` and skipping what it does not answer.
    Returns the answers that were asked for: what a fresh interview keeps of ``given``."""
    iv = Interview(rs, equipment, questions)
    iv.realigns = False
    iv.keeps_decided = True
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


def resume(
    rs: Ruleset,
    equipment: str,
    questions: list[Question],
    given: dict[str, Any],
    kept: dict[str, Any] | None = None,
) -> Interview:
    """An interview that continues from saved answers, asking only what is still needed.
    Every saved answer is kept (a hand-written profile may hold more than the interview
    would ask); ``kept`` are the answers the file holds set aside (``[set_aside]``): unused
    until their question matters again. A file with nothing left to ask is finished. Else a
    roster whose people are not all complete, or whose clauses are not met, stays open:
    after its people, "add another?" is asked."""
    iv = Interview(rs, equipment, questions, answers={k: copy_value(v) for k, v in given.items()})
    if given:
        iv.note_loaded(replay(rs, equipment, questions, given))
    if kept:
        iv.kept.update({k: copy_value(v) for k, v in kept.items()})
        # A set-aside answer whose question matters again (the file was changed by hand)
        # is put back now, as an edit in the interview would.
        iv._begin("resume")
        iv._settle()
        iv._op = None
    if iv.next() is None:
        # Nothing is left to ask: the interview is finished, whatever the verdict. People
        # can still be added (``staff``), but "add another?" is not asked of a complete file.
        return iv
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


def choice_list(fact: Fact) -> list[Choice]:
    if fact.type == "bool":
        return [Choice(key="yes", zh="是", en="Yes"), Choice(key="no", zh="否", en="No")]
    return list(fact.choices)
