"""``medequip diff``."""

from __future__ import annotations

from ..core.io import exitcodes
from ..core.text.errors import UsageError
from ..core.text.messages import msg
from ..reports import diff as diff_report


def cmd_diff(args, lang: str) -> int:
    from ..core.evaluate import evaluate
    from ..core.profile.document import ProfileError, load
    from ..core.profile.read import read_source
    from ..core.rules.loader import RulesetError
    from .output import dump_json, emit, err

    if args.old == "-" and args.new == "-":
        raise UsageError(msg("cli.stdin_once"))
    loaded = []
    for source in (args.old, args.new):
        try:
            raw, name = read_source(source)
            loaded.append(load(raw, name, args.ruleset))
        except (ProfileError, RulesetError) as e:
            err(e, lang)
            return exitcodes.USAGE
    (old, _), (new, rs) = loaded
    if old.equipment != new.equipment:
        err(
            msg(
                "cli.diff_equipment",
                old=old.source,
                old_equipment=old.equipment,
                new=new.source,
                new_equipment=new.equipment,
            ),
            lang,
        )
        return exitcodes.USAGE
    ev_old = evaluate(rs, old.equipment, old.answers)
    ev_new = evaluate(rs, new.equipment, new.answers)
    d = diff_report.compare(old, new, rs, ev_old, ev_new, lang)
    emit(dump_json(d) if args.format == "json" else diff_report.to_text(d, lang), None)
    return exitcodes.NOT_COMPLIANT if d["verdicts"] else exitcodes.COMPLIANT
