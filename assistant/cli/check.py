"""``medequip check``: one profile or a batch, in every report format, with the exit code
of the most severe result."""

from __future__ import annotations

import json
import os
import sys

from ..core import exitcodes
from ..core.errors import UsageError
from ..core.messages import msg
from .batch import Outcome, error_object, expand_inputs, iter_outcomes, run, worker_count
from .blocks import Job, iter_blocks
from .output import dump_json, emit, err, progress_wanted, stdout_is_tty


def summary_text(outcomes: list[Outcome], lang: str) -> str:
    """One tab-separated line per profile, then the totals. Every cell from outside (a file
    name, an institution, an error quoting either) is escaped: a tab or a newline in it
    cannot make a cell or a row of its own, nor an escape sequence reach the terminal."""
    from ..core.i18n import OVERALL
    from ..core.sanitize import escape

    zh = lang == "zh"
    lines = []
    totals = {"compliant": 0, "not_compliant": 0, "incomplete": 0, "error": 0}
    for o in outcomes:
        r = o.summary
        if r is None:
            totals["error"] += 1
            lines.append(f"{escape(o.source)}\t{'错误' if zh else 'error'}\t{escape(o.error or '')}")
            continue
        totals[r["status"]] += 1
        c = r["counts"]
        name = escape(r["institution"] or "-")
        counts = (
            f"不符合 {c['not_met']}\t待定 {c['unknown']}"
            if zh
            else f"not met {c['not_met']}\topen {c['unknown']}"
        )
        lines.append(
            f"{escape(o.source)}\t{name}\t{r['equipment']}\t{OVERALL[r['status']].get(lang)}\t{counts}"
        )
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
    if args.detail and args.format not in ("json", "jsonl"):
        raise UsageError(msg("cli.detail_format"))
    if args.format == "xlsx" and not args.output:
        raise UsageError(msg("cli.xlsx_output"))
    try:
        date = report_date(args.date)
    except ValueError as e:
        raise UsageError(e) from None
    sources = expand_inputs(args.files)
    as_of = getattr(args, "as_of", None)
    if as_of is not None:
        from ..core import loader

        # Every path below (tables, folders of HTML, blocks) picks the edition for this day.
        loader.default_as_of = as_of
    if args.ruleset is not None:
        from ..core import loader

        loader.extra_files.append(args.ruleset)  # a base a variant extends may be given too
    if getattr(args, "against", None):
        from .editions import cmd_recheck

        return cmd_recheck(args, lang, sources, as_of)
    if args.ruleset is not None:
        from ..core.loader import RulesetError, load_path

        try:
            load_path(args.ruleset)
        except RulesetError as e:
            err(e, lang)
            return exitcodes.USAGE
    jobs = worker_count(args.jobs, len(sources))
    progress = progress_wanted(sys.stderr, args.quiet)
    single = len(args.files) == 1 and (args.files[0] == "-" or not os.path.isdir(args.files[0]))
    if args.summary or args.quiet:
        return _check_streaming(args, lang, sources, date, jobs, progress)
    if args.format in ("csv", "xlsx"):
        return _finish(args, _check_table(args, lang, sources, date, jobs, progress))
    if args.format == "html" and args.output and _is_dir_target(args.output):
        return _finish(args, _check_html_dir(args, lang, sources, date, jobs, progress))
    detail = args.detail or ("full" if single and args.format == "json" else "lean")
    if args.format == "jsonl" or (args.format == "json" and (detail == "lean" or not single)):
        return _finish(args, _check_blocks(args, lang, sources, date, jobs, progress, detail, single))
    outcomes = run(sources, lang, args.ruleset, date, jobs, progress=progress, as_of=as_of)
    for o in outcomes:
        if o.error:
            err(o.error)
    code = exitcodes.most_severe([o.code for o in outcomes])
    if args.exit_zero and code != exitcodes.USAGE:
        code = exitcodes.COMPLIANT
    if args.summary:
        text: str | None = summary_text(outcomes, lang)
    else:
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
    """--summary and --quiet: each result is counted as it arrives and then dropped, so a
    folder of 10,000 profiles costs no more memory than a few."""
    briefs: list[Outcome] = []
    codes: list[int] = []
    for o in iter_outcomes(
        sources, lang, args.ruleset, date, jobs, progress, slim=True, as_of=getattr(args, "as_of", None)
    ):
        if o.error:
            err(o.error)
        codes.append(o.code)
        if args.summary:
            briefs.append(Outcome(o.source, o.code, error=o.error, brief=o.brief))
    code = exitcodes.most_severe(codes)
    if args.exit_zero and code != exitcodes.USAGE:
        code = exitcodes.COMPLIANT
    if args.summary and not args.quiet:
        emit(summary_text(briefs, lang), args.output)
    return code


# --- batch formats: lean JSON, CSV, XLSX, a folder of HTML ------------------------------------


