"""``medequip check`` and ``stats`` over many profiles: the inputs, the one job every batch
output is made of, and the one ordered pool that runs it.

Each input is checked on its own; a broken file becomes an error (reported on stderr and
counted in the exit code) and the others are still checked. Every format is the same job
(:func:`one`: load, evaluate, and encode what the format needs, in the worker), run over runs
of consecutive files: a worker sends back one block per run, so a folder of 10,000 profiles
costs a few hundred round trips, not 10,000 pickled reports. Blocks are taken back in input
order, so the output is byte for byte the one of ``--jobs 1``. Encoding is orjson's (about
twenty times faster than ``json.dumps`` on a lean result; its compact and indented forms are
the standard library's with ``separators=(",", ":")`` and ``indent=2``).

``--jobs`` is capped: never more workers than files, and at most four per CPU; the workers
are ``pool.py``'s.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any, NamedTuple

from ..core.io import exitcodes
from ..core.text.errors import UsageError
from ..core.text.messages import localized, msg, tr
from .jobs import Job, Meta

# Worker processes per CPU at most: evaluation is CPU-bound, so more only costs memory (each
# worker is a Python process of some 30 MB; --jobs 10000 once started 2,000 of them).
JOBS_PER_CPU = 4
MAX_RUN = 128  # files per run: enough to amortise a round trip, small enough to share work
MIN_RUN = 8  # the last runs: a few milliseconds of work each


def worker_count(
    requested: int | None, files: int, cpus: int | None = None, platform: str | None = None
) -> int:
    """Processes to check ``files`` profiles with ``--jobs requested`` (0: one per CPU;
    absent: 1): never more than the files, nor than a few per CPU, nor than the platform's
    pool can wait on (61 on Windows)."""
    cpus = cpus or os.cpu_count() or 1
    wanted = 1 if requested is None else cpus if requested == 0 else requested
    if wanted <= 1:
        return 1  # one process: the pool (and its module) is not needed
    from .pool import max_workers

    return max(1, min(wanted, files, JOBS_PER_CPU * cpus, max_workers(platform) or wanted))


# --- inputs ---------------------------------------------------------------------------------


def _profiles_in(folder: str) -> list[str]:
    """The ``*.toml`` regular files (or links to them) directly in ``folder``, sorted, as
    ``Path.glob`` finds them (hidden ones too). A directory entry knows its own type, so this
    costs no stat per file: ten thousand of them are checked before any worker starts."""
    base = str(Path(folder))  # spelled as Path spells it: no trailing slash, no "./"
    try:
        with os.scandir(folder) as entries:
            names = [e.name for e in entries if e.name.endswith(".toml") and e.is_file()]
    except OSError:
        return []  # unreadable: reported as a folder without profiles, as glob's silence was
    return sorted(names if base == "." else [os.path.join(base, n) for n in names])


def expand_inputs(items: list[str]) -> list[str]:
    """Files as given, directories as their *.toml files (sorted), ``-`` for stdin."""
    if items.count("-") > 1:
        raise UsageError(msg("cli.stdin_once"))
    if "" in items:
        # Path("") is the current directory: an empty argument (an unset variable) must not
        # quietly check whatever folder the command runs in.
        raise UsageError(msg("cli.empty_path"))
    out: list[str] = []
    for item in items:
        if item != "-" and os.path.isdir(item):
            found = _profiles_in(item)
            if not found:
                out.append(item)  # reported as an error: a directory with no profiles
            out += found
        else:
            out.append(item)
    return out


def load_source(source: str, raw: bytes | None, ruleset: Path | None, as_of=None):
    """(profile, ruleset) of one source: ``raw`` when standard input was read already, else
    the file. Raises ProfileError (a folder without profiles among them) or RulesetError."""
    from ..core.profile.document import ProfileError, load
    from ..core.profile.read import read_source

    if raw is not None:
        name = "<stdin>"
    else:
        try:
            raw, name = read_source(source)
        except ProfileError:
            # Asked only when reading failed: one stat per profile is a batch's tenth of a
            # second, and a folder is refused by the read anyway.
            if source != "-" and os.path.isdir(source):
                raise ProfileError(source, msg("profile.dir_empty")) from None
            raise
    return load(raw, name, ruleset, as_of)


def read_stdin_once(sources: list[str]) -> bytes | None:
    """Standard input, read up front when ``-`` is among the sources (workers cannot)."""
    if "-" not in sources:
        return None
    from ..core.profile.read import MAX_PROFILE_BYTES

    return sys.stdin.buffer.read(MAX_PROFILE_BYTES + 1)


# --- the one job ----------------------------------------------------------------------------


def _encode(obj: dict, kind: str) -> bytes:
    import orjson

    if kind == "jsonl":
        return orjson.dumps(obj, option=orjson.OPT_APPEND_NEWLINE)
    if kind == "json1":  # the one object of a single-file run
        return orjson.dumps(obj, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    # an element of a JSON array indented by two: the same bytes json.dumps(indent=2) gives
    return b"  " + orjson.dumps(obj, option=orjson.OPT_INDENT_2).replace(b"\n", b"\n  ")


def one(source: str, raw: bytes | None, job: Job) -> tuple[Any, Meta]:
    """Load, validate, evaluate and encode one profile: ``(output, meta)``. The output is
    bytes (None for an unreadable profile, except in JSON, which says so in an object), the
    report dict for ``report``, the HTML text for ``article``, None for ``verdicts``."""
    from ..core.evaluate import evaluate
    from ..core.profile.document import ProfileError
    from ..core.rules.loader import RulesetError

    if job.kind == "recheck":
        from .editions import recheck_one

        return recheck_one(source, raw, job)
    try:
        profile, rs = load_source(source, raw, job.ruleset, job.as_of)
    except (ProfileError, RulesetError) as e:
        meta = Meta(source, exitcodes.USAGE, error=localized(e, job.lang))
        if job.kind in ("json", "jsonl"):
            from ..reports.lean import error_object

            return _encode(error_object(source, meta.error or ""), job.kind), meta
        return None, meta
    said = tuple(w.render(profile.source).get(job.lang) for w in profile.warnings)
    if job.kind == "verdicts":
        ev = evaluate(rs, profile.equipment, profile.answers)
        code = exitcodes.BY_STATUS[ev.status]
        return None, Meta(
            source, code, None, profile.name, profile.equipment, ev.status, dict(ev.counts), warnings=said
        )
    # Said at once: a batch's answers repeat, and verdicts said at once are remembered across
    # it (lean_no_words reads only the not-met verdicts' words, but deciding them by truth first
    # and saying them after measured slower than saying everything with that memory).
    ev = evaluate(rs, profile.equipment, profile.answers, say=True)
    meta = Meta(
        source,
        exitcodes.BY_STATUS[ev.status],
        None,
        profile.name,
        profile.equipment,
        ev.status,
        warnings=said,
    )
    if job.detail != "full" and job.kind in ("json1", "json", "jsonl"):
        from ..reports import lean

        return _encode(
            lean.build(profile, rs, ev, job.lang, job.date, job.detail != "lean_no_words"), job.kind
        ), meta
    from ..reports import report as rep

    r = rep.build(profile, rs, ev, job.lang, date=job.date)
    return _from_report(r, job, meta, profile.name, ev.status)


def _from_report(r: dict, job: Job, meta: Meta, institution: str, status: str) -> tuple[Any, Meta]:
    """What the full report ``r`` becomes for ``job``'s kind."""
    from ..reports import report as rep

    if job.kind == "report":
        return r, meta
    if job.kind == "json1":
        from .output import dump_json

        # The standard library's encoder: orjson's import (uuid, platform, dataclasses: about
        # 10 ms) costs a single report more than the encoding it saves.
        return dump_json(r).encode("utf-8"), meta
    if job.kind in ("json", "jsonl"):
        return _encode(r, job.kind), meta
    if job.kind == "markdown":
        return rep.to_markdown(r, job.lang).encode("utf-8"), meta
    if job.kind == "text":
        return rep.to_text(r, job.lang).encode("utf-8"), meta
    from ..reports import html

    named = Meta(
        meta.source, meta.code, None, institution, r["equipment_name"], status, warnings=meta.warnings
    )
    if job.kind == "html":
        return html.to_html([r], job.lang).encode("utf-8"), named
    if job.kind == "docx":
        from ..reports.docx import report_docx

        return report_docx([r], job.lang), named
    if job.kind == "article":
        return html.article(r, job.lang), named._replace(title=html.title_of(r, job.lang))
    raise ValueError(f"unknown job kind {job.kind!r}")


