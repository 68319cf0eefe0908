"""No process outlives its run: SIGTERM, SIGHUP and SIGKILL to the parent of a ``--jobs 2``
batch writing ``-o``. Each run is a real process in its own process group, so whatever is
left of it afterwards is found by that group."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cli_helpers import ROOT, env

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/stat").exists(), reason="reads processes from /proc (Linux)"
)


@pytest.fixture(scope="module")
def many(tmp_path_factory) -> Path:
    from tests.benchmarks.generate import generate

    folder = tmp_path_factory.mktemp("many")
    generate(folder, 600, seed=11)
    return folder


def _procs() -> list[tuple[int, int, int, str]]:
    """(pid, parent, process group, state) of every process."""
    out = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out.append((int(name), int(fields[1]), int(fields[2]), fields[0]))
    return out


def alive_in_group(pgid: int) -> list[int]:
    return [pid for pid, _, group, state in _procs() if group == pgid and state not in ("Z", "X")]


def children(pid: int) -> list[int]:
    return [p for p, parent, _, state in _procs() if parent == pid and state not in ("Z", "X")]


def _start(argv: list[str], cwd: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "assistant", *argv],
        cwd=cwd,
        env={**env(), "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def _wait_until(cond, p: subprocess.Popen, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        if p.poll() is not None:
            pytest.fail(f"the batch ended before {what}: {p.stderr.read().decode()[-500:]}")
        if time.monotonic() > deadline:
            os.killpg(p.pid, signal.SIGKILL)
            pytest.fail(f"waited {timeout} s for {what}")
        time.sleep(0.01)


def _gone_within(pgid: int, seconds: float) -> list[int]:
    deadline = time.monotonic() + seconds
    while True:
        left = alive_in_group(pgid)
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.05)


@pytest.mark.parametrize(
    "sig,jobs",
    [(signal.SIGTERM, 2), (signal.SIGHUP, 2), (signal.SIGKILL, 2), (signal.SIGTERM, 1), (signal.SIGHUP, 1)],
    ids=["TERM-jobs2", "HUP-jobs2", "KILL-jobs2", "TERM-jobs1", "HUP-jobs1"],
)
def test_a_signal_to_the_parent_ends_the_whole_run(many, tmp_path, sig, jobs):
    out = tmp_path / "out"
    out.mkdir()
    p = _start(
        ["check", str(many), "--jobs", str(jobs), "--format", "jsonl", "-o", str(out / "x.jsonl")], tmp_path
    )
    try:
        _wait_until(
            lambda: (
                any(f.name.endswith(".tmp") for f in out.iterdir())
                and len(children(p.pid)) >= (2 if jobs == 2 else 0)
            ),
            p,
            "the workers and the temporary file",
        )
        os.kill(p.pid, sig)
        try:
            _, err = p.communicate(timeout=10)  # EOF on stderr: no worker holds it any more
        except subprocess.TimeoutExpired:
            pytest.fail("stderr is still held open 10 s after the signal: a process of the run lives on")
        left = _gone_within(p.pid, 2.0)
        assert left == [], f"still running 2 s after {sig.name}: {left}"
    finally:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    if sig == signal.SIGKILL:
        assert p.returncode == -signal.SIGKILL
        return
    assert p.returncode == 128 + sig
    assert err.decode() == f"medequip: stopped by {sig.name}\n"
    assert list(out.iterdir()) == []  # the temporary file is gone, and no report was made


def test_without_a_death_signal_workers_still_notice_their_parent_is_gone(tmp_path):
    """Where the kernel offers no death-signal, each worker watches its parent itself."""
    script = (
        "import time\n"
        "from assistant.cli import pool\n"
        "pool._die_with_parent = lambda: False\n"
        "pool.PARENT_POLL = 0.1\n"
        "for _ in pool.ordered_map(time.sleep, [60] * 4, 2):\n"
        "    pass\n"
    )
    p = subprocess.Popen(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env={**env(), "PYTHONPATH": str(ROOT)},
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        _wait_until(lambda: len(children(p.pid)) >= 2, p, "two workers")
        time.sleep(0.3)  # past their start-up
        os.kill(p.pid, signal.SIGKILL)
        p.wait(10)
        assert _gone_within(p.pid, 2.0) == []
    finally:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def test_ctrl_c_to_the_whole_group_still_ends_the_batch_with_130(many, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    p = _start(["check", str(many), "--jobs", "2", "--format", "jsonl", "-o", str(out / "x.jsonl")], tmp_path)
    try:
        _wait_until(lambda: len(children(p.pid)) >= 2 and any(out.iterdir()), p, "the workers")
        os.killpg(p.pid, signal.SIGINT)
        _, err = p.communicate(timeout=10)
        assert _gone_within(p.pid, 2.0) == []
    finally:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert p.returncode == 130, err
    assert list(out.iterdir()) == []


def _slow_square(n: int) -> int:
    time.sleep(0.002 * (n % 5))
    return n * n


def _fail_on_7(n: int) -> int:
    if n == 7:
        raise ValueError("seven")
    return n


def _die_on_5(n: int) -> int:
    if n == 5:
        os._exit(9)
    return n


def test_the_pool_hands_results_back_in_input_order_and_leaves_no_worker():
    from assistant.cli.pool import ordered_map

    before = set(children(os.getpid()))
    assert list(ordered_map(_slow_square, list(range(60)), 3)) == [n * n for n in range(60)]
    assert set(children(os.getpid())) == before


def test_a_worker_s_error_or_death_reaches_the_parent_and_stops_the_pool():
    from assistant.cli.pool import WorkerDied, ordered_map

    before = set(children(os.getpid()))
    with pytest.raises(ValueError, match="seven"):
        list(ordered_map(_fail_on_7, list(range(20)), 2))
    with pytest.raises(WorkerDied):
        list(ordered_map(_die_on_5, list(range(20)), 2))
    it = ordered_map(_slow_square, list(range(1000)), 2)
    next(it)
    it.close()  # the consumer stops early (a write error): the workers go with it
    assert set(children(os.getpid())) == before


# --- what a SIGKILL leaves, and Windows' limit on the pool -------------------------------------


def test_after_a_kill_9_the_next_write_to_the_folder_removes_the_stale_temporary(many, tmp_path):
    """SIGKILL leaves no chance to clean up: the temporary's name carries its writer's pid, so
    the next run writing into that folder finds it stale (no such process) and removes it."""
    out = tmp_path / "out"
    out.mkdir()
    target = out / "x.jsonl"
    p = _start(["check", str(many), "--jobs", "2", "--format", "jsonl", "-o", str(target)], tmp_path)
    try:
        _wait_until(lambda: any(f.name.endswith(".tmp") for f in out.iterdir()), p, "the temporary file")
        os.killpg(p.pid, signal.SIGKILL)
        p.wait(10)
    finally:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    left = [f.name for f in out.iterdir()]
    assert len(left) == 1 and left[0].endswith(f"-{p.pid}.tmp"), left
    # Neither someone else's temporary file nor one of a live process is touched.
    foreign = out / ".notes.txt.tmp"
    foreign.write_text("mine")
    alive = out / f".y.jsonl.0123abcd-{os.getpid()}.tmp"
    alive.write_text("being written")
    from cli_helpers import run_main

    code, _, err = run_main("check", str(ROOT / "examples"), "--format", "jsonl", "-o", str(target))
    assert code in (0, 1, 3), err
    assert sorted(f.name for f in out.iterdir()) == sorted(["x.jsonl", foreign.name, alive.name])


def test_on_windows_the_pool_never_has_more_workers_than_it_can_wait_on(monkeypatch):
    from assistant.cli.batch import worker_count
    from assistant.cli.pool import WINDOWS_MAX_WORKERS

    monkeypatch.setattr(sys, "platform", "win32")
    assert WINDOWS_MAX_WORKERS == 61  # WaitForMultipleObjects takes 63 handles, less the pool's own
    assert worker_count(0, 10_000, cpus=128) == 61  # --jobs 0: one per CPU, up to the limit
    assert worker_count(500, 10_000, cpus=128) == 61
    assert worker_count(500, 10_000, cpus=8) == 32  # still four per CPU below it
    monkeypatch.setattr(sys, "platform", "linux")
    assert worker_count(0, 10_000, cpus=128) == 128


def test_a_pool_waiting_on_one_handle_per_worker_still_notices_a_death(monkeypatch):
    """On Windows the pool waits on the workers' connections only (no process sentinels, so
    61 workers fit the 63 handles): results still come back in order, and a worker that dies
    closes its connection, which ends the pool with WorkerDied."""
    import multiprocessing.connection as mpc

    from assistant.cli import pool as pool_mod

    sizes = []
    real_wait = mpc.wait

    def counting_wait(handles, timeout=None):
        sizes.append(len(handles))
        return real_wait(handles, timeout)

    monkeypatch.setattr(mpc, "wait", counting_wait)
    for fn, items in ((_slow_square, list(range(40))), (_die_on_5, list(range(20)))):
        p = pool_mod.Pool(fn, items, 3)
        p.sentinels = False
        try:
            if fn is _die_on_5:
                with pytest.raises(pool_mod.WorkerDied):
                    list(p.results())
            else:
                assert list(p.results()) == [n * n for n in items]
        finally:
            p.kill()
    assert sizes and max(sizes) <= 3
