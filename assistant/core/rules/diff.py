"""What changed between two rulesets (two editions, or a base and its variant), clause by
clause: added, removed, reworded (with the text difference), and changed in condition,
threshold, applicability, level or exemption. Pure: ``medequip rules diff`` prints it.

Every equipment either ruleset covers is compared: one that only the old covers is removed
with all its clauses, one that only the new covers is added with all of them (an edition
that drops conventional radiotherapy has removed 15 clauses, not changed none)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from ..text.i18n import Msg
from ..text.messages import as_msg, listed, msg, tr
from .model import Compare, Count, Strict


@dataclass
class RuleChange:
    id: str
    kind: str  # "added" | "removed" | "changed"
    clause: str = ""
    # for "changed": what moved
    reworded: tuple[str, str] | None = None  # (old text_zh, new text_zh)
    text_diff: str = ""
    thresholds: list[tuple[str, str, Any, Any]] = field(default_factory=list)  # (fact, op, old, new)
    condition: tuple[str, str] | None = None  # (old, new) described, when more than a threshold moved
    applicability: tuple[str, str] | None = None
    level: tuple[str, str] | None = None
    exemption: tuple[list[str], list[str]] | None = None  # waivable-by before / after

    @property
    def equipment(self) -> str:
        return self.id.split("/", 1)[0]

    def as_json(self) -> dict:
        out: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "clause": self.clause,
            "equipment": self.equipment,
        }
        if self.reworded:
            out["text_old"], out["text_new"] = self.reworded
            out["text_diff"] = self.text_diff
        if self.thresholds:
            out["thresholds"] = [{"fact": f, "op": op, "old": a, "new": b} for f, op, a, b in self.thresholds]
        if self.condition:
            out["condition_old"], out["condition_new"] = self.condition
        if self.applicability:
            out["applies_when_old"], out["applies_when_new"] = self.applicability
        if self.level:
            out["level_old"], out["level_new"] = self.level
        if self.exemption:
            out["waivable_by_old"], out["waivable_by_new"] = self.exemption
        return out


def inline_diff(old: str, new: str) -> str:
    """Character-level difference, ``[-removed-]{+added+}`` (Chinese has no word breaks)."""
    out = []
    sm = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            out.append(old[i1:i2])
            continue
        if i2 > i1:
            out.append(f"[-{old[i1:i2]}-]")
        if j2 > j1:
            out.append(f"{{+{new[j1:j2]}+}}")
    return "".join(out)


def _shape(cond) -> Any:
    """A condition with its thresholds blanked out: equal shapes differ only in thresholds."""
    if cond is None:
        return None
    if isinstance(cond, Compare):
        return ("compare", cond.fact, cond.op)
    if isinstance(cond, Count):
        return ("count", cond.count, cond.op, _shape(cond.where))
    out = []
    for f in type(cond)._fields:
        v = getattr(cond, f)
        if isinstance(v, tuple):
            out.append((f, tuple(_shape(x) if isinstance(x, Strict) else x for x in v)))
        elif isinstance(v, Strict):
            out.append((f, _shape(v)))
        elif f != "label":
            out.append((f, v))
    return (type(cond).__name__, tuple(out))


def _thresholds(a, b, out: list) -> None:
    """Walk two conditions of the same shape and collect the values that differ."""
    if a is None or b is None:
        return
    if isinstance(a, Compare):
        if a.value != b.value:
            out.append((a.fact, a.op, a.value, b.value))
        return
    if isinstance(a, Count):
        if a.value != b.value:
            out.append((a.count, a.op, a.value, b.value))
        _thresholds(a.where, b.where, out)
        return
    for f in type(a)._fields:
        va, vb = getattr(a, f), getattr(b, f)
        if isinstance(va, tuple):
            for x, y in zip(va, vb, strict=False):
                if isinstance(x, Strict):
                    _thresholds(x, y, out)
        elif isinstance(va, Strict):
            _thresholds(va, vb, out)


def _described(rs, rule, cond, lang: str) -> str:
    from .describe import describe

    if cond is None:
        return ""
    return describe(rs, cond, rule.roster if rule.scope == "person" else None).get(lang)


def _condition_change(ch: RuleChange, old, new, ra, rb, lang: str) -> None:
    """Thresholds when only they moved (same shape), else both conditions in words."""
    if ra.condition == rb.condition:
        return
    if _shape(ra.condition) == _shape(rb.condition):
        _thresholds(ra.condition, rb.condition, ch.thresholds)
    if not ch.thresholds:
        ch.condition = (_described(old, ra, ra.condition, lang), _described(new, rb, rb.condition, lang))


def _rule_change(old, new, ra, rb, lang: str) -> RuleChange | None:
    """How clause ``ra`` of ``old`` became ``rb`` of ``new``; None when nothing moved."""
    ch = RuleChange(rb.id, "changed", rb.clause)
    if ra.text_zh != rb.text_zh:
        ch.reworded = (ra.text_zh, rb.text_zh)
        ch.text_diff = inline_diff(ra.text_zh, rb.text_zh)
    _condition_change(ch, old, new, ra, rb, lang)
    if ra.applies_when != rb.applies_when:
        ch.applicability = (
            _described(old, ra, ra.applies_when, lang),
            _described(new, rb, rb.applies_when, lang),
        )
    if ra.level != rb.level:
        ch.level = (ra.level, rb.level)
    wa = sorted(f"{e.id}:{g}" for e, g in old.waivers_of(ra.id))
    wb = sorted(f"{e.id}:{g}" for e, g in new.waivers_of(rb.id))
    if wa != wb:
        ch.exemption = (wa, wb)
    moved = ch.reworded or ch.thresholds or ch.condition or ch.applicability or ch.level or ch.exemption
    return ch if moved else None


def compare(old, new, equipment: str | None = None, lang: str = "zh") -> list[RuleChange]:
    """Differences from ruleset ``old`` to ``new`` (loaded Rulesets), in rule order."""

    def rules_of(rs):
        eqs = [equipment] if equipment else list(rs.data.ruleset.equipment)
        return {r.id: r for eq in eqs for r in rs.rules_for(eq)}

    a, b = rules_of(old), rules_of(new)
    out: list[RuleChange] = []
    for rid in list(a) + [i for i in b if i not in a]:
        ra, rb = a.get(rid), b.get(rid)
        if rb is None:
            out.append(RuleChange(rid, "removed", ra.clause))
        elif ra is None:
            out.append(RuleChange(rid, "added", rb.clause))
        elif (ch := _rule_change(old, new, ra, rb, lang)) is not None:
            out.append(ch)
    return out


@dataclass
class EquipmentChange:
    """An equipment one ruleset covers and the other does not, with its clauses."""

    key: str
    kind: str  # "added" | "removed"
    name_zh: str
    name_en: str
    rules: list[str]
    exemptions: list[str]

    def as_json(self) -> dict:
        return {
            "key": self.key,
            "kind": self.kind,
            "name_zh": self.name_zh,
            "name_en": self.name_en,
            "rules": self.rules,
            "exemptions": self.exemptions,
        }


def equipment_of(old, new) -> list[str]:
    """Every equipment either ruleset covers: the old one's order, then what the new adds."""
    return list(dict.fromkeys([*old.data.ruleset.equipment, *new.data.ruleset.equipment]))


