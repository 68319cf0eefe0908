"""``medequip explain FILE RULE``: how one verdict was reached, fact by fact (and what an
exemption clause waives, ground by ground); ``--format json`` for scripts."""

from __future__ import annotations

from ..core.io import exitcodes
from ..core.text.errors import UsageError
from ..core.text.messages import msg, suggest
from .output import dump_json, emit, err


def cmd_explain(args, lang: str) -> int:
    from ..core.profile.document import ProfileError, load
    from ..core.profile.read import read_source
    from ..core.rules.loader import RulesetError
    from ..reports import explain

    try:
        raw, name = read_source(args.file)
        profile, rs = load(raw, name, args.ruleset)
    except (ProfileError, RulesetError) as e:
        err(e, lang)
        return exitcodes.USAGE
    doc = explain.build(rs, profile, args.rule_id, lang)
    if doc is None:
        every = [r.id for r in rs.rules_for(profile.equipment)] + [
            e.id for e in rs.exemptions_for(profile.equipment)
        ]
        raise UsageError(
            msg(
                "cli.no_rule_for",
                id=repr(args.rule_id),
                equipment=profile.equipment,
                hint=suggest(args.rule_id, every),
            )
        )
    fmt = getattr(args, "format", "text")
    emit(dump_json(doc) if fmt == "json" else explain.to_text(doc, lang), None)
    return exitcodes.COMPLIANT
