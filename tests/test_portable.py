"""medequip on a platform without POSIX's extras (issue 21, problem 13): Windows has no
``O_NONBLOCK``, no ``fcntl``, no owners (``getuid``), no SIGHUP, no ``fchmod`` (before 3.13),
no ``pathconf``, no ``pread`` and no ``pthread_kill``. We cannot run Windows here, so the main
paths of the command line run with those taken away (in-process, and in a fresh interpreter
where they are gone before anything is imported): a call that assumes them crashes here as it
would there."""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time

import pytest
from cli_helpers import EXAMPLES, ROOT

from assistant.cli.main import main
from assistant.core.io import lock, safeio

GOOD = EXAMPLES / "pet_ct_new_nonpublic.toml"  # compliant
PET_MR = EXAMPLES / "pet_mr_independent_center.toml"  # not compliant
VARIANT = EXAMPLES / "variants" / "example-province-pet-ct.toml"

# What a platform without POSIX's extras lacks, as (module, attribute).
MISSING = [
    (os, "O_NONBLOCK"),
    (os, "O_NOCTTY"),
    (os, "O_NOFOLLOW"),
    (os, "getuid"),
    (os, "geteuid"),
    (os, "fchmod"),
    (os, "pathconf"),
    (os, "pread"),
    (signal, "SIGHUP"),
    (signal, "pthread_kill"),
]


@pytest.fixture
def windowsish(monkeypatch, tmp_path):
    """This process as a platform without the POSIX-only APIs: each deleted, ``fcntl``
    impossible to import, and a cache folder of its own."""
    for module, name in MISSING:
        if hasattr(module, name):
            monkeypatch.delattr(module, name)
    monkeypatch.setitem(sys.modules, "fcntl", None)  # import fcntl: ImportError
    monkeypatch.setitem(sys.modules, "msvcrt", None)
    monkeypatch.setenv("MEDEQUIP_CACHE_DIR", str(tmp_path / "cache"))
    lock._held.clear()
    yield tmp_path
    lock._held.clear()


