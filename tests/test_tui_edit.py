"""Changing any answer and the staff at any time in the chat: the review screen, ``修改 KEY``
typed in the chat, a click on an earlier answer, the roster screen; after ``--resume`` and
after finishing; ``back`` after an edit; the command palette's commands."""

from __future__ import annotations

import copy

import pytest
import test_tui
from test_interview_edit import STAFF, finished_proton
from test_tui import aio, bubbles, settle, type_text

from assistant.tui.app import make_app
from assistant.tui.screens.review import EditScreen, ReviewScreen
from assistant.tui.screens.roster import RosterScreen
from assistant.tui.widgets.bubbles import QuestionBubble

SIZE = (120, 36)
folder = pytest.fixture(test_tui.where.__wrapped__, name="folder")  # profiles on a RAM disk


def done_proton() -> dict:
    answers = copy.deepcopy(finished_proton().answers)
    for person, name in zip(answers[STAFF], ("甲医生", "乙医生"), strict=True):
        person["name"] = name
    return answers


async def finish_resumed(pilot, app) -> None:
    """A resumed roster that does not yet meet its clauses offers "add another?": no."""
    await settle(pilot, lambda: app.step is not None or app.finished, "the first question")
    if app.step is not None:
        assert app.step.key == f"{STAFF}.add"
        await type_text(pilot, "否")
    await settle(pilot, lambda: app.finished, "the finished interview")
    while len(app.screen_stack) > 1:  # the report opens when everything is answered
        app.pop_screen()
    await pilot.pause()


async def in_dialog(pilot, text: str) -> None:
    """Type into the answer box of the dialog on top and press Enter."""
    pilot.app.type_into_input(text)
    await pilot.press("enter")


async def open_edit_through_review(pilot, app, key: str) -> EditScreen:
    await pilot.press("f2")
    await settle(pilot, lambda: isinstance(app.screen, ReviewScreen), "the review screen")
    review = app.screen
    index = next(
        i for i in range(review.options.option_count) if review.options.get_option_at_index(i).id == key
    )
    review.options.highlighted = index
    await pilot.press("enter")
    await settle(pilot, lambda: isinstance(app.screen, EditScreen), "the edit dialog")
    return app.screen


