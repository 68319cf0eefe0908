"""The answer lists lie over the bottom of the chat (widgets/choices.py: ``Conversation``).

A list appearing, going or changing length must not change the chat's size (that is what
made a turn take two layouts and two frames), and must never hide the question it belongs
to: the question ends above the list, and the list is tall enough for its options, wrapped
ones included, up to its limit.
"""

from __future__ import annotations

import pytest
from test_tui import aio, settle, type_text

from assistant.interview.engine import ADD
from assistant.tui.app import make_app
from assistant.tui.widgets.bubbles import QuestionBubble
from assistant.tui.widgets.choices import LIST_ROWS, ChoiceList


def typed(fact, people: int) -> str:
    """The first option, yes, a number, a name (each person's own); two people on the roster."""
    if fact.key == ADD:
        return "yes" if people < 2 else "no"
    if fact.type == "bool":
        return "yes"
    if fact.type in ("choice", "set"):
        return "1"
    if fact.type == "int":
        return str(min(fact.max, max(fact.min, 12)))
    # A name: the second person another one (one name twice in one role is refused).
    return "Example" if people < 2 else f"Example {people}"


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=lambda s: f"{s[0]}x{s[1]}")
@aio
async def test_a_list_never_resizes_the_chat_nor_hides_its_question(tmp_path, size):
    app = make_app("proton", "en", str(tmp_path / "p.toml"), cursor_blink=False)
    async with app.run_test(size=size) as pilot:
        chat = app.query_one("#chat")
        await settle(pilot, lambda: chat.size.height > 0, "the chat laid out")
        height = chat.size.height
        kinds = set()
        wrapped = False
        for _ in range(40):
            step = app.step
            if step is None:
                break
            bubble = app.query(QuestionBubble).last()
            await settle(pilot, lambda b=bubble: b.region.height > 0, "the question on screen")
            shown = [lst for lst in app.query(ChoiceList) if lst.display]
            kinds.add(step.fact.type if shown else "none")
            assert chat.size.height == height, f"the chat changed size at {step.key}"
            if shown:
                (lst,) = shown
                await settle(pilot, lambda lst=lst: lst.region.height == lst.styles.height.value, "the list")
                assert bubble.region.bottom <= lst.region.y, f"{step.key}: the question is under its list"
                if lst.region.height < LIST_ROWS:
                    # Every option in view: no scrolling needed in a list shorter than its limit.
                    assert lst.max_scroll_y == 0, f"{step.key}: options cut off"
                    wrapped |= lst.region.height > lst.option_count + 2
            people = len(app.session.iv.answers.get(step.roster) or []) if step.roster else 0
            before = len(app.session.iv.history)
            await type_text(pilot, typed(step.fact, people))
            await settle(pilot, lambda n=before: len(app.session.iv.history) > n, f"an answer to {step.key}")
        # The walk met each kind of list, and no list at all.
        assert {"none", "bool", "choice", "set"} <= kinds
        if size[0] == 80:
            assert wrapped  # long English options take two rows in 80 columns


@aio
async def test_the_list_fits_again_when_the_terminal_narrows(tmp_path):
    app = make_app("proton", "en", str(tmp_path / "p.toml"), cursor_blink=False)
    async with app.run_test(size=(160, 40)) as pilot:
        await type_text(pilot, "Example")
        await type_text(pilot, "yes")  # newly built: next, the kind, with long options
        await settle(pilot, lambda: app.step.key == "institution.kind", "the kind of institution")
        lst = app.query_one("#choices", ChoiceList)
        await settle(pilot, lambda: lst.region.height == lst.option_count + 2, "one row per option")
        await pilot.resize_terminal(80, 24)
        await settle(pilot, lambda: lst.region.height > lst.option_count + 2, "wrapped options")
        await settle(pilot, lambda: lst.max_scroll_y == 0, "every option in view")
        bubble = app.query(QuestionBubble).last()
        assert bubble.region.bottom <= lst.region.y
