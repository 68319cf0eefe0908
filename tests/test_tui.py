"""The chat interview, driven through Textual's pilot the way a person would drive it.

Each test builds the app with ``make_app`` (as ``medequip interview`` does), answers by typing,
by picking from the choice list with arrows and Enter or the mouse, and checks what the
person sees and what ends up in the saved profile. The saved profile is then judged by
``medequip check`` in a separate process, so the interview and the checker must agree.

Nothing here sleeps for a fixed time: ``settle`` waits for a condition, a bounded number of
event-loop turns at most.
"""

from __future__ import annotations

import asyncio
import functools
import html
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from conftest import ROOT
from rich.text import Text
from textual import events

from assistant.cli.interview import _load_given
from assistant.core.io import exitcodes
from assistant.core.profile.answers import numbering
from assistant.core.rules.model import EQUIPMENT_KEYS
from assistant.interview.engine import ADD
from assistant.interview.questions import question_files
from assistant.tui.app import MedequipApp, make_app
from assistant.tui.screens.clause import ClauseScreen
from assistant.tui.screens.report import ReportScreen
from assistant.tui.screens.save_as import SaveScreen
from assistant.tui.strings import t
from assistant.tui.widgets.bubbles import Bubble, QuestionBubble
from assistant.tui.wrap import break_offsets, wrap

SIZE = (100, 32)
READY = [eq for eq in EQUIPMENT_KEYS if all(p.exists() for p in question_files(eq))]


# --- helpers --------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def no_color(monkeypatch):
    """Textual removes NO_COLOR from the environment when an app starts; put it back after
    each test so later tests in the same run see what conftest set."""
    monkeypatch.setenv("NO_COLOR", os.environ.get("NO_COLOR", "1"))


