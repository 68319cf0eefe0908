"""Full garbage collections happen between turns, never between an answer and the next
question on screen (assistant/tui/collect.py), and the collector is left as it was found."""

from __future__ import annotations

import gc

from test_tui import aio, settle, type_text
from test_tui_lists import typed

from assistant.tui.app import make_app
from assistant.tui.collect import NEVER, IdleCollector


def test_the_collector_is_restored_after_use():
    before = gc.get_threshold()
    collector = IdleCollector()
    collector.start()
    try:
        assert gc.get_threshold()[2] == NEVER  # no full collection starts by itself
        assert gc.get_freeze_count() > 0
    finally:
        collector.stop()
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
    collector.start()  # queued before the app closed, run after: nothing changes
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


@aio
async def test_full_collections_run_between_turns_only(tmp_path):
    before = gc.get_threshold()
    app = make_app("proton", "en", str(tmp_path / "p.toml"), cursor_blink=False)
    full: list[bool] = []  # for each full collection: was a turn under way?

    def seen(phase: str, info: dict) -> None:
        if phase == "start" and info["generation"] == 2 and app.chat is not None:
            full.append(app.chat._submitted_at is not None or app.chat._awaited is not None)

    gc.callbacks.append(seen)
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot, lambda: app.collector.active, "the collector started")
            full.clear()  # the one before freezing, at start
            while len(app.chat.latencies) < 60 and app.step is not None:
                step = app.step
                people = len(app.session.iv.answers.get(step.roster) or []) if step.roster else 0
                n = len(app.chat.latencies)
                await type_text(pilot, typed(step.fact, people))
                await settle(pilot, lambda n=n: len(app.chat.latencies) > n, f"the question after {step.key}")
    finally:
        gc.callbacks.remove(seen)
    assert full, "no full collection in 60 turns"
    assert not any(full), "a full collection ran between an answer and the next question"
    assert gc.get_threshold() == before
