"""Screenshots of the chat and the report screens, in Chinese and English.

They pin what a person sees: bubbles, the choice list, the warning for a rejected answer, the
side panel, Chinese line breaking, an institution named like markup shown literally, and the
report with its filter. The terminal size is fixed and the cursor does not blink, so the SVGs
are stable for the pinned Textual version. After an intended change (or an edit of the rule
texts they show), regenerate with ``--snapshot-update`` and look at the SVGs under
``tests/__snapshots__`` before committing them.
"""

from __future__ import annotations

import pytest
from conftest import EXAMPLES

import assistant.reports.report
from assistant.cli.interview import _load_given
from assistant.tui.app import make_app

SIZE = (100, 32)


@pytest.fixture
def here(tmp_path, monkeypatch):
    """Run in an empty folder and save to a relative path, so no temporary path shows; and
    in colour, whatever the order of the tests: Textual removes NO_COLOR from the
    environment when an app starts, so without this the first snapshot of a run would be
    monochrome and the rest not. (monkeypatch puts the variable back afterwards.)"""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return tmp_path


@pytest.fixture
def fixed_hash(monkeypatch):
    """The report shows the ruleset's sha256; pin it so that editing a rule's wording does
    not change the picture of an unrelated screen."""
    build = assistant.reports.report.build

    def pinned(*args, **kwargs):
        report = build(*args, **kwargs)
        report["ruleset"] = {**report["ruleset"], "sha256": "0" * 64}
        return report

    monkeypatch.setattr(assistant.reports.report, "build", pinned)


def _shortfall_profile() -> dict:
    """The bundled new-build example, but with a 128-slice CT and one licensed member of
    staff where seven are needed: complete, and not compliant on (三)3."""
    _, given = _load_given(str(EXAMPLES / "pet_ct_new_nonpublic.toml"))
    return {
        **given,
        "institution.name": "[bold red]明德医院",
        "pet_ct.ct_slices": 128,
        "pet_ct.licensed_nm_imaging_staff": 1,
        "pet_ct.senior_nm_imaging_staff_trained": 1,
    }


async def _type(pilot, text: str) -> None:
    """Type an answer once the box takes it (keys typed before a question shows are dropped)."""
    app = pilot.app
    for _ in range(200):
        if not app.query_one("#answer").waiting:
            break
        await pilot.pause()
    app.type_into_input(text)
    await pilot.press("enter")


async def _reject_an_answer(pilot) -> None:
    app = pilot.app
    zh = app.lang == "zh"
    await _type(pilot, "[bold red]明德医院")
    await _type(pilot, "否" if zh else "no")  # not newly built
    await _type(pilot, "2")  # non-public: (六) waives (1) and (2)1,2,4
    await _type(pilot, "很多" if zh else "many")
    await pilot.pause()


def test_chat_zh_with_a_rejected_answer(snap_compare, here):
    app = make_app("pet_ct", "zh", "profile.toml", cursor_blink=False)
    assert snap_compare(app, run_before=_reject_an_answer, terminal_size=SIZE)


def test_chat_en_asking_why(snap_compare, here):
    async def run_before(pilot):
        await _reject_an_answer(pilot)
        await pilot.press("ctrl+y")
        await pilot.pause()

    app = make_app("pet_ct", "en", "profile.toml", cursor_blink=False)
    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


def test_choosing_the_equipment_zh(snap_compare, here):
    app = make_app(None, "zh", "profile.toml", cursor_blink=False)
    assert snap_compare(app, terminal_size=SIZE)


def test_report_zh(snap_compare, here, fixed_hash):
    """A resumed profile with nothing left to ask opens straight on the report."""
    app = make_app("pet_ct", "zh", "profile.toml", given=_shortfall_profile(), cursor_blink=False)
    assert snap_compare(app, terminal_size=SIZE)
    assert app.finished


def test_report_en_filtered_to_not_met(snap_compare, here, fixed_hash):
    app = make_app("pet_ct", "en", "profile.toml", given=_shortfall_profile(), cursor_blink=False)
    assert snap_compare(app, press=["n"], terminal_size=SIZE)
    assert app.finished
