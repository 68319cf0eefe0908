"""The chat typed into a real terminal.

``medequip interview`` runs as its own process in a pseudo-terminal (tests/ptyterm.py) at
80×24 and 120×36, and is typed into as people type: words with spaces, digits at yes/no
questions, arrows and then typing, Enter twice, Escape, Tab, Chinese as UTF-8. Each test
asserts on the profile saved on disk and on the screen. The pilot tests drive the app from
inside; these prove the same from outside, through the terminal, the process and its exit.
"""

from __future__ import annotations

import re
import signal
import sys
import time
import tomllib
from pathlib import Path

import pytest

if sys.platform == "win32":  # pragma: no cover
    pytest.skip("pseudo-terminals are POSIX", allow_module_level=True)

from conftest import EXAMPLES  # noqa: E402
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ptyterm import Terminal
from test_typed_answers import MISSING, as_profile, full_pet_ct

from assistant.tui.screens.equipment import equipment_names

NARROW, WIDE = (80, 24), (120, 36)
PROTON = EXAMPLES / "proton_existing_tertiary.toml"


def saved(path: Path) -> dict:
    return tomllib.loads(path.read_text("utf-8")) if path.exists() else {}


def saved_value(path: Path, key: str):
    ns, name = key.split(".", 1)
    return saved(path).get(ns, {}).get(name)


def pet_ct(folder: Path, **changes) -> Path:
    """A complete PET/CT profile of a public, long-established hospital (new_build = false)."""
    answers = {**full_pet_ct(), **changes}
    path = folder / "pet_ct.toml"
    path.write_text(as_profile(answers), "utf-8")
    return path


def proton(folder: Path, drop: tuple[str, ...] = ()) -> Path:
    """The bundled complete proton profile, less the answers named in ``drop``."""
    text = PROTON.read_text("utf-8")
    for key in drop:
        text = re.sub(rf"(?m)^{re.escape(key)} = .*\n", "", text)
    path = folder / "proton.toml"
    path.write_text(text, "utf-8")
    return path


def resume(path: Path, lang: str, size) -> Terminal:
    return Terminal(["interview", "--lang", lang, "--resume", str(path)], size=size, cwd=path.parent)


def to_chat(term: Terminal, lang: str) -> None:
    """A complete profile opens on the report: Escape goes to the chat."""
    term.show("评估报告" if lang == "zh" else "Assessment")
    term.send("escape")
    term.show("输入答案" if lang == "zh" else "Answer")


def quit_with(term: Terminal) -> int:
    term.send("ctrl+q")
    return term.exit_code()


# --- the edit dialog -------------------------------------------------------------------------


def test_the_edit_dialog_records_the_typed_answer_zh(tmp_path):
    path = pet_ct(tmp_path)
    with resume(path, "zh", NARROW) as term:
        to_chat(term, "zh")
        term.type("修改 institution.new_build")
        term.send("enter", "enter")  # Enter twice, in a hurry: the second one picks nothing
        term.show("修改：新建医疗机构")
        term.send("enter")  # on the empty box, in the dialog: it says what to do
        term.show("请输入新的回答")
        assert "修改：新建医疗机构" in term.text()
        assert saved_value(path, "institution.new_build") is False
        term.type("否")
        term.send("enter")
        term.show("未改变：新建医疗机构 仍为 否")
        assert saved_value(path, "institution.new_build") is False
        # And a real change, typed too.
        term.type("修改 institution.new_build")
        term.send("enter")
        term.show("修改：新建医疗机构")
        term.type("是")
        term.send("enter")
        term.show("已修改：新建医疗机构 → 是")
        term.wait(lambda: saved_value(path, "institution.new_build") is True, "the saved change")
        assert quit_with(term) in (0, 1, 3)
    assert saved_value(path, "institution.name") == "测试医院"


