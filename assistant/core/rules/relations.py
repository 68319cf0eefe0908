"""Relations between facts that hold in every real profile, read from the fact catalogue.

The texts imply some (rulesets/README.md lists every one and where it comes from):

- ``at_most``: a count that is part of another ("其中…") is at most that whole; years of one
  kind of work nested in years of a wider one (image-guided IMRT within IMRT; a person's IMRT
  years within their years of clinical work) are declared the same way;
- ``requires``: a yes, or a count above 0, that needs something of another fact (a share of
  operations "≥ 1/3" needs some operations; a certificate of training abroad needs months
  abroad);
- ``people`` on a roster: one person per name (unless told apart by a staff number given for
  both), and one person in two counted roles.

A profile breaking a refusing relation is refused where it is read (``check``: exit 2 naming
both facts and their lines) and an answer breaking one is refused in the interview; a warning
relation (``refuses`` False) is said and the profile accepted. The evaluator's exact check
(evaluate/exact.py) reads ``relations_of`` — the refusing relations within one person or one
profile — and never completes an unanswered fact into a profile that breaks one, so "passes
whatever the answer" means whatever answer a real profile could give.

The interface every kind keeps: ``keys`` are the facts it links — flat fact keys, or, when
``roster`` is set, field keys inside one person of that roster (the relation then holds for
each person on their own); ``holds(get)`` says whether it holds, where ``get(key)`` returns a
key's value or None when unanswered: True, False, or None while a key it needs is unanswered.
``message(get, label)`` says why it is broken, naming both facts and both values. Relations
across the people of a roster (``across``) read the whole list: ``get(roster)``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..text.i18n import Msg, Words
from ..text.messages import as_msg, msg, tr, word
from .model import Fact, Needs, People

Tri = bool | None
Get = Callable[[str], Any]
# label(key, lang) -> the fact's label (a field's, within a roster relation)
Label = Callable[[str, str], str]


class Relation:
    __slots__ = ("keys", "roster")
    keys: tuple[str, ...]
    roster: str | None
    refuses = True  # False: a warning; the profile is accepted
    across = False  # True: reads a whole roster (``get(roster)``), never one person

    def holds(self, get: Get) -> Tri:  # pragma: no cover - every kind has its own
        raise NotImplementedError

    def message(self, get: Get, label: Label) -> Msg:  # pragma: no cover - every kind has its own
        raise NotImplementedError

    def kind(self) -> str:
        return type(self).__name__


def _int(v: Any) -> int | None:
    return v if isinstance(v, int) and not isinstance(v, bool) else None


def _label(key: str, label: Label) -> Msg:
    return Msg(label(key, "zh"), label(key, "en"))


def _both(key: str, get: Get, label: Label) -> Msg:
    return Msg(_named(key, get, label, "zh"), _named(key, get, label, "en"))


def _shown(v: Any, lang: str) -> str:
    if isinstance(v, bool):
        return word("evaluate.results.yes" if v else "evaluate.results.no", lang)
    return f"{v:,}" if isinstance(v, int) else str(v)


def _named(key: str, get: Get, label: Label, lang: str) -> str:
    return tr(
        "rules.relations.text",
        lang,
        label_key_lang=label(key, lang),
        key=key,
        shown_get_key_lang=_shown(get(key), lang),
    )


class AtMost(Relation):
    """``part`` ≤ ``whole``: a count that is part of another, or years nested in others."""

    __slots__ = ("part", "whole")

    def __init__(self, part: str, whole: str, roster: str | None = None):
        self.part, self.whole, self.roster = part, whole, roster
        self.keys = (part, whole)

    def holds(self, get: Get) -> Tri:
        p, w = _int(get(self.part)), _int(get(self.whole))
        if p is None or w is None:
            return None
        return p <= w

    def message(self, get: Get, label: Label) -> Msg:
        return msg(
            "relations.at_most", part=_both(self.part, get, label), whole=_both(self.whole, get, label)
        )

    def __repr__(self) -> str:
        where = f" in {self.roster}" if self.roster else ""
        return f"AtMost({self.part} <= {self.whole}{where})"


_OPS = {">=": lambda a, b: a >= b, ">": lambda a, b: a > b, "==": lambda a, b: a == b}
_OP_WORDS = Words({">=": "relations.op.at_least", ">": "relations.op.more_than"})


class Requires(Relation):
    """``key`` yes (or above 0) needs ``needs.fact`` ``op`` ``value``: a share needs its base."""

    __slots__ = ("key", "needs")

    def __init__(self, key: str, needs: Needs, roster: str | None = None):
        self.key, self.needs, self.roster = key, needs, roster
        self.keys = (key, needs.fact)

    def triggered(self, v: Any) -> Tri:
        if v is None:
            return None
        return v is True or (_int(v) is not None and v > 0)

    def holds(self, get: Get) -> Tri:
        on = self.triggered(get(self.key))
        if on is False:
            return True
        other = get(self.needs.fact)
        if other is None:
            return None
        ok = type(other) is type(self.needs.value) and _OPS[self.needs.op](other, self.needs.value)
        return True if ok else (None if on is None else False)

    def message(self, get: Get, label: Label) -> Msg:
        want = self.needs.value
        key, other = _both(self.key, get, label), _both(self.needs.fact, get, label)
        shown = Msg(_shown(want, "zh"), _shown(want, "en"))
        if self.needs.op == "==":
            return msg("relations.requires_value", key=key, other=other, want=shown)
        return msg("relations.requires", key=key, other=other, op=_OP_WORDS[self.needs.op], want=shown)

    def __repr__(self) -> str:
        where = f" in {self.roster}" if self.roster else ""
        return f"Requires({self.key} -> {self.needs.fact} {self.needs.op} {self.needs.value}{where})"


def _text(v: Any) -> str:
    return v.strip() if isinstance(v, str) else ""


def same_person(a: Mapping, b: Mapping, people: People) -> Tri:
    """Whether two entries of a roster are one person: entries of one name are, unless both
    give a staff number (``told_apart_by``) and the numbers differ; None while only one of
    them gives it (the other's is still to come)."""
    name = _text(a.get(people.name))
    if not name or name != _text(b.get(people.name)):
        return False
    if people.told_apart_by is None:
        return True
    ta, tb = _text(a.get(people.told_apart_by)), _text(b.get(people.told_apart_by))
    if ta and tb:
        return ta == tb
    return True if not ta and not tb else None


class _People(Relation):
    """Pairs of entries of a roster that are one person; ``same_role`` picks which pairs."""

    __slots__ = ("people",)
    across = True
    same_role = True

    def __init__(self, roster: str, people: People):
        self.roster, self.people = roster, people
        self.keys = (roster,)

    def pairs(self, persons: list, undecided: bool = False) -> list[tuple[int, int]]:
        """(i, j) with i < j for each later entry that is an earlier one's person (or, with
        ``undecided``, may be: one of the two has no staff number yet)."""
        out = []
        role = self.people.role
        for j, b in enumerate(persons):
            for i in range(j):
                a = persons[i]
                in_role = role is None or a.get(role) == b.get(role)
                same = same_person(a, b, self.people)
                if in_role == self.same_role and (same or (undecided and same is None)):
                    out.append((i, j))
                    break
        return out

    def holds(self, get: Get) -> Tri:
        persons = get(self.roster)
        if not isinstance(persons, list):
            return None
        if self.pairs(persons):
            return False
        return None if self.pairs(persons, undecided=True) else True

    def pair(self, persons: list) -> tuple[int, int]:
        return (self.pairs(persons) or self.pairs(persons, undecided=True))[0]


class OnePersonPerName(_People):
    """One person listed twice in the same role: counted twice. Refused."""

    def message(self, get: Get, label: Label) -> Msg:
        persons = get(self.roster)
        i, j = self.pair(persons)
        name = persons[j].get(self.people.name)
        how = self.people.told_apart_by
        field = f"{self.roster}.{how}"
        told = msg("relations.told_apart", field=_label(field, label), how=how) if how else as_msg("")
        return msg(
            "relations.one_person_per_name",
            roster=_label(self.roster, label),
            key=self.roster,
            i=i + 1,
            j=j + 1,
            name=Msg(str(name), repr(name)),  # “name” in Chinese, 'name' in English
            told=told,
        )


class OnePersonOneRole(_People):
    """One person in two counted roles (a physician also listed as a physicist): each count
    takes them. The text does not forbid holding both qualifications, so this is a warning."""

    refuses = False
    same_role = False

    def message(self, get: Get, label: Label) -> Msg:
        persons = get(self.roster)
        i, j = self.pair(persons)
        role = self.people.role or "role"
        how = self.people.told_apart_by
        a, b = persons[i], persons[j]
        name = b.get(self.people.name)
        told = (
            msg("relations.told_apart_roles", field=_label(f"{self.roster}.{how}", label), how=how)
            if how
            else as_msg("")
        )
        return msg(
            "relations.one_person_one_role",
            roster=_label(self.roster, label),
            key=self.roster,
            i=i + 1,
            j=j + 1,
            role_i=a.get(role),
            role_j=b.get(role),
            name=Msg(str(name), repr(name)),  # “name” in Chinese, 'name' in English
            told=told,
        )


def _fact_relations(key: str, fact: Fact, known, roster: str | None) -> list[Relation]:
    out: list[Relation] = []
    if fact.at_most is not None and fact.at_most in known:
        out.append(AtMost(key, fact.at_most, roster))
    if fact.requires is not None and fact.requires.fact in known:
        out.append(Requires(key, fact.requires, roster))
    return out


def all_relations(facts: Mapping[str, Fact], equipment: str | None = None) -> tuple[Relation, ...]:
    """Every relation among the facts of ``equipment`` (its own and the institution's; every
    fact when None): within a profile, within one person, across a roster's people, refusing
    or warning."""
    out: list[Relation] = []
    for key, fact in facts.items():
        if equipment is not None and not key.startswith(("institution.", equipment + ".")):
            continue
        out += _fact_relations(key, fact, facts, None)
        if fact.type == "roster":
            fields = fact.fields_by_key
            for f in fact.fields:
                out += _fact_relations(f.key, f, fields, key)
            if fact.people is not None:
                out += [OnePersonPerName(key, fact.people), OnePersonOneRole(key, fact.people)]
    return tuple(out)


def relations_of(facts: Mapping[str, Fact], equipment: str | None = None) -> tuple[Relation, ...]:
    """The relations the exact check keeps: refusing ones within a profile or one person
    (who a roster's people are is never completed, so relations across them cannot matter)."""
    return tuple(r for r in all_relations(facts, equipment) if r.refuses and not r.across)
