"""Under zh the chat shows Chinese only, with full-width punctuation after Chinese labels; F1
names every way to change answers; the palette's commands are in the interview's language."""

from __future__ import annotations

import re

import pytest
from test_tui import aio, bubbles, screen_text, settle, type_text
from test_tui_pty import proton

from assistant.cli.interview import _load_given
from assistant.tui.app import make_app
from assistant.tui.screens.report import ReportScreen

SIZE = (120, 36)


@aio
async def test_the_report_in_chinese_names_roles_in_chinese_with_full_width_colons(tmp_path):
    path = proton(tmp_path)
    _, given = _load_given(str(path))
    app = make_app("proton", "zh", str(path), given=given, cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, ReportScreen), "the report")
        screen = app.screen
        summary = screen.summary().plain
        assert "规则集：" in summary and "总体结论：" in summary
        assert not re.search(r"[\u4e00-\u9fff]: ", summary), summary
        people = screen.people().plain
        assert "张医生（放射治疗医师）：" in people, people
        assert "physician" not in people and "(" not in people


@pytest.mark.parametrize("lang", ["zh", "en"])
@aio
async def test_f1_names_edit_staff_their_keys_and_the_palette(tmp_path, lang):
    app = make_app("pet_ct", lang, str(tmp_path / "p.toml"), cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "某医院")
        await pilot.press("f1")
        await settle(pilot, lambda: len(bubbles(app, "assistant")) >= 3, "the help")
        said = bubbles(app, "assistant")[-2]
        for wanted in ("F2", "F3", "Ctrl+P") + (
            ("修改", "人员", "命令面板") if lang == "zh" else ("edit", "staff", "palette")
        ):
            assert wanted in said, wanted


@aio
async def test_the_palette_lists_only_chinese_commands_under_zh(tmp_path):
    app = make_app("pet_ct", "zh", str(tmp_path / "p.toml"), cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "某医院")
        commands = list(app.get_system_commands(app.screen))
        titles = [c.title for c in commands if c.discover]
        helps = [c.help for c in commands if c.discover]
        assert titles
        for text in titles + helps:
            # Key names (Ctrl+S, F1, SVG) may be Latin; words may not.
            words = re.findall(r"[A-Za-z]{3,}", text.replace("English", "").replace("Textual", ""))
            assert not [w for w in words if w not in ("Ctrl", "SVG")], text
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert "Search" not in screen_text(app)


@aio
async def test_enter_twice_in_the_palette_runs_its_command_once_and_never_crashes(tmp_path):
    """Found by the keystroke property: the second Enter reached the palette after it had
    chosen; Textual dismissed it again (closing the chat under it, or failing on the last
    screen) and ran the command a second time."""
    from test_tui_keys import post

    app = make_app("pet_ct", "en", str(tmp_path / "p.toml"), cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "Some Hospital")
        for _ in range(3):
            await pilot.press("ctrl+p")
            await settle(pilot, lambda: type(app.screen).__name__ == "Palette", "the palette")
            post(app, list("English"))  # the language command, in either language
            palette = app.screen
            await settle(pilot, lambda p=palette: p.query_one("CommandList").option_count > 0, "the search")
            post(app, ["enter", "enter", "enter"])
            await settle(pilot, lambda: type(app.screen).__name__ == "ChatScreen", "the chat again")
            for _ in range(10):
                await pilot.pause()
        # Three palettes, three switches: zh, en, zh (never two in one palette).
        assert app.lang == "zh"
        assert len(app.screen_stack) == 1


@aio
async def test_a_palette_command_runs_once_per_palette(tmp_path):
    app = make_app("pet_ct", "en", str(tmp_path / "p.toml"), cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "Some Hospital")
        switch = next(c for c in app.get_system_commands(app.screen) if "English" in c.title)
        switch.callback()
        switch.callback()  # the same palette's command again: nothing
        assert app.lang == "zh"
        app.action_command_palette()  # a new palette: its command runs
        await pilot.pause()
        again = next(c for c in app.get_system_commands(app.screen) if "English" in c.title)
        again.callback()
        assert app.lang == "en"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_report_and_the_clause_dialog_say_a_shortfall_once(lang):
    """A new proton institution that does not integrate care, research and teaching: the
    reason names the facts that made the clause apply and then the shortfall, which the
    screens used to repeat on a line of its own."""
    from conftest import EXAMPLES

    from assistant.core.evaluate import evaluate
    from assistant.core.profile.document import load
    from assistant.reports.report import build
    from assistant.tui.screens.clause import ClauseScreen
    from assistant.tui.widgets.rule_card import RuleCard

    text = (EXAMPLES / "proton_existing_tertiary.toml").read_text("utf-8")
    text = text.replace("new_build = false", "new_build = true").replace(
        "integrates_care_research_teaching = true", "integrates_care_research_teaching = false"
    )
    profile, rs = load(text.encode("utf-8"), "p.toml")
    ev = evaluate(rs, profile.equipment, profile.answers, say=True)
    result = next(r for r in ev.results if r.rule.id == "proton/1.3")
    assert result.status == "not_met" and result.shortfall
    gap = result.shortfall[0].get(lang)
    assert gap in result.reason.get(lang)  # the case: the reason holds the shortfall
    item = next(i for i in build(profile, rs, ev, lang)["rules"] if i["id"] == "proton/1.3")
    card = RuleCard.render_item(item, lang).plain
    dialog = ClauseScreen(result, rs, lang).body().plain
    for shown in (card, dialog):
        assert shown.count(gap) == 1, shown
        new_build = "新建医疗机构：是" if lang == "zh" else "Newly built institution: yes"
        assert shown.count(new_build) <= 1, shown
