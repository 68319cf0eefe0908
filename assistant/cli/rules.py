"""``medequip rules``: list the clauses, ``rules show ID`` one clause in both languages,
``rules lint PATH`` check an adapted ruleset."""

from __future__ import annotations

from pathlib import Path

from ..core.io import exitcodes
from ..core.text.errors import UsageError
from ..core.text.i18n import LEVEL
from ..core.text.messages import msg, suggest, tr, unknown_equipment, word
from .output import dump_json, emit, err


def _rulesets(custom: Path | None):
    """The given ruleset, or the bundled ones in force today: when several editions of one
    ruleset are installed, the clauses listed are those of the edition in force."""
    from ..core.rules.loader import bundled, load_path, today

    if custom is not None:
        return (load_path(custom),)
    day = today()
    current: dict[str, object] = {}
    for rs in bundled():
        m = rs.data.ruleset
        if not m.in_force(day):
            continue
        held = current.get(rs.id)
        if held is None or (m.effective_from or day.min) >= (held.data.ruleset.effective_from or day.min):
            current[rs.id] = rs
    return tuple(current.values()) or bundled()


def _differs(rs, clause_id: str, lang: str) -> dict:
    from ..core.rules.variant import difference_json

    d = difference_json(rs, clause_id, lang)
    return {} if d is None else {"differs": d}


def rule_json(rs, rule, lang: str) -> dict:
    from ..core.rules.describe import describe
    from ..core.rules.model import Exemption

    if isinstance(rule, Exemption):
        return {
            "id": rule.id,
            "kind": "exemption",
            "equipment": rule.equipment,
            "clause": rule.clause,
            "heading_zh": rule.heading.zh,
            "heading_en": rule.heading.en,
            "level": "exemption",
            "scope": rule.scope,
            "text_zh": rule.text_zh,
            "text_en": rule.text_en,
            "grounds": [
                {
                    "key": g.key,
                    "label_zh": g.label.zh,
                    "label_en": g.label.en,
                    "when": describe(
                        rs, g.when, None if rule.scope == "institution" else _roster_of(rs, rule)
                    ).get(lang),
                    "waives": list(rs.waived[rule.id][g.key]),
                }
                for g in rule.grounds
            ],
            "facts": _exemption_facts(rs, rule),
            "interpretation_zh": rule.interpretation.zh if rule.interpretation else None,
            "interpretation_en": rule.interpretation.en if rule.interpretation else None,
            "ruleset": rs.id,
            **_differs(rs, rule.id, lang),
        }
    roster = rule.roster if rule.scope == "person" else None
    return {
        "id": rule.id,
        "kind": "rule",
        "equipment": rule.equipment,
        "clause": rule.clause,
        "heading_zh": rule.heading.zh,
        "heading_en": rule.heading.en,
        "level": rule.level,
        "scope": rule.scope,
        "role": rule.role,
        "text_zh": rule.text_zh,
        "text_en": rule.text_en,
        "facts": rs.rule_facts(rule),
        "applies_when": describe(rs, rule.applies_when, roster).get(lang) if rule.applies_when else None,
        "condition": describe(rs, rule.condition, roster).get(lang),
        "advice": describe(rs, rule.advice, roster).get(lang) if rule.advice else None,
        "waivable_by": [{"exemption": ex.id, "ground": g} for ex, g in rs.waivers_of(rule.id)],
        "evidence_zh": [e.zh for e in rule.evidence],
        "evidence_en": [e.en for e in rule.evidence],
        "interpretation_zh": rule.interpretation.zh if rule.interpretation else None,
        "interpretation_en": rule.interpretation.en if rule.interpretation else None,
        "ruleset": rs.id,
        **_differs(rs, rule.id, lang),
    }


def _roster_of(rs, ex) -> str | None:
    for g in ex.grounds:
        for rid in rs.waived[ex.id][g.key]:
            rule = rs.rule(rid)
            if getattr(rule, "roster", None):
                return rule.roster
    return None


def _exemption_facts(rs, ex) -> list[str]:
    from ..core.rules.loader import facts_read

    roster = _roster_of(rs, ex) if ex.scope == "person" else None
    return list(dict.fromkeys(k for g in ex.grounds for k in facts_read(g.when, roster)))


def cmd_rules(args, lang: str) -> int:
    from ..core.rules.loader import RulesetError

    words = list(args.args)
    if words[:1] == ["diff"]:
        from .editions import cmd_rules_diff

        return cmd_rules_diff(words[1:], args.format, lang)
    if words[:1] == ["lint"]:
        if len(words) != 2:
            raise UsageError(msg("cli.usage_rules_lint"))
        return lint(Path(words[1]), lang, strict=getattr(args, "strict", False))
    try:
        rulesets = _rulesets(args.ruleset)
    except RulesetError as e:
        err(e, lang)
        return exitcodes.USAGE
    if words[:1] == ["show"]:
        if len(words) != 2:
            raise UsageError(msg("cli.usage_rules_show"))
        return _show_rule(rulesets, words[1], args.format, lang)
    if len(words) > 1:
        raise UsageError(msg("cli.usage_rules"))
    return _list_rules(rulesets, words[0] if words else None, args.format, lang)