@pytest.fixture
def where(tmp_path):
    """A folder for the profiles. Every answer is saved atomically, with an fsync of the file
    and its folder; on a RAM disk (when there is one) that costs nothing, which keeps whole
    interviews quick."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        folder = Path(tempfile.mkdtemp(dir=shm, prefix="medequip-tui-"))
        yield folder
        shutil.rmtree(folder, ignore_errors=True)
    else:
        yield tmp_path


def aio(test):
    """Run an async test in its own event loop (no pytest-asyncio needed)."""

    @functools.wraps(test)
    def run(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return run


async def settle(pilot, predicate, what: str, turns: int = 200, seconds: float = 30.0) -> None:
    """Let the app run until ``predicate()`` holds; fail after ``turns`` idle cycles and
    ``seconds`` both (on a loaded machine an idle cycle can pass before a worker's save)."""
    deadline = time.monotonic() + seconds
    n = 0
    while n < turns or time.monotonic() < deadline:
        if predicate():
            return
        await pilot.pause()
        n += 1
    raise AssertionError(f"timed out waiting for {what}")


async def box_ready(pilot) -> None:
    """Wait until the answer box takes typing: keys typed before a question is on the
    screen are dropped on purpose (test_tui_typing.py)."""
    await settle(pilot, lambda: not pilot.app.query_one("#answer").waiting, "the answer box")


async def type_text(pilot, text: str) -> None:
    """Type an answer and press Enter. The text arrives at once, as an input method commits
    a whole phrase; key-by-key typing (and its move from a choice list to the input) has its
    own tests below."""
    await box_ready(pilot)
    pilot.app.type_into_input(text)
    await pilot.press("enter")


def bubbles(app: MedequipApp, cls: str) -> list[str]:
    return [b.text.plain for b in app.query(Bubble) if b.has_class(cls)]


def asked(app: MedequipApp) -> list[str]:
    return [b.step.key for b in app.query(QuestionBubble)]


def screen_text(app: MedequipApp) -> str:
    return html.unescape(app.export_screenshot()).replace("\xa0", " ")


def check(path: Path) -> tuple[int, dict]:
    """``medequip check --format json`` (in-process, a run context of its own): the verdict a
    user would get."""
    from cli_helpers import run_bytes

    p = run_bytes("check", str(path), "--format", "json", cwd=ROOT, environ={**os.environ, "NO_COLOR": "1"})
    proc = subprocess.CompletedProcess(
        p.args, p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")
    )
    assert proc.returncode in (0, 1, 3), proc.stderr
    data = json.loads(proc.stdout)
    return proc.returncode, data[0] if isinstance(data, list) else data


def post_keys(app: MedequipApp, *keys: str) -> None:
    """Send key presses the way the terminal driver does. ``pilot.press`` waits twice for the
    app to go idle after every key (at least 20 ms each); over whole interviews those waits
    would cost more than the app itself, so the long runs send keys like a fast typist and
    then wait for the answer to register."""
    for key in keys:
        event = events.Key(key, key if len(key) == 1 else None)
        event.set_sender(app)
        app.post_message(event)


async def until(predicate, what: str, timeout: float = 20.0) -> None:
    """Poll ``predicate`` while the app runs; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.002)


async def answer(app: MedequipApp, how: str, what) -> None:
    """Answer the current question (``type`` a text, or press ``keys``) and wait until the
    interview has recorded it."""
    before = len(app.session.iv.history)
    await until(lambda: not app.query_one("#answer").waiting, "the answer box")
    if how == "type":
        app.type_into_input(str(what))
        post_keys(app, "enter")
    else:
        post_keys(app, *what)
    await until(lambda: len(app.session.iv.history) > before, f"an answer to {app.step.key}")


def anyhow(app: MedequipApp, people: set[str]) -> tuple[str, object]:
    """An answer for whatever is asked, without a script: yes, the first option, a middling
    number, a name; one person per roster. Given as a person would type it."""
    step = app.step
    fact = step.fact
    if fact.key == ADD:
        first = step.roster not in people
        people.add(step.roster)
        return "type", "y" if first else "n"
    if fact.type == "bool":
        return "type", "y"
    if fact.type in ("choice", "set"):
        return "type", str(numbering(fact, step.hints)[0][0])  # the first option's number
    if fact.type == "int":
        return "type", str(min(fact.max, max(fact.min, 5)))
    return "type", "测试人员" if step.index is not None else "测试医院"


async def finish_anyhow(app: MedequipApp, limit: int = 400) -> int:
    people: set[str] = set()
    n = 0
    while app.step is not None:
        n += 1
        assert n <= limit, f"no end after {limit} answers; stuck at {app.step.key}"
        await answer(app, *anyhow(app, people))
    return n


# PET/CT as the bundled example describes it: a new-build, non-public hospital, 64-slice CT.
# Typed the way Chinese users type: full-width digits, units, 是/否; some picked from lists.
PET_CT_SCRIPT: dict[str, tuple[str, object]] = {
    "institution.name": ("type", "明德国际医院"),
    "institution.new_build": ("type", "是"),
    "institution.ownership": ("type", "2"),
    "institution.independent_imaging_center": ("keys", ["down", "down", "enter"]),  # 否, from the list
    "pet_ct.ct_slices": ("type", "６４排"),
    "pet_ct.nuclear_medicine_foundation": ("type", "是"),
    "pet_ct.spect_experience": ("type", "有"),
    "pet_ct.senior_physicians": ("type", "3名"),
    "pet_ct.technicians": ("type", "两名"),
    "pet_ct.radiopharmaceutical_staff": ("type", "0"),
    "pet_ct.senior_nm_physicians_spect": ("type", "２"),
}


async def run_script(app: MedequipApp, script: dict, limit: int = 100) -> list[str]:
    """Answer from ``script`` by fact key; anything it does not name is answered yes / 1."""
    seen = []
    for _ in range(limit):
        step = app.step
        if step is None:
            return seen
        seen.append(step.key)
        default = ("type", "y") if step.fact.type == "bool" else ("type", "1")
        await answer(app, *script.get(step.key, default))
    raise AssertionError(f"interview did not end within {limit} answers")


# --- whole interviews -------------------------------------------------------------------------


@aio
async def test_pet_ct_interview_by_typing_and_choosing_matches_check(where):
    """A complete PET/CT interview in Chinese, typed with IME-style answers and picked from
    lists, ends on the report and saves a profile that ``medequip check`` finds compliant."""
    out = where / "mingde.toml"
    app = make_app("pet_ct", "zh", str(out), cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        seen = await run_script(app, PET_CT_SCRIPT)
        await settle(pilot, lambda: isinstance(app.screen, ReportScreen), "the report screen")
        assert app.finished
        assert seen[0] == "institution.name"
        # A new build is exempt from (1) and (2)1,2,4: the rest of those is never asked.
        assert "pet_ct.complex_case_capability" not in seen
        assert app.session.iv.answers["pet_ct.ct_slices"] == 64
        assert app.session.iv.answers["pet_ct.technicians"] == 2
        assert app.screen.report["status"] == "compliant"
        await pilot.press("ctrl+q")
    assert app.return_value == exitcodes.COMPLIANT
    code, report = check(out)
    assert (code, report["status"]) == (0, "compliant")
    assert report["institution"] == "明德国际医院"


@pytest.mark.parametrize("equipment", READY)
@aio
async def test_every_equipment_interview_runs_to_a_decided_verdict(where, equipment):
    """For every equipment type with question files, answering everything through the UI
    ends the interview with a decided verdict (nothing open), and check agrees with it."""
    out = where / f"{equipment}.toml"
    app = make_app(equipment, "en", str(out), cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await finish_anyhow(app)
        await settle(pilot, lambda: isinstance(app.screen, ReportScreen), "the report screen")
        status = app.session.iv.ev.status
        assert status in ("compliant", "not_compliant")
    code, report = check(out)
    assert report["status"] == status
    assert code == exitcodes.BY_STATUS[status]


# --- answering ----------------------------------------------------------------------------


@aio
async def test_rejected_answer_gives_the_reason_and_asks_again_keeping_earlier_answers(where):
    app = make_app("pet_ct", "en", str(where / "p.toml"), cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "Test Hospital")
        await type_text(pilot, "yes")  # new build
        await settle(pilot, lambda: app.step.key == "pet_ct.ct_slices", "the slice question")
        await type_text(pilot, "many")
        assert app.step.key == "pet_ct.ct_slices"
        assert "a whole number from 1 to 1,024" in bubbles(app, "warning")[-1]
        assert asked(app)[-2:] == ["pet_ct.ct_slices", "pet_ct.ct_slices"]
        assert app.session.iv.answers == {"institution.name": "Test Hospital", "institution.new_build": True}
        await type_text(pilot, "5000")
        assert "out of range" in bubbles(app, "warning")[-1]
        await type_text(pilot, "１２８")
        assert app.session.iv.answers["pet_ct.ct_slices"] == 128
        assert bubbles(app, "user")[-1] == "１２８  → 128 slices"


@aio
async def test_yes_no_and_choice_lists_take_arrows_enter_and_the_mouse(where):
    app = make_app("pet_ct", "zh", str(where / "p.toml"), cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "某医院")
        await box_ready(pilot)
        assert app.focused is app.query_one("#answer")
        await pilot.press("down", "down", "enter")  # into the list at 是, on to 否, Enter
        await settle(pilot, lambda: app.step.key == "institution.ownership", "ownership")
        # The second option is on the second line inside the list's border.
        await pilot.click("#choices", offset=(4, 2))
        await settle(pilot, lambda: app.step.key != "institution.ownership", "the click to answer")
        assert app.session.iv.answers["institution.new_build"] is False
        assert app.session.iv.answers["institution.ownership"] == "non_public"
        assert bubbles(app, "user")[-2:] == ["否", "非公立医疗机构"]


@aio
async def test_set_questions_tick_with_space_confirm_with_enter_or_take_typed_numbers(where):
    app = make_app("pet_ct", "en", str(where / "p.toml"), cursor_blink=False)
    script = {
        "institution.new_build": ("type", "no"),
        "institution.ownership": ("type", "1"),
        "institution.independent_imaging_center": ("type", "no"),
    }
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "Public Hospital")
        for _ in range(40):
            step = app.step
            if step.fact.type == "set":
                break
            await answer(
                app,
                *script.get(step.key, ("type", "y") if step.fact.type == "bool" else ("type", "1")),
            )
        await box_ready(pilot)
        step = app.step
        assert step.fact.type == "set"
        assert app.focused is app.query_one("#answer")
        await pilot.press("down", "space", "down", "space", "space", "space", "enter")
        await settle(pilot, lambda: app.step is None or app.step.key != step.key, "the set answer")
        assert app.session.iv.answers[step.key] == [step.fact.choices[0].key, step.fact.choices[1].key]
        # Typed as an input method writes a list.
        await pilot.press("ctrl+b")
        await settle(pilot, lambda: app.step.key == step.key, "back to the set question")
        await box_ready(pilot)
        # (posted directly: the pilot cannot name "、" and would send it without its character)
        post_keys(app, "1", "、", "3")
        await until(lambda: app.query_one("#answer").value == "1、3", "the typed list")
        await pilot.press("enter")
        await settle(pilot, lambda: app.step is None or app.step.key != step.key, "the typed set answer")
        assert app.session.iv.answers[step.key] == [step.fact.choices[0].key, step.fact.choices[2].key]


@aio
async def test_typing_after_moving_into_the_list_goes_to_the_box_and_is_the_answer(where):
    app = make_app("pet_ct", "zh", str(where / "p.toml"), cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "某医院")
        await box_ready(pilot)
        await pilot.press("down")  # 是 highlighted
        assert app.query_one("#choices").highlighted == 0
        await pilot.press("没", "有")
        assert app.focused is app.query_one("#answer")
        assert app.query_one("#answer").value == "没有"
        await pilot.press("enter")  # the text, not the highlighted 是
        await settle(pilot, lambda: "institution.new_build" in app.session.iv.answers, "the typed answer")
        assert app.session.iv.answers["institution.new_build"] is False
        await box_ready(pilot)
        assert app.focused is app.query_one("#answer")  # each question starts in the box
        assert app.query_one("#choices").highlighted is None  # and with nothing highlighted
        await pilot.press("down")
        # An input method commits a word in one burst: all of it reaches the box.
        post_keys(app, "非", "公", "立")
        await until(lambda: app.query_one("#answer").value == "非公立", "the burst")
        await pilot.press("enter")
        await settle(pilot, lambda: "institution.ownership" in app.session.iv.answers, "ownership")
        assert app.session.iv.answers["institution.ownership"] == "non_public"
        # After Tab (to the clause list) typing still goes to the box.
        await box_ready(pilot)
        await pilot.press("tab")
        assert app.focused is app.query_one("#clauses")
        await pilot.press("n", "o")
        assert app.focused is app.query_one("#answer")
        assert app.query_one("#answer").value == "no"


# --- conversation commands ----------------------------------------------------------------


@aio
async def test_back_undoes_the_last_answer_by_key_and_by_word(where):
    app = make_app("pet_ct", "zh", str(where / "p.toml"), cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "某医院")
        await type_text(pilot, "是")
        await settle(pilot, lambda: app.step.key == "pet_ct.ct_slices", "slices")
        await pilot.press("ctrl+b")
        await settle(pilot, lambda: app.step.key == "institution.new_build", "back to new_build")
        assert "institution.new_build" not in app.session.iv.answers
        assert app.query(Bubble).filter(".undone")  # the undone answer is struck through
        await type_text(pilot, "返回")
        await settle(pilot, lambda: app.step.key == "institution.name", "back to the name")
        assert app.session.iv.answers == {}
        await type_text(pilot, "返回")
        assert bubbles(app, "note")[-1] == t("zh", "nothing_to_undo")


@aio
async def test_why_names_the_clauses_and_the_exemption_that_could_remove_them(where):
    app = make_app("pet_ct", "zh", str(where / "p.toml"), cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "某医院")
        await pilot.press("ctrl+y")
        await pilot.pause()
        said, again = bubbles(app, "assistant")[-2:]
        # New-build is read by no rule, only by exemption (六): why still explains it.
        assert "（六）" in said and "pet_ct/2.1" in said
        # The question is said again under the explanation, so it stays on the screen.
        assert again.startswith(app.step.prompt("zh"))
        await type_text(pilot, "否")  # not new
        await type_text(pilot, "1")  # public
        await settle(
            pilot, lambda: app.step.key == "institution.independent_imaging_center", "imaging centre"
        )
        await type_text(pilot, "是")  # an independent imaging centre: (六) waives (1) and (2)1,2,4
        await settle(pilot, lambda: app.step.key == "pet_ct.ct_slices", "slices")
        await type_text(pilot, "为什么")
        said = bubbles(app, "assistant")[-2]
        assert "pet_ct/2.4" in said and "pet_ct/3.3" in said
        assert "可依（六）（pet_ct/6）豁免" in said
        assert app.step.key == "pet_ct.ct_slices"  # asking why answers nothing


@aio
async def test_skipping_leaves_the_clause_open_and_the_profile_incomplete(where):
    out = where / "skip.toml"
    app = make_app("pet_ct", "en", str(out), cursor_blink=False)
    script = {**PET_CT_SCRIPT, "institution.name": ("type", "Skip Hospital")}
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "Skip Hospital")
        await type_text(pilot, "yes")
        await settle(pilot, lambda: app.step.key == "pet_ct.ct_slices", "slices")
        await type_text(pilot, "64")
        await pilot.press("ctrl+n")  # skip the nuclear medicine foundation
        await settle(pilot, lambda: app.step.key == "pet_ct.spect_experience", "the next question")
        await type_text(pilot, "skip")
        await settle(pilot, lambda: app.step.key != "pet_ct.spect_experience", "the one after")
        await run_script(app, script)
        assert app.session.iv.ev.result("pet_ct/2.3").status == "unknown"
        assert app.session.iv.ev.status == "incomplete"
    code, report = check(out)
    assert (code, report["status"]) == (exitcodes.INCOMPLETE, "incomplete")


@aio
async def test_progress_and_help_answer_in_the_chat(where):
    app = make_app("pet_ct", "en", str(where / "p.toml"), cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "progress")
        assert bubbles(app, "assistant")[-1].startswith("Answered 0, at least")  # more may follow
        await pilot.press("f1")
        await pilot.pause()
        assert "Ctrl+B back" in bubbles(app, "assistant")[-2]
        assert bubbles(app, "assistant")[-1].startswith(app.step.prompt("en"))
        assert app.step.key == "institution.name"


# --- user text is never markup ------------------------------------------------------------


@aio
async def test_an_institution_named_like_markup_is_shown_literally(where):
    app = make_app("pet_ct", "en", str(where / "p.toml"), cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "[bold red]x")
        await settle(pilot, lambda: app.step.key != "institution.name", "the name")
        assert bubbles(app, "user")[-1] == "[bold red]x"
        assert "[bold red]x" in screen_text(app)  # in the chat and in the top bar
        await pilot.press("ctrl+r")
        await settle(pilot, lambda: isinstance(app.screen, ReportScreen), "report")
        assert app.screen.summary().plain.startswith("[bold red]x — ")
        assert "[bold red]x" in screen_text(app)
    assert app.session.iv.answers["institution.name"] == "[bold red]x"


# --- side panel, clause screen, report -------------------------------------------------------


@aio
async def test_side_panel_tally_and_clause_list_follow_every_answer(where):
    app = make_app("pet_ct", "zh", str(where / "p.toml"), cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        clauses = app.query_one("#clauses")
        assert clauses.option_count == len(app.session.iv.ev.results)
        assert "待定 13" in screen_text(app)
        await type_text(pilot, "某医院")
        await type_text(pilot, "是")  # new build: （六） waives four clauses at once
        await settle(pilot, lambda: app.step.key == "pet_ct.ct_slices", "slices")
        assert "豁免 4" in screen_text(app)
        prompt = clauses.get_option("pet_ct/1").prompt
        assert isinstance(prompt, Text) and prompt.plain.startswith("豁免")


@aio
async def test_a_clause_opens_with_its_text_status_and_waivers(where):
    app = make_app("pet_ct", "en", str(where / "p.toml"), cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "Clause Hospital")
        await type_text(pilot, "yes")
        await settle(pilot, lambda: app.step.key == "pet_ct.ct_slices", "slices")
        app.query_one("#clauses").focus()
        await pilot.press("home", "enter")
        await settle(pilot, lambda: isinstance(app.screen, ClauseScreen), "the clause screen")
        body = app.screen.body().plain
        assert "Status: exempt" in body
        assert "waived by" in body.lower() and "newly built institution" in body
        assert "Exemptions that could waive it" in body
        await pilot.press("escape")
        await settle(pilot, lambda: not isinstance(app.screen, ClauseScreen), "the clause screen to close")
        assert app.step.key == "pet_ct.ct_slices"


@aio
async def test_report_filters_to_not_met_and_open(where):
    """The report opens on demand mid-interview (things still open) and by itself at the
    end; its filters show only the not-met or only the open clauses."""
    out = where / "r.toml"
    script = {
        **PET_CT_SCRIPT,
        "pet_ct.ct_slices": ("type", "128"),
        "pet_ct.licensed_nm_imaging_staff": ("type", "1"),
    }
    app = make_app("pet_ct", "en", str(out), cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "Report Hospital")
        await type_text(pilot, "yes")
        await settle(pilot, lambda: app.step.key == "pet_ct.ct_slices", "slices")
        await pilot.press("ctrl+r")  # on demand, mid-interview: things are still open
        await settle(pilot, lambda: isinstance(app.screen, ReportScreen), "report")
        report = app.screen
        assert report.report["status"] == "incomplete"
        await pilot.press("o")
        assert report.visible_rules() and set(report.visible_rules()) == {"unknown"}
        await pilot.press("escape")
        await settle(pilot, lambda: not isinstance(app.screen, ReportScreen), "back to the chat")
        await run_script(app, script)
        await settle(pilot, lambda: isinstance(app.screen, ReportScreen), "the final report")
        report = app.screen
        await pilot.press("n")
        assert report.visible_rules() == ["not_met"]
        await pilot.press("3")  # open: none left
        assert report.visible_rules() == []
        assert report.query_one("#nothing").display
        await pilot.press("a")
        assert len(report.visible_rules()) == len(report.report["rules"])
    # 128 slices needs seven licensed staff; with one, check agrees (三)3 is not met.
    code, data = check(out)
    assert code == exitcodes.NOT_COMPLIANT
    assert [r["id"] for r in data["rules"] if r["status"] == "not_met"] == ["pet_ct/3.3"]


@aio
async def test_save_as_writes_where_the_user_says_and_autosaves_there_after(where):
    app = make_app("pet_ct", "en", str(where / "first.toml"), cursor_blink=False)
    target = where / "elsewhere.toml"
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "Save Hospital")
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: isinstance(app.screen, SaveScreen), "the save dialog")
        assert app.screen.query_one("#save-path").value == str(where / "first.toml")
        app.screen.query_one("#save-path").value = str(target)  # as if typed over the default
        await pilot.press("enter")
        await settle(pilot, lambda: not isinstance(app.screen, SaveScreen), "the dialog to close")
        assert target.exists()
        await type_text(pilot, "yes")
        await settle(pilot, lambda: "institution.new_build" in app.session.iv.answers, "an answer")
    assert "new_build = true" in target.read_text("utf-8")


# --- choosing the equipment ----------------------------------------------------------------


@aio
async def test_without_equipment_the_interview_first_asks_which(where):
    app = make_app(None, "en", str(where / "p.toml"), cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        assert app.session is None
        choices = app.query_one("#choices")
        keys = [choices.get_option_at_index(i).id for i in range(choices.option_count)]
        assert keys == list(EQUIPMENT_KEYS)
        await type_text(pilot, str(keys.index("pet_ct") + 1))
        await settle(pilot, lambda: app.session is not None, "the session")
        assert app.session.equipment == "pet_ct"
        assert app.step.key == "institution.name"


@aio
async def test_the_equipment_can_be_typed_too(where):
    app = make_app(None, "zh", str(where / "p.toml"), cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "PET/CT")
        await settle(pilot, lambda: app.session is not None, "the session")
        assert app.session.equipment == "pet_ct"


# --- leaving and coming back ---------------------------------------------------------------


@aio
async def test_quit_keeps_every_answer_and_resume_asks_only_what_is_left(where):
    out = where / "resume.toml"
    app = make_app("pet_ct", "zh", str(out), cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "续答医院")
        await type_text(pilot, "否")  # not new
        await type_text(pilot, "2")  # non-public: (六) waives what the rest would ask
        await settle(pilot, lambda: app.step.key == "pet_ct.ct_slices", "slices")
        await type_text(pilot, "１２８排")
        first = dict(app.session.iv.answers)
        await pilot.press("ctrl+q")
    assert app.return_value == exitcodes.INCOMPLETE
    equipment, given = _load_given(str(out))  # what `medequip interview --resume` reads
    assert (equipment, given) == ("pet_ct", first)

    again = make_app(equipment, "zh", str(out), given=given, cursor_blink=False)
    async with again.run_test(size=SIZE) as pilot:
        # The message and the header count the same answers (the name is not one of them).
        assert "已载入 3 项回答" in bubbles(again, "note")[-1]
        from assistant.tui.widgets.topbar import TopBar

        assert "已回答 3 " in again.chat.query_one(TopBar).shown[1]
        await run_script(again, {**PET_CT_SCRIPT, "pet_ct.licensed_nm_imaging_staff": ("type", "7")})
        assert not set(asked(again)) & set(first)  # nothing answered is asked again
    code, report = check(out)
    assert report["institution"] == "续答医院"
    assert code == exitcodes.BY_STATUS[report["status"]]


@aio
async def test_ctrl_c_saves_and_exits_as_interrupted(where):
    out = where / "c.toml"
    app = make_app("pet_ct", "en", str(out), cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "Interrupted Hospital")
        await pilot.press("ctrl+c")
    assert app.return_value == exitcodes.INTERRUPTED
    assert 'name = "Interrupted Hospital"' in out.read_text("utf-8")


@aio
async def test_sigterm_saves_and_exits_as_interrupted(where):
    """With signal handling on (as ``run_tui`` sets it), SIGTERM to the process leaves the
    app cleanly with everything answered saved."""
    out = where / "term.toml"
    app = make_app("pet_ct", "en", str(out), handle_signals=True, cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "Terminated Hospital")
        await type_text(pilot, "yes")
        await settle(pilot, lambda: "institution.new_build" in app.session.iv.answers, "an answer")
        if signal.SIGTERM in app._signals:
            os.kill(os.getpid(), signal.SIGTERM)
        else:  # pragma: no cover - no loop signal handlers on this platform
            app.on_signal()
        await settle(pilot, lambda: app.return_value is not None, "the app to stop")
    assert app.return_value == exitcodes.INTERRUPTED
    assert "new_build = true" in out.read_text("utf-8")


def test_an_output_that_is_not_a_profile_is_refused_before_the_screen_opens(where):
    from assistant.core.text.errors import UsageError

    notes = where / "notes.toml"
    notes.write_text("just some notes\n", "utf-8")
    with pytest.raises(UsageError, match="not a medequip profile"):
        make_app("pet_ct", "en", str(notes))


# --- language and wrapping -----------------------------------------------------------------


def test_chinese_wraps_between_characters_and_english_between_words():
    from rich.cells import cell_len

    line = "从事 PET/CT 的医学影像和放射治疗高级专业技术职称医师有几名？"
    lines = [x.plain for x in wrap(Text(line), 20)]
    assert lines[0] == "从事 PET/CT 的医学影"  # not a nearly empty first line
    assert all(cell_len(x) <= 20 for x in lines)
    assert [x.plain for x in wrap(Text("the quick brown fox"), 10)] == ["the quick", "brown fox"]


def test_a_line_never_starts_with_a_closing_mark():
    from rich.cells import cell_len

    text = "是否具备合格的放射性药品供应条件、渠道？"
    for width in range(4, 30):
        lines = [x.plain for x in wrap(Text(text), width)]
        assert "".join(lines) == text
        assert all(cell_len(x) <= width for x in lines)
        assert not any(x[0] in "，。、？）" for x in lines[1:])
    assert break_offsets("short", 10) == []
