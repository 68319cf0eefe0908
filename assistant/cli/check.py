"""``medequip check``: one profile or a batch, in every report format, with the exit code
of the most severe result.

Every format is one run of the batch job (``batch.py``) into the format's sink
(``sinks.py``), written through the one output path (``output.py``); ``--exit-zero`` is
applied once, here."""

from __future__ import annotations

import os

from ..core.io import exitcodes
from ..core.text.errors import UsageError
from ..core.text.messages import msg
from .batch import Job, expand_inputs, run_batch
from .output import Output, err, is_dir_target


def cmd_check(args, lang: str) -> int:
    from . import reviewed

    if reviewed.wanted(args):  # application packages, and the reviewer's marks
        return reviewed.check_packages(args, lang)
    return _check_profiles(args, lang)


def _check_profiles(args, lang: str) -> int:
    from ..reports.report import report_date

    _refuse_options(args)
    try:
        date = report_date(args.date)
    except ValueError as e:
        raise UsageError(e) from None
    sources = expand_inputs(args.files)
    as_of = getattr(args, "as_of", None)
    # Every path below (tables, folders of HTML, blocks, forked workers) picks the edition in
    # force on this day, and finds a variant's base among the --ruleset files too.
    args.ctx.settle(as_of, [args.ruleset] if args.ruleset is not None else [])
    if args.ruleset is not None and not getattr(args, "against", None):
        from ..core.rules.loader import RulesetError, load_path

        try:
            load_path(args.ruleset)
        except RulesetError as e:
            err(e, lang)
            return exitcodes.USAGE
    code = exitcodes.most_severe(_run(args, lang, sources, date, as_of))
    if args.exit_zero and code != exitcodes.USAGE:
        code = exitcodes.COMPLIANT
    return code


def _refuse_options(args) -> None:
    """Raise UsageError for options that do not go together (before any work)."""
    if args.jobs is not None and args.jobs < 0:
        raise UsageError(msg("cli.jobs"))
    if args.summary and args.format != "text":
        raise UsageError(msg("cli.summary_format"))
    if args.detail and args.format not in ("json", "jsonl"):
        raise UsageError(msg("cli.detail_format"))
    if args.format == "xlsx" and not args.output:
        raise UsageError(msg("cli.xlsx_output"))
    if args.format == "docx" and not args.output and args.ctx.stdout_tty:
        # a binary document on a terminal is noise; a pipe or a redirect may take it
        raise UsageError(msg("cli.docx_output"))


def _run(args, lang: str, sources: list[str], date: str, as_of) -> list[int]:
    """Run the batch into the sink of its format; the exit codes in input order."""
    from . import sinks

    jobs = args.jobs
    ctx = args.ctx
    progress = ctx.progress(args.quiet)
    if getattr(args, "against", None):
        job = Job("recheck", "full", lang, args.ruleset, date, as_of, args.against)
        return _recheck(args, lang, sources, job, progress)
    single = len(args.files) == 1 and (args.files[0] == "-" or not os.path.isdir(args.files[0]))
    terminal = not args.output and ctx.colour
    kind, detail = _kind(args, single, terminal)
    job = Job(kind, detail, lang, args.ruleset, date, as_of)
    if kind in ("html", "docx"):  # a folder of reports
        folder = sinks.HtmlFolder(args.output, sources, lang, "." + kind, ctx.guard)
        try:
            return run_batch(sources, job, jobs, progress, folder)
        finally:
            folder.close()
    with Output(args.output, ctx.guard) as out:
        return run_batch(
            sources, job, jobs, progress, sinks.for_check(args, lang, job, out, sources, terminal)
        )


def _kind(args, single: bool, terminal: bool) -> tuple[str, str]:
    """What each profile becomes for this format: the job's kind and detail."""
    fmt = args.format
    if args.summary or args.quiet:
        return "verdicts", "lean"
    if fmt in ("csv", "xlsx"):
        return "jsonl", "lean_no_words"
    if fmt == "html":
        return ("html" if args.output and is_dir_target(args.output) else "article"), "full"
    if fmt == "docx":  # a folder of documents, or one document of every report
        return ("docx" if args.output and is_dir_target(args.output) else "report"), "full"
    if fmt in ("json", "jsonl"):
        detail = args.detail or ("full" if single and fmt == "json" else "lean")
        return ("json1" if fmt == "json" and single else fmt), detail
    if fmt == "markdown":
        return "markdown", "full"
    return ("report" if terminal else "text"), "full"


def _recheck(args, lang: str, sources: list[str], job: Job, progress: bool) -> list[int]:
    """``check --ruleset NEW --against OLD``: every profile under NEW and under OLD, the
    profiles whose verdicts move, clause by clause (``editions.py``): one run of the batch job
    (kind ``recheck``, ``editions.recheck_one`` per profile) into the ``Moves`` sink."""
    from ..core.rules import loader
    from .editions import Moves, named_ruleset

    try:
        old = named_ruleset(args.against)
    except loader.RulesetError as e:
        err(e, lang)
        return [exitcodes.USAGE]
    with Output(args.output, args.ctx.guard) as out:
        return run_batch(sources, job, args.jobs, progress, Moves(out, lang, old, args.format))
