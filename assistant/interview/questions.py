"""Interview questions: data under ``interviews/``, one file for the institution questions and
one per equipment type. A question is tied to one fact; its answer type, unit, range and
choices come from the fact catalogue, so the two can never disagree."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pydantic import ValidationError

from ..core.i18n import Msg
from ..core.loader import Ruleset, RulesetError, data_dir, format_validation_error
from ..core.messages import msg
from ..core.model import Fact, Strict, Text


class QuestionData(Strict):
    fact: str
    prompt: Text
    help: Text
    section: Text


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
            out.append(Question(q.fact, fact, q.prompt, q.help, q.section, len(out), roster))
    return out