def test_the_edit_dialog_records_the_typed_answer_en(tmp_path):
    path = pet_ct(tmp_path)
    with resume(path, "en", WIDE) as term:
        to_chat(term, "en")
        term.type("edit pet_ct.spect_experience")
        term.send("enter")
        term.show("Change: Extensive clinical experience with SPECT")
        term.send("up")  # a highlight on the list: typing still decides
        term.type("no")
        term.send("enter")
        term.show("→ no")
        term.wait(lambda: saved_value(path, "pet_ct.spect_experience") is False, "the saved change")
        # Escape leaves an answer as it is.
        term.type("edit pet_ct.spect_experience")
        term.send("enter")
        term.show("Now: no")
        term.type("yes")
        term.send("escape")
        term.wait(lambda: "Now: no" not in term.text(), "the dialog to close")
        term.quiet()
        assert saved_value(path, "pet_ct.spect_experience") is False
        assert quit_with(term) in (0, 1, 3)


def test_the_review_opens_an_answer_by_its_number_and_by_enter_on_a_row(tmp_path):
    path = pet_ct(tmp_path)
    with resume(path, "en", WIDE) as term:
        to_chat(term, "en")
        term.send("f2")
        term.show("All answers")
        term.type("2")
        term.send("enter")
        term.show("Change: Newly built institution")
        term.send("escape")
        term.wait(lambda: "Change: Newly built" not in term.text(), "the dialog to close")
        term.send("f2")
        term.show("All answers")
        term.send("down", "enter")  # the first answer: the institution's name
        term.show("Change: Institution name")
        term.type("Second Hospital")
        term.send("enter")
        term.wait(lambda: saved_value(path, "institution.name") == "Second Hospital", "the new name")
        assert quit_with(term) in (0, 1, 3)
    assert saved_value(path, "institution.new_build") is False


def test_a_title_typed_in_the_roster_is_the_title_saved(tmp_path):
    path = proton(tmp_path)
    before = saved(path)
    assert before["proton"]["clinical_staff"][0]["title"] == "senior"
    with resume(path, "zh", WIDE) as term:
        to_chat(term, "zh")
        term.send("f3")
        term.show("人员名单")
        term.type("1")  # 张医生
        term.send("enter")
        term.show("张医生 · 专业技术职务任职资格")
        term.type("专业技术职务")
        term.send("enter")
        term.show("修改：专业技术职务任职资格")
        term.type("副主任")
        term.send("enter")
        term.show("已修改：专业技术职务任职资格 → 副高级")
        term.wait(
            lambda: saved(path)["proton"]["clinical_staff"][0]["title"] == "associate_senior", "the title"
        )
        assert quit_with(term) in (0, 1, 3)

    # Nobody else changed. (Answers no clause reads any more are set aside, which is not
    # this test's business: compare what every person is.)
    def who(doc):
        return [(p["name"], p["role"], p["title"]) for p in doc["proton"]["clinical_staff"]]

    assert who(saved(path))[1:] == who(before)[1:]
    assert saved(path)["institution"]["name"] == before["institution"]["name"]


def test_a_person_is_named_by_name_once_the_name_is_given(tmp_path):
    path = proton(tmp_path)
    with resume(path, "zh", WIDE) as term:
        to_chat(term, "zh")
        term.send("f3")
        term.show("人员名单")
        term.type("9")  # ＋ 添加一位人员
        term.send("enter")
        term.show("第 9 位人员 · 此人的岗位是？")  # no name yet: by number
        term.type("1")
        term.send("enter")
        term.show("第 9 位人员 · 此人的姓名？")
        term.type("吴医生")
        term.send("enter")
        term.show("吴医生 · 此人的专业技术职务任职资格是？")
        assert "第 9 位人员 · 此人的专业" not in term.text()
        assert quit_with(term) in (0, 1, 3)
    assert saved(path)["proton"]["clinical_staff"][8]["name"] == "吴医生"


def test_the_report_screen_lists_the_answers_set_aside(tmp_path):
    """As ``check`` does: an edit that makes answers irrelevant keeps them, and the chat's
    report says so, with their values."""
    path = proton(tmp_path)
    with resume(path, "zh", WIDE) as term:
        to_chat(term, "zh")
        term.type("修改 institution.new_build")
        term.send("enter")
        term.show("修改：新建医疗机构")
        term.type("是")
        term.send("enter")
        term.show("已保留")
        term.send("ctrl+r")
        term.show("评估报告")
        term.send("end")
        term.show("保留未用的回答")
        assert "年收治肿瘤患者数：38,000 例" in term.text()
        assert quit_with(term) in (0, 1, 3)
    assert saved(path)["set_aside"]["proton.annual_tumour_patients"] == 38000


