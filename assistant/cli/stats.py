"""``medequip stats PATH...``: per-clause statistics of a batch of profiles.

Exit codes: 0, or 2 when a profile could not be read (it is named on stderr and counted
among the errors; the others are still counted). Verdicts do not change the exit code:
statistics are a report about the batch, not a check of one application.
"""

from __future__ import annotations

from ..core.io import exitcodes


def cmd_stats(args, lang: str) -> int:
    if getattr(args, "review_dir", None) or any(p.lower().endswith(".zip") for p in args.paths):
        from .reviewed import cmd_stats as reviewed_stats  # application packages and their reviews

        return reviewed_stats(args, lang)
    from .batch import Job, expand_inputs, run_batch
    from .output import Output
    from .sinks import Table

    if args.jobs is not None and args.jobs < 0:
        from ..core.text.errors import UsageError

        raise UsageError("--jobs must be 0 (one per CPU) or more")
    sources = expand_inputs(args.paths)
    progress = args.ctx.progress()
    job = Job("jsonl", "lean_no_words", lang, args.ruleset, "")
    with Output(args.output, args.ctx.guard) as out:
        codes = run_batch(
            sources, job, args.jobs, progress, Table(out, args.format, lang, args.ruleset, stats=True)
        )
    return exitcodes.USAGE if exitcodes.USAGE in codes else exitcodes.COMPLIANT