def equipment_changes(old, new) -> list[EquipmentChange]:
    """Equipment covered by one ruleset only."""
    out = []
    a, b = set(old.data.ruleset.equipment), set(new.data.ruleset.equipment)
    for key in equipment_of(old, new):
        if key in a and key in b:
            continue
        rs, kind = (old, "removed") if key in a else (new, "added")
        info = rs.equipment_info(key)
        out.append(
            EquipmentChange(
                key,
                kind,
                info.name.zh,
                info.name.en,
                [r.id for r in rs.rules_for(key)],
                [e.id for e in rs.exemptions_for(key)],
            )
        )
    return out


def compare_all(old, new, lang: str = "zh") -> tuple[list[EquipmentChange], list[RuleChange]]:
    """What ``rules diff`` reports: equipment covered by one side only, and the clause changes
    of every equipment either side covers (all clauses of a one-sided equipment included)."""
    changes = [c for eq in equipment_of(old, new) for c in compare(old, new, eq, lang)]
    return equipment_changes(old, new), changes


# A clause added or removed, after its id and clause number.
_ADDED_REMOVED = {"added": ("+", "diff.added"), "removed": ("-", "diff.removed")}
_EQUIPMENT = {"added": "diff.equipment_added", "removed": "diff.equipment_removed"}


def _equipment_line(e: EquipmentChange) -> Msg:
    n = len(e.rules)
    clauses = msg("diff.clause" if n == 1 else "diff.clauses", n=n)
    extra = msg("diff.exemption_clauses", ids=listed(e.exemptions)) if e.exemptions else as_msg("")
    return msg(_EQUIPMENT[e.kind], key=e.key, name=Msg(e.name_zh, e.name_en), clauses=clauses, extra=extra)


def _details(c: RuleChange) -> list[tuple[str, str]]:
    """(catalogue key, old → new) for each part of a changed clause that moved."""
    out = [("diff.reworded", c.text_diff)] if c.reworded else []
    out += [("diff.threshold", f"{fact} {op} {a} → {b}") for fact, op, a, b in c.thresholds]
    if c.condition:
        out.append(("diff.condition", f"{c.condition[0]} → {c.condition[1]}"))
    if c.applicability:
        a, b = c.applicability
        out.append(("diff.applies_when", f"{a or '—'} → {b or '—'}"))
    if c.level:
        out.append(("diff.level", f"{c.level[0]} → {c.level[1]}"))
    if c.exemption:
        a, b = c.exemption
        out.append(("diff.waivable_by", f"{', '.join(a) or '—'} → {', '.join(b) or '—'}"))
    return out


def _change_lines(c: RuleChange, lang: str) -> list[str]:
    if c.kind in _ADDED_REMOVED:
        sign, key = _ADDED_REMOVED[c.kind]
        return [f"{sign} {c.id} {c.clause}" + tr(key, lang)]
    return [f"~ {c.id} {c.clause}"] + [tr(key, lang) + moved for key, moved in _details(c)]


def render_text(old, new, changes: list[RuleChange], lang: str, equipment: list[EquipmentChange] = ()) -> str:
    lines = [f"{old.id} {old.edition} → {new.id} {new.edition}"]
    lines += [_equipment_line(e).get(lang) for e in equipment]
    if not changes and not equipment:
        lines.append(tr("diff.no_change", lang))
    for c in changes:
        lines += _change_lines(c, lang)
    return "\n".join(lines) + "\n"
