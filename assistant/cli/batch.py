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

``--jobs`` is capped: never more workers than files, and at most four per CPU. Workers ignore
Ctrl+C (the parent stops them all), exit when their parent dies however it died (a
death-signal on Linux, else a watch on the parent), and are stopped when the parent is ended
by SIGTERM or SIGHUP.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core import exitcodes
from ..core.errors import UsageError
from ..core.messages import localized, msg

# Worker processes per CPU at most: evaluation is CPU-bound, so more only costs memory (each
# worker is a Python process of some 30 MB; --jobs 10000 once started 2,000 of them).
JOBS_PER_CPU = 4
MAX_RUN = 128  # files per run: enough to amortise a round trip, small enough to share work
MIN_RUN = 8  # the last runs: a few milliseconds of work each


def worker_count(requested: int | None, files: int, cpus: int | None = None) -> int:
    """Processes to check ``files`` profiles with ``--jobs requested`` (0: one per CPU;
    absent: 1): never more than the files, nor than a few per CPU."""
    cpus = cpus or os.cpu_count() or 1
    wanted = 1 if requested is None else cpus if requested == 0 else requested
    return max(1, min(wanted, files, JOBS_PER_CPU * cpus))


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
    from ..core.profile import ProfileError, load, read_source

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
    from ..core.profile import MAX_PROFILE_BYTES

    return sys.stdin.buffer.read(MAX_PROFILE_BYTES + 1)


# --- the one job ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """What each profile of a batch becomes. ``kind``:

    ``brief``: only the verdicts (``--summary``, ``--quiet``): decided, nothing said, no report;
    ``report``: the full report as a dict (drawn on a terminal, or a checklist);
    ``json1``: one JSON object (a single file); ``json``: an element of a JSON array;
    ``jsonl``: one JSON line (``detail`` ``sheet``: the lean result without its words, for
    CSV, XLSX and statistics); ``html``: a whole HTML document (a folder of reports);
    ``article``: one report's part of an HTML document of several; ``markdown``, ``text``.
    """

    kind: str
    detail: str = "lean"  # "lean" | "full" | "sheet"
    lang: str = "en"
    ruleset: Path | None = None
    date: str | None = None  # the report's date (None: report_date()'s)
    as_of: object = None  # check --as-of: the day whose edition is in force


@dataclass(frozen=True)
class Meta:
    """What the parent needs about one profile besides its output."""

    source: str
    code: int
    error: str | None = None
    institution: str = ""
    equipment: str = ""  # the key; an HTML document's meta carries the equipment's name
    status: str = "error"
    counts: dict[str, int] = field(default_factory=dict)  # brief: verdicts by status
    title: str = ""  # article: the document's title were this report alone in it


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
    report dict for ``report``, the HTML text for ``article``, None for ``brief``."""
    from ..core.evaluate import evaluate
    from ..core.loader import RulesetError
    from ..core.profile import ProfileError

    try:
        profile, rs = load_source(source, raw, job.ruleset, job.as_of)
    except (ProfileError, RulesetError) as e:
        meta = Meta(source, exitcodes.USAGE, error=localized(e, job.lang))
        if job.kind in ("json", "jsonl"):
            from ..reports.lean import error_object

            return _encode(error_object(source, meta.error or ""), job.kind), meta
        return None, meta
    if job.kind == "brief":
        ev = evaluate(rs, profile.equipment, profile.answers)
        code = exitcodes.BY_STATUS[ev.status]
        return None, Meta(source, code, None, profile.name, profile.equipment, ev.status, dict(ev.counts))
    # Said at once: a batch's answers repeat, and verdicts said at once are remembered across
    # it (a sheet reads only the not-met verdicts' words, but deciding them by truth first
    # and saying them after measured slower than saying everything with that memory).
    ev = evaluate(rs, profile.equipment, profile.answers, say=True)
    meta = Meta(source, exitcodes.BY_STATUS[ev.status], None, profile.name, profile.equipment, ev.status)
    if job.detail != "full" and job.kind in ("json1", "json", "jsonl"):
        from ..reports import lean

        return _encode(lean.build(profile, rs, ev, job.lang, job.date, job.detail != "sheet"), job.kind), meta
    from ..reports import report as rep

    r = rep.build(profile, rs, ev, job.lang, date=job.date)
    if job.kind == "report":
        return r, meta
    if job.kind == "json1":
        from .output import dump_json

        return dump_json(r).encode("utf-8"), meta  # as a single report has always been written
    if job.kind in ("json", "jsonl"):
        return _encode(r, job.kind), meta
    if job.kind == "markdown":
        return rep.to_markdown(r, job.lang).encode("utf-8"), meta
    if job.kind == "text":
        return rep.to_text(r, job.lang).encode("utf-8"), meta
    from ..reports import html

    named = Meta(source, meta.code, None, profile.name, r["equipment_name"], ev.status)
    if job.kind == "html":
        return html.to_html([r], job.lang).encode("utf-8"), named
    if job.kind == "article":
        title = html.title_of(r, job.lang)
        return html.article(r, job.lang), Meta(
            source, meta.code, None, profile.name, r["equipment_name"], ev.status, title=title
        )
    raise ValueError(f"unknown job kind {job.kind!r}")


