"""Nothing is lost: answers survive SIGKILL, SIGTERM, SIGHUP and Ctrl+C.

Every write goes through ``assistant.core.io.atomic`` (a temp file in the same folder, flushed,
fsynced and renamed over the target), so a process killed at any instant leaves the previous
file or the new one, never a torn one. The line mode saves after every answer and once more
when it is told to stop, and ``--resume`` asks only what is still missing. A file that is not
one of our profiles is never overwritten without ``--force``.
"""

from __future__ import annotations

import os
import random
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT

from assistant.core.io import atomic
from assistant.core.profile.document import load
from assistant.core.rules import loader
from assistant.core.text.errors import UsageError
from assistant.entry import main
from assistant.interview.session import guard_output

# --- SIGKILL at random moments while autosaving ---------------------------------------------------

WRITER = r"""
import sys
from assistant.interview.session import Session

path, start = sys.argv[1], int(sys.argv[2])
s = Session("pet_ct", "en", path, None, {}, force=True)
# Parts of another count (at_most) are left out: these made-up values would break the rule.
facts = [k for k, f in s.rs.facts.items() if k.startswith("pet_ct.") and f.type == "int" and f.at_most is None]
print("ready", flush=True)
i = start
while True:
    s.iv.answers.clear()
    s.iv.answers["institution.name"] = f"save {i} " + "医" * (i % 300)
    for n, key in enumerate(facts[: 1 + i % len(facts)]):
        f = s.rs.facts[key]
        s.iv.answers[key] = f.min + (i + n) % (min(f.max, 1000) - f.min + 1)
    s.save()
    print(i, flush=True)
    i += 1
"""


def answers_of(i: int, facts: list[str]) -> dict:
    """What the writer saves in its i-th round (values kept inside each fact's range)."""
    catalogue = loader.for_equipment("pet_ct").facts
    out = {"institution.name": f"save {i} " + "医" * (i % 300)}
    for n, key in enumerate(facts[: 1 + i % len(facts)]):
        f = catalogue[key]
        out[key] = f.min + (i + n) % (min(f.max, 1000) - f.min + 1)
    return out


def test_sigkill_at_random_moments_never_leaves_a_torn_profile(tmp_path):
    """A child saves growing answers in a loop through Session.save (atomic writes) and is
    killed with SIGKILL at a random moment, many times over. After every kill the file on
    disk parses and holds exactly the last answers the child reported saved, or the ones it
    was saving when it died."""
    rs = loader.for_equipment("pet_ct")
    facts = [
        k for k, f in rs.facts.items() if k.startswith("pet_ct.") and f.type == "int" and f.at_most is None
    ]
    target = tmp_path / "autosave.toml"
    env = dict(os.environ, MEDEQUIP_CACHE_DIR=str(tmp_path / "cache"))
    rnd = random.Random(7)
    start = 0
    kills = 0
    before = None  # what the file held before this child started
    for _ in range(30):
        child = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(target), str(start)],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        time.sleep(rnd.uniform(0.0, 0.08))
        child.send_signal(signal.SIGKILL)
        reported = [int(line) for line in child.stdout.read().split()]
        child.wait()
        assert child.returncode == -signal.SIGKILL
        kills += 1
        if not target.exists():
            assert not reported  # killed before the first save finished
            continue
        profile, _ = load(target.read_bytes(), str(target))
        if reported:  # the last save it finished, or the one it was in when it died
            candidates = [answers_of(reported[-1], facts), answers_of(reported[-1] + 1, facts)]
        else:  # killed during its first save: the old file, or the new one
            candidates = [before, answers_of(start, facts)]
        assert profile.answers in candidates, f"after {len(reported)} saves the file holds something else"
        before = profile.answers
        start = (reported[-1] if reported else start) + 2  # the next child goes on from there
    assert kills == 30
    # Killed writes leave at most their temp files behind, never a partial profile.
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".toml"] == ["autosave.toml"]


