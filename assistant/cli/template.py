"""``medequip template``."""

from __future__ import annotations

import sys
from pathlib import Path

from ..core import exitcodes
from ..core.errors import UsageError
from ..core.model import EQUIPMENT_KEYS
from ..reports import template as template_report


def cmd(args, lang: str) -> int:
    from ..core.loader import RulesetError, for_equipment
    from .output import emit

    if args.equipment not in EQUIPMENT_KEYS:
        from ..core.profile import suggest

        raise UsageError(
            f"unknown equipment {args.equipment!r}: expected one of {', '.join(EQUIPMENT_KEYS)}"
            f"{suggest(args.equipment, list(EQUIPMENT_KEYS))}"
        )
    try:
        rs = for_equipment(args.equipment, args.ruleset)
    except RulesetError as e:
        print(f"medequip: {e}", file=sys.stderr)
        return exitcodes.USAGE
    if args.output and Path(args.output).exists() and not args.force:
        raise UsageError(
            f"{args.output} exists; a template would replace its answers (use --force to overwrite)"
        )
    emit(template_report.render(rs, args.equipment, lang), args.output)
    return exitcodes.COMPLIANT
