"""The chat at the three terminal sizes people use (80×24, 120×36, 200×50), in Chinese and
English: header and input hint readable, clause rows led by their number, the side panel
taking spare width, long Chinese wrapped; and the review and roster screens. Regenerate with
``--snapshot-update`` after an intended change, and look at the SVGs first."""

from __future__ import annotations

import copy

import pytest
from test_interview_edit import STAFF, finished_proton

from assistant.tui.app import make_app

SIZES = [(80, 24), (120, 36), (200, 50)]


@pytest.fixture
def here(tmp_path, monkeypatch):
    """An empty folder and a relative path (no temporary path on screen), in colour."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return tmp_path


async def _type(pilot, text: str) -> None:
    """Type an answer once the box takes it (keys typed before a question shows are dropped)."""
    for _ in range(200):
        if not pilot.app.query_one("#answer").waiting:
            break
        await pilot.pause()
    pilot.app.type_into_input(text)
    await pilot.press("enter")


async def _two_answers(pilot) -> None:
    app = pilot.app
    await _type(
        pilot,
        "北京协和医学院附属肿瘤医院质子治疗中心（筹）" if app.lang == "zh" else "Example Cancer Hospital",
    )
    await _type(pilot, "否" if app.lang == "zh" else "no")  # not newly built
    await pilot.pause()


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_chat_at_each_size(snap_compare, here, size, lang):
    app = make_app("pet_ct", lang, "profile.toml", cursor_blink=False)
    assert snap_compare(app, run_before=_two_answers, terminal_size=size)


def _staffed() -> dict:
    answers = copy.deepcopy(finished_proton().answers)
    for person, name in zip(answers[STAFF], ("张明", "李华"), strict=True):
        person["name"] = name
    answers["institution.name"] = "示例质子医院"
    return answers


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_review_and_roster_screens(snap_compare, here, lang):
    async def run_before(pilot):
        app = pilot.app
        while app.step is None and not app.finished:
            await pilot.pause()
        if app.step is not None:
            await _type(pilot, "否" if app.lang == "zh" else "no")  # no more people for now
        while len(app.screen_stack) > 1:
            app.pop_screen()
        await pilot.press("f3")
        await pilot.pause()

    app = make_app("proton", lang, "profile.toml", given=_staffed(), cursor_blink=False)
    assert snap_compare(app, run_before=run_before, terminal_size=(120, 36))
