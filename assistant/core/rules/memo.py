"""The one memory a ruleset keeps of what was looked up or worked out in it.

A batch evaluates thousands of profiles against the same few rulesets, so what depends on the
ruleset alone is worked out once, and what depends on a few answers is remembered by them.
Every memo lives in the ruleset's ``memo`` (one ``Memo``), in a table per kind:

structure (depends on the ruleset only; always kept):
  ``rules_for``, ``exemptions_for``, ``rules_named``, ``waivers_of``, ``rule_facts`` (lookups
  of ``loader.Ruleset``); ``plan`` (an equipment's rules in order and by id), ``nodes`` (each
  condition compiled into evaluator nodes), ``parts`` (a clause's nodes), ``person_rules``,
  ``named`` (the clauses a ``rules`` condition names), ``reads`` and ``person_reads`` (the
  facts a verdict depends on), ``relations`` and ``shape`` (what the exact check knows of an
  equipment's facts) of the evaluator.

answers (depends on answers; ``ANSWER_KINDS``):
  ``compare`` — a comparison's finding by (node, roster, register, answer): building the
  bilingual finding was most of a batch's evaluation time; ``verdict`` — an institution
  rule's whole result by the answers it reads; ``person`` — a person's verdict on a person
  rule (and its words) by the person's place, role and the answers the rule reads.

``Memo.remember_answers`` is the one switch: tests set it False to check that remembering
never changes a result, and ``forget_answers()`` empties those tables (a benchmark pass starts
cold). Answer tables are bounded: past their limit, results are simply computed.
"""

from __future__ import annotations

from typing import ClassVar

ANSWER_KINDS = ("compare", "verdict", "person")
# A batch of 10,000 generated profiles peaked at 55 MB with 20,000 / 5,000 / 5,000 and at 41 MB
# with these, in the same time (8.1 s either way; (1) of the benchmarks no different): the
# answers that repeat across a batch are found long before these fill.
LIMITS = {"compare": 6_000, "verdict": 1_500, "person": 1_500}


class Memo:
    __slots__ = ("_tables",)
    remember_answers: ClassVar[bool] = True

    def __init__(self) -> None:
        self._tables: dict[str, dict] = {}

    def table(self, kind: str) -> dict:
        """The table of one kind (created empty when first asked for)."""
        t = self._tables.get(kind)
        if t is None:
            t = self._tables[kind] = {}
        return t

    def answers(self, kind: str) -> dict | None:
        """An answer table, or None while answers are not to be remembered."""
        return self.table(kind) if Memo.remember_answers else None

    @staticmethod
    def room(table: dict, kind: str) -> bool:
        return len(table) < LIMITS[kind]

    def size(self, kind: str) -> int:
        return len(self._tables.get(kind, ()))

    def forget_answers(self) -> None:
        for kind in ANSWER_KINDS:
            self._tables.pop(kind, None)

    def __repr__(self) -> str:
        return f"Memo({', '.join(f'{k}={len(v)}' for k, v in self._tables.items())})"
