"""The chat's side of autosave and resume: an editor changing the profile between two answers
(merged, or a dialog asks which to keep), a hand edit that breaks the file (never
overwritten), a resumed complete profile (finished at once, quitting with check's code), and
set-aside answers kept in the file and shown by the report."""

from __future__ import annotations

import shutil
import tomllib

import pytest
import test_tui
from cli_helpers import EXAMPLES, run
from test_tui import aio, bubbles, settle, type_text

from assistant.cli.interview import _load_given
from assistant.core.io import exitcodes
from assistant.tui.app import make_app
from assistant.tui.screens.conflict import ConflictScreen

SIZE = (120, 36)
folder = pytest.fixture(test_tui.where.__wrapped__, name="folder")


async def started(pilot, app) -> None:
    """Name and new-build answered; the ownership question is up."""
    await type_text(pilot, "甲医院")
    await settle(pilot, lambda: app.step is not None and app.step.key == "institution.new_build", "q2")
    await type_text(pilot, "否")
    await settle(pilot, lambda: app.step is not None and app.step.key == "institution.ownership", "q3")


@aio
async def test_an_editors_key_is_merged_and_a_conflict_is_asked_in_a_dialog(folder):
    path = folder / "iv.toml"
    app = make_app("pet_ct", "zh", str(path), cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        # An editor appends a key with a comment, and changes the name.
        text = path.read_text("utf-8").replace('name = "甲医院"', 'name = "乙医院"  # licence')
        path.write_text(text + "\n[pet_ct]\nsenior_physicians = 5  # added\n", "utf-8")
        await type_text(pilot, "1")  # no conflict yet: this session did not change the name
        await settle(pilot, lambda: "senior_physicians = 5  # added" in path.read_text("utf-8"), "merge")
        saved = tomllib.loads(path.read_text("utf-8"))
        assert saved["institution"]["name"] == "乙医院"  # theirs: this session left it as it was
        assert app.session.iv.answers["institution.name"] == "乙医院"
        assert any("pet_ct.senior_physicians" in b for b in bubbles(app, "note"))
        # Now both change the name: the dialog asks; 1 keeps this session's.
        await pilot.pause()
        path.write_text(path.read_text("utf-8").replace("乙医院", "丙医院"), "utf-8")
        await type_text(pilot, "修改 institution.name")
        await settle(pilot, lambda: app.screen.__class__.__name__ == "EditScreen", "the edit dialog")
        app.screen.query_one("#edit-input").value = "丁医院"
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, ConflictScreen), "the conflict dialog")
        assert "丙医院" in path.read_text("utf-8")  # nothing written before the choice
        await pilot.press("1")
        await settle(pilot, lambda: not isinstance(app.screen, ConflictScreen), "the choice")
        text = path.read_text("utf-8")
        assert tomllib.loads(text)["institution"]["name"] == "丁医院"
        assert "# licence" in text and "senior_physicians = 5  # added" in text


@aio
async def test_a_broken_hand_edit_is_not_overwritten_and_said_once(folder):
    path = folder / "iv.toml"
    app = make_app("pet_ct", "en", str(path), cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "First Hospital")
        await settle(pilot, lambda: app.step is not None and app.step.key == "institution.new_build", "q2")
        broken = path.read_text("utf-8") + "\n[pet_ct\n"
        path.write_text(broken, "utf-8")
        await type_text(pilot, "no")
        await settle(pilot, lambda: app.step is not None and app.step.key == "institution.ownership", "q3")
        await type_text(pilot, "1")
        await settle(pilot, lambda: app.step.key != "institution.ownership", "q4")
        assert path.read_text("utf-8") == broken
        warnings = [w for w in bubbles(app, "warning") if "no longer a usable profile" in w]
        assert len(warnings) == 1  # said once, not after every answer
        assert app.session.iv.answers["institution.ownership"] == "public"  # kept in memory
        # Save as another file: every answer is there.
        other = folder / "other.toml"
        assert app.save_to(str(other))
        assert tomllib.loads(other.read_text("utf-8"))["institution"]["ownership"] == "public"


@pytest.mark.parametrize("change", [None, ("imrt_years = 16", "imrt_years = 9")])
@aio
async def test_resume_of_a_complete_profile_is_finished_and_quits_with_checks_code(folder, change):
    path = folder / "p.toml"
    shutil.copy(EXAMPLES / "proton_existing_tertiary.toml", path)
    if change:
        path.write_text(path.read_text("utf-8").replace(*change), "utf-8")
    expected = run("check", str(path)).returncode
    assert expected == (0 if change is None else 1)
    _, given = _load_given(str(path))
    app = make_app("proton", "zh", str(path), given=given, cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: app.finished, "the finished state")
        assert app.step is None  # no "add another?", nothing asked
        await pilot.press("ctrl+q")
    assert app.return_value == expected
    assert expected in (exitcodes.COMPLIANT, exitcodes.NOT_COMPLIANT)


@aio
async def test_set_aside_answers_are_in_the_file_and_the_report(folder):
    path = folder / "p.toml"
    shutil.copy(EXAMPLES / "proton_existing_tertiary.toml", path)
    _, given = _load_given(str(path))
    app = make_app("proton", "zh", str(path), given=given, cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: app.finished, "the finished state")
        while len(app.screen_stack) > 1:
            app.pop_screen()
        app.session.iv.edit("institution.new_build", "是")
        app.autosave()
        saved = tomllib.loads(path.read_text("utf-8"))
        assert saved["set_aside"]["proton.imrt_years"] == 15
        app.action_report()
        await pilot.pause()
    json_report = run("check", str(path), "--format", "json").stdout
    assert '"set_aside"' in json_report
