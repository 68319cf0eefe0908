"""Counts that are part of another ("其中主任医师 2 名" within "指导医师 3 名") declare the whole
with ``at_most`` in the fact data. A part larger than its whole is a typing slip, never a
fact, so the interview refuses it and ``check`` refuses a profile holding it, naming both."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ...text.i18n import Msg
from ..model import Fact


@dataclass(frozen=True)
class Conflict:
    part: str
    whole: str
    part_value: int
    whole_value: int

    def message(self, facts: Mapping[str, Fact]) -> Msg:
        p, w = facts[self.part], facts[self.whole]
        return Msg(
            f"{p.label.zh}（{self.part}）为 {self.part_value:,}，多于{w.label.zh}（{self.whole}）的 "
            f"{self.whole_value:,}：前者是后者的一部分，不能更多",
            f"{p.label.en} ({self.part}) is {self.part_value:,}, more than {w.label.en} ({self.whole}), "
            f"{self.whole_value:,}: the first is part of the second and cannot exceed it",
        )


def _int(v: Any) -> int | None:
    return v if isinstance(v, int) and not isinstance(v, bool) else None


_PARTS: dict[int, tuple[Mapping[str, Fact], list[tuple[str, Fact]]]] = {}


def _parts(facts: Mapping[str, Fact]) -> list[tuple[str, Fact]]:
    """The facts of a catalogue that are part of another, found once per catalogue (every
    profile of a batch is checked against the same few)."""
    hit = _PARTS.get(id(facts))
    if hit is None or hit[0] is not facts:
        if len(_PARTS) > 64:
            _PARTS.clear()
        hit = _PARTS[id(facts)] = (facts, [(k, f) for k, f in facts.items() if f.at_most is not None])
    return hit[1]


def conflicts(facts: Mapping[str, Fact], answers: Mapping[str, Any]) -> list[Conflict]:
    """Every answered part that is larger than its answered whole."""
    out = []
    for key, fact in _parts(facts):
        part, whole = _int(answers.get(key)), _int(answers.get(fact.at_most))
        if part is not None and whole is not None and part > whole:
            out.append(Conflict(key, fact.at_most, part, whole))
    return out


def conflicts_with(
    facts: Mapping[str, Fact], answers: Mapping[str, Any], key: str, value: Any
) -> list[Conflict]:
    """The conflicts that answering ``key`` with ``value`` would bring about."""
    trial = {**answers, key: value}
    return [c for c in conflicts(facts, trial) if key in (c.part, c.whole)]


def reference_problems(facts: Mapping[str, Fact]) -> list[tuple[str, Msg]]:
    """``at_most`` references that name no fact, or a fact that is not a count."""
    out = []
    for key, fact in facts.items():
        ref = fact.at_most
        if ref is None:
            continue
        whole = facts.get(ref)
        if whole is None:
            out.append(
                (key, Msg(f"at_most 指向未声明的事实 {ref}", f"at_most names an undeclared fact {ref}"))
            )
        elif whole.type != "int":
            out.append(
                (
                    key,
                    Msg(
                        f"at_most 指向的 {ref} 不是整数事实", f"at_most names {ref}, which is not an int fact"
                    ),
                )
            )
        elif whole.at_most == key:
            out.append((key, Msg(f"at_most 与 {ref} 互相引用", f"at_most and {ref} name each other")))
    return out
