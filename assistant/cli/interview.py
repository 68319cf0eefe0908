"""``medequip interview`` and ``medequip questions``: choosing the TUI or the line mode
(``plain.py``), and listing every question a profile can be asked.

The CLI does not import the TUI (the two front ends are independent layers): the entry
point hands ``main`` a launcher for it, which ``run`` calls on a terminal.
"""

from __future__ import annotations

from typing import Any

from ..core.io import exitcodes
from ..core.rules.model import EQUIPMENT_KEYS
from ..core.text.errors import UsageError
from ..core.text.i18n import Words
from ..core.text.messages import msg, tr, unknown_equipment
from .output import err, say


def _load_given(path: str) -> tuple[str, dict]:
    from ..core.profile.document import ProfileError, load
    from ..core.profile.read import read_source
    from ..core.rules.loader import RulesetError

    try:
        raw, name = read_source(path)
        profile, _ = load(raw, name)
    except (ProfileError, RulesetError) as e:
        raise UsageError(e) from None
    return profile.equipment, profile.answers


def institution_answers(answers: dict, equipment: str, ruleset=None) -> dict:
    """From a profile of another equipment type, the institution's answers that the target
    equipment's ruleset asks too (same fact, same type): a hospital applying for two devices
    answers its institution once. The other equipment's own answers never carry over."""
    from ..core.rules import loader

    try:
        facts = loader.for_equipment(equipment, ruleset).facts
    except loader.RulesetError as e:
        raise UsageError(e) from None
    out = {}
    for key, value in answers.items():
        if key.startswith("institution.") and key in facts:
            out[key] = value
    return out


def cmd_interview(args, lang: str) -> int:
    given: dict[str, Any] = {}
    equipment = args.equipment
    if equipment is not None and equipment not in EQUIPMENT_KEYS:
        raise UsageError(unknown_equipment(equipment, EQUIPMENT_KEYS))
    source = args.resume or args.answers
    if args.resume and args.answers:
        raise UsageError(msg("cli.resume_and_answers"))
    if source:
        found, given = _load_given(source)
        if equipment and equipment != found:
            if args.resume:
                raise UsageError(msg("cli.wrong_equipment", path=source, found=found, equipment=equipment))
            given = institution_answers(given, equipment, args.ruleset)
            err(msg("cli.reuse_institution", source=source, found=found, equipment=equipment), lang)
        equipment = equipment or found
    output = args.output or args.resume
    interactive = args.ctx.interactive
    launch_tui = args.ctx.launch_tui
    if args.plain or not interactive or launch_tui is None:
        from .plain import plain

        return plain(equipment, lang, output, args.ruleset, given, args.force)
    return launch_tui(
        equipment=equipment, lang=lang, output=output, ruleset=args.ruleset, given=given, force=args.force
    )


def cmd_questions(args, lang: str) -> int:
    from ..core.rules import loader
    from ..interview import questions as qmod

    if args.equipment not in EQUIPMENT_KEYS:
        raise UsageError(unknown_equipment(args.equipment, EQUIPMENT_KEYS))
    try:
        rs = loader.for_equipment(args.equipment, args.ruleset)
        qs = qmod.load(rs, args.equipment)
    except loader.RulesetError as e:
        raise UsageError(e) from None
    items = _question_items(rs, args.equipment, qs, lang)
    if args.format == "json":
        from .output import dump_json, emit

        emit(dump_json(items), None)
        return exitcodes.COMPLIANT
    for it in items:
        _say_question(it, lang)
    return exitcodes.COMPLIANT


def _question_items(rs, equipment: str, qs: list, lang: str) -> list[dict]:
    """Every question a clause or an exemption reads (and the identity questions), with the
    clauses that read it and the conditions under which it is asked."""
    rules = rs.rules_for(equipment)
    exemptions = rs.exemptions_for(equipment)
    items = []
    for q in qs:
        readers = [r for r in rules if q.key in rs.rule_facts(r)]
        grounds = [ex for ex in exemptions if any(q.key in _ground_keys(rs, g, ex) for g in ex.grounds)]
        if not readers and not grounds and not q.fact.identity:
            continue
        items.append(_question_item(rs, q, readers, grounds, lang))
        if q.fact.type == "roster":
            items.append(_add_prompt(rs, q, qs, lang))
    return items