def run_block(args: tuple[Job, list[tuple[str, bytes | None]]]) -> tuple[list, list[Meta]]:
    """Check a run of files: their outputs (one per file) and metadata."""
    job, items = args
    out, metas = [], []
    for source, raw in items:
        data, meta = one(source, raw, job)
        out.append(data)
        metas.append(meta)
    return out, metas


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
    try:
        with closing(ordered_map(run_block, runs, workers)) as blocks:
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
                codes.append(m.code)
            sink.add(outputs, metas)
    sink.finish()
    return codes


@dataclass
class Outcome:
    """One profile checked on its own (a checklist, a test): its report, or why not."""

    source: str
    code: int
    report: dict | None = None
    error: str | None = None
    brief: dict | None = None


def check_one(
    source: str,
    lang: str,
    ruleset: Path | None,
    date: str | None = None,
    raw: bytes | None = None,
    slim: bool = False,
    as_of=None,
) -> Outcome:
    """The job on one profile, in this process: the full report, or with ``slim`` only the
    few fields a summary needs."""
    job = Job("brief" if slim else "report", "full", lang, ruleset, date, as_of)
    data, m = one(source, raw, job)
    if m.error:
        return Outcome(source, m.code, error=m.error)
    if slim:
        brief = {
            "institution": m.institution,
            "equipment": m.equipment,
            "status": m.status,
            "counts": m.counts,
        }
        return Outcome(source, m.code, brief=brief)
    return Outcome(source, m.code, report=data)


# --- the pool -------------------------------------------------------------------------------


def ordered_map(fn, items: list, workers: int) -> Iterator:
    """``fn`` over ``items``, results in input order: in this process for one worker, else in
    a pool of worker processes. Whatever ends the iteration early (Ctrl+C, SIGTERM, a write
    error, the consumer closing it) stops the workers at once; a worker whose parent dies
    exits by itself."""
    if workers <= 1:
        for item in items:
            yield fn(item)
        return
    pool = Pool(fn, items, workers)
    try:
        yield from pool.results()
    except BaseException:
        pool.kill()
        raise
    pool.close()


class WorkerDied(RuntimeError):
    """A worker process ended without sending back its result (killed, out of memory)."""


