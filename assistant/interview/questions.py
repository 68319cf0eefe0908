"""Interview questions: data under ``interviews/``, one file for the institution questions and
one per equipment type. A question is tied to one fact; its answer type, unit, range and
choices come from the fact catalogue, so the two can never disagree.

A choice question may add how people answer it: ``aliases`` (``tertiary = ["三甲", ...]``)
and ``numbers`` shown beside the options where 1, 2, 3 … would mislead (a grade list where 3
must mean 三级). Both are checked against the fact's choices when the questions load."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pydantic import ValidationError

from ..core.profile.answers import NO_HINTS, Hints, fold, names
from ..core.rules.loader import Ruleset, RulesetError, data_dir, format_validation_error
from ..core.rules.model import Fact, Strict, Text
from ..core.text.i18n import Msg
from ..core.text.messages import as_msg, msg


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
    return as_msg(f"{path}: ") + message


@cache
def read_file(path: Path) -> QuestionFile:
    from ..core.rules.loader import parse, read_bytes

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
    from ..core.text import numerals

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


# --- the wordings a help text uses -----------------------------------------------------------
# A choice question's help often says how to answer in other words: "工程师为中级", "全国领先
# 学科如国家临床重点专科", "e.g. oncology, neurology (or neurosurgery)". Whatever it names must be
# accepted as an answer, to the option it names; ``rules lint`` checks it (``help_problems``).

_ZH_SENTENCES = re.compile(r"[。；;]")
_ZH_CLAUSES = re.compile(r"[，,]")
_ZH_LEAD = re.compile(r"^(?:如|例如|比如|譬如)")
_ZH_NAMES = re.compile(r"(?P<y>.+?)(?:如|即|包括|例如)(?P<a>.+)$")
_EN_LEAD = re.compile(r"^(?:e\.g\.|eg|for example|such as)\s*", re.I)
_ARTICLE = re.compile(r"^(?:a|an|the)\s+", re.I)


def _words(text: str, splitter: str) -> list[str]:
    """``A、B（或C）`` → A, B, C; ``A或B`` → A, B."""
    inner = re.findall(r"[（(]\s*(?:或|or\b)?\s*([^）)]+)[）)]", text)
    text = re.sub(r"[（(][^）)]*[）)]", "", text)
    out = []
    for part in [*re.split(splitter, text), *inner]:
        w = part.strip().removesuffix("等").removesuffix(" etc.").removesuffix(" etc").strip()
        w = _ARTICLE.sub("", w).strip()
        if w:
            out.append(w)
    return out


def help_wordings(text: str, fact: Fact, hints: Hints, lang: str) -> list[tuple[str, str | None]]:
    """The wordings a help text gives for the options: (wording, the option it names, or None
    for an example that must name one of them)."""
    from ..core.profile.answers import match_choice

    def option(name: str) -> str | None:
        name = name.strip()
        return match_choice(name, fact, hints) if name else None

    if lang == "zh":
        return [
            w
            for sentence in _ZH_SENTENCES.split(text)
            for c in _ZH_CLAUSES.split(sentence)
            for w in _zh_clause(c, option)
        ]
    found: list[tuple[str, str | None]] = []
    for sentence in re.split(r"(?<!e\.g\.)(?<!i\.e\.)(?<=[.;])\s+", text):
        found += _en_sentence(sentence, option)
    return found


def _zh_clause(clause: str, option) -> list[tuple[str, str | None]]:
    """``主治医师为中级、副主任医师为副高级`` (each part names its option), ``如工程师`` after a
    name (``_ZH_NAMES``), or examples (``如……``) that must each name some option."""
    clause = clause.strip().rsplit("：", 1)[-1].strip()
    examples = bool(_ZH_LEAD.match(clause))
    clause = _ZH_LEAD.sub("", clause)
    parts = [p for p in clause.split("、") if p]
    if any("为" in p and option(p.rsplit("为", 1)[1]) for p in parts):
        found = []
        for a, y in (p.rsplit("为", 1) for p in parts if "为" in p):
            key = option(y)
            if key is not None:
                found += [(w, key) for w in _words(a, "或")]
        return found
    m = _ZH_NAMES.match(clause)
    if m and option(m["y"]):
        return [(w, option(m["y"])) for w in _words(m["a"], "[、或]")]
    return [(w, None) for w in _words(clause, "[、或]")] if examples else []


def _en_sentence(sentence: str, option) -> list[tuple[str, str | None]]:
    """``resident = junior, attending = intermediate`` or ``e.g. …`` examples."""
    sentence = sentence.rstrip(".;").rsplit(":", 1)[-1].strip()
    if "=" in sentence:
        found = []
        for a, y in (part.rsplit("=", 1) for part in re.split(r"[,;]", sentence) if "=" in part):
            key = option(_ARTICLE.sub("", y.strip()))
            if key is not None:
                found += [(w, key) for w in _words(_EN_LEAD.sub("", a.strip()), r"\bor\b")]
        return found
    m = re.search(r"\b(?:e\.g\.|for example|such as)\s*(?P<a>.+)$", sentence, re.I)
    return [(w, None) for w in _words(m["a"], r",|\bor\b")] if m else []


def help_problems(q: QuestionData, fact: Fact) -> list[Msg]:
    """Wordings a choice question's help text gives that the answer parser does not accept
    as the option they name (empty when every one is)."""
    from ..core.profile.answers import match_choice

    if fact.type not in ("choice", "set"):
        return []
    hints = hints_of(q)
    out = []
    for lang in ("zh", "en"):
        for wording, key in help_wordings(q.help.get(lang), fact, hints, lang):
            got = match_choice(wording, fact, hints)
            if got is None or (key is not None and got != key):
                out.append(msg("questions.help_wording", wording=wording, option=key or "?", got=got or "—"))
    return out
