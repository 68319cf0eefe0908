"""Running the command line the way scripts and people do: in this process with a run
context of its own (:func:`run`, :func:`run_main`, :func:`drive_prompts`: milliseconds), or
as a real process where the process itself is what is tested (:func:`run_process`: start-up,
signals, pipes, exit status)."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
GOLDEN = ROOT / "tests" / "golden"
# 2026-01-01T00:00:00Z: every report made by the tests carries this date.
EPOCH = "1767225600"
DATE = "2026-01-01"


def env(**extra: str) -> dict[str, str]:
    e = dict(os.environ)
    for key in ("LANG", "LC_ALL", "LC_MESSAGES", "FORCE_COLOR", "SOURCE_DATE_EPOCH"):
        e.pop(key, None)
    e.update(NO_COLOR="1", SOURCE_DATE_EPOCH=EPOCH, PYTHONIOENCODING="utf-8")
    e.update(extra)
    return e


def run(
    *args: str,
    input: bytes | str | None = None,
    cwd: Path | None = None,
    timeout: float = 120,
    **extra_env: str,
) -> subprocess.CompletedProcess:
    """``medequip ARGS`` run in this process (:func:`run_main`), as a finished process would
    report it: ``returncode``, and stdout and stderr as text. ``timeout`` is for
    :func:`run_process`'s sake only."""
    data = input.encode("utf-8") if isinstance(input, str) else input
    code, out, err = run_main(*args, stdin=data or b"", cwd=cwd, **extra_env)
    return subprocess.CompletedProcess(["medequip", *args], code, out.decode("utf-8"), err)


def run_bytes(
    *args: str,
    input: bytes | str | None = None,
    cwd: Path | str | None = None,
    environ: dict[str, str] | None = None,
    **extra_env: str,
) -> subprocess.CompletedProcess:
    """:func:`run` with stdout and stderr as bytes, as ``subprocess.run`` without ``text``
    gives them; ``environ``: the whole environment (default: ``env()``'s)."""
    data = input.encode("utf-8") if isinstance(input, str) else input
    code, out, err = run_main(*args, stdin=data or b"", cwd=cwd, environ=environ, **extra_env)
    return subprocess.CompletedProcess(["medequip", *args], code, out, err.encode("utf-8"))


def run_process(
    *args: str,
    input: bytes | str | None = None,
    cwd: Path | None = None,
    timeout: float = 120,
    **extra_env: str,
) -> subprocess.CompletedProcess:
    """``python -m assistant ARGS`` in a real process (start-up, signals, the exit status of
    the process itself); stdout and stderr as text."""
    data = input.encode("utf-8") if isinstance(input, str) else input
    p = subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        cwd=cwd or ROOT,
        input=data,
        capture_output=True,
        timeout=timeout,
        env=env(**extra_env),
    )
    p.stdout = p.stdout.decode("utf-8")  # type: ignore[assignment]
    p.stderr = p.stderr.decode("utf-8")  # type: ignore[assignment]
    return p


def examples() -> list[Path]:
    return sorted(EXAMPLES.glob("*.toml"))


def forget_verdicts() -> None:
    """Empty the evaluator's memory of comparisons and verdicts in every bundled ruleset."""
    from assistant.core.rules import loader

    for rs in loader.bundled():
        rs.memo.forget_answers()


def loaded_profiles(n: int, seed: int) -> list[tuple]:
    """(profile, ruleset) of the examples and of ``n`` generated profiles (every equipment in
    turn, from ``seed``): the evaluator tests' common sample."""
    import random

    from assistant.core.profile.document import load
    from assistant.core.rules.model import EQUIPMENT_KEYS
    from tests.benchmarks.generate import profile_text

    rnd = random.Random(seed)
    out = [load(ex.read_bytes(), ex.name) for ex in examples()]
    for i in range(n):
        text = profile_text(EQUIPMENT_KEYS[i % len(EQUIPMENT_KEYS)], rnd)
        out.append(load(text.encode("utf-8"), f"gen{i}.toml"))
    return out