class Pool:
    """Worker processes over a list of items, results handed out in input order. Each worker
    is given the whole list when it starts (a fork shares it; elsewhere it is sent once) and
    then only the index of its next item, over its own pipe, two at a time so that it never
    waits for the parent between two items; an index is a few bytes, so the parent's sends
    never block. No threads: nothing is left to join when the pool is stopped half-way
    (concurrent.futures' result thread could wait for ever on the half of a message a
    terminated worker had sent)."""

    AHEAD = 2  # items a worker holds: the one it works on and the next

    def __init__(self, fn, items: list, workers: int):
        import multiprocessing

        # Linux: fork (no re-import per worker, and the worker's parent is this process, which
        # its death-signal needs); elsewhere the platform's default (spawn).
        fork = sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()
        ctx = multiprocessing.get_context("fork" if fork else None)
        self.items = items
        self.procs, self.conns = [], []
        for _ in range(workers):
            mine, theirs = ctx.Pipe(duplex=True)
            p = ctx.Process(
                target=_serve, args=(fn, items, theirs, os.getpid()), daemon=True, name="medequip-worker"
            )
            p.start()
            theirs.close()
            self.procs.append(p)
            self.conns.append(mine)

    def results(self) -> Iterator:
        from multiprocessing.connection import wait

        n = len(self.items)
        sent = 0
        held = {c: 0 for c in self.conns}  # items given to a worker and not yet back
        done: dict[int, Any] = {}

        def dispatch() -> None:
            nonlocal sent
            for c in self.conns:
                while held[c] < self.AHEAD and sent < n:
                    try:
                        c.send(sent)
                    except OSError:  # its end is closed: the worker is gone
                        raise WorkerDied("a worker process ended without its result") from None
                    held[c] += 1
                    sent += 1

        def collect(timeout: float | None) -> None:
            busy = [c for c in self.conns if held[c]]
            owner = {p.sentinel: c for c, p in zip(self.conns, self.procs, strict=True) if held[c]}
            for ready in wait([*busy, *owner], timeout):
                if ready in owner:  # a worker holding items ended
                    if not owner[ready].poll():
                        raise WorkerDied("a worker process ended without its result")
                    continue  # its last result is in the pipe: read with the others
                try:
                    i, ok, value = ready.recv()
                except (EOFError, OSError):
                    raise WorkerDied("a worker process ended without its result") from None
                if not ok:
                    raise value
                done[i] = value
                held[ready] -= 1

        dispatch()
        for i in range(n):
            while i not in done:
                collect(None)
                dispatch()
            collect(0)  # what else is ready: keep every worker busy while this is used
            dispatch()
            yield done.pop(i)

    def close(self) -> None:
        for c in self.conns:
            try:
                c.send(None)
            except OSError:
                pass
        for p in self.procs:
            p.join(5)
        self.kill()

    def kill(self) -> None:
        """End the workers now, without waiting for what they are doing."""
        for p in self.procs:
            if p.exitcode is None:
                try:
                    p.terminate()
                except (OSError, ValueError, AttributeError):
                    pass
        for p in self.procs:
            p.join(2)
            if p.exitcode is None:
                p.kill()
                p.join(1)
        for c in self.conns:
            c.close()
        self.procs, self.conns = [], []


def _serve(fn, items: list, conn, parent: int) -> None:
    """A worker: indexes in, ``(index, ok, result or exception)`` out, until told to stop or
    the parent is gone."""
    _worker_start(parent)
    while True:
        try:
            i = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if i is None:
            return
        try:
            reply = (i, True, fn(items[i]))
        except Exception as e:  # noqa: BLE001 - a bug: the parent reports it (crash log)
            reply = (i, False, e)
        try:
            conn.send(reply)
        except Exception:  # noqa: BLE001 - an exception that cannot be pickled
            conn.send((i, False, WorkerDied(f"a worker failed: {reply[2]!r}")))


def _worker_start(parent: int) -> None:
    """A worker's first act: leave Ctrl+C to the parent (which stops everyone), take the
    default for SIGTERM and SIGHUP (the parent's handlers were copied with the fork), and
    make sure this process cannot outlive its parent."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    if not _die_with_parent():
        _watch_parent(parent)
    if hasattr(os, "getppid") and os.name == "posix" and os.getppid() != parent:
        os._exit(1)  # the parent died before the death-signal was asked for


def _die_with_parent() -> bool:
    """Linux: the kernel kills this process when its parent ends (prctl PR_SET_PDEATHSIG),
    even by SIGKILL. False where that is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(1, int(signal.SIGKILL), 0, 0, 0) == 0  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError, ImportError):
        return False


PARENT_POLL = 0.5  # seconds between two looks at the parent where no death-signal exists


def _watch_parent(parent: int) -> None:
    """The portable fallback: a thread that ends this process once the parent is gone (on
    POSIX the process is handed to another parent; elsewhere the parent's sentinel, which
    multiprocessing gives every child, becomes ready)."""
    import threading

    def watch() -> None:
        if os.name == "posix":
            while os.getppid() == parent:
                time.sleep(PARENT_POLL)
        else:
            import multiprocessing

            proc = multiprocessing.parent_process()
            if proc is None:
                return
            proc.join()
        os._exit(1)

    threading.Thread(target=watch, name="medequip-parent-watch", daemon=True).start()


class Progress:
    """A one-line bar on stderr, drawn only on a terminal and only once a run has taken more
    than a moment (so quick runs and pipes never see it)."""

    DELAY = 0.4

    def __init__(self, total: int, enabled: bool, lang: str = "en"):
        self.total, self.done, self.word = total, 0, msg("cli.checking").get(lang)
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
            f"\r\x1b[Kmedequip: {self.word} [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}"
        )
        sys.stderr.flush()

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
