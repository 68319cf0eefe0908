"""Interview questions: data under ``interviews/``, one file for the institution questions and
one per equipment type. A question is tied to one fact; its answer type, unit, range and
choices come from the fact catalogue, so the two can never disagree.

A choice question may add how people answer it: ``aliases`` (``tertiary = ["三甲", ...]``)
and ``numbers`` shown beside the options where 1, 2, 3 … would mislead (a grade list where 3
must mean 三级). Both are checked against the fact's choices when the questions load."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pydantic import ValidationError

from ..core.answers import NO_HINTS, Hints, fold, names
from ..core.i18n import Msg
from ..core.loader import Ruleset, RulesetError, data_dir, format_validation_error
from ..core.messages import msg
from ..core.model import Fact, Strict, Text


class QuestionData(Strict):
    fact: str
    prompt: Text
    help: Text
    section: Text
    aliases: dict[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)
    numbers: dict[str, int] = dataclasses.field(default_factory=dict)


class QuestionFile(Strict):
    questions: tuple[QuestionData, ...]


@dataclass(frozen=True)
class Question:
    """A question bound to its fact. ``key`` is the fact key; roster fields are
    ``roster.field`` (``proton.clinical_staff.title``)."""

    key: str
    fact: Fact
    prompt: Text
    help: Text
    section: Text
    order: int
    roster: str | None = None
    hints: Hints = NO_HINTS

    @property
    def field(self) -> str | None:
        return self.key.rsplit(".", 1)[1] if self.roster else None


def _at(path, message: Msg) -> Msg:
    return Msg(f"{path}: ", f"{path}: ") + message


@cache
def read_file(path: Path) -> QuestionFile:
    from ..core.loader import parse, read_bytes

    raw = parse(read_bytes(path, "questions"), path, "questions")  # the one way in, and its bounds
    try:
        return QuestionFile.model_validate(raw)
    except ValidationError as e:
        raise RulesetError(format_validation_error(path, e)) from None


def question_files(equipment: str) -> list[Path]:
    folder = data_dir("interviews")
    return [folder / "institution.toml", folder / f"{equipment}.toml"]


def lookup_fact(rs: Ruleset, key: str) -> tuple[Fact | None, str | None]:
    """The fact for a question key, and its roster when the key names a roster field."""
    if key in rs.facts:
        return rs.facts[key], None
    roster, _, field = key.rpartition(".")
    parent = rs.facts.get(roster)
    if parent is not None and parent.type == "roster":
        return next((f for f in parent.fields if f.key == field), None), roster
    return None, None


def load(rs: Ruleset, equipment: str) -> list[Question]:
    """Questions for one equipment type, in interview order."""
    out: list[Question] = []
    for path in question_files(equipment):
        if not path.exists():
            raise RulesetError(_at(path, msg("questions.missing")))
        for q in read_file(path).questions:
            fact, roster = lookup_fact(rs, q.fact)
            if fact is None:
                raise RulesetError(_at(path, msg("questions.unknown_fact", fact=q.fact)))
            problems = hint_problems(q, fact)
            if problems:
                raise RulesetError(
                    _at(path, msg("questions.bad_hints", fact=q.fact, problems=Msg.join(problems)))
                )
            out.append(Question(q.fact, fact, q.prompt, q.help, q.section, len(out), roster, hints_of(q)))
    return out


def hints_of(q: QuestionData) -> Hints:
    return Hints(
        aliases=tuple((alias, key) for key, words in q.aliases.items() for alias in words),
        numbers=tuple((n, key) for key, n in q.numbers.items()),
    )


def hint_problems(q: QuestionData, fact: Fact) -> list[Msg]:
    """What is wrong with a question's aliases and numbers for its fact (empty when nothing)."""
    from ..core import numerals

    if not q.aliases and not q.numbers:
        return []
    if fact.type not in ("choice", "set"):
        return [msg("questions.hints_need_choices", type=fact.type)]
    keys = [c.key for c in fact.choices]
    out = [msg("questions.alias_unknown_choice", key=k) for k in q.aliases if k not in keys]
    bare = dataclasses.replace(q, aliases={})
    taken = names(fact, hints_of(bare))
    seen: dict[str, str] = {}
    for key, words in q.aliases.items():
        for w in words:
            folded = fold(w)
            if not folded or numerals.read(folded) is not None:
                out.append(msg("questions.alias_number", alias=w))
            elif folded in taken and taken[folded] != key:
                out.append(msg("questions.alias_taken", alias=w, key=key, other=taken[folded]))
            elif seen.setdefault(folded, key) != key:
                out.append(msg("questions.alias_twice", alias=w, first=seen[folded], key=key))
    if q.numbers:
        if sorted(q.numbers) != sorted(keys):
            out.append(msg("questions.numbers_cover", keys=", ".join(keys)))
        values = list(q.numbers.values())
        if len(set(values)) != len(values) or min(values, default=0) < 0:
            out.append(msg("questions.numbers_distinct"))
    return out
