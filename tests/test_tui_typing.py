"""The chat interview typed in a hurry: nothing is recorded that the person did not submit.

Keys go to the answer box; a list option is chosen only by Enter on it or a click; what was
typed for a question is answered or refused as a whole, and each new question starts with
an empty box. Every test ends by asserting the exact profile saved on disk.
"""

from __future__ import annotations

import asyncio
import functools
import time
import tomllib

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_typed_answers import MISSING, full_pet_ct
from textual import events

from assistant.tui.app import make_app
from assistant.tui.widgets.bubbles import Bubble

SIZE = (100, 32)


def aio(test):
    @functools.wraps(test)
    def run(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return run


async def settle(pilot, predicate, what: str, turns: int = 400) -> None:
    """Wait until ``predicate()`` holds and the answer box is ready for typing (the question
    is on the screen: keys typed before that are dropped, on purpose)."""
    box = pilot.app.query_one("#answer")
    deadline = time.monotonic() + 30.0  # turns and seconds both: a loaded machine is slow
    n = 0
    while n < turns or time.monotonic() < deadline:
        if predicate() and not box.waiting:
            return
        await pilot.pause()
        n += 1
    raise AssertionError(f"timed out waiting for {what}")


def post_keys(app, *keys: str) -> None:
    """Keys as a fast typist sends them: queued at once, no waiting in between."""
    for key in keys:
        char = " " if key == "space" else key if len(key) == 1 else None
        event = events.Key(key, char)
        event.set_sender(app)
        app.post_message(event)


def profile(path, answers: dict) -> None:
    doc: dict = {"schema_version": 1, "equipment": "pet_ct", "institution": {}, "pet_ct": {}}
    for key, value in answers.items():
        ns, name = key.split(".", 1)
        doc[ns][name] = value
    path.write_text(tomli_w.dumps(doc), "utf-8")


def saved(path) -> dict:
    data = tomllib.loads(path.read_text("utf-8"))
    return {f"{ns}.{k}": v for ns in ("institution", "pet_ct") for k, v in data.get(ns, {}).items()}


def warnings(app) -> list[str]:
    return [b.text.plain for b in app.query(Bubble) if b.has_class("warning")]


def resumed(tmp_path, drop: tuple[str, ...], **extra):
    given = {k: v for k, v in full_pet_ct().items() if k not in drop}
    given.update(extra)
    path = tmp_path / "p.toml"
    profile(path, given)
    app = make_app("pet_ct", "zh", str(path), given=given, cursor_blink=False)
    return app, path, given


@aio
async def test_ten_and_enter_at_a_yes_no_question_is_refused_whole(tmp_path):
    app, path, given = resumed(tmp_path, MISSING)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: app.step and app.step.key == MISSING[0], "the years question")
        await pilot.press("3", "enter")
        await settle(pilot, lambda: app.step.key == "pet_ct.spect_experience", "the SPECT question")
        await pilot.press("1", "0", "enter")
        await settle(pilot, lambda: warnings(app), "the refusal")
        assert "10" in warnings(app)[-1]
        assert app.step.key == "pet_ct.spect_experience"
        assert app.query_one("#answer").value == ""
        assert saved(path) == {**given, "pet_ct.nuclear_medicine_years": 3}
        await pilot.press("是", "enter")
        await settle(pilot, lambda: app.step.key == "pet_ct.senior_physicians", "the staff question")
        await pilot.press("4", "enter")
        await settle(pilot, lambda: app.step is None, "the end")
    assert saved(path) == {
        **given,
        "pet_ct.nuclear_medicine_years": 3,
        "pet_ct.spect_experience": True,
        "pet_ct.senior_physicians": 4,
    }


