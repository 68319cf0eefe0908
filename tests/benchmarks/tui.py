"""The TUI figures, measured in a fresh interpreter driven by Textual's pilot.

``measure()`` starts ``python -m tests.benchmarks.tui`` and reads back three figures: launch
(process start to the first question on screen, interpreter start-up and imports included), the
median time from the pilot typing an answer to the next question being on screen (the pilot's
own waits included), and the app's own figure for the same answers (``ChatScreen.latencies``:
submission to the first frame showing the next question).
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

EQUIPMENT = ("pet_mr", "pet_ct", "laparoscopic_robot", "conventional_rt")


def measure(samples: int) -> tuple[float, float, float]:
    from tests.benchmarks.__main__ import CHILD_CWD, child_env

    env = child_env()
    subprocess.run(
        [sys.executable, "-m", "tests.benchmarks.tui", "--warm"], env=env, cwd=CHILD_CWD, capture_output=True
    )
    start = time.time()
    r = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks.tui", str(samples)],
        env=env,
        cwd=CHILD_CWD,
        capture_output=True,
        text=True,
    )
    if r.returncode != 0:
        raise RuntimeError(r.stderr[-2000:])
    result = json.loads(r.stdout.splitlines()[-1])
    return (
        result["first_question_at"] - start,
        statistics.median(result["steps"]),
        statistics.median(result["app"]),
    )


STAFF = 2  # people added on each roster


async def run(samples: int) -> dict:
    from assistant.tui.app import make_app

    steps: list[float] = []
    in_app: list[float] = []
    where = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None  # autosaves cost no disk
    with tempfile.TemporaryDirectory(prefix="medequip-bench-tui-", dir=where) as tmp:
        first_at = await _sessions(make_app, Path(tmp), samples, steps, in_app)
    return {"first_question_at": first_at, "steps": steps, "app": in_app}


async def _sessions(make_app, folder: Path, samples: int, steps: list[float], in_app: list[float]) -> float:
    """Interviews of each equipment in turn, answered as ``latency.py`` answers (typed, once
    the box takes typing), until ``samples`` answers have each brought the next question."""
    from assistant.tui.widgets.bubbles import QuestionBubble
    from tests.benchmarks.latency import typed_answer

    first_at = None
    i = 0
    while len(steps) < samples:
        equipment = EQUIPMENT[i % len(EQUIPMENT)]
        app = make_app(equipment, "zh", str(folder / f"{i}.toml"), cursor_blink=False)
        i += 1
        async with app.run_test(size=(120, 40)) as pilot:
            chat = app.chat
            box = chat.query_one("#answer")
            # The first question laid out (it is drawn in the same pass) and taking answers.
            while not any(b.region for b in app.query(QuestionBubble)) or box.waiting:
                await pilot.pause()
            if first_at is None:
                first_at = time.time()
            turn = 0
            while app.step is not None and len(steps) < samples:
                while box.waiting:
                    await pilot.pause()
                before = len(chat.latencies)
                t0 = time.perf_counter()
                app.type_into_input(typed_answer(app, turn, STAFF))
                await pilot.press("enter")
                # The app records each question it shows after an answer (the first frame
                # showing it); the interview's end shows none.
                while len(chat.latencies) == before and app.step is not None:
                    if time.perf_counter() - t0 > 30:
                        raise RuntimeError("no question recorded on screen after an answer")
                    await pilot.pause()
                if len(chat.latencies) > before:
                    steps.append(time.perf_counter() - t0)
                    in_app.append(chat.latencies[-1])
                turn += 1
    assert first_at is not None
    return first_at


if __name__ == "__main__":
    if sys.argv[1:] == ["--warm"]:  # bytecode and the ruleset cache, as after any first run
        asyncio.run(run(1))
    else:
        print(json.dumps(asyncio.run(run(int(sys.argv[1])))))
