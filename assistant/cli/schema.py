"""``medequip schema``."""

from __future__ import annotations

from ..core.io import exitcodes
from ..core.rules.model import EQUIPMENT_KEYS
from ..core.text.errors import UsageError
from ..core.text.messages import msg, unknown_equipment
from ..reports import schema as schema_report


def cmd_schema(args, lang: str) -> int:
    from ..core.rules.loader import RulesetError
    from .output import dump_json, emit, err

    if args.which != "profile":
        if args.equipment:
            raise UsageError(msg("cli.schema_equipment"))
        emit(dump_json(schema_report.shipped_schema(args.which)), args.output, args.ctx.guard)
        return exitcodes.COMPLIANT
    if args.equipment is not None and args.equipment not in EQUIPMENT_KEYS:
        raise UsageError(unknown_equipment(args.equipment, EQUIPMENT_KEYS))
    try:
        schema = schema_report.profile_schema(args.equipment)
    except RulesetError as e:
        err(e, lang)
        return exitcodes.USAGE
    emit(dump_json(schema), args.output, args.ctx.guard)
    return exitcodes.COMPLIANT
