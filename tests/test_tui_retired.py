"""The chat's side of two warnings the line mode already gives: a resumed profile holding
answers to retired facts is told so and offered their removal (yes removes them from the saved
file, keeping its comments; no keeps them), and an edit that puts one person in two counted
roles is said (kept all the same), in Chinese and in English."""

from __future__ import annotations

import sys
import tomllib

import pytest
from test_tui import aio, bubbles, settle, type_text, where  # noqa: F401

from assistant.cli.interview import _load_given
from assistant.tui.app import make_app
from assistant.tui.screens.retired import RetiredScreen

SIZE = (100, 32)
RETIRED = (
    '# notes\nschema_version = 1\nequipment = "proton"\n[institution]\nname = "甲医院"\n'
    "[proton]\nbase_meets_specification = false  # answered under the earlier reading\nimrt_years = 12\n"
)


async def offered(pilot, app, path, lang: str) -> RetiredScreen:
    await settle(pilot, lambda: isinstance(app.screen, RetiredScreen), "the offer")
    said = bubbles(app, "warning")
    assert any("proton.base_meets_specification" in w for w in said), said
    assert any(("已停用" in w) if lang == "zh" else ("is retired" in w) for w in said), said
    assert app.step is None  # nothing asked before the offer is answered
    return app.screen


def open_app(path, lang: str):
    _, given = _load_given(str(path))
    return make_app("proton", lang, str(path), given=given, cursor_blink=False)


@pytest.mark.parametrize("lang,yes", [("zh", "是"), ("en", "yes"), ("zh", "ｙｅｓ"), ("en", "Y")])
@aio
async def test_yes_removes_retired_answers_from_the_file_keeping_its_comments(where, lang, yes):  # noqa: F811
    path = where / "p.toml"
    path.write_text(RETIRED, "utf-8")
    app = open_app(path, lang)
    async with app.run_test(size=SIZE) as pilot:
        await offered(pilot, app, path, lang)
        app.type_into_input(yes)
        await pilot.press("enter")
        await settle(pilot, lambda: app.step is not None, "the first question after the offer")
        text = path.read_text("utf-8")
        assert "base_meets_specification" not in text
        assert "# notes" in text and "imrt_years = 12" in text
        assert "proton.base_meets_specification" not in app.session.iv.answers
        assert any("proton.base_meets_specification" in n for n in bubbles(app, "note"))
        await pilot.press("ctrl+q")
    assert "base_meets_specification" not in path.read_text("utf-8")


@pytest.mark.parametrize("lang,no", [("zh", "否"), ("en", "no"), ("zh", "ｎｏ"), ("en", "escape")])
@aio
async def test_no_keeps_retired_answers_in_the_file(where, lang, no):  # noqa: F811
    path = where / "p.toml"
    path.write_text(RETIRED, "utf-8")
    app = open_app(path, lang)
    async with app.run_test(size=SIZE) as pilot:
        await offered(pilot, app, path, lang)
        if no == "escape":
            await pilot.press("escape")
        else:
            app.type_into_input(no)
            await pilot.press("enter")
        await settle(pilot, lambda: app.step is not None, "the first question after the offer")
        assert app.session.iv.answers["proton.base_meets_specification"] is False
        await type_text(pilot, "2")  # an answer is saved: the retired one with it
        await pilot.press("ctrl+q")
    assert tomllib.loads(path.read_text("utf-8"))["proton"]["base_meets_specification"] is False


@pytest.mark.parametrize("typed", ["maybe", "1"])
@aio
async def test_an_unreadable_reply_to_the_offer_is_said_and_asked_again(where, typed):  # noqa: F811
    # A number is no answer to yes or no, here as at every yes/no question of the chat.
    path = where / "p.toml"
    path.write_text(RETIRED, "utf-8")
    app = open_app(path, "en")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await offered(pilot, app, path, "en")
        app.type_into_input(typed)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog
        assert "✗" in str(dialog.query_one("#retired-error").render())
        assert "base_meets_specification" in path.read_text("utf-8")


@aio
async def test_a_profile_without_retired_answers_is_not_offered_anything(where):  # noqa: F811
    path = where / "p.toml"
    path.write_text(
        RETIRED.replace("base_meets_specification = false  # answered under the earlier reading\n", "")
    )
    app = open_app(path, "zh")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: app.step is not None, "the first question")
        assert not isinstance(app.screen, RetiredScreen)


TWO = (
    'schema_version = 1\nequipment = "proton"\n[institution]\nname = "甲医院"\n'
    '[[proton.clinical_staff]]\nname = "张伟"\nrole = "physician"\n'
    '[[proton.clinical_staff]]\nname = "李娜"\nrole = "physicist"\n'
)


@pytest.mark.parametrize("lang,word", [("zh", "两个岗位"), ("en", "both roles")])
@aio
async def test_an_edit_putting_one_person_in_two_roles_is_warned_and_kept(where, lang, word):  # noqa: F811
    from assistant.tui.screens.review import EditScreen

    path = where / "p.toml"
    path.write_text(TWO, "utf-8")
    app = open_app(path, lang)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: app.step is not None, "the first question")
        await type_text(pilot, ("修改 " if lang == "zh" else "edit ") + "proton.clinical_staff[1].name")
        await settle(pilot, lambda: isinstance(app.screen, EditScreen), "the edit dialog")
        app.type_into_input("张伟")
        await pilot.press("enter")
        await settle(pilot, lambda: not isinstance(app.screen, EditScreen), "the dialog closed")
        await settle(pilot, lambda: any(word in w for w in bubbles(app, "warning")), "the warning")
        assert app.session.iv.answers["proton.clinical_staff"][1]["name"] == "张伟"
        await pilot.press("ctrl+q")
    assert path.read_text("utf-8").count('name = "张伟"') == 2


@aio
async def test_an_edit_breaking_no_relation_says_no_warning(where):  # noqa: F811
    from assistant.tui.screens.review import EditScreen

    path = where / "p.toml"
    path.write_text(TWO, "utf-8")
    app = open_app(path, "en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: app.step is not None, "the first question")
        await type_text(pilot, "edit proton.clinical_staff[1].name")
        await settle(pilot, lambda: isinstance(app.screen, EditScreen), "the edit dialog")
        app.type_into_input("王芳")
        await pilot.press("enter")
        await settle(
            pilot, lambda: app.session.iv.answers["proton.clinical_staff"][1]["name"] == "王芳", "edit"
        )
        await pilot.pause()
        assert not bubbles(app, "warning")


def test_the_offer_typed_into_a_real_terminal_removes_the_answer(tmp_path):
    """At 80×24, through the pty: the offer is on the screen, 是 typed in UTF-8 and Enter
    remove the answer from the file, whose comment stays."""
    if sys.platform == "win32":  # pragma: no cover
        pytest.skip("pseudo-terminals are POSIX")
    from ptyterm import Terminal

    path = tmp_path / "p.toml"
    path.write_text(RETIRED, "utf-8")
    with Terminal(["interview", "--lang", "zh", "--resume", str(path)], size=(80, 24), cwd=tmp_path) as term:
        term.show("已停用的回答")
        term.show("proton.base_meets_specification")
        term.type("是")
        term.send("enter")
        term.wait(lambda: "base_meets_specification" not in path.read_text("utf-8"), "the answer removed")
        term.show("已从文件中删除")
        term.send("ctrl+q")
        assert term.exit_code() == 3
    text = path.read_text("utf-8")
    assert "# notes" in text and "imrt_years = 12" in text
