"""What ``medequip rules lint PATH`` finds in a ruleset file before anyone relies on it.

Errors (exit 1): the file does not match the ruleset schema; duplicate rule, exemption, fact
or equipment entries; conditions that read undeclared facts or compare a fact with a value it
cannot take; exemptions naming rules that do not exist; text missing in one language.
Warnings (exit 0, or 1 with ``--strict``): facts that no interview question asks, a wording
a question's help text gives that the answer parser would refuse, two
exemption grounds waiving the same rule on the same condition, waivers across equipment
types, facts no rule reads. Exit 2 when the file cannot be read as TOML at all or is refused
as absurd (``preflight.py``). The command that prints the findings is ``cli/rules.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..core.rules.checks.preflight import read_toml
from ..core.rules.checks.validate import content_problems, string_problems
from ..core.rules.checks.validate import texts as _texts
from ..core.rules.read import check_counts, measure
from ..core.text.i18n import Msg
from ..core.text.messages import languages, msg
from ..core.text.messages import msg as message
from ..core.text.messages import problem_zh as _zh_problem

# --- findings -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    severity: str  # "error" | "warning"
    where: str  # a rule / exemption / fact id, or "" for the whole file
    msg: Msg
    line: int | None = None
    # "ruleset": the loader refuses the ruleset for this very reason (lint and the loader are
    # one validator); "interview": the ruleset loads, but the interview cannot use it.
    about: str = "ruleset"

    def render(self, path: Path, lang: str) -> str:
        loc = f"{path}:{self.line}" if self.line else str(path)
        sev = {"error": msg("interview.lint.error"), "warning": msg("interview.lint.warning")}[
            self.severity
        ].get(lang)
        where = f"{self.where}: " if self.where else ""
        return f"{loc}: {sev}: {where}{self.msg.get(lang)}"


class _Lines:
    def __init__(self, text: str):
        self.lines = text.splitlines()

    def of(self, ident: str) -> int | None:
        pat = re.compile(r'^\s*(id|key)\s*=\s*"' + re.escape(ident) + r'"')
        for i, ln in enumerate(self.lines):
            if pat.match(ln):
                return i + 1
        return None


def findings(path: Path) -> list[Finding]:
    """Everything lint has to say about ``path``. Raises Unreadable or RulesetTooLarge."""
    data, text = read_toml(path)
    measure(data, path)
    check_counts(data, path)
    lint = _Lint(_Lines(text))
    for p in string_problems(data):
        lint.err("", msg("interview.lint.text", where=p.where, msg=p.msg))
    if set(data) == {"facts"}:
        return _catalogue_findings(data, lint.err, lint.out)
    rf = lint.ruleset_file(data, path)
    if rf is None:
        return lint.out
    lint.loader_checks(rf)
    lint.exemption_overlaps(rf)
    for eq in rf.ruleset.equipment:
        lint.questions_of(rf, eq)
    lint.unread_facts(rf)
    return lint.out


class _Lint:
    """The findings of one file, gathered check by check."""

    def __init__(self, lines: _Lines):
        self.lines = lines
        self.out: list[Finding] = []
        self.facts: dict = {}

    def err(self, where: str, msg: Msg, severity: str = "error", about: str = "ruleset") -> None:
        self.out.append(Finding(severity, where, msg, self.lines.of(where) if where else None, about))

    def ruleset_file(self, data: dict, path: Path):
        """The validated (and, for a variant, resolved) ruleset, or None when what is wrong
        with it is already said."""
        from pydantic import ValidationError

        from ..core.rules import loader
        from ..core.rules.model import RulesetFile

        try:
            rf = RulesetFile.model_validate(data)
        except ValidationError as e:
            self.out += _schema_findings(e, msg("interview.lint.ruleset"))
            return None
        except RecursionError:
            self.out[:] = [Finding("error", "", msg("interview.lint.nested_too_deeply"))]
            return None
        if rf.ruleset.extends is None:
            return rf
        # A variant: lint what it resolves to, after checking that every override, dropped
        # exemption and added rule fits the ruleset it extends.
        try:
            rf, problems = loader.resolve_file(rf, path)
        except loader.RulesetError as e:
            self.out.append(Finding("error", "", e.msg))
            return None
        for problem in problems:
            self.err("", Msg(_zh_problem(problem), problem))
        return None if problems else rf

    def loader_checks(self, rf) -> None:
        """The loader's own checks, through the same code (core/rules/checks/validate.py and
        check_ruleset): a ruleset with none of these errors is one the loader loads."""
        from ..core.rules import loader

        base = loader.institution_facts()
        for p in content_problems(rf, base):
            self.err(p.where, p.msg)
        eq_keys = [e.key for e in rf.equipment]
        for k in rf.ruleset.equipment:
            if k not in eq_keys:
                self.err(
                    "",
                    msg("interview.lint.ruleset_equipment_lists_but_no", k=k),
                )
        self.facts = dict(base)
        for f in rf.facts:
            self.facts[f.key] = f
        for problem in loader.check_ruleset(rf, self.facts):
            if problem.startswith("ruleset.equipment names "):
                continue  # said above, with its line
            where, _, rest = problem.partition(": ")
            if rest and (self.lines.of(where) or "/" in where):
                self.err(where, Msg(_zh_problem(rest), rest))
            else:
                self.err("", Msg(_zh_problem(problem), problem))

    def exemption_overlaps(self, rf) -> None:
        """Grounds waiving another equipment's rules; two grounds waiving the same rules on
        the same condition."""
        grounds = _waived_by_ground(rf)
        for ex, g, waived in grounds:
            other = sorted(i for i in waived if i.split("/", 1)[0] != ex.equipment)
            if other:
                self.err(
                    ex.id,
                    msg(
                        "interview.lint.ground_waives_rules_of_another",
                        key=g.key,
                        join_other=", ".join(other),
                    ),
                    "warning",
                )
        for i, (ex1, g1, w1) in enumerate(grounds):
            for ex2, g2, w2 in grounds[i + 1 :]:
                same = sorted(w1 & w2)
                if same and g1.when == g2.when:
                    self.err(ex1.id, _same_waiver(ex1, g1, ex2, g2, same), "warning")

    def questions_of(self, rf, eq: str) -> None:
        """The interview's question files of ``eq``: readable, asking declared facts, with
        hints that fit; facts the rules read that no question asks."""
        from . import questions

        files = questions.question_files(eq)
        if not files[1].exists():
            self.err(
                "",
                msg("interview.lint.no_question_file_for_interviews", eq=eq),
                "warning",
            )
            return
        asked: set[str] = set()
        for qf in files:
            asked |= self.question_file(qf, eq)
        asked_rosters = {k.rpartition(".")[0] for k in asked}
        for key, user in _facts_read_by(rf, eq).items():
            if key in asked or key in asked_rosters or self._undeclared(key):
                continue  # asked, or undeclared (an error above)
            self.err(
                user,
                msg("interview.lint.reads_which_no_interview_question", key=key),
                "warning",
            )

    def _undeclared(self, key: str) -> bool:
        from . import questions

        return questions.lookup_fact(_FactsOnly(self.facts), key)[0] is None

    def question_file(self, qf: Path, eq: str) -> set[str]:
        """One question file's findings; the facts it asks."""
        from ..core.rules import loader
        from . import questions

        try:
            qs = questions.read_file(qf).questions
        except loader.RulesetError as e:
            self.err("", msg("interview.lint.question_file_unreadable", e=e), about="interview")
            return set()
        unknown = []
        for q in qs:
            fact = questions.lookup_fact(_FactsOnly(self.facts), q.fact)[0]
            if fact is None:
                unknown.append(q.fact)
            else:
                self.question_hints(qf, q, fact)
        if unknown:
            shown = ", ".join(unknown[:5]) + (f" … (+{len(unknown) - 5})" if len(unknown) > 5 else "")
            self.err(
                "",
                msg(
                    "interview.lint.interviews_asks_for_fact_s",
                    name=qf.name,
                    n_unknown=len(unknown),
                    shown=shown,
                    eq=eq,
                ),
                about="interview",
            )
        return {q.fact for q in qs}

    def question_hints(self, qf: Path, q, fact) -> None:
        from . import questions

        bad = questions.hint_problems(q, fact)
        for problem in bad:
            where = msg("interview.lint.interviews", name=qf.name)
            self.err("", where + message("questions.bad_hints", fact=q.fact, problems=problem))
        if bad:
            return
        # A wording the help text offers that typing it would refuse: the question
        # contradicts itself (warned, as the interview still works).
        for problem in questions.help_problems(q, fact):
            where = msg("interview.lint.interviews_2", name=qf.name, fact=q.fact)
            self.err("", where + problem, "warning", about="interview")

    def unread_facts(self, rf) -> None:
        """Facts no rule reads (a warning), and retired facts a rule still reads (an error)."""
        used = set(_facts_read_by(rf, None))
        for f in rf.facts:
            if f.retired:
                if f.key in used:
                    self.err(f.key, msg("interview.lint.retired_fact_is_still_read"))
                continue
            if f.key not in used and not f.identity and not any(u.startswith(f.key + ".") for u in used):
                self.err(f.key, msg("interview.lint.no_rule_or_exemption_reads"), "warning")


