"""The checks a ruleset must pass beyond its schema, in one implementation.

The loader refuses a ruleset with any of these problems and ``rules lint`` reports each of
them as an error, so the two cannot disagree: a ruleset lint finds clean is one the loader
loads, and the other way round (``tests/test_one_validator.py`` generates rulesets to hold
them to it). Cross-references (undeclared facts, comparisons the evaluator could not make,
exemptions naming no rule) are ``loader.check_ruleset``, which calls :func:`content_problems`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

from ...text.i18n import Msg
from ...text.messages import languages, msg
from ...text.sanitize import describe, escape, first_unsafe, is_control
from ..model import Choice, Fact, RulesetFile, Strict, Text


@dataclasses.dataclass(frozen=True)
class Problem:
    where: str  # a rule, exemption or fact id, a field path, or "" for the whole file
    msg: Msg

    def __str__(self) -> str:
        return self.as_msg().en

    def as_msg(self) -> Msg:
        """``where: message`` in both languages."""
        return msg("checks.validate.text", where=self.where) + self.msg if self.where else self.msg


def string_problems(data: Any) -> list[Problem]:
    """Text in a parsed ruleset (keys and values) holding a control, bidirectional or
    invisible character: it would reach terminals, reports and templates as it is (or make
    two different ids look the same). Iterative."""
    out: list[Problem] = []
    stack: list[tuple[Any, str]] = [(data, "")]
    while stack:
        node, where = stack.pop()
        if isinstance(node, dict):
            for k, v in node.items():
                path = f"{where}.{escape(str(k))}" if where else escape(str(k))
                if isinstance(k, str) and first_unsafe(k):
                    out.append(_unsafe(path, k))
                stack.append((v, path))
        elif isinstance(node, list):
            stack += [(v, f"{where}[{i}]") for i, v in enumerate(node)]
        elif isinstance(node, str) and first_unsafe(node):
            out.append(_unsafe(where, node))
    return sorted(out, key=lambda p: p.where)


def _unsafe(where: str, text: str) -> Problem:
    m = first_unsafe(text)
    assert m is not None
    ch, at = escape(m.group()), m.start() + 1
    if not is_control(m.group()):
        return Problem(where, msg("value.invisible", char=describe(m.group()), at=at))
    return Problem(
        where,
        msg("checks.validate.text_contains_control_character_at", at=at, ch=ch),
    )


def texts(obj: Any, where: str) -> Iterator[tuple[str, str, str]]:
    """(path, zh, en) for every bilingual text in a ruleset record, depth first."""
    if isinstance(obj, Text | Choice):
        yield where, obj.zh, obj.en
        return
    if isinstance(obj, Strict):
        for name in obj._fields:
            yield from texts(getattr(obj, name), f"{where}.{name}" if where else name)
        if hasattr(obj, "text_zh") and hasattr(obj, "text_en"):
            yield f"{where}.text" if where else "text", obj.text_zh, obj.text_en
        if hasattr(obj, "title_zh") and hasattr(obj, "title_en"):
            yield f"{where}.title" if where else "title", obj.title_zh, obj.title_en
    elif isinstance(obj, tuple | list):
        for i, item in enumerate(obj):
            yield from texts(item, f"{where}[{i}]")


def empty_text_problems(entry: Any, ident: str) -> list[Problem]:
    out = []
    for where, zh, en in texts(entry, ""):
        missing = [lang for lang, s in (("zh", zh), ("en", en)) if not s.strip()]
        if missing:
            out.append(
                Problem(
                    ident,
                    msg("checks.text_empty", where=where, langs=languages(missing)),
                )
            )
    return out


def content_problems(rf: RulesetFile, base: dict[str, Fact]) -> list[Problem]:
    """Duplicates the loader would otherwise silently merge, ranges that hold no value, and
    text missing in one language. ``base`` is the shared institution catalogue."""
    out: list[Problem] = []
    seen: set[str] = set()
    for f in rf.facts:
        if f.key in seen:
            out.append(Problem(f.key, msg("checks.validate.fact_declared_twice")))
        elif f.key in base:
            out.append(
                Problem(
                    f.key,
                    msg("checks.validate.redeclares_institution_fact_of_facts"),
                )
            )
        seen.add(f.key)
        for one in (f, *f.fields):  # a roster's person fields have ranges too
            out += range_problems(one)
    eq_keys = [e.key for e in rf.equipment]
    for k in sorted({k for k in eq_keys if eq_keys.count(k) > 1}):
        out.append(Problem("", msg("checks.validate.equipment_appears_more_than_once", k=k)))
    for entry in (rf.ruleset, *rf.equipment, *rf.facts, *rf.rules, *rf.exemptions):
        ident = getattr(entry, "id", None) or getattr(entry, "key", None) or ""
        out += empty_text_problems(entry, ident)
    return out


def range_problems(f: Fact) -> list[Problem]:
    """A number fact whose range holds nothing: no answer could ever be valid."""
    if f.type == "int" and f.min is not None and f.max is not None and f.min > f.max:
        return [
            Problem(
                f.key,
                msg("checks.validate.min_is_greater_than_max", min=f.min, max=f.max),
            )
        ]
    return []
