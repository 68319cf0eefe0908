"""The exact check: whether some completion of the unanswered facts makes a formula true (or
false), so that a clause is reported open only when answers still to come could make it pass
and could make it fail.

Three-valued evaluation is sound but not complete: when it decides, every completion agrees;
when it says unknown, they may agree all the same (12 years of IMRT pass the existing-hospital
clause whether or not the hospital is new-built: met, or not applicable). ``Search.can``
looks for a completion: it evaluates the formula three-valued under the answers given so far
and, when that does not decide, takes the formula apart where its parts read disjoint facts
(a part of an ``all`` that must hold is independent of the others then; a count is decided
person by person), and otherwise tries the values of one unanswered fact in turn.

The values of a fact it tries are the few that matter (``shape.py``). An assignment that
breaks a relation (``relations.py``) is no profile and is never tried. An unanswered roster is
not enumerated: what rests on it stays open (an empty roster and a full one differ).

Formulas are tuples: ``("node", node, scope)`` (a compiled condition; scope is (roster, index)
or (None, None)), ``("and", items)``, ``("or", items)``, ``("not", f)``, ``("const", v)``,
``("count", node)``, ``("qualified", scope)``, ``("rules", node)``, ``("roster", key)`` (an
unanswered roster), ``("side", rule_id)`` (the clause passes: met, exempt or not applicable)
and ``("pside", rule_id, index)`` (a person passes a person rule). Every three-valued value
comes from the run's nodes and verdicts.
"""

from __future__ import annotations

from .node import NOTHING, Env
from .shape import Shape, split_var

BUDGET = 10_000  # three-valued evaluations per clause; beyond, the clause is left open


class OverBudget(Exception):
    pass


class Unsure:
    """Possible, with no completion to show: it rests on an unanswered roster."""

    def __repr__(self) -> str:
        return "UNSURE"


UNSURE = Unsure()
LATER = Unsure()  # a witness that exists and is found when asked for
Witness = dict | Unsure | None


def merge(a: Witness, b: Witness) -> Witness:
    if a is None or b is None:
        return None
    if isinstance(a, Unsure) or isinstance(b, Unsure):
        return UNSURE
    return {**a, **b}


