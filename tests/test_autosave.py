"""The interview's autosave at the edges: someone edits the file between two answers, the
disk fills up, the file system is read-only. Nothing is ever silently discarded.

The line mode is driven as a real process answering prompt by prompt; the "editor" changes
the file between two answers, as a person with the file open would. The disk tests use a
real small tmpfs and a read-only file system (CI runs as root; without root they are
skipped, saying so).
"""

from __future__ import annotations

import os
import subprocess
import tomllib
from pathlib import Path

import pytest
from cli_helpers import drive_prompts, run

ANSWERS = {
    "institution.name": "甲医院",
    "institution.new_build": "否",
    "institution.ownership": "1",
    "institution.independent_imaging_center": "否",
    "done": "",
}


def drive(path: Path, edit, extra=None, lang="zh"):
    """A PET/CT interview into ``path``; ``edit(text)`` runs once, just before the answer to
    institution.ownership is sent, and may return what to type instead of that answer."""
    done = {"edited": False}
    extra = extra or {}

    def answer(key, text):
        if key == "institution.ownership" and not done["edited"]:
            done["edited"] = True
            typed = edit(path.read_text("utf-8"))
            if typed is not None:
                return typed
        if key in extra:
            value = extra[key]
            return value(text) if callable(value) else value
        return ANSWERS.get(key, "跳过")

    proc, asked, out = drive_prompts(
        ["--plain", "--equipment", "pet_ct", "--lang", lang, "-o", str(path)], answer, path.parent
    )
    return proc.returncode, asked, out


def test_a_key_appended_by_an_editor_is_kept_with_its_comment_and_not_asked(tmp_path):
    path = tmp_path / "iv.toml"

    def editor(text):
        path.write_text(text + "\n[pet_ct]\nsenior_physicians = 5  # added\n", "utf-8")

    code, asked, out = drive(path, editor)
    assert code == 3, out[-2000:]
    text = path.read_text("utf-8")
    assert "senior_physicians = 5  # added" in text
    saved = tomllib.loads(text)
    assert saved["pet_ct"]["senior_physicians"] == 5
    assert saved["institution"]["ownership"] == "public"  # and the session's answers too
    assert "pet_ct.senior_physicians" not in asked  # it is answered: not asked again
    assert "pet_ct.senior_physicians" in out  # and the merge was said


@pytest.mark.parametrize("pick,kept", [("1", "丙医院"), ("2", "乙医院")])
def test_a_conflicting_edit_is_asked_and_the_choice_kept(tmp_path, pick, kept):
    path = tmp_path / "iv.toml"

    def editor(text):
        path.write_text(text.replace('name = "甲医院"', 'name = "乙医院"  # from the licence'), "utf-8")
        return "edit institution.name"  # this session changes the same answer

    code, asked, out = drive(
        path, editor, {"edit institution.name": "丙医院", "conflict institution.name": pick}
    )
    assert "conflict institution.name" in asked, out[-2000:]
    assert "乙医院" in out and "丙医院" in out  # both shown before choosing
    text = path.read_text("utf-8")
    assert tomllib.loads(text)["institution"]["name"] == kept
    assert "# from the licence" in text
    assert code == 3


def test_a_conflict_nobody_can_answer_leaves_the_file_and_saves_beside_it(tmp_path):
    path = tmp_path / "iv.toml"

    def editor(text):
        path.write_text(text.replace('name = "甲医院"', 'name = "乙医院"'), "utf-8")
        return "edit institution.name"

    # Input ends at the conflict prompt: nothing is decided for the person.
    code, asked, out = _drive_until(path, editor, stop_at="conflict institution.name")
    assert tomllib.loads(path.read_text("utf-8"))["institution"]["name"] == "乙医院"
    beside = sorted(tmp_path.glob("iv.medequip-*.toml"))
    assert len(beside) == 1, out[-2000:]
    assert tomllib.loads(beside[0].read_text("utf-8"))["institution"]["name"] == "丙医院"
    assert str(beside[0].name) in out