def _finish(args, codes: list[int]) -> int:
    code = exitcodes.most_severe(codes)
    if args.exit_zero and code != exitcodes.USAGE:
        code = exitcodes.COMPLIANT
    return code


def emit_bytes(data: bytes, output: str | None) -> None:
    """Write ``data`` to ``output`` atomically, or to stdout."""
    if output:
        from ..core.atomic import write_bytes

        try:
            write_bytes(output, data)
        except OSError as e:
            raise UsageError(msg("cli.cannot_write", path=output, reason=e.strerror or e)) from None
    else:
        _stdout_bytes(data)
        sys.stdout.flush()


def _stdout_bytes(data: bytes) -> None:
    """Encoded output straight to stdout's bytes (no re-encoding), or through a text
    stream that has none (a caller that captured stdout in a StringIO)."""
    buf = getattr(sys.stdout, "buffer", None)
    if buf is None:
        sys.stdout.write(data.decode("utf-8"))
    else:
        buf.write(data)


def _is_dir_target(path: str) -> bool:
    return path.endswith(("/", os.sep)) or os.path.isdir(path)


def _check_blocks(args, lang, sources, date, jobs, progress, detail: str, single: bool) -> list[int]:
    """JSON Lines, and JSON of several files (or of one, lean): written block by block as
    the runs come back, so memory stays flat; with -o, atomically."""
    from contextlib import nullcontext

    from ..core.atomic import replacing

    kind = "jsonl" if args.format == "jsonl" else "json1" if single else "json"
    codes: list[int] = []
    chunks: list[bytes] = []
    sink = replacing(args.output) if args.output and kind != "json1" else nullcontext(None)
    try:
        with sink as f:
            write = f.write if f is not None else _stdout_bytes
            first = True
            for outputs, metas in iter_blocks(
                sources,
                Job(kind, detail, lang, args.ruleset, date, getattr(args, "as_of", None)),
                jobs,
                progress,
            ):
                for m in metas:
                    if m.error:
                        err(m.error)
                    codes.append(m.code)
                if kind == "json":
                    write((b"[\n" if first else b",\n") + b",\n".join(outputs))
                    first = False
                elif kind == "json1":
                    chunks += outputs
                else:
                    write(b"".join(outputs))
            if kind == "json":
                write(b"[]\n" if first else b"\n]\n")
            sys.stdout.flush()
    except BrokenPipeError:
        raise  # the reader went away (| head): main() ends quietly
    except OSError as e:
        raise UsageError(msg("cli.cannot_write", path=args.output, reason=e.strerror or e)) from None
    if kind == "json1" and chunks[0]:  # one unreadable profile writes nothing, as ever
        emit_bytes(chunks[0], args.output)
    return codes


def _check_table(args, lang, sources, date, jobs, progress) -> list[int]:
    """CSV or XLSX: one row per profile, one column per clause (see reports/table.py)."""
    from ..reports.table import Catalogue
    from .blocks import lean_batch

    batch, codes = lean_batch(sources, lang, args.ruleset, date, jobs, progress)
    cat = Catalogue.for_equipment(batch.present, lang, args.ruleset)
    if args.format == "csv":
        from ..reports.csv import batch_csv

        # bytes, so that no text layer can turn the CRLF line ends into anything else
        emit_bytes(batch_csv(batch, cat).encode("utf-8"), args.output)
        return codes
    from ..reports.table import statistics
    from ..reports.xlsx import to_xlsx

    emit_bytes(to_xlsx(batch, cat, statistics(batch, cat)), args.output)
    return codes


def _check_html_dir(args, lang, sources, date, jobs, progress) -> list[int]:
    """One HTML report per profile in OUTDIR, and an index.html sorted by status, then name."""
    from pathlib import Path

    from .. import __version__
    from ..core.atomic import write_bytes, write_text
    from ..reports.index import Entry, index_html, report_names

    out = Path(args.output)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UsageError(msg("cli.cannot_write", path=args.output, reason=e.strerror or e)) from None
    names = iter(report_names(sources))
    entries: list[Entry] = []
    codes: list[int] = []
    try:
        for outputs, metas in iter_blocks(
            sources,
            Job("html", "full", lang, args.ruleset, date, getattr(args, "as_of", None)),
            jobs,
            progress,
        ):
            for data, m in zip(outputs, metas, strict=True):
                name = next(names)
                codes.append(m.code)
                if m.error:
                    err(m.error)
                    entries.append(Entry(m.source, "error", error=m.error))
                    continue
                write_bytes(out / name, data)
                entries.append(Entry(m.source, m.status, m.institution, m.equipment, name))
        write_text(out / "index.html", index_html(entries, lang, __version__))
    except OSError as e:
        raise UsageError(msg("cli.cannot_write", path=args.output, reason=e.strerror or e)) from None
    return codes