def cli(*argv: str, stdin: str | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdin
    if stdin is not None:
        sys.stdin = io.StringIO(stdin)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main([*argv])
    finally:
        sys.stdin = saved
    assert code != 70 and "internal error" not in err.getvalue(), err.getvalue()
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("fmt", ["text", "json", "jsonl", "markdown", "html"])
def test_check_in_each_format(windowsish, fmt):
    code, out, err = cli("check", str(GOOD), "--format", fmt, "--lang", "en")
    assert code == 0, err
    assert "明德国际医院" in out
    code, out, err = cli("check", str(PET_MR), "--format", fmt, "-o", str(windowsish / f"r.{fmt}"))
    assert code == 1, err
    assert "华康医学影像诊断中心" in (windowsish / f"r.{fmt}").read_text("utf-8")


def test_batches_tables_and_stats(windowsish):
    folder = windowsish / "in"
    folder.mkdir()
    for p in (GOOD, PET_MR):
        (folder / p.name).write_bytes(p.read_bytes())
    code, out, err = cli("check", str(folder), "--summary", "--lang", "en")
    assert code == 1 and "total 2: compliant 1, not compliant 1" in out, err
    for fmt in ("csv", "xlsx"):
        code, _, err = cli("check", str(folder), "--format", fmt, "-o", str(windowsish / f"t.{fmt}"))
        assert code == 1 and (windowsish / f"t.{fmt}").stat().st_size > 0, err
    code, out, err = cli("stats", str(folder), "--format", "json")
    assert code in (0, 1) and json.loads(out), err


def test_checklist_template_explain_diff_schema(windowsish):
    code, out, err = cli("checklist", str(GOOD), "--lang", "en")
    assert code in (0, 1, 3) and out, err
    target = windowsish / "t.toml"
    code, _, err = cli("template", "pet_ct", "-o", str(target))
    assert code == 0 and "senior_physicians" in target.read_text("utf-8"), err
    code, _, err = cli("template", "pet_ct", "-o", str(target), "--force")  # replaces: fchmod's fallback
    assert code == 0, err
    code, out, err = cli("explain", str(GOOD), "pet_ct/3.1", "--lang", "en")
    assert code == 0 and "pet_ct/3.1" in out, err
    code, out, err = cli("diff", str(GOOD), str(GOOD), "--format", "json")
    assert code == 0, err
    code, out, err = cli("schema", "report")
    assert code == 0 and json.loads(out), err


def test_rules_show_lint_and_diff(windowsish):
    assert cli("rules", "pet_ct")[0] == 0
    code, out, err = cli("rules", "show", "pet_ct/3.1", "--ruleset", str(VARIANT), "--lang", "en")
    assert code == 0 and "pet_ct/3.1" in out, err
    code, out, _ = cli("rules", "lint", str(VARIANT), "--lang", "en")
    assert code == 0 and "0 error(s)" in out
    code, out, _ = cli("rules", "diff", "class-b-access", str(VARIANT), "--format", "json")
    assert code == 1 and json.loads(out)["changes"]


def _must_not_build(*args):
    raise AssertionError("the cached ruleset was not used")


def test_the_cache_is_used_where_files_have_no_owners(windowsish, monkeypatch):
    """Without owners and mode bits to check, the cache folder is the user's own (Windows
    keeps a user's cache private): used, never "note: not using the ruleset cache"."""
    from assistant.core.rules import loader
    from assistant.core.rules.store import current

    for i in range(2):
        current().loaded.clear()  # this process's own memory of rulesets: the cache is asked
        copy = windowsish / f"rules{i}.toml"  # a new name: not in the memory either
        copy.write_bytes((ROOT / "rulesets" / "class-b-access.toml").read_bytes())
        if i:  # the second time the validated ruleset comes from the cache, not built again
            monkeypatch.setattr(loader, "load_bytes", _must_not_build)
        code, _, err = cli("check", str(GOOD), "--ruleset", str(copy))
        assert code == 0 and "not using the ruleset cache" not in err, err
        assert len(list((windowsish / "cache").glob("ruleset-*.pickle"))) == 1


def test_the_line_mode_interview_from_a_pipe(windowsish):
    out_file = windowsish / "iv.toml"
    code, out, err = cli(
        "interview",
        "--plain",
        "--equipment",
        "pet_ct",
        "--lang",
        "en",
        "-o",
        str(out_file),
        stdin="明德医院\n是\n",
    )
    assert code == 3, err  # input ended before the last question: incomplete, saved
    saved = out_file.read_text("utf-8")
    assert 'name = "明德医院"' in saved and "new_build = true" in saved
    assert not lock.lock_path(out_file).exists()  # the lock went with the interview


def test_a_fifo_is_refused_without_a_non_blocking_open(windowsish):
    """Where O_NONBLOCK is missing the path is looked at first: a FIFO (where one exists) is
    refused, never opened (the open would wait for a writer for ever)."""
    fifo = windowsish / "p.toml"
    os.mkfifo(fifo)
    unblocked = threading.Event()

    def watchdog():  # if the open blocks, a writer ends it, and the test fails instead of hanging
        time.sleep(5)
        if not done.is_set():
            unblocked.set()
            with contextlib.suppress(OSError):
                os.close(os.open(fifo, os.O_WRONLY))

    done = threading.Event()
    threading.Thread(target=watchdog, daemon=True).start()
    with pytest.raises(safeio.Refused, match="FIFO") as info:
        safeio.read_limited(fifo, 1000)
    done.set()
    assert not unblocked.is_set()
    assert info.value.kind == "special"
    code, _, err = cli("check", str(fifo), "--lang", "en")
    assert code == 2 and "is a FIFO (named pipe), not a regular file" in err


# --- the lock, as an exclusively created file (neither fcntl nor msvcrt) -------------------------


def _try_in_child(target, preamble: str) -> str:
    code = textwrap.dedent(preamble) + textwrap.dedent(
        f"""
        from assistant.core.io.lock import Locked, ProfileLock
        try:
            ProfileLock({str(target)!r}).acquire()
            print("acquired")
        except Locked as e:
            print(e)
        """
    )
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    return run.stdout.strip()


NO_FCNTL = "import sys\nsys.modules['fcntl'] = None\nsys.modules['msvcrt'] = None\n"


def test_the_exclusive_lock_file_refuses_a_second_writer_and_goes_with_release(windowsish):
    target = windowsish / "p.toml"
    first = lock.ProfileLock(target)
    first.acquire()
    try:
        assert first.kind == "exclusive"
        assert f"pid {os.getpid()} on " in lock.lock_path(target).read_text("utf-8")
        said = _try_in_child(target, NO_FCNTL)
        assert said.startswith(f"{target} is being edited by another interview (pid {os.getpid()} on ")
    finally:
        first.release()
    assert not lock.lock_path(target).exists()
    assert _try_in_child(target, NO_FCNTL) == "acquired"


def test_an_exclusive_lock_left_by_a_process_that_is_gone_is_taken_over(windowsish):
    target = windowsish / "p.toml"
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    host = socket.gethostname()
    lock.lock_path(target).write_text(f"pid {child.pid} on {host}, started 2026-01-01 00:00 UTC", "utf-8")
    taken = lock.ProfileLock(target)
    taken.acquire()
    try:
        assert f"pid {os.getpid()} " in lock.lock_path(target).read_text("utf-8")
    finally:
        taken.release()
    # a holder on another machine (a shared folder) cannot be checked: refused, naming the file
    lock.lock_path(target).write_text(f"pid {child.pid} on not-{host}, started 2026-01-01 00:00 UTC", "utf-8")
    with pytest.raises(lock.Locked, match=f"pid {child.pid} on not-"):
        lock.ProfileLock(target).acquire()


# --- the lock as Windows holds it, msvcrt.locking, emulated with POSIX byte-range locks ----------

FAKE_MSVCRT = """
import errno, fcntl, os
LK_UNLCK, LK_LOCK, LK_NBLCK, LK_RLCK, LK_NBRLCK = 0, 1, 2, 3, 4

def locking(fd, mode, nbytes):
    # Windows locks nbytes from the current position and refuses with EACCES when held
    start = os.lseek(fd, 0, os.SEEK_CUR)
    try:
        if mode == LK_UNLCK:
            fcntl.lockf(fd, fcntl.LOCK_UN, nbytes, start, os.SEEK_SET)
        else:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, nbytes, start, os.SEEK_SET)
    except (BlockingIOError, PermissionError):
        raise OSError(errno.EACCES, "Permission denied") from None
"""


def test_the_msvcrt_lock_refuses_a_second_writer_and_keeps_the_holder_readable(windowsish, monkeypatch):
    folder = windowsish / "fake"
    folder.mkdir()
    (folder / "msvcrt.py").write_text(FAKE_MSVCRT, "utf-8")
    monkeypatch.delitem(sys.modules, "msvcrt")
    monkeypatch.delitem(sys.modules, "fcntl")
    monkeypatch.syspath_prepend(str(folder))
    import msvcrt  # the fake, holding the real fcntl

    assert msvcrt.locking
    monkeypatch.setitem(sys.modules, "fcntl", None)
    target = windowsish / "p.toml"
    held = lock.ProfileLock(target)
    held.acquire()
    preamble = (
        f"import sys\nsys.path.insert(0, {str(folder)!r})\nimport msvcrt\nsys.modules['fcntl'] = None\n"
    )
    try:
        assert held.kind == "msvcrt"
        said = _try_in_child(target, preamble)
        assert said.startswith(f"{target} is being edited by another interview (pid {os.getpid()} on ")
    finally:
        held.release()
    assert not lock.lock_path(target).exists()
    assert _try_in_child(target, preamble) == "acquired"


# --- a fresh interpreter where the APIs are gone before anything of ours is imported -------------


def test_a_fresh_interpreter_without_the_posix_apis_runs_the_main_paths(tmp_path):
    """Catches what the in-process test cannot: a module that reads one of these APIs when it
    is imported (the in-process test imported everything before taking them away)."""
    out_file = tmp_path / "iv.toml"
    script = textwrap.dedent(
        f"""
        import io, os, signal, sys
        for module, name in {[(m.__name__, n) for m, n in MISSING]!r}:
            module = {{"os": os, "signal": signal}}[module]
            if hasattr(module, name):
                delattr(module, name)
        sys.modules["fcntl"] = None
        sys.modules["msvcrt"] = None
        from assistant.cli.main import main
        codes = [
            main(["check", {str(GOOD)!r}, "--format", "json"]),
            main(["check", {str(PET_MR)!r}]),
            main(["rules", "diff", "class-b-access", "proton-2022"]),
            main(["explain", {str(GOOD)!r}, "pet_ct/3.1"]),
        ]
        sys.stdin = io.StringIO("明德医院\\n")
        codes.append(main(["interview", "--plain", "--equipment", "pet_ct", "-o", {str(out_file)!r}]))
        print("CODES", codes, file=sys.stderr)
        """
    )
    env = {**os.environ, "MEDEQUIP_CACHE_DIR": str(tmp_path / "cache"), "NO_COLOR": "1"}
    run = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120, env=env
    )
    assert "CODES [0, 1, 1, 0, 3]" in run.stderr, run.stderr[-2000:]
    assert "internal error" not in run.stderr
    assert 'name = "明德医院"' in out_file.read_text("utf-8")