def test_input_ending_while_the_file_is_broken_saves_the_answers_beside_it(tmp_path):
    path = tmp_path / "iv.toml"
    broken = {}

    def editor(text):
        broken["text"] = text + "\n[pet_ct\n"
        path.write_text(broken["text"], "utf-8")

    code, asked, out = _drive_until(path, editor, stop_at="institution.independent_imaging_center")
    assert path.read_text("utf-8") == broken["text"]
    beside = sorted(tmp_path.glob("iv.medequip-*.toml"))
    assert len(beside) == 1, out[-2000:]
    assert tomllib.loads(beside[0].read_text("utf-8"))["institution"]["ownership"] == "public"
    assert code == 3


def _drive_until(path: Path, editor, stop_at: str):
    """Like ``drive`` but closes the input when ``stop_at`` is prompted."""
    import sys

    from cli_helpers import PROMPT, ROOT

    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "assistant",
            "interview",
            "--plain",
            "--equipment",
            "pet_ct",
            "--lang",
            "zh",
            "-o",
            str(path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=path.parent,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    asked: list[str] = []
    out = b""
    edited = False
    while True:
        chunk = proc.stdout.read1(65536)
        if not chunk:
            break
        out += chunk
        text = out.decode("utf-8", "replace")
        keys = PROMPT.findall(text)
        if len(keys) > len(asked) and text.endswith("]> "):
            key = keys[-1]
            asked.append(key)
            if proc.stdin.closed:
                continue
            if key == stop_at:
                proc.stdin.close()
                continue
            if key == "institution.ownership" and not edited:
                edited = True
                line = editor(path.read_text("utf-8")) or ANSWERS[key]
            elif key == "edit institution.name":
                line = "丙医院"
            elif key == "save-as":
                line = ""
            else:
                line = ANSWERS.get(key, "跳过")
            proc.stdin.write((line + "\n").encode("utf-8"))
            proc.stdin.flush()
    proc.wait(timeout=60)
    return proc.returncode, asked, out.decode("utf-8")


def test_an_edit_that_makes_the_file_invalid_is_not_overwritten_and_save_as_is_offered(tmp_path):
    path = tmp_path / "iv.toml"
    other = tmp_path / "other.toml"
    broken = {}

    def editor(text):
        broken["text"] = text + "\n[pet_ct\nx = \n"
        path.write_text(broken["text"], "utf-8")

    code, asked, out = drive(path, editor, {"save-as": str(other)})
    assert path.read_text("utf-8") == broken["text"]  # never overwritten
    assert asked.count("save-as") == 1  # said once, offered once
    assert "不是可用的档案" in out and "TOML" in out
    saved = tomllib.loads(other.read_text("utf-8"))
    assert saved["institution"]["name"] == "甲医院" and saved["institution"]["ownership"] == "public"
    assert code == 3
    assert run("check", str(other)).returncode == 3


def test_an_edit_that_breaks_the_file_then_is_fixed_lets_autosave_resume(tmp_path):
    path = tmp_path / "iv.toml"
    state = {"good": ""}

    def editor(text):
        state["good"] = text
        path.write_text(text + "\nnot toml at all\n", "utf-8")

    def fix(text):
        path.write_text(state["good"], "utf-8")  # the person repairs it before the next answer
        return "否"

    code, asked, out = drive(path, editor, {"save-as": "", "institution.independent_imaging_center": fix})
    saved = tomllib.loads(path.read_text("utf-8"))
    assert saved["institution"]["ownership"] == "public"
    assert saved["institution"]["independent_imaging_center"] is False
    assert "已重新保存到" in out


# --- a full disk, a read-only file system -----------------------------------------------------

ROOT_ONLY = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0,
    reason="mounting a small tmpfs needs root (CI runs as root)",
)


