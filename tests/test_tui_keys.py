"""Any keys, on every screen and dialog: the app never crashes, and every value it saves is one
that was typed or chosen on the screen.

Hypothesis draws a screen to start on (a question of each kind, the edit dialog for a yes/no,
a choice and a several-answers question, the review, the roster, save-as, the equipment list,
the command palette) and a sequence of keys a hurried person presses: words, digits, spaces,
Space, Backspace, Enter, Escape, Tab and, in some sequences, the arrows. The keys are sent as the terminal
driver sends them, in bursts. Afterwards every answer that changed must be what the interview's
parser makes of some run of the characters typed (between two Enters); a list option may be
the value only when the arrows were pressed (without them no option can be highlighted, so an
Enter can only ever submit typed text). The pty tests run a few such sequences through a real
terminal (test_tui_pty.py).
"""

from __future__ import annotations

import asyncio
import os
import tomllib
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_tui_pty import proton
from test_typed_answers import MISSING, as_profile, full_pet_ct
from textual import events

from assistant.core.profile.answers import AnswerError, parse
from assistant.interview.changes import flat
from assistant.tui.app import make_app

SIZE = (100, 32)
TEXTS = ["否", "是", "no", "yes", "1", "2", "3", "4", "0", "12", "副主任", "x", "1 2", "无"]
SPECIAL = ["space", "enter", "enter", "escape", "tab", "backspace"]
ARROWS = ["up", "down"]
CHARS = {"space": " ", "enter": "\r", "tab": "\t", "escape": "\x1b"}

# name -> (profile, equipment, keys that open the screen); the profile is written fresh per run.
# A complete profile opens on the report: Escape goes back to the chat first.
# name -> (profile, equipment, keys that open the screen, the screen then on top). A complete
# profile opens on the report: Escape goes back to the chat first.
STARTS = {
    "chat: a number and a yes/no": ("pet_ct_missing", "pet_ct", [], "ChatScreen"),
    "chat: two lists of ticks": ("proton_lists", "proton", [], "ChatScreen"),
    "edit: yes/no": ("pet_ct", "pet_ct", ["escape", "修改 institution.new_build", "enter"], "EditScreen"),
    "edit: a choice": ("pet_ct", "pet_ct", ["escape", "修改 institution.ownership", "enter"], "EditScreen"),
    "edit: ticks": ("proton", "proton", ["escape", "修改 proton.rt_equipment", "enter"], "EditScreen"),
    "review": ("pet_ct", "pet_ct", ["escape", "f2"], "ReviewScreen"),
    "roster": ("proton", "proton", ["escape", "f3"], "RosterScreen"),
    "save as": ("pet_ct_missing", "pet_ct", ["ctrl+s"], "SaveScreen"),
    "equipment": (None, None, [], "ChatScreen"),
    "command palette": ("pet_ct", "pet_ct", ["escape", "ctrl+p"], "Palette"),
}


def write_profile(kind: str | None, folder: Path) -> Path | None:
    if kind is None:
        return None
    if kind.startswith("pet_ct"):
        answers = full_pet_ct()
        if kind == "pet_ct_missing":
            answers = {k: v for k, v in answers.items() if k not in MISSING}
        path = folder / "pet_ct.toml"
        path.write_text(as_profile(answers), "utf-8")
        return path
    drop = ("registered_departments", "rt_equipment") if kind == "proton_lists" else ()
    return proton(folder, drop)


def loaded(path: Path | None) -> tuple[str | None, dict]:
    from assistant.cli.interview import _load_given

    if path is None:
        return None, {}
    return _load_given(str(path))


def post(app, keys: list[str]) -> None:
    for key in keys:
        if key in CHARS or len(key) == 1 or key in (*ARROWS, "backspace") or key.startswith(("f", "ctrl+")):
            event = events.Key(key, CHARS.get(key, key if len(key) == 1 else None))
            event.set_sender(app)
            app.post_message(event)
        else:  # a word: one key per character
            post(app, list(key))