def test_people_are_added_and_removed_by_typing_in_the_roster(tmp_path):
    path = proton(tmp_path)
    with resume(path, "en", NARROW) as term:
        to_chat(term, "en")
        term.send("f3")
        term.show("Staff roster")
        term.type("remove 2")
        term.send("enter")
        term.show("Removed 李医生")
        term.wait(lambda: len(saved(path)["proton"]["clinical_staff"]) == 7, "the removal")
        term.send("ctrl+b")  # undone
        term.wait(lambda: len(saved(path)["proton"]["clinical_staff"]) == 8, "the undo")
        assert quit_with(term) in (0, 1, 3)
    assert saved(path)["proton"]["clinical_staff"][1]["name"] == "李医生"


# --- lists -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "size"), [("zh", NARROW), ("en", WIDE)])
def test_spaces_typed_with_a_checkbox_list_on_screen_stay_spaces(tmp_path, lang, size):
    path = proton(tmp_path, drop=("rt_equipment",))
    with resume(path, lang, size) as term:
        term.show("4D-CT")
        term.send("down")  # into the list, then typing
        term.type("1 2 3 4")
        term.wait(lambda: "1 2 3 4" in term.text(), "the spaces in the box")
        term.send("enter")
        term.wait(lambda: saved_value(path, "proton.rt_equipment"), "the answer")
        assert quit_with(term) in (0, 1, 3)
    assert saved_value(path, "proton.rt_equipment") == [
        "ct_4d_simulator",
        "igrt_linac_mlc",
        "inverse_tps",
        "qa_qc_equipment",
    ]


def test_a_highlight_left_from_a_longer_list_never_crashes(tmp_path):
    """The crash of issue #20: ↓ five times at the five departments, Space, Enter; then the
    four-item equipment list."""
    path = proton(tmp_path, drop=("registered_departments", "rt_equipment"))
    with resume(path, "zh", NARROW) as term:
        term.show("医学影像科")
        term.send("down", "down", "down", "down", "down", "space")
        term.show("[x] 5. 医学影像科")
        term.send("enter")
        term.show("4D-CT")
        assert saved_value(path, "proton.registered_departments") == ["medical_imaging"]
        term.send("down", "space", "enter")
        term.wait(lambda: saved_value(path, "proton.rt_equipment"), "the equipment")
        assert saved_value(path, "proton.rt_equipment") == ["ct_4d_simulator"]
        assert term.alive()
        assert quit_with(term) in (0, 1, 3)


def test_digits_at_a_yes_no_question_and_typing_after_tab(tmp_path):
    out = tmp_path / "p.toml"
    with Terminal(
        ["interview", "--lang", "zh", "--equipment", "pet_ct", "-o", str(out)], size=NARROW
    ) as term:
        term.show("申请机构的全称")
        term.type("第一 医院")
        term.send("enter")
        term.show("新建医疗机构吗")
        term.type("10")
        term.send("enter")
        term.show("“10”不是")
        assert "institution.new_build" not in str(saved(out))
        assert "new_build" not in saved(out).get("institution", {})
        term.send("tab")  # to the clause list; typing still goes to the answer box
        term.type("否")
        term.send("enter")
        term.wait(lambda: saved_value(out, "institution.new_build") is False, "the answer")
        assert quit_with(term) == 3
    assert saved_value(out, "institution.name") == "第一 医院"


def test_the_equipment_is_chosen_by_its_number_after_arrows(tmp_path):
    out = tmp_path / "p.toml"
    number = list(equipment_names("en")).index("pet_ct") + 1
    with Terminal(["interview", "--lang", "en", "-o", str(out)], size=NARROW) as term:
        term.show("Choose the equipment")
        term.send("down")  # the first row highlighted; the typed number decides
        term.type(str(number))
        term.send("enter")
        term.show("What is the applicant")
        term.type("Example Hospital")
        term.send("enter")
        term.wait(lambda: saved(out).get("equipment") == "pet_ct", "the profile")
        assert quit_with(term) == 3