@pytest.fixture
def small_fs(tmp_path):
    where = tmp_path / "fs"
    where.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(where)], check=True)
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def _started(folder: Path) -> Path:
    """A profile the interview began in ``folder`` (a name and one answer)."""
    path = folder / "iv.toml"
    p = run(
        "interview", "--plain", "--equipment", "pet_ct", "--lang", "zh", "-o", str(path), input="甲医院\n否\n"
    )
    assert p.returncode == 3, p.stdout + p.stderr
    return path


def _resume_after_trouble(path: Path, elsewhere: Path) -> tuple[int, list[str], str]:
    answers = {**ANSWERS, "save-as": ""}
    seen = {"trouble": 0}

    def answer(key, text):
        if key == "save-as":
            seen["trouble"] += 1
            # First time: carry on (answers stay in memory); the second answer is the
            # person giving another place.
            return "" if seen["trouble"] == 1 else str(elsewhere)
        return answers.get(key, "跳过")

    proc, asked, out = drive_prompts(["--plain", "--resume", str(path), "--lang", "zh"], answer, path.parent)
    return proc.returncode, asked, out


@ROOT_ONLY
def test_a_full_disk_is_said_once_and_every_answer_reaches_another_path(small_fs, tmp_path):
    path = _started(small_fs)
    before = path.read_bytes()
    fd = os.open(small_fs / "filler", os.O_WRONLY | os.O_CREAT)  # fill the file system up
    try:
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:
        pass
    finally:
        os.close(fd)
    elsewhere = tmp_path / "elsewhere.toml"
    code, asked, out = _resume_after_trouble(path, elsewhere)
    assert "Traceback" not in out
    # Said once while answering (not after every answer), then once more at the end.
    assert out.split("全部问题已回答")[0].count("磁盘已满") == 1, out[-3000:]
    assert path.read_bytes() == before  # the old file is intact, not truncated
    assert not list(small_fs.glob(".iv.toml.*.tmp"))  # no temporary left behind
    # Nothing typed was lost: the answers given while the disk was full are in the new file.
    saved = tomllib.loads(elsewhere.read_text("utf-8"))
    assert saved["institution"]["ownership"] == "public"
    assert saved["institution"]["name"] == "甲医院"
    assert code == 3


@ROOT_ONLY
def test_a_read_only_file_system_is_said_once_and_the_answers_go_elsewhere(small_fs, tmp_path):
    path = _started(small_fs)
    subprocess.run(["mount", "-o", "remount,ro", str(small_fs)], check=True)
    elsewhere = tmp_path / "elsewhere.toml"
    code, asked, out = _resume_after_trouble(path, elsewhere)
    assert "Traceback" not in out
    assert out.split("全部问题已回答")[0].count("只读") == 1, out[-3000:]
    saved = tomllib.loads(elsewhere.read_text("utf-8"))
    assert saved["institution"]["ownership"] == "public"
    assert code == 3


def test_a_read_only_folder_loses_nothing_and_ends_unsaved_with_74(tmp_path):
    """Without anywhere to save and with input ending, the interview says so and exits 74,
    never with a traceback. Root ignores folder permissions, so as root the folder is a
    read-only file system instead."""
    folder = tmp_path / "ro"
    folder.mkdir()
    path = _started(folder)
    mounted = False
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        subprocess.run(["mount", "--bind", str(folder), str(folder)], check=True)
        subprocess.run(["mount", "-o", "remount,bind,ro", str(folder)], check=True)
        mounted = True
    else:
        folder.chmod(0o555)
    try:
        p = run("interview", "--plain", "--resume", str(path), "--lang", "en", input="1\n")
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], check=False)
        folder.chmod(0o755)
    assert p.returncode == 74, p.stdout[-2000:] + p.stderr
    assert "Traceback" not in p.stdout + p.stderr
    assert "could not be saved" in p.stdout
    assert "cannot save to" in p.stdout