async def drive(app, opening: list[str], keys: list[str], bursts: list[int], on_top: str) -> None:
    async with app.run_test(size=SIZE) as pilot:
        chat = app.chat
        for _ in range(400):
            if chat.ready.is_set() and not app.query_one("#answer").waiting:
                break
            await pilot.pause()
        for key in opening:
            screens = len(app.screen_stack)
            if len(key) > 1 and not key.startswith(("f", "ctrl+")) and key not in CHARS:
                app.type_into_input(key)
            else:
                post(app, [key])
            for _ in range(100):  # until the dialog is up, or the report gone
                await pilot.pause()
                if key == "escape":
                    if len(app.screen_stack) < screens:
                        break
                elif len(app.screen_stack) > screens or key not in ("enter", "f2", "f3", "ctrl+s", "ctrl+p"):
                    break
        await pilot.pause()
        assert type(app.screen).__name__ == on_top, (type(app.screen).__name__, on_top)
        start = 0
        for size in bursts:
            if app.return_value is not None or not app.is_running:
                break
            post(app, keys[start : start + size])
            start += size
            for _ in range(3):
                await pilot.pause()
        for _ in range(10):
            await pilot.pause()


def typed_runs(keys: list[str]) -> set[str]:
    """Every run of characters typed without an Enter in between (any part of one: keys that
    come while the app moves on are dropped, and Escape or a dialog may cut a line)."""
    runs: list[str] = [""]
    for key in keys:
        if key == "enter":
            runs.append("")
        elif key == "space":
            runs[-1] += " "
        elif key == "backspace":
            runs[-1] = runs[-1][:-1]
        elif key in TEXTS:
            runs[-1] += key
    out = set()
    for run in runs:
        for i in range(len(run)):
            for j in range(i + 1, len(run) + 1):
                out.add(run[i:j])
    return out


def allowed(iv, key: str, value, runs: set[str], arrows: bool) -> bool:
    step = iv.step_for(key)
    if step is None:  # not askable now: compare with what its question reads
        return False
    fact = step.fact
    for text in runs:
        try:
            if parse(text, fact, step.hints) == value:
                return True
        except AnswerError:
            pass
    if arrows and fact.type in ("bool", "choice", "set"):
        return True  # an option chosen with the arrows (or ticks and typing together)
    return False


@given(
    start=st.sampled_from(sorted(STARTS)),
    keys=st.lists(st.sampled_from(TEXTS + SPECIAL), max_size=24)
    | st.lists(st.sampled_from(TEXTS + SPECIAL + ARROWS), max_size=24),
    data=st.data(),
)
@settings(
    max_examples=int(os.environ.get("MEDEQUIP_KEY_EXAMPLES", "30")),
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
    ],
)
def test_any_keys_on_any_screen_save_only_what_was_typed_or_chosen(tmp_path_factory, start, keys, data):
    folder = tmp_path_factory.mktemp("keys")
    here = os.getcwd()
    os.chdir(folder)  # save-as writes relative paths here
    try:
        check_keys(folder, start, keys, data)
    finally:
        os.chdir(here)


def check_keys(folder: Path, start: str, keys: list[str], data) -> None:
    profile_kind, equipment, opening, on_top = STARTS[start]
    path = write_profile(profile_kind, folder)
    _, given_answers = loaded(path)
    out = str(path) if path else str(folder / "new.toml")
    bursts = []
    left = len(keys)
    while left > 0:
        size = data.draw(st.integers(1, max(1, left)), label="burst")
        bursts.append(size)
        left -= size
    app = make_app(equipment, "zh", out, given=given_answers, cursor_blink=False)
    asyncio.run(drive(app, opening, keys, bursts, on_top))

    if app.session is None:
        return  # still choosing the equipment: nothing to save
    iv = app.session.iv
    before = flat(given_answers)
    after = flat(iv.answers)
    runs = typed_runs(keys)
    arrows = any(k in ARROWS for k in keys)
    for key, value in after.items():
        if key in before and before[key] == value:
            continue
        assert allowed(iv, key, value, runs, arrows), (start, keys, key, value)
    # The file holds what the interview holds (every answer is saved as it is given).
    saved_paths = [Path(out), *folder.glob("*.toml")]
    for p in saved_paths:
        if p.exists() and p.name not in ("pet_ct.toml", "proton.toml"):
            tomllib.loads(p.read_text("utf-8"))  # a whole TOML document, never half
