"""Batches in runs: each worker checks a run of consecutive files and sends back one encoded
block, so a folder of 10,000 profiles costs a few hundred round trips instead of 10,000
pickled reports.

Every block is bytes produced by the same function whatever ``--jobs`` is, and blocks are
taken back in input order, so the output is byte-for-byte the one of ``--jobs 1``. Encoding
is done by orjson (about twenty times faster than ``json.dumps`` on a lean result; its
compact and indented forms are the standard library's with ``separators=(",", ":")`` and
``indent=2``).

``--jobs`` is capped: never more workers than files, and at most four per CPU (more only
adds processes that wait for a core and memory that holds nothing useful).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..core import exitcodes
from .batch import load_source, ordered_map, read_stdin_once, worker_count

MAX_RUN = 128  # files per run: enough to amortise a round trip, small enough to share work
MIN_RUN = 8  # the last runs: a few milliseconds of work each


@dataclass(frozen=True)
class Meta:
    """What the parent needs about one profile besides its encoded output."""

    source: str
    code: int
    error: str | None = None
    institution: str = ""
    equipment: str = ""
    status: str = "error"


@dataclass(frozen=True)
class Job:
    # "jsonl" | "json" (an element of an array) | "json1" (one object) | "html" (a document)
    kind: str
    detail: str  # "lean" | "full" | "sheet" (lean without the words: CSV, XLSX, statistics)
    lang: str
    ruleset: Path | None
    date: str
    as_of: object = None  # check --as-of: the day whose edition is in force


def _encode(obj: dict, kind: str) -> bytes:
    import orjson

    if kind == "jsonl":
        return orjson.dumps(obj, option=orjson.OPT_APPEND_NEWLINE)
    if kind == "json1":  # the one object of a single-file run
        return orjson.dumps(obj, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    # an element of a JSON array indented by two: the same bytes json.dumps(indent=2) gives
    return b"  " + orjson.dumps(obj, option=orjson.OPT_INDENT_2).replace(b"\n", b"\n  ")


def _one(source: str, raw: bytes | None, job: Job) -> tuple[bytes, Meta]:
    from ..core.evaluate import evaluate
    from ..core.loader import RulesetError
    from ..core.messages import localized
    from ..core.profile import ProfileError

    try:
        profile, rs = load_source(source, raw, job.ruleset, job.as_of)
    except (ProfileError, RulesetError) as e:
        meta = Meta(source, exitcodes.USAGE, error=localized(e, job.lang))
        if job.kind in ("html", "json1"):
            return b"", meta
        from ..reports.lean import error_object

        return _encode(error_object(source, meta.error or ""), job.kind), meta
    # Said at once: a batch's answers repeat, and verdicts said at once are remembered across
    # it (a sheet reads only the not-met verdicts' words, but deciding them by truth first
    # and saying them after measured slower than saying everything with that memory).
    ev = evaluate(rs, profile.equipment, profile.answers, say=True)
    meta = Meta(source, exitcodes.BY_STATUS[ev.status], None, profile.name, profile.equipment, ev.status)
    if job.kind == "html" or job.detail == "full":
        from ..reports import report as rep

        r = rep.build(profile, rs, ev, job.lang, date=job.date)
        if job.kind == "html":
            from ..reports.html import to_html

            meta = Meta(source, meta.code, None, profile.name, r["equipment_name"], ev.status)
            return to_html([r], job.lang).encode("utf-8"), meta
        return _encode(r, job.kind), meta
    from ..reports import lean

    return _encode(lean.build(profile, rs, ev, job.lang, job.date, job.detail != "sheet"), job.kind), meta


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


def run_block(args: tuple[Job, list[tuple[str, bytes | None]]]) -> tuple[list[bytes], list[Meta]]:
    """Check a run of files: their encoded outputs (one per file) and metadata."""
    job, items = args
    out, metas = [], []
    for source, raw in items:
        data, meta = _one(source, raw, job)
        out.append(data)
        metas.append(meta)
    return out, metas


def iter_blocks(
    sources: list[str], job: Job, jobs: int | None, progress: bool = False
) -> Iterator[tuple[list[bytes], list[Meta]]]:
    """Blocks in input order: ``(encoded outputs, metas)`` per run of files."""
    from .batch import Progress

    stdin_raw = read_stdin_once(sources)
    items = [(s, stdin_raw if s == "-" else None) for s in sources]
    workers = worker_count(jobs, len(items))
    runs = []
    start = 0
    for size in run_sizes(len(items), workers):
        runs.append((job, items[start : start + size]))
        start += size
    bar = Progress(len(items), progress, job.lang)
    try:
        for block in ordered_map(run_block, runs, workers):
            for _ in block[1]:
                bar.step()
            yield block
    finally:
        bar.close()


def lean_batch(
    sources: list[str], lang: str, ruleset: Path | None, date: str, jobs: int | None, progress: bool
):
    """Every source folded into a :class:`Batch` (for CSV, XLSX and statistics); errors are
    printed on stderr as they come. Returns the batch and the exit codes in input order."""
    import orjson

    from ..reports.table import Batch
    from .output import err

    batch = Batch()
    codes: list[int] = []
    for outputs, metas in iter_blocks(sources, Job("jsonl", "sheet", lang, ruleset, date), jobs, progress):
        for data, meta in zip(outputs, metas, strict=True):
            if meta.error:
                err(meta.error)
            codes.append(meta.code)
            batch.add(orjson.loads(data))
    return batch, codes