@aio
async def test_slices_typed_at_a_choice_question_are_refused_whole(tmp_path):
    extra = {"institution.designations": [], "institution.kind": "general"}
    app, path, given = resumed(tmp_path, ("institution.grade",), **extra)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: app.step and app.step.key == "institution.grade", "the grade")
        for key in "128 slices":
            await pilot.press("space" if key == " " else key)
        await pilot.press("enter")
        await settle(pilot, lambda: warnings(app), "the refusal")
        assert app.step.key == "institution.grade"
        assert saved(path) == given
        await pilot.press("3", "enter")  # grades are numbered so that 3 is 三级
        await settle(pilot, lambda: "institution.grade" in app.session.iv.answers, "the grade answer")
    assert saved(path) == {**given, "institution.grade": "tertiary"}


@aio
async def test_one_space_three_at_a_multi_select_ticks_both(tmp_path):
    app, path, given = resumed(tmp_path, ("institution.designations",))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: app.step and app.step.key == "institution.designations", "designations")
        await pilot.press("1", "space", "3", "enter")
        await settle(pilot, lambda: "institution.designations" in app.session.iv.answers, "the answer")
        user = [b.text.plain for b in app.query(Bubble) if b.has_class("user")]
        assert user[-1].endswith("→ 国家医学中心、省级医学中心")
    assert saved(path) == {
        **given,
        "institution.designations": ["national_medical_center", "provincial_medical_center"],
    }


@aio
async def test_digits_typed_during_the_move_to_the_next_question_never_land_in_it(tmp_path):
    app, path, given = resumed(tmp_path, MISSING)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: app.step and app.step.key == MISSING[0], "the years question")
        post_keys(app, "3", "enter", "1", "0", "enter")
        await settle(pilot, lambda: app.step.key == "pet_ct.spect_experience", "the SPECT question")
        for _ in range(20):
            await pilot.pause()
        assert app.query_one("#answer").value == ""
        assert app.step.key == "pet_ct.spect_experience"
    assert saved(path) == {**given, "pet_ct.nuclear_medicine_years": 3}


@aio
async def test_enter_on_an_empty_box_never_picks_a_default(tmp_path):
    app, path, given = resumed(tmp_path, MISSING)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: app.step and app.step.key == MISSING[0], "the years question")
        await pilot.press("3", "enter")
        await settle(pilot, lambda: app.step.key == "pet_ct.spect_experience", "the SPECT question")
        await pilot.press("enter")
        await settle(pilot, lambda: warnings(app), "the refusal")
        assert app.step.key == "pet_ct.spect_experience"
        # An option is picked when the person moves to it and presses Enter on it.
        await pilot.press("down")
        # The box keeps the keys; the list's highlight moved to its first option.
        assert app.focused is app.query_one("#answer")
        assert app.query_one("#choices").highlighted == 0
        await pilot.press("down", "enter")
        await settle(pilot, lambda: "pet_ct.spect_experience" in app.session.iv.answers, "the pick")
    assert saved(path) == {**given, "pet_ct.nuclear_medicine_years": 3, "pet_ct.spect_experience": False}


@aio
async def test_ticked_options_show_it_as_text_and_enter_confirms_them(tmp_path):
    app, path, given = resumed(tmp_path, ("pet_ct.departments",))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: app.step and app.step.key == "pet_ct.departments", "departments")
        await pilot.press("down")
        sets = app.query_one("#set-choices")
        assert app.focused is app.query_one("#answer") and sets.highlighted == 0
        await pilot.press("space", "down", "down", "space")
        lines = [str(sets.get_option_at_index(i).prompt) for i in range(sets.option_count)]
        assert [line[2:5] for line in lines] == ["[x]", "[ ]", "[x]", "[ ]", "[ ]", "[ ]"]
        assert [line[:1] for line in lines] == [" ", " ", ">", " ", " ", " "]  # where Space acts
        await pilot.press("enter")
        await settle(pilot, lambda: "pet_ct.departments" in app.session.iv.answers, "the answer")
    assert saved(path) == {**given, "pet_ct.departments": ["nuclear_medicine", "imaging"]}