def test_save_as_writes_where_typed(tmp_path):
    out, other = tmp_path / "a.toml", tmp_path / "b.toml"
    with Terminal(
        ["interview", "--lang", "zh", "--equipment", "pet_ct", "-o", str(out)], size=NARROW
    ) as term:
        term.show("申请机构的全称")
        term.type("另存医院")
        term.send("enter")
        term.show("新建医疗机构吗")
        term.send("ctrl+s")
        term.show("a.toml", "the suggested path in the box, its end in view")
        term.send("ctrl+u")  # the suggested path goes
        term.type(str(other))
        term.send("enter")
        term.wait(lambda: saved_value(other, "institution.name") == "另存医院", "the saved copy")
        term.type("是")
        term.send("enter")
        term.wait(lambda: saved_value(other, "institution.new_build") is True, "the next answer there")
        assert quit_with(term) == 3


# --- what is on the screen -------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_command_palette_and_theme_picker_speak_the_interviews_language(tmp_path, lang):
    out = tmp_path / "p.toml"
    with Terminal(
        ["interview", "--lang", lang, "--equipment", "pet_ct", "-o", str(out)], size=NARROW
    ) as term:
        term.show("申请机构的全称" if lang == "zh" else "What is the applicant")
        term.send("ctrl+p")
        term.show("搜索命令…" if lang == "zh" else "Search for commands…")
        if lang == "zh":
            screen = term.text()
            for english in ("Search", "Keys", "Maximize", "Screenshot", "Quit", "Theme", "Change"):
                assert english not in screen, english
        term.type("xyzq")
        term.show("没有匹配的命令" if lang == "zh" else "No matches found")
        term.send("escape")
        term.wait(lambda: "xyzq" not in term.text(), "the palette to close")
        term.send("ctrl+p")
        term.show("搜索命令…" if lang == "zh" else "Search for commands…")
        term.type("更换主题" if lang == "zh" else "Change theme")
        term.quiet()
        term.send("enter")
        term.show("搜索主题…" if lang == "zh" else "Search for themes…")
        # Textual's themes by name in the interview's language, the default first
        term.show("默认（深色）" if lang == "zh" else "Default (dark)")
        assert "textual-dark" not in term.text() and "ansi-dark" not in term.text()
        if lang == "zh":
            assert "Search" not in term.text()
            assert "（浅色）" in term.text() and "(dark)" not in term.text()
        term.send("escape")
        term.wait(lambda: "主题…" not in term.text() and "themes…" not in term.text(), "the picker to close")
        assert quit_with(term) == 3


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_at_80x24_every_key_and_hint_is_readable(tmp_path, lang):
    path = proton(tmp_path, drop=("registered_departments",))
    with resume(path, lang, NARROW) as term:
        term.show("医学影像科" if lang == "zh" else "Medical imaging")
        lines = term.lines()
        footer = lines[-1]
        assert "…" not in footer
        # Every key shown has its whole word after it, and quit is there.
        assert ("^Q 退出" if lang == "zh" else "^Q Quit") in footer
        for key in re.findall(r"(?:\^[A-Z]|F\d)", footer):
            assert re.search(re.escape(key) + r" \S", footer), (key, footer)
        # The list's hint is whole (the long one was cut after 移动).
        # Looked for left of the clause panel (after its ▏ border), whose title also names Enter.
        chat = [line.split("▏")[0] for line in lines]
        hint = next(line for line in chat if "╭─ " in line and ("回车" in line or "Enter" in line))
        hint = hint[: hint.index("╮") + 1]
        assert ("空格勾选" if lang == "zh" else "Space ticks") in hint and "…" not in hint
        # The clause panel's rows: clause numbers with what fits of their titles, never a
        # word cut through (an English title may end in … after a whole word).
        side = [line[53:] for line in lines[5:-4] if "│" in line[53:]]
        assert side
        for row in side:
            if lang == "zh":
                assert "…" not in row, row
            else:
                assert re.search(r"[^ ]…", row) is None or re.search(r"[A-Za-z]+…", row), row
        assert quit_with(term) in (0, 1, 3)


