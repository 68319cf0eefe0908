"""The TUI figures, measured in a fresh interpreter driven by Textual's pilot.

``measure()`` starts ``python -m tests.benchmarks.tui`` and reads back two figures: launch (process
start to the first question on screen, interpreter start-up and imports included) and the
median time from submitting an answer to the next question being on screen.
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

ROOT = Path(__file__).resolve().parents[2]
EQUIPMENT = ("pet_mr", "pet_ct", "laparoscopic_robot", "conventional_rt")


def measure(samples: int) -> tuple[float, float]:
    from tests.benchmarks.__main__ import child_env

    env = child_env()
    subprocess.run(
        [sys.executable, "-m", "tests.benchmarks.tui", "--warm"], env=env, cwd=ROOT, capture_output=True
    )
    start = time.time()
    r = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks.tui", str(samples)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if r.returncode != 0:
        raise RuntimeError(r.stderr[-2000:])
    result = json.loads(r.stdout.splitlines()[-1])
    return result["first_question_at"] - start, statistics.median(result["steps"])


async def _answer(pilot, app) -> None:
    """Answer the question on screen the way a person would: typed, then Enter (no key answers
    by itself): yes, the first option, a number, a name."""
    fact = app.step.fact
    if fact.type == "bool":
        text = "是"
    elif fact.type in ("choice", "set"):
        text = fact.choices[0].key
    elif fact.type == "int":
        text = str(min(fact.max, max(fact.min, 5)))
    else:
        text = "测试医院"
    app.type_into_input(text)
    await pilot.press("enter")


async def _questions(app):
    from assistant.tui.widgets.bubbles import QuestionBubble

    return len(app.query(QuestionBubble))


async def run(samples: int) -> dict:
    from assistant.tui.app import make_app

    steps: list[float] = []
    where = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None  # autosaves cost no disk
    with tempfile.TemporaryDirectory(prefix="medequip-bench-tui-", dir=where) as tmp:
        first_at = await _sessions(make_app, Path(tmp), samples, steps)
    return {"first_question_at": first_at, "steps": steps}


async def _sessions(make_app, folder: Path, samples: int, steps: list[float]) -> float | None:
    first_at = None
    i = 0
    while len(steps) < samples:
        equipment = EQUIPMENT[i % len(EQUIPMENT)]
        app = make_app(equipment, "zh", str(folder / f"{i}.toml"), cursor_blink=False)
        i += 1
        async with app.run_test(size=(120, 40)) as pilot:
            while await _questions(app) == 0:
                await pilot.pause()
            if first_at is None:
                first_at = time.time()
            while app.step is not None and len(steps) < samples:
                # Wait for the step to change, not for more question bubbles: the chat folds
                # its oldest turns, so their number stops growing in a long session.
                before = app.step
                t0 = time.perf_counter()
                await _answer(pilot, app)
                for _ in range(2_000):
                    if app.step is not before:
                        break
                    await pilot.pause()
                else:
                    break  # the answer was refused: this session has given what it can
                await pilot.pause()  # until the new question has been drawn
                if app.step is not None:
                    steps.append(time.perf_counter() - t0)
    return first_at


if __name__ == "__main__":
    if sys.argv[1:] == ["--warm"]:  # bytecode and the ruleset cache, as after any first run
        asyncio.run(run(1))
    else:
        print(json.dumps(asyncio.run(run(int(sys.argv[1])))))