@aio
async def test_a_click_on_an_option_picks_it(tmp_path):
    app, path, given = resumed(tmp_path, ("institution.ownership", "institution.designations"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: app.step and app.step.key == "institution.ownership", "ownership")
        # The second option is on the second line inside the list's border.
        await pilot.click("#choices", offset=(4, 2))
        await settle(pilot, lambda: "institution.ownership" in app.session.iv.answers, "the click")
    assert saved(path) == {**given, "institution.ownership": "non_public"}


@aio
async def test_a_finished_interview_quits_with_checks_exit_code(tmp_path):
    app, path, given = resumed(tmp_path, ("pet_ct.senior_physicians",))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: app.step and app.step.key == "pet_ct.senior_physicians", "the staff")
        await pilot.press("0", "enter")  # (三)1 needs senior physicians: not compliant
        await settle(pilot, lambda: app.finished, "the end")
        await pilot.press("ctrl+q")
    assert app.return_value == 1
    assert saved(path) == {**given, "pet_ct.senior_physicians": 0}


# --- any keystrokes ----------------------------------------------------------------------------

# No arrow keys: with them Enter may pick a highlighted option, which is an answer too.
KEYS = st.lists(
    st.sampled_from(["1", "0", "3", "是", "否", "n", "space", "enter", "enter", "pause"]), max_size=14
)


@given(keys=KEYS)
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
def test_whatever_is_typed_only_whole_submitted_lines_are_recorded(tmp_path_factory, keys):
    """Keys in bursts, at any moment: every answer recorded is one line the person typed and
    submitted with Enter (never a line glued to the next), read exactly as the parser reads it."""
    submitted: list[tuple[str, str]] = []

    async def run() -> dict:
        app, path, given = resumed(tmp_path_factory.mktemp("keys"), MISSING)
        async with app.run_test(size=SIZE) as pilot:
            chat = app.screen
            original = chat.answer_text

            def spy(text, reading):
                submitted.append((chat.step.key, text))
                original(text, reading)

            chat.answer_text = spy
            await settle(pilot, lambda: app.step and app.step.key == MISSING[0], "the first question")
            burst: list[str] = []
            for key in [*keys, "pause"]:
                if key == "pause":
                    post_keys(app, *burst)
                    burst = []
                    for _ in range(5):
                        await pilot.pause()
                else:
                    burst.append(key)
            for _ in range(20):
                await pilot.pause()
            return dict(app.session.iv.answers), app.session.iv

    answers, iv = asyncio.run(run())
    typed = "".join(" " if k == "space" else "\n" if k == "enter" else k for k in keys if k != "pause")
    lines = typed.split("\n")
    for _, text in submitted:
        # A whole line, or its end when its first keys came while the question was still being
        # put up (those are dropped); never a line glued to the next.
        assert any(line.endswith(text) for line in lines), (text, lines)
    for key in MISSING:
        if key in answers:
            readings = [iv.read(_step(iv, key), t) for k, t in submitted if k == key]
            assert any(r.accepted and r.value == answers[key] for r in readings), (
                key,
                answers[key],
                submitted,
            )


def _step(iv, key):
    from assistant.interview.engine import Step

    q = iv.by_key[key]
    return Step(key, q, q.fact)


@aio
async def test_editing_keys_typed_in_a_burst_apply_in_the_order_typed(tmp_path):
    """Backspace, the arrows and Ctrl+U are the box's own keys; as bindings they ran only after
    every character already queued: "1 0 ⌫ 2" typed fast left "10" and recorded 10, not 12."""
    app, path, given = resumed(tmp_path, MISSING)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: app.step and app.step.key == MISSING[0], "the years question")
        post_keys(app, "1", "0", "backspace", "2", "enter")
        await settle(pilot, lambda: MISSING[0] in app.session.iv.answers, "the years")
        assert app.session.iv.answers[MISSING[0]] == 12
        await settle(pilot, lambda: app.step.key == "pet_ct.spect_experience", "the next question")
        post_keys(app, "n", "o", "ctrl+u", "y", "e", "s", "left", "left", "left", "enter")
        await settle(pilot, lambda: "pet_ct.spect_experience" in app.session.iv.answers, "yes")
        assert app.session.iv.answers["pet_ct.spect_experience"] is True
    assert saved(path)[MISSING[0]] == 12