@aio
async def test_edit_an_early_answer_of_a_finished_proton_interview_through_the_review(folder):
    given = done_proton()
    app = make_app("proton", "zh", str(folder / "p.toml"), given=given, cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await finish_resumed(pilot, app)
        before = len(app.query(QuestionBubble))
        edit = await open_edit_through_review(pilot, app, "institution.new_build")
        assert edit.step.key == "institution.new_build"
        await pilot.press("是")  # a new-build institution
        await pilot.press("enter")
        await settle(pilot, lambda: app.session.iv.answers["institution.new_build"] is True, "the edit")
        iv = app.session.iv
        # Every other answer is kept: in use, or set aside as no longer needed.
        for key, value in given.items():
            if key == "institution.new_build":
                continue
            assert iv.answers.get(key, iv.kept.get(key)) == value, key
        assert iv.kept, "a new build is waived some clauses: their answers are set aside"
        # Nothing answered is asked again; only questions the edit opened are.
        await pilot.pause()
        new = [b.step.key for b in list(app.query(QuestionBubble))[before:]]
        assert not set(new) & set(given)
        # The review lists the set-aside answers as not used.
        await pilot.press("f2")
        await settle(pilot, lambda: isinstance(app.screen, ReviewScreen), "the review")
        unused = [it.key for it in app.screen.items if not it.used]
        assert sorted(unused) == sorted(iv.kept)
        await pilot.press("escape")
        # back undoes the edit: every answer in use again.
        await pilot.press("ctrl+b")
        await settle(pilot, lambda: iv.answers["institution.new_build"] is False, "back")
        assert iv.answers == given and iv.kept == {}


@aio
async def test_edit_key_typed_in_the_chat_and_a_click_on_an_earlier_answer(folder):
    app = make_app("pet_ct", "en", str(folder / "p.toml"), cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "First Hospital")
        await settle(pilot, lambda: app.step.key == "institution.new_build", "the second question")
        await type_text(pilot, "edit institution.name")
        await settle(pilot, lambda: isinstance(app.screen, EditScreen), "the edit dialog")
        app.screen.query_one("#edit-input").value = "Second Hospital"
        await pilot.press("enter")
        await settle(
            pilot, lambda: app.session.iv.answers["institution.name"] == "Second Hospital", "the edit"
        )
        # The question being asked is still the same one; it is not asked twice in a row.
        assert app.step.key == "institution.new_build"
        await type_text(pilot, "no")
        await settle(pilot, lambda: app.step.key != "institution.new_build", "the answer")
        # Click the earlier "no": it opens the same dialog for that answer.
        answer = next(
            b for b in app.chat.query(".user") if getattr(b, "answer_key", None) == "institution.new_build"
        )
        await pilot.click(answer)
        await settle(pilot, lambda: isinstance(app.screen, EditScreen), "the edit dialog from a click")
        assert app.screen.step.key == "institution.new_build"
        await pilot.press("y", "e", "s")
        await pilot.press("enter")
        await settle(pilot, lambda: app.session.iv.answers["institution.new_build"] is True, "the click edit")
        # By a unique part of the label too.
        await type_text(pilot, "edit no such answer at all")
        await settle(
            pilot,
            lambda: "No answer matches" in bubbles(app, "warning")[-1] if bubbles(app, "warning") else False,
            "the warning",
        )


@aio
async def test_staff_added_and_removed_after_resume_and_after_finishing(folder):
    given = done_proton()
    names = [p["name"] for p in given[STAFF]]
    app = make_app("proton", "zh", str(folder / "p.toml"), given=given, cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await finish_resumed(pilot, app)
        await type_text(pilot, "人员")
        await settle(pilot, lambda: isinstance(app.screen, RosterScreen), "the roster")
        await in_dialog(pilot, "添加")
        await settle(
            pilot, lambda: app.step is not None and app.step.key == f"{STAFF}[{len(names)}].role", "role"
        )
        await type_text(pilot, "1")  # 放射治疗医师
        await settle(pilot, lambda: app.step.key == f"{STAFF}[{len(names)}].name", "name")
        await type_text(pilot, "新医生")
        await settle(pilot, lambda: app.step.key != f"{STAFF}[{len(names)}].name", "the next question")
        # Only what decides this person's qualification is asked, then "add another?".
        while app.step is not None and app.step.fact.key != "add":
            assert app.step.key.startswith(f"{STAFF}[{len(names)}].")
            await pilot.press("ctrl+n")
            await pilot.pause()
        assert [p["name"] for p in app.session.iv.answers[STAFF]] == [*names, "新医生"]
        await type_text(pilot, "否")  # no more people
        await settle(pilot, lambda: app.finished, "finished again")
        while len(app.screen_stack) > 1:
            app.pop_screen()
        await pilot.pause()
        await pilot.press("f3")
        await settle(pilot, lambda: isinstance(app.screen, RosterScreen), "the roster")
        await in_dialog(pilot, "删除 1")  # the first person
        await settle(pilot, lambda: len(app.session.iv.answers[STAFF]) == len(names), "removal")
        assert [p["name"] for p in app.session.iv.answers[STAFF]] == [*names[1:], "新医生"]
    saved = (folder / "p.toml").read_text("utf-8")
    assert "新医生" in saved and names[0] not in saved


@aio
async def test_the_command_palette_offers_medequips_commands(folder):
    app = make_app("pet_ct", "en", str(folder / "p.toml"), cursor_blink=False)
    async with app.run_test(size=SIZE):
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for wanted in (
            "Review and change any answer",
            "Staff roster",
            "Assessment report",
            "Save as",
            "Switch language",
            "Change theme",
            "High-contrast",
        ):
            assert any(wanted in title for title in titles), wanted
        app.action_high_contrast()
        assert app.theme == "medequip-high-contrast"
        app.action_switch_language()
        assert app.lang == "zh"


@aio
async def test_a_long_conversation_keeps_few_widgets_and_every_turn_readable(folder):
    from assistant.tui.widgets.bubbles import Bubble
    from assistant.tui.widgets.earlier import BLOCK, LIVE, EarlierTurns

    app = make_app("pet_ct", "en", str(folder / "p.toml"), cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "Turn zero hospital")
        for i in range(1, 150):
            app.chat.say(f"turn {i}")
            if i % 10 == 0:
                app.chat.flush_chat()
                await pilot.pause()
        await type_text(pilot, "no")
        await settle(pilot, lambda: app.step.key != "institution.new_build", "the answer")
        chat = app.chat.query_one("#chat")
        assert len([w for w in chat.children if isinstance(w, Bubble)]) <= LIVE + BLOCK
        folded = "\n".join(w.text.plain for w in chat.children if isinstance(w, EarlierTurns))
        # The oldest turns are still there, in order, as text.
        assert "Turn zero hospital" in folded
        assert folded.index("turn 1\n") < folded.index("turn 50\n")