def test_atomic_write_keeps_the_old_file_when_the_write_fails(tmp_path, monkeypatch):
    target = tmp_path / "p.toml"
    target.write_text("old", "utf-8")

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        atomic.write_text(target, "new")
    assert target.read_text("utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["p.toml"]  # the temp file is gone too


def test_atomic_write_keeps_permissions_and_follows_symlinks(tmp_path):
    real = tmp_path / "real.toml"
    real.write_text("old", "utf-8")
    real.chmod(0o640)
    link = tmp_path / "link.toml"
    link.symlink_to(real)
    atomic.write_text(link, "new")
    assert link.is_symlink() and real.read_text("utf-8") == "new"
    assert real.stat().st_mode & 0o777 == 0o640
    fresh = tmp_path / "fresh.toml"
    atomic.write_text(fresh, "x")
    umask = os.umask(0)
    os.umask(umask)
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~umask


# --- the line mode stops cleanly and resumes ---------------------------------------------------------


class LineMode:
    """Drives ``medequip interview --plain`` through pipes, prompt by prompt."""

    def __init__(self, *args: str, cwd: Path):
        env = dict(os.environ, MEDEQUIP_CACHE_DIR=str(cwd / "cache"), NO_COLOR="1")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "assistant", "interview", "--plain", "--lang", "en", *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=cwd,
        )
        self.buffer = b""

    def prompt(self, timeout: float = 20) -> str:
        """The key of the next question (its ``[key]> `` prompt), once it is on stdout."""
        deadline = time.monotonic() + timeout
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        while True:
            text = self.buffer.decode("utf-8", errors="replace")
            if text.endswith("]> "):
                key = text.rsplit("[", 1)[1][:-3]
                self.buffer = b""
                return key
            left = deadline - time.monotonic()
            assert left > 0, f"no prompt; got {text[-300:]!r}"
            ready, _, _ = select.select([fd], [], [], left)
            if ready:
                chunk = os.read(fd, 65536)
                assert chunk, f"the interview ended; stdout so far {text[-300:]!r}"
                self.buffer += chunk

    def answer(self, text: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(text.encode("utf-8") + b"\n")
        self.proc.stdin.flush()

    def finish(self, timeout: float = 20) -> tuple[int, str]:
        try:
            _, err = self.proc.communicate(timeout=timeout)
        except ValueError:  # stdin already closed
            err = self.proc.stderr.read() if self.proc.stderr else b""
            self.proc.wait(timeout)
        return self.proc.returncode, err.decode("utf-8", errors="replace")


def reply_for(key: str) -> str:
    rs = loader.for_equipment("pet_ct")
    fact = rs.facts[key]
    return {"text": "明德国际医院", "bool": "n", "choice": "1", "int": "3", "set": "1"}[fact.type]


@pytest.mark.parametrize(
    "sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT], ids=["SIGTERM", "SIGHUP", "SIGINT"]
)
def test_the_line_mode_saves_on_a_stop_signal_and_resume_asks_only_what_is_missing(tmp_path, sig):
    out = tmp_path / "my.toml"
    run = LineMode("--equipment", "pet_ct", "-o", str(out), cwd=tmp_path)
    given = {}
    for _ in range(4):
        key = run.prompt()
        given[key] = reply_for(key)
        run.answer(given[key])
    pending = run.prompt()  # the fifth question is on screen, unanswered
    run.proc.send_signal(sig)
    code, err = run.finish()
    assert code == (129 if sig == signal.SIGHUP else 130), err  # 128 + SIGHUP: the terminal went
    assert "Traceback" not in err and f"Saved to {out}" in err
    profile, _ = load(out.read_bytes(), str(out))
    assert set(profile.answers) == set(given)
    assert pending not in profile.answers

    again = LineMode("--resume", str(out), cwd=tmp_path)
    assert again.prompt() == pending  # nothing answered before is asked again
    again.answer(reply_for(pending))
    again.prompt()
    again.proc.stdin.close()  # end of input: saves and reports incomplete
    code, err = again.finish()
    assert code == 3, err
    profile, _ = load(out.read_bytes(), str(out))
    assert set(profile.answers) == {*given, pending}


def test_a_stop_signal_before_any_answer_saves_nothing_and_says_so(tmp_path):
    out = tmp_path / "never.toml"
    run = LineMode("--equipment", "pet_ct", "-o", str(out), cwd=tmp_path)
    run.prompt()
    run.proc.send_signal(signal.SIGTERM)
    code, err = run.finish()
    assert code == 130 and "nothing saved" in err and not out.exists()


# --- never overwrite what is not ours ---------------------------------------------------------------


def test_guard_output_refuses_a_file_that_is_not_a_profile(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("my thesis, chapter 1\n", "utf-8")
    with pytest.raises(UsageError, match="exists and is not a medequip profile; use --force"):
        guard_output(str(notes), force=False)
    guard_output(str(notes), force=True)  # forced: allowed


@pytest.mark.parametrize(
    "content",
    [b"\x89PNG\r\n\x1a\n\x00\x00", b"[tool.poetry]\nname = 'x'\n", b"not = [toml", b"\xff\xfe\x00x", b""],
    ids=["binary", "other-toml", "broken-toml", "utf16", "empty"],
)
def test_guard_output_refuses_every_kind_of_foreign_file(tmp_path, content):
    target = tmp_path / "out.toml"
    target.write_bytes(content)
    with pytest.raises(UsageError):
        guard_output(str(target), force=False)


def test_guard_output_allows_our_own_profiles_and_new_files(tmp_path):
    ours = tmp_path / "ours.toml"
    ours.write_text('schema_version = 1\nequipment = "pet_ct"\n[institution]\n', "utf-8")
    guard_output(str(ours), force=False)
    guard_output(str(tmp_path / "new.toml"), force=False)
    with pytest.raises(UsageError, match="is a directory"):
        guard_output(str(tmp_path), force=False)


def test_guard_output_does_not_read_a_huge_file_to_decide(tmp_path):
    big = tmp_path / "big.toml"
    with open(big, "wb") as f:
        f.truncate(200 * 1024 * 1024)
    start = time.perf_counter()
    with pytest.raises(UsageError):
        guard_output(str(big), force=False)
    assert time.perf_counter() - start < 1


def test_the_interview_command_leaves_a_foreign_file_untouched(tmp_path, capsys, monkeypatch):
    notes = tmp_path / "notes.txt"
    notes.write_text("precious\n", "utf-8")
    monkeypatch.setattr(sys, "stdin", open(os.devnull))  # noqa: SIM115
    code = main(["interview", "--plain", "--equipment", "pet_ct", "-o", str(notes)])
    err = capsys.readouterr().err
    assert code == 2 and "is not a medequip profile; use --force" in err
    assert notes.read_text("utf-8") == "precious\n"
