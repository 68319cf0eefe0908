"""Answer -> next question, measured inside the app, over a long proton session.

``python -m tests.benchmarks.latency [TURNS]`` drives a proton interview with 10 clinical
staff through Textual's pilot for TURNS turns (default 250). A turn is one submission that
puts a question on screen: an answer, or every fourth turn ``返回`` (back) and the answer
again, as people correct themselves. The app itself records, for each turn, the time from
handling the submission to the first frame that shows the next question
(``ChatScreen.latencies``); the pilot's own figure (key press to question seen, including
its idle waits) is printed beside it. Prints one JSON line: both series.

``summary()`` turns a series into (median, p95, slope): the slope is the least-squares
change in milliseconds per 100 turns, so a flat line is about 0.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STAFF = 10


def summary(series: list[float]) -> tuple[float, float, float]:
    """(median, 95th percentile, slope in seconds per 100 turns) of a series in seconds."""
    ordered = sorted(series)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    n = len(series)
    mean_x = (n - 1) / 2
    mean_y = sum(series) / n
    var = sum((i - mean_x) ** 2 for i in range(n)) or 1
    slope = sum((i - mean_x) * (y - mean_y) for i, y in enumerate(series)) / var
    return statistics.median(series), p95, slope * 100


def measure(turns: int = 250) -> dict:
    """Run the session in a fresh interpreter (bytecode and ruleset cache warm)."""
    from tests.benchmarks.__main__ import CHILD_CWD, child_env

    env = child_env()
    cmd = [sys.executable, "-m", "tests.benchmarks.latency"]
    subprocess.run([*cmd, "5"], env=env, cwd=CHILD_CWD, capture_output=True)  # warm
    r = subprocess.run([*cmd, str(turns)], env=env, cwd=CHILD_CWD, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(r.stderr[-2000:])
    return json.loads(r.stdout.splitlines()[-1])


def _value(fact, turn: int) -> str:
    """What a person types: the first option, a number, a name; roles alternate."""
    if fact.type == "bool":
        return "是"
    if fact.type == "choice":
        return str(1 + turn % len(fact.choices)) if fact.key == "role" else "1"
    if fact.type == "set":
        return "1"
    if fact.type == "int":
        return str(min(fact.max, max(fact.min, 12)))
    return f"测试{turn}"


def typed_answer(app, turn: int, staff: int) -> str:
    """What a person types for the question on screen: see ``_value``; on a roster, another
    person until there are ``staff``."""
    from assistant.interview.engine import ADD

    step = app.step
    if step.fact.key == ADD:
        people = len(app.chat.session.iv.answers.get(step.roster) or [])
        return "是" if people < staff else "否"
    return _value(step.fact, turn)


async def session(turns: int, folder: Path) -> dict:
    from assistant.tui.app import make_app

    app = make_app("proton", "zh", str(folder / "proton.toml"), cursor_blink=False)
    pilot_times: list[float] = []
    async with app.run_test(size=(120, 36)) as pilot:
        chat = app.chat
        assert chat is not None
        box = chat.query_one("#answer")
        answered = 0
        while len(chat.latencies) < turns and app.step is not None:
            before = len(chat.latencies)
            t0 = time.perf_counter()
            # The box takes an answer once the question is on screen; Enter before is ignored.
            while box.waiting:
                await pilot.pause()
            if answered and chat.latencies and before % 4 == 3:
                text = "返回"
            else:
                text = typed_answer(app, before, STAFF)
            if text != "返回":
                answered += 1
            app.type_into_input(text)
            await pilot.press("enter")
            while len(chat.latencies) == before and app.step is not None:
                if time.perf_counter() - t0 > 30:
                    raise RuntimeError(f"no question recorded on screen after {text!r}")
                await pilot.pause()
            pilot_times.append(time.perf_counter() - t0)
        people = len(chat.session.iv.answers.get("proton.clinical_staff") or [])
    return {"app": chat.latencies, "cpu": chat.cpu, "pilot": pilot_times, "staff": people}


def run(turns: int) -> dict:
    where = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
    with tempfile.TemporaryDirectory(prefix="medequip-bench-latency-", dir=where) as tmp:
        return asyncio.run(session(turns, Path(tmp)))


if __name__ == "__main__":
    result = run(int(sys.argv[1]) if len(sys.argv) > 1 else 250)
    if sys.stdout.isatty():
        for name in ("app", "cpu", "pilot"):
            med, p95, slope = summary(result[name])
            print(
                f"{name}: n={len(result[name])} median {med * 1e3:.1f} ms, p95 {p95 * 1e3:.1f} ms, slope {slope * 1e3:+.1f} ms/100 turns"
            )
    print(json.dumps(result))