def scrub(text: str) -> str:
    """Golden files hold no volatile data: the tool's version becomes <VERSION> (the date is
    fixed by SOURCE_DATE_EPOCH)."""
    from assistant import __version__ as v

    return (
        text.replace(f"medequip {v}", "medequip <VERSION>")
        .replace(f'"version": "{v}"', '"version": "<VERSION>"')
        .replace(f'"version":"{v}"', '"version":"<VERSION>"')
    )


PROFILE_HEAD = 'schema_version = 1\nequipment = "pet_ct"\n'


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# The line mode's prompt: ``[fact.key]> `` (a person's field: ``[roster[0].field]> ``).
PROMPT = re.compile(r"^\[(.+?)\]> ", re.M)


class _Answering(io.TextIOBase):
    """Standard input of an in-process line-mode interview: each line read is the answer to
    the prompt last printed (``[key]> ``), from ``answer(key, transcript)``; end of input
    when no new prompt waits, as when an expect script stops typing."""

    def __init__(self, out: io.TextIOWrapper, answer):
        self.out, self.answer, self.asked = out, answer, []

    def readable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def readline(self, size: int = -1) -> str:
        self.out.flush()
        text = self.out.buffer.getvalue().decode("utf-8", "replace")
        keys = PROMPT.findall(text)
        if len(keys) > len(self.asked) and text.endswith("]> "):
            self.asked.append(keys[-1])
            assert len(self.asked) < 600, "the line mode keeps asking"
            return self.answer(keys[-1], text) + "\n"
        return ""


def drive_prompts(args: list[str], answer, cwd) -> tuple[subprocess.CompletedProcess, list[str], str]:
    """``interview ARGS`` in the line mode (in this process), answering each prompt with
    ``answer(key, transcript)`` the way an expect script does; (the finished run, with its
    ``returncode`` and ``stderr``, the keys asked in order, everything it printed)."""
    from assistant.cli.context import Context
    from assistant.entry import main

    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="")
    err = io.StringIO()
    stdin = _Answering(out, answer)
    run_env = dict(os.environ)
    saved_cwd = os.getcwd()
    try:
        os.chdir(cwd)
        code = main(["interview", *args], ctx=Context(stdin, out, err, run_env))
    finally:
        os.chdir(saved_cwd)
    out.flush()
    text = out.buffer.getvalue().decode("utf-8")
    return (
        subprocess.CompletedProcess(["medequip", "interview", *args], code, text, err.getvalue()),
        stdin.asked,
        text,
    )


def run_main(
    *argv: str,
    stdout=None,
    stdin: bytes = b"",
    cwd: Path | str | None = None,
    environ: dict[str, str] | None = None,
    **extra_env: str,
) -> tuple[int, bytes, str]:
    """``medequip ARGV`` in this process (milliseconds instead of a quarter second), with a
    run context of its own (:class:`assistant.cli.context.Context`: in-memory streams, the
    environment ``run`` gives a child, fresh rulesets): the exit code, what it wrote to
    standard output (captured unless ``stdout``, an open file, is given: then its bytes are
    wherever that file is) and standard error. ``environ``: the whole environment instead
    (with ``extra_env`` over it). The core reads a few variables from the
    process environment (the report date, the cache folder), so the environment and the
    working folder are the run's for the call, and put back."""
    from assistant.cli.context import Context
    from assistant.entry import main

    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="") if stdout is None else stdout
    err = io.StringIO()
    run_env = env(**extra_env) if environ is None else {**environ, **extra_env}
    ctx = Context(io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"), out, err, run_env)
    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    os.environ.clear()
    os.environ.update(run_env)
    try:
        os.chdir(cwd or ROOT)
        code = main(list(argv), ctx=ctx)
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
    if stdout is None:
        out.flush()
        data = out.buffer.getvalue()
    else:
        data = b""
    return code, data, err.getvalue()


def run_in(
    *argv: str, cwd: Path | str | None = None, stdin: str = "", **extra_env: str
) -> tuple[int, str, str]:
    """``run_main`` with text in and out: the exit code, standard output and standard error."""
    code, out, err = run_main(*argv, stdin=stdin.encode("utf-8"), cwd=cwd, **extra_env)
    return code, out.decode("utf-8"), err
