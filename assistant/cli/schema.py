"""``medequip schema``."""

from __future__ import annotations

import sys

from ..core import exitcodes
from ..core.errors import UsageError
from ..core.model import EQUIPMENT_KEYS
from ..reports import schema as schema_report


def cmd(args, lang: str) -> int:
    from ..core.loader import RulesetError
    from .output import dump_json, emit

    if args.which == "report":
        if args.equipment:
            raise UsageError("--equipment applies to 'schema profile' only")
        emit(dump_json(schema_report.report_schema()), args.output)
        return exitcodes.COMPLIANT
    if args.equipment is not None and args.equipment not in EQUIPMENT_KEYS:
        from ..core.profile import suggest

        raise UsageError(
            f"unknown equipment {args.equipment!r}: expected one of {', '.join(EQUIPMENT_KEYS)}"
            f"{suggest(args.equipment, list(EQUIPMENT_KEYS))}"
        )
    try:
        schema = schema_report.profile_schema(args.equipment)
    except RulesetError as e:
        print(f"medequip: {e}", file=sys.stderr)
        return exitcodes.USAGE
    emit(dump_json(schema), args.output)
    return exitcodes.COMPLIANT