def _prompt_key(q) -> str | None:
    """The key the line mode prints in its prompt: a person's field is asked as
    roster[i].field, a roster as roster.add ("add a person?"), listed next."""
    if q.roster:
        return f"{q.roster}[i].{q.field}"
    return None if q.fact.type == "roster" else q.key


def _question_item(rs, q, readers: list, grounds: list, lang: str) -> dict:
    from ..core.profile.answers import numbering
    from ..core.rules.describe import describe

    conds = [
        describe(rs, r.applies_when, r.roster if r.scope == "person" else None).get(lang)
        for r in readers
        if r.applies_when is not None
    ]
    f = q.fact
    aliases = dict(q.hints.aliases)
    return {
        "fact": q.key,
        "prompt_key": _prompt_key(q),
        "type": f.type,
        "prompt": q.prompt.get(lang),
        "help": q.help.get(lang),
        "section": q.section.get(lang),
        "unit": f.unit.get(lang) if f.unit else None,
        "min": f.min,
        "max": f.max,
        "at_most": f.at_most,
        "choices": [
            {
                "key": c.key,
                "label": c.label(lang),
                "number": n,
                "aliases": [a for a, k in aliases.items() if k == c.key],
            }
            for n, c in numbering(f, q.hints)
        ],
        "roster": q.roster,
        "rules": [r.id for r in readers],
        "exemptions": [ex.id for ex in grounds],
        "condition": "; ".join(dict.fromkeys(conds)) or None,
    }


def _say_question(it: dict, lang: str) -> None:
    spec = FACT_TYPE[it["type"]].get(lang) if it["type"] in FACT_TYPE else it["type"]
    if it["unit"] or it["min"] is not None:
        spec += f" {it['min']}–{it['max']} {it['unit'] or ''}".rstrip()
    if it["choices"]:
        spec += " [" + ", ".join(f"{c['key']}={c['label']}" for c in it["choices"]) + "]"
    say(f"{it['prompt_key'] or it['fact']}  ({spec})")
    say(f"    {it['prompt']}")
    if it["condition"]:
        say(f"    {tr('cli.interview.only_when', lang)}{it['condition']}")
    used = ", ".join(it["rules"] + it["exemptions"])
    if used:
        say(f"    {tr('cli.interview.used_by', lang)}{used}")


def _add_prompt(rs, q, qs, lang: str) -> dict:
    """The "add a person?" prompt of a roster, as the line mode asks it."""
    from ..interview.engine import Step, add_fact

    first = Step(f"{q.key}.add", q, add_fact(), roster=q.key, first_person=True)
    later = Step(f"{q.key}.add", q, add_fact(), roster=q.key)
    return {
        "fact": f"{q.key}.add",
        "prompt_key": f"{q.key}.add",
        "type": "bool",
        "prompt": first.prompt(lang),
        "prompt_again": later.prompt(lang),
        "help": q.help.get(lang),
        "section": q.section.get(lang),
        "unit": None,
        "min": None,
        "max": None,
        "at_most": None,
        "choices": [],
        "roster": q.key,
        "rules": [],
        "exemptions": [],
        "condition": None,
    }


# Fact types as people read them (JSON keeps the keys).
FACT_TYPE = Words(
    {
        "bool": "cli.interview.fact_type.bool",
        "int": "cli.interview.fact_type.int",
        "choice": "cli.interview.fact_type.choice",
        "set": "cli.interview.fact_type.set",
        "text": "cli.interview.fact_type.text",
        "roster": "cli.interview.fact_type.roster",
    }
)


def _ground_keys(rs, g, ex) -> list[str]:
    from ..core.rules.loader import facts_read

    roster = None
    if ex.scope == "person":
        # A person-scope exemption reads the fields of the roster its rules are about.
        waived = [rs.rule(rid) for rid in rs.waived[ex.id][g.key]]
        roster = next((r.roster for r in waived if getattr(r, "roster", None)), None)
    return facts_read(g.when, roster)