def _waived_by_ground(rf) -> list[tuple]:
    """(exemption, ground, the rule ids it waives) for every ground."""
    from ..core.rules import loader

    ids = [r.id for r in rf.rules]
    out = []
    for ex in rf.exemptions:
        for g in ex.grounds:
            inside = set(loader.expand_patterns(g.within, ids)) - set(
                loader.expand_patterns(g.must_meet, ids)
            )
            out.append((ex, g, set(loader.expand_patterns(g.waives, ids)) | inside))
    return out


def _same_waiver(ex1, g1, ex2, g2, same: list[str]) -> Msg:
    if ex1.id != ex2.id:
        return msg(
            "interview.lint.and_waive_same_rules_on",
            clause=ex1.clause,
            key=g1.key,
            clause2=ex2.clause,
            key2=g2.key,
            id=ex2.id,
            join_same=", ".join(same),
        )
    return msg(
        "interview.lint.grounds_and_have_same_condition", key=g1.key, key2=g2.key, join_same=", ".join(same)
    )


def _facts_read_by(rf, eq: str | None) -> dict[str, str]:
    """The facts the rules and exemption grounds of ``eq`` (every equipment: None) read, each
    with the first rule or exemption that reads it; a person rule's roster too."""
    from ..core.rules import loader

    read: dict[str, str] = {}
    for r in rf.rules:
        if eq is not None and r.equipment != eq:
            continue
        roster = r.roster if r.scope == "person" else None
        for cond in (r.applies_when, r.condition, r.advice):
            for k in loader.facts_read(cond, roster):
                read.setdefault(k, r.id)
        if roster:
            read.setdefault(roster, r.id)
    for ex in rf.exemptions:
        if eq is not None and ex.equipment != eq:
            continue
        roster = _roster_for(rf, ex) if ex.scope == "person" else None
        for g in ex.grounds:
            for k in loader.facts_read(g.when, roster):
                read.setdefault(k, ex.id)
    return read


