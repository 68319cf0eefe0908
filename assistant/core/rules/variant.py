"""Provincial variants: a ruleset that ``extends`` another and changes it clause by clause.

A variant names the ruleset it adapts by id and edition, and lists only what differs:
``overrides`` (a clause as the variant words it: its own text, reference and, when stricter,
its own condition), ``rules`` it adds, ``drop_exemptions`` (grounds it does not grant), and
facts it adds. ``resolve`` turns the pair into one plain ruleset the evaluator reads like any
other, plus a record of every clause that differs, so that reports and ``rules show`` can
quote both texts. Nothing is looked up by path: the base is found by id and edition among the
rulesets medequip knows (package data, the ``--ruleset`` files, files beside the variant).
"""

from __future__ import annotations

from typing import NamedTuple

from ..text.messages import msg, tr
from .model import EQUIPMENT_KEYS, Exemption, Rule, RulesetFile


class Difference(NamedTuple):
    """One clause (or exemption clause) that differs from the extended ruleset."""

    id: str
    kind: str  # "override" | "added" | "exemption_dropped" | "waiver_dropped"
    reference: str
    text_zh: str
    text_en: str
    base_text_zh: str | None = None
    base_text_en: str | None = None
    base_reference: str | None = None
    # What changed, in words a reader can check: "condition", "applies_when", "level", grounds
    changed: tuple[str, ...] = ()


# The fields an override may change, and those a reader is told changed (besides the text).
_OVERRIDABLE = (
    "clause",
    "condition",
    "applies_when",
    "not_applicable",
    "level",
    "interpretation",
    "evidence",
)
_TOLD = ("condition", "applies_when", "level")


def _overrides_by_rule(
    child: RulesetFile, base: RulesetFile, base_ids: set[str], problems: list[str]
) -> dict:
    overrides = {}
    for o in child.overrides:
        if o.rule not in base_ids:
            problems.append(f"overrides: {o.rule} is not a rule of {base.ruleset.id} {base.ruleset.edition}")
        elif o.rule in overrides:
            problems.append(f"overrides: {o.rule} is overridden twice")
        else:
            overrides[o.rule] = o
    return overrides


def _overridden(r: Rule, o, base_doc: str) -> tuple[Rule, Difference]:
    """Rule ``r`` as override ``o`` words it, and the difference; ValueError when the result
    is not a valid rule (e.g. applies_when without a not_applicable reason)."""
    changes = {"text_zh": o.text_zh, "text_en": o.text_en, "reference": o.reference}
    for name in _OVERRIDABLE:
        value = getattr(o, name)
        if value is not None and value != getattr(r, name):
            changes[name] = value
    changed = [name for name in _TOLD if name in changes]
    if o.text_zh != r.text_zh:
        changed.insert(0, "text")
    new = r.replace(**changes)
    diff = Difference(
        r.id,
        "override",
        o.reference,
        o.text_zh,
        o.text_en,
        r.text_zh,
        r.text_en,
        f"{base_doc} {r.clause}",
        tuple(changed),
    )
    return new, diff


def _rules(child, base, covered, diffs, problems) -> list[Rule]:
    """The base's rules of the covered equipment, overridden where the variant says, then the
    variant's own."""
    base_ids = {r.id for r in base.rules}
    overrides = _overrides_by_rule(child, base, base_ids, problems)
    rules: list[Rule] = []
    for r in base.rules:
        if r.equipment not in covered:
            continue
        o = overrides.get(r.id)
        if o is None:
            rules.append(r)
            continue
        try:
            new, diffs[r.id] = _overridden(r, o, base.ruleset.issuing_document)
        except ValueError as e:
            problems.append(f"overrides: {r.id}: {e}")
            continue
        rules.append(new)
    for r in child.rules:
        if r.id in base_ids:
            problems.append(f"rules: {r.id} is already a rule of {base.ruleset.id}; override it instead")
            continue
        rules.append(r)
        diffs[r.id] = Difference(
            r.id, "added", r.reference or child.ruleset.issuing_document, r.text_zh, r.text_en
        )
    return rules


def _drops(child, base, diffs, problems) -> dict[str, set[str] | None]:
    """Exemption id -> the grounds the variant does not grant (None: none of them)."""
    base_ex = {e.id: e for e in base.exemptions}
    drops: dict[str, set[str] | None] = {}
    for d in child.drop_exemptions:
        ex = base_ex.get(d.exemption)
        if ex is None:
            problems.append(f"drop_exemptions: {d.exemption} is not an exemption of {base.ruleset.id}")
            continue
        keys = {g.key for g in ex.grounds}
        unknown = [g for g in d.grounds if g not in keys]
        if unknown:
            problems.append(
                f"drop_exemptions: {d.exemption} has no ground {unknown[0]!r} (grounds: {', '.join(sorted(keys))})"
            )
            continue
        drops[d.exemption] = None if not d.grounds else set(d.grounds)
        diffs[d.exemption] = Difference(
            d.exemption,
            "exemption_dropped",
            d.reference,
            d.text_zh,
            d.text_en,
            ex.text_zh,
            ex.text_en,
            f"{base.ruleset.issuing_document} {ex.clause}",
            tuple(sorted(d.grounds or keys)),
        )
    return drops