class Search:
    """The exact check within one run (the answers evaluated), with a budget of
    three-valued evaluations per clause."""

    def __init__(self, run, shape: Shape):
        self.run, self.shape = run, shape
        self.evals = 0
        self.limit = BUDGET
        self.over = 0  # clauses left open because the budget ran out
        self.rules = 0  # clauses the exact check was run on
        self.seconds = 0.0  # the time it took

    # --- three-valued values of formulas, in a run ---------------------------------------

    def kleene(self, f: tuple, run) -> tuple[bool | None, tuple[str, ...]]:
        self.evals += 1
        if self.evals > self.limit:
            raise OverBudget
        kind = f[0]
        if kind == "node":
            return f[1].decide(run.env_at(f[2]))
        if kind == "and" or kind == "or":
            return self._connective(f, run)
        return _KLEENE[kind](self, f, run)

    def _connective(self, f: tuple, run) -> tuple[bool | None, tuple[str, ...]]:
        """``and`` / ``or``, as ``AllNode`` / ``AnyNode`` decide."""
        decisive = f[0] == "or"
        missing: tuple[str, ...] = NOTHING
        unknown = False
        for item in f[1]:
            v, ms = self.kleene(item, run)
            if v is decisive:
                return decisive, NOTHING
            if v is None:
                unknown = True
                missing += ms
        return (None, missing) if unknown else (not decisive, NOTHING)

    # --- taking formulas apart -----------------------------------------------------------

    def parts(self, f: tuple, run) -> tuple | None:
        kind = f[0]
        if kind == "node":
            return f[1].form(f[2])
        if kind == "qualified":
            roster, index = f[1]
            person = run.answers[roster][index]
            rules = run.person_rules(roster, person.get("role"))
            return ("and", tuple(("pside", r.id, index) for r in rules))
        if kind == "rules":
            return ("and", tuple(("side", v.rule.id) for v in run.named(f[1])))
        if kind == "side":
            return run.side_formula(run.by_id[f[1]])
        if kind == "pside":
            return run.person_side_formula(run.by_id[f[1]], f[2])
        return None

    def open_vars(self, f: tuple, run) -> frozenset[str]:
        """The unanswered facts ``f`` reads in ``run`` (a roster unanswered included)."""
        memo = run.open_vars
        hit = memo.get(id(f))
        if hit is None or hit[0] is not f:
            hit = memo[id(f)] = (f, frozenset(self._open_vars(f, run, set())))
        return hit[1]

    def _open_vars(self, f: tuple, run, seen: set) -> set[str]:
        key = (f[0], f[1] if f[0] != "node" else id(f[1]), f[2] if len(f) > 2 else None)
        if key in seen:
            return set()
        seen.add(key)
        kind = f[0]
        if kind == "node":
            return self._node_open_vars(f[1], f[2], run, seen)
        if kind in ("and", "or"):
            out: set[str] = set()
            for item in f[1]:
                out |= self._open_vars(item, run, seen)
            return out
        if kind == "not":
            return self._open_vars(f[1], run, seen)
        if kind == "count":
            return self._count_open_vars(f[1], run, seen)
        if kind == "const":
            return set()
        if kind == "roster":
            return {f[1]}
        sub = self.parts(f, run)
        return self._open_vars(sub, run, seen) if sub is not None else set()

    def _node_open_vars(self, node, scope: tuple, run, seen: set) -> set[str]:
        if node.kind == "compare":
            env = run.env_at(scope)
            return {node.var(env)} if node.value(env) is None else set()
        sub = node.form(scope)
        return self._open_vars(sub, run, seen) if sub is not None else set()

    def _count_open_vars(self, node, run, seen: set) -> set[str]:
        people = run.answers.get(node.roster)
        if people is None:
            return {node.roster}
        out: set[str] = set()
        if node.where is not None:
            for i in range(len(people)):
                out |= self._open_vars(("node", node.where, (node.roster, i)), run, seen)
        return out

    def independent(self, items: list[tuple], run) -> bool:
        """Whether no two of ``items`` can read a fact in common (or facts a relation
        links): judged from what they could read at all, so it never says yes wrongly."""
        if len(items) < 2:
            return True
        keys: set = set()
        whole: set = set()  # rosters read as a whole (a count)
        people: set = set()  # rosters a person's field of which is read
        for item in items:
            mine = self.groups(item, run)
            r = {g[1] for g in mine if g[0] == "r"}
            p = {g[1] for g in mine if g[0] == "p"}
            if mine & keys or r & (whole | people) or p & whole:
                return False
            keys |= mine
            whole |= r
            people |= p
        return True

    def groups(self, f: tuple, run) -> frozenset:
        """What ``f`` could read: ("k", key) for an institution fact, ("p", roster, key, i)
        for a person's field, ("r", roster) for a whole roster — each key standing for the
        facts a relation links it to."""
        memo = self.shape.groups  # by identity, as ``can``
        hit = memo.get(id(f))
        if hit is None or hit[0] is not f:
            if len(memo) > 5_000:  # formulas made on the way are many: a bounded memory of them
                memo.clear()
            hit = memo[id(f)] = (f, frozenset(self._groups(f, run)))
        return hit[1]

    def _groups(self, f: tuple, run) -> set:
        kind = f[0]
        if kind == "node":
            roster, index = f[2]
            return {g if g[0] != "p" else (*g, index) for g in self.shape.node_groups(f[1], roster, run)}
        if kind in ("and", "or"):
            return set().union(*(self.groups(i, run) for i in f[1]))
        if kind == "not":
            return set(self.groups(f[1], run))
        if kind == "const":
            return set()
        if kind == "roster":
            return {("r", f[1])}
        if kind == "count":
            return set(self.shape.node_groups(f[1], None, run))
        if kind == "qualified":
            roster, index = f[1]
            return {g if g[0] != "p" else (*g, index) for g in self.shape.qualified_groups(roster, run)}
        if kind == "rules":
            return set().union(*(self.shape.rule_groups(v.rule, run) for v in run.named(f[1])))
        if kind == "side":
            return set(self.shape.rule_groups(run.by_id[f[1]], run))
        if kind == "pside":
            rule = run.by_id[f[1]]
            return {g if g[0] != "p" else (*g, f[2]) for g in self.shape.person_rule_groups(rule, run)}
        raise ValueError(kind)  # pragma: no cover

    # --- the search ----------------------------------------------------------------------

    def can(self, f: tuple, want: bool, run) -> Witness:
        """A completion of ``run``'s unanswered facts under which ``f`` is ``want``: the
        answers it adds (empty when ``f`` already is), ``UNSURE`` when it rests on an
        unanswered roster, None when there is none."""
        memo = run.cans  # by identity: hashing a formula would cost what it saves
        key = (id(f), want)
        hit = memo.get(key)
        if hit is not None and hit[0] is f:
            return hit[1]
        out = self._can(f, want, run)
        memo[key] = (f, out)
        return out

    def _can(self, f: tuple, want: bool, run) -> Witness:
        value, missing = self.kleene(f, run)
        if value is not None:
            return {} if value is want else None
        kind = f[0]
        if kind == "not":
            return self.can(f[1], not want, run)
        if kind in ("and", "or"):
            return self._can_connective(f, want, run, missing)
        if kind == "count":
            return self._count(f, want, run, missing)
        if kind == "roster":
            return UNSURE
        sub = self.parts(f, run)
        if sub is not None:
            return self.can(sub, want, run)
        return self._branch(f, want, run, missing)

    def _can_connective(self, f: tuple, want: bool, run, missing) -> Witness:
        items = [i for i in f[1] if self.kleene(i, run)[0] is None]
        if len(items) == 1:
            return self.can(items[0], want, run)
        if (f[0] == "and") != want:  # one part suffices
            for item in items:
                w = self.can(item, want, run)
                if w is not None:
                    return w
            return None
        if self.independent(items, run):  # every part, and they read disjoint facts
            out: Witness = {}
            for item in items:
                out = merge(out, self.can(item, want, run))
                if out is None:
                    return None
            return out
        return self._branch(f, want, run, missing)

    def _count(self, f: tuple, want: bool, run, missing) -> Witness:
        node = f[1]
        people = run.answers.get(node.roster)
        if people is None:
            return UNSURE
        wheres = [("node", node.where, (node.roster, i)) for i in range(len(people))]
        if not self.independent(wheres, run):
            return self._branch(f, want, run, missing)
        if want:  # enough people who can qualify, each made to
            out: Witness = {}
            got = 0
            for w_f in wheres:
                w = self.can(w_f, True, run)
                if w is not None:
                    out = merge(out, w)
                    got += 1
                    if got >= node.need:
                        return out
            return None
        out = {}
        surely = 0  # people who qualify whatever the answers
        for w_f in wheres:
            w = self.can(w_f, False, run)
            if w is None:
                surely += 1
                if surely >= node.need:
                    return None
            else:
                out = merge(out, w)
        return out

    def _branch(self, f: tuple, want: bool, run, missing: tuple[str, ...]) -> Witness:
        var = self.pick(f, run, missing)
        if var is None:
            return UNSURE
        values = self.shape.domain(var)
        for value in values if want else reversed(values):
            sub = run.assign(var, value)
            try:
                if self.shape.broken(sub, var):
                    continue
                w = self.can(f, want, sub)
            finally:
                sub.close()
            if w is not None:
                return merge({var: value}, w)
        return None

    def pick(self, f: tuple, run, missing: tuple[str, ...]) -> str | None:
        """The fact to try the values of: the one the most open parts miss."""
        best, most = None, 0
        counts: dict[str, int] = {}
        for v in missing:
            n = counts[v] = counts.get(v, 0) + 1
            if n > most and self.shape.domain(v):
                best, most = v, n
        if best is not None:
            return best
        for v in sorted(self.open_vars(f, run)):
            if self.shape.domain(v):
                return v
        return None

    # --- what a clause's verdict needs ---------------------------------------------------

    def possible(self, f: tuple) -> bool:
        """Whether some completion makes ``f`` true (yes, when the budget runs out)."""
        saved, self.limit = self.limit, self.evals + BUDGET
        try:
            return self.can(f, True, self.run) is not None
        except OverBudget:
            self.over += 1
            return True
        finally:
            self.limit = saved

    def found(self, top: tuple, passing: Witness, failing: Witness):
        """The witnesses ``classify`` gave, or (when it did not need them) a way to find them."""
        if passing is not LATER:
            return (passing, failing)
        run = self.run

        def later() -> tuple:
            saved, self.limit = self.limit, self.evals + BUDGET
            try:
                return self.can(top, True, run), self.can(top, False, run)
            except OverBudget:
                return UNSURE, UNSURE
            finally:
                self.limit = saved

        return later

    def classify(
        self, top: tuple, missing: tuple[str, ...], light: bool = False
    ) -> tuple[Witness, Witness, dict]:
        """Whether a clause (or a person's verdict on one) three-valued logic leaves open can
        still pass and can still fail: (a completion passing it, one failing it — None when
        there is none — and what was learnt of its facts on the way, for ``deciding``).
        ``top`` is its passing as a formula of the run's nodes; ``light``: they read answered
        facts only (no count, qualification or other clause), each comparison of which can
        go either way. Such a formula in which no fact is open twice (nor linked to another
        by a relation) is open whenever three-valued logic says so: it can be made true by
        making every open part true, and false by making one false (the witnesses are then
        found when asked: ``LATER``). Otherwise one fact at a time is tried first, at the two
        ends of its values, which usually finds both; the search runs when it does not."""
        run, shape = self.run, self.shape
        passing: Witness = None
        failing: Witness = None
        probed: dict[str, bool] = {}  # fact -> whether an answer to it alone decided
        saved, self.limit = self.limit, self.evals + BUDGET
        try:
            if light:
                reads = self.kleene(top, run)[1]  # every open fact of the whole, as often as read
                if len(set(reads)) == len(reads) and not any(shape.related_var(m) for m in reads):
                    return LATER, LATER, {}
            for var in dict.fromkeys(missing):
                values = shape.probe_order(var)[:2]
                if not values:
                    continue
                probed[var] = self._probe(top, var, values, run, light) is not None
                # what the probe found, kept as witnesses
                for value, side in self._found:
                    if side and passing is None:
                        passing = {var: value}
                    elif not side and failing is None:
                        failing = {var: value}
                if passing is not None and failing is not None:
                    return passing, failing, probed
            if passing is None:
                passing = self.can(top, True, run)
            if failing is None:
                failing = self.can(top, False, run)
        except OverBudget:
            self.over += 1
            return UNSURE, UNSURE, {}
        finally:
            self.limit = saved
        return passing, failing, probed

    def _probe(self, top: tuple, var: str, values: tuple, run, light: bool = False) -> bool | None:
        """Answer ``var`` with each of ``values`` in turn (relations kept): the side of the
        first answer that decides ``top``, or None. ``_found`` lists every decided one. A
        ``light`` formula is decided in a copy of the answers (or of the person) alone, not
        in a run of its own."""
        self._found = found = []
        if light:
            env, slot, key = self._light_env(run, var)
        else:
            sub = run.trial(var)
        try:
            for value in values:
                if light:
                    slot[key] = value
                    if self.shape.broken_in(var, slot.get):
                        continue
                    side = self._decide_in(top, env)
                else:
                    sub.answer(value)
                    if self.shape.broken(sub, var):
                        continue
                    side = self.kleene(top, sub)[0]
                if side is not None:
                    found.append((value, side))
                    if len(found) == 2 or found[0][1] != side:
                        break
        finally:
            if not light:
                sub.close()
        return found[0][1] if found else None

    def _light_env(self, run, var: str):
        roster, index, field = split_var(var)
        if roster is None:
            answers = dict(run.answers)
            return Env(run, answers=answers), answers, var
        person = dict(run.answers[roster][index])
        return Env(run, person, roster, index), person, field

    def _decide_in(self, f: tuple, env) -> bool | None:
        """The three-valued value of a light formula in one environment."""
        self.evals += 1
        if self.evals > self.limit:
            raise OverBudget
        kind = f[0]
        if kind == "node":
            return f[1].decide(env)[0]
        if kind == "and" or kind == "or":
            decisive = kind == "or"
            unknown = False
            for item in f[1]:
                v = self._decide_in(item, env)
                if v is decisive:
                    return decisive
                unknown = unknown or v is None
            return None if unknown else not decisive
        if kind == "not":
            v = self._decide_in(f[1], env)
            return None if v is None else not v
        return f[1]  # const

    def deciding(
        self, top: tuple, missing: tuple[str, ...], probed: dict, light: bool = False
    ) -> tuple[str, ...]:
        """``missing`` (of an open clause) kept to the facts some answer to which decides it:
        what the interview asks: by three-valued logic, one fact at a time (a number at the
        ends of its values: a threshold passed at neither end is passed at none). An
        unanswered roster always can (nobody on it decides a count). When none can alone,
        all stay: an answer to any of them may take the clause nearer."""
        run, shape = self.run, self.shape
        keep = {m for m in missing if not shape.domain(m)}
        saved, self.limit = self.limit, self.evals + BUDGET
        try:
            for var in dict.fromkeys(missing):
                if probed.get(var):
                    keep.add(var)
                    continue
                values = shape.probe_order(var)
                fact, _ = shape.fact(var)
                values = values[2:] if var in probed else values
                if fact is not None and fact.type in ("int", "bool"):
                    values = values[:2] if var not in probed else ()
                if values and self._probe(top, var, values, run, light) is not None:
                    keep.add(var)
        except OverBudget:
            return missing
        finally:
            self.limit = saved
        return tuple(m for m in missing if m in keep) or missing


def _not(search: Search, f: tuple, run):
    v, ms = search.kleene(f[1], run)
    return (None, ms) if v is None else (not v, NOTHING)


def _institution_leaf(search: Search, f: tuple, run):
    return f[1].decide(run.env_at((None, None)))


def _qualified(search: Search, f: tuple, run):
    roster, index = f[1]
    return run.qualified(roster, index, run.answers[roster][index]), NOTHING


def _clause_side(search: Search, f: tuple, run):
    v = run.verdict(f[1])
    return _side(v.status), v.missing


def _person_side(search: Search, f: tuple, run):
    rule = run.by_id[f[1]]
    v = run.person_verdict(rule, f[2], run.answers[rule.roster][f[2]])
    return _side(v.status), v.missing


# The three-valued value of each kind of formula but a node, ``and`` and ``or`` (``kleene``).
_KLEENE = {
    "not": _not,
    "const": lambda search, f, run: (f[1], NOTHING),
    "roster": lambda search, f, run: (None, (f[1],)),
    "count": _institution_leaf,
    "rules": _institution_leaf,
    "qualified": _qualified,
    "side": _clause_side,
    "pside": _person_side,
}


def _side(status: str) -> bool | None:
    if status == "unknown":
        return None
    return status != "not_met"