def _schema_findings(e, what: Msg) -> list[Finding]:
    """One finding per pydantic error (the first 50), in both languages."""
    from ..core.rules import loader

    out = []
    for x in e.errors()[:50]:
        loc = ".".join(str(p) for p in x["loc"] if not str(p).startswith("function-"))
        text = getattr(loader, "_MESSAGES", {}).get(x["type"], x["msg"])
        out.append(
            Finding(
                "error",
                "",
                msg(
                    "interview.lint.schema", what=what, loc=loc or msg("interview.lint.top_level"), text=text
                ),
            )
        )
    return out


def _catalogue_findings(data: dict, err, out: list[Finding]) -> list[Finding]:
    """``rulesets/facts.toml``: the institution facts every ruleset shares."""
    from pydantic import ValidationError

    from ..core.rules.model import FactCatalogueFile

    try:
        cat = FactCatalogueFile.model_validate(data)
    except ValidationError as e:
        return out + _schema_findings(e, msg("interview.lint.fact_catalogue"))
    seen: set[str] = set()
    for f in cat.facts:
        if f.key in seen:
            err(f.key, msg("interview.lint.fact_declared_twice"))
        seen.add(f.key)
        if not f.key.startswith("institution."):
            err(
                f.key,
                msg("interview.lint.shared_catalogue_holds_institution_facts"),
            )
        for where, zh, en in _texts(f, ""):
            missing = [lang for lang, s in (("zh", zh), ("en", en)) if not s.strip()]
            if missing:
                err(
                    f.key,
                    msg("checks.text_empty", where=where, langs=languages(missing)),
                )
    return out


class _FactsOnly:
    """Just enough of a Ruleset for questions.lookup_fact."""

    def __init__(self, facts: dict):
        self.facts = facts


def _roster_for(rf, ex) -> str | None:
    from ..core.rules import loader

    ids = [r.id for r in rf.rules]
    for g in ex.grounds:
        for rid in loader.expand_patterns((*g.waives, *g.within), ids):
            rule = next(r for r in rf.rules if r.id == rid)
            if rule.roster:
                return rule.roster
    return None
