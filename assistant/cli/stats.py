"""``medequip stats PATH...``: per-clause statistics of a batch of profiles.

Exit codes: 0, or 2 when a profile could not be read (it is named on stderr and counted
among the errors; the others are still counted). Verdicts do not change the exit code:
statistics are a report about the batch, not a check of one application.
"""

from __future__ import annotations

import sys

from ..core import exitcodes


def cmd_stats(args, lang: str) -> int:
    from ..reports.stats import render
    from ..reports.table import Catalogue, statistics
    from .batch import expand_inputs
    from .blocks import lean_batch
    from .check import emit_bytes

    if args.jobs is not None and args.jobs < 0:
        from ..core.errors import UsageError

        raise UsageError("--jobs must be 0 (one per CPU) or more")
    sources = expand_inputs(args.paths)
    progress = sys.stderr.isatty()
    batch, codes = lean_batch(sources, lang, args.ruleset, "", args.jobs, progress)
    cat = Catalogue.for_equipment(batch.present, lang, args.ruleset)
    emit_bytes(render(statistics(batch, cat), args.format, lang).encode("utf-8"), args.output)
    return exitcodes.USAGE if exitcodes.USAGE in codes else exitcodes.COMPLIANT
