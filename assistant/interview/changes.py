"""How the interview's answers change, recorded for undo.

Every operation (an answer, a skip, an edit, a person added or removed) is a list of small
changes: one answer set or dropped, one kept answer set or forgotten, one skipped mark, one
roster grown or one person removed. ``back`` undoes them in reverse; nothing copies the
answers. ``kept`` holds answers typed but not in use (an edit made them irrelevant): they are
never evaluated, are saved in the profile's ``[set_aside]``, and come back without asking as
soon as their question matters.

Imports: only the standard library (the engine supplies ``next`` and ``replay``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

INDEXED = re.compile(r"^(?P<roster>.+)\[(?P<i>\d+)\]\.(?P<field>[a-z0-9_]+)$")
ADD = "add"  # pseudo-field of a roster: "add a (another) person?"
ABSENT = object()


@dataclass
class Op:
    """One undoable operation: the changes it made, oldest first, and the roster that was
    open before it. A change is ``(kind, *where, old)``: kind ``a`` an answer (``old`` is
    ``ABSENT`` when there was none), ``k`` a kept answer, ``s`` skipped-ness, ``n`` a
    roster's length (people appended), ``d`` a person removed."""

    what: str
    open_roster: str | None
    changes: list[tuple] = field(default_factory=list)


class Recorded:
    """The change primitives of ``Interview``; each records what it changed in ``_op``."""

    answers: dict[str, Any]
    kept: dict[str, Any]
    skipped: set[str]
    open_roster: str | None
    history: list[Op]
    _op: Op | None

    def _begin(self, what: str) -> Op:
        self._op = Op(what, self.open_roster)
        return self._op

    def _commit(self) -> None:
        op = self._op
        assert op is not None
        self._reevaluate()
        self._settle()
        self._op = None
        self.history.append(op)

    def _put(self, key: str, value: Any) -> None:
        """Set the answer at flat ``key`` (a person's field: the person must exist)."""
        assert self._op is not None
        m = INDEXED.match(key)
        if m:
            person = self.answers[m["roster"]][int(m["i"])]
            self._op.changes.append(("a", key, person.get(m["field"], ABSENT)))
            person[m["field"]] = value
        else:
            self._op.changes.append(("a", key, self.answers.get(key, ABSENT)))
            self.answers[key] = value

    def _drop(self, key: str) -> None:
        assert self._op is not None
        m = INDEXED.match(key)
        if m:
            person = self.answers[m["roster"]][int(m["i"])]
            if m["field"] in person:
                self._op.changes.append(("a", key, person.pop(m["field"])))
        elif key in self.answers:
            self._op.changes.append(("a", key, self.answers.pop(key)))

    def _keep(self, key: str, value: Any = ABSENT) -> None:
        """Set (or with no value, forget) the kept, unused answer at flat ``key``."""
        assert self._op is not None
        old = self.kept.get(key, ABSENT)
        if old is ABSENT and value is ABSENT:
            return
        self._op.changes.append(("k", key, old))
        if value is ABSENT:
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
        self._op.changes.append(("n", roster, ABSENT if people is None else len(people)))
        if people is None:
            people = self.answers[roster] = []
        people.append({})

    def _undo_change(self, change: tuple) -> None:
        kind = change[0]
        if kind == "a":
            _, key, old = change
            m = INDEXED.match(key)
            store = self.answers[m["roster"]][int(m["i"])] if m else self.answers
            name = m["field"] if m else key
            if old is ABSENT:
                store.pop(name, None)
            else:
                store[name] = old
        elif kind == "k":
            _, key, old = change
            if old is ABSENT:
                self.kept.pop(key, None)
            else:
                self.kept[key] = old
        elif kind == "s":
            _, key, was = change
            (self.skipped.add if was else self.skipped.discard)(key)
        elif kind == "n":
            _, roster, old_len = change
            if old_len is ABSENT:
                self.answers.pop(roster, None)
            else:
                del self.answers[roster][old_len:]
        elif kind == "d":
            _, roster, i, person = change
            self.answers[roster].insert(i, person)

    def _settle(self) -> None:
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

    # Answers a resumed file held: those no interview would have asked ("extras": a
    # hand-written profile may hold more) and all of them ("loaded"). An edit leaves the
    # extras where they are rather than setting them aside, as it did not make them
    # irrelevant; answering a question out of order sets aside only answers typed in this
    # session, never the file's. A person's are held with the person (their place in the
    # roster changes when someone before them is removed).
    _marks: dict[str, tuple[set[str], list[tuple[dict, str]]]]

    def note_loaded(self, used: dict[str, Any]) -> None:
        """Remember the answers in use now as the file's, and which of them ``used`` (what
        ``replay`` keeps of them) does not hold."""
        keep = flat(used)
        marks: dict[str, tuple[set[str], list[tuple[dict, str]]]] = {
            "extras": (set(), []),
            "loaded": (set(), []),
        }
        for key, value in self.answers.items():
            if self._is_roster_key(key) and is_roster(value):
                for i, person in enumerate(value):
                    for f in person:
                        marks["loaded"][1].append((person, f))
                        if f"{key}[{i}].{f}" not in keep:
                            marks["extras"][1].append((person, f))
            elif not self._is_roster_key(key):
                marks["loaded"][0].add(key)
                if key not in used:
                    marks["extras"][0].add(key)
        self._marks = marks

    def _marked(self, which: str) -> set[str]:
        keys, fields = getattr(self, "_marks", {}).get(which, (set(), []))
        out = {k for k in keys if k in self.answers}
        if fields:
            for key, people in self.answers.items():
                if self._is_roster_key(key) and is_roster(people):
                    for i, person in enumerate(people):
                        out |= {f"{key}[{i}].{f}" for p, f in fields if p is person and f in person}
        return out

    def extras(self) -> set[str]:
        """Flat keys of the answers in use that came from the file and no interview asks."""
        return self._marked("extras")

    def loaded(self) -> set[str]:
        """Flat keys of the answers in use as the resumed file gave them."""
        return self._marked("loaded")

    def _unmark(self, key: str) -> None:
        """``key`` was answered anew: it is this session's answer from now on."""
        for keys, _ in getattr(self, "_marks", {}).values():
            keys.discard(key)

    def _realign(self, extras: set[str] = frozenset()) -> None:  # type: ignore[assignment]
        """Make the answers in use what a fresh interview keeps of everything typed
        (``replay``), plus ``extras``; move the rest to ``kept``, unused; recorded change
        by change."""
        merged = self.everything()
        used = self._replay(merged)  # type: ignore[attr-defined]
        for key in list(self.answers):
            if key not in extras and key not in used:
                self._set_aside(key, merged[key])
        for key, value in used.items():
            if self._is_roster_key(key):
                self._use_roster(key, value, merged[key], extras)
            else:
                if self.answers.get(key, ABSENT) != value:
                    self._put(key, value)
                self._keep(key)
        self._reevaluate()

    def _set_aside(self, key: str, typed: Any) -> None:
        """An answer a fresh interview would not keep moves to ``kept`` (a roster whole)."""
        self._drop(key)
        if self._is_roster_key(key):
            for k in [k for k in self.kept if k.startswith(f"{key}[")]:
                self._keep(k)  # now inside the roster kept whole
        self._keep(key, typed)

    def _use_roster(self, key: str, people: list, typed: list, extras: set[str]) -> None:
        """A roster as replay keeps it: each person's kept fields in use, the rest set aside
        field by field (``extras`` stay as they are)."""
        if key not in self.answers:
            self._keep(key)
            self._put(key, [{} for _ in people])
        for k in [k for k in self.kept if k.startswith(f"{key}[")]:
            self._keep(k)  # re-derived below
        for i, person in enumerate(people):
            have = self.answers[key][i]
            for fld, value in typed[i].items():
                fk = f"{key}[{i}].{fld}"
                if fld in person:
                    if have.get(fld, ABSENT) != person[fld]:
                        self._put(fk, person[fld])
                elif fk not in extras:
                    self._drop(fk)
                    self._keep(fk, value)

    def _is_roster_key(self, key: str) -> bool:
        q = self.by_key.get(key)
        return q is not None and q.fact.type == "roster"

    def everything(self) -> dict[str, Any]:
        """Every answer typed, in use or kept: what ``replay`` is given."""
        out: dict[str, Any] = {}
        for key, value in [
            *self.answers.items(),
            *((k, v) for k, v in self.kept.items() if not INDEXED.match(k)),
        ]:
            out[key] = [dict(p) for p in value] if is_roster(value) else value
        for key, value in self.kept.items():
            m = INDEXED.match(key)
            if m and int(m["i"]) < len(out.get(m["roster"]) or []):
                out[m["roster"]][int(m["i"])].setdefault(m["field"], value)
        return out


def is_roster(value: Any) -> bool:
    """A roster value: a list of people. (An empty list may be an empty set of choices too;
    both copy and flatten alike.)"""
    return isinstance(value, list) and all(isinstance(p, dict) for p in value)


def flat(answers: dict[str, Any]) -> dict[str, Any]:
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


def copy_value(value: Any) -> Any:
    return [dict(p) for p in value] if is_roster(value) else value
