"""Where the evaluator's findings go besides the verdicts: an optional sink (a tracer).

A sink has three methods, each optional to act on:
- ``enter(part)``: the words that follow are of this part of a clause — ``applies``,
  ``condition``, ``advice``, ``EXEMPTION:GROUND`` for a ground that could waive it, and for a
  person ``NAME:applies``, ``NAME:condition``, ``NAME:EXEMPTION``;
- ``leaf(finding)``: one leaf's finding (a comparison, a count, a qualification, a ``rules``
  condition), every leaf of every part, in order;
- ``verdict(result)``: a clause's result, once per clause evaluated.

``Recorder`` keeps the leaves (``medequip explain``: how one verdict was reached, fact by
fact); ``Statuses`` keeps the statuses each clause reached (``medequip test --coverage``).
Both see what the reports see: there is one evaluator.
"""

from __future__ import annotations

from .results import Finding


class Sink:
    """Does nothing: a base to build a sink on."""

    def enter(self, part: str) -> None:
        pass

    def leaf(self, finding: Finding) -> None:
        pass

    def verdict(self, result) -> None:
        pass


class Recorder(Sink):
    """Every leaf's finding, with the part of the clause it belongs to."""

    def __init__(self) -> None:
        self.part = ""
        self.steps: list[tuple[str, Finding]] = []

    def enter(self, part: str) -> None:
        self.part = part

    def leaf(self, finding: Finding) -> None:
        self.steps.append((self.part, finding))


class Statuses(Sink):
    """The statuses each clause reached, over every evaluation it was given to."""

    def __init__(self) -> None:
        self.reached: dict[str, set[str]] = {}

    def verdict(self, result) -> None:
        self.reached.setdefault(result.rule.id, set()).add(result.status)