def test_output_on_a_locale_that_cannot_write_chinese(tmp_path):
    """A redirected Windows console writes GBK, some POSIX locales Latin-1 or ASCII: a file or
    a pipe gets UTF-8 instead of a crash."""
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "NO_COLOR": "1"}
    run = subprocess.run(
        [sys.executable, "-m", "assistant", "check", str(GOOD), "--lang", "zh"],
        cwd=ROOT,
        capture_output=True,
        timeout=120,
        env=env,
    )
    assert run.returncode == 0, run.stderr.decode("utf-8", "replace")
    assert "明德国际医院" in run.stdout.decode("utf-8")


def test_a_lock_backend_error_on_a_file_system_without_locks_leaves_the_interview_unguarded(
    windowsish, monkeypatch
):
    """A lock that cannot be taken at all (EOPNOTSUPP) is no reason to refuse the interview."""

    def no_locks(fd, kind):
        raise OSError(errno.EOPNOTSUPP, "Operation not supported")

    monkeypatch.setattr(lock, "_backend", lambda: "msvcrt")
    monkeypatch.setattr(lock, "_try_lock", no_locks)
    target = windowsish / "p.toml"
    nothing = lock.ProfileLock(target)
    nothing.acquire()
    assert nothing.fd is None
    nothing.release()


def test_ctrl_c_that_lands_in_a_callback_is_sent_again_without_pthread_kill(windowsish, monkeypatch):
    """entry.py re-sends a Ctrl+C Python could not raise; without ``pthread_kill`` (Windows)
    it uses the interpreter's own interrupt, and the main thread still stops."""
    from types import SimpleNamespace

    from assistant import entry

    monkeypatch.setattr(sys, "unraisablehook", sys.__unraisablehook__)
    entry._keep_ctrl_c()
    hook = sys.unraisablehook
    assert getattr(hook, "keeps_ctrl_c", False)
    with pytest.raises(KeyboardInterrupt):
        hook(SimpleNamespace(exc_value=KeyboardInterrupt(), exc_type=KeyboardInterrupt, object=None))
        for _ in range(100):
            time.sleep(0.05)
