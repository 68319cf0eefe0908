"""Conditions in plain words, for ``rules show``, the interview's "why", and reports."""

from __future__ import annotations

from ..text.i18n import Msg, num
from .loader import Ruleset
from .model import All, Any_, Compare, Condition, Count, Fact, Implies, Not, Qualified, Rules

_OPS = {
    ">=": ("不少于", "at least"),
    ">": ("超过", "more than"),
    "<=": ("不超过", "at most"),
    "<": ("少于", "less than"),
}


def _labels(fact: Fact, keys) -> Msg:
    keys = keys if isinstance(keys, list) else [keys]
    cs = [fact.choice(k) for k in keys]
    return Msg("、".join(c.zh for c in cs if c), ", ".join(c.en for c in cs if c))


def describe(rs: Ruleset, cond: Condition | None, roster: str | None = None) -> Msg:
    if cond is None:
        return Msg("无", "none")
    match cond:
        case Compare(fact=key, op=op, value=value):
            if roster is not None and "." not in key:
                parent = rs.facts[roster]
                fact = next(f for f in parent.fields if f.key == key)
            else:
                fact = rs.facts[key]
            lz, le = fact.label.zh, fact.label.en
            if fact.type == "bool":
                yes = (value is True) == (op == "==")
                return Msg(f"{lz}：{'是' if yes else '否'}", f"{le}: {'yes' if yes else 'no'}")
            if fact.type == "choice" and op in _OPS:
                c = fact.choice(value)
                return Msg(f"{lz}达到“{c.zh}”或以上", f"{le}: '{c.en}' or higher")
            if op in _OPS:
                uz, ue = (fact.unit.zh, fact.unit.en) if fact.unit else ("", "")
                wz, we = _OPS[op]
                return Msg(f"{lz}{wz} {num(value)} {uz}".rstrip(), f"{le}: {we} {num(value)} {ue}".rstrip())
            if op == "==":
                return Msg(f"{lz}为“{_labels(fact, value).zh}”", f"{le} is {_labels(fact, value).en}")
            if op == "!=":
                return Msg(f"{lz}不为“{_labels(fact, value).zh}”", f"{le} is not {_labels(fact, value).en}")
            if op == "in":
                return Msg(
                    f"{lz}为以下之一：{_labels(fact, value).zh}", f"{le} is one of: {_labels(fact, value).en}"
                )
            if op == "contains":
                return Msg(f"{lz}包括：{_labels(fact, value).zh}", f"{le} include: {_labels(fact, value).en}")
            return Msg(
                f"{lz}至少包括其一：{_labels(fact, value).zh}",
                f"{le} include at least one of: {_labels(fact, value).en}",
            )
        case All(all=parts):
            inner = [describe(rs, p, roster) for p in parts]
            return Msg("全部满足：（", "all of: (") + Msg.join(inner, "）（", "), (") + Msg("）", ")")
        case Any_(any=parts):
            inner = [describe(rs, p, roster) for p in parts]
            return Msg("满足其一：（", "any of: (") + Msg.join(inner, "）或（", ") or (") + Msg("）", ")")
        case Not(not_=inner):
            return Msg("并非", "not ") + describe(rs, inner, roster)
        case Implies(if_=a, then=b):
            da, db = describe(rs, a, roster), describe(rs, b, roster)
            return Msg(f"如果{da.zh}，则{db.zh}", f"if {da.en}, then {db.en}")
        case Count(count=key, where=where, op=op, value=value, label=label):
            wz, we = _OPS[op]
            msg = Msg(f"{label.zh}{wz} {value} 名", f"{label.en}: {we} {value}")
            if where is not None:
                d = describe(rs, where, key)
                msg = msg + Msg(f"（名单中满足：{d.zh}）", f" (roster people with: {d.en})")
            return msg
        case Qualified():
            return Msg(
                "具备临床应用能力（本角色全部人员条款符合或豁免）",
                "qualified (every person clause of their role met or waived)",
            )
        case Rules(rules=patterns, label=label):
            return Msg(
                f"{label.zh}均符合、豁免或不适用（{'、'.join(patterns)}）",
                f"{label.en}: every one met, exempt or not applicable ({', '.join(patterns)})",
            )
    raise TypeError(cond)  # pragma: no cover
