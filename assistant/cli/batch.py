"""``medequip check`` over many profiles: inputs, parallel evaluation, output, exit code.

Each input is checked on its own; a broken file becomes an error outcome (reported on stderr
and counted in the exit code) and the others are still checked. With ``--jobs N`` the
profiles are evaluated in worker processes, but outcomes are collected in input order, so
the output is byte-for-byte the same as with ``--jobs 1``. Rich is imported only to draw a
report on a terminal; JSON never passes through it.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core import exitcodes
from ..core.errors import UsageError
from ..core.messages import localized, msg


@dataclass
class Outcome:
    source: str
    code: int
    report: dict | None = None
    error: str | None = None
    # --summary and --quiet keep only the few fields a summary needs, so memory stays flat
    # however many profiles are checked.
    brief: dict | None = None

    @property
    def summary(self) -> dict | None:
        return self.report or self.brief


def error_object(o: Outcome) -> dict[str, Any]:
    """What JSON and JSON Lines output say for a profile that could not be checked."""
    from ..reports.lean import error_object as obj

    return obj(o.source, o.error or "")


# Worker processes per CPU at most: evaluation is CPU-bound, so more only costs memory (each
# worker is a Python process of some 30 MB; --jobs 10000 once started 2,000 of them).
JOBS_PER_CPU = 4


def worker_count(requested: int | None, files: int, cpus: int | None = None) -> int:
    """Processes to check ``files`` profiles with ``--jobs requested`` (0: one per CPU;
    absent: 1): never more than the files, nor than a few per CPU."""
    cpus = cpus or os.cpu_count() or 1
    wanted = 1 if requested is None else cpus if requested == 0 else requested
    return max(1, min(wanted, files, JOBS_PER_CPU * cpus))


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


def check_one(
    source: str,
    lang: str,
    ruleset: Path | None,
    date: str | None = None,
    raw: bytes | None = None,
    slim: bool = False,
    as_of=None,
) -> Outcome:
    """Load, validate and evaluate one profile. ``raw`` is the already-read standard input;
    ``slim`` (--summary, --quiet) keeps only the exit code and the few fields a summary
    needs: the verdicts are decided and nothing is said, so no report is built."""
    from ..core.evaluate import evaluate
    from ..core.loader import RulesetError
    from ..core.profile import ProfileError
    from ..reports import report as rep

    try:
        profile, rs = load_source(source, raw, ruleset, as_of)
    except (ProfileError, RulesetError) as e:
        return Outcome(source, exitcodes.USAGE, error=localized(e, lang))
    if slim:
        ev = evaluate(rs, profile.equipment, profile.answers)
        brief = {
            "institution": profile.name,
            "equipment": profile.equipment,
            "status": ev.status,
            "counts": dict(ev.counts),
        }
        return Outcome(source, exitcodes.BY_STATUS[ev.status], brief=brief)
    ev = evaluate(rs, profile.equipment, profile.answers, say=True)  # the report reads every reason
    r = rep.build(profile, rs, ev, lang, date=date)
    return Outcome(source, exitcodes.BY_STATUS[ev.status], report=r)


def _work(job: tuple) -> Outcome:
    return check_one(*job)


def _ignore_sigint() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl+C for everyone


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


def iter_outcomes(
    sources: list[str],
    lang: str,
    ruleset: Path | None,
    date: str,
    jobs: int = 1,
    progress: bool = False,
    slim: bool = False,
    as_of=None,
) -> Iterator[Outcome]:
    """Check every source, yielding outcomes in input order whatever ``jobs`` is."""
    stdin_raw = read_stdin_once(sources)
    work = [(s, lang, ruleset, date, stdin_raw if s == "-" else None, slim, as_of) for s in sources]
    bar = Progress(len(work), progress, lang)
    workers = max(1, min(jobs, len(work)))
    try:
        # Chunks amortise the cost of each round trip.
        for outcome in ordered_map(_work, work, workers, max(1, min(64, len(work) // (workers * 8)))):
            yield outcome
            bar.step()
    finally:
        bar.close()


def ordered_map(fn, items: list, workers: int, chunksize: int = 1) -> Iterator:
    """``fn`` over ``items``, results in input order: in this process for one worker, else in
    a pool whose workers ignore Ctrl+C (the parent handles it and stops them all)."""
    if workers <= 1:
        for item in items:
            yield fn(item)
        return
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=workers, initializer=_ignore_sigint)
    try:
        yield from pool.map(fn, items, chunksize=chunksize)
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def run(
    sources: list[str],
    lang: str,
    ruleset: Path | None,
    date: str,
    jobs: int = 1,
    progress: bool = False,
    as_of=None,
) -> list[Outcome]:
    """Check every source; outcomes in input order whatever ``jobs`` is."""
    return list(iter_outcomes(sources, lang, ruleset, date, jobs, progress, as_of=as_of))
