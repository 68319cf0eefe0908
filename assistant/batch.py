"""``medequip check`` over many profiles: inputs, parallel evaluation, output, exit code.

Each input is checked on its own; a broken file becomes an error outcome (reported on stderr
and counted in the exit code) and the others are still checked. With ``--jobs N`` the
profiles are evaluated in worker processes, but outcomes are collected in input order, so
the output is byte-for-byte the same as with ``--jobs 1``. Rich is imported only to draw a
report on a terminal; JSON never passes through it.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import exitcodes
from .cli import UsageError


@dataclass
class Outcome:
    source: str
    code: int
    report: dict | None = None
    error: str | None = None
    # Streamed runs keep only the finished JSON line and the few fields a summary needs,
    # so memory stays flat however many profiles are checked.
    line: str | None = None
    brief: dict | None = None

    @property
    def summary(self) -> dict | None:
        return self.report or self.brief


def error_object(o: Outcome) -> dict[str, Any]:
    """What JSON and JSON Lines output say for a profile that could not be checked."""
    from .report import REPORT_VERSION

    return {"report_version": REPORT_VERSION, "source": o.source, "status": "error", "error": o.error}


def expand_inputs(items: list[str]) -> list[str]:
    """Files as given, directories as their *.toml files (sorted), ``-`` for stdin."""
    if items.count("-") > 1:
        raise UsageError("'-' (standard input) can be given only once")
    out: list[str] = []
    for item in items:
        p = Path(item)
        if item != "-" and os.path.isdir(p):
            found = sorted(str(f) for f in p.glob("*.toml") if f.is_file())
            if not found:
                out.append(item)  # reported as an error: a directory with no profiles
            out += found
        else:
            out.append(item)
    return out


def check_one(
    source: str,
    lang: str,
    ruleset: Path | None,
    date: str | None = None,
    raw: bytes | None = None,
    slim: bool = False,
) -> Outcome:
    """Load, validate and evaluate one profile. ``raw`` is the already-read standard input;
    ``slim`` returns the report as its JSON line plus a brief instead of the whole dict."""
    from . import report as rep
    from .evaluate import evaluate
    from .loader import RulesetError
    from .profile import ProfileError, load, read_source

    try:
        if raw is not None:
            name = "<stdin>"
        elif source != "-" and os.path.isdir(source):
            raise ProfileError(source, "directory holds no *.toml profiles")
        else:
            raw, name = read_source(source)
        profile, rs = load(raw, name, ruleset)
    except (ProfileError, RulesetError) as e:
        o = Outcome(source, exitcodes.USAGE, error=str(e))
        if slim:
            o.line = json.dumps(error_object(o), ensure_ascii=False) + "\n"
        return o
    ev = evaluate(rs, profile.equipment, profile.answers)
    r = rep.build(profile, rs, ev, lang, date=date)
    code = exitcodes.BY_STATUS[ev.status]
    if slim:
        brief = {k: r[k] for k in ("institution", "equipment", "status", "counts")}
        return Outcome(source, code, line=json.dumps(r, ensure_ascii=False) + "\n", brief=brief)
    return Outcome(source, code, report=r)


def _work(job: tuple) -> Outcome:
    return check_one(*job)


def _ignore_sigint() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl+C for everyone


class Progress:
    """A one-line bar on stderr, drawn only on a terminal and only once a run has taken more
    than a moment (so quick runs and pipes never see it)."""

    DELAY = 0.4

    def __init__(self, total: int, enabled: bool):
        self.total, self.done = total, 0
        self.enabled = enabled and total > 1
        self.start = time.monotonic()
        self.shown = False

    def step(self) -> None:
        self.done += 1
        if not self.enabled or (not self.shown and time.monotonic() - self.start < self.DELAY):
            return
        self.shown = True
        width = 30
        filled = width * self.done // self.total
        sys.stderr.write(
            f"\r\x1b[Kmedequip: checking [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}"
        )
        sys.stderr.flush()

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


def iter_outcomes(
    sources: list[str],
    lang: str,
    ruleset: Path | None,
    date: str,
    jobs: int = 1,
    progress: bool = False,
    slim: bool = False,
) -> Iterator[Outcome]:
    """Check every source, yielding outcomes in input order whatever ``jobs`` is."""
    stdin_raw = None
    if "-" in sources:
        from .profile import MAX_PROFILE_BYTES

        stdin_raw = sys.stdin.buffer.read(MAX_PROFILE_BYTES + 1)
    work = [(s, lang, ruleset, date, stdin_raw if s == "-" else None, slim) for s in sources]
    bar = Progress(len(work), progress)
    try:
        if jobs <= 1 or len(work) <= 1:
            for job in work:
                yield _work(job)
                bar.step()
            return
        from concurrent.futures import ProcessPoolExecutor

        workers = min(jobs, len(work))
        pool = ProcessPoolExecutor(max_workers=workers, initializer=_ignore_sigint)
        try:
            # map() keeps input order; chunks amortise the cost of each round trip.
            chunk = max(1, min(64, len(work) // (workers * 8)))
            for outcome in pool.map(_work, work, chunksize=chunk):
                yield outcome
                bar.step()
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown()
    finally:
        bar.close()


def run(
    sources: list[str], lang: str, ruleset: Path | None, date: str, jobs: int = 1, progress: bool = False
) -> list[Outcome]:
    """Check every source; outcomes in input order whatever ``jobs`` is."""
    return list(iter_outcomes(sources, lang, ruleset, date, jobs, progress))


# --- output ---------------------------------------------------------------------------------


def stdout_is_tty() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def emit(text: str, output: str | None) -> None:
    """Write to ``output`` atomically, or to stdout."""
    if output:
        from .atomic import write_text

        try:
            write_text(output, text)
        except OSError as e:
            raise UsageError(f"cannot write {output}: {e.strerror or e}") from None
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


def dump_json(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2) + "\n"


def summary_text(outcomes: list[Outcome], lang: str) -> str:
    """One tab-separated line per profile, then the totals."""
    from .i18n import OVERALL

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
    from . import report as rep

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
        from .html_report import to_html

        return to_html(reports, lang)
    if to_terminal:
        return None
    return "\n".join(rep.to_text(r, lang) for r in reports)


def print_terminal(outcomes: list[Outcome], lang: str) -> None:
    from rich.console import Console

    from . import report as rep

    console = Console(highlight=False)
    for i, r in enumerate(o.report for o in outcomes if o.report):
        if i:
            console.print()
        rep.print_rich(r, lang, console)


def cmd_check(args, lang: str) -> int:
    from .report import report_date

    if args.jobs is not None and args.jobs < 0:
        raise UsageError("--jobs must be 0 (one per CPU) or more")
    if args.summary and args.format != "text":
        raise UsageError(
            "--summary prints a plain-text table; for scripts use --format jsonl and read status and counts"
        )
    try:
        date = report_date(args.date)
    except ValueError as e:
        raise UsageError(str(e)) from None
    sources = expand_inputs(args.files)
    if args.ruleset is not None:
        from .loader import RulesetError, load_path

        try:
            load_path(args.ruleset)
        except RulesetError as e:
            print(f"medequip: {e}", file=sys.stderr)
            return exitcodes.USAGE
    jobs = args.jobs if args.jobs else (os.cpu_count() or 1) if args.jobs == 0 else 1
    progress = sys.stderr.isatty() and not args.quiet
    if args.format == "jsonl" or args.summary or args.quiet:
        return _check_streaming(args, lang, sources, date, jobs, progress)
    outcomes = run(sources, lang, args.ruleset, date, jobs, progress=progress)
    for o in outcomes:
        if o.error:
            print(f"medequip: {o.error}", file=sys.stderr)
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

    from .atomic import replacing

    write_lines = args.format == "jsonl" and not args.summary and not args.quiet
    briefs: list[Outcome] = []
    codes: list[int] = []
    sink = replacing(args.output) if args.output and write_lines else nullcontext(None)
    try:
        with sink as f:
            for o in iter_outcomes(sources, lang, args.ruleset, date, jobs, progress, slim=True):
                if o.error:
                    print(f"medequip: {o.error}", file=sys.stderr)
                codes.append(o.code)
                if write_lines:
                    if f is not None:
                        f.write(o.line.encode("utf-8"))
                    else:
                        sys.stdout.write(o.line)
                if args.summary:
                    briefs.append(Outcome(o.source, o.code, error=o.error, brief=o.brief))
    except OSError as e:
        raise UsageError(f"cannot write {args.output}: {e.strerror or e}") from None
    if write_lines and f is None:
        sys.stdout.flush()
    code = exitcodes.most_severe(codes)
    if args.exit_zero and code != exitcodes.USAGE:
        code = exitcodes.COMPLIANT
    if args.summary and not args.quiet:
        emit(summary_text(briefs, lang), args.output)
    return code
