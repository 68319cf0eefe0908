"""The one ordered pool of worker processes a batch runs in.

Workers ignore Ctrl+C (the parent stops them all), exit when their parent dies however it
died (a death-signal on Linux, else a watch on the parent), and are stopped at once when the
parent's iteration ends early (Ctrl+C, SIGTERM, SIGHUP, a write error). Results come back in
input order whatever finished first.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from typing import Any


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


# Windows waits on at most 63 handles at once (WaitForMultipleObjects; concurrent.futures
# caps its pool at 61 for the same reason): there, a pool never has more workers than this,
# and waits on one handle per worker (its connection; a worker's death closes it too).
WINDOWS_MAX_WORKERS = 61


def max_workers(platform: str | None = None) -> int | None:
    """The most workers this platform's pool can wait on, None for no limit of its own."""
    return WINDOWS_MAX_WORKERS if (platform or sys.platform) == "win32" else None


# Signals blocked while a worker is being started: one landing between the fork and the
# worker's own handlers would run the parent's handler (Ctrl+C: a traceback) in the worker.
_START_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")


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
        self.sentinels = os.name == "posix"  # see WINDOWS_MAX_WORKERS
        cap = max_workers()
        workers = min(workers, cap) if cap else workers
        try:
            with _signals_held():
                for _ in range(workers):
                    self._start(ctx, fn)
        except BaseException:
            self.kill()  # a signal delivered once the starts are done: none of them is left
            raise
        self.sent = 0
        self.held = {c: 0 for c in self.conns}  # items given to a worker and not yet back
        self.done: dict[int, Any] = {}

    def _start(self, ctx, fn) -> None:
        mine, theirs = ctx.Pipe(duplex=True)
        p = ctx.Process(
            target=_serve, args=(fn, self.items, theirs, os.getpid()), daemon=True, name="medequip-worker"
        )
        self.procs.append(p)
        self.conns.append(mine)
        p.start()
        theirs.close()

    def results(self) -> Iterator:
        self._dispatch()
        for i in range(len(self.items)):
            while i not in self.done:
                self._collect(None)
                self._dispatch()
            self._collect(0)  # what else is ready: keep every worker busy while this is used
            self._dispatch()
            yield self.done.pop(i)

    def _dispatch(self) -> None:
        """Top every worker up to AHEAD items."""
        n = len(self.items)
        for c in self.conns:
            while self.held[c] < self.AHEAD and self.sent < n:
                try:
                    c.send(self.sent)
                except OSError:  # its end is closed: the worker is gone
                    raise WorkerDied("a worker process ended without its result") from None
                self.held[c] += 1
                self.sent += 1

    def _collect(self, timeout: float | None) -> None:
        """Take every result ready within ``timeout``; a worker that died holding items ends
        the pool."""
        from multiprocessing.connection import wait

        busy = [c for c in self.conns if self.held[c]]
        owner = {}
        if self.sentinels:
            owner = {p.sentinel: c for c, p in zip(self.conns, self.procs, strict=True) if self.held[c]}
        for ready in wait([*busy, *owner], timeout):
            if ready in owner:  # a worker holding items ended
                if not owner[ready].poll():
                    raise WorkerDied("a worker process ended without its result")
                continue  # its last result is in the pipe: read with the others
            self._receive(ready)

    def _receive(self, conn) -> None:
        try:
            i, ok, value = conn.recv()
        except (EOFError, OSError):
            raise WorkerDied("a worker process ended without its result") from None
        if not ok:
            raise value
        self.done[i] = value
        self.held[conn] -= 1

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
            try:
                p.join(2)
            except (AssertionError, ValueError):  # never started (a signal stopped the start)
                continue
            if p.exitcode is None:
                p.kill()
                p.join(1)
        for c in self.conns:
            c.close()
        self.procs, self.conns = [], []


class _signals_held:
    """Block the start signals in this thread while workers are forked (each worker unblocks
    them once its own handlers are set); a signal sent meanwhile is delivered to the parent
    when the block ends. Nothing where signals cannot be masked (Windows)."""

    def __enter__(self):
        import signal

        mask = getattr(signal, "pthread_sigmask", None)
        wanted = {getattr(signal, n) for n in _START_SIGNALS if hasattr(signal, n)}
        self.before = None
        if mask is not None and wanted:
            self.before = mask(signal.SIG_BLOCK, wanted)
        return self

    def __exit__(self, *exc) -> None:
        if self.before is not None:
            import signal

            signal.pthread_sigmask(signal.SIG_SETMASK, self.before)


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
    if hasattr(signal, "pthread_sigmask"):  # blocked by the parent for the fork (_signals_held)
        signal.pthread_sigmask(
            signal.SIG_UNBLOCK, {getattr(signal, n) for n in _START_SIGNALS if hasattr(signal, n)}
        )
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