def run_block(args: tuple[Job, list[tuple[str, bytes | None]]]) -> tuple[list, list[Meta]]:
    """Check a run of files: their outputs (one per file) and metadata."""
    job, items = args
    _settle_worker(job)
    out, metas = [], []
    for source, raw in items:
        data, meta = one(source, raw, job)
        out.append(data)
        metas.append(meta)
    return out, metas


def _settle_worker(job: Job) -> None:
    """A worker started afresh (spawn, on Windows and macOS) has no run: it is given the
    run's ruleset settings from the job (a forked one inherits the parent's store)."""
    from ..core.rules import store

    here = store.current()
    if here is store.process_store() and (job.as_of is not None or job.ruleset is not None):
        here.as_of = job.as_of
        here.extra_files = (Path(job.ruleset),) if job.ruleset is not None else ()


def run_sizes(files: int, workers: int) -> list[int]:
    """How many files each run takes, in order: a quarter of each worker's share of what is
    left (so a slow run does not leave the other cores idle), at most MAX_RUN, and shrinking
    towards the end, so that the workers finish within a few files of each other rather than
    one waiting out the other's last full run."""
    sizes: list[int] = []
    left = files
    floor = min(MIN_RUN, -(-files // (workers * 4)))  # a small batch is shared file by file
    while left > 0:
        size = min(left, max(floor, min(MAX_RUN, -(-left // (workers * 4)))))
        sizes.append(size)
        left -= size
    return sizes


def iter_blocks(
    sources: list[str], job: Job, jobs: int | None, progress: bool = False
) -> Iterator[tuple[list, list[Meta]]]:
    """Blocks in input order: ``(outputs, metas)`` per run of files."""
    stdin_raw = read_stdin_once(sources)
    items = [(s, stdin_raw if s == "-" else None) for s in sources]
    workers = worker_count(jobs, len(items))
    runs = []
    start = 0
    for size in run_sizes(len(items), workers):
        runs.append((job, items[start : start + size]))
        start += size
    bar = Progress(len(items), progress, job.lang)
    if workers > 1:
        from .pool import ordered_map  # here: one file, or --jobs 1, starts without it

        results = ordered_map(run_block, runs, workers)
    else:
        results = (run_block(r) for r in runs)
    try:
        with closing(results) as blocks:
            for block in blocks:
                for _ in block[1]:
                    bar.step()
                yield block
    finally:
        bar.close()


def run_batch(sources: list[str], job: Job, jobs: int | None, progress: bool, sink) -> list[int]:
    """Every source through ``job``, each block handed to ``sink.add(outputs, metas)`` in
    input order, then ``sink.finish()``. Errors go to stderr as they come. Returns the exit
    codes, in input order."""
    from .output import err

    codes: list[int] = []
    with closing(iter_blocks(sources, job, jobs, progress)) as blocks:
        for outputs, metas in blocks:
            for m in metas:
                if m.error:
                    err(m.error)
                for w in m.warnings:
                    err(w)
                codes.append(m.code)
            sink.add(outputs, metas)
    sink.finish()
    return codes


class Outcome(NamedTuple):
    """One profile checked on its own (a checklist, a test): its report, or why not."""

    source: str
    code: int
    report: dict | None = None
    error: str | None = None
    verdicts: dict | None = None


def check_one(
    source: str,
    lang: str,
    ruleset: Path | None,
    date: str | None = None,
    raw: bytes | None = None,
    verdicts_only: bool = False,
    as_of=None,
) -> Outcome:
    """The job on one profile, in this process: the full report, or with ``verdicts_only`` only the
    few fields a summary needs."""
    job = Job("verdicts" if verdicts_only else "report", "full", lang, ruleset, date, as_of)
    data, m = one(source, raw, job)
    if m.error:
        return Outcome(source, m.code, error=m.error)
    if verdicts_only:
        verdicts = {
            "institution": m.institution,
            "equipment": m.equipment,
            "status": m.status,
            "counts": m.counts,
        }
        return Outcome(source, m.code, verdicts=verdicts)
    return Outcome(source, m.code, report=data)


class Progress:
    """A one-line bar on stderr, drawn only on a terminal and only once a run has taken more
    than a moment (so quick runs and pipes never see it)."""

    DELAY = 0.4

    def __init__(self, total: int, enabled: bool, lang: str = "en"):
        self.total, self.done, self.lang = total, 0, lang
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
            f"\r\x1b[Kmedequip: {tr('cli.checking', self.lang)} [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}"
        )
        sys.stderr.flush()

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
