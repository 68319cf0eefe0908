"""``medequip diff``."""

from __future__ import annotations

import sys

from ..core import exitcodes
from ..core.errors import UsageError
from ..reports import diff as diff_report


def cmd(args, lang: str) -> int:
    from ..core.evaluate import evaluate
    from ..core.loader import RulesetError
    from ..core.profile import ProfileError, load, read_source
    from .output import dump_json, emit

    if args.old == "-" and args.new == "-":
        raise UsageError("'-' (standard input) can be given only once")
    loaded = []
    for source in (args.old, args.new):
        try:
            raw, name = read_source(source)
            loaded.append(load(raw, name, args.ruleset))
        except (ProfileError, RulesetError) as e:
            print(f"medequip: {e}", file=sys.stderr)
            return exitcodes.USAGE
    (old, _), (new, rs) = loaded
    if old.equipment != new.equipment:
        print(
            f"medequip: {old.source} is a {old.equipment} profile and {new.source} a {new.equipment} one; "
            "diff compares two versions of one application",
            file=sys.stderr,
        )
        return exitcodes.USAGE
    ev_old = evaluate(rs, old.equipment, old.answers)
    ev_new = evaluate(rs, new.equipment, new.answers)
    d = diff_report.compare(old, new, rs, ev_old, ev_new, lang)
    emit(dump_json(d) if args.format == "json" else diff_report.to_text(d, lang), None)
    return exitcodes.NOT_COMPLIANT if d["verdicts"] else exitcodes.COMPLIANT
