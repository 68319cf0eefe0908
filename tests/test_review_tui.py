"""The reviewer's chat (``medequip review application.zip`` on a terminal): driven from
inside with Textual's pilot, and typed into a real pseudo-terminal (tests/ptyterm.py) as people
type: 认可 / 不认可 / 需补充 as UTF-8, full-width digits, going back to change a mark, quitting
and resuming. Each test asserts on the review file saved on disk."""

from __future__ import annotations

import asyncio
import functools
import os
import sys
import tomllib
from pathlib import Path

import pytest
from cli_helpers import EXAMPLES, run_main

PET_CT = EXAMPLES / "pet_ct_new_nonpublic.toml"


def main(*argv: str, cwd: Path) -> int:
    old = os.getcwd()
    os.chdir(cwd)
    try:
        code, _, err = run_main(*argv, cwd=cwd)
    finally:
        os.chdir(old)
    assert code == 0, err
    return code


@pytest.fixture
def packed(tmp_path) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "ours.toml").write_text(PET_CT.read_text("utf-8"), "utf-8")
    (tmp_path / "docs" / "cert.pdf").write_bytes(b"certificate of dr zhang")
    main("evidence", "add", "ours.toml", "pet_ct/3.2", "docs/cert.pdf", cwd=tmp_path)
    main("pack", "ours.toml", "-o", "application.zip", "--date", "2026-03-01", cwd=tmp_path)
    return tmp_path


def marks(folder: Path) -> dict:
    path = folder / "application.review.toml"
    return tomllib.loads(path.read_text("utf-8")).get("marks", {}) if path.exists() else {}


def review_file(folder: Path) -> dict:
    return tomllib.loads((folder / "application.review.toml").read_text("utf-8"))


# --- the pilot ------------------------------------------------------------------------------------


def aio(test):
    """Run an async test in its own event loop (no pytest-asyncio needed)."""

    @functools.wraps(test)
    def run(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return run


async def _type(pilot, text: str) -> None:
    for ch in text:
        await pilot.press(ch if ch != " " else "space")
    await pilot.press("enter")
    await pilot.pause()


@pytest.mark.parametrize("lang", ["zh", "en"])
@aio
async def test_pilot_marks_typed_as_people_type_changed_and_resumed(packed, lang):
    from assistant.reports.review_session import ReviewSession
    from assistant.tui.review_app import ReviewApp

    path = str(packed / "application.zip")
    session = ReviewSession.open(path, None, lang)
    app = ReviewApp(session, lang)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await _type(pilot, "王审核")
        await _type(pilot, "认可")
        await _type(pilot, "")  # no note
        await _type(pilot, "２")  # full-width 2: reject
        await _type(pilot, "证书不全")
        await _type(pilot, "b")
        await _type(pilot, "需补充")
        await _type(pilot, "请补充盖章件")
        await _type(pilot, "q")
    assert review_file(packed)["reviewer"] == "王审核"
    assert marks(packed) == {
        "pet_ct/1": {"mark": "accept"},
        "pet_ct/2.1": {"mark": "more", "note": "请补充盖章件"},
    }
    # Resumed: at the first unmarked clause, the reviewer not asked again.
    session = ReviewSession.open(path, None, lang)
    app = ReviewApp(session, lang)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.state == "clause" and session.clauses[screen.i].id == "pet_ct/2.2"
        await _type(pilot, "reject")
        await _type(pilot, "no proof")
        await pilot.press("ctrl+q")
    assert marks(packed)["pet_ct/2.2"] == {"mark": "reject", "note": "no proof"}


@aio
async def test_pilot_nonsense_gets_help_and_saves_nothing(packed):
    from assistant.reports.review_session import ReviewSession
    from assistant.tui.review_app import ReviewApp
    from assistant.tui.widgets.bubbles import Bubble

    session = ReviewSession.open(str(packed / "application.zip"), None, "en", reviewer="X")
    app = ReviewApp(session, "en")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await _type(pilot, "maybe")
        said = [str(b.text) for b in app.screen.query(Bubble)]
        assert any("Not understood" in s for s in said)
        await _type(pilot, "g pet_ct/3.2")
        said = [str(b.text) for b in app.screen.query(Bubble)]
        assert "docs/cert.pdf (23 B)" in said[-1]
        await pilot.press("ctrl+q")
    assert marks(packed) == {}


# --- a real terminal ---------------------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
@pytest.mark.parametrize("lang,size", [("zh", (80, 24)), ("en", (120, 36))])
def test_review_typed_into_a_real_terminal(packed, lang, size):
    from ptyterm import Terminal

    args = ["review", "application.zip", "--lang", lang]
    note = "可留空" if lang == "zh" else "Enter to skip"
    marking = "需补充 3" if lang == "zh" else "more 3"

    def box_says(term, words: str):
        # The answer box's hint (the last lines of the screen) says what it waits for.
        return lambda: any(words in line for line in term.lines()[-3:])

    def mark(term, typed: str, note_text: str, rule: str, want: dict) -> None:
        term.wait(box_says(term, marking), "the box asking for a mark")
        term.type(typed + "\r")
        term.wait(box_says(term, note), "the box asking for a note")
        term.type(note_text + "\r")
        term.wait(lambda: marks(packed).get(rule) == want, f"{rule} saved as {want}")

    with Terminal(args, size=size, cwd=packed) as term:
        term.show("审核人姓名" if lang == "zh" else "Reviewer's name")
        term.type("王审核\r")
        mark(term, "１", "", "pet_ct/1", {"mark": "accept"})
        mark(term, "不认可", "没有证明", "pet_ct/2.1", {"mark": "reject", "note": "没有证明"})
        term.wait(box_says(term, marking), "the next clause")
        term.type("b\r")
        term.show("— 没有证明", "the clause shown again with its mark")
        mark(term, "accept", "", "pet_ct/2.1", {"mark": "accept"})
        term.send("ctrl+q")
        assert term.exit_code() == 0
    assert marks(packed)["pet_ct/1"] == {"mark": "accept"}
    # Resumed in a new process: the first unmarked clause, then q.
    with Terminal(args, size=size, cwd=packed) as term:
        term.show("pet_ct/2.2")
        mark(term, "3", "要补", "pet_ct/2.2", {"mark": "more", "note": "要补"})
        term.wait(box_says(term, marking), "the next clause")
        term.type("q\r")
        assert term.exit_code() == 0
