"""``medequip check``: one profile or a batch, in every report format, with the exit code
of the most severe result."""

from __future__ import annotations

import json
import os
import sys

from ..core import exitcodes
from ..core.errors import UsageError
from ..core.messages import msg
from .batch import Outcome, error_object, expand_inputs, iter_outcomes, run
from .output import dump_json, emit, err, progress_wanted, stdout_is_tty


def summary_text(outcomes: list[Outcome], lang: str) -> str:
    """One tab-separated line per profile, then the totals."""
    from ..core.i18n import OVERALL

    zh = lang == "zh"
    lines = []
    totals = {"compliant": 0, "not_compliant": 0, "incomplete": 0, "error": 0}
    for o in outcomes:
        r = o.summary
        if r is None:
            totals["error"] += 1
            lines.append(f"{o.source}\t{'错误' if zh else 'error'}\t{o.error}".replace("\n", " "))
            continue
        totals[r["status"]] += 1
        c = r["counts"]
        name = r["institution"] or "-"
        counts = (
            f"不符合 {c['not_met']}\t待定 {c['unknown']}"
            if zh
            else f"not met {c['not_met']}\topen {c['unknown']}"
        )
        lines.append(f"{o.source}\t{name}\t{r['equipment']}\t{OVERALL[r['status']].get(lang)}\t{counts}")
    t = totals
    if zh:
        lines.append(
            f"合计 {len(outcomes)}：符合 {t['compliant']}，不符合 {t['not_compliant']}，信息不全 {t['incomplete']}，错误 {t['error']}"
        )
    else:
        lines.append(
            f"total {len(outcomes)}: compliant {t['compliant']}, not compliant {t['not_compliant']}, "
            f"incomplete {t['incomplete']}, errors {t['error']}"
        )
    return "\n".join(lines) + "\n"


def render(outcomes: list[Outcome], fmt: str, lang: str, single: bool, to_terminal: bool) -> str | None:
    """The whole output as text, or None when it is drawn straight to the terminal."""
    from ..reports import report as rep

    reports = [o.report for o in outcomes if o.report]
    if fmt == "json":
        if single:
            return dump_json(reports[0]) if reports else ""
        return dump_json([o.report if o.report else error_object(o) for o in outcomes])
    if fmt == "jsonl":
        return "".join(
            json.dumps(o.report if o.report else error_object(o), ensure_ascii=False) + "\n" for o in outcomes
        )
    if not reports:
        return ""
    if fmt == "markdown":
        return "\n---\n\n".join(rep.to_markdown(r, lang) for r in reports)
    if fmt == "html":
        from ..reports.html import to_html

        return to_html(reports, lang)
    if to_terminal:
        return None
    return "\n".join(rep.to_text(r, lang) for r in reports)


def print_terminal(outcomes: list[Outcome], lang: str) -> None:
    from rich.console import Console

    from ..reports import report as rep

    console = Console(highlight=False)
    for i, r in enumerate(o.report for o in outcomes if o.report):
        if i:
            console.print()
        rep.print_rich(r, lang, console)


def cmd_check(args, lang: str) -> int:
    from ..reports.report import report_date

    if args.jobs is not None and args.jobs < 0:
        raise UsageError(msg("cli.jobs"))
    if args.summary and args.format != "text":
        raise UsageError(msg("cli.summary_format"))
    try:
        date = report_date(args.date)
    except ValueError as e:
        raise UsageError(e) from None
    sources = expand_inputs(args.files)
    if args.ruleset is not None:
        from ..core.loader import RulesetError, load_path

        try:
            load_path(args.ruleset)
        except RulesetError as e:
            err(e, lang)
            return exitcodes.USAGE
    jobs = args.jobs if args.jobs else (os.cpu_count() or 1) if args.jobs == 0 else 1
    progress = progress_wanted(sys.stderr, args.quiet)
    if args.format == "jsonl" or args.summary or args.quiet:
        return _check_streaming(args, lang, sources, date, jobs, progress)
    outcomes = run(sources, lang, args.ruleset, date, jobs, progress=progress)
    for o in outcomes:
        if o.error:
            err(o.error)
    code = exitcodes.most_severe([o.code for o in outcomes])
    if args.exit_zero and code != exitcodes.USAGE:
        code = exitcodes.COMPLIANT
    if args.summary:
        text: str | None = summary_text(outcomes, lang)
    else:
        single = len(args.files) == 1 and (args.files[0] == "-" or not os.path.isdir(args.files[0]))
        text = render(outcomes, args.format, lang, single, to_terminal=not args.output and stdout_is_tty())
    if args.output:
        if text:  # a single unreadable profile writes nothing rather than an empty file
            emit(text, args.output)
    elif args.quiet:
        pass
    elif text is None:
        print_terminal(outcomes, lang)
    else:
        emit(text, None)
    return code


def _check_streaming(args, lang: str, sources: list[str], date: str, jobs: int, progress: bool) -> int:
    """JSON Lines, --summary and --quiet: each result is written (or counted) as it arrives
    and then dropped, so a folder of 10,000 profiles costs no more memory than a few."""
    from contextlib import nullcontext

    from ..core.atomic import replacing

    write_lines = args.format == "jsonl" and not args.summary and not args.quiet
    briefs: list[Outcome] = []
    codes: list[int] = []
    sink = replacing(args.output) if args.output and write_lines else nullcontext(None)
    try:
        with sink as f:
            for o in iter_outcomes(sources, lang, args.ruleset, date, jobs, progress, slim=True):
                if o.error:
                    err(o.error)
                codes.append(o.code)
                if write_lines:
                    if f is not None:
                        f.write(o.line.encode("utf-8"))
                    else:
                        sys.stdout.write(o.line)
                if args.summary:
                    briefs.append(Outcome(o.source, o.code, error=o.error, brief=o.brief))
    except OSError as e:
        raise UsageError(msg("cli.cannot_write", path=args.output, reason=e.strerror or e)) from None
    if write_lines and f is None:
        sys.stdout.flush()
    code = exitcodes.most_severe(codes)
    if args.exit_zero and code != exitcodes.USAGE:
        code = exitcodes.COMPLIANT
    if args.summary and not args.quiet:
        emit(summary_text(briefs, lang), args.output)
    return code