def _exemptions(child, base, covered, drops) -> list[Exemption]:
    """The base's exemptions of the covered equipment less the dropped grounds, then the
    variant's own."""
    exemptions: list[Exemption] = []
    for ex in base.exemptions:
        if ex.equipment not in covered:
            continue
        if ex.id not in drops:
            exemptions.append(ex)
            continue
        dropped = drops[ex.id]
        kept = tuple(g for g in ex.grounds if dropped is not None and g.key not in dropped)
        if kept:
            exemptions.append(ex.replace(grounds=kept))
    return exemptions + list(child.exemptions)


def resolve(child: RulesetFile, base: RulesetFile) -> tuple[RulesetFile, dict[str, Difference], list[str]]:
    """The variant as a complete ruleset, its differences by id, and problems (an override of
    a rule the base does not have, a dropped ground it does not grant, an added rule whose id
    the base already uses). The caller refuses a variant with problems."""
    problems: list[str] = []
    meta = child.ruleset
    covered = set(meta.equipment)
    for key in covered - set(base.ruleset.equipment) - {e.key for e in child.equipment}:
        problems.append(f"ruleset.equipment names {key}, which {base.ruleset.id} does not cover")
    diffs: dict[str, Difference] = {}
    rules = _rules(child, base, covered, diffs, problems)
    exemptions = _exemptions(child, base, covered, _drops(child, base, diffs, problems))
    # Facts of equipment the variant does not cover would only be noise (lint: "read by no rule").
    facts = {
        f.key: f
        for f in base.facts
        if f.key.split(".", 1)[0] not in EQUIPMENT_KEYS or f.key.split(".", 1)[0] in covered
    }
    facts.update({f.key: f for f in child.facts})
    equipment = [e for e in base.equipment if e.key in covered]
    equipment += [e for e in child.equipment if e.key not in {x.key for x in equipment}]
    merged = RulesetFile(
        ruleset=meta,
        equipment=tuple(equipment),
        facts=tuple(facts.values()),
        rules=tuple(rules),
        exemptions=tuple(exemptions),
    )
    return merged, diffs, problems


def mark_waivers(diffs: dict[str, Difference], base_waivers, new_waivers, rule_ids) -> None:
    """Rules a dropped ground used to waive differ too: record them (in place) so a report
    marks them. ``base_waivers`` / ``new_waivers``: rule id -> set of (exemption, ground)."""
    for rid in rule_ids:
        lost = base_waivers.get(rid, set()) - new_waivers.get(rid, set())
        if lost and rid not in diffs:
            ex_id = sorted(lost)[0][0]
            d = diffs.get(ex_id)
            if d is None:
                continue
            diffs[rid] = Difference(
                rid,
                "waiver_dropped",
                d.reference,
                d.text_zh,
                d.text_en,
                d.base_text_zh,
                d.base_text_en,
                d.base_reference,
                tuple(f"{e}:{g}" for e, g in sorted(lost)),
            )


def difference_json(rs, clause_id: str, lang: str) -> dict | None:
    """How ``clause_id`` differs from the ruleset ``rs`` extends, for reports and ``rules
    show``; None when it does not (or ``rs`` extends nothing)."""
    d = rs.differences.get(clause_id) if rs.differences else None
    if d is None:
        return None
    zh = lang == "zh"
    base_id, base_edition = rs.base
    return {
        "kind": d.kind,
        "base": f"{base_id} {base_edition}",
        "reference": d.reference,
        "text": d.text_zh if zh else d.text_en,
        "base_reference": d.base_reference,
        "base_text": (d.base_text_zh if zh else d.base_text_en) if d.base_text_zh is not None else None,
        "changed": list(d.changed),
    }


_KINDS = {
    "override": "variant.override",
    "added": "variant.added",
    "exemption_dropped": "variant.exemption_dropped",
    "waiver_dropped": "variant.waiver_dropped",
}


def difference_lines(diff: dict, lang: str, indent: str = "    ") -> list[str]:
    """The two texts, each with where it is printed."""
    out = [indent + tr("variant.head", lang, kind=msg(_KINDS[diff["kind"]]), base=diff["base"])]
    out.append(indent + tr("variant.text", lang, reference=diff["reference"], text=diff["text"]))
    if diff["base_text"] is not None:
        out.append(
            indent + tr("variant.text", lang, reference=diff["base_reference"], text=diff["base_text"])
        )
    return out
