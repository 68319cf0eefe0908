"""The line mode with piped answers, as a script or a screen reader user drives it: prompts
by fact key, IME-style answers, rejected answers, end of input (run in-process)."""

from __future__ import annotations

import os
import subprocess
import tomllib

from cli_helpers import PROMPT, drive_prompts, run_bytes
from conftest import ROOT


def interview(*args: str, answers: str, cwd) -> subprocess.CompletedProcess:
    return run_bytes("interview", *args, input=answers, cwd=cwd, environ=dict(os.environ))


def drive_by_key(
    args: list[str], answers: dict[str, str], cwd, default: str = "跳过"
) -> tuple[subprocess.Popen, list[str], str]:
    """Answer by the fact key in each prompt, the way an expect script does."""
    return drive_prompts(args, lambda key, _: answers.get(key, default), cwd)


def test_prompts_show_the_fact_key_and_ime_answers_are_understood(tmp_path):
    answers = {
        "institution.name": "测试医院",
        "institution.new_build": "是",
        "pet_ct.ct_slices": "１２８排",
        "pet_ct.nuclear_medicine_foundation": "有",
        "pet_ct.spect_experience": "对",
        "pet_ct.senior_physicians": "３名",
        "pet_ct.technicians": "两名",
        "pet_ct.radiopharmaceutical_staff": "1名",
        "pet_ct.senior_nm_physicians_spect": "2",
        "pet_ct.licensed_nm_imaging_staff": "７名",
        "pet_ct.senior_nm_imaging_staff_trained": "3",
        "done": "",  # Enter finishes; anything the closing prompt does not know is refused
    }
    out_file = tmp_path / "p.toml"
    proc, asked, out = drive_by_key(
        ["--plain", "--equipment", "pet_ct", "--lang", "zh", "-o", str(out_file)],
        answers,
        tmp_path,
        default="是",
    )
    assert proc.returncode == 0, proc.stderr
    assert asked[:3] == ["institution.name", "institution.new_build", "pet_ct.ct_slices"]
    # A new-build applicant is never asked what （六） waives for it.
    assert "pet_ct.nuclear_medicine_years" not in asked
    saved = tomllib.loads(out_file.read_text("utf-8"))
    assert saved["pet_ct"]["ct_slices"] == 128
    assert saved["pet_ct"]["technicians"] == 2
    assert saved["pet_ct"]["licensed_nm_imaging_staff"] == 7
    check = run_bytes("check", str(out_file), "--format", "json", cwd=ROOT, environ=dict(os.environ))
    assert check.returncode == 0, check.stdout.decode()


def test_a_rejected_answer_gets_a_reason_and_the_same_prompt_again(tmp_path):
    run = interview(
        "--plain",
        "--equipment",
        "pet_ct",
        "--lang",
        "en",
        "-o",
        str(tmp_path / "p.toml"),
        answers="Test Hospital\nmaybe\nno\n",
        cwd=tmp_path,
    )
    out = run.stdout.decode()
    assert PROMPT.findall(out)[:3] == ["institution.name", "institution.new_build", "institution.new_build"]
    assert "yes or no" in out
    saved = tomllib.loads((tmp_path / "p.toml").read_text("utf-8"))
    assert saved["institution"] == {"name": "Test Hospital", "new_build": False}


def test_end_of_input_saves_what_it_has_and_exits_3(tmp_path):
    run = interview(
        "--plain",
        "--equipment",
        "conventional_rt",
        "-o",
        str(tmp_path / "p.toml"),
        answers="县医院\n是\n",
        cwd=tmp_path,
    )
    assert run.returncode == 3
    saved = tomllib.loads((tmp_path / "p.toml").read_text("utf-8"))
    assert saved["institution"]["name"] == "县医院"
    assert saved["equipment"] == "conventional_rt"


def test_answers_file_asks_only_what_is_missing(tmp_path):
    given = tmp_path / "given.toml"
    given.write_text(
        'schema_version = 1\nequipment = "pet_ct"\n[institution]\nname = "x"\nnew_build = true\n'
        "[pet_ct]\nct_slices = 64\n",
        "utf-8",
    )
    run = interview(
        "--plain", "--answers", str(given), "-o", str(tmp_path / "out.toml"), answers="", cwd=tmp_path
    )
    keys = PROMPT.findall(run.stdout.decode())
    assert keys and keys[0] == "pet_ct.nuclear_medicine_foundation"
    assert "institution.new_build" not in keys


def test_resume_continues_the_same_file(tmp_path):
    path = tmp_path / "p.toml"
    interview("--plain", "--equipment", "pet_ct", "-o", str(path), answers="甲医院\n否\n2\n", cwd=tmp_path)
    run = interview("--plain", "--resume", str(path), answers="64\n", cwd=tmp_path)
    assert run.returncode == 3
    saved = tomllib.loads(path.read_text("utf-8"))
    assert saved["institution"] == {"name": "甲医院", "ownership": "non_public", "new_build": False}
    assert saved["pet_ct"]["ct_slices"] == 64


def test_commands_back_skip_why_in_the_line_mode(tmp_path):
    run = interview(
        "--plain",
        "--equipment",
        "pet_mr",
        "--lang",
        "zh",
        "-o",
        str(tmp_path / "p.toml"),
        answers="乙医院\n否\n为什么\n返回\n是\n跳过\n",
        cwd=tmp_path,
    )
    out = run.stdout.decode()
    assert "pet_mr/6" in out  # why names the exemption clause ownership matters through
    keys = PROMPT.findall(out)
    # why repeats the question; back returns to the answer before it.
    assert keys[:5] == [
        "institution.name",
        "institution.new_build",
        "institution.ownership",
        "institution.ownership",
        "institution.new_build",
    ]
    saved = tomllib.loads((tmp_path / "p.toml").read_text("utf-8"))
    assert saved["institution"]["new_build"] is True


def test_bad_invocations_exit_2(tmp_path):
    assert interview("--plain", "--equipment", "pet_cat", answers="", cwd=tmp_path).returncode == 2
    assert (
        interview("--plain", "--resume", str(tmp_path / "missing.toml"), answers="", cwd=tmp_path).returncode
        == 2
    )
    other = tmp_path / "notes.txt"
    other.write_text("my notes", "utf-8")
    run = interview("--plain", "--equipment", "pet_ct", "-o", str(other), answers="", cwd=tmp_path)
    assert run.returncode == 2 and b"--force" in run.stderr
    assert other.read_text("utf-8") == "my notes"


def test_questions_lists_fact_type_unit_range_choices_and_condition():
    run = run_bytes(
        "questions", "pet_ct", "--format", "json", "--lang", "zh", cwd=ROOT, environ=dict(os.environ)
    )
    import json

    items = {q["fact"]: q for q in json.loads(run.stdout)}
    q = items["pet_ct.licensed_nm_imaging_staff"]
    assert q["type"] == "int" and q["unit"] == "名" and q["min"] == 0
    assert "128" in q["condition"]
    assert {c["key"] for c in items["institution.ownership"]["choices"]} == {"public", "non_public"}
