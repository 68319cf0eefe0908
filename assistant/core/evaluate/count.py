"""A count of roster people: ``{ count = "roster", where = c, op = ">=", value = 3, label = … }``.

The number of people of the roster for whom ``where`` holds (decided person by person, in
the person's scope), compared with the value. True once enough people surely qualify, false
once too few could, unknown otherwise, missing what the undecided people miss. An
unanswered roster is unknown, missing the roster itself (an empty roster and a full one
differ). What a count says is ``count_words`` (one place for its wording).
"""

from __future__ import annotations

from ..text.i18n import Msg
from ..text.messages import msg
from .node import NOTHING, Env, Node, Tri
from .results import Finding


def count_words(label, yes: int, unknown: int, need: int, ok: Tri, advisory: bool = False) -> Msg:
    """ "label: N", how many people it could not judge, and, when short, how many are needed
    (a recommendation's: 宜 / recommended)."""
    said = msg("evaluate.count.text", label=label, yes=yes)
    if unknown:
        # People whose answers do not decide it yet are never counted as a zero: the count
        # says how many it could not judge, whatever the verdict (a shortfall that holds even
        # if they all qualify is still not met, but "0 名" alone would state a fact nobody gave).
        said = said + msg("evaluate.count.more_not_answered", unknown=unknown)
    must = msg("evaluate.count.recommended" if advisory else "evaluate.count.required")
    if ok is False:
        return said + msg("evaluate.count.short_by", must=must, need=need, short=need - yes)
    if ok is None:
        return said + msg("evaluate.count.at_least", must=must, need=need)
    return said


def roster_not_filled(label) -> Msg:
    return msg("evaluate.count.roster_not_filled_in", label=label)


class CountNode(Node):
    __slots__ = ("roster", "where", "need")
    kind = "count"

    def __init__(self, cond, where: Node | None):
        self.cond, self.roster, self.where = cond, cond.count, where
        self.need = cond.value + (1 if cond.op == ">" else 0)

    def children(self) -> tuple[Node, ...]:
        return () if self.where is None else (self.where,)

    def tally(self, env: Env) -> tuple[Tri, int, int, tuple[str, ...]]:
        """(value, people who qualify, people undecided, what the undecided miss)."""
        return env.run.tally(self, env)

    def people(self, env: Env, known: list | None = None, fresh: int | None = None) -> list | None:
        """Each person's (value, missing) of ``where``; ``known``: the same for answers that
        differ in one person's at most (``fresh``, None for none): the others are kept."""
        people = env.answers.get(self.roster)
        if people is None:
            return None
        where, roster = self.where, self.roster
        if where is None:
            return [(True, NOTHING)] * len(people)
        run = env.run
        if env.answers is run.answers:
            place = run.env_at  # the run's own places, made once a run
        else:

            def place(scope):
                return env.for_person(roster, scope[1], people[scope[1]])

        if known is not None and len(known) == len(people):
            out = list(known)
            if fresh is not None:
                out[fresh] = where.decide(place((roster, fresh)))
            return out
        return [where.decide(place((roster, i))) for i in range(len(people))]

    def count(self, each: list | None) -> tuple[Tri, int, int, tuple[str, ...]]:
        """(value, people who qualify, people undecided, what they miss) of ``people``'s."""
        if each is None:
            return None, 0, 0, (self.roster,)
        yes = unknown = 0
        missing: tuple[str, ...] = NOTHING
        for value, undecided in each:
            if value is True:
                yes += 1
            elif value is None:
                unknown += 1
                missing += undecided
        if yes >= self.need:
            return True, yes, unknown, NOTHING
        if yes + unknown < self.need:
            return False, yes, unknown, NOTHING
        return None, yes, unknown, missing

    def decide(self, env: Env) -> tuple[Tri, tuple[str, ...]]:
        value, _, _, missing = self.tally(env)
        return value, missing

    def explain(self, env: Env, sink=None) -> tuple[Tri, list[Finding]]:
        value, yes, unknown, _ = self.tally(env)
        label = self.cond.label
        if env.answers.get(self.roster) is None:
            finding = Finding(self.roster, None, None, roster_not_filled(label))
        else:
            finding = Finding(
                self.roster, yes, value, count_words(label, yes, unknown, self.need, value, env.advisory)
            )
        if sink is not None:
            sink.leaf(finding)
        return value, [finding]

    def form(self, scope):
        return ("count", self)