@pytest.mark.parametrize(("lang", "size"), [("zh", NARROW), ("en", WIDE)])
def test_why_keeps_the_question_on_the_screen(tmp_path, lang, size):
    path = proton(tmp_path, drop=("registered_departments",))
    prompt = "核准登记了以下哪些" if lang == "zh" else "registered"
    with resume(path, lang, size) as term:
        term.show(prompt)
        term.type("为什么" if lang == "zh" else "why")
        term.send("enter")
        term.show("以下条款需要这项信息" if lang == "zh" else "These clauses need this answer")
        term.show("现在的问题" if lang == "zh" else "The question")
        assert prompt in term.text()
        # And the answer still goes to it.
        term.type("1 2 3 4 5")
        term.send("enter")
        term.wait(lambda: saved_value(path, "proton.registered_departments"), "the answer")
        assert len(saved_value(path, "proton.registered_departments")) == 5
        assert quit_with(term) in (0, 1, 3)


# --- crashes and a terminal that goes away ---------------------------------------------------

# The child process runs the real entry point with one of the chat's methods replaced, in the
# child only, by one that fails on a given answer: a bug, as far as the program can tell.
CRASHING = """
import sys
from assistant.tui.screens import chat

real = chat.ChatScreen.answer_text

def answer_text(self, text, reading):
    if text == "崩溃":
        raise RuntimeError("a bug in the chat")
    return real(self, text, reading)

chat.ChatScreen.answer_text = answer_text
from assistant.entry import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_crash_in_the_chat_is_one_line_and_a_crash_log(tmp_path):
    out = tmp_path / "p.toml"
    args = ["interview", "--lang", "zh", "--equipment", "pet_ct", "-o", str(out)]
    with Terminal(args, size=NARROW, python=["-c", CRASHING], env={"TMPDIR": str(tmp_path)}) as term:
        term.show("申请机构的全称")
        term.type("崩溃前医院")
        term.send("enter")
        term.wait(lambda: saved_value(out, "institution.name") == "崩溃前医院", "the first answer")
        term.show("新建医疗机构吗")
        term.type("崩溃")
        term.send("enter")
        assert term.exit_code() == 70
        raw = bytes(term.raw).decode("utf-8", "replace")
    after = raw[raw.rindex("\x1b[?1049l") :]  # what is printed once the screen is restored
    assert "Traceback" not in after and "RuntimeError" not in after
    plain = re.sub(r"\x1b\[[0-9;?<>]*[A-Za-z]|\x07", "", after).replace("\r", "")
    said = [line for line in plain.split("\n") if line.strip()]
    assert len(said) == 1 and "内部错误" in said[0], said
    logs = list(tmp_path.glob("medequip-crash-*.log"))
    assert len(logs) == 1 and str(logs[0]) in said[0]
    log = logs[0].read_text("utf-8")
    assert "RuntimeError: a bug in the chat" in log and "answer_text" in log
    assert saved(out)["institution"] == {"name": "崩溃前医院"}  # as last saved


def test_sighup_saves_and_exits_129_within_a_second(tmp_path):
    out = tmp_path / "p.toml"
    with Terminal(
        ["interview", "--lang", "zh", "--equipment", "pet_ct", "-o", str(out)], size=NARROW
    ) as term:
        term.show("申请机构的全称")
        term.type("挂断医院")
        term.send("enter")
        term.show("新建医疗机构吗")
        term.type("否")
        term.send("enter")
        term.wait(lambda: saved_value(out, "institution.new_build") is False, "the answer")
        term.type("半句")  # typed, not submitted: not an answer
        start = time.monotonic()
        term.hang_up()
        code = term.exit_code(timeout=10)
        took = time.monotonic() - start
    assert code == 129
    assert took < 1.0, f"took {took:.2f} s"
    assert saved(out)["institution"] == {"name": "挂断医院", "new_build": False}


def test_sighup_with_the_terminal_still_there_also_ends_with_129(tmp_path):
    out = tmp_path / "p.toml"
    with Terminal(["interview", "--lang", "en", "--equipment", "pet_ct", "-o", str(out)], size=WIDE) as term:
        term.show("What is the applicant")
        term.type("Hung Up Hospital")
        term.send("enter")
        term.wait(lambda: saved_value(out, "institution.name"), "the answer")
        start = time.monotonic()
        term.kill(signal.SIGHUP)
        code = term.exit_code(timeout=10)
        took = time.monotonic() - start
        raw = bytes(term.raw)
    assert code == 129
    assert took < 1.0, f"took {took:.2f} s"
    assert b"\x1b[?1049l" in raw  # the terminal was given back
    assert saved_value(out, "institution.name") == "Hung Up Hospital"


def test_a_terminal_gone_without_a_sighup_reaching_the_chat_ends_it_too(tmp_path):
    """A shell that traps SIGHUP keeps it from the chat when the window closes; the chat
    notices its terminal is gone and ends the same way (it once stayed for 16 minutes)."""
    out, rc = tmp_path / "p.toml", tmp_path / "rc"
    script = (
        f"trap 'true' HUP; {sys.executable} -m assistant interview --lang zh --equipment pet_ct"
        f" -o {out}; echo $? > {rc}"
    )
    with Terminal([], argv=["bash", "-c", script], size=NARROW) as term:
        term.show("申请机构的全称")
        term.type("陷阱医院")
        term.send("enter")
        term.wait(lambda: saved_value(out, "institution.name") == "陷阱医院", "the answer")
        start = time.monotonic()
        term.hang_up(signal_too=False)
        term.wait(lambda: rc.exists() and rc.read_text().strip(), "the chat to end", timeout=20)
        took = time.monotonic() - start
    assert rc.read_text().strip() == "129"
    assert took < 1.5, f"took {took:.2f} s"
    assert saved(out)["institution"] == {"name": "陷阱医院"}


def test_the_line_mode_whose_terminal_goes_away_saves_and_exits_129(tmp_path):
    out = tmp_path / "p.toml"
    args = ["interview", "--plain", "--lang", "en", "--equipment", "pet_ct", "-o", str(out)]
    with Terminal(args, size=NARROW) as term:
        term.wait("institution.name]>", "the first prompt")
        term.type("Line Mode Hospital")
        term.send("enter")
        term.wait("institution.new_build]>", "the second prompt")
        term.hang_up()
        code = term.exit_code(timeout=10)
    assert code == 129
    assert saved(out)["institution"] == {"name": "Line Mode Hospital"}


# --- any keys, through the terminal ------------------------------------------------------------


@given(
    start=st.sampled_from(["chat", "edit"]),
    keys=st.lists(
        st.sampled_from(["否", "是", "no", "1", "12", " 3", "space", "enter", "escape", "tab"]), max_size=16
    ),
)
@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck))
def test_any_keys_in_a_real_terminal_save_only_what_was_typed(tmp_path_factory, start, keys):
    """The keystroke property of test_tui_keys.py, a few runs through a real terminal: keys in
    bursts, no crash, a normal exit, and every changed answer read from typed text."""
    from test_tui_keys import allowed, loaded, typed_runs

    from assistant.interview.changes import flat

    folder = tmp_path_factory.mktemp("pty-keys")
    answers = {k: v for k, v in full_pet_ct().items() if k not in MISSING}
    path = folder / "pet_ct.toml"
    path.write_text(as_profile(answers), "utf-8")
    _, before = loaded(path)
    with resume(path, "zh", NARROW) as term:
        term.show("核医学科")  # the first missing question
        if start == "edit":
            term.type("修改 institution.ownership")
            term.send("enter")
            term.show("修改：机构性质")
        for key in keys:
            term.send(key)
        term.quiet()
        assert term.alive()
        term.send("ctrl+q")
        code = term.exit_code()
    assert code in (0, 1, 3), code
    _, after = loaded(path)
    from assistant.core.rules.loader import for_equipment
    from assistant.interview.engine import resume as resumed_interview
    from assistant.interview.questions import load

    rs = for_equipment("pet_ct")
    iv = resumed_interview(rs, "pet_ct", load(rs, "pet_ct"), after)
    runs = typed_runs(keys)
    for key, value in flat(after).items():
        if flat(before).get(key) != value:
            assert allowed(iv, key, value, runs, arrows=False), (start, keys, key, value)