def _list_rules(rulesets, equipment: str | None, fmt: str, lang: str) -> int:
    """``rules [EQUIPMENT]``: every clause and exemption (of one equipment), in clause order."""
    from ..core.rules.model import EQUIPMENT_KEYS

    if equipment is not None and equipment not in EQUIPMENT_KEYS:
        raise UsageError(unknown_equipment(equipment, EQUIPMENT_KEYS))
    items = [
        (rs, rule)
        for rs in rulesets
        for rule in (*rs.data.rules, *rs.data.exemptions)
        if equipment is None or rule.equipment == equipment
    ]
    items.sort(key=lambda x: (EQUIPMENT_KEYS.index(x[1].equipment), _id_key(x[1].id)))
    if fmt == "json":
        emit(dump_json([rule_json(rs, r, lang) for rs, r in items]), None)
        return exitcodes.COMPLIANT
    lines = []
    for _rs, r in items:
        kind = getattr(r, "level", "exemption")
        tag = "" if kind == "required" else f" [{(LEVEL.get(kind) or msg('cli.rules.exemption')).get(lang)}]"
        text = r.text_zh if lang == "zh" else r.text_en
        lines.append(f"{r.id:<24} {r.clause}{tag}  {text}")
    emit("\n".join(lines) + "\n", None)
    return exitcodes.COMPLIANT


def _id_key(rule_id: str) -> tuple:
    return tuple(int(p) for p in rule_id.split("/", 1)[1].split("."))


def _show_rule(rulesets, rule_id: str, fmt: str, lang: str) -> int:
    for rs in rulesets:
        rule = rs.rule(rule_id)
        if rule is None:
            continue
        data = rule_json(rs, rule, lang)
        if fmt == "json":
            emit(dump_json(data), None)
            return exitcodes.COMPLIANT
        zh = lang == "zh"
        c = word("punct.colon", lang)  # full width after a Chinese label
        out = [f"{rule.id}  {rule.clause}  {rule.heading.zh} / {rule.heading.en}", ""]
        out += [f"中文：{rule.text_zh}", f"English: {rule.text_en}", ""]
        if data["kind"] == "exemption":
            for g in data["grounds"]:
                out.append(f"- {g['label_zh'] if zh else g['label_en']}{c}{g['when']}")
                out.append(f"  {tr('cli.rules.show.waives', lang)}{c}{', '.join(g['waives'])}")
        else:
            out.append(f"{tr('cli.rules.show.level', lang)}{c}{LEVEL[data['level']].get(lang)}")
            if data["applies_when"]:
                out.append(f"{tr('cli.rules.show.applies_when', lang)}{c}{data['applies_when']}")
            out.append(f"{tr('cli.rules.show.condition', lang)}{c}{data['condition']}")
            if data["advice"]:
                out.append(f"{tr('cli.rules.show.advice', lang)}{c}{data['advice']}")
            out.append(f"{tr('cli.rules.show.facts', lang)}{c}{', '.join(data['facts'])}")
            waivers = [f"{w['exemption']} ({w['ground']})" for w in data["waivable_by"]]
            out.append(
                f"{tr('cli.rules.show.waived_by', lang)}{c}{', '.join(waivers) if waivers else tr('cli.rules.show.nothing', lang)}"
            )
            ev = data["evidence_zh" if zh else "evidence_en"]
            if ev:
                out.append(f"{tr('cli.rules.show.evidence', lang)}{c.rstrip()}")
                out += [f"  - {e}" for e in ev]
        note = data["interpretation_zh" if zh else "interpretation_en"]
        if note:
            out.append(f"{tr('cli.rules.show.interpretation', lang)}{c}{note}")
        if data.get("differs"):
            from ..core.rules.variant import difference_lines

            out += difference_lines(data["differs"], lang, "")
        emit("\n".join(out) + "\n", None)
        return exitcodes.COMPLIANT
    ids = [r.id for rs in rulesets for r in (*rs.data.rules, *rs.data.exemptions)]
    raise UsageError(msg("cli.no_rule", id=repr(rule_id), hint=suggest(rule_id, ids)))


def lint(path: Path, lang: str, strict: bool = False) -> int:
    """Print findings to stdout, one per line, and a count; return the exit code."""
    from ..core.rules.loader import RulesetError
    from ..core.text.sanitize import escape
    from ..interview.lint import findings

    try:
        found = findings(path)
    except RulesetError as e:  # unreadable, not TOML, or over a limit: the loader's words
        err(e, lang)
        return exitcodes.USAGE
    errors = [f for f in found if f.severity == "error"]
    warnings = [f for f in found if f.severity == "warning"]
    lines = [escape(f.render(path, lang)) for f in errors + warnings]
    path = Path(escape(str(path)))
    if found:
        lines.append(tr("cli.rules.lint.found", lang, path=path, errors=len(errors), warnings=len(warnings)))
    else:
        lines.append(tr("cli.rules.lint.clean", lang, path=path))
    emit("\n".join(lines) + "\n", None)
    if errors or (strict and warnings):
        return exitcodes.NOT_COMPLIANT
    return exitcodes.COMPLIANT
