"""``medequip template``."""

from __future__ import annotations

from pathlib import Path

from ..core.io import exitcodes
from ..core.rules.model import EQUIPMENT_KEYS
from ..core.text.errors import UsageError
from ..core.text.messages import msg, unknown_equipment
from ..reports import template as template_report


def cmd_template(args, lang: str) -> int:
    from ..core.rules.loader import RulesetError, for_equipment
    from .output import emit, err

    if args.equipment not in EQUIPMENT_KEYS:
        raise UsageError(unknown_equipment(args.equipment, EQUIPMENT_KEYS))
    try:
        rs = for_equipment(args.equipment, args.ruleset)
    except RulesetError as e:
        err(e, lang)
        return exitcodes.USAGE
    if args.output and Path(args.output).exists() and not args.force:
        raise UsageError(msg("cli.template_exists", path=args.output))
    emit(template_report.render(rs, args.equipment, lang), args.output, args.ctx.guard)
    return exitcodes.COMPLIANT
